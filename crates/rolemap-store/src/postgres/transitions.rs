//! Observed moves between roles (how many people went from one role to another, by source).

use rolemap_core::RoleId;
use sqlx::PgPool;

use super::PgStore;
use crate::{Actor, Change, Result};

pub(super) async fn import_transitions(
    store: &PgStore,
    rows: &[(RoleId, RoleId, u32, String)],
    actor: &Actor,
    now: &str,
) -> Result<usize> {
    let mut tx = super::begin_write(&store.pool).await?;
    for (from, to, count, source) in rows {
        sqlx::query(
            "INSERT INTO transitions (from_role, to_role, source, count, imported_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (from_role, to_role, source) \
             DO UPDATE SET count = excluded.count, imported_at = excluded.imported_at",
        )
        .bind(from.0)
        .bind(to.0)
        .bind(source)
        .bind(i64::from(*count))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE meta SET value = value + 1 WHERE key = 'frameworks_generation'")
        .execute(&mut *tx)
        .await?;
    // One entry for the file, not one per movement.
    let mut sources: Vec<&str> = rows.iter().map(|r| r.3.as_str()).collect();
    sources.sort_unstable();
    sources.dedup();
    let change = Change {
        action: "transitions.import",
        subject: sources.join(", "),
        person: None,
        before: None,
        after: Some(serde_json::json!({
            "movements": rows.len(),
            "people": rows.iter().map(|r| u64::from(r.2)).sum::<u64>(),
        })),
    };
    super::audit::record(&mut tx, actor, now, &change).await?;
    tx.commit().await?;
    Ok(rows.len())
}

pub(super) async fn transitions(
    pool: &PgPool,
    framework: &str,
) -> Result<Vec<(RoleId, RoleId, u64)>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT t.from_role, t.to_role, sum(t.count)::int8 FROM transitions t \
         JOIN roles r ON r.id = t.from_role \
         WHERE r.framework_id = (SELECT max(id) FROM frameworks WHERE key = $1) \
         GROUP BY t.from_role, t.to_role ORDER BY t.from_role, t.to_role",
    )
    .bind(framework)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(from, to, count)| (RoleId(from), RoleId(to), count.unsigned_abs()))
        .collect())
}
