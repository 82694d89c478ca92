//! Per-thread buffers and word caches reused from text to text.

use super::trie::{NO_STEP, Step};
use crate::normalise::Token;
use crate::paraphrase::ParaphraseScratch;
use crate::retrieval::RetrievalScratch;
use crate::stem::{StemCache, UNKNOWN};

/// Buffers one thread reuses from text to text, and its caches of words.
#[derive(Debug)]
pub struct Scratch {
    pub(super) buffer: String,
    pub(super) tokens: Vec<Token>,
    pub(super) terms: Vec<u32>,
    pub(super) steps: Vec<Step>,
    /// Per word, its bytes as a number (see `short_key`), 0 for a longer word.
    pub(super) keys: Vec<u128>,
    /// One word, lowered.
    pub(super) word: String,
    /// A matched phrase, normalised.
    pub(super) phrase: String,
    pub(super) candidates: Vec<(u32, u32, u32)>,
    /// The phrase matches among `candidates`, while overlaps are resolved.
    pub(super) phrases: Vec<(u32, u32, u32)>,
    /// Per word, its clause's number, and per clause its words and the mask of their roots;
    /// worked out for a text when a common one-word label first needs its clause.
    pub(super) clause_of: Vec<u32>,
    pub(super) clauses: Vec<(u32, u32, u64)>,
    pub(super) cache: StemCache,
    /// The last word seen in each slot with its number and first step: a direct-mapped cache in
    /// front of the vocabulary and the trie, small enough to stay in the processor's cache
    /// where they do not; a language's frequent words hit it nearly always.
    pub(super) recent: Box<[(u128, u32, Step)]>,
    pub(super) paraphrase: ParaphraseScratch,
    pub(super) retrieval: RetrievalScratch,
}

/// Slots of [`Scratch::recent`].
pub(super) const RECENT: usize = 4096;

pub(super) fn slot(key: u128) -> usize {
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
            retrieval: RetrievalScratch::default(),
        }
    }
}
