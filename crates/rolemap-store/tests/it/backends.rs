//! One test body, run on every backend: [`both!`] turns each `async fn name(db: &TestDb)` into
//! `name::sqlite` and `name::postgres`. SQLite runs on a file in a temporary directory; PostgreSQL
//! on the server `ROLEMAP_TEST_PG` names, in a schema of the test's own (made here, dropped
//! afterwards: `rolemap_store::testing`). Without that variable the PostgreSQL half says it is
//! skipped, or fails when `CI` is set, so a CI run cannot pass on SQLite alone.

use std::sync::Arc;

use rolemap_store::testing::PgSchema;
use rolemap_store::{Location, Store};

/// A database for one test: open it as many times as the test wants (each a separate store, as
/// separate processes would have).
pub struct TestDb {
    pub location: Location,
    /// SQLite: the directory holding the file.
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL: the test's schema, dropped with it.
    _schema: Option<PgSchema>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        TestDb {
            location: Location::Sqlite(dir.path().join("rolemap.db")),
            _dir: Some(dir),
            _schema: None,
        }
    }

    /// A fresh schema on the test server, or `None` (after saying so) when there is none.
    pub async fn postgres(test: &str) -> Option<TestDb> {
        let schema = PgSchema::create(test).await?;
        Some(TestDb {
            location: Location::Postgres(schema.url().to_owned()),
            _dir: None,
            _schema: Some(schema),
        })
    }

    /// Opens the database (migrating it) as a new store.
    pub async fn open(&self) -> Arc<dyn Store> {
        self.location.open().await.expect("open store")
    }

    /// Runs one statement outside the store, as someone with a SQL prompt would.
    pub async fn execute_raw(&self, sql: &'static str) -> Result<u64, sqlx::Error> {
        match &self.location {
            Location::Sqlite(path) => {
                let pool =
                    sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await?;
                let done = sqlx::query(sql).execute(&pool).await;
                pool.close().await;
                Ok(done?.rows_affected())
            }
            Location::Postgres(url) => {
                let pool = sqlx::PgPool::connect(url).await?;
                let done = sqlx::query(sql).execute(&pool).await;
                pool.close().await;
                Ok(done?.rows_affected())
            }
        }
    }
}

/// Runs each test body on SQLite and on PostgreSQL.
macro_rules! both {
    ($(
        $(#[$meta:meta])*
        async fn $name:ident($db:ident: &TestDb) $body:block
    )*) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($db: &$crate::backends::TestDb) $body

            #[tokio::test]
            async fn sqlite() {
                body(&$crate::backends::TestDb::sqlite().await).await;
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(db) = $crate::backends::TestDb::postgres(stringify!($name)).await {
                    body(&db).await;
                }
            }
        }
    )*};
}
