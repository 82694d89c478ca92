//! Problems found while reading a file, each pointing at a file, line, column and field.

use std::fmt;
use std::ops::Range;

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    pub column: usize,
    /// The field the problem is in, as a path (`roles[2].requirements[0].skill`).
    pub field: String,
    /// A stable code (`unknown-skill`, `duplicate-key`, ...).
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            // Problems found against the store know the line of the entry, not a column.
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {} [{}]", self.message, self.code)
    }
}

/// Every problem found in one read. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        writeln!(
            f,
            "{count} problem{} found; nothing was imported:",
            if count == 1 { "" } else { "s" }
        )?;
        for diagnostic in &self.0 {
            writeln!(f, "  {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// A file's bytes as text, or the place of the first byte that is not UTF-8 (line, and column in
/// characters), so that a file saved in another encoding is named and pointed at, not refused
/// as a whole.
pub fn utf8_text(bytes: Vec<u8>, file: &str) -> Result<String, Diagnostics> {
    String::from_utf8(bytes).map_err(|error| {
        let bytes = error.as_bytes();
        let at = error.utf8_error().valid_up_to();
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() + 1;
        let column = before[line_start..].chars().count() + 1;
        Diagnostics(vec![Diagnostic {
            file: file.to_owned(),
            line,
            column,
            field: String::new(),
            code: "invalid-utf8",
            message: format!(
                "byte 0x{:02X} is not UTF-8 text; save the file as UTF-8",
                bytes.get(at).copied().unwrap_or_default()
            ),
        }])
    })
}

/// Turns byte offsets into line and column numbers for one file's text.
#[derive(Debug)]
pub(crate) struct Locator<'a> {
    file: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(file: &'a str, text: &str) -> Locator<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Locator { file, line_starts }
    }

    /// 1-based line and column of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        (line, offset - start + 1)
    }

    pub(crate) fn diagnostic(
        &self,
        span: Range<usize>,
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(span.start);
        Diagnostic {
            file: self.file.to_owned(),
            line,
            column,
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    pub(crate) fn file(&self) -> &str {
        self.file
    }

    /// A TOML syntax or shape error, located where the parser says.
    pub(crate) fn toml_error(&self, error: &toml::de::Error) -> Diagnostic {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_owned();
        let mut diagnostic = self.diagnostic(span, "", "invalid-toml", message);
        if error.span().is_none() {
            diagnostic.line = 0;
            diagnostic.column = 0;
        }
        diagnostic
    }
}

#[cfg(test)]
mod tests {
    use super::{Locator, utf8_text};

    #[test]
    fn text_that_is_not_utf8_is_pointed_at_by_line_and_column() {
        let bytes = b"a = 1\nname = \"Jos\xE9\"\n".to_vec();
        let problems = utf8_text(bytes, "p.toml").unwrap_err();
        let problem = &problems.0[0];
        assert_eq!((problem.line, problem.column), (2, 12), "{problem}");
        assert_eq!(problem.code, "invalid-utf8");
        assert!(problem.message.contains("0xE9"), "{problem}");
        // After a character of two bytes the column still counts characters.
        let problems = utf8_text("é\u{e9}x".bytes().chain([0xFF]).collect(), "f").unwrap_err();
        assert_eq!(problems.0[0].column, 4);
        assert_eq!(utf8_text(b"fine".to_vec(), "f").unwrap(), "fine");
    }

    #[test]
    fn offsets_become_lines_and_columns() {
        let locator = Locator::new("f.toml", "ab\ncd\n\nx");
        assert_eq!(locator.position(0), (1, 1));
        assert_eq!(locator.position(4), (2, 2));
        assert_eq!(locator.position(7), (4, 1));
    }
}
