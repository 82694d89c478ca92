//! A whole rolemap framework as a spreadsheet (XLSX, or one CSV file holding every sheet): the
//! layout `docs/formats.md` documents, written from a framework and read back into one.
//!
//! Sheets, in order: `framework` (field, value), `scale levels` (a row per level, lowest first),
//! `grades` (a row per grade, lowest first), `families`, `skills`, `roles`, `codes` and
//! `dimensions` (a row per role's code or dimension), `requirements` (a row per requirement,
//! with a column per grade code holding the minimum level at that grade), `links`. A cell
//! holding a list (alternative labels, tags, titles, a role's grades, duties, responsibilities)
//! holds one entry per line.
//!
//! Reading builds the framework document (TOML) the sheets describe and reads it with
//! [`read_framework`], so a spreadsheet is checked by exactly the rules of a framework file;
//! each problem is then pointed at its sheet, row and column (`skills!H5 scale`).

use std::collections::HashMap;

use rolemap_core::bundle::FrameworkBundle;
use toml::{Table, Value};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::framework_doc::read_framework;
use crate::sheets::{Sheet, SheetRow, Workbook, column_letters};

/// The sheets of the layout and their fixed columns (`requirements` has a column per grade code
/// after these).
pub const LAYOUT: [(&str, &[&str]); 10] = [
    ("framework", &["field", "value"]),
    (
        "scale levels",
        &["scale", "scale name", "code", "name", "descriptor"],
    ),
    ("grades", &["ladder", "ladder name", "code", "name"]),
    ("families", &["key", "name", "description"]),
    (
        "skills",
        &[
            "key",
            "label",
            "alt labels",
            "description",
            "kind",
            "reuse level",
            "tags",
            "scale",
        ],
    ),
    (
        "roles",
        &[
            "key",
            "title",
            "alt titles",
            "typical titles",
            "summary",
            "description",
            "family",
            "level",
            "grade ladder",
            "grades",
            "duties",
            "responsibilities",
            "routes in",
            "transferable skills",
            "typical employers",
            "duration",
        ],
    ),
    ("codes", &["role", "scheme", "value"]),
    ("dimensions", &["role", "key", "name", "text"]),
    (
        "requirements",
        &["role", "skill", "importance", "emphasis", "level", "note"],
    ),
    ("links", &["from", "to", "kind", "note"]),
];

/// The framework fields of the `framework` sheet, in order.
const FRAMEWORK_FIELDS: [&str; 7] = [
    "key",
    "name",
    "version",
    "source",
    "licence",
    "attribution",
    "description",
];

fn header(sheet: usize) -> Vec<String> {
    LAYOUT[sheet].1.iter().map(|c| (*c).to_owned()).collect()
}

fn lines(list: &[String]) -> String {
    list.join("\n")
}

/// The spreadsheet of a framework.
pub fn to_sheets(bundle: &FrameworkBundle) -> Workbook {
    let meta = &bundle.framework;
    let framework_rows = FRAMEWORK_FIELDS
        .iter()
        .zip([
            &meta.key,
            &meta.name,
            &meta.version,
            &meta.source,
            &meta.licence,
            &meta.attribution,
            &meta.description,
        ])
        .map(|(field, value)| vec![(*field).to_owned(), value.clone()])
        .collect();
    let level_rows = bundle
        .scales
        .iter()
        .flat_map(|scale| {
            scale.levels().iter().map(|level| {
                vec![
                    scale.key().to_owned(),
                    scale.name().to_owned(),
                    level.code.clone(),
                    level.name.clone(),
                    level.descriptor.clone(),
                ]
            })
        })
        .collect();
    let grade_rows = bundle
        .ladders
        .iter()
        .flat_map(|ladder| {
            ladder.grades.iter().map(|grade| {
                vec![
                    ladder.key.clone(),
                    ladder.name.clone(),
                    grade.code.clone(),
                    grade.name.clone(),
                ]
            })
        })
        .collect();
    let family_rows = bundle
        .families
        .iter()
        .map(|f| vec![f.key.clone(), f.name.clone(), f.description.clone()])
        .collect();
    let skill_rows = bundle
        .skills
        .iter()
        .map(|s| {
            vec![
                s.key.clone(),
                s.label.clone(),
                lines(&s.alt_labels),
                s.description.clone(),
                s.kind.as_str().to_owned(),
                s.reuse.map_or("", |r| r.as_str()).to_owned(),
                lines(&s.tags),
                s.scale.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let role_rows = bundle
        .roles
        .iter()
        .map(|r| {
            vec![
                r.key.clone(),
                r.title.clone(),
                lines(&r.alt_titles),
                lines(&r.typical_titles),
                r.summary.clone(),
                r.description.clone(),
                r.family.clone().unwrap_or_default(),
                r.level.map_or_else(String::new, |l| l.to_string()),
                r.ladder.clone().unwrap_or_default(),
                lines(&r.grades),
                r.duties
                    .iter()
                    .map(|d| d.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
                lines(&r.responsibilities),
                r.routes_in.clone(),
                r.transferable_skills.clone(),
                r.typical_employers.clone(),
                r.duration.clone(),
            ]
        })
        .collect();
    let code_rows = bundle
        .roles
        .iter()
        .flat_map(|r| {
            r.codes
                .iter()
                .map(|c| vec![r.key.clone(), c.scheme.clone(), c.value.clone()])
        })
        .collect();
    let dimension_rows = bundle
        .roles
        .iter()
        .flat_map(|r| {
            r.dimensions
                .iter()
                .map(|d| vec![r.key.clone(), d.key.clone(), d.name.clone(), d.text.clone()])
        })
        .collect();
    // A column per grade code, in ladder order, each code once.
    let mut grade_codes: Vec<String> = Vec::new();
    for ladder in &bundle.ladders {
        for grade in &ladder.grades {
            if !grade_codes
                .iter()
                .any(|g| g.eq_ignore_ascii_case(&grade.code))
            {
                grade_codes.push(grade.code.clone());
            }
        }
    }
    let mut requirement_header = header(8);
    requirement_header.extend(grade_codes.iter().cloned());
    let requirement_rows = bundle
        .roles
        .iter()
        .flat_map(|r| {
            let grade_codes = &grade_codes;
            r.requirements.iter().map(move |q| {
                let mut row = vec![
                    r.key.clone(),
                    q.skill.clone(),
                    q.importance.as_str().to_owned(),
                    if q.emphasis { "true" } else { "" }.to_owned(),
                    q.level.clone().unwrap_or_default(),
                    q.note.clone(),
                ];
                row.extend(grade_codes.iter().map(|code| {
                    q.levels
                        .iter()
                        .find(|(g, _)| g.eq_ignore_ascii_case(code))
                        .and_then(|(_, level)| level.clone())
                        .unwrap_or_default()
                }));
                row
            })
        })
        .collect();
    let link_rows = bundle
        .links
        .iter()
        .map(|l| {
            vec![
                l.from.to_string(),
                l.to.to_string(),
                l.kind.as_str().to_owned(),
                l.note.clone(),
            ]
        })
        .collect();
    let rows: [Vec<Vec<String>>; 10] = [
        framework_rows,
        level_rows,
        grade_rows,
        family_rows,
        skill_rows,
        role_rows,
        code_rows,
        dimension_rows,
        requirement_rows,
        link_rows,
    ];
    Workbook {
        sheets: rows
            .into_iter()
            .enumerate()
            .map(|(i, rows)| {
                let header = if i == 8 {
                    requirement_header.clone()
                } else {
                    header(i)
                };
                Sheet::with_rows(LAYOUT[i].0, header, rows)
            })
            .collect(),
    }
}

/// The spreadsheet to fill in: every sheet with its columns, the framework sheet with its
/// fields, and no other rows.
pub fn template() -> Workbook {
    Workbook {
        sheets: LAYOUT
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                let rows = if i == 0 {
                    FRAMEWORK_FIELDS
                        .iter()
                        .map(|f| vec![(*f).to_owned(), String::new()])
                        .collect()
                } else {
                    Vec::new()
                };
                Sheet::with_rows(name, header(i), rows)
            })
            .collect(),
    }
}

/// Where an entry of the framework document came from: its sheet and row.
#[derive(Debug, Clone, Copy)]
struct Place {
    sheet: usize,
    row: usize,
}

/// Builds the framework document from the sheets, remembering where each entry came from.
struct Builder<'a> {
    file: &'a str,
    problems: Vec<Diagnostic>,
    places: HashMap<String, Place>,
    headers: Vec<Vec<String>>,
}

impl Builder<'_> {
    fn problem(&mut self, place: Place, column: &str, code: &'static str, message: String) {
        let header = &self.headers[place.sheet];
        let number = header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(column))
            .map_or(0, |i| i + 1);
        self.problems.push(Diagnostic {
            file: self.file.to_owned(),
            line: place.row,
            column: number,
            field: if number > 0 {
                format!(
                    "{}!{}{} {column}",
                    LAYOUT[place.sheet].0,
                    column_letters(number),
                    place.row
                )
            } else {
                format!("{} {column}", LAYOUT[place.sheet].0)
            },
            code,
            message,
        });
    }
}

/// A row's cells by column name.
struct Cells<'a> {
    header: &'a [String],
    row: &'a SheetRow,
}

impl<'a> Cells<'a> {
    /// The cell as written (text is kept exactly, spaces and line breaks included).
    fn get(&self, column: &str) -> &'a str {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(column))
            .and_then(|i| self.row.cells.get(i))
            .map_or("", String::as_str)
    }

    /// The cell trimmed: for keys, codes and switches.
    fn key(&self, column: &str) -> &'a str {
        self.get(column).trim()
    }

    /// The cell's lines, trimmed, blank ones dropped.
    fn list(&self, column: &str) -> Value {
        Value::Array(
            self.get(column)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.to_owned()))
                .collect(),
        )
    }

    fn text(&self, column: &str) -> Value {
        Value::String(self.get(column).to_owned())
    }
}

/// Reads a framework from the sheets of [`to_sheets`]' layout. `file` names the file in
/// diagnostics. Every sheet must be there (a missing one is named); every problem is reported,
/// pointed at its sheet, row and column.
pub fn from_sheets(file: &str, workbook: &Workbook) -> Result<FrameworkBundle, Diagnostics> {
    let missing: Vec<&str> = LAYOUT
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| workbook.sheet(name).is_none())
        .collect();
    if !missing.is_empty() {
        let present: Vec<&str> = workbook.sheets.iter().map(|s| s.name.as_str()).collect();
        return Err(Diagnostics(
            missing
                .iter()
                .map(|name| Diagnostic {
                    file: file.to_owned(),
                    line: 0,
                    column: 0,
                    field: (*name).to_owned(),
                    code: "missing-sheet",
                    message: format!(
                        "the workbook has no sheet '{name}' (it has {}); a framework spreadsheet \
                         has the sheets {}",
                        if present.is_empty() {
                            "none".to_owned()
                        } else {
                            present.join(", ")
                        },
                        LAYOUT.map(|(n, _)| n).join(", ")
                    ),
                })
                .collect(),
        ));
    }
    let empty = Sheet::default();
    let sheets: Vec<&Sheet> = LAYOUT
        .iter()
        .map(|(name, _)| workbook.sheet(name).unwrap_or(&empty))
        .collect();
    let mut builder = Builder {
        file,
        problems: Vec::new(),
        places: HashMap::new(),
        headers: sheets.iter().map(|s| s.header()).collect(),
    };
    let headers = builder.headers.clone();
    let records = |i: usize| {
        let header = &headers[i];
        sheets[i].records().map(move |row| Cells { header, row })
    };
    let place = |sheet: usize, cells: &Cells| Place {
        sheet,
        row: cells.row.number,
    };
    let mut document = Table::new();

    // framework
    let mut framework = Table::new();
    for cells in records(0) {
        let field = cells.key("field").to_ascii_lowercase();
        if FRAMEWORK_FIELDS.contains(&field.as_str()) {
            framework.insert(field.clone(), cells.text("value"));
            builder
                .places
                .insert(format!("framework.{field}"), place(0, &cells));
        } else {
            builder.problem(
                place(0, &cells),
                "field",
                "unknown-field",
                format!(
                    "'{}' is not a framework field ({})",
                    cells.get("field"),
                    FRAMEWORK_FIELDS.join(", ")
                ),
            );
        }
    }
    builder.places.insert(
        "framework".to_owned(),
        Place {
            sheet: 0,
            row: sheets[0].rows.first().map_or(1, |r| r.number),
        },
    );
    document.insert("framework".to_owned(), Value::Table(framework));

    // scale levels and grades: consecutive rows of one scale (ladder) are its levels (grades).
    for (sheet, list_key, entries_key, owner_column, owner_name) in [
        (1, "scales", "levels", "scale", "scale name"),
        (2, "grade_ladders", "grades", "ladder", "ladder name"),
    ] {
        let mut owners: Vec<Table> = Vec::new();
        for cells in records(sheet) {
            let owner = cells.key(owner_column);
            let is_new = owners
                .last()
                .is_none_or(|o| o.get("key").and_then(Value::as_str) != Some(owner));
            if is_new {
                let mut table = Table::new();
                table.insert("key".to_owned(), Value::String(owner.to_owned()));
                table.insert("name".to_owned(), cells.text(owner_name));
                table.insert(entries_key.to_owned(), Value::Array(Vec::new()));
                builder.places.insert(
                    format!("{list_key}[{}]", owners.len()),
                    place(sheet, &cells),
                );
                owners.push(table);
            }
            let index = owners.len() - 1;
            let mut entry = Table::new();
            entry.insert("code".to_owned(), cells.text("code"));
            entry.insert("name".to_owned(), cells.text("name"));
            if sheet == 1 {
                entry.insert("descriptor".to_owned(), cells.text("descriptor"));
            }
            if let Some(Value::Array(entries)) = owners[index].get_mut(entries_key) {
                builder.places.insert(
                    format!("{list_key}[{index}].{entries_key}[{}]", entries.len()),
                    place(sheet, &cells),
                );
                entries.push(Value::Table(entry));
            }
        }
        document.insert(
            list_key.to_owned(),
            Value::Array(owners.into_iter().map(Value::Table).collect()),
        );
    }

    // families
    let mut families = Vec::new();
    for cells in records(3) {
        let mut table = Table::new();
        for column in ["key", "name", "description"] {
            table.insert(column.to_owned(), cells.text(column));
        }
        builder
            .places
            .insert(format!("families[{}]", families.len()), place(3, &cells));
        families.push(Value::Table(table));
    }
    document.insert("families".to_owned(), Value::Array(families));

    // skills
    let mut skills = Vec::new();
    for cells in records(4) {
        let mut table = Table::new();
        for column in ["key", "label", "description", "kind"] {
            table.insert(column.to_owned(), cells.text(column));
        }
        table.insert("alt_labels".to_owned(), cells.list("alt labels"));
        table.insert("tags".to_owned(), cells.list("tags"));
        for (column, field) in [("reuse level", "reuse_level"), ("scale", "scale")] {
            if !cells.key(column).is_empty() {
                table.insert(
                    field.to_owned(),
                    Value::String(cells.key(column).to_owned()),
                );
            }
        }
        builder
            .places
            .insert(format!("skills[{}]", skills.len()), place(4, &cells));
        skills.push(Value::Table(table));
    }
    document.insert("skills".to_owned(), Value::Array(skills));

    // roles, then what belongs to them
    let mut roles: Vec<Table> = Vec::new();
    let mut role_index: HashMap<String, usize> = HashMap::new();
    for cells in records(5) {
        let mut table = Table::new();
        for (column, field) in [
            ("key", "key"),
            ("title", "title"),
            ("summary", "summary"),
            ("description", "description"),
            ("routes in", "routes_in"),
            ("transferable skills", "transferable_skills"),
            ("typical employers", "typical_employers"),
            ("duration", "duration"),
        ] {
            table.insert(field.to_owned(), cells.text(column));
        }
        for (column, field) in [
            ("alt titles", "alt_titles"),
            ("typical titles", "typical_titles"),
            ("grades", "grades"),
            ("duties", "duties"),
            ("responsibilities", "responsibilities"),
        ] {
            table.insert(field.to_owned(), cells.list(column));
        }
        for (column, field) in [("family", "family"), ("grade ladder", "grade_ladder")] {
            if !cells.key(column).is_empty() {
                table.insert(
                    field.to_owned(),
                    Value::String(cells.key(column).to_owned()),
                );
            }
        }
        let level = cells.key("level");
        if !level.is_empty() {
            match level.parse::<i64>() {
                Ok(n) => {
                    table.insert("level".to_owned(), Value::Integer(n));
                }
                Err(_) => builder.problem(
                    place(5, &cells),
                    "level",
                    "invalid-value",
                    format!("'{level}' is not a whole number"),
                ),
            }
        }
        for list in ["codes", "dimensions", "requirements"] {
            table.insert(list.to_owned(), Value::Array(Vec::new()));
        }
        role_index
            .entry(cells.key("key").to_lowercase())
            .or_insert(roles.len());
        builder
            .places
            .insert(format!("roles[{}]", roles.len()), place(5, &cells));
        roles.push(table);
    }
    let grade_columns: Vec<String> = headers[8]
        .iter()
        .skip(LAYOUT[8].1.len())
        .filter(|h| !h.is_empty())
        .cloned()
        .collect();
    for (sheet, list) in [(6, "codes"), (7, "dimensions"), (8, "requirements")] {
        for cells in records(sheet) {
            let role = cells.key("role");
            let Some(&index) = role_index.get(&role.to_lowercase()) else {
                builder.problem(
                    place(sheet, &cells),
                    "role",
                    "unknown-role",
                    format!("no role '{role}' in the roles sheet"),
                );
                continue;
            };
            let mut table = Table::new();
            match sheet {
                6 => {
                    table.insert("scheme".to_owned(), cells.text("scheme"));
                    table.insert("value".to_owned(), cells.text("value"));
                }
                7 => {
                    for column in ["key", "name", "text"] {
                        table.insert(column.to_owned(), cells.text(column));
                    }
                }
                _ => {
                    for column in ["skill", "importance", "note"] {
                        table.insert(column.to_owned(), cells.text(column));
                    }
                    let emphasis = cells.key("emphasis").to_ascii_lowercase();
                    let emphasis = match emphasis.as_str() {
                        "" | "false" | "no" | "0" => false,
                        "true" | "yes" | "1" | "x" => true,
                        _ => {
                            builder.problem(
                                place(sheet, &cells),
                                "emphasis",
                                "invalid-value",
                                format!(
                                    "'{}' is not true or false (blank is false)",
                                    cells.get("emphasis")
                                ),
                            );
                            false
                        }
                    };
                    table.insert("emphasis".to_owned(), Value::Boolean(emphasis));
                    if !cells.key("level").is_empty() {
                        table.insert(
                            "level".to_owned(),
                            Value::String(cells.key("level").to_owned()),
                        );
                    }
                    let mut levels = Table::new();
                    for grade in &grade_columns {
                        let level = cells.key(grade);
                        if !level.is_empty() {
                            levels.insert(grade.clone(), Value::String(level.to_owned()));
                        }
                    }
                    table.insert("levels".to_owned(), Value::Table(levels));
                }
            }
            if let Some(Value::Array(entries)) = roles[index].get_mut(list) {
                builder.places.insert(
                    format!("roles[{index}].{list}[{}]", entries.len()),
                    place(sheet, &cells),
                );
                entries.push(Value::Table(table));
            }
        }
    }
    document.insert(
        "roles".to_owned(),
        Value::Array(roles.into_iter().map(Value::Table).collect()),
    );

    // links
    let mut links = Vec::new();
    for cells in records(9) {
        let mut table = Table::new();
        for column in ["from", "to", "kind", "note"] {
            table.insert(column.to_owned(), cells.text(column));
        }
        builder
            .places
            .insert(format!("links[{}]", links.len()), place(9, &cells));
        links.push(Value::Table(table));
    }
    document.insert("links".to_owned(), Value::Array(links));

    if !builder.problems.is_empty() {
        return Err(Diagnostics(builder.problems));
    }
    let text = toml::to_string(&document).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: file.to_owned(),
            line: 0,
            column: 0,
            field: String::new(),
            code: "internal",
            message: format!("the sheets could not be written as a framework document: {e}"),
        }])
    })?;
    read_framework(&text, file).map_err(|Diagnostics(problems)| {
        let mut builder = builder;
        for problem in problems {
            let (place, tail) = locate(&builder.places, &problem.field);
            match place {
                Some(place) => {
                    let column = column_of(place.sheet, &tail);
                    builder.problem(place, &column, problem.code, problem.message);
                }
                None => builder.problems.push(problem),
            }
        }
        Diagnostics(builder.problems)
    })
}

/// The entry of the longest prefix of `field` (`roles[2].requirements[0].levels.HEO`) that has a
/// place, and the rest of the path (`levels.HEO`).
fn locate(places: &HashMap<String, Place>, field: &str) -> (Option<Place>, String) {
    let mut end = field.len();
    loop {
        let prefix = &field[..end];
        if let Some(place) = places.get(prefix) {
            let tail = field[end..].trim_start_matches('.').to_owned();
            return (Some(*place), tail);
        }
        // Shorten to the previous '.' or '['.
        match prefix.rfind(['.', '[']) {
            Some(i) if i > 0 => end = i,
            _ => return (None, field.to_owned()),
        }
    }
}

/// The column a document field is in: `alt_labels` is "alt labels", `levels.HEO` the grade
/// column HEO, `grade_ladder` "grade ladder", a framework field the "value" column.
fn column_of(sheet: usize, tail: &str) -> String {
    if sheet == 0 {
        return "value".to_owned();
    }
    if let Some(grade) = tail.strip_prefix("levels.") {
        return grade.to_owned();
    }
    let first = tail.split(['.', '[']).next().unwrap_or("");
    match first {
        "reuse_level" => "reuse level".to_owned(),
        "grade_ladder" => "grade ladder".to_owned(),
        other => other.replace('_', " "),
    }
}

/// Writes the sheets as one CSV file: each sheet as a line `[name]`, its header, its rows, and
/// a blank line. Rows keep their own number of cells.
pub fn write_csv(workbook: &Workbook) -> std::io::Result<Vec<u8>> {
    let mut csv = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for sheet in &workbook.sheets {
        csv.write_record([format!("[{}]", sheet.name)])?;
        for row in &sheet.rows {
            csv.write_record(&row.cells)?;
        }
        csv.write_record([""])?;
    }
    csv.into_inner().map_err(|e| e.into_error())
}

/// Reads the one-file CSV form of the layout back into sheets; a row's number is its line in
/// the file.
pub fn read_csv(file: &str, bytes: &[u8]) -> Result<Workbook, Diagnostics> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut workbook = Workbook::default();
    for record in reader.records() {
        let record = record.map_err(|e| {
            Diagnostics(vec![Diagnostic {
                file: file.to_owned(),
                line: e.position().map_or(0, |p| p.line() as usize),
                column: 0,
                field: String::new(),
                code: "invalid-csv",
                message: e.to_string(),
            }])
        })?;
        let number = record.position().map_or(0, |p| p.line() as usize);
        let first = record.get(0).unwrap_or("").trim();
        let rest_blank = record.iter().skip(1).all(|c| c.trim().is_empty());
        if first.starts_with('[') && first.ends_with(']') && rest_blank {
            workbook.sheets.push(Sheet {
                name: first[1..first.len() - 1].trim().to_owned(),
                rows: Vec::new(),
            });
            continue;
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some(sheet) = workbook.sheets.last_mut() else {
            return Err(Diagnostics(vec![Diagnostic {
                file: file.to_owned(),
                line: number,
                column: 1,
                field: String::new(),
                code: "missing-sheet",
                message: "a framework CSV starts with a sheet's name in brackets ([framework])"
                    .to_owned(),
            }]));
        };
        let mut cells: Vec<String> = record.iter().map(str::to_owned).collect();
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        sheet.rows.push(SheetRow { number, cells });
    }
    Ok(workbook)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Vec<FrameworkBundle> {
        crate::builtin::frameworks().expect("built in")
    }

    #[test]
    fn every_builtin_framework_reads_back_from_its_sheets_unchanged() {
        for bundle in builtin() {
            let sheets = to_sheets(&bundle);
            let back = from_sheets("x.xlsx", &sheets).expect("reads back");
            assert_eq!(back.content(), bundle.content(), "{}", bundle.framework.key);
            let csv = write_csv(&sheets).expect("csv");
            let from_csv = read_csv("x.csv", &csv).expect("reads");
            let back = from_sheets("x.csv", &from_csv).expect("reads back");
            assert_eq!(
                back.content(),
                bundle.content(),
                "{} (CSV)",
                bundle.framework.key
            );
            assert_eq!(
                write_csv(&to_sheets(&back)).expect("csv"),
                csv,
                "{} (CSV)",
                bundle.framework.key
            );
        }
    }

    #[test]
    fn a_problem_points_at_sheet_row_and_column() {
        let bundle = builtin().into_iter().next().expect("one");
        let mut sheets = to_sheets(&bundle);
        let skills = sheets
            .sheets
            .iter_mut()
            .find(|s| s.name == "skills")
            .expect("skills");
        skills.rows[2].cells[7] = "no-such-scale".to_owned();
        let problems = from_sheets("f.xlsx", &sheets).expect_err("refused").0;
        assert!(
            problems
                .iter()
                .any(|p| p.field == "skills!H3 scale" && p.line == 3 && p.column == 8),
            "{problems:?}"
        );
    }

    #[test]
    fn a_missing_sheet_is_named() {
        let bundle = builtin().into_iter().next().expect("one");
        let mut sheets = to_sheets(&bundle);
        sheets.sheets.retain(|s| s.name != "requirements");
        let problems = from_sheets("f.xlsx", &sheets).expect_err("refused").0;
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "requirements");
        assert_eq!(problems[0].code, "missing-sheet");
    }
}
