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

    /// The roles of the frameworks of `ends`, with the steps their neighbour lists and links
    /// give: built once per frameworks generation.
    async fn route_space(&self, ends: &[&Role]) -> Result<Arc<Space>> {
        let mut frameworks: Vec<String> = ends.iter().map(|r| r.framework_key.clone()).collect();
        frameworks.sort();
        frameworks.dedup();
        let generation = self.store.frameworks_generation().await?;
        if let Ok(cache) = self.similarity.routes.lock()
            && let Some(cache) = &*cache
            && cache.generation == generation
            && let Some(space) = cache.spaces.get(&frameworks)
        {
            return Ok(Arc::clone(space));
        }
        let space = Arc::new(self.build_route_space(&frameworks).await?);
        if let Ok(mut cache) = self.similarity.routes.lock() {
            let cache = cache.get_or_insert_with(RouteCache::default);
            if cache.generation != generation {
                *cache = RouteCache {
                    generation,
                    ..RouteCache::default()
                };
            }
            if cache.spaces.len() >= CACHED {
                cache.spaces.clear();
                cache.graphs.clear();
            }
            cache.spaces.insert(frameworks, Arc::clone(&space));
        }
        Ok(space)
    }

    /// The graph of a space at a minimum similarity (with or without its steps down), built
    /// once per space, minimum and kind.
    fn route_graph(&self, space: &Arc<Space>, min_similarity: f32, climbing: bool) -> Arc<Graph> {
        let key = (
            Arc::as_ptr(space) as usize,
            min_similarity.to_bits(),
            climbing,
        );
        if let Ok(cache) = self.similarity.routes.lock()
            && let Some(cache) = &*cache
            && let Some((kept, graph)) = cache.graphs.get(&key)
            && Arc::ptr_eq(kept, space)
        {
            return Arc::clone(graph);
        }
        let graph = Arc::new(space.graph(min_similarity, None, climbing));
        if let Ok(mut cache) = self.similarity.routes.lock()
            && let Some(cache) = &mut *cache
        {
            if cache.graphs.len() >= CACHED {
                cache.graphs.clear();
            }
            cache
                .graphs
                .insert(key, (Arc::clone(space), Arc::clone(&graph)));
        }
        graph
    }

    async fn build_route_space(&self, frameworks: &[String]) -> Result<Space> {
        let mut space = Space {
            frameworks: Vec::new(),
            roles: Vec::new(),
            index: HashMap::new(),
            bands: Vec::new(),
            steps: HashMap::new(),
            nearest: Vec::new(),
            likeness: HashMap::new(),
        };
        let mut links = Vec::new();
        for framework in frameworks {
            let framework = framework.as_str();
            space.frameworks.push(framework.to_owned());
            let lists = self.neighbour_lists(framework).await?;
            let offset = space.roles.len() as u32;
            space.roles.extend_from_slice(&lists.roles);
            for (n, list) in lists.lists.iter().enumerate() {
                let nearest: Vec<(u32, f32)> =
                    list.iter().map(|x| (offset + x.other, x.score)).collect();
                for (&(other, score), near) in nearest.iter().zip(list) {
                    space
                        .steps
                        .insert((offset + n as u32, other), (score, Vec::new()));
                    space.likeness.insert(
                        (offset + n as u32, other),
                        Likeness {
                            score,
                            text: near.text,
                            moved: near.moved,
                        },
                    );
                }
                space.nearest.push(nearest);
            }
            let bands: HashMap<RoleId, Option<Band>> = self
                .store
                .role_bands(framework)
                .await?
                .into_iter()
                .collect();
            space.bands.extend(
                lists
                    .roles
                    .iter()
                    .map(|id| bands.get(id).cloned().flatten()),
            );
            links.extend(self.store.role_links(framework).await?);
        }
        space.index = space
            .roles
            .iter()
            .enumerate()
            .map(|(n, &id)| (id, n as u32))
            .collect();
        links.sort_unstable_by_key(|&(a, b, kind)| (a.0, b.0, kind.as_str()));
        links.dedup();
        for (a, b, kind) in links {
            let (Some(&a), Some(&b)) = (space.index.get(&a), space.index.get(&b)) else {
                continue;
            };
            let directions: &[(u32, u32)] = match kind {
                LinkKind::Route => &[(a, b)],
                LinkKind::Equivalent | LinkKind::Related => &[(a, b), (b, a)],
            };
            for &(x, y) in directions {
                let step = space.steps.entry((x, y)).or_insert((0.0, Vec::new()));
                step.0 = step.0.max(link_floor(kind));
                step.1.push(kind);
            }
        }
        Ok(space)
    }

    /// A person's current level in each skill they hold: (rank, code).
    async fn held_levels(&self, person: &Person) -> Result<HashMap<SkillId, (u8, String)>> {
        let history = self.store.assessments(person.id).await?;
        Ok(rolemap_core::person::current_levels(&history)
            .into_iter()
            // Assessed as not held ("none"): nothing to carry to another role.
            .filter(|(_, held)| !held.current.level.is_none())
            .map(|(skill, held)| {
                (
                    skill,
                    (
                        held.current.level.rank(),
                        held.current.level.code().to_owned(),
                    ),
                )
            })
            .collect())
    }

    /// A person's readiness for every role of the space, as their gap report for the role gives
    /// it. Where a framework sets levels (a few graded roles), each role's gap report is worked
    /// out; where it sets none, a requirement counts in full once the skill is held, directly or
    /// through an accepted exact or close mapping, which is what the gap report would find, so
    /// a framework of thousands of roles is not read role by role.
    async fn readiness(
        &self,
        space: &Space,
        person: &Person,
        held: &HashMap<SkillId, (u8, String)>,
    ) -> Result<Vec<Option<f64>>> {
        let mut ready = vec![None; space.roles.len()];
        let assessments = self.store.assessments(person.id).await?;
        let mappings = self.store.mappings().await?;
        let mut covered: HashSet<SkillId> = held.keys().copied().collect();
        for m in mappings.iter().filter(|m| m.kind.same_skill()) {
            if held.contains_key(&m.from) {
                covered.insert(m.to);
            }
            if held.contains_key(&m.to) {
                covered.insert(m.from);
            }
        }
        for framework in &space.frameworks {
            let model = self.similarity_model(framework).await?;
            let skill_ids: HashMap<u32, SkillId> =
                model.skills.iter().map(|(&id, &n)| (n, id)).collect();
            for (n, id) in model.roles.iter().enumerate() {
                let Some(&slot) = space.index.get(id) else {
                    continue;
                };
                ready[slot as usize] = if model.levels.is_empty() {
                    let (mut earned, mut possible) = (0.0, 0.0);
                    for (skill, essential) in model.skills_of(n as u32) {
                        let weight = if essential { 1.0 } else { 0.5 };
                        possible += weight;
                        if skill_ids.get(&skill).is_some_and(|s| covered.contains(s)) {
                            earned += weight;
                        }
                    }
                    rolemap_core::gap::readiness(earned, possible)
                } else {
                    let role = self.role_by_id(*id).await?;
                    self.gap_report(person, &role, None, &assessments, Some(&mappings))
                        .await?
                        .readiness
                };
            }
        }
        Ok(ready)
    }

    /// Each step of a route, with what it asks: the skills met on the way (the start role's,
    /// or the person's, then each role passed through) against the next role's requirements.
    async fn explain_route(
        &self,
        space: &Space,
        graph: &Graph,
        nodes: &[u32],
        start: Start<'_>,
        readiness: Option<&[Option<f64>]>,
        climbing: Climbing<'_>,
    ) -> Result<FoundRoute> {
        // Skill → (rank, code) of the highest level met so far (rank 0: no level known).
        let mut met: HashMap<SkillId, (u8, String)> = HashMap::new();
        match start.held {
            Some(held) => met.extend(held.iter().map(|(&s, l)| (s, l.clone()))),
            None => meet(&mut met, start.role),
        }
        // The names of the skills met so far (lower case) → the skill and its kind.
        let mut names: HashMap<String, (SkillId, &'static str)> = start
            .names
            .iter()
            .map(|(&id, (label, kind))| (label.trim().to_lowercase(), (id, *kind)))
            .collect();
        let mut steps = Vec::new();
        let mut total = 0.0;
        let mut previous = Arc::new(start.role.clone());
        for pair in nodes.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let role = self.role_by_id(space.roles[b as usize]).await?;
            let (similarity, links) = space
                .steps
                .get(&(a, b))
                .cloned()
                .unwrap_or((0.0, Vec::new()));
            let change = space.change(a, b);
            let mut via = Vec::new();
            let likeness = space.likeness.get(&(a, b));
            if let Some(like) = likeness {
                let before: HashSet<SkillId> =
                    previous.requirements.iter().map(|r| r.skill.id).collect();
                let common = role
                    .requirements
                    .iter()
                    .filter(|r| before.contains(&r.skill.id))
                    .count();
                via.extend(alike(common, role.requirements.len(), like));
            }
            if let Some(link) = link_between(&previous, &role) {
                via.push(format!("{link} (named by the framework)"));
            } else if !links.is_empty() {
                via.push("a link the framework names".to_owned());
            }
            let alone = likeness.map_or(0.0, |l| l.score);
            if !links.is_empty() && similarity > alone {
                via.push(format!(
                    "score {similarity:.2}, the least a named link scores ({alone:.2} from skills and texts alone)"
                ));
            }
            if change == Change::Down {
                via.push(match climbing.routes {
                    0 => format!(
                        "a step down: no route of at most {} steps reaches {} without one",
                        climbing.max_steps, climbing.to
                    ),
                    n => format!(
                        "a step down: shown after the {n} route{} that only move up or sideways",
                        if n == 1 { "" } else { "s" }
                    ),
                });
            }
            let held: HashSet<SkillId> = met.keys().copied().collect();
            let (shared, gains) = explain(&held, &role);
            let mut to_gain = Vec::new();
            let mut namesakes = Vec::new();
            for (label, essential) in gains {
                let requirement = role.requirements.iter().find(|r| r.skill.label == label);
                match (requirement, names.get(&label.trim().to_lowercase())) {
                    (Some(r), Some(&(other, met_kind))) if other != r.skill.id => {
                        namesakes.push(Namesake {
                            skill: label,
                            kind: r.skill.kind.as_str(),
                            essential,
                            met_kind,
                            met_level: start
                                .held
                                .and_then(|h| h.get(&other))
                                .map(|(_, code)| code.clone())
                                .filter(|code| !code.is_empty()),
                        });
                    }
                    _ => to_gain.push((label, essential)),
                }
            }
            let raise = role
                .requirements
                .iter()
                .filter_map(|r| {
                    let (have, code) = met.get(&r.skill.id)?;
                    let need = entry_level(r)?;
                    (*have > 0 && need.rank() > *have).then(|| LevelRaise {
                        skill: r.skill.label.clone(),
                        from: code.clone(),
                        to: need.code().to_owned(),
                    })
                })
                .collect();
            let cost = graph.step_cost(a, b).unwrap_or(0) as f32 / 1000.0;
            total += cost;
            steps.push(RouteStep {
                change,
                similarity,
                readiness: readiness.and_then(|r| r[b as usize]),
                via,
                shared,
                to_gain,
                namesakes,
                raise,
                cost,
                role: Arc::clone(&role),
            });
            meet(&mut met, &role);
            for r in &role.requirements {
                names
                    .entry(r.skill.label.trim().to_lowercase())
                    .or_insert((r.skill.id, r.skill.kind.as_str()));
            }
            previous = role;
        }
        Ok(FoundRoute { steps, cost: total })
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

/// The reasons a listed neighbour is a step, in its numbers: the role's skills the role before
/// requires, how alike their titles and descriptions are, the people seen moving.
fn alike(common: usize, total: usize, like: &Likeness) -> Vec<String> {
    let mut reasons = Vec::new();
    // Below this the texts share little more than a word or two: not "similar".
    const ALIKE_TEXT: f32 = 0.2;
    let alike_text = like.text >= ALIKE_TEXT;
    // "Similar skills" only where the role before requires half of them or more.
    let similar_skills = common > 0 && common * 2 >= total;
    let texts = format!("titles and descriptions alike {:.2}", like.text);
    reasons.push(match (common, similar_skills, alike_text) {
        (0, _, _) if like.text > 0.0 => format!("no skills in common ({texts})"),
        (0, _, _) => "no skills in common".to_owned(),
        (n, true, true) => format!(
            "similar skills and duties: {n} of its {total} skills in common, text {:.2}",
            like.text
        ),
        (n, true, false) => format!("similar skills: {n} of its {total} skills in common"),
        (n, false, _) if like.text > 0.0 => format!("{n} of its {total} skills in common; {texts}"),
        (n, false, _) => format!("{n} of its {total} skills in common"),
    });
    if like.moved > 0.0 {
        reasons.push(format!(
            "{:.0}% of the people seen moving on went to it",
            like.moved * 100.0
        ));
    }
    reasons
}

/// Adds a role's skills to those met on a route, at the role's top levels.
fn meet(met: &mut HashMap<SkillId, (u8, String)>, role: &Role) {
    for r in &role.requirements {
        let (rank, code) =
            top_level(r).map_or((0, String::new()), |l| (l.rank(), l.code().to_owned()));
        let entry = met.entry(r.skill.id).or_insert((0, String::new()));
        if rank > entry.0 {
            *entry = (rank, code);
        }
    }
}

impl Space {
    /// Whether the step from `a` to `b` is up, sideways or down: by their bands, else by a link
    /// a framework names along it (a route reads as a step up, the same kind of role as the
    /// same level).
    fn change(&self, a: u32, b: u32) -> Change {
        let change = rolemap_core::seniority::change(
            self.bands[a as usize].as_ref(),
            self.bands[b as usize].as_ref(),
        );
        if change != Change::Unknown {
            return change;
        }
        let links = self.steps.get(&(a, b)).map(|(_, links)| links.as_slice());
        match links {
            Some(links) if links.contains(&LinkKind::Route) => Change::Up,
            Some(links) if links.contains(&LinkKind::Equivalent) => Change::Same,
            _ => Change::Unknown,
        }
    }

    /// The `k` best routes from `ends.0` to `ends.1`: those that never step down first (from
    /// `climbing`, the graph without steps down), cheapest first, then, when fewer than `k`,
    /// those that do (from `graph`), cheapest first; and how many never step down.
    fn best_routes(
        &self,
        graph: &Graph,
        climbing: &Graph,
        (start, end): (u32, u32),
        max_steps: usize,
        k: usize,
    ) -> (Vec<rolemap_similarity::routes::Route>, usize) {
        let mut found = climbing.best_routes(start, end, max_steps, k);
        let rising = found.len();
        if rising < k {
            // The cheapest k + rising of all hold at least k - rising that step down.
            found.extend(
                graph
                    .best_routes(start, end, max_steps, k + rising)
                    .into_iter()
                    .filter(|r| self.steps_down(&r.nodes))
                    .take(k - rising),
            );
        }
        (found, rising)
    }

    /// Whether a route (its roles, the start first) steps down anywhere.
    fn steps_down(&self, nodes: &[u32]) -> bool {
        nodes
            .windows(2)
            .any(|pair| self.change(pair[0], pair[1]) == Change::Down)
    }

    /// The graph of steps whose score reaches `min_similarity` (links always), costed as the
    /// module says; with a person's readiness per role (0 to 100), blended into each step's
    /// score (a role without skill requirements counting 0). When `climbing`, without the steps
    /// down.
    fn graph(
        &self,
        min_similarity: f32,
        readiness: Option<&[Option<f64>]>,
        climbing: bool,
    ) -> Graph {
        let steps: BTreeMap<(u32, u32), u32> = self
            .steps
            .iter()
            .filter(|(_, (score, links))| !links.is_empty() || *score >= min_similarity)
            .filter(|((a, b), _)| !climbing || self.change(*a, *b) != Change::Down)
            .map(|(&(a, b), (score, _))| {
                let score = match readiness {
                    Some(ready) => {
                        0.5 * score + 0.5 * (ready[b as usize].unwrap_or(0.0) / 100.0) as f32
                    }
                    None => *score,
                };
                let change = self.change(a, b);
                let cost = (1000.0 * (1.0 - score.clamp(0.0, 1.0))).round() as u32
                    + STEP_COST
                    + change_cost(change);
                ((a, b), cost)
            })
            .collect();
        Graph::new(
            self.roles.len(),
            steps.into_iter().map(|((a, b), cost)| (a, b, cost)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rolemap_core::seniority::Basis;

    /// A space of roles at the given grade positions (one ladder), with the given steps.
    fn space(grades: &[f32], steps: &[(u32, u32, f32)]) -> Space {
        let roles: Vec<RoleId> = (0..grades.len() as i64).map(RoleId).collect();
        Space {
            frameworks: vec!["f".to_owned()],
            index: roles
                .iter()
                .enumerate()
                .map(|(n, &id)| (id, n as u32))
                .collect(),
            roles,
            bands: grades
                .iter()
                .map(|&g| {
                    Some(Band {
                        basis: Basis::Grades("ladder".to_owned()),
                        low: g,
                        high: g,
                    })
                })
                .collect(),
            steps: steps
                .iter()
                .map(|&(a, b, score)| ((a, b), (score, Vec::new())))
                .collect(),
            nearest: vec![Vec::new(); grades.len()],
            likeness: HashMap::new(),
        }
    }

    #[test]
    fn routes_that_step_down_to_a_front_line_role_come_after_those_that_climb() {
        // 0 (grade 4) to 2 (grade 6): through the front-line role 1 (grade 1), very alike both
        // ends, or through 3 (grade 5), barely alike either.
        let space = space(
            &[4.0, 1.0, 6.0, 5.0],
            &[(0, 1, 0.95), (1, 2, 0.95), (0, 3, 0.2), (3, 2, 0.2)],
        );
        let graph = space.graph(0.15, None, false);
        let climbing = space.graph(0.15, None, true);
        // By cost alone the step down wins (0.85 + 0.25 against 1.0 + 1.0).
        let cheapest = graph.best_routes(0, 2, 4, 2);
        assert_eq!(cheapest[0].nodes, [0, 1, 2]);
        let (found, rising) = space.best_routes(&graph, &climbing, (0, 2), 4, 2);
        let nodes: Vec<&[u32]> = found.iter().map(|r| r.nodes.as_slice()).collect();
        assert_eq!(nodes, [&[0, 3, 2][..], &[0, 1, 2][..]]);
        assert_eq!(rising, 1);
        let (one, _) = space.best_routes(&graph, &climbing, (0, 2), 4, 1);
        assert_eq!(one[0].nodes, [0, 3, 2]);
    }

    #[test]
    fn a_route_down_to_a_lower_role_is_still_found() {
        let space = space(&[4.0, 1.0], &[(0, 1, 0.9)]);
        let graph = space.graph(0.15, None, false);
        let climbing = space.graph(0.15, None, true);
        let (found, rising) = space.best_routes(&graph, &climbing, (0, 1), 4, 3);
        assert_eq!(rising, 0);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].nodes, [0, 1]);
    }

    #[test]
    fn a_steps_reasons_quote_its_numbers() {
        let like = |text| Likeness {
            score: 0.5,
            text,
            moved: 0.0,
        };
        assert_eq!(
            alike(0, 7, &like(0.153)),
            ["no skills in common (titles and descriptions alike 0.15)"]
        );
        assert_eq!(alike(0, 7, &like(0.0)), ["no skills in common"]);
        assert_eq!(
            alike(5, 5, &like(0.544)),
            ["similar skills and duties: 5 of its 5 skills in common, text 0.54"]
        );
        assert_eq!(
            alike(13, 179, &like(0.27)),
            ["13 of its 179 skills in common; titles and descriptions alike 0.27"]
        );
        assert_eq!(
            alike(3, 6, &like(0.05)),
            ["similar skills: 3 of its 6 skills in common"]
        );
        let moved = Likeness {
            moved: 0.25,
            ..like(0.3)
        };
        assert_eq!(
            alike(1, 3, &moved)[1],
            "25% of the people seen moving on went to it"
        );
    }
}
