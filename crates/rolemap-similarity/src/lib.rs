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
//! skills' popularity, and all pairs of ESCO's 3,007 occupations a few tens of milliseconds on two
//! cores. Results are deterministic: ties are broken by role number.
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
    /// Skill s's roles are `roles[skill_start[s]..skill_start[s + 1]]`.
    skill_start: Vec<u32>,
    roles: Vec<u32>,
    role_essential: Vec<bool>,
    /// Per role: the length of its weighted vector, its skill count, its essential skill count.
    norm: Vec<f32>,
    size: Vec<u32>,
    essentials: Vec<u32>,
}

/// Sums over the roles met while visiting one origin's skills.
struct Accumulator {
    dot: Vec<f32>,
    shared: Vec<u32>,
    /// Of the other role's essential skills, how many the origin has.
    essential_shared: Vec<u32>,
    touched: Vec<u32>,
}

impl Accumulator {
    fn new(roles: usize) -> Accumulator {
        Accumulator {
            dot: vec![0.0; roles],
            shared: vec![0; roles],
            essential_shared: vec![0; roles],
            touched: Vec::new(),
        }
    }
}

fn weight(essential: bool) -> f32 {
    if essential { ESSENTIAL } else { OPTIONAL }
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

        let mut norm = vec![0.0f32; roles];
        let mut size = vec![0u32; roles];
        let mut essentials = vec![0u32; roles];
        for &(r, _, e) in &triples {
            let w = weight(e);
            norm[r as usize] += w * w;
            size[r as usize] += 1;
            essentials[r as usize] += u32::from(e);
        }
        for n in &mut norm {
            *n = n.sqrt();
        }
        Profiles {
            role_start,
            skills: role_skills,
            skill_essential,
            skill_start,
            roles: skill_roles,
            role_essential,
            norm,
            size,
            essentials,
        }
    }

    /// Number of roles.
    pub fn roles(&self) -> usize {
        self.norm.len()
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

    /// Visits every role sharing a skill with `origin`, itself included.
    fn accumulate(&self, origin: u32, acc: &mut Accumulator) {
        let (from, to) = self.row(origin);
        for k in from..to {
            let skill = self.skills[k] as usize;
            let w = weight(self.skill_essential[k]);
            let (s_from, s_to) = (
                self.skill_start[skill] as usize,
                self.skill_start[skill + 1] as usize,
            );
            for m in s_from..s_to {
                let other = self.roles[m];
                let o = other as usize;
                if acc.shared[o] == 0 {
                    acc.touched.push(other);
                }
                let essential = self.role_essential[m];
                acc.dot[o] += w * weight(essential);
                acc.shared[o] += 1;
                acc.essential_shared[o] += u32::from(essential);
            }
        }
    }

    /// The components for `origin` against `other` from the sums, then clears them.
    fn take(&self, origin: u32, other: u32, acc: &mut Accumulator) -> Similarity {
        let (a, b) = (origin as usize, other as usize);
        let shared = std::mem::take(&mut acc.shared[b]);
        let dot = std::mem::take(&mut acc.dot[b]);
        let essential_shared = std::mem::take(&mut acc.essential_shared[b]);
        let norms = self.norm[a] * self.norm[b];
        let cosine = if norms > 0.0 {
            (dot / norms).min(1.0)
        } else {
            0.0
        };
        let union = self.size[a] + self.size[b] - shared;
        let jaccard = if union > 0 {
            shared as f32 / union as f32
        } else {
            0.0
        };
        let coverage = if self.essentials[b] > 0 {
            essential_shared as f32 / self.essentials[b] as f32
        } else {
            0.0
        };
        Similarity {
            other,
            cosine,
            jaccard,
            coverage,
            shared,
            score: WEIGHTS.cosine * cosine
                + WEIGHTS.jaccard * jaccard
                + WEIGHTS.coverage * coverage,
        }
    }

    /// Every role sharing a skill with `origin` (not itself), best first: score, then role number.
    pub fn compare_all(&self, origin: u32) -> Vec<Similarity> {
        let mut acc = Accumulator::new(self.roles());
        self.row_into(origin, &mut acc, |_| true)
    }

    /// The `k` roles most like `origin` (not itself), best first.
    pub fn neighbours(&self, origin: u32, k: usize) -> Vec<Similarity> {
        let mut all = self.compare_all(origin);
        all.truncate(k);
        all
    }

    fn row_into(
        &self,
        origin: u32,
        acc: &mut Accumulator,
        mut keep: impl FnMut(&Similarity) -> bool,
    ) -> Vec<Similarity> {
        acc.touched.clear();
        self.accumulate(origin, acc);
        let touched = std::mem::take(&mut acc.touched);
        let mut out = Vec::with_capacity(touched.len());
        for &other in &touched {
            let s = self.take(origin, other, acc);
            if other != origin && keep(&s) {
                out.push(s);
            }
        }
        acc.touched = touched;
        out.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.other.cmp(&y.other)));
        out
    }

    /// For every role, its `k` nearest (best first), and the visit of every pair of roles that
    /// share a skill, in parallel. `each` sees every such pair (origin, similarity), itself
    /// included, before the top `k` are kept: totals and checks need no second pass.
    pub fn all_neighbours(&self, k: usize) -> Vec<Vec<Similarity>> {
        self.all_neighbours_with(k, |_, _| {})
    }

    /// As [`Profiles::all_neighbours`], calling `each(origin, pair)` for every pair visited
    /// (each origin's pairs on one thread, origins on several).
    pub fn all_neighbours_with(
        &self,
        k: usize,
        each: impl Fn(u32, &Similarity) + Sync,
    ) -> Vec<Vec<Similarity>> {
        let roles = self.roles();
        (0..roles as u32)
            .into_par_iter()
            .map_init(
                || (Accumulator::new(roles), Vec::new()),
                |(acc, top): &mut (Accumulator, Vec<Similarity>), origin| {
                    acc.touched.clear();
                    self.accumulate(origin, acc);
                    let touched = std::mem::take(&mut acc.touched);
                    top.clear();
                    for &other in &touched {
                        let s = self.take(origin, other, acc);
                        each(origin, &s);
                        if other != origin {
                            push_top(top, s, k);
                        }
                    }
                    acc.touched = touched;
                    let mut best = top.clone();
                    best.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.other.cmp(&y.other)));
                    best
                },
            )
            .collect()
    }
}

/// Keeps the best `k` seen (unordered): replaces the worst when a better one comes.
fn push_top(top: &mut Vec<Similarity>, s: Similarity, k: usize) {
    if k == 0 {
        return;
    }
    let worse = |x: &Similarity, y: &Similarity| {
        x.score < y.score || (x.score == y.score && x.other > y.other)
    };
    if top.len() < k {
        top.push(s);
        return;
    }
    let mut worst = 0;
    for i in 1..top.len() {
        if worse(&top[i], &top[worst]) {
            worst = i;
        }
    }
    if worse(&top[worst], &s) {
        top[worst] = s;
    }
}

#[cfg(test)]
mod tests;
