//! Routes from role to role: "how do I get from here to there?". The roles of the frameworks of
//! both ends form a graph: each role steps to its nearest roles (the kept neighbour lists) whose
//! score reaches the minimum similarity, and along every link a framework names (a route on, the
//! same kind of role, a related role), whatever the score. The `k` cheapest routes of at most
//! `max_steps` steps come back (see [`rolemap_similarity::routes`]), each step explained.
//!
//! A step from `a` to `b` costs, in thousandths:
//!
//! * `1000 × (1 − s)`, where `s` is the step's score: the similarity of `b` to `a` (at least
//!   0.8 along a named route, 0.9 to the same kind of role, 0.5 to a related one). With a person,
//!   `s = 0.5 × similarity + 0.5 × readiness`, their readiness for `b` being the figure their gap
//!   report for `b` gives (`rolemap_core::gap`, at the grade the gap would take), 0 for a role
//!   that lists no skill requirements;
//! * `+ 200` for every step, so that shorter routes win among equals;
//! * `+ 0` for a step up, `+ 100` sideways, `+ 150` when the levels cannot be compared, and
//!   `+ 600` for a step down.
//!
//! Routes that never step down come first, cheapest first, whatever their cost; routes with a
//! step down follow (a step down to a front-line role is rarely the way up, however alike the
//! roles), and such a step says why it is shown. A step's reasons are its numbers: how many of
//! the role's skills the role before requires, how alike their texts are, the link a framework
//! names; a required skill that shares its name with one met on the way (ODP's core skill and
//! SCS capability "Data and insight") is not a skill to gain but a namesake, said apart.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rolemap_core::seniority::{Band, Change};
use rolemap_core::{LinkKind, Person, Role, RoleId, SkillId};
use rolemap_similarity::routes::Graph;

use crate::similar::{LevelRaise, entry_level, explain, link_between, top_level};
use crate::{Result, Service, ServiceError};

mod explain;
mod space;

/// Defaults and limits of a route question.
pub const DEFAULT_MAX_STEPS: usize = 4;
pub const MAX_STEPS: usize = 8;
pub const DEFAULT_K: usize = 3;
pub const MAX_K: usize = 20;
/// Scores run low across a taxonomy as large as ESCO (a typical near neighbour scores 0.15-0.4),
/// high within a small framework's family.
pub const DEFAULT_MIN_SIMILARITY: f32 = 0.15;

/// Cost of every step, and of each kind of level change (thousandths).
const STEP_COST: u32 = 200;
fn change_cost(change: Change) -> u32 {
    match change {
        Change::Up => 0,
        Change::Same => 100,
        Change::Unknown => 150,
        Change::Down => 600,
    }
}

/// The least score of a step along a link a framework names.
fn link_floor(kind: LinkKind) -> f32 {
    match kind {
        LinkKind::Route => 0.8,
        LinkKind::Equivalent => 0.9,
        LinkKind::Related => 0.5,
    }
}

/// A route question.
#[derive(Debug, Clone)]
pub struct RouteInput<'a> {
    /// The role to start from; with a person, their current role when not given.
    pub from: Option<&'a str>,
    /// A person: start from their role and weigh steps by their assessed skills.
    pub person: Option<&'a str>,
    pub to: &'a str,
    /// Where role names are looked up first.
    pub framework: Option<&'a str>,
    pub max_steps: usize,
    pub min_similarity: f32,
    pub k: usize,
}

/// A skill a step's role requires, not met on the way, whose name is that of a skill that is
/// (held by the person, or required by a role before): another skill of the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namesake {
    /// The required skill: its label and kind.
    pub skill: String,
    pub kind: &'static str,
    pub essential: bool,
    /// The skill of that name met on the way: its kind, and (with a person) the level held.
    pub met_kind: &'static str,
    pub met_level: Option<String>,
}

/// One step of a route.
#[derive(Debug, Clone)]
pub struct RouteStep {
    pub role: Arc<Role>,
    /// The step's score (see the module's formula); with a person, before readiness is blended.
    pub similarity: f32,
    /// With a person: their readiness for this role, 0 to 100 as their gap report gives it;
    /// `None` without a person, or for a role that lists no skill requirements.
    pub readiness: Option<f64>,
    pub change: Change,
    /// Why the step is there: the similarity of the two roles, and any link a framework names.
    pub via: Vec<String>,
    /// This role's skills already required (or, with a person, held) on the way here.
    pub shared: Vec<String>,
    /// This role's skills not met on the way: (label, essential?), essential first; namesakes
    /// of skills met are not among them.
    pub to_gain: Vec<(String, bool)>,
    /// This role's skills not met on the way whose names are those of skills met.
    pub namesakes: Vec<Namesake>,
    /// Skills met on the way at a lower level than this role's entry level.
    pub raise: Vec<LevelRaise>,
    /// What this step adds to the route's cost (1 = one unit; see the module's formula).
    pub cost: f32,
}

/// One route: its steps, the start excluded.
#[derive(Debug, Clone)]
pub struct FoundRoute {
    pub steps: Vec<RouteStep>,
    pub cost: f32,
}

/// The role nearest the destination among those a route question can reach.
#[derive(Debug, Clone)]
pub struct Closest {
    pub role: Arc<Role>,
    /// Its score as one of the destination's nearest roles.
    pub similarity: f32,
    /// The fewest steps it takes to reach it.
    pub steps: u32,
}

/// The answer to a route question.
#[derive(Debug, Clone)]
pub struct Routes {
    pub from: Arc<Role>,
    pub to: Arc<Role>,
    pub person: Option<Person>,
    pub max_steps: usize,
    pub min_similarity: f32,
    pub routes: Vec<FoundRoute>,
    /// When there is no route: how many roles can be reached at all, and the one nearest the
    /// destination (if any reachable role is among the destination's nearest).
    pub reachable: usize,
    pub closest: Option<Closest>,
}

/// The cheapest route from one role to another, as a progression map weighs its lines: at most
/// [`DEFAULT_MAX_STEPS`] steps scoring at least [`DEFAULT_MIN_SIMILARITY`], costed as the module
/// says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reach {
    pub cost: f32,
    pub steps: u32,
}

/// How many spaces, and graphs, the cache holds before it starts again.
const CACHED: usize = 16;

/// A graph's space (by address), minimum similarity (by bits) and whether it leaves out the
/// steps down.
type GraphKey = (usize, u32, bool);

/// Route spaces and graphs as last built, for one frameworks generation.
#[derive(Debug, Default)]
pub(crate) struct RouteCache {
    generation: i64,
    /// By the sorted keys of the frameworks spanned.
    spaces: HashMap<Vec<String>, Arc<Space>>,
    /// By space (its address, checked against the space kept beside it), minimum similarity and
    /// whether steps down are left out.
    graphs: HashMap<GraphKey, (Arc<Space>, Arc<Graph>)>,
}

/// The roles of the frameworks a question spans, numbered, with their steps.
#[derive(Debug)]
pub(crate) struct Space {
    /// The frameworks spanned, by key.
    frameworks: Vec<String>,
    roles: Vec<RoleId>,
    index: HashMap<RoleId, u32>,
    bands: Vec<Option<Band>>,
    /// (from, to) → (score, links named along it).
    steps: HashMap<(u32, u32), (f32, Vec<LinkKind>)>,
    /// For each role, its nearest roles as listed: (number, score).
    nearest: Vec<Vec<(u32, f32)>>,
    /// (from, to) → how alike the listed neighbour is: (score, skills, text, moved).
    likeness: HashMap<(u32, u32), Likeness>,
}

/// The components of a listed neighbour's score, which a step's reasons quote.
#[derive(Debug, Clone, Copy)]
struct Likeness {
    score: f32,
    text: f32,
    moved: f32,
}

impl Service {
    /// The `k` best routes from one role (or a person's role) to another.
    pub async fn routes(&self, input: &RouteInput<'_>) -> Result<Routes> {
        if !(1..=MAX_STEPS).contains(&input.max_steps) {
            return Err(ServiceError::invalid(
                "max_steps",
                format!("must be 1 to {MAX_STEPS}, not {}", input.max_steps),
            ));
        }
        if !(1..=MAX_K).contains(&input.k) {
            return Err(ServiceError::invalid(
                "k",
                format!("must be 1 to {MAX_K}, not {}", input.k),
            ));
        }
        if !(0.0..=1.0).contains(&input.min_similarity) {
            return Err(ServiceError::invalid(
                "min_similarity",
                format!("must be 0 to 1, not {}", input.min_similarity),
            ));
        }
        let person = match input.person {
            Some(name) => Some(self.person(name).await?),
            None => None,
        };
        let from = match (input.from, &person) {
            (Some(from), _) => self.role_shared(from, input.framework).await?,
            (None, Some(person)) => match &person.role {
                Some(role) => self.role_by_id(role.id).await?,
                None => {
                    return Err(ServiceError::invalid(
                        "from",
                        format!(
                            "{} has no current role; name the role to start from",
                            person.name
                        ),
                    ));
                }
            },
            (None, None) => {
                return Err(ServiceError::invalid(
                    "from",
                    "name the role to start from, or a person".to_owned(),
                ));
            }
        };
        let to = self.role_shared(input.to, input.framework).await?;
        if from.id == to.id {
            return Err(ServiceError::invalid(
                "to",
                format!("{} is where the route starts", to.title),
            ));
        }
        let shared_space = self.route_space(&[&from, &to]).await?;
        let space = &*shared_space;
        let older = |role: &Role| {
            ServiceError::invalid(
                "role",
                format!(
                    "{} is in an older version of {}; routes run through the latest",
                    role.title, role.framework_key
                ),
            )
        };
        let &start = space.index.get(&from.id).ok_or_else(|| older(&from))?;
        let &end = space.index.get(&to.id).ok_or_else(|| older(&to))?;

        let held = match &person {
            Some(person) => Some(self.held_levels(person).await?),
            None => None,
        };
        let readiness = match (&person, &held) {
            (Some(person), Some(held)) => Some(self.readiness(space, person, held).await?),
            _ => None,
        };
        let (graph, climbing) = match readiness.as_deref() {
            Some(ready) => (
                Arc::new(space.graph(input.min_similarity, Some(ready), false)),
                Arc::new(space.graph(input.min_similarity, Some(ready), true)),
            ),
            None => (
                self.route_graph(&shared_space, input.min_similarity, false),
                self.route_graph(&shared_space, input.min_similarity, true),
            ),
        };
        let (found, rising) =
            space.best_routes(&graph, &climbing, (start, end), input.max_steps, input.k);
        // The names of the skills met at the start (the person's, or the start role's), so a
        // required skill of the same name is told apart from them.
        let mut start_names: HashMap<SkillId, (String, &'static str)> = from
            .requirements
            .iter()
            .map(|r| (r.skill.id, (r.skill.label.clone(), r.skill.kind.as_str())))
            .collect();
        if let Some(held) = &held {
            start_names.retain(|id, _| held.contains_key(id));
            let unnamed: Vec<SkillId> = held
                .keys()
                .filter(|id| !start_names.contains_key(id))
                .copied()
                .collect();
            for id in unnamed {
                let skill = self.store.skill(id).await?;
                start_names.insert(id, (skill.label, skill.kind.as_str()));
            }
        }

        // The roles the routes pass through, read side by side before the steps are explained.
        let mut through: Vec<RoleId> = found
            .iter()
            .flat_map(|r| r.nodes.iter().skip(1).map(|&n| space.roles[n as usize]))
            .collect();
        through.sort_unstable();
        through.dedup();
        let mut reads = tokio::task::JoinSet::new();
        for id in through {
            let service = self.clone();
            reads.spawn(async move { service.role_by_id(id).await });
        }
        while let Some(read) = reads.join_next().await {
            read.map_err(|e| ServiceError::Internal(format!("reading a role: {e}")))??;
        }
        let mut routes = Vec::new();
        for route in &found {
            routes.push(
                self.explain_route(
                    space,
                    &graph,
                    &route.nodes,
                    Start {
                        role: &from,
                        held: held.as_ref(),
                        names: &start_names,
                    },
                    readiness.as_deref(),
                    Climbing {
                        routes: rising,
                        max_steps: input.max_steps,
                        to: &to.title,
                    },
                )
                .await?,
            );
        }
        let (reachable, closest) = if found.is_empty() {
            let reachable = graph.reachable(start, input.max_steps);
            let steps_to: HashMap<u32, u32> = reachable.iter().copied().collect();
            let mut near = space.nearest[end as usize]
                .iter()
                .filter_map(|&(n, score)| Some((n, score, *steps_to.get(&n)?)))
                .next();
            if near.is_none() && !reachable.is_empty() {
                // None of the destination's listed nearest can be reached: compare it with every
                // role of its framework.
                let model = self.similarity_model(&to.framework_key).await?;
                if let Some(&number) = model.index.get(&to.id) {
                    near = model
                        .nearest(number, model.len())
                        .into_iter()
                        .filter_map(|n| {
                            let id = model.roles.get(n.other as usize)?;
                            let slot = space.index.get(id)?;
                            Some((*slot, n.score, *steps_to.get(slot)?))
                        })
                        .next();
                }
            }
            let closest = match near {
                Some((n, similarity, steps)) => Some(Closest {
                    role: self.role_by_id(space.roles[n as usize]).await?,
                    similarity,
                    steps,
                }),
                None => None,
            };
            (reachable.len(), closest)
        } else {
            (0, None)
        };
        Ok(Routes {
            from,
            to,
            person,
            max_steps: input.max_steps,
            min_similarity: input.min_similarity,
            routes,
            reachable,
            closest,
        })
    }

    /// The cheapest route from `from` to each of `to` (see [`Reach`]); `None` where no route
    /// reaches, or the role is not in its framework's latest version.
    pub(crate) async fn reach(&self, from: &Role, to: &[Arc<Role>]) -> Result<Vec<Option<Reach>>> {
        let mut ends: Vec<&Role> = vec![from];
        ends.extend(to.iter().map(|r| &**r));
        let space = self.route_space(&ends).await?;
        let Some(&start) = space.index.get(&from.id) else {
            return Ok(vec![None; to.len()]);
        };
        let graph = self.route_graph(&space, DEFAULT_MIN_SIMILARITY, false);
        let best = graph.cheapest_from(start, DEFAULT_MAX_STEPS);
        Ok(to
            .iter()
            .map(|role| {
                let &n = space.index.get(&role.id)?;
                let (cost, steps) = best.get(n as usize).copied().flatten()?;
                Some(Reach {
                    cost: cost as f32 / 1000.0,
                    steps,
                })
            })
            .collect())
    }
}

/// Where a route starts: the role, and with a person their current levels and the names of the
/// skills they hold (else the names of the role's skills).
#[derive(Clone, Copy)]
struct Start<'a> {
    role: &'a Role,
    held: Option<&'a HashMap<SkillId, (u8, String)>>,
    names: &'a HashMap<SkillId, (String, &'static str)>,
}

/// How many routes never step down, which a step down quotes to say why it is shown.
#[derive(Clone, Copy)]
struct Climbing<'a> {
    routes: usize,
    max_steps: usize,
    to: &'a str,
}
