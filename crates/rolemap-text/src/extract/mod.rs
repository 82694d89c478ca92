//! The extractor: labels compiled into a trie over word numbers, matching,
//! overlap resolution, negation, and the paraphrase signal on top.

mod builder;
mod rules;
mod scratch;
mod trie;
mod types;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::negation::Cues;
use crate::normalise::{Normaliser, Token, ascii_words, char_offset};
use crate::paraphrase::{self, Confirming, Paraphrases, root_bit};
use crate::retrieval::{self, Retrieval};
use crate::stem::{UNKNOWN, Vocabulary, short_key};

pub use builder::ExtractorBuilder;
#[cfg(test)]
pub(crate) use rules::CLAUSE_KEEPS;
pub use rules::{
    CALIBRATION_LABEL, CALIBRATION_PARAPHRASE, CALIBRATION_PHRASE, MIN_CONFIDENCE,
    PHRASE_CONFIDENCE,
};
pub use scratch::Scratch;
#[cfg(test)]
pub(crate) use trie::resolve_for_test;
pub use types::{Evidence, Extraction, Hit, LabelKind, Signal, Signals};

use rules::*;
use scratch::slot;
use trie::*;

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
    retrieval: Retrieval,
    /// Patterns from this number on are phrases ([`Signal::Phrase`]), not labels.
    first_phrase: u32,
    /// With the retrieval signal, hits below this confidence are dropped unless among their
    /// clause's best ([`MIN_CONFIDENCE`]).
    min_confidence: f32,
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
            retrieval: ranking,
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
                    && !(end - start == 1 && {
                        // A skill noun next ("communication skills"), or after "and"/"or"
                        // and a word or two ("communication and presentation skills").
                        let mut named = false;
                        for (k, token) in tokens[end as usize..]
                            .iter()
                            .take(SKILL_NOUN_REACH)
                            .enumerate()
                        {
                            if token.clause_break {
                                break;
                            }
                            lowered(token, word);
                            if SKILL_NOUNS.contains(&word.as_str()) {
                                named = true;
                                break;
                            }
                            if k == 0 && !matches!(word.as_str(), "and" | "or") {
                                break;
                            }
                        }
                        named
                    })
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
                let evidence = Evidence {
                    own: confidence,
                    prior: self.retrieval.prior(entry.skill),
                    ..Evidence::default()
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
                    evidence,
                });
            }
        }
        if (signals.paraphrase || signals.retrieval) && skills_only.is_none() {
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
        }
        if signals.paraphrase && skills_only.is_none() {
            let mut found: Vec<u32> = hits.iter().map(|h| h.skill).collect();
            found.sort_unstable();
            found.dedup();
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
                let confidence = p.score
                    * paraphrase::CONFIDENCE
                    * CALIBRATION_PARAPHRASE
                    * if p.nearest {
                        paraphrase::NEAREST_CONFIDENCE
                    } else {
                        1.0
                    };
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
                    confidence,
                    evidence: Evidence {
                        own: confidence,
                        prior: self.retrieval.prior(p.skill),
                        ..Evidence::default()
                    },
                });
            }
        }
        if signals.retrieval && skills_only.is_none() {
            let unlikely = self.retrieve(
                ranking,
                &paraphrase.roots,
                tokens,
                terms,
                &mut hits,
                &mut offsets,
            );
            if !signals.keep_unlikely && !unlikely.is_empty() {
                let mut index = 0;
                hits.retain(|_| {
                    let keep = unlikely.binary_search(&index).is_err();
                    index += 1;
                    keep
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
    /// The retrieval signal over each clause: its best-ranked skills added as hits
    /// ([`Signal::Retrieval`]), every hit's confidence calibrated from its evidence (its own
    /// signal's, how well its skill's labels answer the clause, how many skills the clause
    /// names); returns the unlikely ones not among their clause's best, by index, ascending.
    fn retrieve(
        &self,
        ranking: &mut retrieval::RetrievalScratch,
        roots: &[u32],
        tokens: &[Token],
        terms: &[u32],
        hits: &mut Vec<Hit>,
        offsets: &mut CharOffsets<'_>,
    ) -> Vec<usize> {
        let breaks = |i: usize| tokens.get(i).is_some_and(|t| t.clause_break);
        // The hits unlikely to be right and not among their clause's best, by index: what the
        // caller drops unless told to keep them.
        let mut dropped: Vec<usize> = Vec::new();
        let mut clause: Vec<usize> = Vec::new();
        let mut found: Vec<u32> = Vec::new();
        let mut start = 0;
        for end in 1..=tokens.len() {
            if end < tokens.len() && !tokens[end].clause_break {
                continue;
            }
            let (from, to) = (start, end);
            start = end;
            let ranked = self
                .retrieval
                .rank(ranking, roots, (from, to), RETRIEVAL_CANDIDATES);
            let (byte_from, byte_to) = (tokens[from].start as usize, tokens[to - 1].end as usize);
            let inside = |h: &Hit| byte_from <= h.byte_start && h.byte_end <= byte_to;
            clause.clear();
            clause.extend((0..hits.len()).filter(|&i| inside(&hits[i])));
            found.clear();
            found.extend(clause.iter().map(|&i| hits[i].skill));
            found.sort_unstable();
            found.dedup();
            let named = found.len() as u32;
            let best = ranked.best;
            let weight = ranked.weight.max(f32::EPSILON);
            for &i in &clause {
                let hit = &mut hits[i];
                let score = if best > 0.0 {
                    self.retrieval.score(ranking, hit.skill)
                } else {
                    0.0
                };
                hit.evidence.relevance = if best > 0.0 { score / best } else { 0.0 };
                hit.evidence.coverage = (score / weight).min(1.0);
                hit.evidence.cover = self.retrieval.cover(hit.skill, &ranked.query);
                hit.evidence.named = named;
                hit.confidence = calibrated(hit.signal, &hit.evidence);
            }
            let mut added = 0;
            for &(skill, label, kind, score) in ranked.top.iter().filter(|_| best > 0.0) {
                if added >= RETRIEVAL_PER_CLAUSE {
                    break;
                }
                let relative = score / best;
                let share = (score / weight).min(1.0);
                if relative < RETRIEVAL_RELATIVE || share < RETRIEVAL_SHARE {
                    continue;
                }
                if found.binary_search(&skill).is_ok() {
                    continue;
                }
                let words: Vec<usize> = self.retrieval.words(skill, &ranked.query);
                let (Some(&first), Some(&last)) = (words.first(), words.last()) else {
                    continue;
                };
                let (byte_start, byte_end) =
                    (tokens[first].start as usize, tokens[last].end as usize);
                let evidence = Evidence {
                    own: RETRIEVAL_CONFIDENCE * relative * share.sqrt(),
                    relevance: relative,
                    coverage: share,
                    cover: self.retrieval.cover(skill, &ranked.query),
                    named,
                    prior: self.retrieval.prior(skill),
                };
                clause.push(hits.len());
                hits.push(Hit {
                    skill,
                    start: offsets.at_any(byte_start),
                    end: offsets.at_any(byte_end),
                    byte_start,
                    byte_end,
                    label,
                    kind,
                    signal: Signal::Retrieval,
                    words: words
                        .iter()
                        .map(|&i| (tokens[i].start as usize, tokens[i].end as usize))
                        .collect(),
                    negated: self.cues.is_negated(terms, first, last + 1, breaks),
                    confidence: calibrated(Signal::Retrieval, &evidence),
                    evidence,
                });
                added += 1;
            }
            // The clause's most confident skills stay whatever their confidence.
            let mut ranked_skills: Vec<(f32, u32)> = Vec::with_capacity(clause.len());
            for &i in &clause {
                let (confidence, skill) = (hits[i].confidence, hits[i].skill);
                match ranked_skills.iter_mut().find(|(_, s)| *s == skill) {
                    Some(seen) => seen.0 = seen.0.max(confidence),
                    None => ranked_skills.push((confidence, skill)),
                }
            }
            ranked_skills.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            ranked_skills.truncate(CLAUSE_KEEPS);
            let mut first = true;
            ranked_skills.retain(|&(confidence, _)| {
                let keep = first || confidence >= CLAUSE_KEEP_FLOOR;
                first = false;
                keep
            });
            dropped.extend(clause.iter().copied().filter(|&i| {
                hits[i].confidence < self.min_confidence
                    && !ranked_skills.iter().any(|&(_, s)| s == hits[i].skill)
            }));
        }
        dropped.sort_unstable();
        dropped
    }

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

    /// As [`CharOffsets::at`], for offsets in any order.
    fn at_any(&mut self, byte: usize) -> usize {
        if self.ascii {
            byte
        } else {
            char_offset(self.text, byte)
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
