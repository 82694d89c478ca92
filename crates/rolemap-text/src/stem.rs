//! Words to numbered stems: the vocabulary the labels and descriptions use, and a per-thread cache
//! for the words of texts, since stemming is the costliest step per word.

use frostem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// The number of a word the vocabulary does not know: never part of a label.
pub const UNKNOWN: u32 = u32::MAX;

/// Stems and their numbers.
///
/// Invariant: `stems[i]` is the stem numbered `i`; `surfaces` maps every word seen while
/// building to its stem's number, so most words of a text are found without stemming.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    stemmer: StemmerHandle,
    numbers: FxHashMap<Box<str>, u32>,
    stems: Vec<Box<str>>,
    surfaces: FxHashMap<Box<str>, u32>,
    /// `surfaces` again for words of at most 8 bytes, keyed by the bytes as a number: most words
    /// are that short, and a number compares faster than a string.
    short: FxHashMap<u64, u32>,
}

/// A word of at most 8 bytes as a number (its bytes, zero-padded); `None` for longer words. No
/// normalised word holds a zero byte, so two words never share a key.
pub fn short_key(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    if bytes.len() > 8 {
        return None;
    }
    let mut key = [0u8; 8];
    key[..bytes.len()].copy_from_slice(bytes);
    Some(u64::from_le_bytes(key))
}

/// What a thread remembers of the words it has stemmed that the vocabulary did not hold.
#[derive(Debug, Default)]
pub struct StemCache {
    short: FxHashMap<u64, u32>,
    long: FxHashMap<Box<str>, u32>,
}

/// frostem's stemmer is `Copy` but not `Debug`.
#[derive(Clone, Copy)]
struct StemmerHandle(Stemmer);

impl std::fmt::Debug for StemmerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmer(english)")
    }
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            stemmer: StemmerHandle(Stemmer::new(Algorithm::English)),
            numbers: FxHashMap::default(),
            stems: Vec::new(),
            surfaces: FxHashMap::default(),
            short: FxHashMap::default(),
        }
    }
}

impl Vocabulary {
    /// The number of a word's stem, adding it if new.
    pub fn add(&mut self, word: &str) -> u32 {
        if let Some(&n) = self.surfaces.get(word) {
            return n;
        }
        let stem = self.stemmer.0.stem(word);
        let n = match self.numbers.get(stem.as_ref()) {
            Some(&n) => n,
            None => {
                let n = self.stems.len() as u32;
                self.stems.push(stem.as_ref().into());
                self.numbers.insert(stem.as_ref().into(), n);
                n
            }
        };
        self.surfaces.insert(word.into(), n);
        if let Some(key) = short_key(word) {
            self.short.insert(key, n);
        }
        n
    }

    /// The number of a word's stem, or [`UNKNOWN`]; words not seen while building are stemmed
    /// once per `cache`.
    pub fn lookup(&self, word: &str, cache: &mut StemCache) -> u32 {
        let short = short_key(word);
        if let Some(key) = short {
            if let Some(&n) = self.short.get(&key) {
                return n;
            }
            if let Some(&n) = cache.short.get(&key) {
                return n;
            }
        } else {
            if let Some(&n) = self.surfaces.get(word) {
                return n;
            }
            if let Some(&n) = cache.long.get(word) {
                return n;
            }
        }
        let n = self
            .numbers
            .get(self.stemmer.0.stem(word).as_ref())
            .copied()
            .unwrap_or(UNKNOWN);
        if cache.short.len() + cache.long.len() > 1 << 16 {
            cache.short.clear();
            cache.long.clear();
        }
        match short {
            Some(key) => cache.short.insert(key, n),
            None => cache.long.insert(word.into(), n),
        };
        n
    }

    pub fn len(&self) -> usize {
        self.stems.len()
    }
}
