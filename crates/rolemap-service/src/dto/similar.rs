//! The JSON shapes of the roles most like one role, each with its score, components and why.

use serde::Serialize;
use utoipa::ToSchema;

use super::{RoleSummaryDto, rounded};

/// A skill a move to another role would mean gaining.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillToGainDto {
    pub skill: String,
    /// "essential" or "optional" in the other role.
    pub importance: &'static str,
}

/// A role like the origin, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeighbourDto {
    pub role: RoleSummaryDto,
    /// 0.8 × skills + 0.2 × text; where people have been seen moving on from the origin,
    /// 0.75 × that + 0.25 × moved. In [0, 1].
    pub score: f32,
    /// From the skills: 0.5 × cosine + 0.2 × jaccard + 0.3 × coverage.
    pub skills: f32,
    /// Cosine of the weighted skill vectors (essential 1.0, optional 0.5).
    pub cosine: f32,
    /// Shared skills over the skills of either.
    pub jaccard: f32,
    /// Share of this role's essential skills that the origin requires; where the framework sets
    /// levels, a skill whose level the origin reaches only in part counts in part.
    pub coverage: f32,
    /// Where both roles set levels for skills they share: how well the origin's highest levels
    /// meet this role's entry levels (1: all met; one scale step short of four costs 0.25).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub levels: Option<f32>,
    /// With the skills hierarchy (`hierarchy=true`): the cosine of the groups the two roles'
    /// skills sit under; it makes a tenth of `skills`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<f32>,
    /// For a role of another framework (`across=true`): the same-role link it came through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub through: Option<String>,
    /// Cosine of the roles' texts (TF-IDF of titles and description).
    pub text: f32,
    /// Of the people seen moving on from the origin, the share who moved to this role.
    pub moved: f32,
    /// How many people were seen moving from the origin to this role.
    pub moved_people: u64,
    /// "above", "same level", "below" or "level unknown": by grades on the ladder, else the
    /// stated level, else ISCO's skill level.
    pub level: &'static str,
    /// How the framework links the two roles, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Skills both require: what transfers.
    pub shared: Vec<String>,
    /// Skills this role requires and the origin does not, essential first.
    pub to_gain: Vec<SkillToGainDto>,
    /// Skills both require that this role asks at a higher level than the origin's top level
    /// (its entry level against the origin's highest), where the framework sets levels.
    pub raise: Vec<LevelRaiseDto>,
    /// On a progression map: the cheapest route from the origin to this role (at most 4
    /// steps; see `/api/v1/routes`), absent where none reaches. A step up costs least, so
    /// this is what the map's line weights show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<ReachDto>,
}

/// The cheapest route to a role: its cost and its number of steps.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReachDto {
    pub cost: f32,
    pub steps: u32,
}

/// A skill a step or a move to a similar role asks to raise: the level held (or the origin's top
/// level) and the level the role asks for at entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct LevelRaiseDto {
    pub skill: String,
    pub from: String,
    pub to: String,
}

impl From<&crate::LevelRaise> for LevelRaiseDto {
    fn from(l: &crate::LevelRaise) -> LevelRaiseDto {
        LevelRaiseDto {
            skill: l.skill.clone(),
            from: l.from.clone(),
            to: l.to.clone(),
        }
    }
}

/// The roles most like one role.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarDto {
    pub role: RoleSummaryDto,
    /// How the score is made.
    pub formula: String,
    pub neighbours: Vec<NeighbourDto>,
}

fn formula(s: &crate::SimilarRoles) -> String {
    let mut formula = String::from(
        "score = 0.8 × skills + 0.2 × text, or, where people have been seen moving on from this role, 0.75 × that + 0.25 × moved; skills = 0.5 × cosine + 0.2 × jaccard + 0.3 × coverage (essential 1.0, optional 0.5); where the framework sets levels, coverage counts a skill in part when the origin's highest level is below this role's entry level",
    );
    if s.hierarchy {
        formula.push_str(
            "; with the skills hierarchy, skills = 0.9 × that + 0.1 × groups, the cosine of the groups the roles' skills sit under",
        );
    }
    if s.across {
        formula.push_str(
            "; a role of another framework linked as the same kind of role scores 0.9, and the roles nearest it 0.9 × their score; a role of another framework that shares skills by label scores 0.8 × skills (text not compared)",
        );
    }
    formula
}

impl From<&crate::SimilarRoles> for SimilarDto {
    fn from(s: &crate::SimilarRoles) -> SimilarDto {
        SimilarDto {
            role: RoleSummaryDto::from(&s.role.summary_view()),
            formula: formula(s),
            neighbours: s
                .neighbours
                .iter()
                .map(|n| NeighbourDto {
                    role: RoleSummaryDto::from(&n.role.summary_view()),
                    score: rounded(n.score),
                    skills: rounded(n.skills),
                    cosine: rounded(n.cosine),
                    jaccard: rounded(n.jaccard),
                    coverage: rounded(n.coverage),
                    levels: n.levels.map(rounded),
                    groups: n.groups.map(rounded),
                    through: n.through.clone(),
                    text: rounded(n.text),
                    moved: rounded(n.moved),
                    moved_people: n.moved_people,
                    level: n.change.as_str(),
                    link: n.link.clone(),
                    shared: n.shared.clone(),
                    to_gain: n
                        .to_gain
                        .iter()
                        .map(|(skill, essential)| SkillToGainDto {
                            skill: skill.clone(),
                            importance: if *essential { "essential" } else { "optional" },
                        })
                        .collect(),
                    raise: n.raise.iter().map(LevelRaiseDto::from).collect(),
                    route: n.route.map(|r| ReachDto {
                        cost: rounded(r.cost),
                        steps: r.steps,
                    }),
                })
                .collect(),
        }
    }
}
