//! People and their assessments: recording someone new, recording assessments (checked against
//! each skill's scale), and a person with their current levels and history.

use rolemap_core::person::{Held, current_levels};
use rolemap_core::{Assessment, Person, PersonId, Role, Source};
use rolemap_store::{Actor, NewAssessment, NewPerson};

use crate::fields::{check_name, check_note};
use crate::{Result, Service, ServiceError};

/// A person with their current levels and full history.
#[derive(Debug, Clone)]
pub struct PersonDetail {
    pub person: Person,
    pub current: Vec<Held>,
    pub history: Vec<Assessment>,
}

/// One assessment to record.
#[derive(Debug, Clone)]
pub struct AssessmentInput {
    pub skill: String,
    pub level: String,
    pub source: Source,
    pub note: String,
    /// The signed-in user recording it; `None` from the command line.
    pub recorded_by: Option<rolemap_store::UserId>,
}

/// What a person asks to record about someone new.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub name: String,
    pub role: Option<String>,
    pub grade: Option<String>,
    pub manager: Option<String>,
    pub team: Option<String>,
    pub email: Option<String>,
    /// Add them even though someone of the same name is stored: a second person of that name,
    /// on purpose. Without it a name already stored is refused, naming the person it fits.
    pub same_name: bool,
}

impl Service {
    /// Records a new person.
    pub async fn add_person(
        &self,
        input: &PersonInput,
        actor: &Actor,
        now: &str,
    ) -> Result<Person> {
        let new = self.new_person(input).await?;
        Ok(self.store.add_person(&new, &[], actor, now).await?.0)
    }

    /// Records a new person together with their first self-assessments: both are stored, or
    /// neither. The skills resolve without a role, since a newcomer holds none yet.
    pub async fn add_person_assessed(
        &self,
        input: &PersonInput,
        items: &[AssessmentInput],
        actor: &Actor,
        now: &str,
    ) -> Result<(Person, Vec<Assessment>)> {
        let new = self.new_person(input).await?;
        let role = match new.role {
            Some(id) => Some(self.role_by_id(id).await?),
            None => None,
        };
        let assessments = self
            .prepare_assessments(rolemap_core::PersonId(0), role.as_deref(), items, now)
            .await?;
        Ok(self
            .store
            .add_person(&new, &assessments, actor, now)
            .await?)
    }

    /// Checks and resolves what is needed to record a person, writing nothing.
    async fn new_person(&self, input: &PersonInput) -> Result<NewPerson> {
        check_name("name", &input.name)?;
        for (field, value) in [
            ("role", &input.role),
            ("grade", &input.grade),
            ("manager", &input.manager),
            ("team", &input.team),
        ] {
            if let Some(value) = value {
                check_name(field, value)?;
            }
        }
        let email = match &input.email {
            Some(email) => Some(
                crate::people_admin::check_email(email)
                    .map_err(|message| ServiceError::invalid("email", message))?,
            ),
            None => None,
        };
        if let Some(email) = &email
            && let Some(holder) = self.person_by_email(email).await?
        {
            return Err(ServiceError::invalid(
                "email",
                format!(
                    "{email} is already the email of {} ({})",
                    holder.name, holder.key
                ),
            ));
        }
        let name = input.name.trim();
        if name.is_empty() {
            return Err(ServiceError::invalid("name", "a person needs a name"));
        }
        if !input.same_name {
            let namesakes = self.namesakes(name).await?;
            if !namesakes.is_empty() {
                let keys: Vec<&str> = namesakes.iter().map(|p| p.key.as_str()).collect();
                return Err(ServiceError::invalid(
                    "name",
                    format!(
                        "{} is already stored, {} {}: use {} to mean them",
                        namesakes[0].name,
                        if keys.len() == 1 { "key" } else { "keys" },
                        keys.join(", "),
                        if keys.len() == 1 {
                            "that key"
                        } else {
                            "one of those keys"
                        }
                    ),
                ));
            }
        }
        let role = match &input.role {
            Some(role) => Some(self.role(role, None).await?),
            None => None,
        };
        let grade = match (&input.grade, &role) {
            (Some(grade), Some(role)) => Some(
                role.check_grade(grade)
                    .map_err(|message| ServiceError::invalid("grade", message))?,
            ),
            (Some(grade), None) => Some(grade.trim().to_owned()),
            (None, _) => None,
        };
        let manager = match &input.manager {
            Some(manager) => Some(self.person(manager).await?),
            None => None,
        };
        if let Some(manager) = &manager
            && manager.is_archived()
        {
            return Err(ServiceError::invalid(
                "manager",
                format!(
                    "{} is archived and cannot be anyone's manager",
                    manager.name
                ),
            ));
        }
        let team = input
            .team
            .clone()
            .or_else(|| manager.as_ref().map(|m| m.team.clone()))
            .unwrap_or_default();
        let key = self.free_person_key(name).await?;
        Ok(NewPerson {
            key,
            name: name.to_owned(),
            role: role.map(|r| r.id),
            grade,
            manager: manager.map(|m| m.id),
            team,
            email,
        })
    }

    /// The people stored under a name, compared without regard to case or surrounding spaces,
    /// by key.
    pub async fn namesakes(&self, name: &str) -> Result<Vec<Person>> {
        let wanted = name.trim().to_lowercase();
        let mut found: Vec<Person> = self
            .store
            .people()
            .await?
            .into_iter()
            .filter(|p| p.name.trim().to_lowercase() == wanted)
            .collect();
        found.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(found)
    }

    async fn free_person_key(&self, name: &str) -> Result<String> {
        let base = slug(name);
        let base = if base.is_empty() {
            "person".to_owned()
        } else {
            base
        };
        let taken: Vec<String> = self
            .store
            .people()
            .await?
            .into_iter()
            .map(|p| p.key)
            .collect();
        let mut key = base.clone();
        let mut n = 2;
        while taken.contains(&key) {
            key = format!("{base}-{n}");
            n += 1;
        }
        Ok(key)
    }

    /// Everyone active, in name order: archived people are left out of lists.
    pub async fn people(&self) -> Result<Vec<Person>> {
        Ok(self
            .people_index()
            .await?
            .people
            .iter()
            .filter(|p| !p.is_archived())
            .cloned()
            .collect())
    }

    /// Everyone stored, archived people included, in name order.
    pub async fn people_with_archived(&self) -> Result<Vec<Person>> {
        Ok(self.people_index().await?.people.clone())
    }

    /// Records one assessment. The level is checked against the skill's scale; a skill name that
    /// matches several skills is narrowed to those the person's role requires.
    #[allow(clippy::too_many_arguments)]
    pub async fn assess(
        &self,
        person: &str,
        skill: &str,
        level: &str,
        source: Source,
        note: &str,
        actor: &Actor,
        now: &str,
    ) -> Result<Assessment> {
        let item = AssessmentInput {
            skill: skill.to_owned(),
            level: level.to_owned(),
            source,
            note: note.to_owned(),
            recorded_by: None,
        };
        let mut stored = self
            .assess_many(person, std::slice::from_ref(&item), actor, now)
            .await?;
        stored
            .pop()
            .ok_or_else(|| ServiceError::Internal("assessment was not stored".to_owned()))
    }

    /// Records several assessments of one person together: all are stored, or none.
    pub async fn assess_many(
        &self,
        person: &str,
        items: &[AssessmentInput],
        actor: &Actor,
        now: &str,
    ) -> Result<Vec<Assessment>> {
        let person = self.person(person).await?;
        let role = match &person.role {
            Some(role) => Some(self.role_by_id(role.id).await?),
            None => None,
        };
        let new = self
            .prepare_assessments(person.id, role.as_deref(), items, now)
            .await?;
        let mut stored = self.store.add_assessments(&new, actor, now).await?;
        crate::labels::relabel_assessments(&self.qualifiers().await?, &mut stored);
        Ok(stored)
    }

    /// Resolves each item's skill (narrowed by the role where a name fits several) and checks its
    /// level against the skill's scale. Problems name the item's field.
    async fn prepare_assessments(
        &self,
        person: rolemap_core::PersonId,
        role: Option<&Role>,
        items: &[AssessmentInput],
        now: &str,
    ) -> Result<Vec<NewAssessment>> {
        let many = items.len() > 1;
        let field = |i: usize, name: &str| {
            if many {
                format!("assessments[{i}].{name}")
            } else {
                name.to_owned()
            }
        };
        for (i, item) in items.iter().enumerate() {
            check_name(&field(i, "skill"), &item.skill)?;
            check_name(&field(i, "level"), &item.level)?;
            check_note(&field(i, "note"), &item.note)?;
        }
        let mut new = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let skill_id = match self.resolve_skill(&item.skill, None, role).await {
                Ok(id) => id,
                Err(ServiceError::NotFound {
                    what,
                    name,
                    suggestions,
                }) if many => {
                    return Err(ServiceError::invalid(
                        field(i, "skill"),
                        ServiceError::NotFound {
                            what,
                            name,
                            suggestions,
                        },
                    ));
                }
                Err(e) => return Err(e),
            };
            let skill = self.store.skill(skill_id).await?;
            let level = skill
                .assessment_scale()
                .parse_held(&item.level)
                .map_err(|e| ServiceError::invalid(field(i, "level"), e))?;
            new.push(NewAssessment {
                person,
                skill: skill.id,
                level,
                source: item.source,
                at: now.to_owned(),
                note: item.note.clone(),
                recorded_by: item.recorded_by,
            });
        }
        if new.is_empty() {
            return Err(ServiceError::invalid("assessments", "no assessments given"));
        }
        Ok(new)
    }

    pub async fn person_detail(&self, name: &str) -> Result<PersonDetail> {
        let person = self.person(name).await?;
        let history = self.assessments_of(person.id).await?;
        let mut current: Vec<Held> = current_levels(&history).into_values().collect();
        current.sort_by(|a, b| {
            a.current
                .skill_label
                .to_lowercase()
                .cmp(&b.current.skill_label.to_lowercase())
        });
        Ok(PersonDetail {
            person,
            current,
            history,
        })
    }

    /// Resolves a person by id, key or name.
    /// Whether `person` reports to `manager`, directly or through others.
    /// Whether `person` reports to `manager`, directly or through others; false for the manager
    /// themselves. Asked by the permission check of nearly every request about a person, so it
    /// walks the manager chain in the people kept in memory (as fresh as the store's people
    /// generation) rather than asking the store each time.
    pub async fn manages(&self, manager: PersonId, person: PersonId) -> Result<bool> {
        let people = self.people_index().await?;
        let Some(start) = people.get(person) else {
            // Not among the people kept: the store answers (it knows nobody the index lacks).
            return Ok(self.store.manages(manager, person).await?);
        };
        let mut next = start.manager.as_ref().map(|(id, _)| *id);
        // A chain longer than everyone stored has gone round a loop.
        for _ in 0..=people.people.len() {
            let Some(id) = next else {
                return Ok(false);
            };
            if id == manager {
                return Ok(true);
            }
            next = people
                .get(id)
                .and_then(|p| p.manager.as_ref().map(|(id, _)| *id));
        }
        Ok(false)
    }

    /// Everyone below `manager`, directly or through others, in name order.
    pub async fn reports(&self, manager: PersonId) -> Result<Vec<Person>> {
        Ok(self.store.reports(manager).await?)
    }

    pub async fn person(&self, name: &str) -> Result<Person> {
        let id = self.resolve_person(name).await?;
        match self.people_index().await?.get(id) {
            Some(person) => Ok(person.clone()),
            None => Ok(self.store.person(id).await?),
        }
    }
}

/// A key from a name: lower case, words joined by '-'.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}
