//! Finding the skills a text mentions: job adverts, CVs, duty statements.
//!
//! Four signals, each hit saying which found it:
//!
//! * **label**: a skill's preferred, alternative or hidden label appears in the text. Text and
//!   labels are normalised the same way ([`Normaliser`]: NFKC, lower case, punctuation as spaces)
//!   and every word is reduced to its Snowball English stem, so "managed budgets" meets "manage
//!   budget". Every label is a path of word numbers in one trie (the goto function of an
//!   Aho-Corasick automaton whose letters are words), walked from every word of the text, so a
//!   match always starts and ends on whole words. Overlaps: every match is collected; a match
//!   lying wholly inside a longer one is dropped (the text says "project management software",
//!   not also "software"), while matches that cross each other are both kept, since each is a
//!   whole phrase of the text. A one-word label whose word many skills use ("board", "reporting")
//!   counts only where its clause also holds another word of that skill's labels or description.
//! * **phrase**: a label's words after its verb ("crisis management" for "apply crisis
//!   management"), or a noun label's words before its last ("continuous improvement" for
//!   "continuous improvement philosophies"), in a trie of their own; never a phrase that is some
//!   skill's label or that four skills share, and never hiding a label match inside it.
//! * **paraphrase**: for what the labels do not literally contain ("managed stakeholder
//!   relationships" for "stakeholder management"), each clause's content words are compared with
//!   each label's (as sets of roots, weighted by inverse document frequency) and with the skill's
//!   description; a skill whose label is mostly covered is a hit below the label hits'
//!   confidence.
//!
//! * **retrieval**: each clause ranked against every skill's labels (BM25 over word roots), so
//!   skills named by nouns or implied activities rank too; its best-ranked skills become hits.
//!
//! With the retrieval signal on, every hit's confidence is a logistic function of its
//! [`Evidence`] (its own signal's score, how well its skill answers the clause, how much of its
//! best label the clause holds, how many skills the clause names, the skill's prior), fitted on
//! labelled real advert sentences so that it reads as the share of such hits that are right;
//! hits below [`MIN_CONFIDENCE`] are dropped unless their skill is their clause's most confident.
//!
//! A hit inside a negation ("no budget responsibility", "SQL is not required") is reported with
//! `negated: true` and not counted ([`Extraction::skills`]). Everything is deterministic: hits are
//! ordered by position, then skill.
//!
//! Boundary: no I/O and no knowledge of the store; skills are numbers the caller gives and maps.

pub mod crosswalk;
mod extract;
mod negation;
mod normalise;
mod paraphrase;
mod retrieval;
mod stem;
#[cfg(test)]
mod tests;

pub use crosswalk::{Crosswalk, CrosswalkBuilder, MatchKind, Suggestion};
pub use extract::{
    Evidence, Extraction, Extractor, ExtractorBuilder, Hit, LabelKind, MIN_CONFIDENCE, Scratch,
    Signal, Signals,
};
pub use normalise::{Normalised, Normaliser, Token, char_offset};

/// What can go wrong building an extractor.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    /// The labels are too many or too long for the automaton.
    #[error("cannot build the label automaton: {0}")]
    Automaton(String),
}
