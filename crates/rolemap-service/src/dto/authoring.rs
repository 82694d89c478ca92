//! The JSON shapes of framework authoring: what changed between two versions, and drafts.

use rolemap_core::diff::{Change, FrameworkDiff};
use serde::Serialize;
use utoipa::ToSchema;

/// One difference between two versions of a framework.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeDto {
    /// framework, scale, level, grade ladder, grade, job family, skill, role, requirement or link.
    pub item: &'static str,
    /// The item's key: `skill-key`, `scale/code`, `ladder/grade`, `role/skill` (a requirement),
    /// `from > to (kind)` (a link).
    pub key: String,
    /// added, removed or changed.
    pub change: &'static str,
    /// For a change, the field that changed (`label`, `levels.HEO`); null for added or removed.
    pub field: Option<String>,
    /// The value before (for removed items, what the item said, `field: value` a line); null
    /// where there was none.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl From<&Change> for ChangeDto {
    fn from(c: &Change) -> ChangeDto {
        ChangeDto {
            item: c.item.as_str(),
            key: c.key.clone(),
            change: c.change.as_str(),
            field: c.field.clone(),
            before: c.before.clone(),
            after: c.after.clone(),
        }
    }
}

/// What changed in a framework from one version to another.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkDiffDto {
    pub framework: String,
    pub from: String,
    pub to: String,
    /// Items added, removed, and changed (an item with several changed fields counts once).
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub changes: Vec<ChangeDto>,
}

impl From<&FrameworkDiff> for FrameworkDiffDto {
    fn from(d: &FrameworkDiff) -> FrameworkDiffDto {
        let (added, removed, changed) = d.counts();
        FrameworkDiffDto {
            framework: d.framework.clone(),
            from: d.from.clone(),
            to: d.to.clone(),
            added,
            removed,
            changed,
            changes: d.changes.iter().map(ChangeDto::from).collect(),
        }
    }
}
