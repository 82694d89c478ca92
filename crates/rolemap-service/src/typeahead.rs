//! Names that match what someone is typing: the typeahead the API answers for the pages.

use crate::{Result, SearchInput, Service, search};

/// A role or skill whose name matched a typed query.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch {
    /// "role" or "skill".
    pub kind: &'static str,
    pub id: i64,
    pub framework: String,
    /// The framework's name, for people to read.
    pub framework_name: String,
    pub key: String,
    /// The preferred title or label.
    pub label: String,
    /// The name that matched (a title, alternative title or label).
    pub matched: String,
    pub score: f64,
}

impl Service {
    /// Roles and skills whose names match what someone is typing, best first: the search index's
    /// label matches (typos, word order and a half-typed last word forgiven), without the
    /// description matches a full search also shows.
    pub async fn typeahead(
        &self,
        query: &str,
        kind: Option<rolemap_store::ConceptKind>,
        limit: usize,
    ) -> Result<Vec<NameMatch>> {
        if query.trim().is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let hits = self
            .search(&SearchInput {
                text: query.to_owned(),
                kind,
                framework: None,
                limit: (limit * 2).min(search::MAX_LIMIT),
            })
            .await?;
        Ok(hits
            .into_iter()
            .filter(|hit| hit.field != "description")
            .take(limit)
            .map(|hit| NameMatch {
                kind: hit.kind.as_str(),
                id: hit.id,
                framework: hit.framework,
                framework_name: hit.framework_name,
                key: hit.key,
                label: hit.label,
                matched: hit.matched,
                score: f64::from(hit.score),
            })
            .collect())
    }
}
