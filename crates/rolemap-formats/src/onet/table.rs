//! One O*NET text file as a table: the header read once, the columns asked for found by name,
//! every row checked to have as many fields as the header names.

use super::*;

/// The rows of one file, holding only the columns asked for, in the order asked.
#[derive(Debug)]
pub(super) struct Table<'a> {
    pub(super) file: &'a str,
    /// The names asked for, as given (for diagnostics).
    names: Vec<&'static str>,
    /// 1-based position of each asked column in the file, 0 for an optional one it lacks.
    positions: Vec<usize>,
    /// Row after row, `names.len()` cells each (`""` for an optional column the file lacks).
    cells: Vec<&'a str>,
    lines: Vec<usize>,
}

impl<'a> Table<'a> {
    /// Reads `text` (the file `file`), whose header must name every column of `required`;
    /// `optional` ones are read where present. Rows with another number of fields than the
    /// header are reported and left out; `None` when the header lacks a required column.
    pub(super) fn read(
        file: &'a str,
        text: &'a str,
        required: &[&'static str],
        optional: &[&'static str],
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Table<'a>> {
        let mut lines = text.split('\n').enumerate();
        let header: Vec<&str> = match lines.next() {
            Some((_, line)) => split(line).collect(),
            None => Vec::new(),
        };
        let position = |name: &str| {
            header
                .iter()
                .position(|h| {
                    h.trim_start_matches('\u{feff}')
                        .trim()
                        .eq_ignore_ascii_case(name)
                })
                .map_or(0, |i| i + 1)
        };
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|name| position(name) == 0)
            .collect();
        if !missing.is_empty() {
            problems.push(Diagnostic {
                file: file.to_owned(),
                line: 1,
                column: 1,
                field: missing.join(", "),
                code: "missing-column",
                message: format!(
                    "the header must name the columns {}; it lacks {}",
                    required.join(", "),
                    missing.join(", ")
                ),
            });
            return None;
        }
        let names: Vec<&'static str> = required.iter().chain(optional).copied().collect();
        let positions: Vec<usize> = names.iter().map(|name| position(name)).collect();
        let width = header.len();
        let mut table = Table {
            file,
            names,
            positions,
            cells: Vec::new(),
            lines: Vec::new(),
        };
        let mut fields: Vec<&'a str> = Vec::with_capacity(width);
        let mut lines = lines.peekable();
        while let Some((index, line)) = lines.next() {
            // The newline that ends the last row leaves one empty piece.
            if line.is_empty() && lines.peek().is_none() {
                break;
            }
            let line_number = index + 1;
            fields.clear();
            fields.extend(split(line));
            if fields.len() != width {
                problems.push(shifted(file, line_number, &header, fields.len()));
                continue;
            }
            table.lines.push(line_number);
            for &position in &table.positions {
                table.cells.push(match position {
                    0 => "",
                    p => fields[p - 1],
                });
            }
        }
        Some(table)
    }

    pub(super) fn len(&self) -> usize {
        self.lines.len()
    }

    /// Row `row`: its line number and its cells, in the order the columns were asked for.
    pub(super) fn row(&self, row: usize) -> (usize, &[&'a str]) {
        let width = self.names.len();
        (self.lines[row], &self.cells[row * width..(row + 1) * width])
    }

    /// A problem with the cell of asked column `column` on line `line`.
    pub(super) fn problem(
        &self,
        line: usize,
        column: usize,
        code: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            file: self.file.to_owned(),
            line,
            column: self.positions.get(column).copied().unwrap_or(0),
            field: self
                .names
                .get(column)
                .copied()
                .unwrap_or_default()
                .to_owned(),
            code,
            message: message.into(),
        }
    }
}

/// The fields of one line: split at every tab (O*NET quotes nothing), the CR of a CRLF ending
/// dropped.
fn split(line: &str) -> impl Iterator<Item = &str> {
    line.strip_suffix('\r').unwrap_or(line).split('\t')
}

/// A row with `count` fields where the header names `header.len()`: named by the first column
/// it cannot fill, or the first field past the header.
fn shifted(file: &str, line: usize, header: &[&str], count: usize) -> Diagnostic {
    let (column, field, what) = if count < header.len() {
        (
            count + 1,
            header[count].trim().to_owned(),
            "a field is missing (a lost tab shifts every value after it)",
        )
    } else {
        (
            header.len() + 1,
            format!("field {}", header.len() + 1),
            "there are fields past the header's last column (a tab inside a value?)",
        )
    };
    Diagnostic {
        file: file.to_owned(),
        line,
        column,
        field,
        code: "shifted-row",
        message: format!(
            "the row has {count} field{} where the header names {}: {what}",
            if count == 1 { "" } else { "s" },
            header.len()
        ),
    }
}
