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
    roles: Vec<RoleId>,
    index: HashMap<RoleId, u32>,
}

/// Each framework's model, by framework key.
type Models = HashMap<String, Arc<Model>>;

/// Models as last built, for one frameworks generation.
#[derive(Debug, Default)]
pub(crate) struct SimilarityCache {
    current: std::sync::RwLock<Option<(i64, Models)>>,
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
    /// Share of this role's essential skills the origin requires.
    pub coverage: f32,
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
}

/// The skills of `other` the origin holds (by label), and those it would gain: (label,
/// essential?), essential first, then by label.
fn explain(held: &HashSet<SkillId>, other: &Role) -> (Vec<String>, Vec<(String, bool)>) {
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

/// How the framework links `origin` to `other`, in words, if it does.
fn link_between(origin: &Role, other: &Role) -> Option<String> {
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
}

impl Service {
    /// The `limit` roles of the same framework most like `role` (best first), with the score,
    /// its components, the shared skills and the skills to gain.
    pub async fn similar(
        &self,
        role: &str,
        framework: Option<&str>,
        limit: usize,
    ) -> Result<SimilarRoles> {
        if limit == 0 || limit > MAX_NEIGHBOURS {
            return Err(ServiceError::invalid(
                "limit",
                format!("must be 1 to {MAX_NEIGHBOURS}, not {limit}"),
            ));
        }
        let origin = self.role_shared(role, framework).await?;
        let model = self.similarity_model(&origin.framework_key).await?;
        let Some(&number) = model.index.get(&origin.id) else {
            return Err(ServiceError::invalid(
                "role",
                format!(
                    "{} is in an older version of {}; similarity compares the roles of the latest",
                    origin.title, origin.framework_key
                ),
            ));
        };
        let held: HashSet<SkillId> = origin.requirements.iter().map(|r| r.skill.id).collect();
        let mut neighbours = Vec::new();
        for (other, s, text, moved, moved_people, score) in model.nearest(number, limit) {
            let Some(&id) = model.roles.get(other as usize) else {
                continue;
            };
            let other = self.role_by_id(id).await?;
            let (shared, to_gain) = explain(&held, &other);
            neighbours.push(Neighbour {
                change: origin.change_to(&other),
                link: link_between(&origin, &other),
                role: other,
                score,
                skills: s.score,
                cosine: s.cosine,
                jaccard: s.jaccard,
                coverage: s.coverage,
                text,
                moved,
                moved_people,
                shared,
                to_gain,
            });
        }
        Ok(SimilarRoles {
            role: origin,
            neighbours,
        })
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
            map.neighbours.push(Neighbour {
                change: origin.change_to(&other),
                link: link_between(&origin, &other),
                role: other,
                score: 0.0,
                skills: 0.0,
                cosine: 0.0,
                jaccard: 0.0,
                coverage: 0.0,
                text: 0.0,
                moved: 0.0,
                moved_people: 0,
                shared,
                to_gain,
            });
        }
        Ok(map)
    }

    /// The similarity model of a framework's latest version, built once per generation.
    async fn similarity_model(&self, framework: &str) -> Result<Arc<Model>> {
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
        let model = Arc::new(
            tokio::task::spawn_blocking(move || build(&texts, &pairs, &moves))
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
    Model {
        profiles: Profiles::new(roles.len(), skills.len(), triples),
        texts: TextProfiles::new(&role_texts),
        moves,
        roles,
        index,
    }
}

/// What `Model::nearest` gives for each neighbour: its number, its skill similarity, the text
/// cosine, the share and number of people who moved there, and the combined score.
type Near = (u32, rolemap_similarity::Similarity, f32, f32, u64, f32);

fn no_skills(other: u32) -> rolemap_similarity::Similarity {
    rolemap_similarity::Similarity {
        other,
        cosine: 0.0,
        jaccard: 0.0,
        coverage: 0.0,
        shared: 0,
        score: 0.0,
    }
}

impl Model {
    /// The `limit` roles nearest `origin` by the combined score: every role sharing a skill or a
    /// word with it, or that people have moved to from it.
    fn nearest(&self, origin: u32, limit: usize) -> Vec<Near> {
        let mut by_role: HashMap<u32, (rolemap_similarity::Similarity, f32, u64)> = HashMap::new();
        for s in self.profiles.compare_all(origin) {
            by_role.insert(s.other, (s, 0.0, 0));
        }
        for (other, cosine) in self.texts.cosines(origin) {
            by_role
                .entry(other)
                .or_insert_with(|| (no_skills(other), 0.0, 0))
                .1 = cosine;
        }
        let moved = self.moves.get(&origin);
        if let Some((to, _)) = moved {
            for &(other, people) in to {
                if other != origin {
                    by_role
                        .entry(other)
                        .or_insert_with(|| (no_skills(other), 0.0, 0))
                        .2 = people;
                }
            }
        }
        let total = moved.map_or(0, |(_, total)| *total);
        let mut all: Vec<Near> = by_role
            .into_iter()
            .map(|(other, (s, text, people))| {
                let base = SKILLS_SHARE * s.score + TEXT_SHARE * text;
                let (share, score) = if total > 0 {
                    let share = people as f32 / total as f32;
                    (share, (1.0 - MOVED_SHARE) * base + MOVED_SHARE * share)
                } else {
                    (0.0, base)
                };
                (other, s, text, share, people, score)
            })
            .collect();
        all.sort_by(|a, b| b.5.total_cmp(&a.5).then(a.0.cmp(&b.0)));
        all.truncate(limit);
        all
    }
}
