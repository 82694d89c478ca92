//! Negation and absence: "no budget responsibility", "without line management", "experience of
//! SQL is not required". A phrase is negated when a cue stands before it in the same clause within
//! [`BEFORE`] words, or "not" (or "n't") followed by "required", "needed", "part" and the like comes after it in
//! the same clause within [`AFTER`] words.
//! A clause ends at `.;:!?`, a line break, brackets, or a word that turns the sentence ("but",
//! "however", "although" ...). "not only", "not just", "no doubt", "no matter" and "no later" are
//! not negations.

use crate::stem::Vocabulary;

/// How many words before a phrase a cue may stand.
pub const BEFORE: usize = 5;
/// How many words after a phrase "not" may stand.
pub const AFTER: usize = 4;

/// Words that negate what follows them.
const CUES: &[&str] = &[
    "no", "not", "without", "never", "none", "nor", "neither", "cannot", "lack", "lacks", "lacking",
];

/// The first halves of "don't", "isn't" and the like, which the normaliser splits at the
/// apostrophe; followed by "t" they are a "not".
const NT_STEMS: &[&str] = &[
    "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "won", "can", "couldn", "shouldn",
    "wouldn", "needn", "haven", "hasn", "hadn", "mustn",
];

/// Words after a cue that make it something other than a negation.
const NOT_NEGATING: &[&str] = &["only", "just", "doubt", "matter", "later", "less", "longer"];

/// What "not" after a phrase must say for the phrase to be absent ("SQL is not required"); a
/// bare "not" after a phrase usually negates what follows it ("Python, not Java").
const PREDICATES: &[&str] = &[
    "required",
    "needed",
    "necessary",
    "essential",
    "expected",
    "mandatory",
    "a",
    "part",
    "involved",
    "applicable",
    "relevant",
    "asked",
    "sought",
];

/// Words that turn a sentence: a negation before them does not reach past them.
const TURNS: &[&str] = &[
    "but", "however", "although", "though", "whereas", "while", "yet", "except", "instead",
];

const CUE: u8 = 1;
const NT_STEM: u8 = 2;
const T: u8 = 4;
const NOT: u8 = 8;
const NOT_NEGATING_NEXT: u8 = 16;
const TURN: u8 = 32;
const PREDICATE: u8 = 64;

/// What each word number is to negation: the lists above by stem, so that a text's words are
/// classified by number, without comparing strings.
#[derive(Debug, Clone, Default)]
pub struct Cues {
    classes: Vec<u8>,
}

impl Cues {
    /// Adds the cue words to the vocabulary and classifies them.
    pub fn build(vocabulary: &mut Vocabulary) -> Cues {
        let lists: [(&[&str], u8); 6] = [
            (CUES, CUE),
            (NT_STEMS, NT_STEM),
            (&["t"], T),
            (&["not"], NOT),
            (NOT_NEGATING, NOT_NEGATING_NEXT),
            (TURNS, TURN),
        ];
        let mut marks: Vec<(u32, u8)> = Vec::new();
        for (words, class) in lists.into_iter().chain([(PREDICATES, PREDICATE)]) {
            for word in words {
                marks.push((vocabulary.add(word), class));
            }
        }
        let mut classes = vec![0u8; vocabulary.len()];
        for (term, class) in marks {
            classes[term as usize] |= class;
        }
        Cues { classes }
    }

    fn class(&self, term: u32) -> u8 {
        self.classes.get(term as usize).copied().unwrap_or(0)
    }

    /// Whether the words `start..end` (token indices) of a text are negated. `terms[i]` is word
    /// i's stem number, `breaks(i)` whether a clause ends just before word i.
    pub fn is_negated(
        &self,
        terms: &[u32],
        start: usize,
        end: usize,
        breaks: impl Fn(usize) -> bool,
    ) -> bool {
        let len = terms.len();
        let class = |i: usize| terms.get(i).map_or(0, |&t| self.class(t));
        let is = |i: usize, c: u8| class(i) & c != 0;
        // "not" or "n't" (the normaliser splits "don't" into "don" and "t").
        let not = |i: usize| is(i, NOT) || (is(i, T) && i > 0 && is(i - 1, NT_STEM));
        let negates = |i: usize| -> bool {
            if is(i + 1, NOT_NEGATING_NEXT) {
                return false;
            }
            is(i, CUE) || not(i)
        };
        // Before the phrase, back to the start of its clause.
        let mut i = start;
        let mut seen = 0;
        while i > 0 && seen < BEFORE && !breaks(i) {
            i -= 1;
            seen += 1;
            if is(i, TURN) {
                break;
            }
            if negates(i) {
                return true;
            }
        }
        // After the phrase: "... is not required", "... isn't needed".
        let mut j = end;
        while j < len && j - end < AFTER && !breaks(j) {
            if is(j, TURN) {
                break;
            }
            if not(j) && is(j + 1, PREDICATE) {
                return true;
            }
            j += 1;
        }
        false
    }
}
