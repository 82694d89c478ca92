//! Switching the database file from the write-ahead log to a rollback journal for a bulk import,
//! and closing the pool's other connections so that SQLite allows it.

use std::time::{Duration, Instant};

use sqlx::Sqlite;
use sqlx::pool::PoolConnection;

use super::SqliteStore;
use crate::Result;

/// Makes ahead the switch to a rollback journal that `import_esco` makes (see
/// `import_esco_with`): leaving the log checkpoints it and rewrites the file's header, a few
/// syncs that can as well happen while the caller reads its files. The connection is put
/// back in the pool, so the reads before the import use it and find the file as it is; a
/// new connection would bring the log back, and the import would leave it again. If no
/// import follows, the file stays in the rollback journal, as safe, until a connection
/// opens it again (each one asks for the log).
pub(super) async fn prepare_for_import(store: &SqliteStore) -> Result<()> {
    if store.path.is_none() {
        return Ok(());
    }
    let mut conn = store.pool.acquire().await?;
    // With another connection open SQLite keeps the log; the import looks again.
    store.leave_the_log(&mut conn).await?;
    // Back in the pool before the caller's next read (returning takes a task of its own),
    // so that the read uses this connection rather than open one.
    drop(conn);
    let waiting = Instant::now();
    while store.pool.num_idle() == 0 && waiting.elapsed() < Duration::from_millis(20) {
        YieldNow(false).await;
    }
    Ok(())
}

impl SqliteStore {
    /// Switches `conn`'s file from the write-ahead log to a rollback journal with synchronous =
    /// FULL, closing the pool's other connections first; false where it stays in the log (in
    /// memory, or another connection has the file open).
    pub(super) async fn leave_the_log(&self, conn: &mut sqlx::SqliteConnection) -> Result<bool> {
        if self.path.is_none() {
            return Ok(false);
        }
        self.close_other_connections().await?;
        let mode = sqlx::query_scalar::<_, String>("PRAGMA journal_mode = DELETE")
            .fetch_one(&mut *conn)
            .await;
        if !matches!(mode, Ok(mode) if mode == "delete") {
            return Ok(false);
        }
        sqlx::query("PRAGMA synchronous = FULL")
            .execute(&mut *conn)
            .await?;
        Ok(true)
    }

    /// Readies `conn` for a bulk import (ESCO, a large framework): foreign keys unchecked and,
    /// when it can, a rollback journal (see `import_esco_with`). Returns whether the journal
    /// changed, for [`SqliteStore::end_bulk_import`].
    pub(super) async fn start_bulk_import(
        &self,
        conn: &mut sqlx::SqliteConnection,
    ) -> Result<bool> {
        // Every reference such an import writes is an id SQLite has just given back in the same
        // transaction, or one it looked up: checking them costs an index lookup per row. The
        // setting can only change outside a transaction.
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&mut *conn)
            .await?;
        self.leave_the_log(conn).await
    }

    /// Puts back what [`SqliteStore::start_bulk_import`] changed, whatever the import gave; a
    /// connection that cannot say it is back is closed rather than reused.
    pub(super) async fn end_bulk_import(&self, conn: &mut PoolConnection<Sqlite>, rollback: bool) {
        let restored = sqlx::query("PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000")
            .execute(&mut **conn)
            .await;
        let checked: std::result::Result<i64, _> = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut **conn)
            .await;
        let logged = !rollback
            || matches!(
                sqlx::query_scalar::<_, String>(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL"
                )
                .fetch_one(&mut **conn)
                .await,
                Ok(mode) if mode == "wal"
            );
        if restored.is_err() || !matches!(checked, Ok(1)) || !logged {
            conn.close_on_drop();
        }
    }

    /// Closes the pool's idle connections (they hold the file open; the pool opens new ones
    /// when needed), waiting up to 20 ms for any on their way back to it, until the caller's is
    /// the only one or the others are busy.
    async fn close_other_connections(&self) -> Result<()> {
        let started = Instant::now();
        loop {
            while let Some(idle) = self.pool.try_acquire() {
                idle.close().await?;
            }
            if self.pool.size() <= 1 || started.elapsed() > Duration::from_millis(20) {
                return Ok(());
            }
            YieldNow(false).await;
        }
    }
}

/// Lets the runtime run other tasks (a connection's return to the pool) before going on.
struct YieldNow(bool);

impl std::future::Future for YieldNow {
    type Output = ();

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        context.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}
