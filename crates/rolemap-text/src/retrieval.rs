//! The retrieval signal: each clause ranked against every skill's whole text (its preferred,
//! alternative and hidden labels and its description), BM25 over word roots, so a skill named by
//! nouns or implied activities ("2-3 years of sales experience", "strong mechanical background")
//! still ranks, and the label hits of a clause are ordered by how much of the clause their
//! skill's text accounts for.
//!
//! Each skill is one document whose fields count with weights: the preferred label
//! [`PREFERRED_WEIGHT`] per word, every other label [`OTHER_WEIGHT`], hidden labels
//! [`HIDDEN_WEIGHT`], the description [`DESCRIPTION_WEIGHT`]. A word's weight in a document is
//! `idf × tf × (k1 + 1) / (tf + k1 × (1 − b + b × len / avg_len))` with `idf = ln(1 + (N − df +
//! 0.5) / (df + 0.5))` over skills; a clause's score for a skill is the sum over its distinct
//! content roots. Computed once per extractor, the weights sit in one posting list per root.

use rustc_hash::FxHashMap;

use crate::extract::LabelKind;
use crate::paraphrase::Paraphrases;
use crate::stem::UNKNOWN;

/// BM25's saturation and length normalisation. A larger `k1` than the usual 1.2 lets a word
/// a skill's labels repeat count more (measured on the real advert sentences: 1.2 to 2 raised
/// RP@5 0.61 to 0.65).
const K1: f32 = 2.0;
const B: f32 = 0.75;
/// Field weights. The preferred label is what a skill is called; alternative labels are many
/// (up to dozens per skill) and repeat its words, so each counts a tenth as much; descriptions
/// describe the work in general words that every clause shares, and on the real advert
/// sentences any weight on them lowered RP@5 (0 to 0.3 lost 0.05 on one set), so they are left
/// to the paraphrase signal, which uses them only to confirm (a caller ranking against a few
/// skills described in a sentence each sets its own weight: [`crate::ExtractorBuilder`]).
pub const PREFERRED_WEIGHT: f32 = 3.0;
pub const OTHER_WEIGHT: f32 = 0.3;
pub const HIDDEN_WEIGHT: f32 = 0.15;
pub const DESCRIPTION_WEIGHT: f32 = 0.0;
/// A root in more than this share of skills is not looked up: it costs the longest posting
/// lists and, with an idf near its floor, moves no ranking.
const MOST_SHARE: f32 = 0.15;
const MOST_ALWAYS: u32 = 100;

/// The skills' texts as weighted posting lists.
#[derive(Debug, Clone, Default)]
pub struct Retrieval {
    /// Per document, the caller's skill number and the label a hit names (its preferred one,
    /// else its first).
    docs: Vec<(u32, u32, LabelKind)>,
    /// Skill number to document.
    by_skill: FxHashMap<u32, u32>,
    /// Per root, (document, weight), by document.
    postings: Vec<Box<[(u32, f32)]>>,
    /// Per root, its idf (0 for stop words and roots no skill uses).
    idf: Vec<f32>,
    /// Per document, how far its skill is expected in any text ([`Retrieval::set_priors`]).
    priors: Vec<f32>,
    /// Per document, each of its labels as its distinct roots that carry weight, for
    /// [`Retrieval::cover`].
    label_roots: Vec<Vec<Box<[u32]>>>,
}

/// One thread's buffers: per document, its score in the clause at hand.
#[derive(Debug, Default)]
pub struct RetrievalScratch {
    scores: Vec<f32>,
    touched: Vec<u32>,
    query: Vec<(u32, usize)>,
}

/// A clause's scores, as [`Retrieval::rank`] leaves them.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// (skill, label, kind, score), best first, at most the number asked for.
    pub top: Vec<(u32, u32, LabelKind, f32)>,
    /// The best score in the clause (0 when nothing scored).
    pub best: f32,
    /// The most any skill could score in the clause: `(k1 + 1) ×` the sum of the idf of its
    /// distinct content roots.
    pub weight: f32,
    /// The clause's distinct content roots that some skill uses, each with its first word.
    pub query: Vec<(u32, usize)>,
}

impl Retrieval {
    /// From every label, (skill, label number, kind, stems), and every description, (skill,
    /// stems); roots and stop words as `paraphrases` has them.
    pub fn build(
        paraphrases: &Paraphrases,
        labels: &[(u32, u32, LabelKind, Vec<u32>)],
        descriptions: &[(u32, Vec<u32>)],
        description_weight: f32,
    ) -> Retrieval {
        let mut skills: Vec<u32> = labels.iter().map(|l| l.0).collect();
        skills.extend(descriptions.iter().map(|d| d.0));
        skills.sort_unstable();
        skills.dedup();
        let by_skill: FxHashMap<u32, u32> = skills
            .iter()
            .enumerate()
            .map(|(doc, &skill)| (skill, doc as u32))
            .collect();
        let mut docs: Vec<(u32, u32, LabelKind)> = skills
            .iter()
            .map(|&s| (s, u32::MAX, LabelKind::Hidden))
            .collect();
        let mut tf: Vec<FxHashMap<u32, f32>> = vec![FxHashMap::default(); skills.len()];
        let mut length = vec![0.0f32; skills.len()];
        let mut add = |doc: usize, stems: &[u32], weight: f32| {
            for &stem in stems {
                let root = paraphrases.root_of(stem);
                if root == UNKNOWN || paraphrases.idf_of(root) <= 0.0 {
                    continue;
                }
                *tf[doc].entry(root).or_default() += weight;
                length[doc] += weight;
            }
        };
        let mut label_roots: Vec<Vec<Box<[u32]>>> = vec![Vec::new(); skills.len()];
        for (skill, label, kind, stems) in labels {
            let Some(&doc) = by_skill.get(skill) else {
                continue;
            };
            let mut roots: Vec<u32> = stems
                .iter()
                .map(|&stem| paraphrases.root_of(stem))
                .filter(|&root| root != UNKNOWN && paraphrases.idf_of(root) > 0.0)
                .collect();
            roots.sort_unstable();
            roots.dedup();
            if !roots.is_empty() {
                label_roots[doc as usize].push(roots.into_boxed_slice());
            }
            let weight = match kind {
                LabelKind::Preferred => PREFERRED_WEIGHT,
                LabelKind::Alternative => OTHER_WEIGHT,
                LabelKind::Hidden => HIDDEN_WEIGHT,
            };
            add(doc as usize, stems, weight);
            let shown = &mut docs[doc as usize];
            if shown.1 == u32::MAX || *kind < shown.2 {
                *shown = (*skill, *label, *kind);
            }
        }
        for (skill, stems) in descriptions {
            if description_weight > 0.0
                && let Some(&doc) = by_skill.get(skill)
            {
                add(doc as usize, stems, description_weight);
            }
        }
        let n = skills.len().max(1) as f32;
        let average = (length.iter().sum::<f32>() / n).max(f32::EPSILON);
        let roots = tf.iter().flat_map(|t| t.keys()).max().map_or(0, |&r| r + 1) as usize;
        let mut df = vec![0u32; roots];
        for terms in &tf {
            for &root in terms.keys() {
                df[root as usize] += 1;
            }
        }
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| {
                if d == 0 {
                    0.0
                } else {
                    (1.0 + (n - d as f32 + 0.5) / (d as f32 + 0.5)).ln()
                }
            })
            .collect();
        // Small frameworks keep every word: their lists are short anyway.
        let most = ((n * MOST_SHARE) as u32).max(MOST_ALWAYS);
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); roots];
        for (doc, terms) in tf.iter().enumerate() {
            let norm = K1 * (1.0 - B + B * length[doc] / average);
            let mut terms: Vec<(&u32, &f32)> = terms.iter().collect();
            terms.sort_unstable_by_key(|(r, _)| **r);
            for (&root, &f) in terms {
                if df[root as usize] > most {
                    continue;
                }
                let weight = idf[root as usize] * f * (K1 + 1.0) / (f + norm);
                postings[root as usize].push((doc as u32, weight));
            }
        }
        Retrieval {
            priors: vec![1.0; docs.len()],
            docs,
            by_skill,
            postings: postings.into_iter().map(Vec::into_boxed_slice).collect(),
            idf,
            label_roots,
        }
    }

    /// Each skill's score is multiplied by its prior (`priors`: skill, factor; skills not
    /// named keep 1).
    pub fn set_priors(&mut self, priors: &[(u32, f32)]) {
        for &(skill, prior) in priors {
            if let Some(&doc) = self.by_skill.get(&skill) {
                self.priors[doc as usize] = prior;
            }
        }
    }

    /// The prior of `skill` (1 when none was set).
    pub fn prior(&self, skill: u32) -> f32 {
        self.by_skill
            .get(&skill)
            .and_then(|&doc| self.priors.get(doc as usize))
            .copied()
            .unwrap_or(1.0)
    }

    fn idf(&self, root: u32) -> f32 {
        self.idf.get(root as usize).copied().unwrap_or(0.0)
    }

    /// Scores every skill against the words `roots[start..end]` (root numbers, [`UNKNOWN`] for
    /// none) and keeps the best `most`. The scores stay in `scratch` for [`Retrieval::score`]
    /// until the next call.
    pub fn rank(
        &self,
        scratch: &mut RetrievalScratch,
        roots: &[u32],
        (start, end): (usize, usize),
        most: usize,
    ) -> Ranked {
        if scratch.scores.len() != self.docs.len() {
            scratch.scores = vec![0.0; self.docs.len()];
        }
        for &doc in &scratch.touched {
            scratch.scores[doc as usize] = 0.0;
        }
        scratch.touched.clear();
        scratch.query.clear();
        for (i, &root) in roots.iter().enumerate().take(end).skip(start) {
            if root != UNKNOWN
                && self.idf(root) > 0.0
                && !scratch.query.iter().any(|&(r, _)| r == root)
            {
                scratch.query.push((root, i));
            }
        }
        for &(root, _) in &scratch.query {
            for &(doc, weight) in self.postings.get(root as usize).map_or(&[][..], |p| p) {
                let score = &mut scratch.scores[doc as usize];
                if *score == 0.0 {
                    scratch.touched.push(doc);
                }
                *score += weight * self.priors[doc as usize];
            }
        }
        let mut top: Vec<(u32, f32)> = scratch
            .touched
            .iter()
            .map(|&d| (d, scratch.scores[d as usize]))
            .collect();
        let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if top.len() > most && most > 0 {
            top.select_nth_unstable_by(most - 1, by_score);
            top.truncate(most);
        }
        top.sort_by(by_score);
        top.truncate(most);
        let best = top.first().map_or(0.0, |t| t.1);
        let weight = (K1 + 1.0) * scratch.query.iter().map(|&(r, _)| self.idf(r)).sum::<f32>();
        Ranked {
            top: top
                .into_iter()
                .map(|(doc, score)| {
                    let (skill, label, kind) = self.docs[doc as usize];
                    (skill, label, kind, score)
                })
                .collect(),
            best,
            weight,
            query: scratch.query.clone(),
        }
    }

    /// The score of `skill` in the clause last ranked with `scratch` (0 when it scored nothing).
    pub fn score(&self, scratch: &RetrievalScratch, skill: u32) -> f32 {
        self.by_skill
            .get(&skill)
            .and_then(|&doc| scratch.scores.get(doc as usize))
            .copied()
            .unwrap_or(0.0)
    }

    /// How much of `skill`'s best-covered label the clause's roots (`query`) hold, weighing
    /// each root by its idf, in [0, 1]: 1 when some label's every word is in the clause ("team
    /// player" in "a team player who ..."), however the clause ranks the skill overall.
    pub fn cover(&self, skill: u32, query: &[(u32, usize)]) -> f32 {
        let Some(labels) = self
            .by_skill
            .get(&skill)
            .and_then(|&doc| self.label_roots.get(doc as usize))
        else {
            return 0.0;
        };
        let mut best = 0.0f32;
        for label in labels {
            let (mut held, mut total) = (0.0f32, 0.0f32);
            for &root in label.iter() {
                let idf = self.idf(root);
                total += idf;
                if query.iter().any(|&(q, _)| q == root) {
                    held += idf;
                }
            }
            if total > 0.0 {
                best = best.max(held / total);
            }
        }
        best
    }

    /// Which of the clause's roots (`query`, each with its first word) `skill`'s text holds:
    /// the words that are its evidence, as word indices, ascending.
    pub fn words(&self, skill: u32, query: &[(u32, usize)]) -> Vec<usize> {
        let Some(&doc) = self.by_skill.get(&skill) else {
            return Vec::new();
        };
        let mut words: Vec<usize> = query
            .iter()
            .filter(|&&(root, _)| {
                self.postings
                    .get(root as usize)
                    .is_some_and(|p| p.binary_search_by_key(&doc, |&(d, _)| d).is_ok())
            })
            .map(|&(_, i)| i)
            .collect();
        words.sort_unstable();
        words
    }
}
