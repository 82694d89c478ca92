//! A generated organisation stored in one go: invented people in a management tree and their
//! assessment history, for demonstrations and benchmarks at scale (`rolemap demo --generate`).
//!
//! It takes the bulk path of each backend (SQLite's C API, PostgreSQL's COPY) in one
//! transaction, all or nothing. The generator hands over ids it has looked up and levels it has
//! read from each skill's scale, so rows are not checked one by one as an import's are; what is
//! checked here is what the rows point at inside the organisation itself ([`Organisation::check`]).
//! The whole load is one audit entry, not one per row: the people are demo data.

use rolemap_core::{RoleId, SkillId, Source};

use crate::{Change, Result, StoreError};

/// People and assessments to store together. Texts the assessments repeat (level codes and
/// times) are kept once and named by number, so five million assessments fit in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Organisation {
    /// Managers come before the people who report to them.
    pub people: Vec<OrgPerson>,
    pub levels: Vec<String>,
    pub times: Vec<String>,
    pub assessments: Vec<OrgAssessment>,
}

/// One person; `manager` is the position of an earlier person in [`Organisation::people`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPerson {
    pub key: String,
    pub name: String,
    pub role: RoleId,
    pub grade: String,
    pub manager: Option<u32>,
    pub team: String,
}

/// One assessment: `person` is a position in [`Organisation::people`], `level` and `at` positions
/// in [`Organisation::levels`] and [`Organisation::times`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgAssessment {
    pub person: u32,
    pub skill: SkillId,
    pub level: u16,
    pub source: Source,
    pub at: u32,
}

impl Organisation {
    /// Refuses an organisation whose rows point outside it: a manager who is not an earlier
    /// person (which also rules out cycles), an assessment of nobody, or a level or time that is
    /// not listed.
    pub fn check(&self) -> Result<()> {
        for (i, person) in self.people.iter().enumerate() {
            if person.manager.is_some_and(|m| m as usize >= i) {
                return Err(StoreError::Conflict(format!(
                    "person {} ('{}'): the manager must come before the people who report to them",
                    i + 1,
                    person.key
                )));
            }
        }
        for (i, a) in self.assessments.iter().enumerate() {
            if a.person as usize >= self.people.len()
                || usize::from(a.level) >= self.levels.len()
                || a.at as usize >= self.times.len()
            {
                return Err(StoreError::Conflict(format!(
                    "assessment {}: its person, level or time is not in the organisation",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    /// The level code and time of an assessment ([`Organisation::check`] keeps them in range).
    pub(crate) fn texts(&self, a: &OrgAssessment) -> (&str, &str) {
        let level = self
            .levels
            .get(usize::from(a.level))
            .map_or("", String::as_str);
        let at = self.times.get(a.at as usize).map_or("", String::as_str);
        (level, at)
    }

    /// The one audit entry of a load.
    pub(crate) fn change(&self) -> Change {
        Change {
            action: "people.generate",
            subject: "organisation".to_owned(),
            person: None,
            before: None,
            after: Some(serde_json::json!({
                "people": self.people.len(),
                "assessments": self.assessments.len(),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{OrgAssessment, OrgPerson, Organisation};
    use rolemap_core::{RoleId, SkillId, Source};

    fn org(manager: Option<u32>, level: u16) -> Organisation {
        let person = |key: &str, manager| OrgPerson {
            key: key.to_owned(),
            name: key.to_owned(),
            role: RoleId(1),
            grade: "EO".to_owned(),
            manager,
            team: "T".to_owned(),
        };
        Organisation {
            people: vec![person("a", None), person("b", manager)],
            levels: vec!["A".to_owned()],
            times: vec!["2026-01-01T00:00:00Z".to_owned()],
            assessments: vec![OrgAssessment {
                person: 1,
                skill: SkillId(1),
                level,
                source: Source::Manager,
                at: 0,
            }],
        }
    }

    #[test]
    fn rows_pointing_outside_the_organisation_are_refused() {
        assert!(org(Some(0), 0).check().is_ok());
        assert!(org(Some(1), 0).check().is_err(), "own manager");
        assert!(org(Some(5), 0).check().is_err(), "later manager");
        assert!(org(None, 1).check().is_err(), "unlisted level");
    }
}
