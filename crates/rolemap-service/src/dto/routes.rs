//! The JSON shapes of routes from one role to another: each step, its cost and why it is there.

use serde::Serialize;
use utoipa::ToSchema;

use super::{LevelRaiseDto, PersonDto, RoleSummaryDto, SkillToGainDto, rounded};

/// A skill a step's role requires that is not met on the way but shares its name with a skill
/// that is (held by the person, or required by a role before): another skill of that name.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamesakeDto {
    /// The required skill's label and kind ("skill", "capability", ...).
    pub skill: String,
    pub kind: &'static str,
    /// "essential" or "optional".
    pub importance: &'static str,
    /// The kind of the skill of that name met on the way.
    pub met_kind: &'static str,
    /// With a person: the level they hold in the skill of that name, by code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met_level: Option<String>,
}

/// One step of a route, and why it is feasible.
#[derive(Debug, Serialize, ToSchema)]
pub struct RouteStepDto {
    pub role: RoleSummaryDto,
    /// The step's score: the similarity of this role to the one before, at least 0.8 along a
    /// route the framework names, 0.9 to the same kind of role, 0.5 to a related one.
    pub similarity: f32,
    /// With a person: their readiness for this role, 0 to 100 with one decimal, the figure their
    /// gap report for the role gives; absent without a person, or for a role that lists no
    /// skill requirements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness: Option<f64>,
    /// "above", "same level", "below" or "level unknown", against the role before.
    pub level: &'static str,
    /// Why the step is there, in its numbers: the skills in common with the role before, how
    /// alike their texts are, a link the framework names, why a step down is shown.
    pub via: Vec<String>,
    /// This role's skills already met on the way (the start role's, or the person's).
    pub shared: Vec<String>,
    /// This role's skills not yet met on the way, essential first; a skill named as one met is
    /// under `namesakes` instead.
    pub to_gain: Vec<SkillToGainDto>,
    /// This role's skills not met on the way that share their names with skills met.
    pub namesakes: Vec<NamesakeDto>,
    /// Skills met on the way at a lower level than this role asks for at entry.
    pub raise: Vec<LevelRaiseDto>,
    /// What the step adds to the route's cost.
    pub cost: f32,
}

/// One route: the steps after the start.
#[derive(Debug, Serialize, ToSchema)]
pub struct RouteDto {
    pub cost: f32,
    pub steps: Vec<RouteStepDto>,
}

/// The role nearest the destination that a route question can reach, when no route arrives.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosestDto {
    pub role: RoleSummaryDto,
    /// Its score as one of the destination's nearest roles.
    pub similarity: f32,
    /// The fewest steps it takes to reach it.
    pub steps: u32,
}

/// The best routes from one role to another.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoutesDto {
    pub from: RoleSummaryDto,
    pub to: RoleSummaryDto,
    /// With a person: whose skills weighed the steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonDto>,
    pub max_steps: usize,
    pub min_similarity: f32,
    /// How a step's cost is made.
    pub formula: &'static str,
    /// Cheapest first; empty when no route arrives within the limits.
    pub routes: Vec<RouteDto>,
    /// When there is no route: how many roles can be reached at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reachable: Option<usize>,
    /// When there is no route: the reachable role nearest the destination, if any is among its
    /// nearest roles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closest: Option<ClosestDto>,
}

pub const ROUTE_FORMULA: &str = "step cost = (1 - score) + 0.2 per step + 0 up, 0.1 sideways, 0.15 level unknown, 0.6 down; score = the similarity of the two roles (at least 0.8 along a named route, 0.9 to the same kind of role, 0.5 to a related one), or with a person 0.5 × that + 0.5 × their readiness for the role (the gap report's figure, as a share); routes that never step down come first";

fn gains(to_gain: &[(String, bool)]) -> Vec<SkillToGainDto> {
    to_gain
        .iter()
        .map(|(skill, essential)| SkillToGainDto {
            skill: skill.clone(),
            importance: if *essential { "essential" } else { "optional" },
        })
        .collect()
}

impl From<&crate::Routes> for RoutesDto {
    fn from(r: &crate::Routes) -> RoutesDto {
        RoutesDto {
            from: RoleSummaryDto::from(&r.from.summary_view()),
            to: RoleSummaryDto::from(&r.to.summary_view()),
            person: r.person.as_ref().map(PersonDto::from),
            max_steps: r.max_steps,
            min_similarity: r.min_similarity,
            formula: ROUTE_FORMULA,
            routes: r
                .routes
                .iter()
                .map(|route| RouteDto {
                    cost: rounded(route.cost),
                    steps: route
                        .steps
                        .iter()
                        .map(|s| RouteStepDto {
                            role: RoleSummaryDto::from(&s.role.summary_view()),
                            similarity: rounded(s.similarity),
                            readiness: s.readiness,
                            level: s.change.as_str(),
                            via: s.via.clone(),
                            shared: s.shared.clone(),
                            to_gain: gains(&s.to_gain),
                            namesakes: s
                                .namesakes
                                .iter()
                                .map(|n| NamesakeDto {
                                    skill: n.skill.clone(),
                                    kind: n.kind,
                                    importance: if n.essential { "essential" } else { "optional" },
                                    met_kind: n.met_kind,
                                    met_level: n.met_level.clone(),
                                })
                                .collect(),
                            raise: s.raise.iter().map(LevelRaiseDto::from).collect(),
                            cost: rounded(s.cost),
                        })
                        .collect(),
                })
                .collect(),
            reachable: r.routes.is_empty().then_some(r.reachable),
            closest: r.closest.as_ref().map(|c| ClosestDto {
                role: RoleSummaryDto::from(&c.role.summary_view()),
                similarity: rounded(c.similarity),
                steps: c.steps,
            }),
        }
    }
}
