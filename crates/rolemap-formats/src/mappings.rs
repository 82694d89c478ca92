//! Reviewed mappings between the concepts of two frameworks: the CSV `rolemap map` writes, with
//! a reviewer's decision in the last column. Columns (in any order, names in any case; others,
//! such as the labels and `why`, are ignored): `from_framework`, `from_key`, `to_framework`,
//! `to_key`, `type` (exact, close or related), `confidence` (0 to 1) and `decision`. A row counts
//! when its decision is `accept`, `yes` or `y` (case aside); every other row is left out
//! unchecked. This reader checks the accepted rows' shape; the caller resolves the concepts,
//! reporting unknown ones with their line and column.

use rolemap_core::MappingKind;

use crate::{Diagnostic, Diagnostics};

/// One accepted row of a mappings file.
#[derive(Debug, Clone, PartialEq)]
pub struct MappingRow {
    /// 1-based line of the row in the file.
    pub line: usize,
    pub from_framework: String,
    pub from_key: String,
    pub to_framework: String,
    pub to_key: String,
    pub kind: MappingKind,
    pub confidence: f32,
    /// 1-based columns of `from_key` and `to_key`, for problems found when the concepts are
    /// resolved.
    pub from_column: usize,
    pub to_column: usize,
}

/// The accepted rows of a mappings file and how many rows were left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MappingsFile {
    pub accepted: Vec<MappingRow>,
    pub ignored: usize,
}

/// The columns a mappings file must have.
pub const MAPPING_COLUMNS: [&str; 7] = [
    "from_framework",
    "from_key",
    "to_framework",
    "to_key",
    "type",
    "confidence",
    "decision",
];

/// Whether a reviewer's decision accepts the row.
pub fn accepts(decision: &str) -> bool {
    matches!(
        decision.trim().to_ascii_lowercase().as_str(),
        "accept" | "accepted" | "yes" | "y"
    )
}

/// Reads a mappings file: every accepted row, or every problem found.
pub fn read_mappings(text: &str, file: &str) -> Result<MappingsFile, Diagnostics> {
    let mut problems = Vec::new();
    let problem = |line: usize, column: usize, field: &str, code, message: String| Diagnostic {
        file: file.to_owned(),
        line,
        column,
        field: field.to_owned(),
        code,
        message,
    };
    let (mut reader, headers) = crate::csv_table::open(text, file, &MAPPING_COLUMNS)?;
    let at: Vec<Option<usize>> = MAPPING_COLUMNS
        .iter()
        .map(|name| crate::csv_table::column(&headers, name))
        .collect();
    let [
        Some(from_framework_at),
        Some(from_key_at),
        Some(to_framework_at),
        Some(to_key_at),
        Some(type_at),
        Some(confidence_at),
        Some(decision_at),
    ] = at[..]
    else {
        // `open` has checked that the header names them all.
        return Err(Diagnostics(Vec::new()));
    };
    let mut out = MappingsFile::default();
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
        if !accepts(&cell(decision_at)) {
            out.ignored += 1;
            continue;
        }
        for (name, at) in [
            ("from_framework", from_framework_at),
            ("from_key", from_key_at),
            ("to_framework", to_framework_at),
            ("to_key", to_key_at),
        ] {
            if cell(at).is_empty() {
                problems.push(problem(
                    line,
                    at + 1,
                    name,
                    "missing-value",
                    format!("an accepted mapping needs '{name}'"),
                ));
            }
        }
        let kind = MappingKind::parse(&cell(type_at));
        if kind.is_none() {
            problems.push(problem(
                line,
                type_at + 1,
                "type",
                "invalid-type",
                format!(
                    "'{}' is not a type of mapping: write exact, close or related",
                    cell(type_at)
                ),
            ));
        }
        let confidence = match cell(confidence_at).parse::<f32>() {
            Ok(c) if (0.0..=1.0).contains(&c) => Some(c),
            _ => {
                problems.push(problem(
                    line,
                    confidence_at + 1,
                    "confidence",
                    "invalid-confidence",
                    format!(
                        "'{}' is not a confidence: write a number from 0 to 1",
                        cell(confidence_at)
                    ),
                ));
                None
            }
        };
        if let (Some(kind), Some(confidence)) = (kind, confidence) {
            out.accepted.push(MappingRow {
                line,
                from_framework: cell(from_framework_at),
                from_key: cell(from_key_at),
                to_framework: cell(to_framework_at),
                to_key: cell(to_key_at),
                kind,
                confidence,
                from_column: from_key_at + 1,
                to_column: to_key_at + 1,
            });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "from_framework,from_key,from_label,to_framework,to_key,to_label,type,confidence,why,decision\n";

    #[test]
    fn accepted_rows_are_read_and_the_others_counted() {
        let text = format!(
            "{HEADER}odp,S1,Budgets,esco,E1,manage budgets,exact,1.000,budgets,accept\n\
             odp,S2,People,esco,E2,manage staff,close,0.700,staff,reject\n\
             odp,S3,Plans,esco,E3,plan,related,0.300,plan,\n\
             odp,S4,Risk,esco,E4,manage risk,Close,0.8,risk,Y\n"
        );
        let file = read_mappings(&text, "m.csv").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file.ignored, 2);
        let got: Vec<(usize, &str, MappingKind)> = file
            .accepted
            .iter()
            .map(|r| (r.line, r.from_key.as_str(), r.kind))
            .collect();
        assert_eq!(
            got,
            [(2, "S1", MappingKind::Exact), (5, "S4", MappingKind::Close)]
        );
    }

    #[test]
    fn problems_name_line_column_and_field() {
        let text =
            format!("{HEADER}odp,S1,,esco,E1,,same,1,,accept\nodp,,,esco,E2,,close,1.5,,yes\n");
        let err = read_mappings(&text, "m.csv").err().unwrap_or_default();
        let found: Vec<(usize, usize, &str, &str)> = err
            .0
            .iter()
            .map(|d| (d.line, d.column, d.field.as_str(), d.code))
            .collect();
        assert_eq!(
            found,
            [
                (2, 7, "type", "invalid-type"),
                (3, 2, "from_key", "missing-value"),
                (3, 8, "confidence", "invalid-confidence"),
            ]
        );
        assert!(err.to_string().contains("m.csv:2:7: type:"), "{err}");
        let missing = read_mappings("from_key,to_key\n", "m.csv")
            .err()
            .unwrap_or_default();
        assert_eq!(missing.0[0].code, "missing-column");
    }
}
