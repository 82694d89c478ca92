//! Output: tables for people, CSV and JSON for programs. Every command builds a [`Grid`] for its
//! main table, so `--format csv` always has something sensible to write.

use std::io::Write;

use anyhow::Result;
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

/// A table: headers and rows of text.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(headers: I) -> Grid {
        Grid {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, cells: I) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The first `rows` rows under the same headers.
    pub fn head(&self, rows: usize) -> Grid {
        Grid {
            headers: self.headers.clone(),
            rows: self.rows.iter().take(rows).cloned().collect(),
        }
    }

    /// The table as text for a terminal.
    pub fn to_text(&self) -> String {
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        // Wrap long cells at the terminal's width, or at 120 columns when writing to a file or pipe.
        table.set_width(terminal_width().map_or(120, |(width, _)| width));
        table.set_header(&self.headers);
        for row in &self.rows {
            table.add_row(row);
        }
        table.to_string()
    }

    pub fn write_csv(&self, out: &mut dyn Write) -> Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(&self.headers)?;
        for row in &self.rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
        Ok(())
    }
}

fn terminal_width() -> Option<(u16, u16)> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .map(|w| (w, 0))
}

pub fn write_json<T: Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    // As an io::Error, a closed pipe is recognised (serde_json's error hides it from `source()`).
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// "Title" and an underline, for sections of a report.
pub fn heading(out: &mut dyn Write, title: &str) -> Result<()> {
    writeln!(
        out,
        "\n{title}\n{}",
        "─".repeat(title.chars().count().min(80))
    )?;
    Ok(())
}

/// Wraps prose at 100 columns. `indent` starts the first line; later lines are indented as wide.
pub fn paragraph(out: &mut dyn Write, indent: &str, text: &str) -> Result<()> {
    let width = indent.chars().count();
    let hanging = " ".repeat(width);
    let mut indent = indent;
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + word.chars().count() + 1 > 100 - width {
            writeln!(out, "{indent}{line}")?;
            indent = &hanging;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        writeln!(out, "{indent}{line}")?;
    }
    Ok(())
}
