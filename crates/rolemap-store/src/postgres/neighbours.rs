//! Neighbour lists: every role's nearest roles, kept per framework as one blob tagged with the
//! frameworks generation they were computed for (migration 0007).

use sqlx::PgPool;

use crate::Result;

/// The neighbour lists kept for a framework's latest version, if they were computed for this
/// frameworks generation.
pub(super) async fn neighbour_lists(
    pool: &PgPool,
    framework: &str,
    generation: i64,
) -> Result<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> = sqlx::query_as(
        "SELECT n.data FROM neighbour_lists n \
         WHERE n.framework_id = (SELECT max(id) FROM frameworks WHERE key = $1) \
         AND n.generation = $2 \
         AND n.generation = (SELECT value FROM meta WHERE key = 'frameworks_generation')",
    )
    .bind(framework)
    .bind(generation)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(data,)| data))
}

/// Keeps a framework's neighbour lists, computed for frameworks `generation`, unless the
/// frameworks have changed since (then nothing is kept, and the answer is false).
pub(super) async fn keep_neighbour_lists(
    pool: &PgPool,
    framework: &str,
    generation: i64,
    data: &[u8],
) -> Result<bool> {
    let mut tx = super::begin_write(pool).await?;
    // Taking the write lock first: the generation read next then stays true until the commit.
    sqlx::query(
        "DELETE FROM neighbour_lists \
         WHERE framework_id IN (SELECT id FROM frameworks WHERE key = $1)",
    )
    .bind(framework)
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
    let written = sqlx::query(
        "INSERT INTO neighbour_lists (framework_id, generation, data) \
         SELECT max(id), $2, $3 FROM frameworks WHERE key = $1 HAVING max(id) IS NOT NULL",
    )
    .bind(framework)
    .bind(generation)
    .bind(data)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(written.rows_affected() == 1)
}
