//! How alike two roles are, from the skills they require: the role-to-role similarity behind
//! "which roles are within my reach" and progression maps.
//!
//! A role is a set of skills, each essential (weight 1.0) or optional (weight 0.5). For an origin
//! role `a` and another role `b`:
//!
//! * **cosine**: the cosine of their weighted skill vectors — symmetric, in [0, 1];
//! * **jaccard**: shared skills over the skills of either, ignoring weights — symmetric;
//! * **coverage**: the share of `b`'s essential skills that `a` requires at all — asymmetric: how
//!   much of the destination's core the origin already has (0 when `b` lists no essential skill);
//! * **score** = 0.5 × cosine + 0.2 × jaccard + 0.3 × coverage, in [0, 1].
//!
//! Only roles that share at least one skill are compared (all others score 0): an inverted index
//! from skill to roles visits exactly those pairs, so one role's neighbours cost the sum of its
//! skills' popularity, and all pairs of ESCO's 3,007 occupations (2.3 million sharing a skill) with
//! the top 10 of each 10 to 25 ms on two cores (`scripts/bench-similarity.sh`). Results are
//! deterministic: ties are broken by role number.
//!
//! ```
//! use rolemap_similarity::Profiles;
//!
//! // Three roles over four skills: (role, skill, essential?).
//! let profiles = Profiles::new(3, 4, [
//!     (0, 0, true), (0, 1, true), (0, 2, false),
//!     (1, 0, true), (1, 1, false),
//!     (2, 3, true),
//! ]);
//! let near = profiles.neighbours(0, 10);
//! assert_eq!(near.len(), 1); // role 2 shares nothing with role 0
//! assert_eq!(near[0].other, 1);
//! assert_eq!(near[0].shared, 2);
//! assert_eq!(near[0].coverage, 1.0); // role 0 has role 1's one essential skill
//! ```

use rayon::prelude::*;

pub mod routes;
mod text;

pub use text::TextProfiles;

/// Weight of an essential requirement.
pub const ESSENTIAL: f32 = 1.0;
/// Weight of an optional requirement.
pub const OPTIONAL: f32 = 0.5;
/// Weights of the components in the combined score.
pub const WEIGHTS: Weights = Weights {
    cosine: 0.5,
    jaccard: 0.2,
    coverage: 0.3,
};

/// How the components combine into the score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub cosine: f32,
    pub jaccard: f32,
    pub coverage: f32,
}

/// One other role, and how alike it is to the origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// The other role's number.
    pub other: u32,
    pub cosine: f32,
    pub jaccard: f32,
    /// Share of the other role's essential skills the origin requires.
    pub coverage: f32,
    /// Skills both require.
    pub shared: u32,
    pub score: f32,
}

/// Every role's skills, and every skill's roles, in compressed rows.
#[derive(Debug, Clone)]
pub struct Profiles {
    /// Role r's skills are `skills[role_start[r]..role_start[r + 1]]`, sorted, no repeats.
    role_start: Vec<u32>,
    skills: Vec<u32>,
    skill_essential: Vec<bool>,
    /// Skill s's roles are `roles[skill_start[s]..skill_start[s + 1]]`, sorted.
    skill_start: Vec<u32>,
    roles: Vec<u32>,
    role_essential: Vec<bool>,
    /// Per role, what comparing with it needs, side by side for the cache.
    stats: Vec<RoleStats>,
}

/// A role's totals, as the comparisons use them.
#[derive(Debug, Clone, Copy, Default)]
struct RoleStats {
    /// 1 / the length of its weighted vector (0 for a role without skills).
    inv_norm: f32,
    /// 1 / its number of essential skills (0 for a role without any).
    inv_essentials: f32,
    /// Its number of skills.
    size: u32,
}

/// What one origin and one other role have in common, summed over their shared skills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sums {
    /// 4 × the dot product of the weighted vectors: a whole number, as weights are 1 or 1/2.
    dot4: u64,
    shared: u32,
    /// Of the other role's essential skills, how many the origin has.
    essential_shared: u32,
}

// The sums of one pair packed in one u64, so that visiting a skill's role is one addition:
// bits 0..24 hold dot4, 24..44 shared, 44..64 essential_shared. Each is at most 4 × the
// origin's skill count, so they cannot carry into one another while that count is below
// PACKED_LIMIT; larger origins take the wide path.
const SHARED_SHIFT: u32 = 24;
const ESSENTIAL_SHIFT: u32 = 44;
const PACKED_LIMIT: u32 = 1 << 20;

/// What one (origin skill, other role's same skill) meeting adds to the packed sums.
fn packed_delta(origin_essential: bool, other_essential: bool) -> u64 {
    let dot4 = (1 + u64::from(origin_essential)) * (1 + u64::from(other_essential));
    dot4 | 1 << SHARED_SHIFT | u64::from(other_essential) << ESSENTIAL_SHIFT
}

fn unpack(packed: u64) -> Sums {
    Sums {
        dot4: packed & ((1 << SHARED_SHIFT) - 1),
        shared: ((packed >> SHARED_SHIFT) & ((1 << (ESSENTIAL_SHIFT - SHARED_SHIFT)) - 1)) as u32,
        essential_shared: (packed >> ESSENTIAL_SHIFT) as u32,
    }
}

/// Sums over the roles met while visiting one origin's skills. Every slot is zero between
/// origins: reading a role's sums clears them.
#[derive(Debug)]
struct Accumulator {
    packed: Vec<u64>,
    /// The roles met, in the order first met; only `touched[..count]` is meaningful. One slot
    /// more than there are roles, so that writing before counting never runs out.
    touched: Vec<u32>,
    /// For origins with PACKED_LIMIT skills or more (made when first needed).
    wide: Vec<Sums>,
}

impl Accumulator {
    fn new(roles: usize) -> Accumulator {
        Accumulator {
            packed: vec![0; roles],
            touched: vec![0; roles + 1],
            wide: Vec::new(),
        }
    }
}

fn weight(essential: bool) -> f32 {
    if essential { ESSENTIAL } else { OPTIONAL }
}

/// Best first: higher score, then lower role number.
fn better_first(x: &Similarity, y: &Similarity) -> std::cmp::Ordering {
    y.score.total_cmp(&x.score).then(x.other.cmp(&y.other))
}

impl Profiles {
    /// Builds the profiles of `roles` roles over `skills` skills from (role, skill, essential?)
    /// triples. A pair given twice counts once, essential if either says so; numbers out of range
    /// are ignored.
    pub fn new(
        roles: usize,
        skills: usize,
        requirements: impl IntoIterator<Item = (u32, u32, bool)>,
    ) -> Profiles {
        let mut triples: Vec<(u32, u32, bool)> = requirements
            .into_iter()
            .filter(|&(r, s, _)| (r as usize) < roles && (s as usize) < skills)
            .collect();
        // Essential first, so that the first of a repeated pair is the one kept.
        triples.sort_unstable_by_key(|&(r, s, e)| (r, s, !e));
        triples.dedup_by_key(|t| (t.0, t.1));

        let mut role_start = vec![0u32; roles + 1];
        for &(r, _, _) in &triples {
            role_start[r as usize + 1] += 1;
        }
        for r in 0..roles {
            role_start[r + 1] += role_start[r];
        }
        let role_skills: Vec<u32> = triples.iter().map(|t| t.1).collect();
        let skill_essential: Vec<bool> = triples.iter().map(|t| t.2).collect();

        let mut skill_start = vec![0u32; skills + 1];
        for &(_, s, _) in &triples {
            skill_start[s as usize + 1] += 1;
        }
        for s in 0..skills {
            skill_start[s + 1] += skill_start[s];
        }
        let mut fill = skill_start.clone();
        let mut skill_roles = vec![0u32; triples.len()];
        let mut role_essential = vec![false; triples.len()];
        // Triples are sorted by role: each skill's roles come out sorted too.
        for &(r, s, e) in &triples {
            let at = fill[s as usize] as usize;
            skill_roles[at] = r;
            role_essential[at] = e;
            fill[s as usize] += 1;
        }

        let mut squares = vec![0.0f32; roles];
        let mut essentials = vec![0u32; roles];
        let mut stats = vec![RoleStats::default(); roles];
        for &(r, _, e) in &triples {
            let w = weight(e);
            squares[r as usize] += w * w;
            stats[r as usize].size += 1;
            essentials[r as usize] += u32::from(e);
        }
        for ((stat, square), essentials) in stats.iter_mut().zip(squares).zip(essentials) {
            if square > 0.0 {
                stat.inv_norm = 1.0 / square.sqrt();
            }
            if essentials > 0 {
                stat.inv_essentials = 1.0 / essentials as f32;
            }
        }
        Profiles {
            role_start,
            skills: role_skills,
            skill_essential,
            skill_start,
            roles: skill_roles,
            role_essential,
            stats,
        }
    }

    /// Number of roles.
    pub fn roles(&self) -> usize {
        self.stats.len()
    }

    /// A role's skills and whether each is essential, by skill number.
    pub fn skills_of(&self, role: u32) -> impl Iterator<Item = (u32, bool)> + '_ {
        let (from, to) = self.row(role);
        self.skills[from..to]
            .iter()
            .copied()
            .zip(self.skill_essential[from..to].iter().copied())
    }

    fn row(&self, role: u32) -> (usize, usize) {
        let r = role as usize;
        if r + 1 >= self.role_start.len() {
            return (0, 0);
        }
        (self.role_start[r] as usize, self.role_start[r + 1] as usize)
    }

    /// The roles holding one skill and whether each holds it as essential.
    fn holders(&self, skill: u32) -> (&[u32], &[bool]) {
        let s = skill as usize;
        let (from, to) = (
            self.skill_start[s] as usize,
            self.skill_start[s + 1] as usize,
        );
        (&self.roles[from..to], &self.role_essential[from..to])
    }

    /// Calls `each(other, sums)` for every role sharing a skill with `origin`, itself included,
    /// in the order first met, and leaves `acc` cleared.
    fn visit(&self, origin: u32, acc: &mut Accumulator, mut each: impl FnMut(u32, Sums)) {
        let (from, to) = self.row(origin);
        if ((to - from) as u64) < u64::from(PACKED_LIMIT) {
            self.visit_packed(from..to, acc, &mut each);
        } else {
            self.visit_wide(from..to, acc, &mut each);
        }
    }

    /// The hot loop: one addition per (origin skill, role holding it).
    fn visit_packed(
        &self,
        row: std::ops::Range<usize>,
        acc: &mut Accumulator,
        each: &mut impl FnMut(u32, Sums),
    ) {
        let packed = &mut acc.packed[..];
        let touched = &mut acc.touched[..];
        let mut count = 0;
        for (&skill, &origin_essential) in self.skills[row.clone()]
            .iter()
            .zip(&self.skill_essential[row])
        {
            let delta = [
                packed_delta(origin_essential, false),
                packed_delta(origin_essential, true),
            ];
            let (roles, essential) = self.holders(skill);
            for (&other, &other_essential) in roles.iter().zip(essential) {
                let slot = &mut packed[other as usize];
                // Written every time, counted only the first: no branch to mispredict.
                touched[count] = other;
                count += usize::from(*slot == 0);
                *slot += delta[usize::from(other_essential)];
            }
        }
        for &other in &touched[..count] {
            each(other, unpack(std::mem::take(&mut packed[other as usize])));
        }
    }

    /// As `visit_packed`, with a slot of three numbers per role, for origins too large to pack.
    fn visit_wide(
        &self,
        row: std::ops::Range<usize>,
        acc: &mut Accumulator,
        each: &mut impl FnMut(u32, Sums),
    ) {
        let zero = Sums {
            dot4: 0,
            shared: 0,
            essential_shared: 0,
        };
        acc.wide.resize(acc.packed.len(), zero);
        let mut count = 0;
        for (&skill, &origin_essential) in self.skills[row.clone()]
            .iter()
            .zip(&self.skill_essential[row])
        {
            let (roles, essential) = self.holders(skill);
            for (&other, &other_essential) in roles.iter().zip(essential) {
                let slot = &mut acc.wide[other as usize];
                if slot.shared == 0 {
                    acc.touched[count] = other;
                    count += 1;
                }
                slot.dot4 += (1 + u64::from(origin_essential)) * (1 + u64::from(other_essential));
                slot.shared += 1;
                slot.essential_shared += u32::from(other_essential);
            }
        }
        for &other in &acc.touched[..count] {
            each(
                other,
                std::mem::replace(&mut acc.wide[other as usize], zero),
            );
        }
    }

    /// The components for `origin` (its stats `a`) against `other` from their sums.
    #[inline]
    fn similarity(&self, a: RoleStats, other: u32, sums: Sums) -> Similarity {
        self.partial(a, other, sums).finish(a)
    }

    /// Cosine and coverage, enough to bound the score before working out Jaccard.
    #[inline]
    fn partial(&self, a: RoleStats, other: u32, sums: Sums) -> Partial {
        let b = self.stats[other as usize];
        Partial {
            other,
            b,
            sums,
            cosine: (sums.dot4 as f32 * 0.25 * a.inv_norm * b.inv_norm).min(1.0),
            coverage: sums.essential_shared as f32 * b.inv_essentials,
        }
    }

    fn stats_of(&self, role: u32) -> RoleStats {
        self.stats.get(role as usize).copied().unwrap_or_default()
    }

    /// Every role sharing a skill with `origin` (not itself), best first: score, then role number.
    pub fn compare_all(&self, origin: u32) -> Vec<Similarity> {
        let mut acc = Accumulator::new(self.roles());
        let a = self.stats_of(origin);
        let mut out = Vec::new();
        self.visit(origin, &mut acc, |other, sums| {
            if other != origin {
                out.push(self.similarity(a, other, sums));
            }
        });
        out.sort_by(better_first);
        out
    }

    /// Compares a role held elsewhere (in another framework) with every role here that shares a
    /// skill with it, best first. `mapped` are its skills that have a number here, each essential
    /// or not; `all` says, for every one of its skills, mapped or not, whether it is essential, so
    /// that its size and the length of its vector are its own.
    pub fn compare_external(&self, mapped: &[(u32, bool)], all: &[bool]) -> Vec<Similarity> {
        let norm: f32 = all
            .iter()
            .map(|&e| weight(e) * weight(e))
            .sum::<f32>()
            .sqrt();
        let a = RoleStats {
            inv_norm: if norm > 0.0 { 1.0 / norm } else { 0.0 },
            inv_essentials: 0.0,
            size: all.len() as u32,
        };
        let mut mapped: Vec<(u32, bool)> = mapped
            .iter()
            .copied()
            .filter(|&(skill, _)| (skill as usize) + 1 < self.skill_start.len())
            .collect();
        // Essential first, so that a skill mapped twice counts once, essential if either is.
        mapped.sort_unstable_by_key(|&(skill, essential)| (skill, !essential));
        mapped.dedup_by_key(|m| m.0);
        let mut sums: std::collections::BTreeMap<u32, Sums> = std::collections::BTreeMap::new();
        for (skill, origin_essential) in mapped {
            let (roles, essential) = self.holders(skill);
            for (&other, &other_essential) in roles.iter().zip(essential) {
                let slot = sums.entry(other).or_insert(Sums {
                    dot4: 0,
                    shared: 0,
                    essential_shared: 0,
                });
                slot.dot4 += (1 + u64::from(origin_essential)) * (1 + u64::from(other_essential));
                slot.shared += 1;
                slot.essential_shared += u32::from(other_essential);
            }
        }
        let mut out: Vec<Similarity> = sums
            .into_iter()
            .map(|(other, sums)| self.similarity(a, other, sums))
            .collect();
        out.sort_by(better_first);
        out
    }

    /// The `k` roles most like `origin` (not itself), best first.
    pub fn neighbours(&self, origin: u32, k: usize) -> Vec<Similarity> {
        let mut all = self.compare_all(origin);
        all.truncate(k);
        all
    }

    /// For every role, its `k` nearest (best first), and the visit of every pair of roles that
    /// share a skill, in parallel. `each` sees every such pair (origin, similarity), itself
    /// included, before the top `k` are kept: totals and checks need no second pass.
    pub fn all_neighbours(&self, k: usize) -> Vec<Vec<Similarity>> {
        // Nobody sees every pair here, so a pair whose bound is below the current k-th best is
        // dropped before its Jaccard is worked out.
        self.each_origin(k, |acc, top, origin| {
            let a = self.stats_of(origin);
            self.visit(origin, acc, |other, sums| {
                let partial = self.partial(a, other, sums);
                if other != origin && partial.bound() >= top.floor() {
                    top.push(partial.finish(a));
                }
            });
        })
    }

    /// As [`Profiles::all_neighbours`], calling `each(origin, pair)` for every pair visited
    /// (each origin's pairs on one thread, origins on several).
    pub fn all_neighbours_with(
        &self,
        k: usize,
        each: impl Fn(u32, &Similarity) + Sync,
    ) -> Vec<Vec<Similarity>> {
        self.each_origin(k, |acc, top, origin| {
            let a = self.stats_of(origin);
            self.visit(origin, acc, |other, sums| {
                let s = self.similarity(a, other, sums);
                each(origin, &s);
                if other != origin {
                    top.push(s);
                }
            });
        })
    }

    /// Runs `fill(accumulator, top, origin)` for every origin in parallel (an accumulator and a
    /// top per job, reused for its origins), and collects the tops, best first.
    fn each_origin(
        &self,
        k: usize,
        fill: impl Fn(&mut Accumulator, &mut Top, u32) + Sync,
    ) -> Vec<Vec<Similarity>> {
        let roles = self.roles();
        (0..roles as u32)
            .into_par_iter()
            .map_init(
                || (Accumulator::new(roles), Top::new(k)),
                |(acc, top), origin| {
                    top.clear();
                    fill(acc, top, origin);
                    top.best()
                },
            )
            .collect()
    }
}

/// A comparison without Jaccard yet (the one division).
#[derive(Debug, Clone, Copy)]
struct Partial {
    other: u32,
    b: RoleStats,
    sums: Sums,
    cosine: f32,
    coverage: f32,
}

impl Partial {
    /// At least the score: Jaccard counted as 1. The same sum in the same order as the score,
    /// with a larger term, so never below it even after rounding.
    #[inline]
    fn bound(&self) -> f32 {
        combine(self.cosine, 1.0, self.coverage)
    }

    #[inline]
    fn finish(self, a: RoleStats) -> Similarity {
        // Never 0: both roles hold the shared skills.
        let union = a.size + self.b.size - self.sums.shared;
        let jaccard = self.sums.shared as f32 / union.max(1) as f32;
        Similarity {
            other: self.other,
            cosine: self.cosine,
            jaccard,
            coverage: self.coverage,
            shared: self.sums.shared,
            score: combine(self.cosine, jaccard, self.coverage),
        }
    }
}

/// The score from its components.
#[inline]
fn combine(cosine: f32, jaccard: f32, coverage: f32) -> f32 {
    WEIGHTS.cosine * cosine + WEIGHTS.jaccard * jaccard + WEIGHTS.coverage * coverage
}

/// The best `k` seen so far, unordered, and the worst of them: most candidates are turned away
/// by one comparison with its score.
#[derive(Debug)]
struct Top {
    k: usize,
    kept: Vec<Similarity>,
    /// Index in `kept` of the worst, and its score; -inf until `k` are kept, so that every
    /// candidate goes on to `admit` until then.
    worst: usize,
    worst_score: f32,
}

impl Top {
    fn new(k: usize) -> Top {
        let mut top = Top {
            k,
            kept: Vec::with_capacity(k),
            worst: 0,
            worst_score: f32::NEG_INFINITY,
        };
        top.clear();
        top
    }

    fn clear(&mut self) {
        self.kept.clear();
        self.worst = 0;
        // With k = 0 nothing is ever kept.
        self.worst_score = if self.k == 0 {
            f32::INFINITY
        } else {
            f32::NEG_INFINITY
        };
    }

    /// No score below this can enter.
    #[inline]
    fn floor(&self) -> f32 {
        self.worst_score
    }

    #[inline]
    fn push(&mut self, s: Similarity) {
        // Scores are never NaN: a lower one cannot enter, an equal one may (lower role number).
        if s.score >= self.worst_score {
            self.admit(s);
        }
    }

    #[inline(never)]
    fn admit(&mut self, s: Similarity) {
        if self.kept.len() < self.k {
            self.kept.push(s);
            if self.kept.len() == self.k {
                self.find_worst();
            }
            return;
        }
        let Some(worst) = self.kept.get(self.worst) else {
            return;
        };
        if better_first(&s, worst).is_lt() {
            self.kept[self.worst] = s;
            self.find_worst();
        }
    }

    fn find_worst(&mut self) {
        // As `better_first`, with plain comparisons: scores are never NaN.
        let worse = |x: &Similarity, y: &Similarity| {
            x.score < y.score || (x.score == y.score && x.other > y.other)
        };
        let mut worst = 0;
        for i in 1..self.kept.len() {
            if worse(&self.kept[i], &self.kept[worst]) {
                worst = i;
            }
        }
        self.worst = worst;
        self.worst_score = self.kept[worst].score;
    }

    /// The kept, best first.
    fn best(&self) -> Vec<Similarity> {
        let mut best = self.kept.clone();
        best.sort_by(better_first);
        best
    }
}

#[cfg(test)]
mod tests;
