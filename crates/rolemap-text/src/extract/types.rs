//! What extraction reports: hits, their signals and label kinds, and which signals to run.

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
    pub(super) fn confidence(self) -> f32 {
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
    /// The skill's whole text (labels and description) ranks near the top for the clause's
    /// words ([`crate::retrieval`]).
    Retrieval,
}

impl Signal {
    /// "label", "phrase" or "paraphrase".
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Label => "label",
            Signal::Phrase => "phrase",
            Signal::Paraphrase => "paraphrase",
            Signal::Retrieval => "retrieval",
        }
    }
}

/// Which signals to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signals {
    pub phrase: bool,
    pub paraphrase: bool,
    /// The clause ranked against every skill's whole text: adds the best-ranked skills and
    /// orders the other hits.
    pub retrieval: bool,
    /// Keep the hits the retrieval signal finds unlikely ([`crate::MIN_CONFIDENCE`]) too: for a
    /// text read against a role, whose requirements say which skills matter.
    pub keep_unlikely: bool,
}

impl Signals {
    /// Labels, phrases and paraphrase.
    pub const ALL: Signals = Signals {
        phrase: true,
        paraphrase: true,
        retrieval: true,
        keep_unlikely: false,
    };
    /// Labels only: the cheapest, and what a dictionary matcher does.
    pub const LABELS: Signals = Signals {
        phrase: false,
        paraphrase: false,
        retrieval: false,
        keep_unlikely: false,
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
    /// times 0.8 × 0.3, and half that for a clause's nearest labels. With the retrieval signal
    /// on, every hit's confidence is instead the calibrated combination of its [`Evidence`].
    pub confidence: f32,
    /// What the confidence was made from.
    pub evidence: Evidence,
}

/// The measures a hit's confidence combines (see `calibrated` in the extractor's rules).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Evidence {
    /// The signal's own confidence, before the retrieval signal weighs it.
    pub own: f32,
    /// How well the skill's labels answer the hit's clause, against the clause's best-answered
    /// skill ([`crate::retrieval`]): in [0, 1]; 0 when the retrieval signal did not run.
    pub relevance: f32,
    /// The share of the clause's words (weighted by rarity) the skill's labels account for, in
    /// [0, 1]; 0 when the retrieval signal did not run.
    pub coverage: f32,
    /// How much of the skill's best-covered label the clause holds, weighing words by rarity,
    /// in [0, 1]; 0 when the retrieval signal did not run.
    pub cover: f32,
    /// How many skills the label, phrase and paraphrase signals found in the clause.
    pub named: u32,
    /// The skill's prior ([`crate::ExtractorBuilder::prior`]), 1 when none was given.
    pub prior: f32,
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
