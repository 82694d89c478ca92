//! Keeping people: editing a person's fields (a move is an edit of the manager), archiving and
//! bringing back, and the named teams people are in. The checks are those of `person add`:
//! names within limits, a role and grade that exist, a manager who is stored; and, as a move
//! must, a manager who is not below the person, nor the person, nor archived. Every problem is
//! reported with the field it is in, before anything is written.

use rolemap_core::Person;
use rolemap_store::{Actor, PersonFields};

use crate::fields::check_name;
use crate::{Result, Service, ServiceError};

/// The longest email address (RFC 5321's path limit).
const EMAIL_MAX: usize = 254;

/// What an edit changes, as a JSON merge patch gives it: a field left out keeps its value,
/// `Some(None)` clears it (the team to none, the manager to nobody).
#[derive(Debug, Clone, Default)]
pub struct PersonPatch {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub role: Option<Option<String>>,
    pub grade: Option<Option<String>>,
    pub manager: Option<Option<String>>,
    pub team: Option<Option<String>>,
}

/// A named team and its active members, in name order.
#[derive(Debug, Clone)]
pub struct NamedTeam {
    pub name: String,
    pub members: Vec<Person>,
}

/// An email address as stored (trimmed), or what is wrong with it.
pub(crate) fn check_email(text: &str) -> std::result::Result<String, String> {
    let email = text.trim();
    if email.chars().count() > EMAIL_MAX {
        return Err(format!("must be at most {EMAIL_MAX} characters"));
    }
    let well_formed = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if well_formed {
        Ok(email.to_owned())
    } else {
        Err(format!(
            "'{email}' is not an email address: write it as name@example.org"
        ))
    }
}

/// One field's value as typed: blank means none.
fn typed(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Service {
    /// The stored person with this email address (case aside), archived or not.
    pub(crate) async fn person_by_email(&self, email: &str) -> Result<Option<Person>> {
        let wanted = email.trim().to_lowercase();
        Ok(self
            .people_index()
            .await?
            .people
            .iter()
            .find(|p| p.email.as_deref().map(str::to_lowercase) == Some(wanted.clone()))
            .cloned())
    }

    /// Edits a person: the fields `patch` gives change, the others stay. Problems name their
    /// field; a manager below the person, the person themselves, or archived is refused, so
    /// the reporting lines stay a tree.
    pub async fn edit_person(
        &self,
        typed_person: &str,
        patch: &PersonPatch,
        actor: &Actor,
        now: &str,
    ) -> Result<Person> {
        let person = self.person(typed_person).await?;
        let fields = self.patched_fields(&person, patch).await?;
        Ok(self
            .store
            .update_person(person.id, &fields, actor, now)
            .await?)
    }

    /// A person's fields with `patch` applied, every reference resolved and checked.
    async fn patched_fields(&self, person: &Person, patch: &PersonPatch) -> Result<PersonFields> {
        let name = match &patch.name {
            Some(name) => {
                check_name("name", name)?;
                let name = name.trim();
                if name.is_empty() {
                    return Err(ServiceError::invalid("name", "a person needs a name"));
                }
                name.to_owned()
            }
            None => person.name.clone(),
        };
        let email = match &patch.email {
            Some(value) => match typed(value) {
                Some(text) => {
                    let email = check_email(text).map_err(|m| ServiceError::invalid("email", m))?;
                    if let Some(holder) = self.person_by_email(&email).await?
                        && holder.id != person.id
                    {
                        return Err(ServiceError::invalid(
                            "email",
                            format!(
                                "{email} is already the email of {} ({})",
                                holder.name, holder.key
                            ),
                        ));
                    }
                    Some(email)
                }
                None => None,
            },
            None => person.email.clone(),
        };
        let role = match &patch.role {
            Some(value) => match typed(value) {
                Some(text) => {
                    check_name("role", text)?;
                    Some(self.referenced_role(text).await?)
                }
                None => None,
            },
            None => match &person.role {
                Some(summary) => Some(rolemap_core::Role::clone(
                    &*self.role_by_id(summary.id).await?,
                )),
                None => None,
            },
        };
        let grade_text = match &patch.grade {
            Some(value) => typed(value).map(str::to_owned),
            None => person.grade.clone(),
        };
        // A grade stored before is not judged again while neither it nor the role changes:
        // an edit of someone's email must not fail on what an older import let in.
        let unchanged = grade_text == person.grade
            && role.as_ref().map(|r| r.id) == person.role.as_ref().map(|r| r.id);
        let grade = match (grade_text, &role) {
            (grade, _) if unchanged => grade,
            (Some(grade), Some(role)) => {
                check_name("grade", &grade)?;
                Some(
                    role.check_grade(&grade)
                        .map_err(|message| ServiceError::invalid("grade", message))?,
                )
            }
            (Some(grade), None) => {
                check_name("grade", &grade)?;
                Some(grade.trim().to_owned())
            }
            (None, _) => None,
        };
        let manager = match &patch.manager {
            Some(value) => match typed(value) {
                Some(text) => {
                    check_name("manager", text)?;
                    let manager = self.referenced_person("manager", text).await?;
                    self.check_move(person, &manager).await?;
                    Some(manager.id)
                }
                None => None,
            },
            None => person.manager.as_ref().map(|(id, _)| *id),
        };
        let team = match &patch.team {
            Some(value) => match typed(value) {
                Some(text) => {
                    check_name("team", text)?;
                    text.to_owned()
                }
                None => String::new(),
            },
            None => person.team.clone(),
        };
        Ok(PersonFields {
            name,
            email,
            role: role.map(|r| r.id),
            grade,
            manager,
            team,
        })
    }

    /// A role named in a field: an unknown or ambiguous name is a problem with the field.
    async fn referenced_role(&self, text: &str) -> Result<rolemap_core::Role> {
        match self.role(text, None).await {
            Ok(role) => Ok(role),
            Err(e @ (ServiceError::NotFound { .. } | ServiceError::Ambiguous { .. })) => {
                Err(ServiceError::invalid("role", e))
            }
            Err(e) => Err(e),
        }
    }

    /// A person named in a field: an unknown or ambiguous name is a problem with the field.
    pub(crate) async fn referenced_person(&self, field: &str, text: &str) -> Result<Person> {
        match self.person(text).await {
            Ok(person) => Ok(person),
            Err(e @ (ServiceError::NotFound { .. } | ServiceError::Ambiguous { .. })) => {
                Err(ServiceError::invalid(field, e))
            }
            Err(e) => Err(e),
        }
    }

    /// Refuses a manager who would break the tree of reporting lines.
    async fn check_move(&self, person: &Person, manager: &Person) -> Result<()> {
        if manager.id == person.id {
            return Err(ServiceError::invalid(
                "manager",
                "a person cannot manage themselves",
            ));
        }
        if manager.is_archived() {
            return Err(ServiceError::invalid(
                "manager",
                format!(
                    "{} is archived and cannot be anyone's manager",
                    manager.name
                ),
            ));
        }
        if self.store.manages(person.id, manager.id).await? {
            return Err(ServiceError::invalid(
                "manager",
                format!(
                    "{} reports to {}, directly or through others, so cannot be {}'s manager: \
                     that would make a loop",
                    manager.name, person.name, person.name
                ),
            ));
        }
        Ok(())
    }

    /// Archives a person (`archived`) or brings them back. Archived people leave lists, team
    /// pages and team matrices but keep their history and their page. Someone who still
    /// manages active people is not archived: they are moved first.
    pub async fn set_archived(
        &self,
        typed_person: &str,
        archived: bool,
        actor: &Actor,
        now: &str,
    ) -> Result<Person> {
        let person = self.person(typed_person).await?;
        Ok(self
            .store
            .set_archived(person.id, archived, actor, now)
            .await?)
    }

    /// The named teams, each with its active members, by name; people in no team are left out.
    pub async fn named_teams(&self) -> Result<Vec<NamedTeam>> {
        let mut teams: std::collections::BTreeMap<String, NamedTeam> =
            std::collections::BTreeMap::new();
        for person in self.people().await? {
            if person.team.trim().is_empty() {
                continue;
            }
            teams
                .entry(person.team.to_lowercase())
                .or_insert_with(|| NamedTeam {
                    name: person.team.clone(),
                    members: Vec::new(),
                })
                .members
                .push(person);
        }
        Ok(teams.into_values().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_checked_for_shape() {
        assert_eq!(
            check_email(" ann@example.org ").ok().as_deref(),
            Some("ann@example.org")
        );
        for bad in [
            "ann",
            "@example.org",
            "ann@",
            "ann@@x.org",
            "a nn@x.org",
            "ann@.org",
        ] {
            assert!(check_email(bad).is_err(), "{bad} was accepted");
        }
    }
}
