//! The header of a CSV file rolemap imports (movements, reviewed mappings): read once, with its
//! columns found by name whatever their order and case, and a file missing a required column
//! refused with one problem naming them all.

use crate::diagnostic::{Diagnostic, Diagnostics};

/// A reader positioned after the header, and the header.
pub(crate) type Table<'a> = (csv::Reader<&'a [u8]>, csv::StringRecord);

/// Opens `text` (the file `file`) as a CSV with a header that names every column in `required`.
pub(crate) fn open<'a>(
    text: &'a str,
    file: &str,
    required: &[&str],
) -> Result<Table<'a>, Diagnostics> {
    let header_problem = |code, message: String| {
        Diagnostics(vec![Diagnostic {
            file: file.to_owned(),
            line: 1,
            column: 1,
            field: String::new(),
            code,
            message,
        }])
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| header_problem("malformed-csv", e.to_string()))?
        .clone();
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|name| column(&headers, name).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(header_problem(
            "missing-column",
            format!(
                "the header must name the columns {}; it lacks {}",
                required.join(", "),
                missing.join(", ")
            ),
        ));
    }
    Ok((reader, headers))
}

/// Where the column `name` is in `headers` (case aside, a byte-order mark ignored).
pub(crate) fn column(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    headers
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
}
