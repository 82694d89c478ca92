//! OSMT's skills CSV: its batch-import layout read (the current column names and the older
//! "Skill Name"/"BLS Major Group" ones), and its export layout written.
//!
//! A row becomes an RSD with API v3 field names; list cells are split at `;` and trimmed, blanks
//! and repeats dropped (as OSMT does). The occupation columns hold SOC codes at one level each
//! (major group 15-0000, minor group 15-1200, broad occupation 15-1240, detailed occupation
//! 15-1244, O*NET code 15-1244.00); each becomes an occupation with its parents worked out from
//! the code. Written back, each column holds the distinct codes at its level of the skill's
//! occupations, in order, so a file written, read and written again is the same bytes.

use super::*;

/// The columns [`write_csv`] writes, which [`read_csv`] reads back: OSMT's batch-import layout
/// with the canonical URL first (OSMT's export), then `Alignment N ...` triples past the first,
/// then the collections.
pub const CSV_COLUMNS: [&str; 17] = [
    "Canonical URL",
    "RSD Name",
    "Authors",
    "Skill Statement",
    "Categories",
    "Keywords",
    "Standards",
    "Certifications",
    "Occupation Major Groups",
    "Occupation Minor Groups",
    "Broad Occupations",
    "Detailed Occupations",
    "O*NET Job Codes",
    "Employers",
    "Alignment Name",
    "Alignment URL",
    "Alignment Framework",
];

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Url,
    Name,
    Authors,
    Statement,
    Categories,
    Keywords,
    Standards,
    Certifications,
    Occupations(Level),
    Employers,
    Collections,
    Status,
    PublishDate,
    ArchiveDate,
    /// The n-th alignment's (0-based) name, URL or framework.
    Alignment(usize, AlignmentPart),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AlignmentPart {
    Name,
    Url,
    Framework,
}

/// A level of the SOC code hierarchy, as OSMT names them in an occupation's `parents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Major,
    Minor,
    Broad,
    Detailed,
    Onet,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Major => "Major",
            Level::Minor => "Minor",
            Level::Broad => "Broad",
            Level::Detailed => "Detailed",
            Level::Onet => "Onet",
        }
    }
}

/// The code at `level` of a SOC or O*NET-SOC code (`15-1244.00`), if the code reaches that level:
/// the major group is `15-0000`, the minor group `15-1200`, the broad occupation `15-1240`, the
/// detailed occupation `15-1244`, and the O*NET occupation the whole code. `None` for a code that
/// is not of that shape.
pub fn soc_code(code: &str, level: Level) -> Option<String> {
    let code = code.trim();
    let (soc, onet) = match code.split_once('.') {
        Some((soc, suffix)) => (soc, Some(suffix)),
        None => (code, None),
    };
    let bytes = soc.as_bytes();
    let shaped = bytes.len() == 7
        && bytes[2] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 2 || b.is_ascii_digit());
    if !shaped || onet.is_some_and(|s| s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let deep = |from: usize| soc[from..].bytes().any(|b| b != b'0');
    let reaches = match level {
        Level::Major => true,
        Level::Minor => deep(3),
        Level::Broad => deep(5),
        Level::Detailed => deep(6),
        Level::Onet => onet.is_some(),
    };
    if !reaches {
        return None;
    }
    Some(match level {
        Level::Major => format!("{}-0000", &soc[..2]),
        Level::Minor => format!("{}00", &soc[..5]),
        Level::Broad => format!("{}0", &soc[..6]),
        Level::Detailed => soc.to_owned(),
        Level::Onet => code.to_owned(),
    })
}

/// The deepest level a code reaches (`None`: not a SOC code).
fn level_of(code: &str) -> Option<Level> {
    [
        Level::Onet,
        Level::Detailed,
        Level::Broad,
        Level::Minor,
        Level::Major,
    ]
    .into_iter()
    .find(|level| soc_code(code, *level).is_some())
}

fn column(header: &str) -> Option<Column> {
    let header = header.trim().to_ascii_lowercase();
    let fixed = match header.as_str() {
        "canonical url" => Column::Url,
        "rsd name" | "skill name" => Column::Name,
        "authors" | "author" => Column::Authors,
        "skill statement" | "contextualized skill statement" => Column::Statement,
        "categories" | "category" | "skill category" => Column::Categories,
        "keywords" => Column::Keywords,
        "standards" | "professional standards" => Column::Standards,
        "certifications" => Column::Certifications,
        "occupation major groups" | "bls major group" => Column::Occupations(Level::Major),
        "occupation minor groups" | "bls minor group" => Column::Occupations(Level::Minor),
        "broad occupations" | "bls broad occupation" => Column::Occupations(Level::Broad),
        "detailed occupations" | "bls detailed occupation" => Column::Occupations(Level::Detailed),
        "o*net job codes" | "o*net job role" | "job codes" => Column::Occupations(Level::Onet),
        "employers" | "employer" => Column::Employers,
        "collections" | "collection" => Column::Collections,
        "publish status" => Column::Status,
        "publish date" => Column::PublishDate,
        "archive date" => Column::ArchiveDate,
        "alignment name" | "alignment title" => Column::Alignment(0, AlignmentPart::Name),
        "alignment url" | "alignment" => Column::Alignment(0, AlignmentPart::Url),
        "alignment framework" => Column::Alignment(0, AlignmentPart::Framework),
        _ => {
            // "Alignment 2 Name", "Alignment 2 URL", "Alignment 2 Framework", ...
            let rest = header.strip_prefix("alignment ")?;
            let (n, part) = rest.split_once(' ')?;
            let n: usize = n.parse().ok().filter(|n| *n >= 2)?;
            let part = match part {
                "name" | "title" => AlignmentPart::Name,
                "url" => AlignmentPart::Url,
                "framework" => AlignmentPart::Framework,
                _ => return None,
            };
            return Some(Column::Alignment(n - 1, part));
        }
    };
    Some(fixed)
}

/// The entries of a list cell: split at `;`, trimmed, blanks and repeats dropped, in order.
fn split(cell: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for entry in cell.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        if !entries.iter().any(|e| e == entry) {
            entries.push(entry.to_owned());
        }
    }
    entries
}

fn named(key: &str, names: Vec<String>) -> Value {
    Value::Array(
        names
            .into_iter()
            .map(|name| {
                let mut object = Map::new();
                object.insert(key.to_owned(), Value::from(name));
                Value::Object(object)
            })
            .collect(),
    )
}

/// An occupation of `code` as OSMT writes it: the code, its level, and its parents from the
/// major group down to itself.
fn occupation(code: &str, level: Level) -> Value {
    let mut object = Map::new();
    object.insert("code".to_owned(), Value::from(code));
    object.insert("level".to_owned(), Value::from(level.as_str()));
    if level != Level::Onet {
        object.insert("frameworkName".to_owned(), Value::from("bls"));
    }
    let parents: Vec<Value> = [
        Level::Major,
        Level::Minor,
        Level::Broad,
        Level::Detailed,
        Level::Onet,
    ]
    .into_iter()
    .filter(|l| *l <= level)
    .filter_map(|l| {
        let code = soc_code(code, l)?;
        let mut parent = Map::new();
        parent.insert("code".to_owned(), Value::from(code));
        parent.insert("level".to_owned(), Value::from(l.as_str()));
        Some(Value::Object(parent))
    })
    .collect();
    object.insert("parents".to_owned(), Value::Array(parents));
    Value::Object(object)
}

/// Reads OSMT's skills CSV (batch-import or export layout) as a list of RSDs. Every column must
/// be one OSMT writes or reads (so nothing is dropped unseen), a row needs a name and a
/// statement, and an occupation cell holds codes of its column's level. Every problem at once.
pub fn read_csv(name: &str, reader: impl Read) -> Result<RsdPackage, Diagnostics> {
    let mut problems = Vec::new();
    let mut csv = csv::ReaderBuilder::new()
        .flexible(false)
        .has_headers(true)
        .from_reader(reader);
    let problem = |line: usize, column: usize, field: &str, code, message: String| Diagnostic {
        file: name.to_owned(),
        line,
        column,
        field: field.to_owned(),
        code,
        message,
    };
    let headers = match csv.headers() {
        Ok(headers) => headers.clone(),
        Err(e) => {
            return Err(Diagnostics(vec![problem(
                1,
                1,
                "",
                "invalid-csv",
                format!("cannot read the header row: {e}"),
            )]));
        }
    };
    let mut columns = Vec::with_capacity(headers.len());
    for (i, header) in headers.iter().enumerate() {
        let header = header.trim_start_matches('\u{feff}');
        match column(header) {
            Some(c) => columns.push(Some(c)),
            None if header.trim().is_empty() => columns.push(None),
            None => {
                problems.push(problem(
                    1,
                    i + 1,
                    header,
                    "unknown-column",
                    format!(
                        "'{header}' is not a column of OSMT's skills CSV ({} ...)",
                        CSV_COLUMNS.join(", ")
                    ),
                ));
                columns.push(None);
            }
        }
    }
    for needed in [Column::Name, Column::Statement] {
        if !columns.contains(&Some(needed)) {
            problems.push(problem(
                1,
                1,
                if needed == Column::Name {
                    "RSD Name"
                } else {
                    "Skill Statement"
                },
                "missing-column",
                "the CSV needs an 'RSD Name' (or 'Skill Name') and a 'Skill Statement' column"
                    .to_owned(),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let mut skills = Vec::new();
    let mut uuids: HashMap<String, usize> = HashMap::new();
    for record in csv.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(problem(line, 0, "", "invalid-csv", format!("{e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let mut skill = Map::new();
        skill.insert("type".to_owned(), Value::from("RichSkillDescriptor"));
        let mut occupations: Vec<(String, Level)> = Vec::new();
        let mut alignments: Vec<[String; 3]> = Vec::new();
        for (i, cell) in record.iter().enumerate() {
            let Some(Some(column)) = columns.get(i) else {
                continue;
            };
            let header = headers.get(i).unwrap_or("");
            let cell = cell.trim();
            match *column {
                Column::Url if !cell.is_empty() => {
                    skill.insert("id".to_owned(), Value::from(cell));
                }
                Column::Name => {
                    skill.insert("skillName".to_owned(), Value::from(cell));
                }
                Column::Statement => {
                    skill.insert("skillStatement".to_owned(), Value::from(cell));
                }
                Column::Authors => {
                    skill.insert("authors".to_owned(), Value::from(split(cell)));
                }
                Column::Categories => {
                    skill.insert("categories".to_owned(), Value::from(split(cell)));
                }
                Column::Keywords => {
                    skill.insert("keywords".to_owned(), Value::from(split(cell)));
                }
                Column::Standards => {
                    skill.insert("standards".to_owned(), named("skillName", split(cell)));
                }
                Column::Certifications => {
                    skill.insert("certifications".to_owned(), named("name", split(cell)));
                }
                Column::Employers => {
                    skill.insert("employers".to_owned(), named("name", split(cell)));
                }
                Column::Collections => {
                    skill.insert("collections".to_owned(), named("name", split(cell)));
                }
                Column::Status if !cell.is_empty() => {
                    skill.insert("status".to_owned(), Value::from(cell));
                }
                Column::PublishDate if !cell.is_empty() => {
                    skill.insert("publishDate".to_owned(), Value::from(cell));
                }
                Column::ArchiveDate if !cell.is_empty() => {
                    skill.insert("archiveDate".to_owned(), Value::from(cell));
                }
                Column::Occupations(level) => {
                    for code in split(cell) {
                        if soc_code(&code, level).as_deref() == Some(code.as_str()) {
                            if !occupations.iter().any(|(c, _)| *c == code) {
                                occupations.push((code, level));
                            }
                        } else {
                            problems.push(problem(
                                line,
                                i + 1,
                                header,
                                "invalid-value",
                                format!(
                                    "'{code}' is not a code of this column's level ({}: e.g. {})",
                                    level.as_str(),
                                    soc_code("15-1244.00", level).unwrap_or_default()
                                ),
                            ));
                        }
                    }
                }
                Column::Alignment(n, part) if !cell.is_empty() => {
                    if alignments.len() <= n {
                        alignments.resize(n + 1, Default::default());
                    }
                    alignments[n][part as usize] = cell.to_owned();
                }
                _ => {}
            }
        }
        for key in ["skillName", "skillStatement"] {
            if text(&skill, key).is_empty() {
                problems.push(problem(
                    line,
                    0,
                    if key == "skillName" {
                        "RSD Name"
                    } else {
                        "Skill Statement"
                    },
                    "missing-value",
                    "a skill needs a name and a statement".to_owned(),
                ));
            }
        }
        if !occupations.is_empty() {
            let occupations = occupations
                .iter()
                .map(|(code, level)| occupation(code, *level))
                .collect();
            skill.insert("occupations".to_owned(), Value::Array(occupations));
        }
        let alignments: Vec<Value> = alignments
            .into_iter()
            .filter(|a| a.iter().any(|part| !part.is_empty()))
            .map(|[name, url, framework]| {
                let mut alignment = Map::new();
                if !name.is_empty() {
                    alignment.insert("skillName".to_owned(), Value::from(name));
                }
                if !url.is_empty() {
                    alignment.insert("id".to_owned(), Value::from(url));
                }
                if !framework.is_empty() {
                    let mut part_of = Map::new();
                    part_of.insert("name".to_owned(), Value::from(framework));
                    alignment.insert("isPartOf".to_owned(), Value::Object(part_of));
                }
                Value::Object(alignment)
            })
            .collect();
        if !alignments.is_empty() {
            skill.insert("alignments".to_owned(), Value::Array(alignments));
        }
        // The identifier: the canonical URL's last segment (after its last / or :), else one derived from the name and
        // statement (repeats numbered), so that the same file always gives the same keys.
        let base = match text(&skill, "id") {
            "" => name_uuid(&format!(
                "rolemap:rsd-csv:{}\n{}",
                text(&skill, "skillName"),
                text(&skill, "skillStatement")
            )),
            url => url
                .trim_end_matches('/')
                .rsplit(['/', ':'])
                .next()
                .filter(|segment| !segment.is_empty())
                .unwrap_or(url)
                .to_owned(),
        };
        let seen = uuids.entry(base.clone()).or_insert(0);
        *seen += 1;
        let uuid = if *seen == 1 {
            base
        } else if skill.contains_key("id") {
            problems.push(problem(
                line,
                1,
                "Canonical URL",
                "duplicate-identifier",
                format!("{base} names an earlier row's skill too"),
            ));
            continue;
        } else {
            name_uuid(&format!("{base}:{seen}"))
        };
        skill.insert("uuid".to_owned(), Value::from(uuid));
        skills.push(skill);
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    Ok(RsdPackage {
        shape: Shape::List,
        collection: None,
        skills,
    })
}

/// The names of a list of objects (`key` of each; a plain string as it is).
fn names<'a>(skill: &'a Map<String, Value>, list: &str, keys: &[&str]) -> Vec<&'a str> {
    skill
        .get(list)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|entry| match entry {
            Value::String(s) => Some(s.as_str()),
            Value::Object(object) => keys.iter().map(|k| text(object, k)).find(|v| !v.is_empty()),
            _ => None,
        })
        .collect()
}

/// Writes the skills as OSMT's skills CSV ([`CSV_COLUMNS`], one `Alignment N` triple more for
/// each alignment past the first that any skill has, then `Collections`); list cells joined
/// with "; ", as OSMT writes them.
pub fn write_csv(package: &RsdPackage, out: impl Write) -> std::io::Result<()> {
    let alignment_count = package
        .skills
        .iter()
        .map(|s| {
            s.get("alignments")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let mut header: Vec<String> = CSV_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    for n in 2..=alignment_count {
        header.extend(["Name", "URL", "Framework"].map(|part| format!("Alignment {n} {part}")));
    }
    header.push("Collections".to_owned());
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    csv.write_record(&header)?;
    for skill in &package.skills {
        let codes: Vec<&str> = skill
            .get("occupations")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|o| o.get("code").and_then(Value::as_str))
            .collect();
        let at_level = |level: Level| {
            let mut found: Vec<String> = Vec::new();
            for code in &codes {
                let code = match soc_code(code, level) {
                    Some(code) => code,
                    // A code of no SOC shape goes, whole, to the detailed column.
                    None if level == Level::Detailed && level_of(code).is_none() => {
                        (*code).to_owned()
                    }
                    None => continue,
                };
                if !found.contains(&code) {
                    found.push(code);
                }
            }
            found.join("; ")
        };
        let mut row = vec![
            text(skill, "id").to_owned(),
            text(skill, "skillName").to_owned(),
            strings(skill, "authors", "author").join("; "),
            text(skill, "skillStatement").to_owned(),
            strings(skill, "categories", "category").join("; "),
            strings(skill, "keywords", "").join("; "),
            names(skill, "standards", &["skillName", "name", "id"]).join("; "),
            names(skill, "certifications", &["name", "skillName", "id"]).join("; "),
            at_level(Level::Major),
            at_level(Level::Minor),
            at_level(Level::Broad),
            at_level(Level::Detailed),
            at_level(Level::Onet),
            names(skill, "employers", &["name", "skillName", "id"]).join("; "),
        ];
        let alignments = skill
            .get("alignments")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for n in 0..alignment_count {
            let alignment = alignments.get(n).and_then(Value::as_object);
            let part = |key: &str| alignment.map_or("", |a| text(a, key)).to_owned();
            let framework = alignment
                .and_then(|a| a.get("isPartOf"))
                .and_then(Value::as_object)
                .map_or("", |p| text(p, "name"))
                .to_owned();
            row.extend([part("skillName"), part("id"), framework]);
        }
        row.push(names(skill, "collections", &["name", "uuid"]).join("; "));
        csv.write_record(&row)?;
    }
    csv.flush()
}
