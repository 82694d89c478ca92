//! Roles like a given one: `rolemap similar`, from the skills roles require (see
//! [`rolemap_similarity`] for the components and how they combine), each neighbour explained by
//! the skills both require and the ones a move would mean gaining.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rolemap_core::{Importance, Role, RoleId, SkillId};
use rolemap_similarity::{Profiles, TextProfiles};

use crate::{Result, Service, ServiceError};

/// The most neighbours one question returns.
pub const MAX_NEIGHBOURS: usize = 100;

/// Shares of the skills-based score and of the text cosine in a neighbour's score.
pub const SKILLS_SHARE: f32 = 0.8;
pub const TEXT_SHARE: f32 = 0.2;
/// Where people have been seen to move on from the origin, the share of the score their
/// movements make (the rest is the skills and text score).
pub const MOVED_SHARE: f32 = 0.25;

/// One framework's roles as similarity sees them: numbered profiles.
#[derive(Debug)]
pub(crate) struct Model {
    profiles: Profiles,
    texts: TextProfiles,
    /// Observed movements out of each role: (to, people), and the people who moved on in all.
    moves: HashMap<u32, (Vec<(u32, u64)>, u64)>,
    pub(crate) roles: Vec<RoleId>,
    pub(crate) index: HashMap<RoleId, u32>,
    /// Skills by id, numbered as the profiles number them.
    pub(crate) skills: HashMap<SkillId, u32>,
    /// The levels required where the framework sets them: (role, skill) numbers to (rank at the
    /// role's lowest grade, at its highest, ranks on the scale). Empty for frameworks without.
    pub(crate) levels: HashMap<(u32, u32), (u8, u8, u8)>,
    /// The skills roles require, by their preferred label in lower case: how a role of another
    /// framework finds the skills it shares with these roles.
    labels: HashMap<String, u32>,
    /// Skills of other frameworks that reviewed mappings (exact or close, either direction) make
    /// the same as one of these roles' skills: by their id, its number.
    mapped: HashMap<SkillId, u32>,
    /// Each role's skill groups (the groups its skills sit under in the skills hierarchy), as
    /// profiles of groups; `None` for frameworks without a hierarchy.
    groups: Option<Profiles>,
}

/// Each framework's neighbour lists, by framework key.
type Lists = HashMap<String, Arc<crate::neighbours::NeighbourLists>>;

/// Each framework's model, by framework key.
type Models = HashMap<String, Arc<Model>>;

/// Models as last built, for one frameworks generation.
#[derive(Debug, Default)]
pub(crate) struct SimilarityCache {
    current: std::sync::RwLock<Option<(i64, Models)>>,
    /// Held while neighbour lists are computed, so that one computation serves all who wait.
    pub(crate) building: tokio::sync::Mutex<()>,
    /// Route spaces and graphs over the neighbour lists.
    pub(crate) routes: std::sync::Mutex<Option<crate::routes::RouteCache>>,
    /// Each framework's neighbour lists, for one frameworks generation.
    pub(crate) lists: std::sync::RwLock<Option<(i64, Lists)>>,
}

/// A role near the origin, and why.
#[derive(Debug, Clone)]
pub struct Neighbour {
    pub role: Arc<Role>,
    /// SKILLS_SHARE × skills + TEXT_SHARE × text.
    pub score: f32,
    /// From the skills alone: 0.5 × cosine + 0.2 × jaccard + 0.3 × coverage.
    pub skills: f32,
    pub cosine: f32,
    pub jaccard: f32,
    /// Share of this role's essential skills the origin requires, each counted in part where the
    /// origin's highest level is below this role's entry level.
    pub coverage: f32,
    /// Where both roles set levels for the skills they share: how well the origin's highest levels
    /// meet this role's entry levels, 1 when they all do.
    pub levels: Option<f32>,
    /// With the skills hierarchy: the cosine of the two roles' skill groups.
    pub groups: Option<f32>,
    /// For a role of another framework: the same-role link it came through.
    pub through: Option<String>,
    /// Cosine of the two roles' texts (TF-IDF of title, other titles and description).
    pub text: f32,
    /// Of the people seen moving on from the origin, the share who moved to this role.
    pub moved: f32,
    /// How many people were seen moving from the origin to this role.
    pub moved_people: u64,
    /// Whether moving there is a step up, sideways or down.
    pub change: rolemap_core::seniority::Change,
    /// How the framework links the two roles, when it does (a route, an equivalent...).
    pub link: Option<String>,
    /// Skills both roles require (transferable), by label.
    pub shared: Vec<String>,
    /// Skills this role requires that the origin does not: (label, essential?), essential first.
    pub to_gain: Vec<(String, bool)>,
    /// Skills both require that this role asks at a higher level than the origin's top level.
    pub raise: Vec<LevelRaise>,
    /// On a progression map: the cheapest route from the origin to this role (see `routes`).
    pub route: Option<crate::routes::Reach>,
}

/// A skill whose level a move asks to raise: both roles require it, the one moved to at a higher
/// level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelRaise {
    pub skill: String,
    /// The level held so far, by code.
    pub from: String,
    /// The level the role asks for at its entry grade, by code.
    pub to: String,
}

/// The level a requirement asks for at the role's entry grade (its lowest with a level), or its
/// one level.
pub(crate) fn entry_level(r: &rolemap_core::Requirement) -> Option<&rolemap_core::Level> {
    r.levels
        .iter()
        .find_map(|(_, l)| l.level())
        .or_else(|| r.level.level())
}

/// The level a requirement asks for at the role's top grade, or its one level.
pub(crate) fn top_level(r: &rolemap_core::Requirement) -> Option<&rolemap_core::Level> {
    r.levels
        .iter()
        .rev()
        .find_map(|(_, l)| l.level())
        .or_else(|| r.level.level())
}

/// The skills both roles require that `other` asks at a higher level: the origin's top level
/// against `other`'s entry level, by label (the same rule as the `levels` fit). Empty across
/// frameworks, whose scales differ, and where either gives no level.
pub(crate) fn raises(origin: &Role, other: &Role) -> Vec<LevelRaise> {
    if origin.framework_key != other.framework_key {
        return Vec::new();
    }
    other
        .requirements
        .iter()
        .filter_map(|r| {
            let have = top_level(origin.requirement(r.skill.id)?)?;
            let need = entry_level(r)?;
            (need.rank() > have.rank()).then(|| LevelRaise {
                skill: r.skill.label.clone(),
                from: have.code().to_owned(),
                to: need.code().to_owned(),
            })
        })
        .collect()
}

/// The skills of `other` the origin holds (by label), and those it would gain: (label,
/// essential?), essential first, then by label.
pub(crate) fn explain(held: &HashSet<SkillId>, other: &Role) -> (Vec<String>, Vec<(String, bool)>) {
    let shared = other
        .requirements
        .iter()
        .filter(|r| held.contains(&r.skill.id))
        .map(|r| r.skill.label.clone())
        .collect();
    let mut to_gain: Vec<(String, bool)> = other
        .requirements
        .iter()
        .filter(|r| !held.contains(&r.skill.id))
        .map(|r| (r.skill.label.clone(), r.importance == Importance::Essential))
        .collect();
    to_gain.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| a.0.to_lowercase().cmp(&b.0.to_lowercase()))
    });
    (shared, to_gain)
}

impl Neighbour {
    /// `other` as a neighbour of `origin`: the score and components of `near`, the level change
    /// and link between the two, the skills that transfer, those to gain and those to raise.
    fn new(
        origin: &Role,
        other: Arc<Role>,
        near: &Near,
        through: Option<String>,
        shared: Vec<String>,
        to_gain: Vec<(String, bool)>,
    ) -> Neighbour {
        let raise = raises(origin, &other);
        Neighbour {
            change: change_between(origin, &other),
            link: link_between(origin, &other),
            role: other,
            score: near.score,
            skills: near.skills,
            cosine: near.cosine,
            jaccard: near.jaccard,
            coverage: near.coverage,
            levels: near.levels,
            groups: near.groups,
            text: near.text,
            moved: near.moved,
            moved_people: near.people,
            through,
            shared,
            to_gain,
            raise,
            route: None,
        }
    }
}

/// As [`explain`], for a role of another framework: skills match by preferred label, or by a
/// reviewed mapping to one of the skills held (`mapped`).
fn explain_by_label(
    held: &HashSet<String>,
    mapped: &HashSet<SkillId>,
    other: &Role,
) -> (Vec<String>, Vec<(String, bool)>) {
    let ids: HashSet<SkillId> = other
        .requirements
        .iter()
        .filter(|r| {
            held.contains(&r.skill.label.trim().to_lowercase()) || mapped.contains(&r.skill.id)
        })
        .map(|r| r.skill.id)
        .collect();
    explain(&ids, other)
}

/// Whether moving from `origin` to `other` is up, sideways or down: by their bands, else, where
/// those cannot be compared, by a link the framework names (a route on from it reads as a step
/// up, a route into it as a step down, the same kind of role as the same level).
pub(crate) fn change_between(origin: &Role, other: &Role) -> rolemap_core::seniority::Change {
    use rolemap_core::seniority::Change;
    let change = origin.change_to(other);
    if change != Change::Unknown {
        return change;
    }
    origin
        .links
        .iter()
        .filter(|l| l.other.id == other.id)
        .find_map(|l| match (l.kind, l.incoming) {
            (rolemap_core::LinkKind::Route, false) => Some(Change::Up),
            (rolemap_core::LinkKind::Route, true) => Some(Change::Down),
            (rolemap_core::LinkKind::Equivalent, _) => Some(Change::Same),
            (rolemap_core::LinkKind::Related, _) => None,
        })
        .unwrap_or(Change::Unknown)
}

/// How the framework links `origin` to `other`, in words, if it does.
pub(crate) fn link_between(origin: &Role, other: &Role) -> Option<String> {
    origin
        .links
        .iter()
        .find(|l| l.other.id == other.id)
        .map(|l| {
            match (l.kind, l.incoming) {
                (rolemap_core::LinkKind::Route, false) => "a route on from it",
                (rolemap_core::LinkKind::Route, true) => "a route into it",
                (rolemap_core::LinkKind::Equivalent, _) => "the same kind of role",
                (rolemap_core::LinkKind::Related, _) => "a related role",
            }
            .to_owned()
        })
}

/// The roles most like one role.
#[derive(Debug, Clone)]
pub struct SimilarRoles {
    pub role: Arc<Role>,
    pub neighbours: Vec<Neighbour>,
    /// Whether the skills hierarchy counted (and `groups` is given).
    pub hierarchy: bool,
    /// Whether roles of other frameworks came in through same-role links.
    pub across: bool,
}

/// How a similar-roles question is asked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimilarOptions {
    pub limit: usize,
    /// Count skills under the same group of the skills hierarchy a little (ESCO's broader
    /// concepts); frameworks without a hierarchy are unaffected.
    pub hierarchy: bool,
    /// Also the roles of other frameworks: a role the framework links to the origin as the same
    /// kind of role, and the roles nearest it in its own framework.
    pub across: bool,
}

impl SimilarOptions {
    pub fn new(limit: usize) -> SimilarOptions {
        SimilarOptions {
            limit,
            hierarchy: false,
            across: false,
        }
    }
}

/// The score of a role linked to the origin as the same kind of role, and the factor on the
/// scores of the roles nearest it, when similarity crosses frameworks.
pub const ACROSS_SHARE: f32 = 0.9;

impl Service {
    /// The `limit` roles of the same framework most like `role` (best first), with the score,
    /// its components, the shared skills and the skills to gain.
    pub async fn similar(
        &self,
        role: &str,
        framework: Option<&str>,
        limit: usize,
    ) -> Result<SimilarRoles> {
        self.similar_with(role, framework, &SimilarOptions::new(limit))
            .await
    }

    /// As [`Service::similar`], with the skills hierarchy and other frameworks if asked.
    pub async fn similar_with(
        &self,
        role: &str,
        framework: Option<&str>,
        options: &SimilarOptions,
    ) -> Result<SimilarRoles> {
        let limit = options.limit;
        if limit == 0 || limit > MAX_NEIGHBOURS {
            return Err(ServiceError::invalid(
                "limit",
                format!("must be 1 to {MAX_NEIGHBOURS}, not {limit}"),
            ));
        }
        let origin = self.role_shared(role, framework).await?;
        // (role, near, through which same-role link).
        let mut near: Vec<(RoleId, Near, Option<String>)> = self
            .nearest_for(&origin, limit, options.hierarchy)
            .await?
            .into_iter()
            .map(|(id, n)| (id, n, None))
            .collect();
        if options.across {
            for link in &origin.links {
                if link.kind != rolemap_core::LinkKind::Equivalent
                    || link.other.framework_key == origin.framework_key
                {
                    continue;
                }
                let linked = self.role_by_id(link.other.id).await?;
                let through = format!(
                    "through {} ({}), the same kind of role",
                    linked.title, linked.framework_key
                );
                near.push((
                    linked.id,
                    Near {
                        score: ACROSS_SHARE,
                        ..Near::empty(u32::MAX)
                    },
                    Some("the same kind of role, as its framework says".to_owned()),
                ));
                for (id, mut n) in self.nearest_for(&linked, limit, options.hierarchy).await? {
                    n.score *= ACROSS_SHARE;
                    near.push((id, n, Some(through.clone())));
                }
            }
            // Roles of other frameworks sharing skills by label (ESCO's own labels, which its
            // extracts and ESCO itself both carry).
            let mut others: Vec<String> = self
                .store
                .frameworks()
                .await?
                .into_iter()
                .map(|f| f.key)
                .filter(|key| *key != origin.framework_key)
                .collect();
            others.sort();
            others.dedup();
            for framework in others {
                let model = self.similarity_model(&framework).await?;
                for s in model.compare_elsewhere(&origin).into_iter().take(limit) {
                    let Some(&id) = model.roles.get(s.other as usize) else {
                        continue;
                    };
                    near.push((
                        id,
                        Near {
                            score: SKILLS_SHARE * s.score,
                            skills: s.score,
                            cosine: s.cosine,
                            jaccard: s.jaccard,
                            coverage: s.coverage,
                            ..Near::empty(s.other)
                        },
                        Some(format!(
                            "{} skill{} with the same label in both frameworks or mapped",
                            s.shared,
                            if s.shared == 1 { "" } else { "s" }
                        )),
                    ));
                }
            }
            // Each role once, at its best score; the origin never.
            near.retain(|(id, _, _)| *id != origin.id);
            near.sort_by(|a, b| {
                b.1.score
                    .total_cmp(&a.1.score)
                    .then(a.0.cmp(&b.0))
                    .then(a.2.is_some().cmp(&b.2.is_some()))
            });
            let mut seen = HashSet::new();
            near.retain(|(id, _, _)| seen.insert(*id));
            near.truncate(limit);
        }
        let held: HashSet<SkillId> = origin.requirements.iter().map(|r| r.skill.id).collect();
        let held_labels: HashSet<String> = origin
            .requirements
            .iter()
            .map(|r| r.skill.label.trim().to_lowercase())
            .collect();
        // Skills of other frameworks mapped (exact or close) to one the origin requires.
        let held_mapped: HashSet<SkillId> = if options.across {
            self.store
                .mappings()
                .await?
                .into_iter()
                .filter(|m| m.kind.same_skill())
                .filter_map(|m| {
                    if held.contains(&m.from) {
                        Some(m.to)
                    } else if held.contains(&m.to) {
                        Some(m.from)
                    } else {
                        None
                    }
                })
                .collect()
        } else {
            HashSet::new()
        };
        let mut neighbours = Vec::new();
        for (id, near, through) in near {
            let other = self.role_by_id(id).await?;
            let (shared, to_gain) = if other.framework_key == origin.framework_key {
                explain(&held, &other)
            } else {
                explain_by_label(&held_labels, &held_mapped, &other)
            };
            neighbours.push(Neighbour::new(
                &origin, other, &near, through, shared, to_gain,
            ));
        }
        Ok(SimilarRoles {
            role: origin,
            neighbours,
            hierarchy: options.hierarchy,
            across: options.across,
        })
    }

    /// The `limit` roles of `origin`'s framework nearest it: from the kept lists, or with the
    /// skills hierarchy compared afresh.
    async fn nearest_for(
        &self,
        origin: &Role,
        limit: usize,
        hierarchy: bool,
    ) -> Result<Vec<(RoleId, Near)>> {
        if !hierarchy {
            return self.nearest_roles(origin, limit).await;
        }
        let model = self.similarity_model(&origin.framework_key).await?;
        let Some(&number) = model.index.get(&origin.id) else {
            return self.nearest_roles(origin, limit).await;
        };
        Ok(model
            .nearest_with(number, limit, true)
            .into_iter()
            .filter_map(|n| Some((*model.roles.get(n.other as usize)?, n)))
            .collect())
    }

    /// The progression map of a role: the roles most like it (as [`Service::similar`]) and the
    /// roles its framework links it to, each marked as a step up, sideways or down.
    pub async fn progression(
        &self,
        role: &str,
        framework: Option<&str>,
        limit: usize,
    ) -> Result<SimilarRoles> {
        let mut map = self.similar(role, framework, limit).await?;
        let origin = Arc::clone(&map.role);
        let held: HashSet<SkillId> = origin.requirements.iter().map(|r| r.skill.id).collect();
        for link in &origin.links {
            if map.neighbours.iter().any(|n| n.role.id == link.other.id) {
                continue;
            }
            let other = self.role_by_id(link.other.id).await?;
            let (shared, to_gain) = explain(&held, &other);
            let near = Near::empty(u32::MAX);
            map.neighbours
                .push(Neighbour::new(&origin, other, &near, None, shared, to_gain));
        }
        // What a person weighs a move by: the cheapest route there, which a step up makes
        // cheapest (see `routes`), not the similarity alone.
        let roles: Vec<Arc<Role>> = map.neighbours.iter().map(|n| Arc::clone(&n.role)).collect();
        let reach = self.reach(&origin, &roles).await?;
        for (neighbour, reach) in map.neighbours.iter_mut().zip(reach) {
            neighbour.route = reach;
        }
        Ok(map)
    }

    /// The similarity model of a framework's latest version, built once per generation.
    pub(crate) async fn similarity_model(&self, framework: &str) -> Result<Arc<Model>> {
        let generation = self.store.frameworks_generation().await?;
        if let Ok(current) = self.similarity.current.read()
            && let Some((built_for, models)) = &*current
            && *built_for == generation
            && let Some(model) = models.get(framework)
        {
            return Ok(Arc::clone(model));
        }
        let pairs = self.store.requirement_pairs(framework).await?;
        let texts: Vec<(RoleId, String)> = self
            .store
            .role_texts(framework)
            .await?
            .into_iter()
            .map(|t| {
                let mut text = t.label;
                for alternative in t.alternative {
                    text.push_str(". ");
                    text.push_str(&alternative);
                }
                text.push_str(". ");
                text.push_str(&t.description);
                (RoleId(t.id), text)
            })
            .collect();
        let moves = self.store.transitions(framework).await?;
        let levels = self.store.requirement_levels(framework).await?;
        let groups = self.store.skill_groups(framework).await?;
        let labels = self.store.skill_labels(framework).await?;
        let mappings = self.store.mappings().await?;
        let model = Arc::new(
            tokio::task::spawn_blocking(move || {
                let mut model = build(&texts, &pairs, &moves, &levels);
                model.set_groups(&groups);
                model.set_labels(&labels);
                model.set_mappings(&mappings);
                model
            })
            .await
            .map_err(|e| ServiceError::Internal(format!("building similarity: {e}")))?,
        );
        if let Ok(mut current) = self.similarity.current.write() {
            match &mut *current {
                Some((built_for, models)) if *built_for == generation => {
                    models.insert(framework.to_owned(), Arc::clone(&model));
                }
                _ => {
                    *current = Some((
                        generation,
                        HashMap::from([(framework.to_owned(), Arc::clone(&model))]),
                    ));
                }
            }
        }
        Ok(model)
    }
}

/// Numbers every role of the framework (those with texts first, in id order) and builds both
/// signals over them.
fn build(
    texts: &[(RoleId, String)],
    pairs: &[(RoleId, SkillId, bool)],
    transitions: &[(RoleId, RoleId, u64)],
    levels: &[rolemap_store::RequirementLevels],
) -> Model {
    let mut roles = Vec::new();
    let mut index = HashMap::new();
    let mut number = |role: RoleId, roles: &mut Vec<RoleId>| {
        *index.entry(role).or_insert_with(|| {
            roles.push(role);
            (roles.len() - 1) as u32
        })
    };
    for (role, _) in texts {
        number(*role, &mut roles);
    }
    let mut skills: HashMap<SkillId, u32> = HashMap::new();
    let mut triples = Vec::with_capacity(pairs.len());
    for &(role, skill, essential) in pairs {
        let r = number(role, &mut roles);
        let next = skills.len() as u32;
        let s = *skills.entry(skill).or_insert(next);
        triples.push((r, s, essential));
    }
    let mut role_texts = vec![""; roles.len()];
    for (role, text) in texts {
        if let Some(&r) = index.get(role) {
            role_texts[r as usize] = text.as_str();
        }
    }
    let mut moves: HashMap<u32, (Vec<(u32, u64)>, u64)> = HashMap::new();
    for (from, to, people) in transitions {
        if let (Some(&f), Some(&t)) = (index.get(from), index.get(to)) {
            let entry = moves.entry(f).or_default();
            entry.0.push((t, *people));
            entry.1 += people;
        }
    }
    let levels = levels
        .iter()
        .filter_map(|l| {
            let key = (*index.get(&l.role)?, *skills.get(&l.skill)?);
            Some((key, (l.low, l.high, l.ranks.max(1))))
        })
        .collect();
    Model {
        profiles: Profiles::new(roles.len(), skills.len(), triples),
        texts: TextProfiles::new(&role_texts),
        moves,
        roles,
        index,
        skills,
        levels,
        labels: HashMap::new(),
        mapped: HashMap::new(),
        groups: None,
    }
}

/// One role near an origin, by number, with the score and its components.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Near {
    pub other: u32,
    pub score: f32,
    pub skills: f32,
    pub cosine: f32,
    pub jaccard: f32,
    pub coverage: f32,
    pub levels: Option<f32>,
    /// With the skills hierarchy: the cosine of the two roles' skill groups.
    pub groups: Option<f32>,
    pub text: f32,
    pub moved: f32,
    pub people: u64,
}

impl Near {
    /// Role `other` with every component 0, for scores made up otherwise.
    pub(crate) fn empty(other: u32) -> Near {
        Near {
            other,
            score: 0.0,
            skills: 0.0,
            cosine: 0.0,
            jaccard: 0.0,
            coverage: 0.0,
            levels: None,
            groups: None,
            text: 0.0,
            moved: 0.0,
            people: 0,
        }
    }
}

/// With the skills hierarchy, the share of the skills score its groups' cosine makes: two skills
/// under one group count a little.
pub const GROUPS_SHARE: f32 = 0.1;

/// How far a highest level held (`have`) goes towards an entry level needed (`need`) on a scale
/// of `ranks` levels: 1 when it meets it, one `ranks`-th less for each level short.
pub(crate) fn level_fit(have: u8, need: u8, ranks: u8) -> f32 {
    if have >= need {
        1.0
    } else {
        (1.0 - f32::from(need - have) / f32::from(ranks.max(1))).max(0.0)
    }
}

impl Model {
    /// Gives the model its skills' preferred labels.
    pub(crate) fn set_labels(&mut self, labels: &[(SkillId, String)]) {
        self.labels = labels
            .iter()
            .filter_map(|(id, label)| Some((label.trim().to_lowercase(), *self.skills.get(id)?)))
            .collect();
    }

    /// Gives the model the reviewed mappings: a skill of another framework mapped exact or close
    /// to one of its skills (either way round) counts as that skill.
    pub(crate) fn set_mappings(&mut self, mappings: &[rolemap_core::Mapping]) {
        for m in mappings.iter().filter(|m| m.kind.same_skill()) {
            for (own, other) in [(m.from, m.to), (m.to, m.from)] {
                if let Some(&n) = self.skills.get(&own)
                    && !self.skills.contains_key(&other)
                {
                    self.mapped.entry(other).or_insert(n);
                }
            }
        }
    }

    /// A role of another framework against these roles: its requirements matched to these
    /// roles' skills by preferred label (case aside) or by a reviewed mapping, best first.
    pub(crate) fn compare_elsewhere(&self, role: &Role) -> Vec<rolemap_similarity::Similarity> {
        let mapped: Vec<(u32, bool)> = role
            .requirements
            .iter()
            .filter_map(|r| {
                let n = self
                    .labels
                    .get(&r.skill.label.trim().to_lowercase())
                    .or_else(|| self.mapped.get(&r.skill.id))?;
                Some((*n, r.importance == Importance::Essential))
            })
            .collect();
        if mapped.is_empty() {
            return Vec::new();
        }
        let all: Vec<bool> = role
            .requirements
            .iter()
            .map(|r| r.importance == Importance::Essential)
            .collect();
        self.profiles.compare_external(&mapped, &all)
    }

    /// Gives the model the skills hierarchy: (skill, group) pairs.
    pub(crate) fn set_groups(&mut self, groups: &[(SkillId, i64)]) {
        if groups.is_empty() {
            return;
        }
        let mut numbers: HashMap<i64, u32> = HashMap::new();
        let mut of_skill: HashMap<u32, Vec<u32>> = HashMap::new();
        for (skill, group) in groups {
            let Some(&s) = self.skills.get(skill) else {
                continue;
            };
            let next = numbers.len() as u32;
            let g = *numbers.entry(*group).or_insert(next);
            of_skill.entry(s).or_default().push(g);
        }
        let mut triples = Vec::new();
        for role in 0..self.roles.len() as u32 {
            for (skill, essential) in self.profiles.skills_of(role) {
                for &g in of_skill.get(&skill).into_iter().flatten() {
                    triples.push((role, g, essential));
                }
            }
        }
        self.groups = Some(Profiles::new(self.roles.len(), numbers.len(), triples));
    }

    pub(crate) fn len(&self) -> usize {
        self.roles.len()
    }

    /// The skills of role `role` (numbers), each essential or not.
    pub(crate) fn skills_of(&self, role: u32) -> impl Iterator<Item = (u32, bool)> + '_ {
        self.profiles.skills_of(role)
    }

    /// Coverage counted with levels, and how well the origin's levels meet the other role's,
    /// where the framework sets levels for skills both require.
    fn with_levels(&self, origin: u32, s: &rolemap_similarity::Similarity) -> (f32, Option<f32>) {
        let mut essentials = 0u32;
        let mut covered = 0.0f32;
        let mut fits = (0.0f32, 0u32);
        let held: HashMap<u32, bool> = self.profiles.skills_of(origin).collect();
        for (skill, essential) in self.profiles.skills_of(s.other) {
            let fit = match held.get(&skill) {
                None => 0.0,
                Some(_) => match (
                    self.levels.get(&(origin, skill)),
                    self.levels.get(&(s.other, skill)),
                ) {
                    (Some(&(_, have, _)), Some(&(need, _, ranks))) => {
                        let fit = level_fit(have, need, ranks);
                        fits = (fits.0 + fit, fits.1 + 1);
                        fit
                    }
                    _ => 1.0,
                },
            };
            if essential {
                essentials += 1;
                covered += fit;
            }
        }
        let coverage = if essentials == 0 {
            0.0
        } else {
            covered / essentials as f32
        };
        (coverage, (fits.1 > 0).then(|| fits.0 / fits.1 as f32))
    }

    /// The `limit` roles nearest `origin` by the combined score: every role sharing a skill or a
    /// word with it, or that people have moved to from it.
    pub(crate) fn nearest(&self, origin: u32, limit: usize) -> Vec<Near> {
        self.nearest_with(origin, limit, false)
    }

    /// As [`Model::nearest`]; with `hierarchy`, skills under the groups the origin's skills sit
    /// under count a little: skills = (1 − GROUPS_SHARE) × skills + GROUPS_SHARE × groups.
    pub(crate) fn nearest_with(&self, origin: u32, limit: usize, hierarchy: bool) -> Vec<Near> {
        let empty = Near::empty;
        let mut by_role: HashMap<u32, Near> = HashMap::new();
        for s in self.profiles.compare_all(origin) {
            let (coverage, levels, skills) = if self.levels.is_empty() {
                (s.coverage, None, s.score)
            } else {
                let (coverage, levels) = self.with_levels(origin, &s);
                let w = rolemap_similarity::WEIGHTS;
                let skills = w.cosine * s.cosine + w.jaccard * s.jaccard + w.coverage * coverage;
                (coverage, levels, skills)
            };
            by_role.insert(
                s.other,
                Near {
                    skills,
                    cosine: s.cosine,
                    jaccard: s.jaccard,
                    coverage,
                    levels,
                    ..empty(s.other)
                },
            );
        }
        if hierarchy && let Some(groups) = &self.groups {
            for g in groups.compare_all(origin) {
                let near = by_role.entry(g.other).or_insert_with(|| empty(g.other));
                near.groups = Some(g.cosine);
            }
            for near in by_role.values_mut() {
                let groups = near.groups.unwrap_or(0.0);
                near.groups = Some(groups);
                near.skills = (1.0 - GROUPS_SHARE) * near.skills + GROUPS_SHARE * groups;
            }
        }
        for (other, cosine) in self.texts.cosines(origin) {
            by_role.entry(other).or_insert_with(|| empty(other)).text = cosine;
        }
        let moved = self.moves.get(&origin);
        if let Some((to, _)) = moved {
            for &(other, people) in to {
                if other != origin {
                    by_role.entry(other).or_insert_with(|| empty(other)).people = people;
                }
            }
        }
        let total = moved.map_or(0, |(_, total)| *total);
        let mut all: Vec<Near> = by_role
            .into_values()
            .map(|mut near| {
                let base = SKILLS_SHARE * near.skills + TEXT_SHARE * near.text;
                if total > 0 {
                    near.moved = near.people as f32 / total as f32;
                    near.score = (1.0 - MOVED_SHARE) * base + MOVED_SHARE * near.moved;
                } else {
                    near.score = base;
                }
                near
            })
            .collect();
        all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.other.cmp(&b.other)));
        all.truncate(limit);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observed_movements_weigh_a_quarter_of_the_score() {
        // Roles 1, 2, 3 share the same two skills; of the 40 people who left role 1, 30 went to
        // role 3 and 10 to role 2.
        let (r, s) = (RoleId, SkillId);
        let pairs: Vec<(RoleId, SkillId, bool)> = (1..=3)
            .flat_map(|role| [(r(role), s(10), true), (r(role), s(11), false)])
            .collect();
        let texts = [
            (r(1), String::new()),
            (r(2), String::new()),
            (r(3), String::new()),
        ];
        let still = build(&texts, &pairs, &[], &[]).nearest(0, 5);
        assert_eq!(still[0].other, 1, "ties go to the lower number");
        assert!(still.iter().all(|n| n.people == 0 && n.moved == 0.0));
        let moves = [(r(1), r(3), 30), (r(1), r(2), 10), (r(2), r(1), 99)];
        let moved = build(&texts, &pairs, &moves, &[]).nearest(0, 5);
        assert_eq!(moved[0].other, 2);
        assert_eq!(moved[0].people, 30);
        assert_eq!(moved[0].moved, 0.75);
        let base = SKILLS_SHARE * moved[0].skills + TEXT_SHARE * moved[0].text;
        assert!((moved[0].score - (0.75 * base + 0.25 * 0.75)).abs() < 1e-6);
        assert_eq!(
            (moved[1].other, moved[1].people, moved[1].moved),
            (1, 10, 0.25)
        );
        // Movements into the origin do not count as movements out of it.
        let back = build(&texts, &pairs, &moves, &[]).nearest(1, 5);
        assert_eq!(
            back.iter().find(|n| n.other == 0).map(|n| n.people),
            Some(99)
        );
        assert!(back.iter().all(|n| n.other == 0 || n.people == 0));
    }

    #[test]
    fn with_the_hierarchy_skills_under_one_group_count_a_little() {
        // Role 1 needs skill 10, role 2 skill 11, role 3 skill 12: no skill shared, but 10 and
        // 11 sit under group 7, 12 under group 8.
        let (r, s) = (RoleId, SkillId);
        let pairs = [
            (r(1), s(10), true),
            (r(2), s(11), true),
            (r(3), s(12), true),
        ];
        let texts = [
            (r(1), String::new()),
            (r(2), String::new()),
            (r(3), String::new()),
        ];
        let mut model = build(&texts, &pairs, &[], &[]);
        assert!(
            model.nearest_with(0, 5, true).is_empty(),
            "no hierarchy yet"
        );
        model.set_groups(&[(s(10), 7), (s(11), 7), (s(12), 8), (s(99), 7)]);
        assert!(model.nearest(0, 5).is_empty(), "the hierarchy is optional");
        let near = model.nearest_with(0, 5, true);
        assert_eq!(near.len(), 1, "{near:?}");
        assert_eq!(near[0].other, 1);
        assert_eq!(near[0].groups, Some(1.0));
        assert!((near[0].skills - GROUPS_SHARE).abs() < 1e-6);
        assert!((near[0].score - SKILLS_SHARE * GROUPS_SHARE).abs() < 1e-6);
    }

    #[test]
    fn levels_short_of_the_entry_level_count_in_part() {
        assert_eq!(level_fit(3, 3, 4), 1.0);
        assert_eq!(level_fit(4, 2, 4), 1.0);
        assert_eq!(level_fit(2, 3, 4), 0.75);
        assert_eq!(level_fit(1, 4, 4), 0.25);
        assert_eq!(level_fit(0, 9, 4), 0.0);
    }

    #[test]
    fn levels_lower_coverage_towards_a_more_demanding_role() {
        // Three roles needing the same two essential skills: role 0 up to level 2, role 1 from
        // level 2, role 2 from level 4 (of 4).
        let (r, s) = (RoleId, SkillId);
        let pairs: Vec<(RoleId, SkillId, bool)> = (1..=3)
            .flat_map(|role| [(r(role), s(10), true), (r(role), s(11), true)])
            .collect();
        let level = |role, skill, low, high| rolemap_store::RequirementLevels {
            role: r(role),
            skill: s(skill),
            low,
            high,
            ranks: 4,
        };
        let levels = [
            level(1, 10, 1, 2),
            level(1, 11, 1, 2),
            level(2, 10, 2, 3),
            level(2, 11, 2, 3),
            level(3, 10, 4, 4),
            level(3, 11, 4, 4),
        ];
        let texts = [
            (r(1), String::new()),
            (r(2), String::new()),
            (r(3), String::new()),
        ];
        let model = build(&texts, &pairs, &[], &levels);
        let near = model.nearest(0, 5);
        let peer = near.iter().find(|n| n.other == 1).expect("role 2");
        let senior = near.iter().find(|n| n.other == 2).expect("role 3");
        assert_eq!((peer.coverage, peer.levels), (1.0, Some(1.0)));
        assert_eq!((senior.coverage, senior.levels), (0.5, Some(0.5)));
        assert!(peer.score > senior.score);
        // The same skills without levels: both fully covered.
        let flat = build(&texts, &pairs, &[], &[]).nearest(0, 5);
        assert!(flat.iter().all(|n| n.coverage == 1.0 && n.levels.is_none()));
    }
}
