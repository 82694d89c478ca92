//! The paraphrase signal: skills whose labels a clause's words cover without containing them as a
//! phrase ("managed stakeholder relationships" for "stakeholder management").
//!
//! Per clause, its content words (stop words left out) as a set of stems, S. For a label with
//! content stems L, `coverage = idf(L ∩ S) / idf(L)` (sums of inverse document frequencies over
//! skills, so rare words count more); for its skill's description D, `context = idf(D ∩ S) /
//! idf(S)`, over the clause words that are not the label's. A label qualifies when at least two
//! of its words are in the clause, coverage is at least [`MIN_COVERAGE`], and, unless every word
//! of the label is there, the description shares a word with the clause beyond them (so "improved
//! process efficiency" meets "improve business processes", whose description speaks of
//! efficiency); its score is `0.8 × coverage + 0.2 × context`, a hit from [`THRESHOLD`]. Each skill keeps its best clause; skills the label signal found are skipped.
//! Candidates come from an inverted index listing each label under all its words but the most
//! common one (such as "manage"), which still counts toward coverage.
//!
//! Words are compared by root, not stem: Snowball keeps some derived words apart that mean the
//! same thing to a reader ("strategy" and "strategic", "compliance" and "compliant",
//! "mentorship" and "mentor"), and [`root`] joins them. The label signal keeps exact stems.
//! How far apart a label's words may stand counts content words only: "relationships with key
//! senior internal and external stakeholders" has four between its two words.

use rustc_hash::FxHashMap;

use crate::extract::LabelKind;
use crate::normalise::Token;
use crate::stem::{UNKNOWN, Vocabulary};

/// The least share (idf-weighted) of a label's words a clause must hold.
pub const MIN_COVERAGE: f32 = 0.6;
/// The least score for a hit.
pub const THRESHOLD: f32 = 0.5;
/// A paraphrase's confidence is its score times this: always below a label hit.
pub const CONFIDENCE: f32 = 0.8;
/// A clause that names no skill otherwise (no label, phrase or paraphrase in it) gets its
/// nearest labels: one of a label's words may be enough when it carries this share of the
/// label's weight ("debug issues" for "debug software"), at most [`NEAREST_PER_CLAUSE`] of them,
/// with confidence × [`NEAREST_CONFIDENCE`], so below every other hit.
pub const NEAREST_COVERAGE: f32 = 0.5;
pub const NEAREST_PER_CLAUSE: usize = 2;
pub const NEAREST_CONFIDENCE: f32 = 0.5;
/// The least score of a nearest label.
const NEAREST_THRESHOLD: f32 = 0.4;
/// How many other content words may stand between a paraphrase's words, all told.
const MAX_SPREAD: usize = 6;
/// At most this many paraphrase hits per clause, and one more per [`WORDS_PER_HIT`] content words
/// beyond the first of those: a long clause can name more skills.
const PER_CLAUSE: usize = 1;
const WORDS_PER_HIT: usize = 4;
/// A word in at least this many skills' labels and descriptions is common: as a one-word label
/// it names too many things to count unconfirmed ("board", "lead", "reporting").
pub const COMMON_DF: u32 = 50;
/// A word in more than this share of skills says too little to confirm anything.
const CONFIRMING_SHARE: f32 = 0.02;

/// Derived endings that Snowball leaves on a stem, removed when what is left is long enough:
/// (ending, the least length left, whether to stem what is left again).
const ENDINGS: &[(&str, usize, bool)] = &[
    ("ship", 5, true),
    ("anc", 5, false),
    ("enc", 5, false),
    ("ant", 5, false),
    ("ent", 5, false),
    ("i", 6, false),
];

/// A stem's root: the stem without a derived ending ("strategi" and "strateg" give "strateg",
/// "complianc" and "compliant" give "compli", "mentorship" gives "mentor").
pub(crate) fn root(stem: &str, vocabulary: &Vocabulary) -> String {
    for &(ending, least, again) in ENDINGS {
        if let Some(left) = stem.strip_suffix(ending)
            && left.len() >= least
        {
            return if again {
                vocabulary.stem_word(left)
            } else {
                left.to_owned()
            };
        }
    }
    stem.to_owned()
}

/// Words that say nothing about a skill.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "been",
    "by",
    "can",
    "do",
    "for",
    "from",
    "has",
    "have",
    "i",
    "in",
    "into",
    "is",
    "it",
    "its",
    "of",
    "on",
    "or",
    "our",
    "s",
    "such",
    "that",
    "the",
    "their",
    "them",
    "they",
    "this",
    "to",
    "was",
    "we",
    "were",
    "which",
    "will",
    "with",
    "within",
    "you",
    "your",
    "all",
    "any",
    "other",
    "also",
    "using",
    "use",
    "used",
    "etc",
    "e",
    "g",
    "ie",
    "who",
    "what",
    "how",
    "when",
    "where",
    "both",
    "well",
    "able",
    "must",
    "should",
    "would",
    "may",
    "including",
    "include",
    "new",
    "way",
    "ways",
    "relevant",
];

#[derive(Debug, Clone)]
struct Label {
    skill: u32,
    label: u32,
    kind: LabelKind,
    /// Content stems, ascending, distinct.
    terms: Box<[u32]>,
    weight: f32,
    /// The idf of the label's words it is not listed under in `postings`: what a clause can add
    /// to its coverage beyond what the postings found.
    unlisted: f32,
}

/// What the paraphrase signal needs, built with the extractor.
///
/// Everything here is numbered by root: `roots[stem]` is a stem's root number.
#[derive(Debug, Clone, Default)]
pub struct Paraphrases {
    labels: Vec<Label>,
    /// Per stem number, its root's number.
    roots: Vec<u32>,
    /// Per root, the labels holding it (empty for common roots).
    postings: Vec<Box<[u32]>>,
    /// Per root; 0 for stop words.
    idf: Vec<f32>,
    /// Per root, how many skills' labels and descriptions hold it.
    df: Vec<u32>,
    /// How many skills there are.
    skills: u32,
    /// Root numbers by root, for the words of a text that no label or description uses.
    by_root: FxHashMap<Box<str>, u32>,
    /// Per skill, the content roots of its description and labels, ascending, distinct.
    contexts: FxHashMap<u32, Box<[u32]>>,
}

/// What confirms a common one-word label ([`Paraphrases::confirming`]).
#[derive(Debug, Clone, Default)]
pub struct Confirming {
    /// [`root_bit`] of every root in `roots`: a clause whose mask shares no bit holds none.
    pub mask: u64,
    /// Ascending.
    pub roots: Box<[u32]>,
}

impl Confirming {
    pub fn holds(&self, root: u32) -> bool {
        self.roots.binary_search(&root).is_ok()
    }
}

/// A root's bit in a 64-bit mask of roots.
pub fn root_bit(root: u32) -> u64 {
    if root == UNKNOWN {
        0
    } else {
        1 << (root.wrapping_mul(0x9E37_79B9) >> 26)
    }
}

/// The buffers one thread reuses: per label, the idf its listed words found in a clause.
#[derive(Debug, Default)]
pub struct ParaphraseScratch {
    found: Vec<f32>,
    touched: Vec<u32>,
    /// The roots of the words of the text at hand.
    pub(crate) roots: Vec<u32>,
}

/// A paraphrase found in one clause.
#[derive(Debug, Clone)]
pub struct Paraphrase {
    pub skill: u32,
    pub label: u32,
    pub kind: LabelKind,
    pub score: f32,
    /// Token indices of the clause words that matched the label, ascending.
    pub words: Vec<usize>,
    /// Found as the nearest label of a clause that names nothing otherwise.
    pub nearest: bool,
}

fn distinct(mut terms: Vec<u32>) -> Box<[u32]> {
    terms.sort_unstable();
    terms.dedup();
    terms.into_boxed_slice()
}

impl Paraphrases {
    /// From every label, (skill, label number, kind, stems), and every description, (skill,
    /// stems). Adds the stop words' stems to `vocabulary`.
    pub fn build(
        vocabulary: &mut Vocabulary,
        labels: &[(u32, u32, LabelKind, Vec<u32>)],
        descriptions: &[(u32, Vec<u32>)],
    ) -> Paraphrases {
        let stops: Vec<u32> = STOP_WORDS.iter().map(|w| vocabulary.add(w)).collect();
        // Roots, numbered in the order of the stems that have them.
        let mut root_numbers: FxHashMap<String, u32> = FxHashMap::default();
        let roots: Vec<u32> = (0..vocabulary.len() as u32)
            .map(|stem| {
                let root = root(vocabulary.stem(stem), vocabulary);
                let next = root_numbers.len() as u32;
                *root_numbers.entry(root).or_insert(next)
            })
            .collect();
        let size = root_numbers.len();
        let by_root = root_numbers
            .iter()
            .map(|(root, &n)| (root.as_str().into(), n))
            .collect();
        let mut is_stop = vec![false; size];
        for s in stops {
            is_stop[roots[s as usize] as usize] = true;
        }
        let content = |terms: &[u32]| -> Vec<u32> {
            terms
                .iter()
                .map(|&t| roots[t as usize])
                .filter(|&t| !is_stop[t as usize])
                .collect()
        };
        // Per skill, the roots of its description and of all its labels.
        let mut contexts: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (skill, terms) in descriptions {
            contexts.entry(*skill).or_default().extend(content(terms));
        }
        for (skill, _, _, terms) in labels {
            contexts.entry(*skill).or_default().extend(content(terms));
        }
        let contexts: FxHashMap<u32, Box<[u32]>> = contexts
            .into_iter()
            .map(|(skill, terms)| (skill, distinct(terms)))
            .collect();
        // Document frequency over skills: a root counts once per skill, labels and description.
        let mut df = vec![0u32; size];
        for terms in contexts.values() {
            for &t in terms.iter() {
                df[t as usize] += 1;
            }
        }
        let skills = contexts.len().max(1) as f32;
        let idf: Vec<f32> = df
            .iter()
            .zip(&is_stop)
            .map(|(&d, &stop)| {
                if stop || d == 0 {
                    0.0
                } else {
                    (1.0 + skills / d as f32).ln()
                }
            })
            .collect();
        let mut built: Vec<Label> = Vec::new();
        for (skill, label, kind, terms) in labels {
            let terms = distinct(content(terms));
            if terms.len() < 2 {
                continue;
            }
            let weight = terms.iter().map(|&t| idf[t as usize]).sum();
            built.push(Label {
                skill: *skill,
                label: *label,
                kind: *kind,
                terms,
                weight,
                unlisted: 0.0,
            });
        }
        // A label is listed under every word but its most common one: a clause holding two of
        // its words holds at least one of those, so it still meets the label, and the words most
        // labels share ("manage") make short lists.
        let mut label_df = vec![0u32; size];
        for label in &built {
            for &t in label.terms.iter() {
                label_df[t as usize] += 1;
            }
        }
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); size];
        for (i, label) in built.iter_mut().enumerate() {
            let mut by_rarity: Vec<u32> = label.terms.to_vec();
            by_rarity.sort_by_key(|&t| (label_df[t as usize], t));
            if let Some(&most_common) = by_rarity.last() {
                label.unlisted = idf[most_common as usize];
            }
            for &t in &by_rarity[..by_rarity.len().saturating_sub(1)] {
                postings[t as usize].push(i as u32);
            }
        }
        let postings = postings.into_iter().map(Vec::into_boxed_slice).collect();
        Paraphrases {
            labels: built,
            roots,
            postings,
            idf,
            df,
            skills: skills as u32,
            by_root,
            contexts,
        }
    }

    /// A stem's root number, or [`UNKNOWN`].
    pub fn root_of(&self, stem: u32) -> u32 {
        self.roots.get(stem as usize).copied().unwrap_or(UNKNOWN)
    }

    /// The root number of a word whose stem is not numbered ("compliant" where the labels and
    /// descriptions say only "compliance"), or [`UNKNOWN`].
    pub fn root_of_word(&self, word: &str, vocabulary: &Vocabulary) -> u32 {
        let stem = vocabulary.stem_word(word);
        let root = root(&stem, vocabulary);
        self.by_root.get(root.as_str()).copied().unwrap_or(UNKNOWN)
    }

    /// Whether a word (by stem) is in so many skills' labels and descriptions that, alone, it
    /// names none of them for sure ([`COMMON_DF`]).
    pub fn is_common(&self, stem: u32) -> bool {
        let root = self.root_of(stem);
        self.df.get(root as usize).is_some_and(|&d| d >= COMMON_DF)
    }

    /// The roots that confirm a common one-word label `word` of `skill` when its clause holds
    /// one: the words of the skill's description and labels but `word`, the stop words and the
    /// most common words.
    pub fn confirming(&self, skill: u32, word: u32) -> Confirming {
        let word = self.root_of(word);
        let most = (self.skills as f32 * CONFIRMING_SHARE).max(1.0) as u32;
        let roots: Box<[u32]> = self.contexts.get(&skill).map_or_else(Box::default, |c| {
            c.iter()
                .copied()
                .filter(|&t| {
                    t != word
                        && self.idf(t) > 0.0
                        && self.df.get(t as usize).is_some_and(|&d| d <= most)
                })
                .collect()
        });
        Confirming {
            mask: roots.iter().fold(0, |mask, &t| mask | root_bit(t)),
            roots,
        }
    }

    /// A root's idf over skills' labels and descriptions; 0 for stop words.
    pub(crate) fn idf_of(&self, root: u32) -> f32 {
        self.idf(root)
    }

    fn idf(&self, term: u32) -> f32 {
        self.idf.get(term as usize).copied().unwrap_or(0.0)
    }

    /// The paraphrases in a text's words (`scratch.roots[i]` is the root number of `tokens[i]`,
    /// see [`Paraphrases::root_of`]), skipping
    /// the skills in `found` (ascending) and words inside a label match (`matches`: first word,
    /// end word, node). One per skill, its best clause; ordered by skill.
    pub fn find(
        &self,
        scratch: &mut ParaphraseScratch,
        tokens: &[Token],
        found: &[u32],
        matches: &[(u32, u32, u32)],
    ) -> Vec<Paraphrase> {
        if scratch.found.len() != self.labels.len() {
            scratch.found = vec![0.0; self.labels.len()];
        }
        let rooted = std::mem::take(&mut scratch.roots);
        let terms = rooted.as_slice();
        let mut best: FxHashMap<u32, Paraphrase> = FxHashMap::default();
        let mut clause_start = 0;
        for end in 1..=tokens.len() {
            if end < tokens.len() && !tokens[end].clause_break {
                continue;
            }
            let taken = self.clause(
                scratch,
                (clause_start, end),
                terms,
                found,
                matches,
                &mut best,
                false,
            );
            let named = matches
                .iter()
                .any(|&(s, _, _)| (clause_start..end).contains(&(s as usize)));
            if taken == 0 && !named {
                self.clause(
                    scratch,
                    (clause_start, end),
                    terms,
                    found,
                    matches,
                    &mut best,
                    true,
                );
            }
            clause_start = end;
        }
        scratch.roots = rooted;
        let mut out: Vec<Paraphrase> = best.into_values().collect();
        out.sort_by_key(|p| p.skill);
        out
    }

    /// The paraphrases of one clause into `best`; with `nearest`, its nearest labels instead
    /// (see [`NEAREST_COVERAGE`]). Returns how many it found.
    #[allow(clippy::too_many_arguments)]
    fn clause(
        &self,
        scratch: &mut ParaphraseScratch,
        (start, end): (usize, usize),
        terms: &[u32],
        found: &[u32],
        matches: &[(u32, u32, u32)],
        best: &mut FxHashMap<u32, Paraphrase>,
        nearest: bool,
    ) -> usize {
        let (least_coverage, least_words) = if nearest {
            (NEAREST_COVERAGE, 1)
        } else {
            (MIN_COVERAGE, 2)
        };
        // The clause's content stems, each with its first word.
        let mut set: Vec<(u32, usize)> = (start..end)
            .filter(|&i| terms[i] != UNKNOWN && self.idf(terms[i]) > 0.0)
            .map(|i| (terms[i], i))
            .collect();
        if set.len() < least_words {
            return 0;
        }
        set.sort_unstable();
        set.dedup_by_key(|(t, _)| *t);
        // What the postings find of each label, then those that could still reach the coverage.
        let ParaphraseScratch {
            found: weights,
            touched,
            ..
        } = scratch;
        touched.clear();
        for &(t, _) in &set {
            let idf = self.idf(t);
            for &label in self.postings.get(t as usize).map_or(&[][..], |p| p) {
                let weight = &mut weights[label as usize];
                if *weight == 0.0 {
                    touched.push(label);
                }
                *weight += idf;
            }
        }
        let mut candidates: Vec<u32> = Vec::new();
        for &label in touched.iter() {
            let l = &self.labels[label as usize];
            if weights[label as usize] + l.unlisted >= least_coverage * l.weight {
                candidates.push(label);
            }
            weights[label as usize] = 0.0;
        }
        if candidates.is_empty() {
            return 0;
        }
        candidates.sort_unstable();
        let has = |t: u32| set.binary_search_by_key(&t, |&(s, _)| s).ok();
        let clause_weight: f32 = set.iter().map(|&(t, _)| self.idf(t)).sum();
        let mut scored: Vec<Paraphrase> = Vec::new();
        let mut matched: Vec<(u32, usize)> = Vec::new();
        let mut wanted: Vec<u32> = Vec::new();
        for candidate in candidates {
            let label = &self.labels[candidate as usize];
            if found.binary_search(&label.skill).is_ok() || label.weight <= 0.0 {
                continue;
            }
            matched.clear();
            matched.extend(label.terms.iter().filter_map(|&t| has(t).map(|k| set[k])));
            if matched.len() < least_words {
                continue;
            }
            // The label's words must stand close together, not scattered over a long clause:
            // the shortest run of the clause holding them all.
            wanted.clear();
            wanted.extend(matched.iter().map(|&(t, _)| t));
            let Some((first, last)) = shortest_window(&terms[start..end], &wanted) else {
                continue;
            };
            let gaps = terms[start + first..=start + last]
                .iter()
                .filter(|&&t| t != UNKNOWN && self.idf(t) > 0.0)
                .count()
                .saturating_sub(wanted.len());
            if gaps > MAX_SPREAD {
                continue;
            }
            let (first, last) = (first + start, last + start);
            // Words a label match covers are that label's: "improve business processes" is not
            // also a paraphrase of "business processes".
            if matches
                .iter()
                .any(|&(s, e, _)| s as usize <= first && last < e as usize)
            {
                continue;
            }
            let coverage = matched.iter().map(|&(t, _)| self.idf(t)).sum::<f32>() / label.weight;
            if coverage < least_coverage {
                continue;
            }
            // The clause's other words that the description uses: evidence beyond the label.
            let context = self.contexts.get(&label.skill).map_or(0.0, |d| {
                set.iter()
                    .filter(|(t, _)| {
                        label.terms.binary_search(t).is_err() && d.binary_search(t).is_ok()
                    })
                    .map(|&(t, _)| self.idf(t))
                    .sum::<f32>()
                    / clause_weight.max(f32::EPSILON)
            });
            if coverage < 0.999 && context <= 0.0 && !nearest {
                continue;
            }
            let proximity = 1.0 - 0.05 * gaps as f32;
            let score = (0.8 * coverage.min(1.0) + 0.2 * context.min(1.0)) * proximity;
            if score
                < if nearest {
                    NEAREST_THRESHOLD
                } else {
                    THRESHOLD
                }
            {
                continue;
            }
            let words: Vec<usize> = (first..=last)
                .filter(|&i| wanted.contains(&terms[i]))
                .collect();
            scored.push(Paraphrase {
                skill: label.skill,
                label: label.label,
                kind: label.kind,
                score,
                words,
                nearest,
            });
        }
        // Best first; one per skill; at most PER_CLAUSE, more for a long clause.
        let most = if nearest {
            NEAREST_PER_CLAUSE
        } else {
            PER_CLAUSE + set.len().saturating_sub(WORDS_PER_HIT) / WORDS_PER_HIT
        };
        scored.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.kind.cmp(&b.kind))
                .then(a.skill.cmp(&b.skill))
                .then(a.label.cmp(&b.label))
        });
        let mut taken: Vec<u32> = Vec::new();
        for p in scored {
            if taken.len() == most {
                break;
            }
            if taken.contains(&p.skill) {
                continue;
            }
            taken.push(p.skill);
            let better = best.get(&p.skill).is_none_or(|old| {
                p.score > old.score || (p.score == old.score && p.words < old.words)
            });
            if better {
                best.insert(p.skill, p);
            }
        }
        taken.len()
    }
}

/// The shortest run `(first, last)` of `terms` holding every term of `wanted` (distinct, few).
fn shortest_window(terms: &[u32], wanted: &[u32]) -> Option<(usize, usize)> {
    let mut counts = vec![0usize; wanted.len()];
    let mut missing = wanted.len();
    let mut best: Option<(usize, usize)> = None;
    let mut left = 0;
    for (right, term) in terms.iter().enumerate() {
        if let Some(k) = wanted.iter().position(|w| w == term) {
            if counts[k] == 0 {
                missing -= 1;
            }
            counts[k] += 1;
        }
        while missing == 0 {
            if best.is_none_or(|(a, b)| right - left < b - a) {
                best = Some((left, right));
            }
            if let Some(k) = wanted.iter().position(|w| *w == terms[left]) {
                counts[k] -= 1;
                if counts[k] == 0 {
                    missing += 1;
                }
            }
            left += 1;
        }
    }
    best
}
