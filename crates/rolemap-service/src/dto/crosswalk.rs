//! The JSON shapes of suggested mappings between frameworks and of a reviewed mappings file
//! applied.

use serde::Serialize;
use utoipa::ToSchema;

use super::rounded;

/// A suggested mapping between a concept of one framework and a skill of another, to review.
#[derive(Debug, Serialize, ToSchema)]
pub struct MappingSuggestionDto {
    pub from_framework: String,
    /// A skill's key, or `role-key#duty-number` for a duty statement.
    pub from_key: String,
    /// A skill's preferred label, or the duty statement.
    pub from_label: String,
    pub to_framework: String,
    pub to_key: String,
    pub to_label: String,
    /// "exact", "close" or "related".
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// 0 to 1.
    pub confidence: f32,
    /// The words the suggestion rests on, rarest first.
    pub why: Vec<String>,
}

impl From<&crate::MappingSuggestion> for MappingSuggestionDto {
    fn from(s: &crate::MappingSuggestion) -> MappingSuggestionDto {
        MappingSuggestionDto {
            from_framework: s.from_framework.clone(),
            from_key: s.from_key.clone(),
            from_label: s.from_label.clone(),
            to_framework: s.to_framework.clone(),
            to_key: s.to_key.clone(),
            to_label: s.to_label.clone(),
            kind: s.kind.as_str(),
            confidence: rounded(s.confidence),
            why: s.why.clone(),
        }
    }
}

/// What storing a reviewed mappings file did.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedMappingsDto {
    /// Accepted rows stored (new or restated).
    pub applied: usize,
    /// Rows without an accepting decision, left out.
    pub ignored: usize,
}

impl From<&crate::AppliedMappings> for AppliedMappingsDto {
    fn from(a: &crate::AppliedMappings) -> AppliedMappingsDto {
        AppliedMappingsDto {
            applied: a.applied,
            ignored: a.ignored,
        }
    }
}
