//! The second signal: how alike two roles' texts are (titles, descriptions, duties), as the
//! cosine of their TF-IDF vectors — "comparing knowledge and skills statements".
//!
//! Words are runs of letters and digits, lower-cased; English stop words and one-letter words are
//! dropped. A word's weight in a text is `(1 + ln tf) × idf`, with `idf = ln((1 + n) / (1 + df)) + 1`
//! over the `n` texts; vectors are L2-normalised, so the cosine is their dot product, in [0, 1].

use std::collections::HashMap;

/// Sorted.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "both",
    "but",
    "by",
    "can",
    "do",
    "each",
    "either",
    "etc",
    "for",
    "from",
    "has",
    "have",
    "how",
    "in",
    "including",
    "into",
    "is",
    "it",
    "its",
    "may",
    "more",
    "most",
    "must",
    "not",
    "of",
    "on",
    "one",
    "or",
    "other",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "under",
    "up",
    "use",
    "used",
    "using",
    "was",
    "well",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "will",
    "with",
    "within",
    "would",
];

/// TF-IDF vectors of a set of texts, for cosines between them.
#[derive(Debug, Clone, Default)]
pub struct TextProfiles {
    /// Text t's terms and weights are `terms[start[t]..start[t + 1]]`, sorted by term.
    start: Vec<u32>,
    terms: Vec<u32>,
    weights: Vec<f32>,
    /// Term → (text, weight) postings, texts ascending.
    postings: Vec<Vec<(u32, f32)>>,
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
        .map(str::to_lowercase)
        .filter(|w| STOP_WORDS.binary_search(&w.as_str()).is_err())
}

impl TextProfiles {
    /// The profiles of `texts`, numbered in order.
    pub fn new<S: AsRef<str>>(texts: &[S]) -> TextProfiles {
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut counts: Vec<Vec<(u32, u32)>> = Vec::with_capacity(texts.len());
        for text in texts {
            let mut tf: HashMap<u32, u32> = HashMap::new();
            for word in words(text.as_ref()) {
                let next = vocabulary.len() as u32;
                let id = *vocabulary.entry(word).or_insert(next);
                *tf.entry(id).or_default() += 1;
            }
            let mut tf: Vec<(u32, u32)> = tf.into_iter().collect();
            tf.sort_unstable();
            counts.push(tf);
        }
        let mut df = vec![0u32; vocabulary.len()];
        for tf in &counts {
            for &(term, _) in tf {
                df[term as usize] += 1;
            }
        }
        let n = texts.len() as f32;
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        let mut start = Vec::with_capacity(texts.len() + 1);
        let mut terms = Vec::new();
        let mut weights = Vec::new();
        let mut postings = vec![Vec::new(); vocabulary.len()];
        start.push(0);
        for (t, tf) in counts.iter().enumerate() {
            let row: Vec<(u32, f32)> = tf
                .iter()
                .map(|&(term, count)| (term, (1.0 + (count as f32).ln()) * idf[term as usize]))
                .collect();
            let norm = row.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            for (term, w) in row {
                let w = if norm > 0.0 { w / norm } else { 0.0 };
                terms.push(term);
                weights.push(w);
                postings[term as usize].push((t as u32, w));
            }
            start.push(terms.len() as u32);
        }
        TextProfiles {
            start,
            terms,
            weights,
            postings,
        }
    }

    /// Number of texts.
    pub fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cosine of `origin`'s text with every other text that shares a word with it, by text
    /// number (not `origin` itself).
    pub fn cosines(&self, origin: u32) -> Vec<(u32, f32)> {
        let o = origin as usize;
        if o >= self.len() {
            return Vec::new();
        }
        let mut dot: HashMap<u32, f32> = HashMap::new();
        for k in self.start[o] as usize..self.start[o + 1] as usize {
            let (term, w) = (self.terms[k], self.weights[k]);
            for &(other, v) in &self.postings[term as usize] {
                if other != origin {
                    *dot.entry(other).or_default() += w * v;
                }
            }
        }
        let mut out: Vec<(u32, f32)> = dot.into_iter().map(|(t, d)| (t, d.min(1.0))).collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn alike_texts_score_higher_and_identical_ones_one() {
        let texts = [
            "Plan and run the daily ICT operations of an organisation",
            "Plan and run daily operations of a railway network",
            "Bake bread and pastries",
            "Plan and run the daily ICT operations of an organisation",
        ];
        let p = TextProfiles::new(&texts);
        let c = p.cosines(0);
        assert_eq!(c[0].0, 3);
        assert!((c[0].1 - 1.0).abs() < 1e-5, "{c:?}");
        assert_eq!(c[1].0, 1);
        assert!(c[1].1 > 0.0 && c[1].1 < 1.0);
        // Nothing in common with the bakery (stop words do not count).
        assert!(c.iter().all(|&(t, _)| t != 2), "{c:?}");
        assert!(p.cosines(9).is_empty());
        assert!(TextProfiles::new::<&str>(&[]).is_empty());
    }
}
