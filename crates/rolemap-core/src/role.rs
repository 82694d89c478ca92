//! Skills, roles and their requirements, as stored and as analyses read them.

use std::fmt;

use crate::framework::{GradeLadder, JobFamily};
use crate::id::{RoleId, SkillId};
use crate::level::{Level, Scale};

/// What sort of thing a skill is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkillKind {
    Knowledge,
    Skill,
    Behaviour,
    Capability,
}

impl SkillKind {
    pub const ALL: [SkillKind; 4] = [
        SkillKind::Knowledge,
        SkillKind::Skill,
        SkillKind::Behaviour,
        SkillKind::Capability,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SkillKind::Knowledge => "knowledge",
            SkillKind::Skill => "skill",
            SkillKind::Behaviour => "behaviour",
            SkillKind::Capability => "capability",
        }
    }

    pub fn parse(text: &str) -> Option<SkillKind> {
        SkillKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// ESCO's reuse level: how widely a skill applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReuseLevel {
    Transversal,
    CrossSector,
    SectorSpecific,
    OccupationSpecific,
}

impl ReuseLevel {
    pub const ALL: [ReuseLevel; 4] = [
        ReuseLevel::Transversal,
        ReuseLevel::CrossSector,
        ReuseLevel::SectorSpecific,
        ReuseLevel::OccupationSpecific,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReuseLevel::Transversal => "transversal",
            ReuseLevel::CrossSector => "cross-sector",
            ReuseLevel::SectorSpecific => "sector-specific",
            ReuseLevel::OccupationSpecific => "occupation-specific",
        }
    }

    pub fn parse(text: &str) -> Option<ReuseLevel> {
        ReuseLevel::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// A skill as stored: the full record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skill {
    pub id: SkillId,
    pub framework_key: String,
    pub key: String,
    pub label: String,
    pub alt_labels: Vec<String>,
    pub description: String,
    pub kind: SkillKind,
    pub reuse: Option<ReuseLevel>,
    pub tags: Vec<String>,
    /// The scale it is assessed on; `None` means the framework publishes no levels for it.
    pub scale: Option<Scale>,
}

impl Skill {
    /// The scale assessments of this skill use: its own, or "held or not".
    pub fn assessment_scale(&self) -> Scale {
        self.scale.clone().unwrap_or_else(Scale::presence)
    }

    pub fn as_ref(&self) -> SkillRef {
        SkillRef {
            id: self.id,
            key: self.key.clone(),
            label: self.label.clone(),
            kind: self.kind,
            reuse: self.reuse,
            tags: self.tags.clone(),
            description: self.description.clone(),
            scale: self.scale.clone(),
        }
    }
}

/// What a requirement or an assessment needs to know about a skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillRef {
    pub id: SkillId,
    pub key: String,
    pub label: String,
    pub kind: SkillKind,
    pub reuse: Option<ReuseLevel>,
    pub tags: Vec<String>,
    pub description: String,
    pub scale: Option<Scale>,
}

/// Whether a role cannot do without a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Importance {
    Essential,
    Optional,
}

impl Importance {
    pub fn as_str(self) -> &'static str {
        match self {
            Importance::Essential => "essential",
            Importance::Optional => "optional",
        }
    }

    pub fn parse(text: &str) -> Option<Importance> {
        match text.trim().to_ascii_lowercase().as_str() {
            "essential" => Some(Importance::Essential),
            "optional" | "desirable" => Some(Importance::Optional),
            _ => None,
        }
    }

    /// How much a requirement counts in readiness and similarity.
    pub fn weight(self) -> f64 {
        match self {
            Importance::Essential => 1.0,
            Importance::Optional => 0.5,
        }
    }
}

/// The minimum level a role sets for a skill at one grade. A blank cell in a published table is
/// `NotSpecified`: rolemap never invents a level the source does not give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequiredLevel {
    Specified(Level),
    NotSpecified,
}

impl RequiredLevel {
    pub fn level(&self) -> Option<&Level> {
        match self {
            RequiredLevel::Specified(level) => Some(level),
            RequiredLevel::NotSpecified => None,
        }
    }
}

/// A role's need for one skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub skill: SkillRef,
    pub importance: Importance,
    /// Singled out by the source as of specific note for this role.
    pub emphasis: bool,
    /// Minimum level per grade, in ladder order. Empty for roles without grades.
    pub levels: Vec<(String, RequiredLevel)>,
    /// The minimum level for roles without grades, where the source gives one.
    pub level: RequiredLevel,
    pub note: String,
}

impl Requirement {
    /// The minimum level at a grade; for a role without grades, its single level.
    pub fn required_at(&self, grade: Option<&str>) -> RequiredLevel {
        match grade {
            Some(grade) if !self.levels.is_empty() => self
                .levels
                .iter()
                .find(|(g, _)| g.eq_ignore_ascii_case(grade))
                .map(|(_, level)| level.clone())
                .unwrap_or(RequiredLevel::NotSpecified),
            _ => self.level.clone(),
        }
    }
}

/// A code the role carries in some scheme: ESCO `1330.5`, ISCO `1330`, standard reference `OCC0385`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub scheme: String,
    pub value: String,
}

/// A numbered duty statement of an occupational standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duty {
    pub number: u32,
    pub text: String,
    /// What sort of duty the source says it is (O*NET's task types `core` and `supplemental`);
    /// empty where the source does not say.
    pub category: String,
}

/// A descriptive dimension of a role ("Scope of responsibility", "Budget authority", ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub key: String,
    pub name: String,
    pub text: String,
}

/// The full role record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub id: RoleId,
    pub framework_key: String,
    pub framework_name: String,
    pub attribution: String,
    pub key: String,
    pub title: String,
    pub alt_titles: Vec<String>,
    pub typical_titles: Vec<String>,
    pub summary: String,
    pub description: String,
    pub family: Option<JobFamily>,
    /// A qualification or occupational level (5 for the operations manager standard).
    pub level: Option<u8>,
    pub ladder: Option<GradeLadder>,
    /// The grades the role is found at, in ladder order.
    pub grades: Vec<String>,
    pub codes: Vec<Code>,
    pub duties: Vec<Duty>,
    pub responsibilities: Vec<String>,
    pub routes_in: String,
    pub transferable_skills: String,
    pub typical_employers: String,
    pub duration: String,
    pub dimensions: Vec<Dimension>,
    pub requirements: Vec<Requirement>,
    pub links: Vec<RoleLink>,
}

impl Role {
    /// The requirement for a skill, if the role has one.
    pub fn requirement(&self, skill: crate::id::SkillId) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.skill.id == skill)
    }

    /// The grade a person is measured at when none is asked: their own if the role has it, else
    /// the role's lowest, else none (a role without grades). The gap and the team matrix both
    /// take it, so a person's readiness is one figure wherever it is shown.
    pub fn default_grade(&self, own: Option<&str>) -> Option<String> {
        own.and_then(|g| self.check_grade(g).ok())
            .or_else(|| self.grades.first().cloned())
    }

    /// Checks a grade against the role's grades and returns its canonical spelling.
    pub fn check_grade(&self, grade: &str) -> Result<String, String> {
        self.grades
            .iter()
            .find(|g| g.eq_ignore_ascii_case(grade.trim()))
            .cloned()
            .ok_or_else(|| {
                if self.grades.is_empty() {
                    format!("role '{}' has no grades", self.title)
                } else {
                    format!(
                        "role '{}' has no grade '{}'; its grades are {}",
                        self.title,
                        grade,
                        self.grades.join(", ")
                    )
                }
            })
    }

    /// The requirements grouped as ESCO presents an occupation: essential knowledge, essential
    /// skills, optional knowledge, optional skills; within each, by reuse level from the most
    /// specific to the most transferable; alphabetical within. Empty groups and buckets are left
    /// out.
    pub fn requirement_groups(&self) -> Vec<RequirementGroup<'_>> {
        const GROUPS: [(Importance, bool, &str); 4] = [
            (Importance::Essential, true, "Essential knowledge"),
            (
                Importance::Essential,
                false,
                "Essential skills and competences",
            ),
            (Importance::Optional, true, "Optional knowledge"),
            (
                Importance::Optional,
                false,
                "Optional skills and competences",
            ),
        ];
        const REUSE_ORDER: [Option<ReuseLevel>; 5] = [
            Some(ReuseLevel::OccupationSpecific),
            Some(ReuseLevel::SectorSpecific),
            Some(ReuseLevel::CrossSector),
            Some(ReuseLevel::Transversal),
            None,
        ];
        GROUPS
            .into_iter()
            .filter_map(|(importance, knowledge, title)| {
                let in_group: Vec<&Requirement> = self
                    .requirements
                    .iter()
                    .filter(|r| {
                        r.importance == importance
                            && (r.skill.kind == SkillKind::Knowledge) == knowledge
                    })
                    .collect();
                let buckets: Vec<(Option<ReuseLevel>, Vec<&Requirement>)> = REUSE_ORDER
                    .into_iter()
                    .map(|reuse| {
                        let mut bucket: Vec<&Requirement> = in_group
                            .iter()
                            .copied()
                            .filter(|r| r.skill.reuse == reuse)
                            .collect();
                        // Alphabetical within a bucket, as ESCO lists them.
                        bucket.sort_by_cached_key(|r| (r.skill.label.to_lowercase(), r.skill.id));
                        (reuse, bucket)
                    })
                    .filter(|(_, bucket)| !bucket.is_empty())
                    .collect();
                (!in_group.is_empty()).then_some(RequirementGroup {
                    title,
                    count: in_group.len(),
                    buckets,
                })
            })
            .collect()
    }

    pub fn summary_view(&self) -> RoleSummary {
        RoleSummary {
            id: self.id,
            framework_key: self.framework_key.clone(),
            framework_version: None,
            key: self.key.clone(),
            title: self.title.clone(),
            family: self.family.as_ref().map(|f| f.name.clone()),
            level: self.level,
            grades: self.grades.clone(),
        }
    }
}

/// One of the four groups of [`Role::requirement_groups`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementGroup<'a> {
    pub title: &'static str,
    pub count: usize,
    /// Reuse level (`None`: not given) and the requirements at it, most specific first.
    pub buckets: Vec<(Option<ReuseLevel>, Vec<&'a Requirement>)>,
}

/// A role as listings show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSummary {
    pub id: RoleId,
    pub framework_key: String,
    /// The framework version the role belongs to, where the listing read it (`None`: not read).
    pub framework_version: Option<String>,
    pub key: String,
    pub title: String,
    pub family: Option<String>,
    pub level: Option<u8>,
    pub grades: Vec<String>,
}

/// How two roles are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkKind {
    /// A published route: people in `from` move on to `to`.
    Route,
    /// The same kind of role in another framework.
    Equivalent,
    /// Related, without a direction or a claim of sameness.
    Related,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Route => "route",
            LinkKind::Equivalent => "equivalent",
            LinkKind::Related => "related",
        }
    }

    pub fn parse(text: &str) -> Option<LinkKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "route" => Some(LinkKind::Route),
            "equivalent" | "same" => Some(LinkKind::Equivalent),
            "related" => Some(LinkKind::Related),
            _ => None,
        }
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A link seen from one role: the other end, which way it points, and why it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleLink {
    pub kind: LinkKind,
    /// True when this role is the `to` end (a route in).
    pub incoming: bool,
    pub other: RoleSummary,
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::fixture::*;

    #[test]
    fn ungraded_requirements_group_as_esco_shows_them() {
        let mut role = role(5, "ICT operations manager", &[], Vec::new());
        let mut req =
            |id: i64, importance: Importance, kind: SkillKind, reuse: Option<ReuseLevel>| {
                let mut r = requirement(id, &format!("s{id}"), importance, "");
                r.skill.kind = kind;
                r.skill.reuse = reuse;
                role.requirements.push(r);
            };
        req(
            1,
            Importance::Essential,
            SkillKind::Skill,
            Some(ReuseLevel::CrossSector),
        );
        req(
            2,
            Importance::Essential,
            SkillKind::Skill,
            Some(ReuseLevel::SectorSpecific),
        );
        req(3, Importance::Optional, SkillKind::Knowledge, None);
        req(
            4,
            Importance::Essential,
            SkillKind::Knowledge,
            Some(ReuseLevel::SectorSpecific),
        );
        let groups = role.requirement_groups();
        type Shape<'a> = Vec<(&'a str, Vec<(Option<ReuseLevel>, Vec<&'a str>)>)>;
        let shape: Shape = groups
            .iter()
            .map(|g| {
                let buckets = g
                    .buckets
                    .iter()
                    .map(|(reuse, list)| {
                        (
                            *reuse,
                            list.iter().map(|r| r.skill.label.as_str()).collect(),
                        )
                    })
                    .collect();
                (g.title, buckets)
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (
                    "Essential knowledge",
                    vec![(Some(ReuseLevel::SectorSpecific), vec!["s4"])]
                ),
                (
                    "Essential skills and competences",
                    vec![
                        (Some(ReuseLevel::SectorSpecific), vec!["s2"]),
                        (Some(ReuseLevel::CrossSector), vec!["s1"])
                    ]
                ),
                ("Optional knowledge", vec![(None, vec!["s3"])]),
            ]
        );
    }
}
