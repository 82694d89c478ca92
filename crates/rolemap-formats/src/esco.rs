//! The ESCO classification as published: the CSV files of the classification zip and the relations
//! zip (`occupations_en.csv`, `skills_en.csv`, `occupationSkillRelations.csv`, ...).
//!
//! [`EscoReader`] takes each file as a reader with the name the caller gives it, and checks
//! everything at once: CSV syntax, rows whose columns do not line up with the header, missing
//! required columns, URIs defined twice, relations to concepts no file defines. It returns the whole
//! model ([`EscoData`]) or every problem. [`open`] finds the files in the zips as downloaded or in the
//! folders they unpack to. [`to_bundle`] turns the model into a framework bundle: occupations become
//! roles, skills become skills, occupation-skill relations become requirements (without levels:
//! ESCO publishes none), collections become skill tags.
//!
//! Column sets of ESCO v1.1.x and v1.2 are both read: columns are found by name, unknown extra
//! columns are ignored, and a missing required column is an error. For CSV files a diagnostic's
//! `column` is the 1-based CSV column.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::hash::BuildHasherDefault;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rolemap_core::bundle::{FrameworkBundle, FrameworkMeta, RequirementDef, RoleDef, SkillDef};
use rolemap_core::{Code, Importance, ReuseLevel, SkillKind};

use crate::diagnostic::{Diagnostic, Diagnostics};

/// The framework key ESCO is stored under.
pub const FRAMEWORK_KEY: &str = "esco";
/// The acknowledgement ESCO's licence asks for, shown wherever ESCO data is shown.
pub const ATTRIBUTION: &str = "ESCO, European Commission";

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

/// What kind of ESCO file a name denotes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Occupations,
    Skills,
    IscoGroups,
    SkillGroups,
    Hierarchy,
    Schemes,
    OccupationSkills,
    SkillSkills,
    Broader(Pillar),
    Collection { tag: String, occupations: bool },
}

/// The kind of file, from its name: any folder, `.csv` and an `_en` (or other language) suffix
/// are ignored, and case does not matter.
fn kind_of(name: &str) -> Option<Kind> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    let stem = lower.strip_suffix(".csv")?;
    let stem = match stem.rsplit_once('_') {
        Some((head, lang)) if lang.len() == 2 => head,
        _ => stem,
    };
    Some(match stem {
        "occupations" => Kind::Occupations,
        "skills" => Kind::Skills,
        "iscogroups" => Kind::IscoGroups,
        "skillgroups" => Kind::SkillGroups,
        "skillshierarchy" => Kind::Hierarchy,
        "conceptschemes" => Kind::Schemes,
        "occupationskillrelations" => Kind::OccupationSkills,
        "skillskillrelations" => Kind::SkillSkills,
        "broaderrelationsoccpillar" => Kind::Broader(Pillar::Occupations),
        "broaderrelationsskillpillar" => Kind::Broader(Pillar::Skills),
        other => {
            let name = other.strip_suffix("collection")?;
            if let Some(tag) = name.strip_suffix("occupations") {
                Kind::Collection {
                    tag: tag.to_owned(),
                    occupations: true,
                }
            } else {
                let tag = name.strip_suffix("skills").unwrap_or(name);
                Kind::Collection {
                    tag: tag.to_owned(),
                    occupations: false,
                }
            }
        }
    })
}

/// The files every ESCO release (v1.1 and v1.2) holds besides its collections, with the name the
/// English download gives each. A release without one of them is refused: leaving out, say, the
/// skill-skill relations would store a framework that silently lacks them. Collections differ
/// between releases, so none is required.
const RELEASE_FILES: [(Kind, &str); 10] = [
    (Kind::Occupations, "occupations_en.csv"),
    (Kind::Skills, "skills_en.csv"),
    (Kind::IscoGroups, "ISCOGroups_en.csv"),
    (Kind::SkillGroups, "skillGroups_en.csv"),
    (Kind::Hierarchy, "skillsHierarchy_en.csv"),
    (Kind::Schemes, "conceptSchemes_en.csv"),
    (Kind::OccupationSkills, "occupationSkillRelations.csv"),
    (Kind::SkillSkills, "skillSkillRelations.csv"),
    (
        Kind::Broader(Pillar::Occupations),
        "broaderRelationsOccPillar.csv",
    ),
    (
        Kind::Broader(Pillar::Skills),
        "broaderRelationsSkillPillar.csv",
    ),
];

/// The columns a file kind must have, and those it may have.
fn columns(kind: &Kind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        Kind::Occupations => (
            &[
                "conceptUri",
                "iscoGroup",
                "preferredLabel",
                "altLabels",
                "hiddenLabels",
                "status",
                "modifiedDate",
                "regulatedProfessionNote",
                "scopeNote",
                "definition",
                "description",
            ],
            &["code"],
        ),
        Kind::Skills => (
            &[
                "conceptUri",
                "skillType",
                "reuseLevel",
                "preferredLabel",
                "altLabels",
                "hiddenLabels",
                "status",
                "modifiedDate",
                "scopeNote",
                "definition",
                "description",
            ],
            &[],
        ),
        Kind::IscoGroups => (
            &["conceptUri", "code", "preferredLabel"],
            &["altLabels", "status", "description"],
        ),
        Kind::SkillGroups => (
            &["conceptUri", "preferredLabel"],
            &[
                "altLabels",
                "hiddenLabels",
                "status",
                "modifiedDate",
                "scopeNote",
                "description",
                "code",
            ],
        ),
        Kind::Hierarchy => (
            &[
                "Level 0 URI",
                "Level 0 preferred term",
                "Level 1 URI",
                "Level 1 preferred term",
                "Level 2 URI",
                "Level 2 preferred term",
                "Level 3 URI",
                "Level 3 preferred term",
            ],
            &[
                "Description",
                "Scope note",
                "Level 0 code",
                "Level 1 code",
                "Level 2 code",
                "Level 3 code",
            ],
        ),
        Kind::Schemes => (&["conceptSchemeUri", "preferredLabel"], &["description"]),
        Kind::OccupationSkills => (&["occupationUri", "relationType", "skillUri"], &[]),
        Kind::SkillSkills => (
            &["originalSkillUri", "relationType", "relatedSkillUri"],
            &[],
        ),
        Kind::Broader(_) => (&["conceptUri", "broaderUri"], &[]),
        Kind::Collection { .. } => (&["conceptUri"], &[]),
    }
}

/// A hash map keyed by URIs: FxHash, as keys come from the files read, not from an attacker
/// who could aim at collisions (a release has some 30,000 concepts).
type UriMap<K, V> = HashMap<K, V, BuildHasherDefault<rustc_hash::FxHasher>>;

/// One row with its columns found by name.
struct Row<'a> {
    record: &'a csv::StringRecord,
    /// (column name, 0-based index) of the columns this file has: at most 17, so a scan.
    index: &'a [(&'static str, usize)],
}

impl Row<'_> {
    /// The 0-based position of `column` in the file, if it has one.
    fn position(&self, column: &str) -> Option<usize> {
        self.index
            .iter()
            .find(|(name, _)| *name == column)
            .map(|&(_, i)| i)
    }

    /// The 1-based CSV column of `column`, or 0.
    fn column(&self, column: &str) -> usize {
        self.position(column).map_or(0, |i| i + 1)
    }

    fn get(&self, column: &str) -> &str {
        self.position(column)
            .and_then(|i| self.record.get(i))
            .map(str::trim)
            .unwrap_or("")
    }

    /// The cell as owned text, with CRLF line ends inside it made plain `\n`.
    fn text(&self, column: &str) -> String {
        let value = self.get(column);
        if value.contains('\r') {
            value.replace("\r\n", "\n")
        } else {
            value.to_owned()
        }
    }

    fn labels(&self, column: &str) -> Vec<String> {
        split_labels(self.get(column))
    }
}

/// Alternative labels are one per line in the main files and `|`-separated in collections.
fn split_labels(text: &str) -> Vec<String> {
    let separator: &[char] = if text.contains('\n') { &['\n'] } else { &['|'] };
    text.split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Where a concept was defined, for "defined twice" messages and relation checks.
#[derive(Debug, Clone, Copy)]
struct Definition {
    what: &'static str,
    /// Index into `EscoReader::names`.
    file: u32,
    line: usize,
    /// The concept's number, in order of definition: relations are compared by number, not URI.
    number: u32,
}

/// A relation row kept until every file is in, so ends can be checked against all definitions.
#[derive(Debug, Clone)]
struct Pending {
    /// Index into `EscoReader::names`.
    file: u32,
    line: usize,
    /// The 1-based CSV column of each end (in the order of [`Relation::ends`]), 0 if unknown.
    columns: [u32; 4],
    relation: Relation,
}

#[derive(Debug, Clone)]
enum Relation {
    OccupationSkill(OccupationSkill),
    SkillSkill(SkillSkill),
    Broader(Broader),
    Member {
        collection: usize,
        uri: String,
        kinds: &'static [&'static str],
    },
    /// A row of `EscoData::hierarchy`.
    Hierarchy {
        row: usize,
    },
}

/// One end of a relation: the field it is in, its URI and the kinds of concept it may name.
type End<'a> = (&'static str, &'a str, &'static [&'static str]);

const OCCUPATION: &[&str] = &["occupation"];
const SKILL: &[&str] = &["skill"];
const OCC_PILLAR: &[&str] = &["occupation", "ISCO group"];
const SKILL_PILLAR: &[&str] = &["skill", "skill group"];
const HIERARCHY_LEVELS: [(&str, &str, &str); 4] = [
    ("Level 0 URI", "Level 0 preferred term", "Level 0 code"),
    ("Level 1 URI", "Level 1 preferred term", "Level 1 code"),
    ("Level 2 URI", "Level 2 preferred term", "Level 2 code"),
    ("Level 3 URI", "Level 3 preferred term", "Level 3 code"),
];

impl Relation {
    /// The relation's ends, in order; `hierarchy` holds the rows `Hierarchy` points at.
    fn ends<'a>(&'a self, hierarchy: &'a [HierarchyRow]) -> [Option<End<'a>>; 4] {
        let mut ends = [None; 4];
        match self {
            Relation::OccupationSkill(r) => {
                ends[0] = Some(("occupationUri", &*r.occupation, OCCUPATION));
                ends[1] = Some(("skillUri", &*r.skill, SKILL));
            }
            Relation::SkillSkill(r) => {
                ends[0] = Some(("originalSkillUri", &*r.skill, SKILL));
                ends[1] = Some(("relatedSkillUri", &*r.related, SKILL));
            }
            Relation::Broader(r) => {
                let kinds = match r.pillar {
                    Pillar::Occupations => OCC_PILLAR,
                    Pillar::Skills => SKILL_PILLAR,
                };
                ends[0] = Some(("conceptUri", &*r.narrower, kinds));
                ends[1] = Some(("broaderUri", &*r.broader, kinds));
            }
            Relation::Member { uri, kinds, .. } => {
                ends[0] = Some(("conceptUri", uri.as_str(), *kinds));
            }
            Relation::Hierarchy { row } => {
                if let Some(row) = hierarchy.get(*row) {
                    for (end, ((field, _, _), (uri, _, _))) in ends
                        .iter_mut()
                        .zip(HIERARCHY_LEVELS.iter().zip(&row.levels))
                    {
                        *end = Some((*field, uri.as_str(), SKILL_PILLAR));
                    }
                }
            }
        }
        ends
    }
}

/// Reads ESCO files one at a time, then checks them together in [`EscoReader::finish`].
#[derive(Debug, Default)]
pub struct EscoReader {
    options: EscoOptions,
    data: EscoData,
    /// Every file name given, for diagnostics that point back at a file.
    names: Vec<String>,
    defined: UriMap<String, Definition>,
    pending: Vec<Pending>,
    problems: Vec<Diagnostic>,
    seen_kinds: HashSet<String>,
    versions: Vec<(String, String)>,
    /// The URIs relations name, each held once.
    shared: HashSet<Arc<str>, BuildHasherDefault<rustc_hash::FxHasher>>,
}

fn diagnostic(
    file: &str,
    line: usize,
    column: usize,
    field: &str,
    code: &'static str,
    message: String,
) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        line,
        column,
        field: field.to_owned(),
        code,
        message,
    }
}

/// Whether a C0 control character other than tab, line feed and carriage return (which
/// descriptions and label lists hold), or DEL, is in a row's bytes: one pass over each row, and
/// a byte of these is never part of a longer UTF-8 character. C1 controls (U+0080..U+009F) are
/// not refused: ESCO v1.1.1's own descriptions hold 14 of them, the remains of mis-encoded quotes.
fn has_control(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| is_control(char::from(b)))
}

/// A control character that has no place in ESCO's text.
fn is_control(c: char) -> bool {
    c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// A release number in a file or folder name: `esco-v1.1.1-classification-en-csv.zip` gives `1.1.1`.
pub fn version_in_name(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    for (i, _) in lower.match_indices('v') {
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let rest = &lower[i + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let candidate = rest[..end].trim_end_matches('.');
        if boundary
            && candidate.contains('.')
            && candidate.starts_with(|c: char| c.is_ascii_digit())
        {
            return Some(candidate.to_owned());
        }
    }
    None
}

impl EscoReader {
    pub fn new(options: EscoOptions) -> EscoReader {
        EscoReader {
            options,
            ..EscoReader::default()
        }
    }

    /// Notes a release number seen in a zip or folder name (checked against the others in `finish`).
    pub fn saw_version(&mut self, name: &str, version: &str) {
        self.versions.push((name.to_owned(), version.to_owned()));
    }

    /// Reads one file; `name` says which ESCO file it is (with or without `_en`, any folder).
    /// Returns the number of rows read, or `None` for a file that is not one of ESCO's (ignored).
    pub fn add(&mut self, name: &str, reader: impl Read) -> Option<usize> {
        let Some(kind) = kind_of(name) else {
            self.data.ignored_files.push(name.to_owned());
            return None;
        };
        let kind_name = format!("{kind:?}");
        if !self.seen_kinds.insert(kind_name) {
            self.problems.push(diagnostic(
                name,
                0,
                0,
                "",
                "duplicate-file",
                "this ESCO file was given twice".to_owned(),
            ));
            return Some(0);
        }
        self.names.push(name.to_owned());
        let rows = self.read_file(name, &kind, reader);
        self.data.files.push((name.to_owned(), rows));
        Some(rows)
    }

    fn read_file(&mut self, file: &str, kind: &Kind, reader: impl Read) -> usize {
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            // Lines end at '\n' (a '\r' before it is trimmed off with the field's white space):
            // with CRLF as terminator, record positions would lag a line behind.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(reader);
        let mut record = csv::StringRecord::new();
        let header = match csv.read_record(&mut record) {
            Ok(true) => record.clone(),
            Ok(false) => {
                self.problems.push(diagnostic(
                    file,
                    0,
                    0,
                    "",
                    "empty-file",
                    "the file is empty: it has no header row".to_owned(),
                ));
                return 0;
            }
            Err(e) => {
                self.problems.push(csv_error(file, &e));
                return 0;
            }
        };
        let (required, optional) = columns(kind);
        let mut index: Vec<(&'static str, usize)> = Vec::new();
        for column in required.iter().chain(optional) {
            if let Some(i) = header
                .iter()
                .position(|h| h.trim().trim_start_matches('\u{feff}') == *column)
            {
                index.push((column, i));
            }
        }
        let missing: Vec<&str> = required
            .iter()
            .filter(|c| !index.iter().any(|(name, _)| name == *c))
            .copied()
            .collect();
        if !missing.is_empty() {
            for column in missing {
                self.problems.push(diagnostic(
                    file,
                    1,
                    0,
                    column,
                    "missing-column",
                    format!("the header has no column '{column}', which this file needs"),
                ));
            }
            return 0;
        }
        let width = header.len();
        let mut rows = 0;
        loop {
            match csv.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    self.problems.push(csv_error(file, &e));
                    // A syntax error ends the file: what follows cannot be trusted to line up.
                    if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                        break;
                    }
                    continue;
                }
            }
            let line = record.position().map_or(0, |p| p.line() as usize);
            if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
                continue; // a blank line
            }
            rows += 1;
            // The skills hierarchy leaves trailing cells out on shallow rows: they are empty.
            let short_ok = *kind == Kind::Hierarchy && record.len() < width;
            if record.len() != width && !short_ok {
                self.problems.push(diagnostic(
                    file,
                    line,
                    record.len().min(width) + 1,
                    "",
                    "misaligned-row",
                    format!(
                        "this row has {} columns but the header has {width}",
                        record.len()
                    ),
                ));
                continue;
            }
            if has_control(record.as_byte_record().as_slice()) {
                self.control_characters(file, line, &header, &record);
                continue;
            }
            let row = Row {
                record: &record,
                index: &index,
            };
            self.row(file, line, kind, &row);
        }
        rows
    }

    /// Reports each cell of a row holding a control character: a NUL or an escape in a label
    /// is damage (a bad export or encoding), and stored it would reach every page and file
    /// rolemap writes.
    fn control_characters(
        &mut self,
        file: &str,
        line: usize,
        header: &csv::StringRecord,
        record: &csv::StringRecord,
    ) {
        for (i, cell) in record.iter().enumerate() {
            let Some(c) = cell.chars().find(|c| is_control(*c)) else {
                continue;
            };
            let field = header
                .get(i)
                .map_or("", |h| h.trim().trim_start_matches('\u{feff}'));
            self.problems.push(diagnostic(
                file,
                line,
                i + 1,
                field,
                "control-character",
                format!(
                    "'{field}' holds the control character U+{:04X}, which no ESCO text has",
                    u32::from(c)
                ),
            ));
        }
    }

    fn problem(
        &mut self,
        file: &str,
        line: usize,
        row: &Row<'_>,
        field: &'static str,
        code: &'static str,
        message: String,
    ) {
        let column = row.column(field);
        self.problems
            .push(diagnostic(file, line, column, field, code, message));
    }

    /// The URI in `field`, or a problem if it is empty.
    fn uri(
        &mut self,
        file: &str,
        line: usize,
        row: &Row<'_>,
        field: &'static str,
    ) -> Option<String> {
        let value = row.get(field);
        if value.is_empty() {
            self.problem(
                file,
                line,
                row,
                field,
                "missing-value",
                format!("'{field}' is empty"),
            );
            None
        } else {
            Some(value.to_owned())
        }
    }

    /// [`EscoReader::uri`] for the end of a relation: the one copy of that URI.
    fn shared_uri(
        &mut self,
        file: &str,
        line: usize,
        row: &Row<'_>,
        field: &'static str,
    ) -> Option<Arc<str>> {
        let value = row.get(field);
        if value.is_empty() {
            self.uri(file, line, row, field);
            return None;
        }
        if let Some(shared) = self.shared.get(value) {
            return Some(Arc::clone(shared));
        }
        let shared: Arc<str> = Arc::from(value);
        self.shared.insert(Arc::clone(&shared));
        Some(shared)
    }

    fn define(
        &mut self,
        file: &str,
        line: usize,
        row: &Row<'_>,
        field: &'static str,
        what: &'static str,
    ) -> Option<String> {
        let uri = self.uri(file, line, row, field)?;
        if let Some(first) = self.defined.get(&uri) {
            let message = format!(
                "{uri} is defined twice: already as {} at {}:{}",
                first.what,
                self.name(first.file),
                first.line
            );
            self.problem(file, line, row, field, "duplicate-uri", message);
            return None;
        }
        let definition = Definition {
            what,
            file: self.file_number(),
            line,
            number: u32::try_from(self.defined.len()).unwrap_or(u32::MAX),
        };
        self.defined.insert(uri.clone(), definition);
        Some(uri)
    }

    fn importance(
        &mut self,
        file: &str,
        line: usize,
        row: &Row<'_>,
        field: &'static str,
    ) -> Option<Importance> {
        let text = row.get(field);
        match text {
            "essential" => Some(Importance::Essential),
            "optional" => Some(Importance::Optional),
            _ => {
                self.problem(
                    file,
                    line,
                    row,
                    field,
                    "invalid-value",
                    format!("'{text}' is not a relation type: use essential or optional"),
                );
                None
            }
        }
    }

    /// The name of file number `file`.
    fn name(&self, file: u32) -> &str {
        self.names.get(file as usize).map_or("", String::as_str)
    }

    /// The number of the file being read.
    fn file_number(&self) -> u32 {
        u32::try_from(self.names.len().saturating_sub(1)).unwrap_or(u32::MAX)
    }

    /// Keeps a relation for `finish`, with the CSV columns of its ends in `fields`.
    fn pend(&mut self, line: usize, row: &Row<'_>, fields: &[&str], relation: Relation) {
        let mut columns = [0; 4];
        for (column, field) in columns.iter_mut().zip(fields) {
            *column = u32::try_from(row.column(field)).unwrap_or(0);
        }
        self.pending.push(Pending {
            file: self.file_number(),
            line,
            columns,
            relation,
        });
    }

    fn row(&mut self, file: &str, line: usize, kind: &Kind, row: &Row<'_>) {
        match kind {
            Kind::Occupations => {
                let Some(uri) = self.define(file, line, row, "conceptUri", "occupation") else {
                    return;
                };
                self.data.occupations.push(Occupation {
                    uri,
                    preferred_label: row.text("preferredLabel"),
                    alt_labels: row.labels("altLabels"),
                    hidden_labels: row.labels("hiddenLabels"),
                    description: row.text("description"),
                    definition: row.text("definition"),
                    scope_note: row.text("scopeNote"),
                    isco_group: row.text("iscoGroup"),
                    code: row.text("code"),
                    status: row.text("status"),
                    regulated_profession_note: row.text("regulatedProfessionNote"),
                    modified: row.text("modifiedDate"),
                });
            }
            Kind::Skills => {
                let skill_type = row.get("skillType");
                if !matches!(skill_type, "" | "knowledge" | "skill/competence" | "skill") {
                    self.problem(
                        file,
                        line,
                        row,
                        "skillType",
                        "invalid-value",
                        format!(
                            "'{skill_type}' is not a skill type: use knowledge or skill/competence"
                        ),
                    );
                    return;
                }
                let reuse_text = row.get("reuseLevel");
                let reuse = ReuseLevel::parse(reuse_text);
                if reuse.is_none() && !reuse_text.is_empty() {
                    self.problem(
                        file,
                        line,
                        row,
                        "reuseLevel",
                        "invalid-value",
                        format!("'{reuse_text}' is not a reuse level: use transversal, cross-sector, sector-specific or occupation-specific"),
                    );
                    return;
                }
                let Some(uri) = self.define(file, line, row, "conceptUri", "skill") else {
                    return;
                };
                self.data.skills.push(EscoSkill {
                    uri,
                    preferred_label: row.text("preferredLabel"),
                    alt_labels: row.labels("altLabels"),
                    hidden_labels: row.labels("hiddenLabels"),
                    skill_type: skill_type.to_owned(),
                    reuse,
                    description: row.text("description"),
                    definition: row.text("definition"),
                    scope_note: row.text("scopeNote"),
                    status: row.text("status"),
                    modified: row.text("modifiedDate"),
                });
            }
            Kind::IscoGroups => {
                let Some(uri) = self.define(file, line, row, "conceptUri", "ISCO group") else {
                    return;
                };
                self.data.isco_groups.push(IscoGroup {
                    uri,
                    code: row.text("code"),
                    preferred_label: row.text("preferredLabel"),
                    alt_labels: row.labels("altLabels"),
                    description: row.text("description"),
                    status: row.text("status"),
                });
            }
            Kind::SkillGroups => {
                let Some(uri) = self.define(file, line, row, "conceptUri", "skill group") else {
                    return;
                };
                self.data.skill_groups.push(SkillGroup {
                    uri,
                    code: row.text("code"),
                    preferred_label: row.text("preferredLabel"),
                    alt_labels: row.labels("altLabels"),
                    hidden_labels: row.labels("hiddenLabels"),
                    description: row.text("description"),
                    scope_note: row.text("scopeNote"),
                    status: row.text("status"),
                    modified: row.text("modifiedDate"),
                });
            }
            Kind::Schemes => {
                let Some(uri) = self.uri(file, line, row, "conceptSchemeUri") else {
                    return;
                };
                self.data.schemes.push(ConceptScheme {
                    uri,
                    preferred_label: row.text("preferredLabel"),
                    description: row.text("description"),
                });
            }
            Kind::Hierarchy => {
                let mut levels = Vec::new();
                for (uri_col, term_col, code_col) in HIERARCHY_LEVELS {
                    let uri = row.get(uri_col);
                    if uri.is_empty() {
                        break;
                    }
                    levels.push((uri.to_owned(), row.text(term_col), row.text(code_col)));
                }
                if levels.is_empty() {
                    self.problem(
                        file,
                        line,
                        row,
                        "Level 0 URI",
                        "missing-value",
                        "'Level 0 URI' is empty".to_owned(),
                    );
                    return;
                }
                self.data.hierarchy.push(HierarchyRow {
                    levels,
                    description: row.text("Description"),
                    scope_note: row.text("Scope note"),
                });
                let fields = HIERARCHY_LEVELS.map(|(uri_col, _, _)| uri_col);
                let relation = Relation::Hierarchy {
                    row: self.data.hierarchy.len() - 1,
                };
                self.pend(line, row, &fields, relation);
            }
            Kind::OccupationSkills => {
                self.data.occupation_skill_rows += 1;
                let occupation = self.shared_uri(file, line, row, "occupationUri");
                let skill = self.shared_uri(file, line, row, "skillUri");
                let importance = self.importance(file, line, row, "relationType");
                let (Some(occupation), Some(skill), Some(importance)) =
                    (occupation, skill, importance)
                else {
                    return;
                };
                let relation = Relation::OccupationSkill(OccupationSkill {
                    occupation,
                    skill,
                    importance,
                });
                self.pend(line, row, &["occupationUri", "skillUri"], relation);
            }
            Kind::SkillSkills => {
                let skill = self.shared_uri(file, line, row, "originalSkillUri");
                let related = self.shared_uri(file, line, row, "relatedSkillUri");
                let importance = self.importance(file, line, row, "relationType");
                let (Some(skill), Some(related), Some(importance)) = (skill, related, importance)
                else {
                    return;
                };
                let relation = Relation::SkillSkill(SkillSkill {
                    skill,
                    related,
                    importance,
                });
                self.pend(
                    line,
                    row,
                    &["originalSkillUri", "relatedSkillUri"],
                    relation,
                );
            }
            Kind::Broader(pillar) => {
                let narrower = self.shared_uri(file, line, row, "conceptUri");
                let broader = self.shared_uri(file, line, row, "broaderUri");
                let (Some(narrower), Some(broader)) = (narrower, broader) else {
                    return;
                };
                let relation = Relation::Broader(Broader {
                    pillar: *pillar,
                    narrower,
                    broader,
                });
                self.pend(line, row, &["conceptUri", "broaderUri"], relation);
            }
            Kind::Collection { tag, occupations } => {
                let Some(member) = self.uri(file, line, row, "conceptUri") else {
                    return;
                };
                let collection = match self
                    .data
                    .collections
                    .iter()
                    .position(|c| c.tag == *tag && c.occupations == *occupations)
                {
                    Some(i) => i,
                    None => {
                        self.data.collections.push(Collection {
                            tag: tag.clone(),
                            occupations: *occupations,
                            members: Vec::new(),
                        });
                        self.data.collections.len() - 1
                    }
                };
                let relation = Relation::Member {
                    collection,
                    uri: member,
                    kinds: if *occupations { OCCUPATION } else { SKILL },
                };
                self.pend(line, row, &["conceptUri"], relation);
            }
        }
    }

    /// Takes in what `other` (a fresh reader given other files) read, as if this reader had gone
    /// on to read those files itself. Returns false, changing nothing, when the two overlap: a
    /// file kind or a concept both have read, whose duplicate only reading in turn can tell.
    fn append(&mut self, other: EscoReader) -> bool {
        let overlap = other.seen_kinds.iter().any(|k| self.seen_kinds.contains(k))
            || other
                .defined
                .keys()
                .any(|uri| self.defined.contains_key(uri));
        if overlap {
            return false;
        }
        if self.names.is_empty() && self.pending.is_empty() && self.problems.is_empty() {
            // Nothing read yet (at most release numbers noted from folder names): the other
            // reader is taken whole rather than entry by entry; for ESCO's classification that
            // is 20,000 definitions and every concept.
            let mut other = other;
            let versions = std::mem::take(&mut self.versions);
            other.versions.splice(0..0, versions);
            other.options = self.options.clone();
            *self = other;
            return true;
        }
        let files = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let numbers = u32::try_from(self.defined.len()).unwrap_or(u32::MAX);
        let hierarchy = self.data.hierarchy.len();
        let collections = self.data.collections.len();
        let EscoReader {
            options: _,
            data,
            names,
            defined,
            pending,
            problems,
            seen_kinds,
            versions,
            // Only for reading: the other reader is done.
            shared: _,
        } = other;
        self.names.extend(names);
        self.defined.reserve(defined.len());
        for (uri, mut definition) in defined {
            definition.file += files;
            definition.number += numbers;
            self.defined.insert(uri, definition);
        }
        let mut pending = pending;
        for pending in &mut pending {
            pending.file += files;
            match &mut pending.relation {
                Relation::Hierarchy { row } => *row += hierarchy,
                Relation::Member { collection, .. } => *collection += collections,
                _ => {}
            }
        }
        if pending.len() > self.pending.len() {
            // The relations (ESCO has 150,000) stay where they are; the few before them move.
            let before = std::mem::replace(&mut self.pending, pending);
            self.pending.splice(0..0, before);
        } else {
            self.pending.extend(pending);
        }
        self.problems.extend(problems);
        self.seen_kinds.extend(seen_kinds);
        self.versions.extend(versions);
        let EscoData {
            version: _,
            occupations,
            skills,
            isco_groups,
            skill_groups,
            occupation_skills,
            skill_skills,
            broader,
            hierarchy: hierarchy_rows,
            collections: collection_list,
            schemes,
            files: file_list,
            ignored_files,
            skipped,
            occupation_skill_rows,
        } = data;
        let mine = &mut self.data;
        mine.occupations.extend(occupations);
        mine.skills.extend(skills);
        mine.isco_groups.extend(isco_groups);
        mine.skill_groups.extend(skill_groups);
        mine.occupation_skills.extend(occupation_skills);
        mine.skill_skills.extend(skill_skills);
        mine.broader.extend(broader);
        mine.hierarchy.extend(hierarchy_rows);
        mine.collections.extend(collection_list);
        mine.schemes.extend(schemes);
        mine.files.extend(file_list);
        mine.ignored_files.extend(ignored_files);
        mine.skipped.extend(skipped);
        mine.occupation_skill_rows += occupation_skill_rows;
        true
    }

    /// Checks every relation against every definition and returns the model, or every problem.
    pub fn finish(mut self) -> Result<EscoData, Diagnostics> {
        for (kind, file) in RELEASE_FILES {
            if !self.seen_kinds.contains(&format!("{kind:?}")) {
                self.problems.push(diagnostic(
                    file,
                    0,
                    0,
                    "",
                    "missing-file",
                    format!("{file} was not found among the files given: it is needed"),
                ));
            }
        }
        let pending = std::mem::take(&mut self.pending);
        let resolved = resolve_all(&pending, &self.defined, &self.data.hierarchy);
        let relations = pending
            .iter()
            .filter(|p| matches!(p.relation, Relation::OccupationSkill(_)))
            .count();
        let mut pairs: UriMap<(u32, u32), usize> = UriMap::default();
        pairs.reserve(relations);
        self.data.occupation_skills.reserve(relations);
        for (pending, resolved) in pending.into_iter().zip(resolved) {
            let mut dangling = Vec::new();
            // The definition numbers of the ends; where one does not resolve, what is wrong.
            let numbers = resolved.unwrap_or_default();
            let ends = match resolved {
                Some(_) => [None; 4],
                None => pending.relation.ends(&self.data.hierarchy),
            };
            for (end, column) in ends.iter().zip(pending.columns) {
                let Some((field, uri, kinds)) = *end else {
                    continue;
                };
                let found = self.defined.get(uri);
                if found.is_some_and(|d| kinds.contains(&d.what)) {
                    continue;
                }
                let message = match found {
                    Some(d) => format!("{uri} is a {}, not a {}", d.what, kinds.join(" or ")),
                    None => format!(
                        "{uri} is not defined in any file given ({})",
                        kinds.join(" or ")
                    ),
                };
                dangling.push(diagnostic(
                    self.name(pending.file),
                    pending.line,
                    column as usize,
                    field,
                    if found.is_some() {
                        "wrong-kind"
                    } else {
                        "unknown-concept"
                    },
                    message,
                ));
            }
            if !dangling.is_empty() {
                if self.options.skip_dangling
                    && dangling.iter().all(|d| d.code == "unknown-concept")
                {
                    self.data.skipped.extend(dangling);
                } else {
                    self.problems.extend(dangling);
                }
                continue;
            }
            match pending.relation {
                Relation::OccupationSkill(relation) => {
                    // One probe of the map a relation: it is larger than the caches.
                    let first = match pairs.entry((numbers[0], numbers[1])) {
                        Entry::Occupied(first) => *first.get(),
                        Entry::Vacant(vacant) => {
                            vacant.insert(pending.line);
                            self.data.occupation_skills.push(relation);
                            continue;
                        }
                    };
                    let problem = diagnostic(
                        self.name(pending.file),
                        pending.line,
                        0,
                        "skillUri",
                        "duplicate-relation",
                        format!(
                            "{} already has {} (line {first})",
                            relation.occupation, relation.skill
                        ),
                    );
                    self.problems.push(problem);
                }
                Relation::SkillSkill(relation) => self.data.skill_skills.push(relation),
                Relation::Broader(relation) => self.data.broader.push(relation),
                Relation::Member {
                    collection, uri, ..
                } => {
                    if let Some(c) = self.data.collections.get_mut(collection) {
                        c.members.push(uri);
                    }
                }
                Relation::Hierarchy { .. } => {}
            }
        }
        self.data.version = match self.options.version.clone() {
            Some(version) => version,
            None => {
                let mut versions: Vec<&(String, String)> = self.versions.iter().collect();
                versions.sort_by(|a, b| a.1.cmp(&b.1));
                versions.dedup_by(|a, b| a.1 == b.1);
                match versions.as_slice() {
                    [(_, version)] => version.clone(),
                    [] => {
                        self.problems.push(diagnostic(
                            "",
                            0,
                            0,
                            "",
                            "unknown-version",
                            "the ESCO release cannot be told from the file names: give it with --version"
                                .to_owned(),
                        ));
                        String::new()
                    }
                    several => {
                        let list: Vec<String> = several
                            .iter()
                            .map(|(name, v)| format!("{v} ({name})"))
                            .collect();
                        self.problems.push(diagnostic(
                            "",
                            0,
                            0,
                            "",
                            "mixed-versions",
                            format!(
                                "the files come from different ESCO releases: {}",
                                list.join(", ")
                            ),
                        ));
                        String::new()
                    }
                }
            }
        };
        if self.problems.is_empty() {
            Ok(self.data)
        } else {
            Err(Diagnostics(self.problems))
        }
    }
}

/// The definition numbers of a relation's ends, or `None` if one names no concept of its kinds.
fn resolve(
    relation: &Relation,
    defined: &UriMap<String, Definition>,
    hierarchy: &[HierarchyRow],
) -> Option<[u32; 4]> {
    let mut numbers = [0u32; 4];
    for (end, number) in relation.ends(hierarchy).iter().zip(&mut numbers) {
        let Some((_, uri, kinds)) = *end else {
            continue;
        };
        *number = defined.get(uri).filter(|d| kinds.contains(&d.what))?.number;
    }
    Some(numbers)
}

/// [`resolve`] for every pending relation, on as many threads as there are cores when there are
/// many (ESCO has 160,000: each end a lookup by URI).
fn resolve_all(
    pending: &[Pending],
    defined: &UriMap<String, Definition>,
    hierarchy: &[HierarchyRow],
) -> Vec<Option<[u32; 4]>> {
    let mut resolved = vec![None; pending.len()];
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || pending.len() < 10_000 {
        for (p, out) in pending.iter().zip(&mut resolved) {
            *out = resolve(&p.relation, defined, hierarchy);
        }
        return resolved;
    }
    let chunk = pending.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for (part, out) in pending.chunks(chunk).zip(resolved.chunks_mut(chunk)) {
            scope.spawn(move || {
                for (p, out) in part.iter().zip(out) {
                    *out = resolve(&p.relation, defined, hierarchy);
                }
            });
        }
    });
    resolved
}

fn csv_error(file: &str, error: &csv::Error) -> Diagnostic {
    let line = error.position().map_or(0, |p| p.line() as usize);
    let message = match error.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("the row is not valid UTF-8 (column {})", err.field() + 1)
        }
        _ => error.to_string(),
    };
    diagnostic(file, line, 0, "", "malformed-csv", message)
}

/// Reads ESCO from paths: the classification zip and the relations zip as downloaded, the folders
/// they unpack to, a folder holding the zips, or single CSV files, in any order. The release is
/// taken from the names (`esco-v1.1.1-...`) unless `options.version` gives it. `progress` hears of
/// each file read, with its row count.
///
/// The zips (or CSV files) are read in parallel, one reader each, and their readers joined in
/// the order of the paths: the result is the same as reading them one after the other. Where two
/// of them overlap (the same file kind or concept in both), they are read again one after the
/// other, so that the later one is the duplicate, as it would be.
pub fn open(
    paths: &[PathBuf],
    options: EscoOptions,
    progress: &mut dyn FnMut(&str, usize),
) -> Result<EscoData, Diagnostics> {
    let mut steps = Vec::new();
    for path in paths {
        collect_steps(path, &mut steps);
    }
    let sources = steps.iter().filter(|s| s.is_source()).count();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(sources);
    let joined = if threads > 1 {
        read_in_parallel(&steps, &options, threads)
    } else {
        None
    };
    let (reader, mut problems) = match joined {
        Some((reader, problems, calls)) => {
            for (name, rows) in calls {
                progress(&name, rows);
            }
            (reader, problems)
        }
        None => read_in_turn(&steps, options, progress),
    };
    let result = reader.finish();
    if problems.is_empty() {
        return result;
    }
    if let Err(more) = result {
        problems.extend(more.0);
    }
    Err(Diagnostics(problems))
}

/// What reading the paths comes to, in order: release numbers in folder and zip names, folders
/// that cannot be listed, and the zips and CSV files to read.
#[derive(Debug)]
enum Step {
    Version(String),
    Problem(Diagnostic),
    Zip(PathBuf),
    Csv(PathBuf),
}

impl Step {
    fn is_source(&self) -> bool {
        matches!(self, Step::Zip(_) | Step::Csv(_))
    }
}

fn collect_steps(path: &Path, steps: &mut Vec<Step>) {
    let name = path.display().to_string();
    if path.is_dir() {
        if let Some(dir) = path.file_name() {
            steps.push(Step::Version(dir.to_string_lossy().into_owned()));
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                steps.push(Step::Problem(io_problem(path, e)));
                return;
            }
        };
        entries.sort();
        for entry in entries {
            let lower = entry.to_string_lossy().to_ascii_lowercase();
            if entry.is_dir() || lower.ends_with(".csv") || lower.ends_with(".zip") {
                collect_steps(&entry, steps);
            }
        }
    } else if name.to_ascii_lowercase().ends_with(".zip") {
        if let Some(file) = path.file_name() {
            steps.push(Step::Version(file.to_string_lossy().into_owned()));
        }
        steps.push(Step::Zip(path.to_owned()));
    } else {
        steps.push(Step::Csv(path.to_owned()));
    }
}

/// What reading one zip or CSV file gave besides the reader's model: the files read with their
/// row counts (for progress) and the problems opening them.
#[derive(Debug, Default)]
struct SourceRead {
    files: Vec<(String, usize)>,
    problems: Vec<Diagnostic>,
}

/// Reads every step with one reader, one file after the other.
fn read_in_turn(
    steps: &[Step],
    options: EscoOptions,
    progress: &mut dyn FnMut(&str, usize),
) -> (EscoReader, Vec<Diagnostic>) {
    let mut reader = EscoReader::new(options);
    let mut problems = Vec::new();
    for step in steps {
        match step {
            Step::Version(name) => note_version(&mut reader, name),
            Step::Problem(problem) => problems.push(problem.clone()),
            Step::Zip(_) | Step::Csv(_) => {
                let read = read_source(step, &mut reader);
                for (name, rows) in &read.files {
                    progress(name, *rows);
                }
                problems.extend(read.problems);
            }
        }
    }
    (reader, problems)
}

/// Reads each zip or CSV file with a reader of its own on `threads` threads, then joins the
/// readers in order; `None` if two of them overlap. Also returns the progress calls to make.
#[allow(clippy::type_complexity)]
fn read_in_parallel(
    steps: &[Step],
    options: &EscoOptions,
    threads: usize,
) -> Option<(EscoReader, Vec<Diagnostic>, Vec<(String, usize)>)> {
    let sources: Vec<&Step> = steps.iter().filter(|s| s.is_source()).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<(EscoReader, SourceRead)>>> = sources
        .iter()
        .map(|_| std::sync::Mutex::new(None))
        .collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let (Some(step), Some(slot)) = (sources.get(i), slots.get(i)) else {
                        break;
                    };
                    let mut reader = EscoReader::new(options.clone());
                    let read = read_source(step, &mut reader);
                    if let Ok(mut slot) = slot.lock() {
                        *slot = Some((reader, read));
                    }
                }
            });
        }
    });
    let mut reads = slots
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten());
    let mut reader = EscoReader::new(options.clone());
    let mut problems = Vec::new();
    let mut calls = Vec::new();
    for step in steps {
        match step {
            Step::Version(name) => note_version(&mut reader, name),
            Step::Problem(problem) => problems.push(problem.clone()),
            Step::Zip(_) | Step::Csv(_) => {
                let (source, read) = reads.next()??;
                if !reader.append(source) {
                    return None;
                }
                calls.extend(read.files);
                problems.extend(read.problems);
            }
        }
    }
    Some((reader, problems, calls))
}

fn io_problem(path: &Path, error: impl std::fmt::Display) -> Diagnostic {
    diagnostic(
        &path.display().to_string(),
        0,
        0,
        "",
        "unreadable",
        format!("cannot read: {error}"),
    )
}

fn note_version(reader: &mut EscoReader, name: &str) {
    if let Some(version) = version_in_name(name) {
        reader.saw_version(name, &version);
    }
}

/// Reads one zip (every CSV in it) or one CSV file into `reader`.
fn read_source(step: &Step, reader: &mut EscoReader) -> SourceRead {
    let mut read = SourceRead::default();
    match step {
        Step::Zip(path) => {
            let name = path.display().to_string();
            let file = match File::open(path) {
                Ok(file) => file,
                Err(e) => {
                    read.problems.push(io_problem(path, e));
                    return read;
                }
            };
            let mut archive = match zip::ZipArchive::new(BufReader::new(file)) {
                Ok(archive) => archive,
                Err(e) => {
                    read.problems.push(io_problem(path, e));
                    return read;
                }
            };
            for i in 0..archive.len() {
                let entry = match archive.by_index(i) {
                    Ok(entry) => entry,
                    Err(e) => {
                        read.problems.push(io_problem(path, e));
                        continue;
                    }
                };
                if entry.is_dir() {
                    continue;
                }
                let entry_name = match entry.name() {
                    Ok(entry_name) => entry_name.into_owned(),
                    Err(e) => {
                        read.problems.push(io_problem(path, e));
                        continue;
                    }
                };
                if !entry_name.to_ascii_lowercase().ends_with(".csv") {
                    continue;
                }
                let shown = format!("{name}/{entry_name}");
                if let Some(rows) = reader.add(&shown, BufReader::with_capacity(1 << 16, entry)) {
                    read.files.push((shown, rows));
                }
            }
        }
        Step::Csv(path) => {
            let name = path.display().to_string();
            match File::open(path) {
                Ok(file) => {
                    if let Some(rows) = reader.add(&name, BufReader::with_capacity(1 << 16, file)) {
                        read.files.push((name, rows));
                    }
                }
                Err(e) => read.problems.push(io_problem(path, e)),
            }
        }
        Step::Version(_) | Step::Problem(_) => {}
    }
    read
}

/// The framework ESCO is stored as (key, name, version, licence, ...).
pub fn framework_meta(data: &EscoData) -> FrameworkMeta {
    FrameworkMeta {
        key: FRAMEWORK_KEY.to_owned(),
        name: "ESCO".to_owned(),
        version: data.version.clone(),
        source: "https://esco.ec.europa.eu/".to_owned(),
        licence: "European Commission reuse policy (Decision 2011/833/EU): reuse allowed with acknowledgement of the source".to_owned(),
        attribution: ATTRIBUTION.to_owned(),
        description: "European Skills, Competences, Qualifications and Occupations".to_owned(),
    }
}

/// ESCO as a framework bundle: occupations as roles (codes ESCO and ISCO), skills as skills with
/// their collections as tags, occupation-skill relations as requirements without levels.
pub fn to_bundle(data: &EscoData) -> FrameworkBundle {
    let mut tags: HashMap<&str, Vec<String>> = HashMap::new();
    for collection in data.collections.iter().filter(|c| !c.occupations) {
        for member in &collection.members {
            tags.entry(member.as_str())
                .or_default()
                .push(collection.tag.clone());
        }
    }
    let skills = data
        .skills
        .iter()
        .map(|s| SkillDef {
            key: s.uri.clone(),
            label: s.preferred_label.clone(),
            alt_labels: s.alt_labels.clone(),
            description: s.description.clone(),
            kind: if s.skill_type == "knowledge" {
                SkillKind::Knowledge
            } else {
                SkillKind::Skill
            },
            reuse: s.reuse,
            tags: tags.remove(s.uri.as_str()).unwrap_or_default(),
            scale: None,
        })
        .collect();
    let mut requirements: HashMap<&str, Vec<RequirementDef>> = HashMap::new();
    for relation in &data.occupation_skills {
        requirements
            .entry(&*relation.occupation)
            .or_default()
            .push(RequirementDef {
                skill: relation.skill.to_string(),
                importance: relation.importance,
                emphasis: false,
                levels: Vec::new(),
                level: None,
                note: String::new(),
            });
    }
    let roles = data
        .occupations
        .iter()
        .map(|o| {
            let mut codes = Vec::new();
            if !o.code.is_empty() {
                codes.push(Code {
                    scheme: "ESCO".to_owned(),
                    value: o.code.clone(),
                });
            }
            if !o.isco_group.is_empty() {
                codes.push(Code {
                    scheme: "ISCO".to_owned(),
                    value: o.isco_group.clone(),
                });
            }
            RoleDef {
                key: o.uri.clone(),
                title: o.preferred_label.clone(),
                alt_titles: o.alt_labels.clone(),
                typical_titles: Vec::new(),
                summary: String::new(),
                description: o.description.clone(),
                family: None,
                level: None,
                ladder: None,
                grades: Vec::new(),
                codes,
                duties: Vec::new(),
                responsibilities: Vec::new(),
                routes_in: String::new(),
                transferable_skills: String::new(),
                typical_employers: String::new(),
                duration: String::new(),
                dimensions: Vec::new(),
                requirements: requirements.remove(o.uri.as_str()).unwrap_or_default(),
            }
        })
        .collect();
    FrameworkBundle {
        framework: framework_meta(data),
        scales: Vec::new(),
        ladders: Vec::new(),
        families: Vec::new(),
        skills,
        roles,
        links: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_with_or_without_language_suffix() {
        assert_eq!(kind_of("x/occupations_en.csv"), Some(Kind::Occupations));
        assert_eq!(kind_of("Occupations.csv"), Some(Kind::Occupations));
        assert_eq!(kind_of("skillGroups_en.csv"), Some(Kind::SkillGroups));
        assert_eq!(
            kind_of("digCompSkillsCollection_en.csv"),
            Some(Kind::Collection {
                tag: "digcomp".to_owned(),
                occupations: false
            })
        );
        assert_eq!(
            kind_of("researchOccupationsCollection.csv"),
            Some(Kind::Collection {
                tag: "research".to_owned(),
                occupations: true
            })
        );
        assert_eq!(kind_of("readme.txt"), None);
        assert_eq!(kind_of("notes.csv"), None);
    }

    #[test]
    fn versions_from_names() {
        assert_eq!(
            version_in_name("esco-v1.1.1-classification-en-csv.zip").as_deref(),
            Some("1.1.1")
        );
        assert_eq!(
            version_in_name("ESCO dataset - v1.2.0 - classification").as_deref(),
            Some("1.2.0")
        );
        assert_eq!(version_in_name("esco-relations"), None);
    }
}
