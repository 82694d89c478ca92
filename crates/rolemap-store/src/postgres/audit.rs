//! The audit log (migration 0017): [`record`] writes an entry inside the caller's transaction;
//! [`entries`] reads them back, newest first.

use rolemap_core::PersonId;
use sqlx::{PgConnection, PgPool};

use crate::audit::{Actor, AuditEntry, AuditFilter, Change, Via};
use crate::{Result, StoreError, UserId};

/// Records one change made by `actor` at `at`. Call it on the write's own transaction, so the
/// entry is kept exactly when the write is.
#[allow(dead_code)] // Until the first writes record through it.
pub(crate) async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    at: &str,
    change: &Change,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, username, address, via, action, subject, person_id, \
         before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(at)
    .bind(actor.user.map(|u| u.0))
    .bind(actor.username.as_deref())
    .bind(actor.address.as_deref())
    .bind(actor.via.as_str())
    .bind(change.action)
    .bind(&change.subject)
    .bind(change.person.map(|p| p.0))
    .bind(change.before.as_ref().map(|v| v.to_string()))
    .bind(change.after.as_ref().map(|v| v.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    at: String,
    user_id: Option<i64>,
    username: Option<String>,
    address: Option<String>,
    via: String,
    action: String,
    subject: String,
    person_id: Option<i64>,
    before: Option<String>,
    after: Option<String>,
}

/// The entries the filter lets through, newest first (ties by id, so paging is stable).
pub(super) async fn entries(pool: &PgPool, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT id, at, user_id, username, address, via, action, subject, person_id, before, \
         after FROM audit_log \
         WHERE ($1 IS NULL OR person_id = $1) \
           AND ($2 IS NULL OR user_id = $2) \
           AND ($3 IS NULL OR action = $3 OR substr(action, 1, length($3) + 1) = $3 || '.') \
           AND ($4 IS NULL OR at >= $4) \
           AND ($5 IS NULL OR at < $5) \
           AND ($6 IS NULL OR id < $6) \
         ORDER BY at DESC, id DESC \
         LIMIT $7",
    )
    .bind(filter.person.map(|p| p.0))
    .bind(filter.user.map(|u| u.0))
    .bind(filter.action.as_deref())
    .bind(filter.since.as_deref())
    .bind(filter.until.as_deref())
    .bind(filter.before_id)
    .bind(filter.limit.map(i64::from))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(AuditEntry {
                id: row.id,
                via: Via::parse(&row.via).ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "audit entry {}: unknown via '{}'",
                        row.id, row.via
                    ))
                })?,
                at: row.at,
                user: row.user_id.map(UserId),
                username: row.username,
                address: row.address,
                action: row.action,
                subject: row.subject,
                person: row.person_id.map(PersonId),
                before: row.before,
                after: row.after,
            })
        })
        .collect()
}
