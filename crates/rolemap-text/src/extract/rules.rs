//! Calibration, phrase limits and the word-level rules matching applies: verbs, case, plurals.

use rustc_hash::FxHashMap;

use super::types::{Evidence, Signal};
use crate::normalise::Normalised;
use crate::paraphrase::STOP_WORDS;

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
/// The retrieval signal ([`crate::retrieval`]): how many skills each clause ranks, how many of
/// them may become hits, the least score
/// relative to the clause's best and share of the clause's weight for one, and the factor on its
/// own score.
pub(super) const RETRIEVAL_CANDIDATES: usize = 20;
pub(super) const RETRIEVAL_PER_CLAUSE: usize = 8;
pub(super) const RETRIEVAL_RELATIVE: f32 = 0.25;
pub(super) const RETRIEVAL_SHARE: f32 = 0.1;
pub(super) const RETRIEVAL_CONFIDENCE: f32 = 0.3;

/// With the retrieval signal on, a hit's confidence is a logistic function of its [`Evidence`]:
/// `1 / (1 + e^-z)` with `z = intercept[signal] + own[signal] × own + relevance × relevance +
/// coverage × coverage + cover × cover + named × ln(1 + named) + prior × (prior − 1) + best ×
/// (relevance = 1)`.
/// Fitted by `scripts/fit_calibration.py` on the labelled real advert sentences (each hit right
/// when its skill is one the sentence's labellers named), so a confidence reads as the share of
/// such hits that are right.
#[derive(Debug)]
pub(super) struct Calibration {
    /// By signal: label, phrase, paraphrase, retrieval.
    pub intercept: [f32; 4],
    pub own: [f32; 4],
    pub relevance: f32,
    pub coverage: f32,
    pub cover: f32,
    pub named: f32,
    pub prior: f32,
    pub best: f32,
}

pub(super) const CALIBRATION: Calibration = Calibration {
    intercept: [-0.893, -1.550, -2.619, -3.698],
    own: [0.020, -0.308, 0.154, 0.224],
    relevance: 0.968,
    coverage: -0.911,
    cover: 1.176,
    named: -0.521,
    prior: -0.945,
    best: 1.197,
};

/// A hit's calibrated confidence from its evidence ([`CALIBRATION`]).
pub(super) fn calibrated(signal: Signal, evidence: &Evidence) -> f32 {
    let c = &CALIBRATION;
    let at = signal as usize;
    let z = c.intercept[at]
        + c.own[at] * evidence.own
        + c.relevance * evidence.relevance
        + c.coverage * evidence.coverage
        + c.cover * evidence.cover
        + c.named * (1.0 + evidence.named as f32).ln()
        + c.prior * (evidence.prior - 1.0)
        + if evidence.relevance >= BEST {
            c.best
        } else {
            0.0
        };
    1.0 / (1.0 + (-z).exp())
}

/// A relevance this close to 1 is the clause's best-answered skill.
const BEST: f32 = 0.999;

/// Hits whose calibrated confidence is below this are dropped, unless their skill is one of
/// the [`CLAUSE_KEEPS`] most confident of its clause: a clause's best guesses are still worth
/// ranking, while its long tail only lowers precision.
pub const MIN_CONFIDENCE: f32 = 0.2;
pub(crate) const CLAUSE_KEEPS: usize = 4;
/// ... and, but for the clause's first, at least this confident: on the real advert sentences
/// this lifted F1 from 0.337/0.259 (TECH/HOUSE) to 0.385/0.294 with RP@5 unchanged.
pub(crate) const CLAUSE_KEEP_FLOOR: f32 = 0.05;

/// A label's first word is a verb when it starts at least this many labels...
pub(super) const VERB_LABELS: u32 = 10;
/// ... and stands first in at least this share of the labels holding it.
pub(super) const VERB_SHARE: f32 = 0.8;
/// Words a phrase may not end or start with, besides the stop words.
pub(super) const EDGE_WORDS: &[&str] = &[
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
pub(super) fn edge_word(word: &str) -> bool {
    STOP_WORDS.contains(&word) || EDGE_WORDS.contains(&word)
}

/// A phrase standing for more skills than this names none of them.
pub(super) const PHRASE_SKILLS: usize = 3;

/// The words that open labels as verbs do ("apply", "manage", "coach"): the first word of at least
/// [`VERB_LABELS`] labels, and first in at least [`VERB_SHARE`] of the labels holding it.
pub(super) fn verbs(labels: &[Normalised]) -> rustc_hash::FxHashSet<String> {
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
pub(super) fn is_case_marked(label: &str) -> bool {
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
pub(super) fn case_matches(label: &str, written: &str) -> bool {
    let written = written
        .strip_suffix('s')
        .filter(|w| !label.ends_with(['s', 'S']) && !w.is_empty())
        .unwrap_or(written);
    let letters = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    let (label, written) = (letters(label), letters(written));
    label == written
        || (written.chars().all(|c| !c.is_lowercase()) && written == label.to_uppercase())
}

/// Words that, following a common one-word label, say it is named as a skill ("communication
/// skills", "negotiation abilities"): no other confirmation is needed.
pub(super) const SKILL_NOUNS: &[&str] = &[
    "abilities",
    "ability",
    "competence",
    "competences",
    "competencies",
    "competency",
    "skill",
    "skills",
];

/// How many words after a common one-word label a skill noun may stand and still name it:
/// "communication and collaboration skills" names communication as a skill.
pub(super) const SKILL_NOUN_REACH: usize = 4;

/// Labels of at most this many characters (normalised) are short: they need their exact form.
pub(super) const SHORT_LABEL: usize = 3;

/// Whether a short label that is not its skill's preferred one needs a confirming context.
pub(super) const CONFIRM_SHORT: bool = true;

/// Whether the word starting at byte `start` is glued to the word before by an apostrophe (the
/// "re" of "you're", the "ve" of "I've"): no label of its own.
pub(super) fn after_apostrophe(text: &str, start: usize) -> bool {
    text.get(..start)
        .is_some_and(|before| before.ends_with(['\'', '\u{2019}']))
}

/// Whether a one-word label accepts a word of the text: the same word, or one differing by a
/// plural ending. Stems alone join too much for a single word ("transformation" and
/// "transformers", "experience" and "experiment"); in a phrase the other words keep them apart.
pub(super) fn accepts(label: &str, word: &str) -> bool {
    let plural_of = |long: &str, short: &str| {
        long.strip_prefix(short)
            .is_some_and(|rest| rest == "s" || rest == "es")
    };
    label == word || plural_of(word, label) || plural_of(label, word)
}

pub(super) fn surface_hash(normalised: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(normalised.as_bytes());
    hasher.finish()
}
