//! Suggested mappings between the concepts of two frameworks (a crosswalk): for a concept of one
//! framework (a label and a description, or a duty statement), the skills of the other that look
//! like it, each typed and with a confidence, for a person to review.
//!
//! Texts are read as the extractor reads them ([`Normaliser`], Snowball stems, the paraphrase
//! signal's stop words), and words are weighted by their inverse document frequency over the
//! target skills (`ln(1 + N / df)`, as the paraphrase signal weighs them), so "manage" counts
//! less than "budget". A query word the targets never use weighs as the rarest word does. Three
//! measures, each in a band of confidence of its own, so that a type never outranks a stronger
//! one:
//!
//! * **exact**: the labels are the same words once normalised (1.0), or the same content stems
//!   ("managing budgets", "manage budget": 0.95);
//! * **close**: the idf-weighted Jaccard similarity `j` of the two labels' content stems is at
//!   least [`CLOSE_FROM`]: `0.3 + 0.6 × j`, so 0.6 to 0.9;
//! * **related**: otherwise, `r = 0.6 × t + 0.4 × c`, where `t` is the idf-weighted cosine of the
//!   two texts' stem sets (label and description each) and `c` the share (idf-weighted) of the
//!   target label's stems that the query's text holds (the paraphrase signal's coverage):
//!   `0.55 × r`, so below 0.55.
//!
//! Candidates come from inverted indexes over the targets' stems (labels, and descriptions for
//! all but the commonest stems), never from all pairs. Everything is deterministic: suggestions
//! by confidence, then type, then target number.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::normalise::Normaliser;
use crate::paraphrase::STOP_WORDS;
use crate::stem::{StemCache, UNKNOWN, Vocabulary};

/// The least idf-weighted Jaccard similarity of two labels for a close match.
pub const CLOSE_FROM: f32 = 0.5;

/// A description stem in more than this share of the targets is not indexed (it still counts in
/// the scores of targets found through other words).
const COMMON_SHARE: f32 = 0.05;

/// How alike two concepts are, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// The same label.
    Exact,
    /// Labels sharing most of their (weighted) words.
    Close,
    /// Texts speaking of the same things.
    Related,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Close => "close",
            MatchKind::Related => "related",
        }
    }
}

/// One suggested target for a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The target's number, as given to [`CrosswalkBuilder::target`].
    pub target: u32,
    pub kind: MatchKind,
    /// In [0, 1]; see the module's documentation for the bands.
    pub confidence: f32,
    /// The query's words whose stems the match rests on, rarest first.
    pub shared: Vec<String>,
}

/// Collects the targets of a crosswalk.
#[derive(Debug, Default)]
pub struct CrosswalkBuilder {
    targets: Vec<(u32, String, String)>,
}

#[derive(Debug, Clone)]
struct Target {
    number: u32,
    /// The label's normalised words, joined by spaces.
    words: Box<str>,
    /// Content stems of the label, ascending, distinct.
    label: Box<[u32]>,
    label_weight: f32,
    /// Content stems of label and description, ascending, distinct.
    text: Box<[u32]>,
    /// The Euclidean norm of `text`'s idf weights.
    text_norm: f32,
}

/// The targets, indexed for suggestions.
#[derive(Debug, Clone)]
pub struct Crosswalk {
    vocabulary: Vocabulary,
    /// Per stem number: its idf over the targets; 0 for stop words.
    idf: Vec<f32>,
    /// The idf of a word no target uses.
    rarest: f32,
    targets: Vec<Target>,
    /// Per stem number: the targets whose label holds it.
    label_postings: Vec<Box<[u32]>>,
    /// Per stem number: the targets whose description holds it; empty for common stems.
    text_postings: Vec<Box<[u32]>>,
    /// Targets by their label's normalised words.
    exact: FxHashMap<Box<str>, Vec<u32>>,
}

/// One query's words as stems, with a word for each stem.
struct Query {
    words: Box<str>,
    label: Vec<u32>,
    text: Vec<u32>,
    /// The idf weight of the label, unknown words included.
    label_weight: f32,
    /// The Euclidean norm of the text's idf weights, unknown words included.
    text_norm: f32,
    surface: FxHashMap<u32, String>,
}

fn distinct(mut terms: Vec<u32>) -> Box<[u32]> {
    terms.sort_unstable();
    terms.dedup();
    terms.into_boxed_slice()
}

/// The terms both sorted slices hold.
fn common<'a>(a: &'a [u32], b: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    a.iter().copied().filter(|t| b.binary_search(t).is_ok())
}

impl CrosswalkBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A target concept: its number (the caller's, returned in suggestions), label and
    /// description.
    pub fn target(&mut self, number: u32, label: &str, description: &str) -> &mut Self {
        self.targets
            .push((number, label.to_owned(), description.to_owned()));
        self
    }

    /// Indexes the targets.
    pub fn build(self) -> Crosswalk {
        let normaliser = Normaliser;
        let mut vocabulary = Vocabulary::default();
        let stops: Vec<u32> = STOP_WORDS.iter().map(|w| vocabulary.add(w)).collect();
        let stems = |text: &str, vocabulary: &mut Vocabulary| -> (Box<str>, Vec<u32>) {
            let normalised = normaliser.normalise(text);
            let terms = normalised
                .tokens
                .iter()
                .map(|t| vocabulary.add(normalised.word(t)))
                .collect();
            (normalised.text.into_boxed_str(), terms)
        };
        let mut read = Vec::with_capacity(self.targets.len());
        for (number, label, description) in &self.targets {
            let (words, label_terms) = stems(label, &mut vocabulary);
            let (_, description_terms) = stems(description, &mut vocabulary);
            read.push((*number, words, label_terms, description_terms));
        }
        let mut is_stop = vec![false; vocabulary.len()];
        for s in stops {
            is_stop[s as usize] = true;
        }
        let content = |terms: &[u32]| -> Box<[u32]> {
            distinct(
                terms
                    .iter()
                    .copied()
                    .filter(|&t| !is_stop[t as usize])
                    .collect(),
            )
        };
        let mut df = vec![0u32; vocabulary.len()];
        // (number, words, label stems, description stems, both).
        let mut built = Vec::with_capacity(read.len());
        for (number, words, label_terms, description_terms) in read {
            let label = content(&label_terms);
            let description = content(&description_terms);
            let mut all = label.to_vec();
            all.extend(description.iter());
            let text = distinct(all);
            for &t in text.iter() {
                df[t as usize] += 1;
            }
            built.push((number, words, label, description, text));
        }
        let n = built.len().max(1) as f32;
        let idf: Vec<f32> = df
            .iter()
            .zip(&is_stop)
            .map(|(&d, &stop)| {
                if stop || d == 0 {
                    0.0
                } else {
                    (1.0 + n / d as f32).ln()
                }
            })
            .collect();
        let weight = |terms: &[u32]| terms.iter().map(|&t| idf[t as usize]).sum::<f32>();
        let common_from = ((n * COMMON_SHARE) as u32).max(50);
        let mut label_postings: Vec<Vec<u32>> = vec![Vec::new(); vocabulary.len()];
        let mut text_postings: Vec<Vec<u32>> = vec![Vec::new(); vocabulary.len()];
        let mut exact: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        let mut targets = Vec::with_capacity(built.len());
        for (i, (number, words, label, description, text)) in built.into_iter().enumerate() {
            let i = i as u32;
            for &t in label.iter() {
                label_postings[t as usize].push(i);
            }
            for &t in description.iter() {
                if df[t as usize] <= common_from && label.binary_search(&t).is_err() {
                    text_postings[t as usize].push(i);
                }
            }
            if !words.is_empty() {
                exact.entry(words.clone()).or_default().push(i);
            }
            let text_norm = text
                .iter()
                .map(|&t| idf[t as usize] * idf[t as usize])
                .sum::<f32>()
                .sqrt();
            targets.push(Target {
                number,
                words,
                label_weight: weight(&label),
                label,
                text,
                text_norm,
            });
        }
        Crosswalk {
            vocabulary,
            idf,
            rarest: (1.0 + n).ln(),
            targets,
            label_postings: label_postings
                .into_iter()
                .map(Vec::into_boxed_slice)
                .collect(),
            text_postings: text_postings
                .into_iter()
                .map(Vec::into_boxed_slice)
                .collect(),
            exact,
        }
    }
}

impl Crosswalk {
    /// How many targets it holds.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    fn idf(&self, term: u32) -> f32 {
        self.idf.get(term as usize).copied().unwrap_or(0.0)
    }

    fn query(&self, label: &str, description: &str, cache: &mut StemCache) -> Query {
        let normaliser = Normaliser;
        let mut surface: FxHashMap<u32, String> = FxHashMap::default();
        let mut read = |text: &str| -> (Box<str>, Vec<u32>, usize) {
            let normalised = normaliser.normalise(text);
            let mut terms = Vec::new();
            let mut unknown: Vec<&str> = Vec::new();
            for token in &normalised.tokens {
                let word = normalised.word(token);
                let term = self.vocabulary.lookup(word, cache);
                if term == UNKNOWN {
                    if !unknown.contains(&word) {
                        unknown.push(word);
                    }
                } else if self.idf(term) > 0.0 {
                    terms.push(term);
                    surface.entry(term).or_insert_with(|| word.to_owned());
                }
            }
            let unknown = unknown.len();
            (normalised.text.clone().into_boxed_str(), terms, unknown)
        };
        let (words, label_terms, label_unknown) = read(label);
        let (_, description_terms, description_unknown) = read(description);
        let label = distinct(label_terms).into_vec();
        let mut text = label.clone();
        text.extend(description_terms);
        let text = distinct(text).into_vec();
        let label_weight =
            label.iter().map(|&s| self.idf(s)).sum::<f32>() + label_unknown as f32 * self.rarest;
        let text_unknown = (label_unknown + description_unknown) as f32;
        let text_norm = (text.iter().map(|&s| self.idf(s) * self.idf(s)).sum::<f32>()
            + text_unknown * self.rarest * self.rarest)
            .sqrt();
        Query {
            words,
            label,
            text,
            label_weight,
            text_norm,
            surface,
        }
    }

    /// The words of `query` behind `terms`, rarest first.
    fn shared(&self, query: &Query, terms: impl Iterator<Item = u32>) -> Vec<String> {
        let mut terms: Vec<u32> = terms.collect();
        terms.sort_by(|a, b| self.idf(*b).total_cmp(&self.idf(*a)).then(a.cmp(b)));
        terms
            .into_iter()
            .filter_map(|t| query.surface.get(&t).cloned())
            .collect()
    }

    /// The words a suggestion of `target` (an index) of `kind` rests on.
    fn why(&self, query: &Query, target: u32, kind: MatchKind) -> Vec<String> {
        let Some(t) = self.targets.get(target as usize) else {
            return Vec::new();
        };
        match kind {
            MatchKind::Exact | MatchKind::Close => {
                self.shared(query, common(&query.label, &t.label))
            }
            MatchKind::Related => self.shared(query, common(&query.text, &t.text)),
        }
    }

    /// The best type and confidence of one target (an index) for a query, if any.
    fn score(&self, query: &Query, target: u32) -> Option<(MatchKind, f32)> {
        let t = self.targets.get(target as usize)?;
        if !query.words.is_empty() && *query.words == *t.words {
            return Some((MatchKind::Exact, 1.0));
        }
        let label_shared: f32 = common(&query.label, &t.label).map(|s| self.idf(s)).sum();
        let union = query.label_weight + t.label_weight - label_shared;
        let jaccard = if union > 0.0 {
            label_shared / union
        } else {
            0.0
        };
        if jaccard >= 0.9999 {
            return Some((MatchKind::Exact, 0.95));
        }
        if jaccard >= CLOSE_FROM {
            return Some((MatchKind::Close, 0.3 + 0.6 * jaccard));
        }
        let dot: f32 = common(&query.text, &t.text)
            .map(|s| self.idf(s) * self.idf(s))
            .sum();
        let query_norm = query.text_norm;
        let cosine = if query_norm > 0.0 && t.text_norm > 0.0 {
            dot / (query_norm * t.text_norm)
        } else {
            0.0
        };
        let coverage = if t.label_weight > 0.0 {
            common(&t.label, &query.text)
                .map(|s| self.idf(s))
                .sum::<f32>()
                / t.label_weight
        } else {
            0.0
        };
        let related = 0.6 * cosine.min(1.0) + 0.4 * coverage.min(1.0);
        if related <= 0.0 {
            return None;
        }
        Some((MatchKind::Related, 0.55 * related))
    }

    fn suggest_with(
        &self,
        cache: &mut StemCache,
        seen: &mut Vec<bool>,
        (label, description): (&str, &str),
        limit: usize,
        min_confidence: f32,
    ) -> Vec<Suggestion> {
        let query = self.query(label, description, cache);
        if seen.len() != self.targets.len() {
            *seen = vec![false; self.targets.len()];
        }
        let mut candidates: Vec<u32> = Vec::new();
        let mut add = |target: u32, candidates: &mut Vec<u32>| {
            if let Some(slot) = seen.get_mut(target as usize)
                && !*slot
            {
                *slot = true;
                candidates.push(target);
            }
        };
        for &target in self.exact.get(&query.words).into_iter().flatten() {
            add(target, &mut candidates);
        }
        for &term in &query.text {
            let postings = [&self.label_postings, &self.text_postings];
            for list in postings {
                for &target in list.get(term as usize).map_or(&[][..], |p| p) {
                    add(target, &mut candidates);
                }
            }
        }
        for &target in &candidates {
            seen[target as usize] = false;
        }
        // (index, type, confidence), ties broken by the caller's number.
        let mut scored: Vec<(u32, MatchKind, f32)> = candidates
            .into_iter()
            .filter_map(|target| {
                let (kind, confidence) = self.score(&query, target)?;
                (confidence >= min_confidence).then_some((target, kind, confidence))
            })
            .collect();
        scored.sort_by(|a, b| {
            b.2.total_cmp(&a.2)
                .then(a.1.cmp(&b.1))
                .then(
                    self.targets[a.0 as usize]
                        .number
                        .cmp(&self.targets[b.0 as usize].number),
                )
                .then(a.0.cmp(&b.0))
        });
        scored.truncate(limit);
        scored
            .into_iter()
            .map(|(target, kind, confidence)| Suggestion {
                target: self.targets[target as usize].number,
                kind,
                confidence,
                shared: self.why(&query, target, kind),
            })
            .collect()
    }

    /// The best `limit` targets for one query (a label and a description; a duty statement as
    /// the label, with no description), from `min_confidence`, best first.
    pub fn suggest(
        &self,
        label: &str,
        description: &str,
        limit: usize,
        min_confidence: f32,
    ) -> Vec<Suggestion> {
        self.suggest_with(
            &mut StemCache::default(),
            &mut Vec::new(),
            (label, description),
            limit,
            min_confidence,
        )
    }

    /// [`Crosswalk::suggest`] for many queries, on all cores; results in the queries' order.
    pub fn suggest_all<S: AsRef<str> + Sync>(
        &self,
        queries: &[(S, S)],
        limit: usize,
        min_confidence: f32,
    ) -> Vec<Vec<Suggestion>> {
        queries
            .par_iter()
            .map_init(
                || (StemCache::default(), Vec::new()),
                |(cache, seen), (label, description)| {
                    self.suggest_with(
                        cache,
                        seen,
                        (label.as_ref(), description.as_ref()),
                        limit,
                        min_confidence,
                    )
                },
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crosswalk() -> Crosswalk {
        let mut builder = CrosswalkBuilder::new();
        builder
            .target(
                10,
                "manage budgets",
                "Plan, monitor and report on the budget.",
            )
            .target(
                11,
                "budget management software",
                "Tools for budgets and forecasts.",
            )
            .target(
                12,
                "negotiate contracts",
                "Agree the terms of supplier contracts.",
            )
            .target(
                13,
                "forecast financial results",
                "Predict revenue and costs of a budget.",
            )
            .target(
                14,
                "coach employees",
                "Help staff improve their performance.",
            )
            .target(15, "manage staff", "Lead a team of employees.");
        builder.build()
    }

    /// (target, type, confidence to 3 places) of a query's suggestions.
    fn check(label: &str, description: &str) -> Vec<(u32, &'static str, String)> {
        crosswalk()
            .suggest(label, description, 10, 0.05)
            .into_iter()
            .map(|s| (s.target, s.kind.as_str(), format!("{:.3}", s.confidence)))
            .collect()
    }

    #[test]
    fn exact_beats_close_beats_related() {
        let got = check("Manage budgets", "Set the budget and keep spending to it.");
        assert_eq!(got[0].0, 10);
        assert_eq!(got[0].1, "exact");
        assert_eq!(got[0].2, "1.000");
        let kinds: Vec<&str> = got.iter().map(|g| g.1).collect();
        let mut sorted = kinds.clone();
        sorted.sort_by_key(|k| ["exact", "close", "related"].iter().position(|x| x == k));
        assert_eq!(kinds, sorted, "{got:?}");
        assert!(kinds.contains(&"related"), "{got:?}");
    }

    #[test]
    fn stems_make_an_exact_match_and_shared_words_a_close_one() {
        let got = check("managing budget", "");
        assert_eq!(got[0], (10, "exact", "0.950".to_owned()));
        let got = check("budget management", "");
        assert_eq!(got[0].0, 10, "{got:?}");
        assert_eq!(got[0].1, "exact", "{got:?}");
        let got = check("management of budget software tools", "");
        let close = got.iter().find(|g| g.0 == 11).map(|g| g.1);
        assert_eq!(close, Some("close"), "{got:?}");
    }

    #[test]
    fn a_duty_statement_meets_the_skills_it_names() {
        let got = check(
            "Negotiate and agree contracts with suppliers, within the agreed budget",
            "",
        );
        assert_eq!(got[0].0, 12, "{got:?}");
        assert_eq!(got[0].1, "related");
        let walk = crosswalk();
        let best = walk.suggest(
            "Negotiate and agree contracts with suppliers, within the agreed budget",
            "",
            1,
            0.0,
        );
        for word in ["negotiate", "contracts", "suppliers"] {
            assert!(best[0].shared.iter().any(|w| w == word), "{best:?}");
        }
    }

    #[test]
    fn suggestions_are_deterministic_and_limited() {
        let walk = crosswalk();
        let queries = vec![
            ("manage budgets".to_owned(), String::new()),
            (
                "lead staff".to_owned(),
                "coach and manage employees".to_owned(),
            ),
        ];
        let first = walk.suggest_all(&queries, 2, 0.0);
        for _ in 0..5 {
            assert_eq!(walk.suggest_all(&queries, 2, 0.0), first);
        }
        assert!(first.iter().all(|s| s.len() <= 2));
        assert_eq!(walk.suggest("nothing alike here", "", 5, 0.0), Vec::new());
        assert!(walk.suggest("manage budgets", "", 5, 0.99).len() == 1);
    }
}
