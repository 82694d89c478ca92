//! People, their assessments, and which assessment counts as a person's current level.

use std::collections::BTreeMap;
use std::fmt;

use crate::id::{PersonId, SkillId};
use crate::level::Level;
use crate::mapping::MappingKind;
use crate::role::RoleSummary;

/// Who made an assessment. Order is trust: evidence outranks a manager, a manager outranks self.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    SelfAssessed,
    Manager,
    Evidence,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::SelfAssessed, Source::Manager, Source::Evidence];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::SelfAssessed => "self",
            Source::Manager => "manager",
            Source::Evidence => "evidence",
        }
    }

    pub fn parse(text: &str) -> Option<Source> {
        Source::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person as rolemap holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub key: String,
    pub name: String,
    pub role: Option<RoleSummary>,
    pub grade: Option<String>,
    pub manager: Option<(PersonId, String)>,
    pub team: String,
    /// Demo data, created only on request and marked as such everywhere it shows.
    pub demo: bool,
    /// Where to reach them; what an import matches them by when it gives no key.
    pub email: Option<String>,
    /// When they were archived (RFC 3339 UTC): they leave lists and team pages but keep their
    /// history. `None` while active.
    pub archived_at: Option<String>,
}

impl Person {
    pub fn is_archived(&self) -> bool {
        self.archived_at.is_some()
    }
}

/// One assessment: a level for a skill, by someone, at a time. Assessments are never changed or
/// deleted; a new one supersedes older ones from the same source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub id: i64,
    pub person: PersonId,
    pub skill: SkillId,
    pub skill_label: String,
    pub level: Level,
    pub source: Source,
    /// RFC 3339 UTC timestamp, `YYYY-MM-DDTHH:MM:SSZ`, so text order is time order.
    pub at: String,
    pub note: String,
    /// The display name of the signed-in user who recorded it; `None` for imports, the command
    /// line and what was stored before accounts.
    pub recorded_by: Option<String>,
}

impl Assessment {
    /// The calendar date part of the timestamp.
    pub fn date(&self) -> &str {
        self.at.get(..10).unwrap_or(&self.at)
    }
}

/// The level that counts for a skill now, and the latest view of every other source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub current: Assessment,
    /// The latest assessment from each other source, most trusted first.
    pub others: Vec<Assessment>,
    /// Set when the assessment is of another skill that an accepted mapping makes the same.
    pub via: Option<Via>,
}

/// How an assessment of one skill stands for another: an accepted exact or close mapping, and
/// where the two skills' scales differ, the level read on the required skill's scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Via {
    pub kind: MappingKind,
    /// The level as assessed, on the assessed skill's scale, when it was read on another.
    pub assessed: Option<Level>,
}

/// Current levels per skill. The most trusted source that has assessed a skill wins (evidence,
/// then manager, then self); within one source the latest assessment wins, ties going to the one
/// recorded last. That way a self-rating never silently overrides a manager's view.
pub fn current_levels(assessments: &[Assessment]) -> BTreeMap<SkillId, Held> {
    let mut latest: BTreeMap<(SkillId, Source), &Assessment> = BTreeMap::new();
    for assessment in assessments {
        let slot = latest
            .entry((assessment.skill, assessment.source))
            .or_insert(assessment);
        if (assessment.at.as_str(), assessment.id) >= (slot.at.as_str(), slot.id) {
            *slot = assessment;
        }
    }
    let mut held: BTreeMap<SkillId, Held> = BTreeMap::new();
    // Iterate from most trusted to least so the first seen per skill is current.
    for source in Source::ALL.into_iter().rev() {
        for ((skill, _), assessment) in latest.iter().filter(|((_, s), _)| *s == source) {
            match held.get_mut(skill) {
                Some(h) => h.others.push((*assessment).clone()),
                None => {
                    held.insert(
                        *skill,
                        Held {
                            current: (*assessment).clone(),
                            others: Vec::new(),
                            via: None,
                        },
                    );
                }
            }
        }
    }
    held
}

#[cfg(test)]
pub(crate) fn assessment(
    skill: i64,
    code: &str,
    rank: u8,
    source: Source,
    at: &str,
    id: i64,
) -> Assessment {
    Assessment {
        id,
        person: PersonId(1),
        skill: SkillId(skill),
        skill_label: format!("skill {skill}"),
        level: Level::from_parts(rank, code, code),
        source,
        at: at.to_owned(),
        note: String::new(),
        recorded_by: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manager_outranks_a_newer_self_assessment() {
        let list = vec![
            assessment(1, "W", 2, Source::Manager, "2026-01-01T00:00:00Z", 1),
            assessment(1, "E", 4, Source::SelfAssessed, "2026-06-01T00:00:00Z", 2),
        ];
        let held = current_levels(&list);
        let h = &held[&SkillId(1)];
        assert_eq!(h.current.level.code(), "W");
        assert_eq!(h.others.len(), 1);
        assert_eq!(h.others[0].source, Source::SelfAssessed);
    }

    #[test]
    fn latest_within_a_source_wins() {
        let list = vec![
            assessment(1, "P", 3, Source::SelfAssessed, "2026-06-01T00:00:00Z", 2),
            assessment(1, "A", 1, Source::SelfAssessed, "2026-01-01T00:00:00Z", 1),
        ];
        assert_eq!(current_levels(&list)[&SkillId(1)].current.level.code(), "P");
    }
}
