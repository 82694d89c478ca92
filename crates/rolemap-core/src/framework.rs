//! Frameworks and the structures they publish besides skills and roles: grade ladders and job families.

use crate::id::FrameworkId;

/// A named, versioned source of concepts, with its licence and the attribution to show beside its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Framework {
    pub id: FrameworkId,
    pub key: String,
    pub name: String,
    pub version: String,
    pub source: String,
    pub licence: String,
    pub attribution: String,
    pub description: String,
    /// How many roles and skills it holds (filled in by listings).
    pub role_count: u64,
    pub skill_count: u64,
}

/// One grade on a ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    pub code: String,
    pub name: String,
}

/// Ordered grades, lowest first (AA < AO < EO < ... < SCS3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeLadder {
    pub key: String,
    pub name: String,
    pub grades: Vec<Grade>,
}

impl GradeLadder {
    /// The position of a grade on the ladder (0 = lowest), matched case-insensitively.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.grades
            .iter()
            .position(|g| g.code.eq_ignore_ascii_case(code))
    }
}

/// A job family: a group of related roles inside a framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFamily {
    pub key: String,
    pub name: String,
    pub description: String,
}
