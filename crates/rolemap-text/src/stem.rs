//! Words to numbered stems: the vocabulary the labels and descriptions use, and a per-thread cache
//! for the words of texts, since stemming is the costliest step per word.

use frostem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// The number of a word the vocabulary does not know: never part of a label.
pub const UNKNOWN: u32 = u32::MAX;

/// Irregular past forms and their base form, ordered by the past form. CVs speak in the past
/// ("led the team", "ran the office", "built a pipeline") where labels speak in the base form
/// ("lead a team", "run", "build"), and Snowball leaves the two apart.
const IRREGULAR: &[(&str, &str)] = &[
    ("began", "begin"),
    ("begun", "begin"),
    ("bought", "buy"),
    ("brought", "bring"),
    ("built", "build"),
    ("caught", "catch"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("dealt", "deal"),
    ("drawn", "draw"),
    ("drew", "draw"),
    ("driven", "drive"),
    ("drove", "drive"),
    ("fought", "fight"),
    ("given", "give"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("held", "hold"),
    ("kept", "keep"),
    ("led", "lead"),
    ("met", "meet"),
    ("oversaw", "oversee"),
    ("overseen", "oversee"),
    ("paid", "pay"),
    ("ran", "run"),
    ("rebuilt", "rebuild"),
    ("rewritten", "rewrite"),
    ("rewrote", "rewrite"),
    ("sold", "sell"),
    ("sought", "seek"),
    ("spent", "spend"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("stood", "stand"),
    ("taken", "take"),
    ("taught", "teach"),
    ("thought", "think"),
    ("took", "take"),
    ("understood", "understand"),
    ("undertaken", "undertake"),
    ("undertook", "undertake"),
    ("won", "win"),
    ("written", "write"),
    ("wrote", "write"),
];

/// The base form of an irregular past form ("led" to "lead"), else the word itself.
fn base_form(word: &str) -> &str {
    IRREGULAR
        .binary_search_by(|(past, _)| (*past).cmp(word))
        .map_or(word, |i| IRREGULAR[i].1)
}

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
    /// `surfaces` again for words of at most 16 bytes, keyed by the bytes as a number: nearly
    /// every word is that short, and a number compares faster than a string.
    short: FxHashMap<u128, u32>,
}

/// A word of at most 16 bytes as a number (its bytes, zero-padded); `None` for longer words. No
/// normalised word holds a zero byte, so two words never share a key.
pub fn short_key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 16 {
        return None;
    }
    let mut key = [0u8; 16];
    key[..bytes.len()].copy_from_slice(bytes);
    Some(u128::from_le_bytes(key))
}

/// What a thread remembers of the words it had to stem because the vocabulary did not hold them.
#[derive(Debug, Default)]
pub struct StemCache {
    short: FxHashMap<u128, u32>,
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
        let stem = self.stemmer.0.stem(base_form(word));
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
        if let Some(key) = short_key(word) {
            return match self.short.get(&key) {
                Some(&n) => n,
                None => match cache.short.get(&key) {
                    Some(&n) => n,
                    None => self.stem_number(word, key, cache),
                },
            };
        } else {
            if let Some(&n) = self.surfaces.get(word) {
                return n;
            }
            if let Some(&n) = cache.long.get(word) {
                return n;
            }
        }
        let n = self.stem_lookup(word);
        if cache.long.len() > 1 << 16 {
            cache.long.clear();
        }
        cache.long.insert(word.into(), n);
        n
    }

    fn stem_lookup(&self, word: &str) -> u32 {
        self.numbers
            .get(self.stemmer.0.stem(base_form(word)).as_ref())
            .copied()
            .unwrap_or(UNKNOWN)
    }

    fn stem_number(&self, word: &str, key: u128, cache: &mut StemCache) -> u32 {
        let n = self.stem_lookup(word);
        if cache.short.len() > 1 << 16 {
            cache.short.clear();
        }
        cache.short.insert(key, n);
        n
    }

    pub fn len(&self) -> usize {
        self.stems.len()
    }

    /// The stem numbered `n` ("" for a number it never gave).
    pub fn stem(&self, n: u32) -> &str {
        self.stems.get(n as usize).map_or("", |s| s)
    }

    /// The stem of any word, numbered or not.
    pub fn stem_word(&self, word: &str) -> String {
        self.stemmer.0.stem(base_form(word)).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irregular_past_forms_are_ordered_and_meet_their_base_form() {
        assert!(IRREGULAR.windows(2).all(|w| w[0].0 < w[1].0), "ordered");
        let mut vocabulary = Vocabulary::default();
        let lead = vocabulary.add("leading");
        let mut cache = StemCache::default();
        assert_eq!(vocabulary.lookup("led", &mut cache), lead);
        assert_eq!(vocabulary.add("led"), lead);
        assert_eq!(vocabulary.stem_word("built"), vocabulary.stem_word("build"));
        assert_eq!(base_form("managed"), "managed");
    }
}
