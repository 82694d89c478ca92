//! Relations kept until every file is read, then their ends resolved against the definitions.

use super::*;

/// Where a concept was defined, for "defined twice" messages and relation checks.
#[derive(Debug, Clone, Copy)]
pub(super) struct Definition {
    pub(super) what: &'static str,
    /// Index into `EscoReader::names`.
    pub(super) file: u32,
    pub(super) line: usize,
    /// The concept's number, in order of definition: relations are compared by number, not URI.
    pub(super) number: u32,
}

/// A relation row kept until every file is in, so ends can be checked against all definitions.
#[derive(Debug, Clone)]
pub(super) struct Pending {
    /// Index into `EscoReader::names`.
    pub(super) file: u32,
    pub(super) line: usize,
    /// The 1-based CSV column of each end (in the order of [`Relation::ends`]), 0 if unknown.
    pub(super) columns: [u32; 4],
    pub(super) relation: Relation,
}

#[derive(Debug, Clone)]
pub(super) enum Relation {
    OccupationSkill(OccupationSkill),
    SkillSkill(SkillSkill),
    Broader(Broader),
    Member {
        collection: usize,
        uri: String,
        kinds: &'static [&'static str],
    },
    /// A row of `EscoData::hierarchy`.
    Hierarchy {
        row: usize,
    },
}

/// One end of a relation: the field it is in, its URI and the kinds of concept it may name.
pub(super) type End<'a> = (&'static str, &'a str, &'static [&'static str]);

pub(super) const OCCUPATION: &[&str] = &["occupation"];
pub(super) const SKILL: &[&str] = &["skill"];
pub(super) const OCC_PILLAR: &[&str] = &["occupation", "ISCO group"];
pub(super) const SKILL_PILLAR: &[&str] = &["skill", "skill group"];
pub(super) const HIERARCHY_LEVELS: [(&str, &str, &str); 4] = [
    ("Level 0 URI", "Level 0 preferred term", "Level 0 code"),
    ("Level 1 URI", "Level 1 preferred term", "Level 1 code"),
    ("Level 2 URI", "Level 2 preferred term", "Level 2 code"),
    ("Level 3 URI", "Level 3 preferred term", "Level 3 code"),
];

impl Relation {
    /// The relation's ends, in order; `hierarchy` holds the rows `Hierarchy` points at.
    pub(super) fn ends<'a>(&'a self, hierarchy: &'a [HierarchyRow]) -> [Option<End<'a>>; 4] {
        let mut ends = [None; 4];
        match self {
            Relation::OccupationSkill(r) => {
                ends[0] = Some(("occupationUri", &*r.occupation, OCCUPATION));
                ends[1] = Some(("skillUri", &*r.skill, SKILL));
            }
            Relation::SkillSkill(r) => {
                ends[0] = Some(("originalSkillUri", &*r.skill, SKILL));
                ends[1] = Some(("relatedSkillUri", &*r.related, SKILL));
            }
            Relation::Broader(r) => {
                let kinds = match r.pillar {
                    Pillar::Occupations => OCC_PILLAR,
                    Pillar::Skills => SKILL_PILLAR,
                };
                ends[0] = Some(("conceptUri", &*r.narrower, kinds));
                ends[1] = Some(("broaderUri", &*r.broader, kinds));
            }
            Relation::Member { uri, kinds, .. } => {
                ends[0] = Some(("conceptUri", uri.as_str(), *kinds));
            }
            Relation::Hierarchy { row } => {
                if let Some(row) = hierarchy.get(*row) {
                    for (end, ((field, _, _), (uri, _, _))) in ends
                        .iter_mut()
                        .zip(HIERARCHY_LEVELS.iter().zip(&row.levels))
                    {
                        *end = Some((*field, uri.as_str(), SKILL_PILLAR));
                    }
                }
            }
        }
        ends
    }
}

/// The definition numbers of a relation's ends, or `None` if one names no concept of its kinds.
pub(super) fn resolve(
    relation: &Relation,
    defined: &UriMap<String, Definition>,
    hierarchy: &[HierarchyRow],
) -> Option<[u32; 4]> {
    let mut numbers = [0u32; 4];
    for (end, number) in relation.ends(hierarchy).iter().zip(&mut numbers) {
        let Some((_, uri, kinds)) = *end else {
            continue;
        };
        *number = defined.get(uri).filter(|d| kinds.contains(&d.what))?.number;
    }
    Some(numbers)
}

/// [`resolve`] for every pending relation, on as many threads as there are cores when there are
/// many (ESCO has 160,000: each end a lookup by URI).
pub(super) fn resolve_all(
    pending: &[Pending],
    defined: &UriMap<String, Definition>,
    hierarchy: &[HierarchyRow],
) -> Vec<Option<[u32; 4]>> {
    let mut resolved = vec![None; pending.len()];
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || pending.len() < 10_000 {
        for (p, out) in pending.iter().zip(&mut resolved) {
            *out = resolve(&p.relation, defined, hierarchy);
        }
        return resolved;
    }
    let chunk = pending.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for (part, out) in pending.chunks(chunk).zip(resolved.chunks_mut(chunk)) {
            scope.spawn(move || {
                for (p, out) in part.iter().zip(out) {
                    *out = resolve(&p.relation, defined, hierarchy);
                }
            });
        }
    });
    resolved
}
