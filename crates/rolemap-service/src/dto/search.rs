//! The JSON shapes of search results and of job titles coded to roles.

use serde::Serialize;
use utoipa::ToSchema;

/// One role or skill a search found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResultDto {
    /// "role" or "skill".
    pub kind: &'static str,
    pub id: i64,
    pub framework: String,
    pub framework_name: String,
    pub key: String,
    /// The preferred title or label.
    pub label: String,
    /// The label that matched, or an excerpt of the description around the first matched word.
    pub matched: String,
    /// Which text matched: "preferred", "alternative", "hidden" or "description".
    pub field: &'static str,
    /// In (0, 1]; higher is better.
    pub score: f32,
}

impl From<&crate::SearchResult> for SearchResultDto {
    fn from(r: &crate::SearchResult) -> SearchResultDto {
        SearchResultDto {
            kind: r.kind.as_str(),
            id: r.id,
            framework: r.framework.clone(),
            framework_name: r.framework_name.clone(),
            key: r.key.clone(),
            label: r.label.clone(),
            matched: r.matched.clone(),
            field: r.field,
            // Three decimals: enough to rank by, and stable to read.
            score: (r.score * 1000.0).round() / 1000.0,
        }
    }
}

/// One role a job title was coded to.
#[derive(Debug, Serialize, ToSchema)]
pub struct TitleCodeDto {
    pub role_id: i64,
    pub framework: String,
    pub framework_name: String,
    pub key: String,
    /// The role's title.
    pub title: String,
    /// The role's title that matched best.
    pub matched: String,
    /// Which title matched: "preferred", "alternative" or "hidden".
    pub field: &'static str,
    /// In [0, 1]; higher is better.
    pub score: f32,
    /// How well the words match the words of all the role's titles, in [0, 1].
    pub words: f32,
    /// How well the matched title is spelt like the one coded, in [0, 1].
    pub spelling: f32,
}

impl From<&crate::TitleCode> for TitleCodeDto {
    fn from(c: &crate::TitleCode) -> TitleCodeDto {
        // Three decimals: enough to rank by, and stable to read.
        let round = |x: f32| (x * 1000.0).round() / 1000.0;
        TitleCodeDto {
            role_id: c.role_id,
            framework: c.framework.clone(),
            framework_name: c.framework_name.clone(),
            key: c.key.clone(),
            title: c.title.clone(),
            matched: c.matched.clone(),
            field: c.field,
            score: round(c.score),
            words: round(c.words),
            spelling: round(c.spelling),
        }
    }
}
