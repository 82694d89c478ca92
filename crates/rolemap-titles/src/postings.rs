//! Sparse TF-IDF vectors of one kind of feature (character n-grams or word stems): a dictionary,
//! postings lists by feature and each document's vector, in flat arrays.

use rustc_hash::FxHashMap;

/// Sparse vectors of one kind of feature: a dictionary and postings lists in one flat array.
#[derive(Debug, Default)]
pub(crate) struct Postings<K> {
    pub(crate) ids: FxHashMap<K, u32>,
    pub(crate) idf: Vec<f32>,
    /// Feature `f`'s postings are `entries[starts[f]..starts[f + 1]]`: (document, weight).
    starts: Vec<u32>,
    entries: Vec<(u32, f32)>,
    /// Document `d`'s vector is `vectors[vector_starts[d]..vector_starts[d + 1]]`: (feature,
    /// weight), ordered by feature.
    vector_starts: Vec<u32>,
    vectors: Vec<(u32, f32)>,
}

impl<K: std::hash::Hash + Eq + Clone> Postings<K> {
    /// Builds the postings of the documents' term frequencies, each document's vector divided by
    /// its length to the power `norm_power` (1 for unit vectors) and the longest's to the rest.
    pub(crate) fn build(docs: &[Vec<(K, f32)>], norm_power: f32) -> Postings<K> {
        let mut ids: FxHashMap<K, u32> = FxHashMap::default();
        let mut df: Vec<u32> = Vec::new();
        for doc in docs {
            for (key, _) in doc {
                let next = ids.len() as u32;
                let id = *ids.entry(key.clone()).or_insert(next);
                if id == next {
                    df.push(0);
                }
                df[id as usize] += 1;
            }
        }
        let n = docs.len() as f32;
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        let mut starts = Vec::with_capacity(df.len() + 1);
        let mut total = 0u32;
        for &d in &df {
            starts.push(total);
            total += d;
        }
        starts.push(total);
        let mut fill: Vec<u32> = starts[..df.len()].to_vec();
        let mut entries = vec![(0u32, 0f32); total as usize];
        let mut vector_starts = Vec::with_capacity(docs.len() + 1);
        let mut vectors = Vec::with_capacity(total as usize);
        let weighted: Vec<(Vec<(u32, f32)>, f32)> = docs
            .iter()
            .map(|doc| {
                let mut weighted: Vec<(u32, f32)> = doc
                    .iter()
                    .filter_map(|(key, tf)| {
                        let id = *ids.get(key)?;
                        Some((id, sublinear(*tf) * idf[id as usize]))
                    })
                    .collect();
                weighted.sort_unstable_by_key(|(id, _)| *id);
                let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
                (weighted, norm)
            })
            .collect();
        // Dividing by norm^p * longest^(1 - p) keeps every cosine within [0, 1] and ranks as
        // dividing by norm^p would.
        let longest = weighted
            .iter()
            .map(|(_, norm)| *norm)
            .fold(0.0f32, f32::max);
        for (doc_number, (weighted, norm)) in weighted.into_iter().enumerate() {
            let divisor = norm.powf(norm_power) * longest.powf(1.0 - norm_power);
            vector_starts.push(vectors.len() as u32);
            for (id, w) in weighted {
                let w = if divisor > 0.0 { w / divisor } else { 0.0 };
                let slot = &mut fill[id as usize];
                entries[*slot as usize] = (doc_number as u32, w);
                *slot += 1;
                vectors.push((id, w));
            }
        }
        vector_starts.push(vectors.len() as u32);
        Postings {
            ids,
            idf,
            starts,
            entries,
            vector_starts,
            vectors,
        }
    }

    /// The query's vector over the known features, normalised, ordered by feature.
    pub(crate) fn query(&self, tf: &[(K, f32)]) -> Vec<(u32, f32)> {
        let mut weighted: Vec<(u32, f32)> = tf
            .iter()
            .filter_map(|(key, tf)| {
                let id = *self.ids.get(key)?;
                Some((id, sublinear(*tf) * self.idf[id as usize]))
            })
            .collect();
        weighted.sort_unstable_by_key(|(id, _)| *id);
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut weighted {
                *w /= norm;
            }
        }
        weighted
    }

    /// Whether document `doc`'s vector holds `feature`.
    pub(crate) fn holds(&self, doc: u32, feature: u32) -> bool {
        let d = doc as usize;
        self.vectors[self.vector_starts[d] as usize..self.vector_starts[d + 1] as usize]
            .binary_search_by_key(&feature, |&(f, _)| f)
            .is_ok()
    }

    pub(crate) fn postings(&self, feature: u32) -> &[(u32, f32)] {
        let f = feature as usize;
        &self.entries[self.starts[f] as usize..self.starts[f + 1] as usize]
    }

    /// The cosine of a query, as weights by feature (zero for those it lacks), and a document.
    pub(crate) fn cosine(&self, query: &[f32], doc: u32) -> f32 {
        let d = doc as usize;
        let vector =
            &self.vectors[self.vector_starts[d] as usize..self.vector_starts[d + 1] as usize];
        vector
            .iter()
            .map(|&(feature, w)| query[feature as usize] * w)
            .sum::<f32>()
            .min(1.0)
    }
}

/// scikit-learn's sublinear term frequency, continued below 1 for down-weighted words.
fn sublinear(tf: f32) -> f32 {
    if tf >= 1.0 { 1.0 + tf.ln() } else { tf }
}
