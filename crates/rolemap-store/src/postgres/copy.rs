//! Bulk writes through `COPY ... FROM STDIN`, PostgreSQL's counterpart of SQLite's C-API bulk path
//! (`sqlite/bulk.rs`), with the same shape so that the ESCO writer (`esco.rs`) reads alike on
//! both: rows handed to a [`Batch`] are collected as COPY text, table by table,
//! and [`Bulk::send`] streams each table's rows in one COPY, in the order the tables were first
//! named (so foreign keys find the rows they point at). Rows whose statement ends in
//! `ON CONFLICT DO NOTHING` go through a temporary table and one `INSERT ... SELECT` that skips
//! the repeats, which COPY alone cannot.

use std::cell::RefCell;

use crate::{Result, StoreError};

/// One value bound to a statement parameter.
#[derive(Debug, Clone, Copy)]
pub(super) enum Val<'a> {
    Int(i64),
    OptInt(Option<i64>),
    Text(&'a str),
    OptText(Option<&'a str>),
}

/// The rows of one table, as COPY text.
#[derive(Debug)]
struct Target {
    table: String,
    columns: Vec<String>,
    /// Each column: `None` takes the next value of a row, `Some(text)` is a constant (already
    /// in COPY text: `\N` for NULL).
    template: Vec<Option<String>>,
    skip_conflicts: bool,
    data: Vec<u8>,
    rows: u64,
}

/// Rows collected for COPY, table by table; nothing is sent until [`Bulk::send`].
#[derive(Debug, Default)]
pub(super) struct Bulk {
    targets: RefCell<Vec<Target>>,
}

/// Rows of one table (the SQLite path's batched or single-row INSERT).
#[derive(Debug)]
pub(super) struct Batch<'b> {
    bulk: &'b Bulk,
    target: usize,
}

fn invalid(message: &str) -> StoreError {
    StoreError::Corrupt(format!("bulk write: {message}"))
}

/// Splits `a, b, 'c, d'` at the commas outside quotes, trimmed.
fn split_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => items.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(c),
        }
    }
    items.push(current.trim().to_owned());
    items
}

/// `(a, b)` without its parentheses.
fn inside_parentheses(text: &str) -> Result<&str> {
    text.trim()
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .ok_or_else(|| invalid(&format!("expected a parenthesised list, got '{text}'")))
}

/// A row template's item as a COPY column: `?` takes a value; `NULL`, numbers and quoted text
/// are constants.
fn template_item(item: &str) -> Result<Option<String>> {
    if item == "?" {
        return Ok(None);
    }
    if item.eq_ignore_ascii_case("NULL") {
        return Ok(Some("\\N".to_owned()));
    }
    if let Some(text) = item.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        let mut out = Vec::new();
        escape_into(&mut out, &text.replace("''", "'"));
        return String::from_utf8(out)
            .map(Some)
            .map_err(|_| invalid("constant is not UTF-8"));
    }
    if item.parse::<i64>().is_ok() {
        return Ok(Some(item.to_owned()));
    }
    Err(invalid(&format!("unsupported row item '{item}'")))
}

/// Appends `text` in COPY's text format (backslash escapes for the delimiter, line ends and
/// backslashes).
fn escape_into(out: &mut Vec<u8>, text: &str) {
    for &byte in text.as_bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(byte),
        }
    }
}

impl Bulk {
    pub(super) fn new() -> Bulk {
        Bulk::default()
    }

    /// Rows for `into` (`t (a, b, c)`) shaped as `row` (`(?, ?, 'x')`); `tail` may be empty or
    /// `ON CONFLICT DO NOTHING`.
    pub(super) fn batch(&self, into: &str, row: &str, tail: &str) -> Result<Batch<'_>> {
        let (table, columns) = into
            .split_once('(')
            .ok_or_else(|| invalid(&format!("no column list in '{into}'")))?;
        let columns = split_list(inside_parentheses(&format!("({columns}"))?);
        let template = split_list(inside_parentheses(row)?)
            .iter()
            .map(|item| template_item(item))
            .collect::<Result<Vec<_>>>()?;
        if template.len() != columns.len() {
            return Err(invalid(&format!(
                "{} columns but {} row items for {into}",
                columns.len(),
                template.len()
            )));
        }
        let skip_conflicts = match tail.trim() {
            "" => false,
            "ON CONFLICT DO NOTHING" => true,
            other => return Err(invalid(&format!("unsupported tail '{other}'"))),
        };
        let mut targets = self.targets.borrow_mut();
        targets.push(Target {
            table: table.trim().to_owned(),
            columns,
            template,
            skip_conflicts,
            data: Vec::new(),
            rows: 0,
        });
        Ok(Batch {
            bulk: self,
            target: targets.len() - 1,
        })
    }

    /// Rows for `INSERT INTO t (a, b) VALUES (?, ?) [ON CONFLICT DO NOTHING]`.
    pub(super) fn insert(&self, sql: &str) -> Result<Batch<'_>> {
        let rest = sql
            .trim()
            .strip_prefix("INSERT INTO ")
            .ok_or_else(|| invalid(&format!("not an INSERT: '{sql}'")))?;
        let (into, values) = rest
            .split_once(" VALUES ")
            .ok_or_else(|| invalid(&format!("no VALUES in '{sql}'")))?;
        let close = values
            .find(')')
            .ok_or_else(|| invalid(&format!("no row in '{sql}'")))?;
        let (row, tail) = values.split_at(close + 1);
        self.batch(into, row, tail)
    }

    /// Streams every table's rows into the database on `conn`, in the order the tables were
    /// named; returns the rows written.
    pub(super) async fn send(self, conn: &mut sqlx::PgConnection) -> Result<u64> {
        let mut written = 0;
        for (number, target) in self.targets.into_inner().into_iter().enumerate() {
            if target.rows == 0 {
                continue;
            }
            let columns = target.columns.join(", ");
            let into = if target.skip_conflicts {
                let staging = format!("rolemap_copy_{number}");
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS \
                     SELECT {columns} FROM {} WITH NO DATA",
                    target.table
                )))
                .execute(&mut *conn)
                .await?;
                staging
            } else {
                target.table.clone()
            };
            let mut copy = conn
                .copy_in_raw(&format!("COPY {into} ({columns}) FROM STDIN"))
                .await?;
            copy.send(target.data.as_slice()).await?;
            written += copy.finish().await?;
            if target.skip_conflicts {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO {} ({columns}) SELECT {columns} FROM {into} \
                     ON CONFLICT DO NOTHING",
                    target.table
                )))
                .execute(&mut *conn)
                .await?;
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE {into}")))
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Ok(written)
    }
}

impl Batch<'_> {
    /// Adds a row: its values in order, one for each `?` of the template. The answer is 0: COPY
    /// gives no row ids back, and every caller gives its ids itself.
    pub(super) fn row(&mut self, values: &[Val<'_>]) -> Result<i64> {
        let mut targets = self.bulk.targets.borrow_mut();
        let target = targets
            .get_mut(self.target)
            .ok_or_else(|| invalid("unknown table"))?;
        let wanted = target.template.iter().filter(|t| t.is_none()).count();
        if values.len() != wanted {
            return Err(invalid(&format!(
                "{} values for a row of {wanted} parameters",
                values.len()
            )));
        }
        let mut values = values.iter();
        let Target { template, data, .. } = target;
        for (column, item) in template.iter().enumerate() {
            if column > 0 {
                data.push(b'\t');
            }
            match item {
                Some(constant) => data.extend_from_slice(constant.as_bytes()),
                None => match values.next() {
                    Some(Val::Int(v)) | Some(Val::OptInt(Some(v))) => {
                        data.extend_from_slice(v.to_string().as_bytes());
                    }
                    Some(Val::Text(t)) | Some(Val::OptText(Some(t))) => escape_into(data, t),
                    Some(Val::OptInt(None)) | Some(Val::OptText(None)) => {
                        data.extend_from_slice(b"\\N");
                    }
                    None => return Err(invalid("too few values")),
                },
            }
        }
        data.push(b'\n');
        target.rows += 1;
        Ok(0)
    }

    /// Nothing left to do: the rows are sent by [`Bulk::send`]. Kept so that the writer reads
    /// as SQLite's.
    pub(super) fn finish(self) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_copy_text_with_constants_nulls_and_escapes() {
        let bulk = Bulk::new();
        let mut batch = bulk
            .batch("t (a, b, c, d)", "(?, 'alt', ?, NULL)", "")
            .unwrap_or_else(|e| panic!("{e}"));
        batch
            .row(&[Val::Int(7), Val::Text("tab\there\\ and\nline")])
            .unwrap_or_else(|e| panic!("{e}"));
        batch
            .row(&[Val::Int(8), Val::OptText(None)])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(batch.row(&[Val::Int(9)]).is_err(), "too few values");
        let targets = bulk.targets.into_inner();
        assert_eq!(targets[0].table, "t");
        assert_eq!(targets[0].columns, ["a", "b", "c", "d"]);
        assert_eq!(
            String::from_utf8_lossy(&targets[0].data),
            "7\talt\ttab\\there\\\\ and\\nline\t\\N\n8\talt\t\\N\t\\N\n"
        );
    }

    #[test]
    fn an_insert_with_on_conflict_is_staged() {
        let bulk = Bulk::new();
        bulk.insert(
            "INSERT INTO esco_labels (concept_id, kind, position, label) VALUES (?, ?, ?, ?) \
             ON CONFLICT DO NOTHING",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let targets = bulk.targets.into_inner();
        assert!(targets[0].skip_conflicts);
        assert_eq!(targets[0].table, "esco_labels");
        assert!(bulk_rejects("INSERT INTO t (a) VALUES (?) RETURNING id"));
    }

    fn bulk_rejects(sql: &str) -> bool {
        Bulk::new().insert(sql).is_err()
    }
}
