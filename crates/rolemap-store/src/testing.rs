//! For the workspace's tests: a fresh PostgreSQL schema of a test's own on the server
//! `ROLEMAP_TEST_PG` names, dropped when the value is. Without that variable there is none, and
//! the test says it is skipped; with `CI` set as well that is a failure instead, so a CI run cannot
//! pass without the PostgreSQL half of the suite.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The environment variable naming the test server (`postgres://postgres@127.0.0.1:PORT/postgres`).
pub const TEST_SERVER: &str = "ROLEMAP_TEST_PG";

/// A schema made for one test. Its [`PgSchema::url`] opens the server with the schema first on the
/// search path, so a store opened on it sees (and migrates) that schema alone.
#[derive(Debug)]
pub struct PgSchema {
    server: String,
    schema: String,
    url: String,
}

impl PgSchema {
    /// A fresh schema for `test`, or `None` (after printing that the test is skipped) when no
    /// server is set. Panics when `CI` is set without a server, or the server refuses.
    pub async fn create(test: &str) -> Option<PgSchema> {
        let Ok(server) = std::env::var(TEST_SERVER) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{test}: {TEST_SERVER} is not set, and CI must run the PostgreSQL tests"
            );
            eprintln!("{test}: skipped on PostgreSQL (set {TEST_SERVER}=postgres://...)");
            return None;
        };
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name: String = test
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(32)
            .collect();
        let schema = format!(
            "rm_{name}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let run = async {
            let pool = sqlx::PgPool::connect(&server).await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\"")))
                .execute(&pool)
                .await?;
            pool.close().await;
            Ok::<(), sqlx::Error>(())
        };
        if let Err(e) = run.await {
            panic!("{test}: cannot make a schema on the test server: {e}");
        }
        let separator = if server.contains('?') { '&' } else { '?' };
        let url = format!("{server}{separator}options=-csearch_path%3D{schema}");
        Some(PgSchema {
            server,
            schema,
            url,
        })
    }

    /// [`PgSchema::create`] for tests without a runtime of their own.
    pub fn create_blocking(test: &str) -> Option<PgSchema> {
        let test = test.to_owned();
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
                .map(|runtime| runtime.block_on(PgSchema::create(&test)))
        })
        .join()
        .unwrap_or_else(|_| panic!("making a test schema panicked"))
        .unwrap_or_else(|e| panic!("cannot start a runtime: {e}"))
    }

    /// The URL of the server with this schema first on the search path.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let (server, schema) = (self.server.clone(), self.schema.clone());
        // On a thread of its own with its own runtime: the test's runtime may be gone or busy.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(sqlx::Error::Io)?;
            runtime.block_on(async {
                let pool = sqlx::PgPool::connect(&server).await?;
                // A test that failed inside a transaction may still hold a lock on the schema
                // (its connection waits on the runtime this drop blocks): give up after a while
                // rather than wait for ever; the cluster is a test one.
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "SET lock_timeout = '5s'; DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
                )))
                .execute(&pool)
                .await?;
                pool.close().await;
                Ok::<(), sqlx::Error>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!(
                "could not drop the test schema {}: {dropped:?}",
                self.schema
            );
        }
    }
}
