//! Spreadsheets as rolemap reads and writes them: a workbook of named sheets of text cells, read
//! from XLSX with calamine and written with rust_xlsxwriter. The layouts (which sheets, which
//! columns) live with their formats (`case::sheets` for OpenSALT's CASE spreadsheet).
//!
//! Every cell is read as text: a number as Excel shows it in general format (1, 1.5), a
//! boolean as true or false, an empty cell as "". Written workbooks hold text cells only, with a
//! fixed creation date, so the same cells always give the same bytes.

use std::io::Cursor;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// One sheet: its name and its rows, each with its row number in the sheet (1-based), trailing
/// empty cells dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub number: usize,
    pub cells: Vec<String>,
}

impl Sheet {
    /// A sheet whose first row is `header`, followed by `rows`, numbered from 1.
    pub fn with_rows(name: &str, header: Vec<String>, rows: Vec<Vec<String>>) -> Sheet {
        let rows = std::iter::once(header)
            .chain(rows)
            .enumerate()
            .map(|(i, cells)| SheetRow {
                number: i + 1,
                cells,
            })
            .collect();
        Sheet {
            name: name.to_owned(),
            rows,
        }
    }

    /// The header row's cells (trimmed), or none.
    pub fn header(&self) -> Vec<String> {
        self.rows
            .first()
            .map(|row| row.cells.iter().map(|c| c.trim().to_owned()).collect())
            .unwrap_or_default()
    }

    /// The rows after the header that have any non-blank cell.
    pub fn records(&self) -> impl Iterator<Item = &SheetRow> {
        self.rows
            .iter()
            .skip(1)
            .filter(|row| row.cells.iter().any(|c| !c.trim().is_empty()))
    }
}

/// A workbook: its sheets in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    /// The sheet of this name (case and surrounding spaces aside).
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets
            .iter()
            .find(|s| s.name.trim().eq_ignore_ascii_case(name))
    }
}

/// The column letters of a 1-based column number (1 = A, 27 = AA).
pub fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        let rest = (column - 1) % 26;
        letters.push(b'A' + rest as u8);
        column = (column - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Reads an XLSX workbook. `name` is the file name diagnostics give.
pub fn read_xlsx(name: &str, bytes: &[u8]) -> Result<Workbook, Diagnostics> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| {
            Diagnostics(vec![Diagnostic {
                file: name.to_owned(),
                line: 0,
                column: 0,
                field: String::new(),
                code: "invalid-xlsx",
                message: format!("not an XLSX workbook: {e}"),
            }])
        })?;
    let sheets = workbook
        .worksheets()
        .into_iter()
        .map(|(sheet_name, range)| {
            let first_row = range.start().map_or(0, |(row, _)| row as usize);
            let first_column = range.start().map_or(0, |(_, column)| column as usize);
            let rows = range
                .rows()
                .enumerate()
                .map(|(i, cells)| {
                    // Cells left of the range's first column are empty.
                    let mut text: Vec<String> = vec![String::new(); first_column];
                    text.extend(cells.iter().map(|cell| cell.to_string()));
                    while text.last().is_some_and(String::is_empty) {
                        text.pop();
                    }
                    SheetRow {
                        number: first_row + i + 1,
                        cells: text,
                    }
                })
                .collect();
            Sheet {
                name: sheet_name,
                rows,
            }
        })
        .collect();
    Ok(Workbook { sheets })
}

/// Writes a workbook as XLSX: text cells, the header row bold, and a fixed creation date so the
/// same cells give the same bytes.
pub fn write_xlsx(workbook: &Workbook) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format};
    let fail = |e: rust_xlsxwriter::XlsxError| format!("writing XLSX: {e}");
    let mut book = rust_xlsxwriter::Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(fail)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    for sheet in &workbook.sheets {
        // Low-memory mode writes each row out to a temporary file once the next row starts, so
        // a sheet of all of ESCO's requirements is not held as cells too (349 MB -> see
        // ARCHITECTURE.md); strings still go to the shared table, as before.
        let worksheet = book.add_worksheet_with_low_memory().map_err(fail)?;
        worksheet.set_name(sheet.name.as_str()).map_err(fail)?;
        for row in &sheet.rows {
            let r = u32::try_from(row.number.saturating_sub(1)).map_err(|e| e.to_string())?;
            for (c, cell) in row.cells.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let c = u16::try_from(c).map_err(|e| e.to_string())?;
                if row.number == 1 {
                    worksheet
                        .write_string_with_format(r, c, cell.as_str(), &bold)
                        .map_err(fail)?;
                } else {
                    worksheet.write_string(r, c, cell.as_str()).map_err(fail)?;
                }
            }
        }
    }
    book.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(53), "BA");
    }

    #[test]
    fn a_workbook_written_reads_back_and_writes_the_same_bytes() {
        let workbook = Workbook {
            sheets: vec![
                Sheet::with_rows(
                    "One",
                    vec!["a".into(), "b".into()],
                    vec![
                        vec!["x 𝔚\r\ny".into(), String::new()],
                        vec![String::new(), "2".into()],
                    ],
                ),
                Sheet::with_rows("Two", vec!["c".into()], Vec::new()),
            ],
        };
        let bytes = write_xlsx(&workbook).expect("write");
        let back = read_xlsx("t.xlsx", &bytes).expect("read");
        assert_eq!(back.sheets.len(), 2);
        assert_eq!(back.sheets[0].rows[1].cells, ["x 𝔚\r\ny"]);
        assert_eq!(back.sheets[0].rows[2].cells, ["", "2"]);
        assert_eq!(write_xlsx(&back).expect("write"), bytes);
    }
}
