//! Observed movements between roles: a CSV file with the columns `from`, `to`, `count` and
//! optionally `source` (in any order, names in any case; other columns are ignored). One row is
//! one observed flow: `count` people (a whole number, at least 1) moved from the role named in
//! `from` to the role named in `to`, as `source` reports. Roles are named as anywhere else (id,
//! `framework:key`, key or title); this reader checks the file's shape, and the caller resolves
//! the names, reporting unknown ones with their line.

use crate::{Diagnostic, Diagnostics};

/// One row of a transitions file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRow {
    /// 1-based line of the row in the file.
    pub line: usize,
    pub from: String,
    pub to: String,
    pub count: u32,
    pub source: String,
    /// 1-based columns of `from` and `to`, for problems found when the names are resolved.
    pub from_column: usize,
    pub to_column: usize,
}

const REQUIRED: [&str; 3] = ["from", "to", "count"];

/// Reads a transitions file: every row, or every problem found.
pub fn read_transitions(text: &str, file: &str) -> Result<Vec<TransitionRow>, Diagnostics> {
    let mut problems = Vec::new();
    let problem = |line: usize, column: usize, field: &str, code, message: String| Diagnostic {
        file: file.to_owned(),
        line,
        column,
        field: field.to_owned(),
        code,
        message,
    };
    let (mut reader, headers) = crate::csv_table::open(text, file, &REQUIRED)?;
    let column = |name: &str| crate::csv_table::column(&headers, name);
    let (Some(from_at), Some(to_at), Some(count_at)) =
        (column("from"), column("to"), column("count"))
    else {
        return Err(Diagnostics(Vec::new()));
    };
    let source_at = column("source");
    let mut rows = Vec::new();
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
        let cell = |at: usize| record.get(at).unwrap_or("").to_owned();
        let (from, to) = (cell(from_at), cell(to_at));
        for (name, value, at) in [("from", &from, from_at), ("to", &to, to_at)] {
            if value.is_empty() {
                problems.push(problem(
                    line,
                    at + 1,
                    name,
                    "missing-value",
                    format!("name the role in '{name}'"),
                ));
            }
        }
        let count = match cell(count_at).parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                problems.push(problem(
                    line,
                    count_at + 1,
                    "count",
                    "invalid-count",
                    format!(
                        "'{}' is not a number of people: write a whole number, 1 or more",
                        cell(count_at)
                    ),
                ));
                0
            }
        };
        if !from.is_empty() && from == to {
            problems.push(problem(
                line,
                to_at + 1,
                "to",
                "same-role",
                format!("a movement from '{from}' to itself"),
            ));
        }
        rows.push(TransitionRow {
            line,
            from,
            to,
            count,
            source: source_at.map(cell).unwrap_or_default(),
            from_column: from_at + 1,
            to_column: to_at + 1,
        });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(Diagnostics(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_with_their_lines() {
        let rows = read_transitions(
            "From,To,Count,Source\nodp:team-leader,odp:operations-manager,12,HR 2025\n\"Team Leader\",Operational Support,3,\n",
            "moves.csv",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].count, 12);
        assert_eq!(rows[0].source, "HR 2025");
        assert_eq!(rows[1].from, "Team Leader");
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn every_problem_is_reported_with_line_column_and_field() {
        let err = read_transitions("to,from,count\na,,2\nb,b,x\nc,d,0\n", "moves.csv")
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
                (2, 2, "from", "missing-value"),
                (3, 3, "count", "invalid-count"),
                (3, 1, "to", "same-role"),
                (4, 3, "count", "invalid-count"),
            ]
        );
        assert!(err.to_string().contains("moves.csv:3:3: count:"), "{err}");
    }

    #[test]
    fn a_header_without_the_columns_is_refused_at_once() {
        let err = read_transitions("source,role\nx,y\n", "m.csv")
            .err()
            .unwrap_or_default();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].code, "missing-column");
        assert!(err.0[0].message.contains("from, to, count"));
        let ragged = read_transitions("from,to,count\na,b\n", "m.csv")
            .err()
            .unwrap_or_default();
        assert_eq!(ragged.0[0].code, "malformed-csv");
        assert_eq!(ragged.0[0].line, 2);
    }
}
