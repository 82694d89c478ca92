//! Where a database is, as `--db` and `ROLEMAP_DB` name it: a PostgreSQL URL
//! (`postgres://...` or `postgresql://...`), or a SQLite file (`sqlite:PATH` or a plain path).
//! One function opens either as a [`Store`], and the migration commands look at either.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::{PgStore, Result, SqliteStore, Store};

/// A database to open.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    /// The URL as given (it may hold a password: show it with [`Location::shown`]).
    Postgres(String),
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Location({})", self.shown())
    }
}

/// One migration, applied or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    pub version: i64,
    pub description: String,
    pub applied: bool,
}

impl Location {
    /// Reads a `--db` value: a URL with the `postgres` or `postgresql` scheme is a server,
    /// `sqlite:PATH` (or `sqlite://PATH`) and anything else a file.
    pub fn parse(text: &Path) -> Location {
        let Some(utf8) = text.to_str() else {
            return Location::Sqlite(text.to_owned());
        };
        if utf8.starts_with("postgres://") || utf8.starts_with("postgresql://") {
            return Location::Postgres(utf8.to_owned());
        }
        match utf8
            .strip_prefix("sqlite://")
            .or_else(|| utf8.strip_prefix("sqlite:"))
        {
            Some(path) => Location::Sqlite(PathBuf::from(path)),
            None => Location::Sqlite(text.to_owned()),
        }
    }

    /// How to show it: the path, or the URL with any password replaced by `***`.
    pub fn shown(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => hide_password(url),
        }
    }

    /// Opens the database, creating a SQLite file if needed, and brings its schema up to date.
    pub async fn open(&self) -> Result<Arc<dyn Store>> {
        Ok(match self {
            Location::Sqlite(path) => Arc::new(SqliteStore::open(path).await?),
            Location::Postgres(url) => Arc::new(PgStore::open(url).await?),
        })
    }

    /// Every migration this build knows, and whether the database has it applied; nothing is
    /// changed (a SQLite file that does not exist has none applied).
    pub async fn migrations(&self) -> Result<Vec<MigrationState>> {
        let applied: Vec<i64> = match self {
            Location::Sqlite(path) => {
                if !path.exists() {
                    Vec::new()
                } else {
                    let options = sqlx::sqlite::SqliteConnectOptions::new()
                        .filename(path)
                        .read_only(true);
                    let pool = sqlx::SqlitePool::connect_with(options).await?;
                    let versions = sqlite_applied(&pool).await;
                    pool.close().await;
                    versions?
                }
            }
            Location::Postgres(url) => {
                let store = PgStore::open_unmigrated(url).await?;
                let versions = pg_applied(store.pool()).await;
                store.close().await;
                versions?
            }
        };
        let migrator = match self {
            Location::Sqlite(_) => &crate::sqlite::MIGRATOR,
            Location::Postgres(_) => &crate::postgres::MIGRATOR,
        };
        Ok(migrator
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
            .map(|m| MigrationState {
                version: m.version,
                description: m.description.to_string(),
                applied: applied.contains(&m.version),
            })
            .collect())
    }
}

/// The versions recorded in sqlx's `_sqlx_migrations` table of a SQLite file, none if it is not
/// there yet.
async fn sqlite_applied(pool: &sqlx::SqlitePool) -> Result<Vec<i64>> {
    let present: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = '_sqlx_migrations'")
            .fetch_one(pool)
            .await?;
    if present == 0 {
        return Ok(Vec::new());
    }
    Ok(
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(pool)
            .await?,
    )
}

/// The same for a PostgreSQL schema (the first on the connection's search path).
async fn pg_applied(pool: &sqlx::PgPool) -> Result<Vec<i64>> {
    let present: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(pool)
        .await?;
    if !present {
        return Ok(Vec::new());
    }
    Ok(
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(pool)
            .await?,
    )
}

/// `postgres://user:secret@host/db` as `postgres://user:***@host/db`.
fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths_name_their_backend() {
        assert_eq!(
            Location::parse(Path::new("postgres://u@h:5/db")),
            Location::Postgres("postgres://u@h:5/db".into())
        );
        assert_eq!(
            Location::parse(Path::new("postgresql://h/db")),
            Location::Postgres("postgresql://h/db".into())
        );
        assert_eq!(
            Location::parse(Path::new("sqlite:/tmp/a.db")),
            Location::Sqlite("/tmp/a.db".into())
        );
        assert_eq!(
            Location::parse(Path::new("data/rolemap.db")),
            Location::Sqlite("data/rolemap.db".into())
        );
    }

    #[test]
    fn a_password_is_never_shown() {
        let shown =
            Location::parse(Path::new("postgres://me:s3cret@db.example:5432/rm?x=1")).shown();
        assert_eq!(shown, "postgres://me:***@db.example:5432/rm?x=1");
        assert!(!shown.contains("s3cret"));
    }
}
