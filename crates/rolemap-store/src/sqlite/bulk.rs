//! Bulk inserts through SQLite's C API, for imports of hundreds of thousands of rows.
//!
//! sqlx copies every bound value into an argument buffer and sends each statement through a
//! channel to its worker thread; for ESCO's 330,000 rows that costs more than SQLite's own work.
//! Here the connection is taken from the worker ([`sqlx::sqlite::LockedSqliteHandle`]) and rows go
//! through prepared single-row statements: bind (text without copying), step, reset.
//!
//! This is the only module of the crate with `unsafe` code. Its invariants:
//! - [`Bulk`] holds the lock on the connection for as long as it lives, so no other thread makes
//!   calls on the handle or its statements meanwhile; it is neither `Send` nor `Sync`.
//! - Every [`Insert`] borrows its `Bulk`, so it cannot outlive the lock, and finalizes its
//!   statement when dropped.
//! - Text is bound with `SQLITE_STATIC` (SQLite keeps the pointer, not a copy). [`Insert::row`]
//!   borrows the values for the whole call and clears the bindings before returning, so SQLite
//!   never holds a pointer to text that may be gone.

#![allow(unsafe_code)]

use std::borrow::Cow;
use std::ffi::{CStr, c_int};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

use libsqlite3_sys as ffi;
use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::sqlite::LockedSqliteHandle;

use crate::{Result, StoreError};

/// One value bound to a statement parameter.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Val<'a> {
    Int(i64),
    OptInt(Option<i64>),
    Text(&'a str),
    OptText(Option<&'a str>),
}

/// A connection taken from sqlx's worker thread for direct calls.
pub(crate) struct Bulk<'c> {
    db: NonNull<ffi::sqlite3>,
    /// The lock: while it is borrowed, sqlx's worker keeps its hands off the connection.
    _locked: PhantomData<&'c mut LockedSqliteHandle<'c>>,
}

impl std::fmt::Debug for Bulk<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bulk").finish_non_exhaustive()
    }
}

impl<'c> Bulk<'c> {
    pub(crate) fn new(handle: &'c mut LockedSqliteHandle<'_>) -> Bulk<'c> {
        Bulk {
            db: handle.as_raw_handle(),
            _locked: PhantomData,
        }
    }

    /// Prepares an INSERT (or any statement that returns no rows) to be run once per row.
    pub(crate) fn insert(&self, sql: &str) -> Result<Insert<'_>> {
        let length = c_int::try_from(sql.len()).map_err(|_| invalid("SQL text too long"))?;
        let mut stmt = ptr::null_mut();
        // SAFETY: the handle is open and ours; `sql` is valid for `length` bytes (no NUL needed
        // when the length is given); `stmt` receives the statement or stays null.
        let code = unsafe {
            ffi::sqlite3_prepare_v3(
                self.db.as_ptr(),
                sql.as_ptr().cast(),
                length,
                ffi::SQLITE_PREPARE_PERSISTENT as _,
                &mut stmt,
                ptr::null_mut(),
            )
        };
        self.check(code)?;
        let stmt = NonNull::new(stmt).ok_or_else(|| invalid("empty SQL statement"))?;
        // SAFETY: `stmt` is a live statement.
        let params = unsafe { ffi::sqlite3_bind_parameter_count(stmt.as_ptr()) };
        Ok(Insert {
            stmt,
            db: self.db,
            params: usize::try_from(params).unwrap_or(0),
            _bulk: PhantomData,
        })
    }

    /// Prepares a batched INSERT into `into` (`t (a, b, c)`) of rows `row` (`(?, ?, 'x')`),
    /// followed by `tail` (say `ON CONFLICT DO NOTHING`). Rows handed to [`Batch::row`] go in
    /// [`BATCH_ROWS`] at a time, in order, and the last few one at a time by [`Batch::finish`].
    ///
    /// The statements are `INSERT OR FAIL`: a row that breaks a constraint ends its statement
    /// with an error, as a plain INSERT would, but the rows of that statement before it stay.
    /// So SQLite keeps no statement journal (a copy of every page a multi-row statement
    /// touches, to undo it alone); the caller rolls the whole transaction back on any error.
    pub(crate) fn batch<'v>(&self, into: &str, row: &str, tail: &str) -> Result<Batch<'_, 'v>> {
        let rows = vec![row; BATCH_ROWS].join(", ");
        let full = self.insert(&format!("INSERT OR FAIL INTO {into} VALUES {rows} {tail}"))?;
        let single = self.insert(&format!("INSERT OR FAIL INTO {into} VALUES {row} {tail}"))?;
        let width = single.params;
        if width == 0 || full.params != width * BATCH_ROWS {
            return Err(invalid("a batched row must have parameters"));
        }
        Ok(Batch {
            full,
            single,
            width,
            pending: Vec::with_capacity(width * BATCH_ROWS),
        })
    }

    /// Writes `bytes` over the blob in `column` of the row `rowid` of `table`, which must hold
    /// one of exactly that length (`zeroblob(n)`): SQLite copies them straight into its pages,
    /// where binding them would copy a blob of megabytes twice (the value, then the record).
    pub(crate) fn write_blob(
        &self,
        table: &CStr,
        column: &CStr,
        rowid: i64,
        bytes: &[u8],
    ) -> Result<()> {
        let length = c_int::try_from(bytes.len()).map_err(|_| invalid("blob too long"))?;
        let mut blob = ptr::null_mut();
        // SAFETY: the handle is open and ours; the names are NUL-terminated; `blob` receives
        // the handle or stays null.
        let code = unsafe {
            ffi::sqlite3_blob_open(
                self.db.as_ptr(),
                c"main".as_ptr(),
                table.as_ptr(),
                column.as_ptr(),
                rowid,
                1,
                &mut blob,
            )
        };
        self.check(code)?;
        // SAFETY: `blob` is open for writing (SQLite refuses a write past its end); `bytes` is
        // valid for `length` bytes and only read during the call. It is closed whatever the
        // write gave, once.
        let (written, closed) = unsafe {
            let written = ffi::sqlite3_blob_write(blob, bytes.as_ptr().cast(), length, 0);
            (written, ffi::sqlite3_blob_close(blob))
        };
        self.check(written)?;
        self.check(closed)
    }

    fn check(&self, code: c_int) -> Result<()> {
        if code == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(failure(self.db, code))
        }
    }
}

/// A prepared statement run once per row.
pub(crate) struct Insert<'b> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    db: NonNull<ffi::sqlite3>,
    /// The statement's parameter count: every row binds exactly this many values.
    params: usize,
    _bulk: PhantomData<&'b Bulk<'b>>,
}

impl std::fmt::Debug for Insert<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Insert")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl Insert<'_> {
    /// Runs the statement with `values` for its parameters, in order; returns the rowid of the
    /// row inserted (for `INSERT OR IGNORE` of a row that was ignored, the previous insert's).
    pub(crate) fn row(&mut self, values: &[Val<'_>]) -> Result<i64> {
        if values.len() != self.params {
            return Err(invalid(&format!(
                "{} values for a statement of {} parameters",
                values.len(),
                self.params
            )));
        }
        let stmt = self.stmt.as_ptr();
        let mut code = ffi::SQLITE_OK;
        for (i, value) in values.iter().enumerate() {
            // Parameters count from 1; `i + 1 <= params`, which came from a c_int.
            let index = (i + 1) as c_int;
            // SAFETY: `stmt` is live and not running (reset after each row); `index` is within
            // the statement's parameters; text pointers stay valid until the bindings are
            // cleared below, before `values` is released.
            code = unsafe {
                match *value {
                    Val::Int(v) | Val::OptInt(Some(v)) => ffi::sqlite3_bind_int64(stmt, index, v),
                    Val::OptInt(None) | Val::OptText(None) => ffi::sqlite3_bind_null(stmt, index),
                    Val::Text(text) | Val::OptText(Some(text)) => match c_int::try_from(text.len())
                    {
                        Ok(length) => ffi::sqlite3_bind_text(
                            stmt,
                            index,
                            text.as_ptr().cast(),
                            length,
                            ffi::SQLITE_STATIC(),
                        ),
                        Err(_) => ffi::SQLITE_TOOBIG,
                    },
                }
            };
            if code != ffi::SQLITE_OK {
                break;
            }
        }
        if code == ffi::SQLITE_OK {
            // SAFETY: every parameter is bound; `stmt` is live.
            code = unsafe { ffi::sqlite3_step(stmt) };
        }
        let result = if code == ffi::SQLITE_DONE || code == ffi::SQLITE_ROW {
            // SAFETY: the handle is open and ours.
            Ok(unsafe { ffi::sqlite3_last_insert_rowid(self.db.as_ptr()) })
        } else {
            Err(failure(self.db, code))
        };
        // SAFETY: `stmt` is live. Reset makes it ready for the next row (its return value repeats
        // the step's error, already taken); clearing drops the pointers into `values`.
        unsafe {
            ffi::sqlite3_reset(stmt);
            ffi::sqlite3_clear_bindings(stmt);
        }
        result
    }
}

/// Rows a [`Batch`] inserts with one statement: SQLite opens the table's and its indexes'
/// cursors, and ends the statement, once for them all rather than once a row.
pub(crate) const BATCH_ROWS: usize = 64;

/// A multi-row INSERT whose rows are collected until there are [`BATCH_ROWS`] of them, for rows
/// whose ids nobody needs. [`Batch::finish`] writes the rest: a batch dropped without it (after
/// an error, when the transaction is dropped too) leaves its last rows out.
pub(crate) struct Batch<'b, 'v> {
    full: Insert<'b>,
    single: Insert<'b>,
    /// Parameters a row.
    width: usize,
    pending: Vec<Val<'v>>,
}

impl std::fmt::Debug for Batch<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("width", &self.width)
            .field("pending", &(self.pending.len() / self.width))
            .finish_non_exhaustive()
    }
}

impl<'v> Batch<'_, 'v> {
    /// Adds a row (its values in order); inserts the batch once it is full.
    pub(crate) fn row(&mut self, values: &[Val<'v>]) -> Result<()> {
        if values.len() != self.width {
            return Err(invalid(&format!(
                "{} values for a row of {} parameters",
                values.len(),
                self.width
            )));
        }
        self.pending.extend_from_slice(values);
        if self.pending.len() < self.width * BATCH_ROWS {
            return Ok(());
        }
        let inserted = self.full.row(&self.pending);
        self.pending.clear();
        inserted.map(drop)
    }

    /// Inserts the rows not yet inserted.
    pub(crate) fn finish(mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        for row in pending.chunks(self.width) {
            self.single.row(row)?;
        }
        Ok(())
    }
}

impl Drop for Insert<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is live and used by nothing else; it is not used again.
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

/// SQLite's error for `code`, with the connection's message when it has one.
fn failure(db: NonNull<ffi::sqlite3>, code: c_int) -> StoreError {
    // SAFETY: the handle is open; the message is NUL-terminated text owned by SQLite, copied
    // before any other call on the handle.
    let (extended, message) = unsafe {
        let extended = ffi::sqlite3_extended_errcode(db.as_ptr());
        let message = ffi::sqlite3_errmsg(db.as_ptr());
        let message = if message.is_null() {
            String::new()
        } else {
            CStr::from_ptr(message).to_string_lossy().into_owned()
        };
        (extended, message)
    };
    // The connection's last error may be older than `code` (a bind that failed sets none).
    let (code, message) = if extended & 0xff == code & 0xff && !message.is_empty() {
        (extended, message)
    } else {
        (code, ffi::code_to_str(code).to_owned())
    };
    StoreError::Database(sqlx::Error::Database(Box::new(SqliteFailure {
        code,
        message,
    })))
}

fn invalid(message: &str) -> StoreError {
    failure_of(ffi::SQLITE_MISUSE, message.to_owned())
}

fn failure_of(code: c_int, message: String) -> StoreError {
    StoreError::Database(sqlx::Error::Database(Box::new(SqliteFailure {
        code,
        message,
    })))
}

/// An error SQLite returned to a direct call, shaped like the ones sqlx returns.
#[derive(Debug, thiserror::Error)]
#[error("(code: {code}) {message}")]
struct SqliteFailure {
    /// The extended result code.
    code: c_int,
    message: String,
}

impl DatabaseError for SqliteFailure {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.code.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use sqlx::Connection as _;
    use sqlx::sqlite::SqliteConnection;

    use super::{Bulk, Val};
    use crate::StoreError;

    /// Runs `f` on a fresh in-memory connection's table `t (id INTEGER PRIMARY KEY, a TEXT
    /// NOT NULL UNIQUE, b INTEGER)`, then returns the table's rows.
    async fn check(f: impl FnOnce(&Bulk<'_>)) -> Vec<(i64, String, Option<i64>)> {
        let mut conn = SqliteConnection::connect("sqlite::memory:")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL UNIQUE, b INTEGER)")
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        {
            let mut handle = conn.lock_handle().await.unwrap_or_else(|e| panic!("{e}"));
            f(&Bulk::new(&mut handle));
        }
        sqlx::query_as("SELECT id, a, b FROM t ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[tokio::test]
    async fn rows_go_in_with_their_values_and_ids() {
        let rows = check(|bulk| {
            let mut insert = bulk
                .insert("INSERT INTO t (a, b) VALUES (?, ?)")
                .unwrap_or_else(|e| panic!("{e}"));
            for (i, text) in ["one", "twö", ""].iter().enumerate() {
                // Text that is dropped right after the call: SQLite must not keep it.
                let owned = text.to_string();
                let b = (i != 1).then_some(i as i64);
                let id = insert
                    .row(&[Val::Text(&owned), Val::OptInt(b)])
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(id, i as i64 + 1);
            }
        })
        .await;
        assert_eq!(
            rows,
            [
                (1, "one".to_owned(), Some(0)),
                (2, "twö".to_owned(), None),
                (3, String::new(), Some(2))
            ]
        );
    }

    #[tokio::test]
    async fn a_failed_row_is_an_error_and_the_statement_goes_on() {
        let rows = check(|bulk| {
            let mut insert = bulk
                .insert("INSERT INTO t (a, b) VALUES (?, ?)")
                .unwrap_or_else(|e| panic!("{e}"));
            let row = |insert: &mut super::Insert<'_>, a| insert.row(&[Val::Text(a), Val::Int(1)]);
            assert!(row(&mut insert, "x").is_ok());
            match row(&mut insert, "x") {
                Err(StoreError::Database(sqlx::Error::Database(e))) => {
                    assert!(e.is_unique_violation(), "{e}");
                    assert!(e.message().contains("UNIQUE"), "{e}");
                }
                other => panic!("expected a unique violation, got {other:?}"),
            }
            assert!(row(&mut insert, "y").is_ok());
            // The wrong number of values is refused before anything is bound.
            assert!(insert.row(&[Val::Text("z")]).is_err());
            // NULL for a NOT NULL column.
            assert!(insert.row(&[Val::OptText(None), Val::Int(1)]).is_err());
        })
        .await;
        let texts: Vec<&str> = rows.iter().map(|(_, a, _)| a.as_str()).collect();
        assert_eq!(texts, ["x", "y"]);
    }

    #[tokio::test]
    async fn batched_rows_all_go_in_in_order() {
        for count in [
            0,
            1,
            super::BATCH_ROWS - 1,
            super::BATCH_ROWS,
            2 * super::BATCH_ROWS + 3,
        ] {
            let texts: Vec<String> = (0..count).map(|i| format!("row {i}")).collect();
            let rows = check(|bulk| {
                let mut batch = bulk
                    .batch("t (a, b)", "(?, ?)", "")
                    .unwrap_or_else(|e| panic!("{e}"));
                for (i, text) in texts.iter().enumerate() {
                    batch
                        .row(&[Val::Text(text), Val::Int(i as i64)])
                        .unwrap_or_else(|e| panic!("{e}"));
                }
                assert!(batch.row(&[Val::Text("short")]).is_err());
                batch.finish().unwrap_or_else(|e| panic!("{e}"));
            })
            .await;
            let expected: Vec<(i64, String, Option<i64>)> = texts
                .iter()
                .enumerate()
                .map(|(i, text)| (i as i64 + 1, text.clone(), Some(i as i64)))
                .collect();
            assert_eq!(rows, expected, "{count} rows");
        }
    }

    #[tokio::test]
    async fn a_batch_keeps_its_conflict_clause_and_reports_failures() {
        let rows = check(|bulk| {
            let mut batch = bulk
                .batch("t (a, b)", "(?, 7)", "ON CONFLICT DO NOTHING")
                .unwrap_or_else(|e| panic!("{e}"));
            for _ in 0..super::BATCH_ROWS + 1 {
                batch
                    .row(&[Val::Text("same")])
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            batch.finish().unwrap_or_else(|e| panic!("{e}"));
            assert!(bulk.batch("t (a, b)", "(1, 2)", "").is_err());
            let mut strict = bulk
                .batch("t (a, b)", "(?, 7)", "")
                .unwrap_or_else(|e| panic!("{e}"));
            for _ in 0..super::BATCH_ROWS {
                let _ = strict.row(&[Val::Text("twice")]);
            }
            assert!(strict.row(&[Val::Text("late")]).is_ok());
            assert!(strict.finish().is_ok());
        })
        .await;
        // The failed statement keeps the rows before the failing one (the caller's transaction
        // is rolled back on an error).
        let texts: Vec<&str> = rows.iter().map(|(_, a, _)| a.as_str()).collect();
        assert_eq!(texts, ["same", "twice", "late"]);
    }

    #[tokio::test]
    async fn bad_sql_is_an_error_not_a_crash() {
        check(|bulk| {
            assert!(bulk.insert("INSERT INTO nowhere VALUES (?)").is_err());
            assert!(bulk.insert("").is_err());
            assert!(bulk.insert("NOT SQL").is_err());
            assert!(bulk.insert("INSERT INTO t (nothing) VALUES (?)").is_err());
            assert!(bulk.insert("INSERT INTO t (a) VALUES ('e')").is_ok());
        })
        .await;
    }
}
