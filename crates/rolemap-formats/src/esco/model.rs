//! The model read from an ESCO release: occupations, skills, groups, relations, collections.

use super::*;

/// An ESCO occupation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Occupation {
    pub uri: String,
    pub preferred_label: String,
    pub alt_labels: Vec<String>,
    pub hidden_labels: Vec<String>,
    pub description: String,
    pub definition: String,
    pub scope_note: String,
    /// ISCO-08 unit group code (`1330`).
    pub isco_group: String,
    /// The ESCO code under the ISCO group (`1330.5`); empty where the file has no `code` column.
    pub code: String,
    pub status: String,
    pub regulated_profession_note: String,
    pub modified: String,
}

/// An ESCO skill or knowledge concept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EscoSkill {
    pub uri: String,
    pub preferred_label: String,
    pub alt_labels: Vec<String>,
    pub hidden_labels: Vec<String>,
    /// `knowledge`, `skill/competence`, or empty (a few concepts have no type).
    pub skill_type: String,
    pub reuse: Option<ReuseLevel>,
    pub description: String,
    pub definition: String,
    pub scope_note: String,
    pub status: String,
    pub modified: String,
}

/// A group of the occupations pillar (ISCO-08).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IscoGroup {
    pub uri: String,
    pub code: String,
    pub preferred_label: String,
    pub alt_labels: Vec<String>,
    pub description: String,
    pub status: String,
}

/// A group of the skills pillar.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SkillGroup {
    pub uri: String,
    pub code: String,
    pub preferred_label: String,
    pub alt_labels: Vec<String>,
    pub hidden_labels: Vec<String>,
    pub description: String,
    pub scope_note: String,
    pub status: String,
    pub modified: String,
}

/// An occupation's need for a skill. The URIs are shared: each concept's is held once however
/// many relations name it (ESCO's 124,000 relations name 17,000 concepts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccupationSkill {
    pub occupation: Arc<str>,
    pub skill: Arc<str>,
    pub importance: Importance,
}

/// One skill relying on another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillSkill {
    pub skill: Arc<str>,
    pub related: Arc<str>,
    pub importance: Importance,
}

/// Which pillar a broader relation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pillar {
    Occupations,
    Skills,
}

/// `narrower` sits under `broader` (a DAG: a concept may have several broader concepts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broader {
    pub pillar: Pillar,
    pub narrower: Arc<str>,
    pub broader: Arc<str>,
}

/// One row of the skills hierarchy: the path from a top group down to at most level 3.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HierarchyRow {
    /// (URI, preferred term, code) for levels 0 to 3, as far as the row goes.
    pub levels: Vec<(String, String, String)>,
    pub description: String,
    pub scope_note: String,
}

/// A collection file: a named set of skills (or occupations), stored as tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    /// The tag members get: `digital`, `green`, `transversal`, `language`, `research`, `digcomp`.
    pub tag: String,
    /// True for a collection of occupations (`researchOccupationsCollection`).
    pub occupations: bool,
    pub members: Vec<String>,
}

/// A concept scheme of `conceptSchemes_en.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConceptScheme {
    pub uri: String,
    pub preferred_label: String,
    pub description: String,
}

/// Everything read from one ESCO release.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EscoData {
    pub version: String,
    pub occupations: Vec<Occupation>,
    pub skills: Vec<EscoSkill>,
    pub isco_groups: Vec<IscoGroup>,
    pub skill_groups: Vec<SkillGroup>,
    pub occupation_skills: Vec<OccupationSkill>,
    pub skill_skills: Vec<SkillSkill>,
    pub broader: Vec<Broader>,
    pub hierarchy: Vec<HierarchyRow>,
    pub collections: Vec<Collection>,
    pub schemes: Vec<ConceptScheme>,
    /// Rows read per file, in the order the files came.
    pub files: Vec<(String, usize)>,
    /// Files whose names are not ESCO's, left alone.
    pub ignored_files: Vec<String>,
    /// Relations left out because an end is not defined (only with `skip_dangling`), one each.
    pub skipped: Vec<Diagnostic>,
    /// Occupation-skill relation rows read, skipped ones included.
    pub occupation_skill_rows: usize,
}

/// How to read.
#[derive(Debug, Clone, Default)]
pub struct EscoOptions {
    /// The release, if the caller knows it; otherwise it is taken from the file names.
    pub version: Option<String>,
    /// Leave out relations to undefined concepts (reporting each) instead of failing.
    pub skip_dangling: bool,
}
