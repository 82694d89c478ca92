//! The search index files kept in the database (`search_index_files`), for the frameworks
//! generation in `meta.search_index_generation`.

use sqlx::{SqliteConnection, SqlitePool};

use super::bulk::{Bulk, Val};
use crate::Result;

pub(super) async fn search_index_files(
    pool: &SqlitePool,
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
    pool: &SqlitePool,
    generation: i64,
    files: &[(String, Vec<u8>)],
) -> Result<bool> {
    let mut tx = super::begin_write(pool).await?;
    // Taking the write lock first: the generation read next then stays true until the commit.
    sqlx::query("UPDATE meta SET value = -1 WHERE key = 'search_index_generation'")
        .execute(&mut *tx)
        .await?;
    let current: i64 =
        sqlx::query_scalar("SELECT value FROM meta WHERE key = 'frameworks_generation'")
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
    tx: &mut SqliteConnection,
    generation: i64,
    files: &[(String, Vec<u8>)],
) -> Result<()> {
    sqlx::query("DELETE FROM search_index_files")
        .execute(&mut *tx)
        .await?;
    {
        // Through the C API, written into the pages of a blob of the right length: sqlx would
        // copy each file (all of ESCO's come to 11 MB) twice on the way to SQLite, which would
        // copy it twice more itself.
        let mut handle = tx.lock_handle().await?;
        let bulk = Bulk::new(&mut handle);
        let mut insert =
            bulk.insert("INSERT INTO search_index_files (name, data) VALUES (?, zeroblob(?))")?;
        for (name, data) in files {
            let length = i64::try_from(data.len()).unwrap_or(i64::MAX);
            let rowid = insert.row(&[Val::Text(name), Val::Int(length)])?;
            bulk.write_blob(c"search_index_files", c"data", rowid, data)?;
        }
    }
    sqlx::query("UPDATE meta SET value = $1 WHERE key = 'search_index_generation'")
        .bind(generation)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::sqlite::esco_fixture as esco_data;
    use crate::{SqliteStore, Store};

    #[tokio::test]
    async fn search_index_files_are_kept_for_one_generation() {
        let store = SqliteStore::in_memory()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let generation = store
            .frameworks_generation()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let files = vec![
            ("a".to_owned(), vec![1, 2, 3]),
            ("b".to_owned(), Vec::new()),
        ];
        let none = store
            .search_index_files(generation)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(none.is_none());
        // Built for a generation that is not the current one: not kept.
        let stale = store
            .keep_search_index_files(generation + 1, &files)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!stale);
        assert!(
            store
                .keep_search_index_files(generation, &files)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        );
        let kept = store
            .search_index_files(generation)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kept.as_deref(), Some(files.as_slice()));
        // Once frameworks change, what was kept no longer answers.
        let data = esco_data();
        store
            .import_esco(&data, &crate::Actor::cli(), "2026-01-01T00:00:00Z")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let after = store
            .frameworks_generation()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(after, generation);
        for g in [generation, after] {
            let kept = store
                .search_index_files(g)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(kept.is_none(), "generation {g}");
        }
    }
}
