//! Roles like a given one: `rolemap similar`, from the skills roles require (see
//! [`rolemap_similarity`] for the components and how they combine), each neighbour explained by
//! the skills both require and the ones a move would mean gaining.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rolemap_core::{Importance, Role, RoleId, SkillId};
use rolemap_similarity::{Profiles, TextProfiles};

use crate::{Result, Service, ServiceError};

mod find;
mod model;

pub(crate) use model::Near;

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
