//! The team matrix of everyone below a manager, with succession for a role.

use std::collections::hash_map::Entry;
use std::sync::Arc;

use rolemap_core::Role;
use rolemap_core::matrix::{self, Member, TeamMatrix};

use crate::gap::pick_grade;
use crate::{Result, Service, ServiceError};

impl Service {
    /// The team matrix of everyone below a manager, with succession for a role (the manager's own
    /// role at the manager's grade unless named).
    ///
    /// Worked out once per generation of frameworks and people for each manager, role and
    /// grade asked for, and shared: a manager's team page is asked for again and again while
    /// nothing in it changes, and on a team of 2,000 it costs about 100 ms of CPU to work out.
    pub async fn team_matrix(
        &self,
        manager: &str,
        role: Option<&str>,
        grade: Option<&str>,
    ) -> Result<Arc<TeamMatrix>> {
        let id = self.resolve_person(manager).await?;
        let team = (
            id,
            role.map(|r| r.trim().to_owned()),
            grade.map(|g| g.trim().to_owned()),
        );
        let (key, kept) = self.kept_team(&team).await?;
        if let Some(matrix) = kept {
            return Ok(matrix);
        }
        let matrix = Arc::new(self.work_out_team(manager, role, grade).await?);
        self.keep_team(key, team, Arc::clone(&matrix));
        Ok(matrix)
    }

    async fn work_out_team(
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
        let mut roles: std::collections::HashMap<rolemap_core::RoleId, Arc<Role>> =
            std::collections::HashMap::new();
        for person in people {
            let role = match &person.role {
                Some(summary) => match roles.entry(summary.id) {
                    Entry::Occupied(known) => Some(Arc::clone(known.get())),
                    Entry::Vacant(slot) => {
                        Some(Arc::clone(slot.insert(self.role_by_id(summary.id).await?)))
                    }
                },
                None => None,
            };
            // Shared with the people cache, not copied: a history per member adds up.
            let assessments = self.assessments_shared(person.id).await?;
            let mut held = rolemap_core::person::current_levels(&assessments);
            for measured in role.as_deref().into_iter().chain(&target) {
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
