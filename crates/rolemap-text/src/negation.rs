//! Negation and absence: "no budget responsibility", "without line management", "experience of
//! SQL is not required". A phrase is negated when a cue stands before it in the same clause within
//! [`BEFORE`] words, or "not" (or "n't") followed by "required", "needed", "part" and the like comes after it in
//! the same clause within [`AFTER`] words.
//! A clause ends at `.;:!?`, a line break, brackets, or a word that turns the sentence ("but",
//! "however", "although" ...). "not only", "not just", "no doubt", "no matter" and "no later" are
//! not negations.

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
    "important",
    "asked",
    "sought",
];

/// Words that turn a sentence: a negation before them does not reach past them.
const TURNS: &[&str] = &[
    "but", "however", "although", "though", "whereas", "while", "yet", "except", "instead",
];

/// Whether the words `start..end` (token indices) are negated. `word(i)` gives word i,
/// `breaks(i)` whether a clause ends just before word i.
pub fn is_negated<'a>(
    len: usize,
    start: usize,
    end: usize,
    word: impl Fn(usize) -> &'a str,
    breaks: impl Fn(usize) -> bool,
) -> bool {
    let negates = |i: usize| -> bool {
        let w = word(i);
        let next = if i + 1 < len { word(i + 1) } else { "" };
        if NOT_NEGATING.contains(&next) {
            return false;
        }
        if CUES.contains(&w) {
            return true;
        }
        w == "t" && i > 0 && NT_STEMS.contains(&word(i - 1))
    };
    // Before the phrase, back to the start of its clause.
    let mut i = start;
    let mut seen = 0;
    while i > 0 && seen < BEFORE && !breaks(i) {
        i -= 1;
        seen += 1;
        if TURNS.contains(&word(i)) {
            break;
        }
        if negates(i) {
            return true;
        }
    }
    // After the phrase: "... is not required", "... isn't needed".
    let mut j = end;
    while j < len && j - end < AFTER && !breaks(j) {
        let w = word(j);
        if TURNS.contains(&w) {
            break;
        }
        let not = w == "not" || (w == "t" && j > 0 && NT_STEMS.contains(&word(j - 1)));
        if not && j + 1 < len && PREDICATES.contains(&word(j + 1)) {
            return true;
        }
        j += 1;
    }
    false
}
