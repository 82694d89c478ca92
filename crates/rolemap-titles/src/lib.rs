//! Job-title coding: ranks occupations for a job title as people write it, in any word order, with
//! abbreviations ("ops mgr"), seniority words and typos.
//!
//! Every title an occupation is known by (preferred, alternative, typical job titles, hidden
//! labels) is indexed. A title is scored against an occupation by two cosines of TF-IDF vectors
//! (sublinear term frequency, smoothed inverse document frequency):
//! - spelling: character 2- to 4-grams of each word padded with spaces (scikit-learn's
//!   `char_wb`) against each of the occupation's titles, the best one counting: forgives typos,
//!   inflections and word order;
//! - words: Snowball stems of the words against the words of all the occupation's titles taken as
//!   one text: an occupation whose titles between them hold the query's words ranks above one that
//!   shares a word with one title.
//!
//! [`Weights`] fuses them; occupations are ranked by score, ties by occupation number, so results
//! are deterministic.
//!
//! Invariant: the index is read-only once built; queries share it across threads and keep their
//! own scratch space. No dense document-by-feature matrix is ever made: postings lists and sparse
//! vectors only.

mod analyse;
mod context;
mod postings;
mod terms;

use std::cell::RefCell;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use context::Context;
use postings::Postings;
use terms::{Gram, Terms, terms};

pub use analyse::{ABBREVIATIONS, SENIORITY_WORDS, normalise};

/// Which of an occupation's titles a label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelKind {
    /// The preferred title.
    Preferred,
    /// An alternative or typical job title.
    Alternative,
    /// A title kept for search only (ESCO's hidden labels: misspellings, old names).
    Hidden,
}

/// One title of one occupation, as the index takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleEntry {
    /// The caller's number for the occupation; results name it.
    pub occupation: u32,
    pub label: String,
    pub kind: LabelKind,
}

/// Why an occupation matched: the two scores fused into its score, each in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Why {
    /// How well the title's words match the words of all the occupation's titles.
    pub words: f32,
    /// How well the title is spelt like the matched label (cosine of character n-grams).
    pub spelling: f32,
}

/// One occupation found for a title.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleMatch {
    pub occupation: u32,
    /// In [0, 1]; higher is better.
    pub score: f32,
    /// The occupation's label that matched best, as it was indexed.
    pub label: String,
    pub kind: LabelKind,
    pub why: Why,
}

/// How the scores are fused. The defaults were tuned on a held-out split of ESCO's alternative
/// labels drawn with another seed (11) than the one reported (7); see `examples/eval_titles.rs`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Share of the score that comes from the words of all an occupation's titles; the rest comes
    /// from the spelling of its best title.
    pub words: f32,
    /// An occupation's word vector is divided by its length to this power: below 1, an
    /// occupation with many titles is penalised less for their many words than a cosine would.
    pub words_norm: f32,
    /// What a seniority word ([`SENIORITY_WORDS`]) counts for, against 1 for other words.
    pub seniority: f32,
    /// Multiplies the spelling score of an occupation's preferred title.
    pub preferred: f32,
    /// Character n-grams found in more than this share of the titles ("er", " m"), and in more
    /// than 500, only count for the candidates: their postings lists would be most of the work,
    /// and they say little.
    pub common_grams: f32,
    /// How many titles, the best by the scores summed over the rarer n-grams, are candidates and
    /// get their exact score (at least four times the results asked for).
    pub candidates: usize,
    /// What an occupation's context adds ([`TitleIndex::build_with_context`]): the share of the
    /// title's words it holds, each word weighed by its idf over the contexts, times this.
    pub context: f32,
    /// What the title's words that no indexed title holds add through the context: the share of
    /// them an occupation's context holds, times this ([`CONTEXT_SHARE`]).
    pub unknown: f32,
    /// Multiplies the score of an occupation none of whose titles holds the head word of a
    /// title of several words ("general worker" is not an army general).
    pub headless: f32,
    /// How many occupations, the best by their word and context scores, are candidates with all
    /// their titles besides those the n-grams find (at least the results asked for).
    pub by_words: usize,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            words: 0.5,
            words_norm: 0.75,
            seniority: 0.5,
            preferred: 1.05,
            common_grams: 0.02,
            candidates: 100,
            context: 0.1,
            unknown: CONTEXT_SHARE,
            headless: 0.9,
            by_words: 10,
        }
    }
}

/// An n-gram is never too common to sum over if it is in at most this many titles: a small
/// index is read in full.
const MIN_COMMON: usize = 500;

/// What a title's words that no indexed title holds add, through the occupations' context (the
/// labels of the skills they require; [`TitleIndex::build_with_context`]): the share of those
/// words an occupation's context holds, times this. Enough to decide between the senses of a
/// head word the titles share ("Java developer": software, not property developer), too little
/// to outrank an occupation whose titles hold the words.
pub const CONTEXT_SHARE: f32 = 0.15;

/// The term frequencies of each occupation's titles together, each list ordered by term.
fn merge_by_occupation<K: std::hash::Hash + Eq + Clone + Ord>(
    labels: &[Label],
    docs: &[Vec<(K, f32)>],
    occupations: usize,
) -> Vec<Vec<(K, f32)>> {
    let mut merged: Vec<FxHashMap<K, f32>> = vec![FxHashMap::default(); occupations];
    for (label, doc) in labels.iter().zip(docs) {
        for (term, tf) in doc {
            *merged[label.occupation as usize]
                .entry(term.clone())
                .or_default() += tf;
        }
    }
    merged
        .into_iter()
        .map(|tf| {
            let mut tf: Vec<(K, f32)> = tf.into_iter().collect();
            tf.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            tf
        })
        .collect()
}

/// An indexed label.
#[derive(Debug)]
struct Label {
    /// Index into `TitleIndex::occupations`.
    occupation: u32,
    text: String,
    kind: LabelKind,
}

/// Every title of every occupation, indexed for coding.
#[derive(Debug)]
pub struct TitleIndex {
    labels: Vec<Label>,
    /// Occupation `o`'s titles are `label_order[label_starts[o]..label_starts[o + 1]]`.
    label_starts: Vec<u32>,
    label_order: Vec<u32>,
    /// The callers' occupation numbers, ascending.
    occupations: Vec<u32>,
    /// Character n-grams of each title, by index into `labels`.
    grams: Postings<Gram>,
    /// Word stems of each occupation's titles together, by index into `occupations`.
    words: Postings<String>,
    weights: Weights,
    stemmer: Stemmer,
    context: Context,
}

/// The English Snowball stemmer (a wrapper so the index can derive `Debug`).
struct Stemmer(frostem::Stemmer);

impl std::fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmer(English)")
    }
}

/// A query's working space, one per thread: partial scores by title and word scores by
/// occupation, reset after each query by walking only what was touched.
#[derive(Debug, Default)]
struct Scratch {
    spelling: Vec<f32>,
    touched: Vec<u32>,
    words: Vec<f32>,
    words_touched: Vec<u32>,
    best: Vec<Best>,
    best_touched: Vec<u32>,
    /// The query's character n-gram weights by feature.
    query: Vec<f32>,
    /// What each occupation's context adds to its score.
    context: Vec<f32>,
    context_touched: Vec<u32>,
}

/// An occupation's best title so far (`label` is `u32::MAX` for none).
#[derive(Debug, Clone, Copy)]
struct Best {
    score: f32,
    label: u32,
    spelling: f32,
}

impl Default for Best {
    fn default() -> Best {
        Best {
            score: 0.0,
            label: u32::MAX,
            spelling: 0.0,
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl TitleIndex {
    /// Indexes the titles with the default [`Weights`].
    pub fn build(entries: impl IntoIterator<Item = TitleEntry>) -> TitleIndex {
        TitleIndex::build_with(entries, Weights::default())
    }

    /// Indexes the titles (empty ones are left out) with these weights.
    pub fn build_with(
        entries: impl IntoIterator<Item = TitleEntry>,
        weights: Weights,
    ) -> TitleIndex {
        TitleIndex::build_with_context(entries, Vec::new(), weights)
    }

    /// Indexes the titles with each occupation's context: texts saying what it does, (occupation,
    /// text), such as the labels of the skills it requires. A title's words that no title holds
    /// ("Java", "full-stack") then count for the occupations whose context holds them
    /// ([`CONTEXT_SHARE`]); context of an occupation with no title is left out.
    pub fn build_with_context(
        entries: impl IntoIterator<Item = TitleEntry>,
        context: Vec<(u32, String)>,
        weights: Weights,
    ) -> TitleIndex {
        let entries: Vec<TitleEntry> = entries
            .into_iter()
            .filter(|e| !e.label.trim().is_empty())
            .collect();
        let mut occupations: Vec<u32> = entries.iter().map(|e| e.occupation).collect();
        occupations.sort_unstable();
        occupations.dedup();
        let labels: Vec<Label> = entries
            .into_iter()
            .map(|e| Label {
                occupation: occupations.binary_search(&e.occupation).unwrap_or(0) as u32,
                text: e.label,
                kind: e.kind,
            })
            .collect();
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        let terms: Vec<Terms> = labels
            .par_iter()
            .map(|label| terms(&label.text, &weights, &stemmer))
            .collect();
        let (grams, stems): (Vec<_>, Vec<_>) =
            terms.into_iter().map(|t| (t.grams, t.stems)).unzip();
        let by_occupation = merge_by_occupation(&labels, &stems, occupations.len());
        let (grams, words) = rayon::join(
            || Postings::build(&grams, 1.0),
            || Postings::build(&by_occupation, weights.words_norm),
        );
        let context = Context::build(&context, &occupations, &stemmer);
        let mut label_starts = vec![0u32; occupations.len() + 1];
        for label in &labels {
            label_starts[label.occupation as usize + 1] += 1;
        }
        for o in 0..occupations.len() {
            label_starts[o + 1] += label_starts[o];
        }
        let mut fill = label_starts.clone();
        let mut label_order = vec![0u32; labels.len()];
        for (at, label) in labels.iter().enumerate() {
            let slot = &mut fill[label.occupation as usize];
            label_order[*slot as usize] = at as u32;
            *slot += 1;
        }
        TitleIndex {
            labels,
            label_starts,
            label_order,
            occupations,
            grams,
            words,
            weights,
            stemmer: Stemmer(stemmer),
            context,
        }
    }

    /// How many titles are indexed.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The `k` occupations that best match `title`, best first (none for a title that shares
    /// nothing with any indexed title).
    pub fn code(&self, title: &str, k: usize) -> Vec<TitleMatch> {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.code_in(title, k, &mut scratch),
            Err(_) => self.code_in(title, k, &mut Scratch::default()),
        })
    }

    /// [`TitleIndex::code`] for many titles, on all cores; results in the order of the titles.
    pub fn code_batch<S: AsRef<str> + Sync>(&self, titles: &[S], k: usize) -> Vec<Vec<TitleMatch>> {
        titles
            .par_iter()
            .with_min_len(64)
            .map(|title| self.code(title.as_ref(), k))
            .collect()
    }

    /// Adds to each occupation what its context gives the title's words: `context` times the
    /// idf-weighted share of them it holds, and `unknown` times the share it holds of the words
    /// no title holds.
    fn add_context(&self, stems: &[(String, f32)], scratch: &mut Scratch) {
        if self.context.is_empty() {
            return;
        }
        let Weights {
            context, unknown, ..
        } = self.weights;
        let idf = |stem: &str| {
            self.context
                .stems
                .get(stem)
                .map_or(self.context.absent_idf, |(idf, _)| *idf)
        };
        let total: f32 = stems.iter().map(|(stem, w)| w * idf(stem)).sum();
        let unknowns = stems
            .iter()
            .filter(|(stem, _)| !self.words.ids.contains_key(stem))
            .count();
        if total <= 0.0 {
            return;
        }
        for (stem, w) in stems {
            let Some((idf, holders)) = self.context.stems.get(stem) else {
                continue;
            };
            let mut add = context * w * idf / total;
            if !self.words.ids.contains_key(stem) {
                add += unknown / unknowns as f32;
            }
            if add <= 0.0 {
                continue;
            }
            for &occupation in holders.iter() {
                let slot = &mut scratch.context[occupation as usize];
                if *slot == 0.0 {
                    scratch.context_touched.push(occupation);
                }
                *slot += add;
            }
        }
    }

    fn code_in(&self, title: &str, k: usize, scratch: &mut Scratch) -> Vec<TitleMatch> {
        if k == 0 || self.labels.is_empty() {
            return Vec::new();
        }
        let Weights {
            words: words_share,
            preferred,
            common_grams,
            candidates,
            ..
        } = self.weights;
        let spelling_share = 1.0 - words_share;
        let terms = terms(title, &self.weights, &self.stemmer.0);
        let grams = self.grams.query(&terms.grams);
        let stems = self.words.query(&terms.stems);
        if scratch.spelling.len() != self.labels.len() {
            scratch.spelling = vec![0.0; self.labels.len()];
            scratch.touched.clear();
        }
        if scratch.query.len() != self.grams.idf.len() {
            scratch.query = vec![0.0; self.grams.idf.len()];
        }
        for &(feature, weight) in &grams {
            scratch.query[feature as usize] = weight;
        }
        if scratch.words.len() != self.occupations.len() {
            scratch.words = vec![0.0; self.occupations.len()];
            scratch.words_touched.clear();
            scratch.best = vec![Best::default(); self.occupations.len()];
            scratch.best_touched.clear();
            scratch.context = vec![0.0; self.occupations.len()];
            scratch.context_touched.clear();
        }
        for &(feature, weight) in &stems {
            for &(occupation, w) in self.words.postings(feature) {
                let slot = &mut scratch.words[occupation as usize];
                if *slot == 0.0 {
                    scratch.words_touched.push(occupation);
                }
                *slot += weight * w;
            }
        }
        self.add_context(&terms.stems, scratch);
        let common = ((common_grams * self.labels.len() as f32) as usize).max(MIN_COMMON);
        let add_grams = |common_pass: bool, scratch: &mut Scratch| {
            for &(feature, weight) in &grams {
                let postings = self.grams.postings(feature);
                if (postings.len() > common) != common_pass {
                    continue;
                }
                for &(label, w) in postings {
                    let slot = &mut scratch.spelling[label as usize];
                    if *slot == 0.0 {
                        scratch.touched.push(label);
                    }
                    *slot += weight * w;
                }
            }
        };
        add_grams(false, scratch);
        // A title made only of frequent words ("Sales Manager", "Supervisor") shares no rare
        // n-gram with any title: its common n-grams are summed too, so it always gets an
        // answer (a rare case, so the cost does not show in bulk).
        if scratch.touched.len() < k {
            add_grams(true, scratch);
        }
        // The best titles by the scores so far become candidates and get their exact spelling
        // score, from their vectors.
        let mut ranked: Vec<(f32, u32)> = scratch
            .touched
            .drain(..)
            .map(|label| {
                let partial = std::mem::take(&mut scratch.spelling[label as usize]);
                let occupation = self.labels[label as usize].occupation as usize;
                (
                    spelling_share * partial
                        + words_share * scratch.words[occupation]
                        + scratch.context[occupation],
                    label,
                )
            })
            .collect();
        let by_score = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        let keep = candidates.max(4 * k);
        if ranked.len() > keep {
            ranked.select_nth_unstable_by(keep - 1, by_score);
            ranked.truncate(keep);
        }
        let consider = |label: u32, scratch: &mut Scratch| {
            let spelling = self.grams.cosine(&scratch.query, label);
            let entry = &self.labels[label as usize];
            let mut score = spelling;
            if entry.kind == LabelKind::Preferred {
                score *= preferred;
            }
            let best = &mut scratch.best[entry.occupation as usize];
            if best.label == u32::MAX {
                scratch.best_touched.push(entry.occupation);
            }
            if best.label == u32::MAX
                || score > best.score
                || (score == best.score && label < best.label)
            {
                *best = Best {
                    score,
                    label,
                    spelling,
                };
            }
        };
        for (_, label) in ranked {
            consider(label, scratch);
        }
        // The occupations whose titles between them hold the title's words best are candidates
        // too, with all their titles, although no title of theirs shares a rare n-gram: a title
        // whose head word is common ("general worker") finds the workers, not only the generals.
        let mut by_words: Vec<(f32, u32)> = scratch
            .words_touched
            .iter()
            .filter(|&&o| scratch.best[o as usize].label == u32::MAX)
            .map(|&o| {
                (
                    words_share * scratch.words[o as usize] + scratch.context[o as usize],
                    o,
                )
            })
            .collect();
        let extra = self.weights.by_words.max(k);
        if by_words.len() > extra {
            by_words.select_nth_unstable_by(extra - 1, by_score);
            by_words.truncate(extra);
        }
        for (_, occupation) in by_words {
            let o = occupation as usize;
            for at in self.label_starts[o]..self.label_starts[o + 1] {
                consider(self.label_order[at as usize], scratch);
            }
        }
        for &(feature, _) in &grams {
            scratch.query[feature as usize] = 0.0;
        }
        // A title of several words names the job by its head word ("worker" in "general
        // worker"): an occupation none of whose titles holds it is marked down.
        let head = terms
            .head
            .as_deref()
            .filter(|_| terms.stems.len() > 1)
            .and_then(|stem| self.words.ids.get(stem).copied());
        let mut found: Vec<(f32, Best, f32)> = scratch
            .best_touched
            .drain(..)
            .map(|occupation| {
                let best = std::mem::take(&mut scratch.best[occupation as usize]);
                let words = scratch.words[occupation as usize];
                let mut score = spelling_share * best.score
                    + words_share * words
                    + scratch.context[occupation as usize];
                if let Some(head) = head
                    && !self.words.holds(occupation, head)
                {
                    score *= self.weights.headless;
                }
                (score, best, words)
            })
            .collect();
        for occupation in scratch.words_touched.drain(..) {
            scratch.words[occupation as usize] = 0.0;
        }
        for occupation in scratch.context_touched.drain(..) {
            scratch.context[occupation as usize] = 0.0;
        }
        // Ties by occupation number, which the label's position follows.
        let by_occupation = |a: &(f32, Best, f32), b: &(f32, Best, f32)| {
            b.0.total_cmp(&a.0).then(
                self.labels[a.1.label as usize]
                    .occupation
                    .cmp(&self.labels[b.1.label as usize].occupation),
            )
        };
        if found.len() > k {
            found.select_nth_unstable_by(k - 1, by_occupation);
            found.truncate(k);
        }
        found.sort_unstable_by(by_occupation);
        found
            .into_iter()
            .map(|(score, best, words)| {
                let label = &self.labels[best.label as usize];
                TitleMatch {
                    occupation: self.occupations[label.occupation as usize],
                    score: score.clamp(0.0, 1.0),
                    label: label.text.clone(),
                    kind: label.kind,
                    why: Why {
                        words: words.clamp(0.0, 1.0),
                        spelling: best.spelling,
                    },
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A few occupations, each with its titles (the first is the preferred one).
    const FIXTURE: &[(u32, &[&str])] = &[
        (
            10,
            &[
                "ICT operations manager",
                "ICT operations supervisor",
                "manager of ICT operations",
            ],
        ),
        (
            20,
            &[
                "operations manager",
                "operations director",
                "head of operations",
            ],
        ),
        (
            30,
            &[
                "software developer",
                "software engineer",
                "programmer",
                "application developer",
            ],
        ),
        (
            40,
            &[
                "nurse responsible for general care",
                "general nurse",
                "staff nurse",
            ],
        ),
        (
            50,
            &[
                "human resources manager",
                "personnel manager",
                "human resources director",
            ],
        ),
        (60, &["chief executive officer", "managing director"]),
        (70, &["ICT help desk agent", "service desk agent"]),
        (80, &["warehouse manager", "warehouse supervisor"]),
    ];

    fn fixture() -> TitleIndex {
        let mut entries = Vec::new();
        for &(occupation, titles) in FIXTURE {
            for (i, title) in titles.iter().enumerate() {
                entries.push(TitleEntry {
                    occupation,
                    label: (*title).to_owned(),
                    kind: if i == 0 {
                        LabelKind::Preferred
                    } else {
                        LabelKind::Alternative
                    },
                });
            }
        }
        TitleIndex::build(entries)
    }

    /// The title codes first to `occupation`, through `label`.
    fn check(index: &TitleIndex, title: &str, occupation: u32, label: &str) {
        let found = index.code(title, 3);
        let first = found
            .first()
            .unwrap_or_else(|| panic!("{title}: nothing found"));
        assert_eq!(
            (first.occupation, first.label.as_str()),
            (occupation, label),
            "{title}: {found:#?}"
        );
        assert!(first.score > 0.0 && first.score <= 1.0, "{first:?}");
    }

    #[test]
    fn exact_titles_match_in_full() {
        let index = fixture();
        let found = index.code("Software Developer", 1);
        assert_eq!(found[0].occupation, 30);
        assert!(found[0].why.spelling > 0.999, "{found:?}");
        assert_eq!(found[0].kind, LabelKind::Preferred);
        check(&index, "programmer", 30, "programmer");
    }

    /// A word no title holds decides between the senses of a head word the titles share,
    /// through the skills each occupation requires; without context the closer spelling wins.
    #[test]
    fn context_words_decide_between_senses_of_a_head_word() {
        let entries = |pairs: &[(u32, &str)]| -> Vec<TitleEntry> {
            pairs
                .iter()
                .map(|&(occupation, label)| TitleEntry {
                    occupation,
                    label: label.to_owned(),
                    kind: LabelKind::Preferred,
                })
                .collect()
        };
        let titles = [(1, "property developer"), (2, "software developer")];
        let context = vec![
            (1, "negotiate land purchases".to_owned()),
            (1, "property law".to_owned()),
            (2, "Java (computer programming)".to_owned()),
            (2, "full-stack web frameworks".to_owned()),
            // An occupation without titles: its context is left out.
            (9, "Java".to_owned()),
        ];
        let index = TitleIndex::build_with_context(entries(&titles), context, Weights::default());
        for title in ["Java developer", "Full-stack developer"] {
            let found = index.code(title, 2);
            assert_eq!(found[0].occupation, 2, "{title}: {found:#?}");
            assert!(found[0].score <= 1.0, "{found:?}");
        }
        // A word the titles hold is read from the titles, not the context.
        assert_eq!(index.code("property developer", 1)[0].occupation, 1);
        let plain = TitleIndex::build(entries(&titles));
        let found = plain.code("Java developer", 2);
        assert_eq!(found.len(), 2, "{found:?}");
        let contextual = index.code("Java developer", 2);
        assert!(
            contextual[0].score > found[0].score,
            "{contextual:?} {found:?}"
        );
    }

    /// The context counts for words the titles hold too, each by its idf over the contexts: of
    /// the occupations sharing the head word, the one whose description holds the title's other
    /// word ranks first ("chicken" is in a title of another occupation, so it is not unknown).
    #[test]
    fn context_weighs_words_the_titles_hold() {
        let entries: Vec<TitleEntry> = [
            (1, "dog breeder"),
            (2, "poultry breeder"),
            (3, "chicken plucker"),
        ]
        .iter()
        .map(|&(occupation, label)| TitleEntry {
            occupation,
            label: label.to_owned(),
            kind: LabelKind::Preferred,
        })
        .collect();
        let context = vec![
            (
                1,
                "Dog breeders oversee the production and care of dogs.".to_owned(),
            ),
            (
                2,
                "Poultry breeders oversee the production and care of chickens.".to_owned(),
            ),
            (
                3,
                "Pluckers remove the feathers of slaughtered birds.".to_owned(),
            ),
        ];
        let breeders = |index: &TitleIndex| -> Vec<u32> {
            index
                .code("chicken breeder", 3)
                .iter()
                .map(|m| m.occupation)
                .filter(|&o| o != 3)
                .collect()
        };
        let with = TitleIndex::build_with_context(entries.clone(), context, Weights::default());
        assert_eq!(breeders(&with), [2, 1]);
        let plain = TitleIndex::build_with_context(entries, Vec::new(), Weights::default());
        assert_eq!(breeders(&plain), [1, 2]);
    }

    /// An occupation none of whose titles holds a title's head word is marked down by
    /// `Weights::headless`, in any word order.
    /// A number spelt in letters ("12" -> "bc"): a word unlike any other title's.
    fn letters(n: u32) -> String {
        n.to_string()
            .chars()
            .map(|d| (b'a' + d as u8 - b'0') as char)
            .collect()
    }

    #[test]
    fn the_head_word_names_the_job() {
        let mut entries = vec![
            TitleEntry {
                occupation: 1,
                label: "general".to_owned(),
                kind: LabelKind::Alternative,
            },
            TitleEntry {
                occupation: 2,
                label: "general worker".to_owned(),
                kind: LabelKind::Alternative,
            },
        ];
        // 600 other workers, so that "worker" is a common word.
        for i in 0..600u32 {
            let place = letters(i);
            entries.push(TitleEntry {
                occupation: 3 + i,
                label: format!("{place}x worker"),
                kind: LabelKind::Preferred,
            });
        }
        let index = TitleIndex::build(entries.clone());
        let found = index.code("worker general", 5);
        assert_eq!(found[0].occupation, 2, "{found:#?}");
        let army = |weights: Weights| -> f32 {
            TitleIndex::build_with(entries.clone(), weights)
                .code("general worker", 5)
                .iter()
                .find(|m| m.occupation == 1)
                .map_or(0.0, |m| m.score)
        };
        let plain = army(Weights {
            headless: 1.0,
            ..Weights::default()
        });
        let marked = army(Weights::default());
        assert!(
            (marked - plain * Weights::default().headless).abs() < 1e-6,
            "{marked} {plain}"
        );
    }

    #[test]
    fn word_order() {
        let index = fixture();
        check(
            &index,
            "manager operations ICT",
            10,
            "ICT operations manager",
        );
        check(&index, "director, operations", 20, "operations director");
        check(&index, "nurse general", 40, "general nurse");
    }

    #[test]
    fn abbreviations() {
        let index = fixture();
        check(&index, "ops mgr", 20, "operations manager");
        check(
            &index,
            "IT operations manager",
            10,
            "ICT operations manager",
        );
        check(&index, "IT ops mgr", 10, "ICT operations manager");
        check(&index, "HR mgr", 50, "human resources manager");
        check(&index, "software dev", 30, "software developer");
        check(&index, "CEO", 60, "chief executive officer");
        check(&index, "IT service desk agent", 70, "service desk agent");
    }

    #[test]
    fn seniority_words() {
        let index = fixture();
        check(&index, "Senior Software Engineer", 30, "software engineer");
        check(&index, "snr software engineer", 30, "software engineer");
        check(&index, "junior staff nurse", 40, "staff nurse");
        check(
            &index,
            "lead warehouse supervisor",
            80,
            "warehouse supervisor",
        );
        check(&index, "Trainee HR manager", 50, "human resources manager");
    }

    #[test]
    fn typos() {
        let index = fixture();
        check(&index, "sofware develper", 30, "software developer");
        check(&index, "opertions manger", 20, "operations manager");
        check(&index, "warehose manager", 80, "warehouse manager");
        check(&index, "Persönnel Manager", 50, "personnel manager");
    }

    #[test]
    fn results_are_ranked_deterministic_and_tied_by_number() {
        let index = fixture();
        let found = index.code("manager", 8);
        assert!(
            found.windows(2).all(|w| w[0].score >= w[1].score),
            "{found:#?}"
        );
        assert_eq!(found, index.code("manager", 8));
        let titles = ["ops mgr", "manager", "sofware develper", "manager"];
        let batch = index.code_batch(&titles, 5);
        for (title, codes) in titles.iter().zip(&batch) {
            assert_eq!(codes, &index.code(title, 5));
        }
        let twins = TitleIndex::build([
            TitleEntry {
                occupation: 9,
                label: "baker".into(),
                kind: LabelKind::Alternative,
            },
            TitleEntry {
                occupation: 3,
                label: "baker".into(),
                kind: LabelKind::Alternative,
            },
        ]);
        let found: Vec<u32> = twins
            .code("baker", 2)
            .iter()
            .map(|m| m.occupation)
            .collect();
        assert_eq!(found, [3, 9]);
    }

    #[test]
    fn nothing_to_code() {
        let index = fixture();
        assert!(index.code("", 5).is_empty());
        assert!(index.code("  --  ", 5).is_empty());
        assert!(index.code("ops mgr", 0).is_empty());
        assert!(index.code("zzqx", 5).is_empty());
        assert!(TitleIndex::build([]).code("manager", 5).is_empty());
    }

    #[test]
    fn titles_of_frequent_words_still_get_an_answer() {
        // 600 titles hold "sales manager", so every n-gram of it is too common to sum at first.
        let mut entries = vec![TitleEntry {
            occupation: 1,
            label: "sales manager".to_owned(),
            kind: LabelKind::Preferred,
        }];
        for i in 0..600u32 {
            let place = letters(i);
            entries.push(TitleEntry {
                occupation: 2 + i,
                label: format!("sales manager {place}x"),
                kind: LabelKind::Preferred,
            });
        }
        let index = TitleIndex::build(entries);
        let found = index.code("Sales Manager", 3);
        assert_eq!(found.first().map(|m| m.occupation), Some(1), "{found:#?}");
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn why_tells_words_and_spelling_apart() {
        let index = fixture();
        let typos = index.code("opertions manger", 1);
        assert!(
            typos[0].why.spelling > 0.3 && typos[0].why.spelling < 1.0,
            "{typos:?}"
        );
        let reordered = index.code("manager operations", 1);
        assert!(reordered[0].why.spelling > 0.999, "{reordered:?}");
        assert!(
            reordered[0].why.words > 2.0 * typos[0].why.words,
            "typos share fewer stems: {typos:?} {reordered:?}"
        );
    }
}
