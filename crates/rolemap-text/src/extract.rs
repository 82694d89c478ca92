//! The extractor: labels compiled into one Aho-Corasick automaton over word numbers, matching,
//! overlap resolution, negation, and the paraphrase signal on top.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::TextError;
use crate::negation::is_negated;
use crate::normalise::{Normaliser, Token, char_offset};
use crate::paraphrase::{self, Paraphrases};
use crate::stem::{StemCache, Vocabulary};

/// Which of a skill's labels matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LabelKind {
    Preferred,
    Alternative,
    /// A label kept for search only (ESCO's hidden labels: misspellings, old names).
    Hidden,
}

impl LabelKind {
    /// "preferred", "alternative" or "hidden".
    pub fn as_str(self) -> &'static str {
        match self {
            LabelKind::Preferred => "preferred",
            LabelKind::Alternative => "alternative",
            LabelKind::Hidden => "hidden",
        }
    }

    /// How far a match of this kind of label is trusted.
    fn confidence(self) -> f32 {
        match self {
            LabelKind::Preferred => 1.0,
            LabelKind::Alternative => 0.95,
            LabelKind::Hidden => 0.85,
        }
    }
}

/// Which signal found a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    /// One of the skill's labels is in the text (up to stems).
    Label,
    /// The words of a clause cover most of a label's words, not as a phrase.
    Paraphrase,
}

impl Signal {
    /// "label" or "paraphrase".
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Label => "label",
            Signal::Paraphrase => "paraphrase",
        }
    }
}

/// Which signals to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signals {
    pub paraphrase: bool,
}

impl Signals {
    /// Labels and paraphrase.
    pub const ALL: Signals = Signals { paraphrase: true };
    /// Labels only: the cheapest, and what a dictionary matcher does.
    pub const LABELS: Signals = Signals { paraphrase: false };
}

/// One mention of a skill in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The caller's number for the skill.
    pub skill: u32,
    /// Character offsets of the mention in the text given (end exclusive).
    pub start: usize,
    pub end: usize,
    /// The same as byte offsets.
    pub byte_start: usize,
    pub byte_end: usize,
    /// The label matched (see [`Extractor::label`]); for a paraphrase, the label its words cover.
    pub label: u32,
    pub kind: LabelKind,
    pub signal: Signal,
    /// For a paraphrase, the byte ranges of the words that led to it; empty for a label hit,
    /// whose span is its words.
    pub words: Vec<(usize, usize)>,
    /// Inside a negation ("no budget responsibility"): reported, not counted.
    pub negated: bool,
    /// In (0, 1]: label hits 0.85 to 1.0 by label kind (lower when only the stems agree),
    /// paraphrases below 0.8.
    pub confidence: f32,
}

/// The hits of one text, ordered by position, then skill.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    pub hits: Vec<Hit>,
}

impl Extraction {
    /// The skills the text evidences: every skill with a hit that is not negated, ascending.
    pub fn skills(&self) -> Vec<u32> {
        let mut skills: Vec<u32> = self
            .hits
            .iter()
            .filter(|h| !h.negated)
            .map(|h| h.skill)
            .collect();
        skills.sort_unstable();
        skills.dedup();
        skills
    }
}

/// Collects labels and descriptions, then builds an [`Extractor`].
#[derive(Debug, Clone, Default)]
pub struct ExtractorBuilder {
    labels: Vec<(u32, String, LabelKind)>,
    descriptions: Vec<(u32, String)>,
}

impl ExtractorBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A label of skill `skill` (the caller's number).
    pub fn label(&mut self, skill: u32, label: &str, kind: LabelKind) -> &mut Self {
        self.labels.push((skill, label.to_owned(), kind));
        self
    }

    /// A skill's description, for the paraphrase signal.
    pub fn description(&mut self, skill: u32, text: &str) -> &mut Self {
        if !text.trim().is_empty() {
            self.descriptions.push((skill, text.to_owned()));
        }
        self
    }

    /// Compiles the labels. Labels shorter than two characters once normalised are left out
    /// (they match too much); labels of one skill that normalise to the same stems count once,
    /// as the most trusted kind.
    pub fn build(self) -> Result<Extractor, TextError> {
        let normaliser = Normaliser;
        let mut vocabulary = Vocabulary::default();
        let mut labels = Vec::with_capacity(self.labels.len());
        let mut patterns: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
        let mut pattern_terms: Vec<Vec<u32>> = Vec::new();
        let mut pattern_entries: Vec<Vec<Entry>> = Vec::new();
        let mut label_terms = Vec::with_capacity(self.labels.len());
        for (skill, text, kind) in &self.labels {
            let normalised = normaliser.normalise(text);
            if normalised.text.chars().count() < 2 {
                continue;
            }
            let terms: Vec<u32> = normalised
                .tokens
                .iter()
                .map(|t| vocabulary.add(normalised.word(t)))
                .collect();
            let label = labels.len() as u32;
            labels.push(LabelText {
                text: text.as_str().into(),
                normalised: normalised.text.into_boxed_str(),
            });
            label_terms.push((*skill, label, *kind, terms.clone()));
            let next = pattern_terms.len() as u32;
            let pattern = *patterns.entry(terms.clone()).or_insert(next);
            if pattern == next {
                pattern_terms.push(terms);
                pattern_entries.push(Vec::new());
            }
            let entries = &mut pattern_entries[pattern as usize];
            match entries.iter_mut().find(|e| e.skill == *skill) {
                Some(entry) if entry.kind > *kind => {
                    entry.kind = *kind;
                    entry.label = label;
                }
                Some(_) => {}
                None => entries.push(Entry {
                    skill: *skill,
                    label,
                    kind: *kind,
                }),
            }
        }
        let descriptions: Vec<(u32, Vec<u32>)> = self
            .descriptions
            .iter()
            .map(|(skill, text)| {
                let normalised = normaliser.normalise(text);
                let terms = normalised
                    .tokens
                    .iter()
                    .map(|t| vocabulary.add(normalised.word(t)))
                    .collect();
                (*skill, terms)
            })
            .collect();
        let paraphrases = Paraphrases::build(&mut vocabulary, &label_terms, &descriptions);
        let codes = assign_codes(vocabulary.len(), &pattern_terms, &descriptions)?;
        let encoded: Vec<Vec<u8>> = pattern_terms
            .iter()
            .map(|t| encode_pattern(t, &codes))
            .collect();
        let automaton = if encoded.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&encoded)
                    .map_err(|e| TextError::Automaton(e.to_string()))?,
            )
        };
        let mut entries = Vec::new();
        let mut ranges = Vec::with_capacity(pattern_entries.len());
        for mut list in pattern_entries {
            list.sort_by_key(|e| e.skill);
            let start = entries.len() as u32;
            entries.extend(list);
            ranges.push((start, entries.len() as u32));
        }
        Ok(Extractor {
            vocabulary,
            codes,
            automaton,
            pattern_lengths: pattern_terms.iter().map(|t| t.len() as u32).collect(),
            ranges,
            entries,
            labels,
            paraphrases,
        })
    }
}

/// In the automaton's text a word is a 0xFF separator followed by its code: one to three bytes
/// below 0xFF, shorter for words the labels and descriptions use more often, and no bytes at all
/// for words no label holds. A pattern (a label's words, then a closing separator) therefore only
/// ever matches whole words.
const SEPARATOR: u8 = 0xFF;
const BASE: usize = 255;
const MAX_CODES: usize = BASE + BASE * BASE + BASE * BASE * BASE;

/// A word's bytes in the automaton's text: `len` of `bytes`.
#[derive(Debug, Clone, Copy, Default)]
struct Code {
    bytes: [u8; 3],
    len: u8,
}

impl Code {
    /// The code of the word ranked `rank` (0 = most frequent): bijective base 255, so codes of
    /// different lengths never collide.
    fn of_rank(rank: usize) -> Code {
        let digit = |n: usize| (n % BASE) as u8;
        if rank < BASE {
            Code {
                bytes: [digit(rank), 0, 0],
                len: 1,
            }
        } else if rank < BASE + BASE * BASE {
            let r = rank - BASE;
            Code {
                bytes: [digit(r), digit(r / BASE), 0],
                len: 2,
            }
        } else {
            let r = rank - BASE - BASE * BASE;
            Code {
                bytes: [digit(r), digit(r / BASE), digit(r / (BASE * BASE))],
                len: 3,
            }
        }
    }

    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

/// Codes for every word number: label words ranked by how often labels and descriptions use
/// them, every other word empty.
fn assign_codes(
    terms: usize,
    patterns: &[Vec<u32>],
    descriptions: &[(u32, Vec<u32>)],
) -> Result<Vec<Code>, TextError> {
    let mut in_label = vec![false; terms];
    let mut uses = vec![0u32; terms];
    for term in patterns.iter().flatten() {
        in_label[*term as usize] = true;
        uses[*term as usize] += 1;
    }
    for term in descriptions.iter().flat_map(|(_, t)| t) {
        uses[*term as usize] += 1;
    }
    let mut ranked: Vec<u32> = (0..terms as u32)
        .filter(|&t| in_label[t as usize])
        .collect();
    if ranked.len() > MAX_CODES {
        return Err(TextError::Automaton(format!(
            "{} distinct label words, at most {MAX_CODES}",
            ranked.len()
        )));
    }
    ranked.sort_by_key(|&t| (std::cmp::Reverse(uses[t as usize]), t));
    let mut codes = vec![Code::default(); terms];
    for (rank, term) in ranked.into_iter().enumerate() {
        codes[term as usize] = Code::of_rank(rank);
    }
    Ok(codes)
}

fn encode_pattern(terms: &[u32], codes: &[Code]) -> Vec<u8> {
    let mut out = Vec::with_capacity(terms.len() * 4 + 1);
    for &term in terms {
        out.push(SEPARATOR);
        out.extend_from_slice(codes[term as usize].as_slice());
    }
    out.push(SEPARATOR);
    out
}

/// A skill a label pattern names.
#[derive(Debug, Clone, Copy)]
struct Entry {
    skill: u32,
    label: u32,
    kind: LabelKind,
}

#[derive(Debug, Clone)]
struct LabelText {
    text: Box<str>,
    /// The label normalised, to tell an exact match from one of stems only.
    normalised: Box<str>,
}

/// Buffers one thread reuses from text to text, and its cache of stemmed words.
#[derive(Debug, Default)]
pub struct Scratch {
    buffer: String,
    tokens: Vec<Token>,
    terms: Vec<u32>,
    haystack: Vec<u8>,
    /// Where each word's separator is in `haystack`.
    starts: Vec<u32>,
    candidates: Vec<(u32, u32, u32)>,
    cache: StemCache,
}

/// Finds skills in text. Built once ([`ExtractorBuilder`]), shared by any number of threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    vocabulary: Vocabulary,
    /// Per word number, its bytes in the automaton's text.
    codes: Vec<Code>,
    automaton: Option<AhoCorasick>,
    /// Words per pattern.
    pattern_lengths: Vec<u32>,
    /// Per pattern, its entries in `entries`.
    ranges: Vec<(u32, u32)>,
    entries: Vec<Entry>,
    labels: Vec<LabelText>,
    paraphrases: Paraphrases,
}

impl Extractor {
    /// The text of label number `label` (a [`Hit::label`]).
    pub fn label(&self, label: u32) -> &str {
        self.labels.get(label as usize).map_or("", |l| &l.text)
    }

    /// How many labels were compiled, and how many distinct label patterns.
    pub fn size(&self) -> (usize, usize) {
        (self.labels.len(), self.ranges.len())
    }

    /// The skills `text` mentions.
    pub fn extract(&self, text: &str, signals: Signals) -> Extraction {
        self.extract_with(&mut Scratch::default(), text, signals)
    }

    /// Many texts on all cores, in order.
    pub fn extract_all<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        signals: Signals,
    ) -> Vec<Extraction> {
        texts
            .par_iter()
            .map_init(Scratch::default, |scratch, text| {
                self.extract_with(scratch, text.as_ref(), signals)
            })
            .collect()
    }

    /// The skills `text` mentions, reusing a thread's buffers.
    pub fn extract_with(&self, scratch: &mut Scratch, text: &str, signals: Signals) -> Extraction {
        let Scratch {
            buffer,
            tokens,
            terms,
            haystack,
            starts,
            candidates,
            cache,
        } = scratch;
        Normaliser.normalise_into(text, buffer, tokens);
        terms.clear();
        haystack.clear();
        starts.clear();
        for token in tokens.iter() {
            let word = buffer
                .get(token.norm.0 as usize..token.norm.1 as usize)
                .unwrap_or("");
            let term = self.vocabulary.lookup(word, cache);
            terms.push(term);
            starts.push(haystack.len() as u32);
            haystack.push(SEPARATOR);
            if let Some(code) = self.codes.get(term as usize) {
                haystack.extend_from_slice(code.as_slice());
            }
        }
        haystack.push(SEPARATOR);

        candidates.clear();
        if let Some(automaton) = &self.automaton {
            for m in automaton.find_overlapping_iter(haystack.as_slice()) {
                let pattern = m.pattern().as_u32();
                let Ok(start) = starts.binary_search(&(m.start() as u32)) else {
                    continue;
                };
                let start = start as u32;
                let len = self.pattern_lengths[pattern as usize];
                candidates.push((start, start + len, pattern));
            }
        }
        resolve_overlaps(candidates);

        let ascii = text.is_ascii();
        let offset = |byte: usize| if ascii { byte } else { char_offset(text, byte) };
        let word = |i: usize| {
            tokens
                .get(i)
                .and_then(|t| buffer.get(t.norm.0 as usize..t.norm.1 as usize))
                .unwrap_or("")
        };
        let breaks = |i: usize| tokens.get(i).is_some_and(|t| t.clause_break);
        let mut hits = Vec::new();
        for &(start, end, pattern) in candidates.iter() {
            let (first, last) = (&tokens[start as usize], &tokens[end as usize - 1]);
            let negated = is_negated(tokens.len(), start as usize, end as usize, word, breaks);
            let phrase = buffer
                .get(first.norm.0 as usize..last.norm.1 as usize)
                .unwrap_or("");
            let (from, to) = self.ranges[pattern as usize];
            for entry in &self.entries[from as usize..to as usize] {
                let exact = self
                    .labels
                    .get(entry.label as usize)
                    .is_some_and(|l| &*l.normalised == phrase);
                let confidence = entry.kind.confidence() * if exact { 1.0 } else { 0.9 };
                hits.push(Hit {
                    skill: entry.skill,
                    start: offset(first.start as usize),
                    end: offset(last.end as usize),
                    byte_start: first.start as usize,
                    byte_end: last.end as usize,
                    label: entry.label,
                    kind: entry.kind,
                    signal: Signal::Label,
                    words: Vec::new(),
                    negated,
                    confidence,
                });
            }
        }
        if signals.paraphrase {
            let mut found: Vec<u32> = hits.iter().map(|h| h.skill).collect();
            found.sort_unstable();
            found.dedup();
            for p in self.paraphrases.find(tokens, terms, &found) {
                let words: Vec<(usize, usize)> = p
                    .words
                    .iter()
                    .map(|&i| (tokens[i].start as usize, tokens[i].end as usize))
                    .collect();
                let (Some(&(byte_start, _)), Some(&(_, byte_end))) = (words.first(), words.last())
                else {
                    continue;
                };
                let first = p.words.first().copied().unwrap_or(0);
                let last = p.words.last().copied().unwrap_or(0);
                hits.push(Hit {
                    skill: p.skill,
                    start: offset(byte_start),
                    end: offset(byte_end),
                    byte_start,
                    byte_end,
                    label: p.label,
                    kind: p.kind,
                    signal: Signal::Paraphrase,
                    words,
                    negated: is_negated(tokens.len(), first, last + 1, word, breaks),
                    confidence: p.score * paraphrase::CONFIDENCE,
                });
            }
        }
        hits.sort_by(|a, b| {
            (a.start, a.end, a.skill, a.signal).cmp(&(b.start, b.end, b.skill, b.signal))
        });
        Extraction { hits }
    }
}

/// Keeps the matches that are not wholly inside a longer one, ordered by position. `matches` are
/// (first word, end word, pattern).
fn resolve_overlaps(matches: &mut Vec<(u32, u32, u32)>) {
    if matches.len() < 2 {
        return;
    }
    // Longest first, so that any match containing another is decided before it.
    matches.sort_unstable_by(|a, b| (b.1 - b.0, a.0, a.2).cmp(&(a.1 - a.0, b.0, b.2)));
    let mut kept: Vec<(u32, u32, u32)> = Vec::with_capacity(matches.len());
    for &(start, end, pattern) in matches.iter() {
        let inside = kept
            .iter()
            .any(|&(s, e, _)| s <= start && end <= e && e - s > end - start);
        if !inside {
            kept.push((start, end, pattern));
        }
    }
    kept.sort_unstable();
    *matches = kept;
}

#[cfg(test)]
pub(crate) fn resolve_for_test(matches: &mut Vec<(u32, u32, u32)>) {
    resolve_overlaps(matches)
}
