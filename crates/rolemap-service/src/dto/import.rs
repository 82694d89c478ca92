//! The JSON shapes of what an import did, and of the problems that stopped one.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportOutcomeDto {
    pub key: String,
    pub version: String,
    /// False when that key and version were already stored: nothing changed.
    pub created: bool,
    pub roles: usize,
    pub skills: usize,
    pub links: usize,
}

impl From<&rolemap_store::ImportOutcome> for ImportOutcomeDto {
    fn from(o: &rolemap_store::ImportOutcome) -> ImportOutcomeDto {
        ImportOutcomeDto {
            key: o.key.clone(),
            version: o.version.clone(),
            created: o.created,
            roles: o.roles,
            skills: o.skills,
            links: o.links,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleOutcomeDto {
    pub people: usize,
    pub assessments: usize,
}

impl From<&rolemap_store::PeopleOutcome> for PeopleOutcomeDto {
    fn from(o: &rolemap_store::PeopleOutcome) -> PeopleOutcomeDto {
        PeopleOutcomeDto {
            people: o.people,
            assessments: o.assessments,
        }
    }
}

/// One problem an import found, where it is and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemDto {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl From<&rolemap_formats::Diagnostic> for ProblemDto {
    fn from(d: &rolemap_formats::Diagnostic) -> ProblemDto {
        ProblemDto {
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            field: d.field.clone(),
            code: d.code,
            message: d.message.clone(),
        }
    }
}
