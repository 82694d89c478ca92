//! Building an extractor: labels and descriptions compiled into tries and paraphrase tables.

use rustc_hash::FxHashMap;

use super::rules::{
    CONFIRM_SHORT, PHRASE_SKILLS, SHORT_LABEL, edge_word, is_case_marked, surface_hash, verbs,
};
use super::trie::{Entry, NONE, PhraseTrie};
use super::{Extractor, LabelKind};
use crate::TextError;
use crate::negation::Cues;
use crate::normalise::{Normalised, Normaliser};
use crate::paraphrase::{Confirming, Paraphrases, STOP_WORDS};
use crate::retrieval::Retrieval;
use crate::stem::Vocabulary;

/// Collects labels and descriptions, then builds an [`Extractor`].
#[derive(Debug, Clone, Default)]
pub struct ExtractorBuilder {
    labels: Vec<(u32, String, LabelKind)>,
    descriptions: Vec<(u32, String)>,
    priors: Vec<(u32, f32)>,
    min_confidence: Option<f32>,
    description_weight: Option<f32>,
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

    /// How far skill `skill` is to be expected in any text, as a factor on its retrieval score
    /// (1 when not given): ESCO's transversal skills ("communication", "work in teams") are
    /// named by adverts far more often than occupation-specific ones.
    pub fn prior(&mut self, skill: u32, prior: f32) -> &mut Self {
        self.priors.push((skill, prior));
        self
    }

    /// With the retrieval signal, drop hits below this confidence unless among their clause's
    /// best (default [`super::MIN_CONFIDENCE`]; 0 keeps every hit, for measuring).
    pub fn min_confidence(&mut self, confidence: f32) -> &mut Self {
        self.min_confidence = Some(confidence);
        self
    }

    /// How much a description's words count in the retrieval signal's ranking, against 3 for
    /// a preferred label's (default 0: over a large taxonomy descriptions share words with every
    /// clause; over a few skills each described in a sentence they are most of what is known).
    pub fn description_weight(&mut self, weight: f32) -> &mut Self {
        self.description_weight = Some(weight);
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
        let mut retrieval = Retrieval::build(
            &paraphrases,
            &label_terms,
            &descriptions,
            self.description_weight
                .unwrap_or(crate::retrieval::DESCRIPTION_WEIGHT),
        );
        retrieval.set_priors(&self.priors);
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
            retrieval,
            first_phrase,
            min_confidence: self.min_confidence.unwrap_or(super::MIN_CONFIDENCE),
        })
    }
}
