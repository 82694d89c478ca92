//! A title's terms: character 2- to 4-grams of each word padded with spaces, and the Snowball
//! stems of its words, each weighed as `analyse::words` weighs the word.

use rustc_hash::FxHashMap;

use crate::{Weights, analyse};

/// A character n-gram, up to 4 characters packed 21 bits each, with its length: exact, so two
/// n-grams never share a feature.
pub(crate) type Gram = u128;

/// A title's term frequencies: character n-grams and word stems.
pub(crate) struct Terms {
    pub(crate) grams: Vec<(Gram, f32)>,
    pub(crate) stems: Vec<(String, f32)>,
    /// The stem of the word that names the job ([`analyse::head`]).
    pub(crate) head: Option<String>,
}

pub(crate) fn terms(title: &str, weights: &Weights, stemmer: &frostem::Stemmer) -> Terms {
    let mut grams: FxHashMap<Gram, f32> = FxHashMap::default();
    let mut stems: FxHashMap<String, f32> = FxHashMap::default();
    let mut padded: Vec<char> = Vec::new();
    let words = analyse::words(title, weights.seniority);
    let head = analyse::head(&words).map(|at| stemmer.stem(&words[at].text).into_owned());
    for word in words {
        padded.clear();
        padded.push(' ');
        padded.extend(word.text.chars());
        padded.push(' ');
        for n in 2..=4 {
            if padded.len() < n {
                break;
            }
            for window in padded.windows(n) {
                *grams.entry(gram(window)).or_default() += word.weight;
            }
        }
        if !word.stop {
            *stems
                .entry(stemmer.stem(&word.text).into_owned())
                .or_default() += word.weight;
        }
    }
    let mut grams: Vec<(Gram, f32)> = grams.into_iter().collect();
    grams.sort_unstable_by_key(|(g, _)| *g);
    let mut stems: Vec<(String, f32)> = stems.into_iter().collect();
    stems.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Terms { grams, stems, head }
}

fn gram(chars: &[char]) -> Gram {
    chars
        .iter()
        .fold(chars.len() as Gram, |acc, &c| (acc << 21) | c as Gram)
}
