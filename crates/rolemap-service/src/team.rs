//! The team matrix of everyone below a manager, with succession for a role.

use std::collections::hash_map::Entry;

use rolemap_core::Role;
use rolemap_core::matrix::{self, Member, TeamMatrix};

use crate::gap::pick_grade;
use crate::{Result, Service, ServiceError};

impl Service {
    /// The team matrix of everyone below a manager, with succession for a role (the manager's own
    /// role at the manager's grade unless named).
    pub async fn team_matrix(
        &self,
        manager: &str,
        role: Option<&str>,
        grade: Option<&str>,
    ) -> Result<TeamMatrix> {
        let manager = self.person(manager).await?;
        // From the people kept in memory, in the same name order as `Store::reports`: on a team
        // of 2,000 the store's listing cost two queries a person on every page.
        let people = crate::cycles::below(&self.people_index().await?.people, manager.id);
        if people.is_empty() {
            return Err(ServiceError::invalid(
                "manager",
                format!("nobody reports to {}", manager.name),
            ));
        }
        let target = match (role, &manager.role) {
            (Some(name), _) => Some(self.role(name, None).await?),
            (None, Some(own)) => Some(Role::clone(&*self.role_by_id(own.id).await?)),
            (None, None) => None,
        };
        let target_grade = match &target {
            Some(role) => pick_grade(
                role,
                grade,
                if grade.is_none() {
                    manager.grade.as_deref()
                } else {
                    None
                },
            )?,
            None => None,
        };
        // Read once for every member: each one's levels, as their gap report finds them.
        let mappings = self.store.mappings().await?;
        let mut members = Vec::with_capacity(people.len());
        let mut roles: std::collections::HashMap<rolemap_core::RoleId, Role> =
            std::collections::HashMap::new();
        for person in people {
            let role = match &person.role {
                Some(summary) => match roles.entry(summary.id) {
                    Entry::Occupied(known) => Some(known.get().clone()),
                    Entry::Vacant(slot) => Some(
                        slot.insert(Role::clone(&*self.role_by_id(summary.id).await?))
                            .clone(),
                    ),
                },
                None => None,
            };
            let assessments = self.assessments_of(person.id).await?;
            let mut held = rolemap_core::person::current_levels(&assessments);
            for measured in role.iter().chain(&target) {
                for (skill, level) in self
                    .held_for(measured, &assessments, Some(&mappings))
                    .await?
                {
                    held.entry(skill).or_insert(level);
                }
            }
            members.push(Member { person, role, held });
        }
        Ok(matrix::build(
            &manager,
            &members,
            target.as_ref().map(|r| (r, target_grade.as_deref())),
        ))
    }
}
