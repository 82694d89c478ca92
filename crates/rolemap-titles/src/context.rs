//! The occupations' context (descriptions and required skills' labels) as word stems, which
//! weigh a title's words and decide between the senses of its head word.

use rustc_hash::FxHashMap;

use crate::analyse;

/// The occupations' context as word stems: per stem, its idf over the occupations that have a
/// context and the occupations (indexes into `TitleIndex::occupations`) whose context holds it,
/// ascending.
#[derive(Debug, Default)]
pub(crate) struct Context {
    pub(crate) stems: FxHashMap<String, (f32, Box<[u32]>)>,
    /// The idf of a stem no context holds: the rarest there can be.
    pub(crate) absent_idf: f32,
}

impl Context {
    pub(crate) fn build(
        context: &[(u32, String)],
        occupations: &[u32],
        stemmer: &frostem::Stemmer,
    ) -> Context {
        let mut by_stem: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        let mut with_context: Vec<u32> = Vec::new();
        for (occupation, text) in context {
            let Ok(at) = occupations.binary_search(occupation) else {
                continue;
            };
            with_context.push(at as u32);
            for word in analyse::words(text, 1.0).iter().filter(|w| !w.stop) {
                by_stem
                    .entry(stemmer.stem(&word.text).into_owned())
                    .or_default()
                    .push(at as u32);
            }
        }
        with_context.sort_unstable();
        with_context.dedup();
        let n = with_context.len() as f32;
        let idf = |holders: usize| ((1.0 + n) / (1.0 + holders as f32)).ln() + 1.0;
        let stems = by_stem
            .into_iter()
            .map(|(stem, mut holders)| {
                holders.sort_unstable();
                holders.dedup();
                (stem, (idf(holders.len()), holders.into_boxed_slice()))
            })
            .collect();
        Context {
            stems,
            absent_idf: idf(0),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.stems.is_empty()
    }
}
