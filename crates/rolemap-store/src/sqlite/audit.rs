//! The audit log (migration 0017): [`record`] writes an entry inside the caller's transaction;
//! [`entries`] reads them back, newest first.

use rolemap_core::PersonId;
use sqlx::{SqliteConnection, SqlitePool};

use crate::audit::{Actor, AuditEntry, AuditFilter, Change, Via};
use crate::{Result, StoreError, UserId};

/// Records one change made by `actor` at `at`. Call it on the write's own transaction, so the
/// entry is kept exactly when the write is.
#[allow(dead_code)] // Until the first writes record through it.
pub(crate) async fn record(
    conn: &mut SqliteConnection,
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
pub(super) async fn entries(pool: &SqlitePool, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
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
         LIMIT coalesce($7, -1)",
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

#[cfg(test)]
mod tests {
    use rolemap_core::PersonId;
    use serde_json::json;

    use super::{entries, record};
    use crate::audit::{Actor, AuditFilter, Change, Via};
    use crate::{SqliteStore, UserId};

    fn change(action: &'static str, person: Option<i64>) -> Change {
        Change {
            action,
            subject: format!("{action}-subject"),
            person: person.map(PersonId),
            before: None,
            after: Some(json!({"level": "3"})),
        }
    }

    async fn store_with_entries() -> SqliteStore {
        let store = SqliteStore::in_memory()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let web = Actor {
            user: None,
            username: Some("aisha".into()),
            address: Some("10.0.0.7".into()),
            via: Via::Web,
        };
        let mut tx = store.pool.begin().await.unwrap_or_else(|e| panic!("{e}"));
        let writes = [
            (&web, "2026-01-01T10:00:00Z", change("person.add", Some(1))),
            (
                &web,
                "2026-01-02T10:00:00Z",
                change("assessment.add", Some(1)),
            ),
            (
                &Actor::cli(),
                "2026-01-03T10:00:00Z",
                change("person.update", Some(2)),
            ),
            (
                &Actor::cli(),
                "2026-01-04T10:00:00Z",
                change("personal.note", None),
            ),
        ];
        for (actor, at, change) in &writes {
            record(&mut tx, actor, at, change)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
        store
    }

    #[tokio::test]
    async fn entries_come_back_newest_first_with_who_where_and_what() {
        let store = store_with_entries().await;
        let all = entries(&store.pool, &AuditFilter::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "personal.note",
                "person.update",
                "assessment.add",
                "person.add"
            ]
        );
        let first = &all[3];
        assert_eq!(first.username.as_deref(), Some("aisha"));
        assert_eq!(first.address.as_deref(), Some("10.0.0.7"));
        assert_eq!(first.via, Via::Web);
        assert_eq!(first.user, None::<UserId>);
        assert_eq!(first.before, None);
        assert_eq!(first.after.as_deref(), Some(r#"{"level":"3"}"#));
        assert_eq!(all[0].via, Via::Cli);
    }

    #[tokio::test]
    async fn an_action_filter_is_a_whole_prefix_not_a_substring() {
        let store = store_with_entries().await;
        let filter = AuditFilter {
            action: Some("person".into()),
            ..AuditFilter::default()
        };
        let found = entries(&store.pool, &filter)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let actions: Vec<&str> = found.iter().map(|e| e.action.as_str()).collect();
        // "personal.note" starts with "person" but is another kind of change.
        assert_eq!(actions, ["person.update", "person.add"]);
    }

    #[tokio::test]
    async fn person_time_and_limit_filters_hold_together() {
        let store = store_with_entries().await;
        let filter = AuditFilter {
            person: Some(PersonId(1)),
            since: Some("2026-01-02T00:00:00Z".into()),
            until: Some("2026-01-05T00:00:00Z".into()),
            limit: Some(5),
            ..AuditFilter::default()
        };
        let found = entries(&store.pool, &filter)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].action, "assessment.add");
        let page = AuditFilter {
            limit: Some(2),
            ..AuditFilter::default()
        };
        let first = entries(&store.pool, &page)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let next = AuditFilter {
            before_id: Some(first[1].id),
            ..page
        };
        let second = entries(&store.pool, &next)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(second.len(), 2);
        assert_eq!(second[0].action, "assessment.add");
    }

    #[tokio::test]
    async fn the_log_refuses_updates_and_deletes_unless_its_person_is_being_erased() {
        let store = store_with_entries().await;
        let update = sqlx::query("UPDATE audit_log SET after = NULL WHERE person_id = 1")
            .execute(&store.pool)
            .await;
        assert!(update.is_err_and(|e| e.to_string().contains("append-only")));
        let delete = sqlx::query("DELETE FROM audit_log")
            .execute(&store.pool)
            .await;
        assert!(delete.is_err_and(|e| e.to_string().contains("append-only")));

        let mut tx = store.pool.begin().await.unwrap_or_else(|e| panic!("{e}"));
        sqlx::query("INSERT INTO audit_erasing (person_id) VALUES (1)")
            .execute(&mut *tx)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let scrubbed = sqlx::query("UPDATE audit_log SET after = NULL WHERE person_id = 1")
            .execute(&mut *tx)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scrubbed.rows_affected(), 2);
        // Person 2's entries stay untouchable during person 1's erasure.
        let other = sqlx::query("UPDATE audit_log SET after = NULL WHERE person_id = 2")
            .execute(&mut *tx)
            .await;
        assert!(other.is_err());
    }
}
