//! The extractor: labels compiled into a trie over word numbers, matching,
//! overlap resolution, negation, and the paraphrase signal on top.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::TextError;
use crate::negation::Cues;
use crate::normalise::{Normalised, Normaliser, Token, ascii_words, char_offset};
use crate::paraphrase::{self, Confirming, ParaphraseScratch, Paraphrases, STOP_WORDS, root_bit};
use crate::stem::{StemCache, UNKNOWN, Vocabulary, short_key};

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
    /// A label's words after its verb, or a noun label's words before its last, are in the
    /// text as a phrase: "crisis management" for "apply crisis management", "continuous
    /// improvement" for "continuous improvement philosophies".
    Phrase,
    /// The words of a clause cover most of a label's words, not as a phrase.
    Paraphrase,
}

impl Signal {
    /// "label", "phrase" or "paraphrase".
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Label => "label",
            Signal::Phrase => "phrase",
            Signal::Paraphrase => "paraphrase",
        }
    }
}

/// Which signals to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signals {
    pub phrase: bool,
    pub paraphrase: bool,
}

impl Signals {
    /// Labels, phrases and paraphrase.
    pub const ALL: Signals = Signals {
        phrase: true,
        paraphrase: true,
    };
    /// Labels only: the cheapest, and what a dictionary matcher does.
    pub const LABELS: Signals = Signals {
        phrase: false,
        paraphrase: false,
    };
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
    /// In (0, 1], calibrated: about the share of such hits that are right on real adverts
    /// ([`CALIBRATION_LABEL`]). Label hits 0.85 to 1.0 by label kind (lower when only the stems
    /// agree) times 0.55; phrase hits 0.8 times their label's, times 0.3; paraphrases their score
    /// times 0.8 × 0.3, and half that for a clause's nearest labels.
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
        let mut single_words: Vec<Box<str>> = Vec::new();
        let normalised: Vec<Normalised> = self
            .labels
            .iter()
            .map(|(_, text, _)| normaliser.normalise(text))
            .collect();
        let verbs = verbs(&normalised);
        // Label phrases after their verb, and noun labels without their last word: (words,
        // skill, label number, kind, surface).
        let mut phrases: Vec<(Vec<u32>, u32, u32, LabelKind, u64)> = Vec::new();
        for ((skill, text, kind), normalised) in self.labels.iter().zip(&normalised) {
            if normalised.text.chars().count() < 2 {
                continue;
            }
            let terms: Vec<u32> = normalised
                .tokens
                .iter()
                .map(|t| vocabulary.add(normalised.word(t)))
                .collect();
            let label = labels.len() as u32;
            let surface = surface_hash(&normalised.text);
            let single = if terms.len() == 1 {
                single_words.push(normalised.text.as_str().into());
                (single_words.len() - 1) as u32
            } else {
                NONE
            };
            let acronym = is_case_marked(text);
            let short = normalised.text.chars().count() <= SHORT_LABEL;
            labels.push(text.as_str().into());
            label_terms.push((*skill, label, *kind, terms.clone()));
            if let [first, second, rest @ ..] = normalised.tokens.as_slice()
                && verbs.contains(normalised.word(first))
                && !edge_word(normalised.word(second))
                && rest
                    .iter()
                    .any(|t| !STOP_WORDS.contains(&normalised.word(t)))
            {
                let rest = normalised
                    .text
                    .get(second.norm.0 as usize..)
                    .unwrap_or_default();
                phrases.push((
                    terms[1..].to_vec(),
                    *skill,
                    label,
                    *kind,
                    surface_hash(rest),
                ));
            }
            // Without its last word ("continuous improvement" of "continuous improvement
            // philosophies"), when two content words are left and the last is one.
            if let [kept @ .., last, _] = normalised.tokens.as_slice()
                && !edge_word(normalised.word(last))
                && kept
                    .iter()
                    .any(|t| !STOP_WORDS.contains(&normalised.word(t)))
                && !verbs.contains(normalised.word(&normalised.tokens[0]))
            {
                let head = normalised
                    .text
                    .get(..last.norm.1 as usize)
                    .unwrap_or_default();
                phrases.push((
                    terms[..terms.len() - 1].to_vec(),
                    *skill,
                    label,
                    *kind,
                    surface_hash(head),
                ));
            }
            let next = pattern_terms.len() as u32;
            let pattern = *patterns.entry(terms.clone()).or_insert(next);
            if pattern == next {
                pattern_terms.push(terms);
                pattern_entries.push(Vec::new());
            }
            let entries = &mut pattern_entries[pattern as usize];
            match entries.iter_mut().find(|e| e.skill == *skill) {
                // The case rule holds only when every form of the label the skill lists is
                // case-marked: ESCO listing "gis" beside "GIS" accepts the lower case.
                Some(entry) if entry.kind > *kind => {
                    entry.kind = *kind;
                    entry.label = label;
                    entry.surface = surface;
                    entry.single = single;
                    entry.acronym &= acronym;
                    entry.short = short;
                }
                Some(entry) => entry.acronym &= acronym,
                None => entries.push(Entry {
                    skill: *skill,
                    label,
                    kind: *kind,
                    surface,
                    single,
                    acronym,
                    short,
                    confirm: false,
                    phrase: false,
                }),
            }
        }
        // A phrase counts where no label says the same, and for a few skills at most.
        let mut by_words: FxHashMap<Vec<u32>, Vec<Entry>> = FxHashMap::default();
        for (terms, skill, label, kind, surface) in phrases {
            if patterns.contains_key(&terms) {
                continue;
            }
            let entries = by_words.entry(terms).or_default();
            match entries.iter_mut().find(|e| e.skill == skill) {
                Some(entry) if entry.kind > kind => {
                    entry.kind = kind;
                    entry.label = label;
                    entry.surface = surface;
                }
                Some(_) => {}
                None => entries.push(Entry {
                    skill,
                    label,
                    kind,
                    surface,
                    single: NONE,
                    acronym: false,
                    short: false,
                    confirm: false,
                    phrase: true,
                }),
            }
        }
        let first_phrase = pattern_terms.len() as u32;
        let mut by_words: Vec<(Vec<u32>, Vec<Entry>)> = by_words
            .into_iter()
            .filter(|(_, entries)| entries.len() <= PHRASE_SKILLS)
            .collect();
        by_words.sort_by(|a, b| a.0.cmp(&b.0));
        for (terms, entries) in by_words {
            pattern_terms.push(terms);
            pattern_entries.push(entries);
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
        let mut confirming: FxHashMap<u32, Confirming> = FxHashMap::default();
        for (terms, entries) in pattern_terms.iter().zip(pattern_entries.iter_mut()) {
            if let [word] = terms.as_slice() {
                let common = paraphrases.is_common(*word);
                // A common word needs confirming unless it is an acronym (checked by case); a
                // short label that is not the skill's own name ("POS" for a consensus
                // mechanism, "re" for instrumentation) has too many readings to go alone.
                for entry in entries.iter_mut().filter(|e| {
                    (common && !e.acronym)
                        || (CONFIRM_SHORT && e.short && e.kind != LabelKind::Preferred)
                }) {
                    entry.confirm = true;
                    confirming.insert(entry.label, paraphrases.confirming(entry.skill, *word));
                }
            }
        }
        let cues = Cues::build(&mut vocabulary);
        let labels_end = first_phrase as usize;
        let trie = PhraseTrie::build(vocabulary.len(), &pattern_terms[..labels_end]);
        let phrase_trie = PhraseTrie::build(vocabulary.len(), &pattern_terms[labels_end..]);
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
            cues,
            trie,
            phrase_trie,
            confirming,
            ranges,
            entries,
            labels,
            single_words,
            paraphrases,
            first_phrase,
        })
    }
}

/// No node, no pattern.
const NONE: u32 = u32::MAX;

/// A phrase hit's confidence is its label's times this.
pub const PHRASE_CONFIDENCE: f32 = 0.8;

/// Calibration: every hit's confidence is its signal's score times its signal's factor, so that
/// it reads as the share of such hits that are right. Measured on labelled real advert
/// sentences over all of ESCO (`scripts/eval-real-text.sh`, 136 sentences, 262 gold skills):
/// label hits were right 52% of the time, phrase hits 24%, paraphrases 20%, a clause's nearest
/// labels 6%; the factors keep that order and put each signal's scores at its share right.
pub const CALIBRATION_LABEL: f32 = 0.55;
pub const CALIBRATION_PHRASE: f32 = 0.3;
pub const CALIBRATION_PARAPHRASE: f32 = 0.3;
/// A label's first word is a verb when it starts at least this many labels...
const VERB_LABELS: u32 = 10;
/// ... and stands first in at least this share of the labels holding it.
const VERB_SHARE: f32 = 0.8;
/// Words a phrase may not end or start with, besides the stop words.
const EDGE_WORDS: &[&str] = &[
    "about",
    "regarding",
    "concerning",
    "towards",
    "through",
    "via",
    "per",
    "over",
    "under",
    "between",
    "among",
    "against",
    "during",
    "after",
    "before",
    "up",
    "out",
    "off",
    "down",
    "according",
    "related",
    "based",
    "if",
    "not",
    "so",
    "than",
    "then",
    "there",
];

/// Whether a phrase may start or end with this word.
fn edge_word(word: &str) -> bool {
    STOP_WORDS.contains(&word) || EDGE_WORDS.contains(&word)
}

/// A phrase standing for more skills than this names none of them.
const PHRASE_SKILLS: usize = 3;

/// Every label as a path of word numbers: the goto function of an Aho-Corasick automaton whose
/// alphabet is the vocabulary. Matching starts a walk at every word of the text, so it finds every
/// label occurrence, overlapping ones included, without failure links; with words as letters a
/// walk rarely goes past two or three steps.
///
/// Invariants: node 0 is the root; nodes are numbered by depth, so the first-level nodes every
/// word of a text visits sit together in memory; `nodes[n]` is the pattern ending at node n (or
/// [`NONE`]) and a mask of its children's words (bit `word % 32`), which rules out most
/// second steps without a hash lookup.
#[derive(Debug, Clone, Default)]
struct PhraseTrie {
    /// Per word number, the first step from the root.
    first: Vec<Step>,
    /// (node << 32 | word) to the next node.
    next: FxHashMap<u64, u32>,
    nodes: Vec<(u32, u32)>,
}

/// A node as a walk meets it: its number, the pattern ending there (or [`NONE`]) and its
/// children's mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Step {
    node: u32,
    pattern: u32,
    children: u32,
}

const NO_STEP: Step = Step {
    node: NONE,
    pattern: NONE,
    children: 0,
};

fn bit(term: u32) -> u32 {
    1 << (term % 32)
}

impl PhraseTrie {
    fn build(words: usize, patterns: &[Vec<u32>]) -> PhraseTrie {
        // Built by insertion, then renumbered by depth.
        let mut first = vec![NONE; words];
        let mut next: FxHashMap<u64, u32> = FxHashMap::default();
        let mut ends = vec![NONE];
        let mut depths = vec![0u32];
        for (pattern, terms) in patterns.iter().enumerate() {
            let mut node = 0u32;
            for (depth, &term) in terms.iter().enumerate() {
                let existing = if depth == 0 {
                    first[term as usize]
                } else {
                    next.get(&key(node, term)).copied().unwrap_or(NONE)
                };
                node = if existing == NONE {
                    let created = ends.len() as u32;
                    ends.push(NONE);
                    depths.push(depth as u32 + 1);
                    if depth == 0 {
                        first[term as usize] = created;
                    } else {
                        next.insert(key(node, term), created);
                    }
                    created
                } else {
                    existing
                };
            }
            ends[node as usize] = pattern as u32;
        }
        let mut order: Vec<u32> = (0..ends.len() as u32).collect();
        order.sort_by_key(|&n| (depths[n as usize], n));
        let mut renumbered = vec![0u32; ends.len()];
        for (new, &old) in order.iter().enumerate() {
            renumbered[old as usize] = new as u32;
        }
        let mut nodes: Vec<(u32, u32)> = order.iter().map(|&old| (ends[old as usize], 0)).collect();
        for f in first.iter_mut().filter(|f| **f != NONE) {
            *f = renumbered[*f as usize];
        }
        let mut edges: Vec<(u64, u32)> = next
            .into_iter()
            .map(|(k, child)| {
                let (parent, term) = ((k >> 32) as u32, k as u32);
                let parent = renumbered[parent as usize];
                nodes[parent as usize].1 |= bit(term);
                (key(parent, term), renumbered[child as usize])
            })
            .collect();
        edges.sort_unstable();
        let first = first
            .into_iter()
            .map(|node| match nodes.get(node as usize) {
                Some(&(pattern, children)) => Step {
                    node,
                    pattern,
                    children,
                },
                None => NO_STEP,
            })
            .collect();
        PhraseTrie {
            first,
            next: edges.into_iter().collect(),
            nodes,
        }
    }

    /// The first step for a word.
    fn first_step(&self, term: u32) -> Step {
        self.first.get(term as usize).copied().unwrap_or(NO_STEP)
    }

    /// Every (first word, end word, pattern) in `terms`, by first word then length; `steps[i]`
    /// is the first step for word i.
    fn find_all(&self, terms: &[u32], steps: &[Step], out: &mut Vec<(u32, u32, u32)>) {
        for (start, step) in steps.iter().enumerate() {
            if step.node == NONE {
                continue;
            }
            let (mut node, mut pattern, mut children) = (step.node, step.pattern, step.children);
            let mut end = start + 1;
            loop {
                if pattern != NONE {
                    out.push((start as u32, end as u32, pattern));
                }
                let Some(&t) = terms.get(end) else {
                    break;
                };
                if children & bit(t) == 0 {
                    break;
                }
                match self.next.get(&key(node, t)) {
                    Some(&child) => node = child,
                    None => break,
                }
                (pattern, children) = self.nodes[node as usize];
                end += 1;
            }
        }
    }
}

fn key(node: u32, term: u32) -> u64 {
    (u64::from(node) << 32) | u64::from(term)
}

/// A skill a label pattern names.
#[derive(Debug, Clone, Copy)]
struct Entry {
    skill: u32,
    label: u32,
    kind: LabelKind,
    /// A hash of the label normalised, to tell an exact match from one of stems only without
    /// reading the label.
    surface: u64,
    /// For a one-word label, its word in `Extractor::single_words`; else [`NONE`].
    single: u32,
    /// The label is case-marked ("IT", "SQL", "iOS"): the text must write it as the label does
    /// or in capitals, never "it" or a sentence-initial "It" ([`case_matches`]).
    acronym: bool,
    /// The label has at most [`SHORT_LABEL`] characters: only its exact form counts (no plural,
    /// no stem, never the end of "you're").
    short: bool,
    /// A one-word label whose word is common ([`Paraphrases::is_common`]): it counts only when
    /// its clause holds another word of the skill's labels or description.
    confirm: bool,
    /// The pattern is a phrase of the label ([`Signal::Phrase`]): its words after its verb, or
    /// a noun label's words before its last.
    phrase: bool,
}

/// The words that open labels as verbs do ("apply", "manage", "coach"): the first word of at least
/// [`VERB_LABELS`] labels, and first in at least [`VERB_SHARE`] of the labels holding it.
fn verbs(labels: &[Normalised]) -> rustc_hash::FxHashSet<String> {
    let mut counts: FxHashMap<&str, (u32, u32)> = FxHashMap::default();
    for label in labels {
        for (i, token) in label.tokens.iter().enumerate() {
            let count = counts.entry(label.word(token)).or_default();
            count.1 += 1;
            if i == 0 {
                count.0 += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter(|&(_, (first, all))| {
            first >= VERB_LABELS && first as f32 >= VERB_SHARE * all as f32
        })
        .map(|(word, _)| word.to_owned())
        .collect()
}

/// A label of at most five characters whose case tells it from a word: capitals ("IT", "SQL"),
/// a capital after the first letter ("iOS", "IoT"), or a short name with its capital ("Ada",
/// "Lua"). The text must write it the same way or in capitals ([`case_matches`]).
fn is_case_marked(label: &str) -> bool {
    let label = label.trim();
    let count = label.chars().count();
    let upper = label.chars().filter(|c| c.is_uppercase()).count();
    let inner_upper = label.chars().skip(1).any(char::is_uppercase);
    count <= 5
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '²'))
        && (upper >= 2 || inner_upper || (upper == 1 && count <= SHORT_LABEL))
}

/// Whether the text's words `written` are a case-marked `label` in its own case pattern: as
/// written, or in capitals (a sentence-initial "It" is not "IT"); a plural "s" is allowed.
fn case_matches(label: &str, written: &str) -> bool {
    let written = written
        .strip_suffix('s')
        .filter(|w| !label.ends_with(['s', 'S']) && !w.is_empty())
        .unwrap_or(written);
    let letters = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    let (label, written) = (letters(label), letters(written));
    label == written
        || (written.chars().all(|c| !c.is_lowercase()) && written == label.to_uppercase())
}

/// Labels of at most this many characters (normalised) are short: they need their exact form.
const SHORT_LABEL: usize = 3;

/// Whether a short label that is not its skill's preferred one needs a confirming context.
const CONFIRM_SHORT: bool = true;

/// Whether the word starting at byte `start` is glued to the word before by an apostrophe (the
/// "re" of "you're", the "ve" of "I've"): no label of its own.
fn after_apostrophe(text: &str, start: usize) -> bool {
    text.get(..start)
        .is_some_and(|before| before.ends_with(['\'', '\u{2019}']))
}

/// Whether a one-word label accepts a word of the text: the same word, or one differing by a
/// plural ending. Stems alone join too much for a single word ("transformation" and
/// "transformers", "experience" and "experiment"); in a phrase the other words keep them apart.
fn accepts(label: &str, word: &str) -> bool {
    let plural_of = |long: &str, short: &str| {
        long.strip_prefix(short)
            .is_some_and(|rest| rest == "s" || rest == "es")
    };
    label == word || plural_of(word, label) || plural_of(label, word)
}

fn surface_hash(normalised: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(normalised.as_bytes());
    hasher.finish()
}

/// Buffers one thread reuses from text to text, and its caches of words.
#[derive(Debug)]
pub struct Scratch {
    buffer: String,
    tokens: Vec<Token>,
    terms: Vec<u32>,
    steps: Vec<Step>,
    /// Per word, its bytes as a number (see `short_key`), 0 for a longer word.
    keys: Vec<u128>,
    /// One word, lowered.
    word: String,
    /// A matched phrase, normalised.
    phrase: String,
    candidates: Vec<(u32, u32, u32)>,
    /// The phrase matches among `candidates`, while overlaps are resolved.
    phrases: Vec<(u32, u32, u32)>,
    /// Per word, its clause's number, and per clause its words and the mask of their roots;
    /// worked out for a text when a common one-word label first needs its clause.
    clause_of: Vec<u32>,
    clauses: Vec<(u32, u32, u64)>,
    cache: StemCache,
    /// The last word seen in each slot with its number and first step: a direct-mapped cache in
    /// front of the vocabulary and the trie, small enough to stay in the processor's cache
    /// where they do not; a language's frequent words hit it nearly always.
    recent: Box<[(u128, u32, Step)]>,
    paraphrase: ParaphraseScratch,
}

/// Slots of [`Scratch::recent`].
const RECENT: usize = 4096;

fn slot(key: u128) -> usize {
    let mixed = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 52) as usize % RECENT
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            buffer: String::new(),
            tokens: Vec::new(),
            terms: Vec::new(),
            steps: Vec::new(),
            keys: Vec::new(),
            word: String::new(),
            phrase: String::new(),
            candidates: Vec::new(),
            phrases: Vec::new(),
            clause_of: Vec::new(),
            clauses: Vec::new(),
            cache: StemCache::default(),
            // Key 0 is no word: normalised words are never empty.
            recent: vec![(0, UNKNOWN, NO_STEP); RECENT].into_boxed_slice(),
            paraphrase: ParaphraseScratch::default(),
        }
    }
}

/// Finds skills in text. Built once ([`ExtractorBuilder`]), shared by any number of threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    vocabulary: Vocabulary,
    cues: Cues,
    trie: PhraseTrie,
    /// The phrases ([`Signal::Phrase`]), walked only when that signal is asked for; its pattern
    /// numbers count from `first_phrase`.
    phrase_trie: PhraseTrie,
    /// For the entries with `confirm`, by label number: what confirms them.
    confirming: FxHashMap<u32, Confirming>,
    /// Per pattern, its entries in `entries`.
    ranges: Vec<(u32, u32)>,
    entries: Vec<Entry>,
    /// Label texts as given, by number.
    labels: Vec<Box<str>>,
    /// The words of one-word labels, normalised.
    single_words: Vec<Box<str>>,
    paraphrases: Paraphrases,
    /// Patterns from this number on are phrases ([`Signal::Phrase`]), not labels.
    first_phrase: u32,
}

impl Extractor {
    /// The text of label number `label` (a [`Hit::label`]).
    pub fn label(&self, label: u32) -> &str {
        self.labels.get(label as usize).map_or("", |l| l)
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
        // A few large chunks per thread, each with one scratch: a fresh scratch has cold caches
        // (its recent words, the words it stemmed), so it should serve many texts.
        let chunk = (texts.len() / (rayon::current_num_threads() * 4)).max(64);
        let parts: Vec<Vec<Extraction>> = texts
            .par_chunks(chunk)
            .map(|part| {
                let mut scratch = Scratch::default();
                part.iter()
                    .map(|text| self.extract_with(&mut scratch, text.as_ref(), signals))
                    .collect()
            })
            .collect();
        parts.into_iter().flatten().collect()
    }

    /// The skills `text` mentions, reusing a thread's buffers.
    pub fn extract_with(&self, scratch: &mut Scratch, text: &str, signals: Signals) -> Extraction {
        self.run(scratch, text, signals, None)
    }

    /// Only the skills `text` evidences by their labels (negated mentions left out), ascending:
    /// what [`Extraction::skills`] gives for [`Signals::LABELS`], without making the hits.
    pub fn skills_with(&self, scratch: &mut Scratch, text: &str) -> Vec<u32> {
        let mut skills = Vec::new();
        self.run(scratch, text, Signals::LABELS, Some(&mut skills));
        skills.sort_unstable();
        skills.dedup();
        skills
    }

    /// Many texts' skills on all cores, in order (see [`Extractor::skills_with`]).
    pub fn skills_all<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Vec<u32>> {
        let chunk = (texts.len() / (rayon::current_num_threads() * 4)).max(64);
        let parts: Vec<Vec<Vec<u32>>> = texts
            .par_chunks(chunk)
            .map(|part| {
                let mut scratch = Scratch::default();
                part.iter()
                    .map(|text| self.skills_with(&mut scratch, text.as_ref()))
                    .collect()
            })
            .collect();
        parts.into_iter().flatten().collect()
    }

    /// Extraction proper; with `skills_only`, the counted label skills go there and no hits are
    /// made.
    fn run(
        &self,
        scratch: &mut Scratch,
        text: &str,
        signals: Signals,
        mut skills_only: Option<&mut Vec<u32>>,
    ) -> Extraction {
        let Scratch {
            buffer,
            tokens,
            terms,
            steps,
            keys,
            word,
            phrase,
            candidates,
            phrases,
            clause_of,
            clauses,
            cache,
            recent,
            paraphrase,
        } = scratch;
        // All-ASCII text (most text) is read in place; other text is normalised into `buffer`.
        let ascii = text.is_ascii();
        tokens.clear();
        clause_of.clear();
        keys.clear();
        if ascii {
            ascii_words(text, tokens, keys);
        } else {
            Normaliser.normalise_into(text, buffer, tokens);
            keys.extend(tokens.iter().map(|t| {
                buffer
                    .get(t.norm.0 as usize..t.norm.1 as usize)
                    .and_then(short_key)
                    .unwrap_or(0)
            }));
        }
        // A token's normalised word: from `buffer`, or the text's bytes lowered into `word`.
        let lowered = |token: &Token, word: &mut String| {
            word.clear();
            let source = if ascii { text } else { buffer.as_str() };
            word.push_str(
                source
                    .get(token.norm.0 as usize..token.norm.1 as usize)
                    .unwrap_or(""),
            );
            if ascii {
                word.make_ascii_lowercase();
            }
        };
        terms.clear();
        steps.clear();
        for (token, &key) in tokens.iter().zip(keys.iter()) {
            let (term, step) = if key != 0 {
                let slot = &mut recent[slot(key)];
                if slot.0 != key {
                    lowered(token, word);
                    let term = self.vocabulary.lookup(word, cache);
                    *slot = (key, term, self.trie.first_step(term));
                }
                (slot.1, slot.2)
            } else {
                lowered(token, word);
                let term = self.vocabulary.lookup(word, cache);
                (term, self.trie.first_step(term))
            };
            terms.push(term);
            steps.push(step);
        }

        candidates.clear();
        self.trie.find_all(terms, steps, candidates);
        phrases.clear();
        if signals.phrase {
            steps.clear();
            steps.extend(terms.iter().map(|&t| self.phrase_trie.first_step(t)));
            self.phrase_trie.find_all(terms, steps, phrases);
        }
        if !phrases.is_empty() {
            // Phrases give way to labels: each kind resolved on its own, then a phrase lying
            // within a label match dropped.
            for phrase in phrases.iter_mut() {
                phrase.2 += self.first_phrase;
            }
            resolve_overlaps(candidates);
            resolve_overlaps(phrases);
            phrases.retain(|&(s, e, _)| !candidates.iter().any(|&(ls, le, _)| ls <= s && e <= le));
            candidates.extend(phrases.iter());
            candidates.sort_unstable();
        } else {
            resolve_overlaps(candidates);
        }

        let mut offsets = CharOffsets::new(text);
        let breaks = |i: usize| tokens.get(i).is_some_and(|t| t.clause_break);
        let mut hits = Vec::with_capacity(candidates.len() + 4);
        for &(start, end, pattern) in candidates.iter() {
            let (first, last) = (&tokens[start as usize], &tokens[end as usize - 1]);
            let negated = self
                .cues
                .is_negated(terms, start as usize, end as usize, breaks);
            if negated && skills_only.is_some() {
                continue;
            }
            // The matched words normalised, joined by single spaces (for skills alone, needed
            // only to check a one-word label).
            phrase.clear();
            if skills_only.is_none() || end - start == 1 {
                for token in &tokens[start as usize..end as usize] {
                    if !phrase.is_empty() {
                        phrase.push(' ');
                    }
                    lowered(token, word);
                    phrase.push_str(word);
                }
            }
            let phrase = phrase.as_str();
            let phrase_surface = if skills_only.is_none() {
                surface_hash(phrase)
            } else {
                0
            };
            let (from, to) = self.ranges[pattern as usize];
            let original = text
                .get(first.start as usize..last.end as usize)
                .unwrap_or("");
            for entry in &self.entries[from as usize..to as usize] {
                if entry.single != NONE
                    && !self
                        .single_words
                        .get(entry.single as usize)
                        .is_some_and(|w| accepts(w, phrase))
                {
                    continue;
                }
                if entry.acronym && !case_matches(self.label(entry.label), original) {
                    continue;
                }
                if entry.short
                    && (after_apostrophe(text, first.start as usize)
                        || (!entry.acronym
                            && end - start == 1
                            && self
                                .single_words
                                .get(entry.single as usize)
                                .is_some_and(|w| **w != *phrase)))
                {
                    continue;
                }
                if entry.confirm
                    && !self.confirmed(
                        entry.label,
                        terms,
                        tokens,
                        start as usize,
                        clause_of,
                        clauses,
                    )
                {
                    continue;
                }
                if let Some(skills) = skills_only.as_deref_mut() {
                    skills.push(entry.skill);
                    continue;
                }
                let exact = entry.surface == phrase_surface;
                let confidence = entry.kind.confidence()
                    * if exact { 1.0 } else { 0.9 }
                    * if entry.phrase {
                        PHRASE_CONFIDENCE * CALIBRATION_PHRASE
                    } else {
                        CALIBRATION_LABEL
                    };
                hits.push(Hit {
                    skill: entry.skill,
                    start: offsets.at(first.start as usize),
                    end: offsets.at(last.end as usize),
                    byte_start: first.start as usize,
                    byte_end: last.end as usize,
                    label: entry.label,
                    kind: entry.kind,
                    signal: if entry.phrase {
                        Signal::Phrase
                    } else {
                        Signal::Label
                    },
                    words: Vec::new(),
                    negated,
                    confidence,
                });
            }
        }
        if signals.paraphrase && skills_only.is_none() {
            let mut found: Vec<u32> = hits.iter().map(|h| h.skill).collect();
            found.sort_unstable();
            found.dedup();
            paraphrase.roots.clear();
            for (token, &term) in tokens.iter().zip(terms.iter()) {
                let root = if term != UNKNOWN {
                    self.paraphrases.root_of(term)
                } else {
                    lowered(token, word);
                    self.paraphrases.root_of_word(word, &self.vocabulary)
                };
                paraphrase.roots.push(root);
            }
            for p in self
                .paraphrases
                .find(paraphrase, tokens, &found, candidates)
            {
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
                    start: offsets.at(byte_start),
                    end: offsets.at(byte_end),
                    byte_start,
                    byte_end,
                    label: p.label,
                    kind: p.kind,
                    signal: Signal::Paraphrase,
                    words,
                    negated: self.cues.is_negated(terms, first, last + 1, breaks),
                    confidence: p.score
                        * paraphrase::CONFIDENCE
                        * CALIBRATION_PARAPHRASE
                        * if p.nearest {
                            paraphrase::NEAREST_CONFIDENCE
                        } else {
                            1.0
                        },
                });
            }
        }
        hits.sort_by(|a, b| {
            (a.start, a.end, a.skill, a.signal).cmp(&(b.start, b.end, b.skill, b.signal))
        });
        Extraction { hits }
    }
}

impl Extractor {
    /// Whether the clause around word `at` confirms the common one-word label `label`. The text's
    /// clauses (`clause_of`, `clauses`) are worked out on the first call for a text.
    fn confirmed(
        &self,
        label: u32,
        terms: &[u32],
        tokens: &[Token],
        at: usize,
        clause_of: &mut Vec<u32>,
        clauses: &mut Vec<(u32, u32, u64)>,
    ) -> bool {
        let Some(confirming) = self.confirming.get(&label) else {
            return false;
        };
        if clause_of.len() != tokens.len() {
            clause_of.clear();
            clauses.clear();
            for (i, (token, &term)) in tokens.iter().zip(terms).enumerate() {
                if i == 0 || token.clause_break {
                    clauses.push((i as u32, i as u32, 0));
                }
                if let Some(clause) = clauses.last_mut() {
                    clause.1 = i as u32 + 1;
                    clause.2 |= root_bit(self.paraphrases.root_of(term));
                }
                clause_of.push(clauses.len().saturating_sub(1) as u32);
            }
        }
        let Some(&(start, end, mask)) = clauses.get(clause_of[at] as usize) else {
            return false;
        };
        mask & confirming.mask != 0
            && terms[start as usize..end as usize]
                .iter()
                .any(|&t| confirming.holds(self.paraphrases.root_of(t)))
    }
}

/// Character offsets of byte offsets, for texts that are not all ASCII: counted on from the last
/// offset asked for, since hits come in text order.
struct CharOffsets<'a> {
    text: &'a str,
    ascii: bool,
    byte: usize,
    chars: usize,
}

impl<'a> CharOffsets<'a> {
    fn new(text: &'a str) -> Self {
        CharOffsets {
            text,
            ascii: text.is_ascii(),
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        if byte < self.byte {
            return char_offset(self.text, byte);
        }
        self.chars += self
            .text
            .get(self.byte..byte)
            .map_or(0, |s| s.chars().count());
        self.byte = byte;
        self.chars
    }
}

/// Keeps the matches that are not wholly inside a longer one. `matches` are (first word, end
/// word, pattern), ordered by first word then length, as [`PhraseTrie::find_all`] gives them; they
/// stay in that order. One pass: a match is inside another when a longer one starts at the same
/// word, or one starting earlier reaches at least as far.
fn resolve_overlaps(matches: &mut Vec<(u32, u32, u32)>) {
    let mut reach = 0u32;
    let mut kept = 0;
    let mut i = 0;
    while i < matches.len() {
        let (start, end, pattern) = matches[i];
        let longest_here = matches.get(i + 1).is_none_or(|next| next.0 != start);
        if longest_here {
            if end > reach {
                matches[kept] = (start, end, pattern);
                kept += 1;
            }
            reach = reach.max(end);
        }
        i += 1;
    }
    matches.truncate(kept);
}

#[cfg(test)]
pub(crate) fn resolve_for_test(matches: &mut Vec<(u32, u32, u32)>) {
    matches.sort_unstable_by_key(|&(s, e, p)| (s, e - s, p));
    resolve_overlaps(matches)
}
