//! People as a CSV file: a header row naming the columns (any order, any case) and a row per
//! person. Columns: `key`, `name`, `email`, `role`, `grade`, `manager`, `team`; `name` is
//! required, and each row needs a key or an email so that importing it again finds the same
//! person. A column left out of the header leaves that field of stored people as it is; an empty
//! cell clears it. Columns of other names are refused, so a misspelt header is not silently
//! ignored. This reader checks the file's shape; the caller resolves roles and managers and
//! reports what does not resolve at the row's line and the cell's column.

use std::collections::HashMap;

use crate::{Diagnostic, Diagnostics};

/// The columns a people file may have, in the order the documentation lists them.
pub const COLUMNS: [&str; 7] = ["key", "name", "email", "role", "grade", "manager", "team"];

/// Where each column is in the file (1-based), `None` when the header leaves it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PeopleColumns {
    pub key: Option<usize>,
    pub name: Option<usize>,
    pub email: Option<usize>,
    pub role: Option<usize>,
    pub grade: Option<usize>,
    pub manager: Option<usize>,
    pub team: Option<usize>,
}

impl PeopleColumns {
    /// The 1-based column of a field, or 1 when the file has no such column.
    pub fn of(&self, field: &str) -> usize {
        let at = match field {
            "key" => self.key,
            "name" => self.name,
            "email" => self.email,
            "role" => self.role,
            "grade" => self.grade,
            "manager" => self.manager,
            "team" => self.team,
            _ => None,
        };
        at.unwrap_or(1)
    }
}

/// One row of a people file. A field is `None` when its column is not in the file (keep what is
/// stored) and `Some("")` when the cell is empty (clear it); values are trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonCsvRow {
    /// 1-based line of the row in the file.
    pub line: usize,
    pub key: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub role: Option<String>,
    pub grade: Option<String>,
    pub manager: Option<String>,
    pub team: Option<String>,
}

/// The rows of a people file and where its columns are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleCsv {
    pub columns: PeopleColumns,
    pub rows: Vec<PersonCsvRow>,
}

/// Reads a people file: every row, or every problem found (file:line:column with the field).
pub fn read_people_csv(text: &str, file: &str) -> Result<PeopleCsv, Diagnostics> {
    let (csv, problems) = read_people_csv_partly(text, file)?;
    if problems.is_empty() {
        Ok(csv)
    } else {
        Err(Diagnostics(problems))
    }
}

/// Reads a people file as far as it can: the rows that read and every problem found, so that
/// the caller can check those rows against what is stored and report everything at once. Only
/// a header that cannot be read (or lacks `name`) stops it.
pub fn read_people_csv_partly(
    text: &str,
    file: &str,
) -> Result<(PeopleCsv, Vec<Diagnostic>), Diagnostics> {
    let problem = |line: usize, column: usize, field: &str, code, message: String| Diagnostic {
        file: file.to_owned(),
        line,
        column,
        field: field.to_owned(),
        code,
        message,
    };
    // Rows of a file with CRLF line ends (as browsers send a text area's text) were given the
    // line before their own; with plain line ends every row has its line.
    let text: std::borrow::Cow<'_, str> = if text.contains('\r') {
        text.replace("\r\n", "\n").into()
    } else {
        text.into()
    };
    let (mut reader, headers) = crate::csv_table::open(&text, file, &["name"])?;
    let mut problems = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        let header = header.trim_start_matches('\u{feff}');
        if !COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(header)) {
            problems.push(problem(
                1,
                i + 1,
                header,
                "unknown-column",
                format!(
                    "'{header}' is not a column of a people file; the columns are {}",
                    COLUMNS.join(", ")
                ),
            ));
        }
    }
    let at = |name: &str| crate::csv_table::column(&headers, name);
    let columns = PeopleColumns {
        key: at("key").map(|i| i + 1),
        name: at("name").map(|i| i + 1),
        email: at("email").map(|i| i + 1),
        role: at("role").map(|i| i + 1),
        grade: at("grade").map(|i| i + 1),
        manager: at("manager").map(|i| i + 1),
        team: at("team").map(|i| i + 1),
    };
    let mut rows = Vec::new();
    let mut keys: HashMap<String, usize> = HashMap::new();
    let mut emails: HashMap<String, usize> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(problem(line, 1, "", "malformed-csv", e.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        // Columns are 1-based; a cell the reader trimmed already.
        let cell = |column: Option<usize>| {
            column.map(|c| record.get(c - 1).unwrap_or("").trim().to_owned())
        };
        let row = PersonCsvRow {
            line,
            key: cell(columns.key),
            name: cell(columns.name).unwrap_or_default(),
            email: cell(columns.email),
            role: cell(columns.role),
            grade: cell(columns.grade),
            manager: cell(columns.manager),
            team: cell(columns.team),
        };
        if row.name.is_empty() {
            problems.push(problem(
                line,
                columns.of("name"),
                "name",
                "missing-value",
                "a person needs a name".to_owned(),
            ));
        }
        let key = row.key.as_deref().filter(|k| !k.is_empty());
        let email = row.email.as_deref().filter(|e| !e.is_empty());
        if key.is_none() && email.is_none() {
            problems.push(problem(
                line,
                columns.key.or(columns.email).unwrap_or(1),
                if columns.key.is_some() {
                    "key"
                } else {
                    "email"
                },
                "missing-value",
                "give a key or an email, so that importing the file again finds this person"
                    .to_owned(),
            ));
        }
        if let Some(key) = key
            && let Some(first) = keys.insert(key.to_lowercase(), line)
        {
            problems.push(problem(
                line,
                columns.of("key"),
                "key",
                "duplicate-key",
                format!("the key '{key}' is already on line {first}"),
            ));
        }
        if let Some(email) = email
            && let Some(first) = emails.insert(email.to_lowercase(), line)
        {
            problems.push(problem(
                line,
                columns.of("email"),
                "email",
                "duplicate-email",
                format!("the email '{email}' is already on line {first}"),
            ));
        }
        rows.push(row);
    }
    problems.sort_by_key(|p| (p.line, p.column));
    Ok((PeopleCsv { columns, rows }, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_name_in_any_order() {
        let file = read_people_csv(
            "Team,NAME,key,manager\nOps,Ann Lee,ann,\n\"Ops, North\",Bo Chan,bo,ann\n",
            "team.csv",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file.columns.key, Some(3));
        assert_eq!(file.columns.email, None);
        assert_eq!(file.rows.len(), 2);
        assert_eq!(file.rows[1].line, 3);
        assert_eq!(file.rows[1].team.as_deref(), Some("Ops, North"));
        assert_eq!(file.rows[1].manager.as_deref(), Some("ann"));
        assert_eq!(file.rows[0].manager.as_deref(), Some(""));
        assert_eq!(file.rows[0].email, None, "a column left out is None");
    }

    #[test]
    fn every_problem_has_its_line_column_and_field() {
        let err = read_people_csv(
            "key,name,email,colour\nann,Ann,ann@x.org,red\n,,,\nann,Ann Again,ANN@x.org,\n",
            "team.csv",
        )
        .err()
        .unwrap_or_default();
        let found: Vec<(usize, usize, &str, &str)> = err
            .0
            .iter()
            .map(|d| (d.line, d.column, d.field.as_str(), d.code))
            .collect();
        assert_eq!(
            found,
            [
                (1, 4, "colour", "unknown-column"),
                (3, 1, "key", "missing-value"),
                (3, 2, "name", "missing-value"),
                (4, 1, "key", "duplicate-key"),
                (4, 3, "email", "duplicate-email"),
            ]
        );
        assert!(err.to_string().contains("team.csv:4:3: email:"), "{err}");
    }

    /// Regression: a CRLF file's rows were reported a line early.
    #[test]
    fn rows_of_a_crlf_file_keep_their_lines() {
        let file = read_people_csv("key,name\r\nann,Ann\r\nbo,Bo\r\n", "team.csv")
            .unwrap_or_else(|e| panic!("{e}"));
        let lines: Vec<usize> = file.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3]);
    }

    #[test]
    fn a_file_without_a_name_column_is_refused_at_the_header() {
        let err = read_people_csv("key,email\nann,ann@x.org\n", "team.csv")
            .err()
            .unwrap_or_default();
        assert_eq!(err.0.len(), 1);
        assert_eq!((err.0[0].line, err.0[0].code), (1, "missing-column"));
    }
}
