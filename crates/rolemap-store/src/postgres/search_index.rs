//! The search index files kept in the database (`search_index_files`), for the frameworks
//! generation in `meta.search_index_generation`.

use sqlx::{PgConnection, PgPool};

use crate::Result;

pub(super) async fn search_index_files(
    pool: &PgPool,
    generation: i64,
) -> Result<Option<Vec<(String, Vec<u8>)>>> {
    let mut tx = pool.begin().await?;
    // Only files of the frameworks as they are now: an older generation's answer is never given.
    let (kept, current): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT (SELECT value FROM meta WHERE key = 'search_index_generation'), \
         (SELECT value FROM meta WHERE key = 'frameworks_generation')",
    )
    .fetch_one(&mut *tx)
    .await?;
    if kept != Some(generation) || current != Some(generation) {
        return Ok(None);
    }
    let files: Vec<(String, Vec<u8>)> =
        sqlx::query_as("SELECT name, data FROM search_index_files ORDER BY name")
            .fetch_all(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok((!files.is_empty()).then_some(files))
}

pub(super) async fn keep_search_index_files(
    pool: &PgPool,
    generation: i64,
    files: &[(String, Vec<u8>)],
) -> Result<bool> {
    let mut tx = super::begin_write(pool).await?;
    // Taking the write lock first: the generation read next then stays true until the commit.
    sqlx::query("UPDATE meta SET value = -1 WHERE key = 'search_index_generation'")
        .execute(&mut *tx)
        .await?;
    // FOR SHARE: an import that would move the generation on waits for this commit.
    let current: i64 =
        sqlx::query_scalar("SELECT value FROM meta WHERE key = 'frameworks_generation' FOR SHARE")
            .fetch_one(&mut *tx)
            .await?;
    if current != generation {
        tx.rollback().await?;
        return Ok(false);
    }
    write_search_index_files(&mut tx, generation, files).await?;
    tx.commit().await?;
    Ok(true)
}

/// Replaces the kept search index files with `files`, for `generation`, in the caller's
/// transaction.
pub(super) async fn write_search_index_files(
    tx: &mut PgConnection,
    generation: i64,
    files: &[(String, Vec<u8>)],
) -> Result<()> {
    sqlx::query("DELETE FROM search_index_files")
        .execute(&mut *tx)
        .await?;
    for (name, data) in files {
        sqlx::query("INSERT INTO search_index_files (name, data) VALUES ($1, $2)")
            .bind(name)
            .bind(data)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE meta SET value = $1 WHERE key = 'search_index_generation'")
        .bind(generation)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
