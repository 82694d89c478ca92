//! Reading a TOML document field by field and entry by entry, so that one bad value does not hide
//! the rest: every syntax error, every entry of the wrong shape and every unknown field is
//! reported at once, and the entries that do read go on to be checked.
//!
//! `toml::from_str` stops at the first problem: a date written as a TOML date where a string was
//! wanted would hide every other mistake in the file, and the checks of references (an unknown
//! skill, a manager nobody defines) would only run once it was fixed.

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::diagnostic::{Diagnostic, Locator};

/// The entries of a list that read, each with its place in the list, and the keys of those that
/// did not (so that what refers to them is not reported as unknown as well).
pub(crate) struct Entries<T> {
    pub(crate) read: Vec<(usize, T)>,
    pub(crate) broken_keys: Vec<Spanned<String>>,
}

/// A document's top-level fields, after its syntax errors have been reported.
pub(crate) struct TomlReader<'l, 'i> {
    locator: &'l Locator<'l>,
    /// Where the syntax errors are: an entry holding one is not reported again for its shape
    /// (a value the parser could not read is simply missing from it).
    syntax_errors: Vec<usize>,
    /// Where each top-level value and each entry of a list starts, in order: an entry's text
    /// runs to the next start (a table's span is its header alone).
    starts: Vec<usize>,
    pub(crate) problems: Vec<Diagnostic>,
    fields: Vec<(Spanned<String>, Spanned<DeValue<'i>>)>,
}

impl<'l, 'i> TomlReader<'l, 'i> {
    pub(crate) fn new(text: &'i str, locator: &'l Locator<'l>) -> TomlReader<'l, 'i> {
        let (root, errors) = DeTable::parse_recoverable(text);
        let mut problems = Vec::new();
        let mut syntax_errors = Vec::new();
        for error in &errors {
            syntax_errors.push(error.span().map_or(0, |s| s.start));
            problems.push(locator.toml_error(error));
        }
        let mut starts = Vec::new();
        for (_, value) in root.get_ref().iter() {
            starts.push(value.span().start);
            if let DeValue::Array(array) = value.get_ref() {
                starts.extend(array.iter().map(|entry| entry.span().start));
            }
        }
        starts.sort_unstable();
        let fields = root
            .into_inner()
            .into_iter()
            .map(|(key, value)| {
                let span = key.span();
                (Spanned::new(span, key.into_inner().into_owned()), value)
            })
            .collect();
        TomlReader {
            locator,
            syntax_errors,
            starts,
            problems,
            fields,
        }
    }

    /// Takes the top-level field `name`, if the document has it.
    pub(crate) fn take(&mut self, name: &str) -> Option<Spanned<DeValue<'i>>> {
        let at = self
            .fields
            .iter()
            .position(|(key, _)| key.get_ref() == name)?;
        Some(self.fields.remove(at).1)
    }

    /// Reads the top-level field `name` as one value; a missing field is `None` without a
    /// problem (the caller knows whether it is required).
    pub(crate) fn value<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        let value = self.take(name)?;
        self.read(value, name)
    }

    /// Reads the top-level field `name` as a list of entries (`[[name]]` tables), each on its
    /// own: an entry that does not read is reported and left out, the others are kept with
    /// their place in the list.
    pub(crate) fn entries<T: DeserializeOwned>(&mut self, name: &str) -> Entries<T> {
        let mut entries = Entries {
            read: Vec::new(),
            broken_keys: Vec::new(),
        };
        let Some(value) = self.take(name) else {
            return entries;
        };
        let span = value.span();
        let DeValue::Array(mut array) = value.into_inner() else {
            self.problems.push(self.locator.diagnostic(
                span,
                name,
                "invalid-toml",
                format!("'{name}' must be a list of tables, written [[{name}]]"),
            ));
            return entries;
        };
        for (i, entry) in array.iter_mut().enumerate() {
            let entry = std::mem::replace(entry, Spanned::new(0..0, DeValue::Boolean(false)));
            let key = match entry.get_ref() {
                DeValue::Table(table) => table.iter().find_map(|(k, v)| match v.get_ref() {
                    DeValue::String(key) if k.get_ref() == "key" => {
                        Some(Spanned::new(v.span(), key.trim().to_owned()))
                    }
                    _ => None,
                }),
                _ => None,
            };
            match self.read(entry, &format!("{name}[{i}]")) {
                Some(read) => entries.read.push((i, read)),
                None => entries.broken_keys.extend(key),
            }
        }
        entries
    }

    /// Reports every field left over as unknown, naming the ones the document knows.
    pub(crate) fn finish(mut self, known: &[&str]) -> Vec<Diagnostic> {
        for (key, _) in std::mem::take(&mut self.fields) {
            let expected = known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.problems.push(self.locator.diagnostic(
                key.span(),
                key.get_ref().clone(),
                "invalid-toml",
                format!(
                    "unknown field `{}`, expected one of {expected}",
                    key.get_ref()
                ),
            ));
        }
        self.problems
    }

    fn read<T: DeserializeOwned>(&mut self, value: Spanned<DeValue<'i>>, field: &str) -> Option<T> {
        let span = value.span();
        match T::deserialize(ValueDeserializer::from(value)) {
            Ok(read) => Some(read),
            Err(error) => {
                let end = self
                    .starts
                    .iter()
                    .find(|start| **start > span.start)
                    .copied()
                    .unwrap_or(usize::MAX)
                    .max(span.end);
                let broken = self
                    .syntax_errors
                    .iter()
                    .any(|at| (span.start..end).contains(at));
                if !broken {
                    let mut diagnostic = self.locator.toml_error(&error);
                    diagnostic.field = field.to_owned();
                    if error.span().is_none() {
                        let (line, column) = self.locator.position(span.start);
                        diagnostic.line = line;
                        diagnostic.column = column;
                    }
                    self.problems.push(diagnostic);
                }
                None
            }
        }
    }
}
