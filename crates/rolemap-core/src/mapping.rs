//! Mappings between the skills of two frameworks, as a reviewer accepted them: "this ODP skill is
//! ESCO's 'manage budgets'". Compare, gap and similarity across frameworks count a skill mapped
//! exact or close as the same skill.

use crate::id::SkillId;

/// How alike the two skills of a mapping are (SKOS's exact, close and related match).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MappingKind {
    Exact,
    Close,
    Related,
}

impl MappingKind {
    /// The kind named `exact`, `close` or `related` (case aside).
    pub fn parse(text: &str) -> Option<MappingKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "exact" => Some(MappingKind::Exact),
            "close" => Some(MappingKind::Close),
            "related" => Some(MappingKind::Related),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MappingKind::Exact => "exact",
            MappingKind::Close => "close",
            MappingKind::Related => "related",
        }
    }

    /// Whether the two skills count as one: exact and close mappings do, related ones do not.
    pub fn same_skill(self) -> bool {
        matches!(self, MappingKind::Exact | MappingKind::Close)
    }
}

/// An accepted mapping from one skill to another (of another framework, usually).
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub from: SkillId,
    pub to: SkillId,
    pub kind: MappingKind,
    /// In [0, 1].
    pub confidence: f32,
}

impl Mapping {
    /// The skill at the other end from `skill`, either way round; `None` when the mapping does
    /// not touch `skill`.
    pub fn other_end(&self, skill: SkillId) -> Option<SkillId> {
        if self.from == skill {
            Some(self.to)
        } else if self.to == skill {
            Some(self.from)
        } else {
            None
        }
    }
}
