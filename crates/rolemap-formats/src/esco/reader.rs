//! [`EscoReader`]: reads ESCO CSV files one at a time and checks them together.

use super::*;

/// A hash map keyed by URIs: FxHash, as keys come from the files read, not from an attacker
/// who could aim at collisions (a release has some 30,000 concepts).
pub(super) type UriMap<K, V> = HashMap<K, V, BuildHasherDefault<rustc_hash::FxHasher>>;

/// One row with its columns found by name.
pub(super) struct Row<'a> {
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
pub(super) fn split_labels(text: &str) -> Vec<String> {
    let separator: &[char] = if text.contains('\n') { &['\n'] } else { &['|'] };
    text.split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
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

pub(super) fn diagnostic(
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
pub(super) fn has_control(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| is_control(char::from(b)))
}

/// A control character that has no place in ESCO's text.
pub(super) fn is_control(c: char) -> bool {
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
    pub(super) fn append(&mut self, other: EscoReader) -> bool {
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

pub(super) fn csv_error(file: &str, error: &csv::Error) -> Diagnostic {
    let line = error.position().map_or(0, |p| p.line() as usize);
    let message = match error.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("the row is not valid UTF-8 (column {})", err.field() + 1)
        }
        _ => error.to_string(),
    };
    diagnostic(file, line, 0, "", "malformed-csv", message)
}
