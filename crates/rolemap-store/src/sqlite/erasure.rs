//! The one path through the append-only rules (migration 0020): erasing a person, and purging
//! assessments past their retention. Each runs in one transaction that names what it may change
//! (`audit_erasing`, `audit_rewriting`, `assessments_purging`) for the triggers and empties those
//! tables again before it commits, so outside it the rules hold as ever.

use rolemap_core::PersonId;
use sqlx::{SqliteConnection, SqlitePool};

use super::audit;
use crate::{Actor, Change, Erasure, Result, StoreError};

/// Erases a person (see `Store::erase_person`).
pub(super) async fn erase_person(
    pool: &SqlitePool,
    person: PersonId,
    tombstone: &str,
    actor: &Actor,
    now: &str,
) -> Result<Erasure> {
    let mut tx = super::begin_write(pool).await?;
    let row: Option<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT key, name, manager_id FROM people WHERE id = $1")
            .bind(person.0)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((key, name, manager)) = row else {
        return Err(StoreError::NotFound {
            what: "person",
            id: person.0.to_string(),
        });
    };
    let user: Option<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, username, display_name, email FROM users WHERE person_id = $1")
            .bind(person.0)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query("INSERT INTO audit_erasing (person_id) VALUES ($1)")
        .bind(person.0)
        .execute(&mut *tx)
        .await?;

    let assessments = sqlx::query("DELETE FROM assessments WHERE person_id = $1")
        .bind(person.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();

    // Their reviews and goals go with their assessments (the cascade from `people` would take
    // them too; said here so the erasure reads whole).
    for delete in [
        "DELETE FROM reviews WHERE person_id = $1",
        "DELETE FROM goals WHERE person_id = $1",
    ] {
        sqlx::query(delete).bind(person.0).execute(&mut *tx).await?;
    }
    // A review cycle over their team keeps its people: it becomes a list of those below them
    // now, rather than going with the manager row (its `ON DELETE CASCADE`).
    sqlx::query(
        "INSERT OR IGNORE INTO review_cycle_people (cycle_id, person_id) \
         WITH RECURSIVE below(id) AS ( \
             SELECT id FROM people WHERE manager_id = $1 \
             UNION SELECT p.id FROM people p JOIN below b ON p.manager_id = b.id) \
         SELECT c.id, below.id FROM review_cycles c, below WHERE c.manager_id = $1",
    )
    .bind(person.0)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE review_cycles SET scope = 'list', manager_id = NULL WHERE manager_id = $1")
        .bind(person.0)
        .execute(&mut *tx)
        .await?;

    // Their reports keep a place in the tree: under the erased person's own manager.
    let reports: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, key FROM people WHERE manager_id = $1 ORDER BY id")
            .bind(person.0)
            .fetch_all(&mut *tx)
            .await?;
    sqlx::query("UPDATE people SET manager_id = $1 WHERE manager_id = $2")
        .bind(manager)
        .bind(person.0)
        .execute(&mut *tx)
        .await?;
    let manager_key: Option<String> = match manager {
        Some(id) => {
            sqlx::query_scalar("SELECT key FROM people WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };

    // What an entry may quote of them: their key and name, and their user's names and email.
    let mut personal = vec![key.clone(), name.clone()];
    if let Some((_, username, display_name, email)) = &user {
        personal.extend([username.clone(), display_name.clone(), email.clone()]);
    }
    personal.retain(|text| !text.trim().is_empty());
    let scrubbed = scrub_audit(
        &mut tx,
        person,
        user.as_ref().map(|u| u.0),
        &personal,
        tombstone,
    )
    .await?;

    if let Some((id, ..)) = &user {
        sqlx::query(
            "UPDATE users SET disabled = 1, person_id = NULL, username = $1, display_name = $1, \
             email = '', updated_at = $2 WHERE id = $3",
        )
        .bind(tombstone)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $1) WHERE user_id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    // A retried request's kept answer may hold them (the person a POST added).
    for text in [&key, &name] {
        sqlx::query("DELETE FROM idempotency_keys WHERE instr(CAST(body AS TEXT), $1) > 0")
            .bind(text)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM people WHERE id = $1")
        .bind(person.0)
        .execute(&mut *tx)
        .await?;

    for (report, report_key) in &reports {
        let change = Change {
            action: "person.update",
            subject: report_key.clone(),
            person: Some(PersonId(*report)),
            before: Some(serde_json::json!({ "manager": tombstone })),
            after: Some(serde_json::json!({ "manager": manager_key })),
        };
        audit::record(&mut tx, actor, now, &change).await?;
    }
    let erasure = Erasure {
        assessments,
        reports_moved: reports.len() as u64,
        user_disabled: user.is_some(),
        audit_entries_scrubbed: scrubbed,
    };
    let tomb = Change {
        action: "person.erase",
        subject: tombstone.to_owned(),
        person: None,
        before: None,
        after: Some(serde_json::json!({
            "assessments": erasure.assessments,
            "reports_moved": erasure.reports_moved,
            "user_disabled": erasure.user_disabled,
            "audit_entries_scrubbed": erasure.audit_entries_scrubbed,
        })),
    };
    audit::record(&mut tx, actor, now, &tomb).await?;
    sqlx::query("DELETE FROM audit_erasing")
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE meta SET value = value + 1 WHERE key = 'people_generation'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(erasure)
}

/// Rewrites the audit log so that no entry keeps the erased person's personal fields: the
/// entries about them keep what was done and when, with `tombstone` for the subject and their
/// before and after marked erased; the entries they made keep no name or address of theirs; and
/// any other entry quoting one of `personal` as a JSON string (a manager's key, a user's name)
/// quotes `tombstone` instead. Returns how many entries were about them.
async fn scrub_audit(
    conn: &mut SqliteConnection,
    person: PersonId,
    user: Option<i64>,
    personal: &[String],
    tombstone: &str,
) -> Result<u64> {
    // The entries about others that quote them, or that their user made: listed, so the
    // trigger lets exactly these be rewritten (0020).
    let quoted: Vec<String> = personal
        .iter()
        .map(|text| serde_json::Value::from(text.as_str()).to_string())
        .collect();
    for (text, quoted) in personal.iter().zip(&quoted) {
        sqlx::query(
            "INSERT OR IGNORE INTO audit_rewriting (entry_id) SELECT id FROM audit_log \
             WHERE instr(before, $1) > 0 OR instr(after, $1) > 0 OR subject = $2",
        )
        .bind(quoted)
        .bind(text)
        .execute(&mut *conn)
        .await?;
    }
    if let Some(user) = user {
        sqlx::query(
            "INSERT OR IGNORE INTO audit_rewriting (entry_id) SELECT id FROM audit_log \
             WHERE user_id = $1",
        )
        .bind(user)
        .execute(&mut *conn)
        .await?;
    }
    let erased = serde_json::json!({ "erased": tombstone }).to_string();
    let about = sqlx::query(
        "UPDATE audit_log SET subject = $1, person_id = NULL, \
         before = CASE WHEN before IS NULL THEN NULL ELSE $2 END, \
         after = CASE WHEN after IS NULL THEN NULL ELSE $2 END WHERE person_id = $3",
    )
    .bind(tombstone)
    .bind(&erased)
    .bind(person.0)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if let Some(user) = user {
        sqlx::query("UPDATE audit_log SET username = $1, address = NULL WHERE user_id = $2")
            .bind(tombstone)
            .bind(user)
            .execute(&mut *conn)
            .await?;
    }
    let quoted_tombstone = serde_json::Value::from(tombstone).to_string();
    for (text, quoted) in personal.iter().zip(&quoted) {
        for column in ["before", "after"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE audit_log SET {column} = replace({column}, $1, $2) \
                 WHERE instr({column}, $1) > 0"
            )))
            .bind(quoted)
            .bind(&quoted_tombstone)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query("UPDATE audit_log SET subject = $1 WHERE subject = $2")
            .bind(tombstone)
            .bind(text)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM audit_rewriting")
        .execute(&mut *conn)
        .await?;
    Ok(about)
}

/// Deletes the assessments recorded before `before` (see `Store::purge_assessments`).
pub(super) async fn purge_assessments(
    pool: &SqlitePool,
    before: &str,
    actor: &Actor,
    now: &str,
) -> Result<u64> {
    let mut tx = super::begin_write(pool).await?;
    sqlx::query("INSERT INTO assessments_purging (before) VALUES ($1)")
        .bind(before)
        .execute(&mut *tx)
        .await?;
    let purged = sqlx::query("DELETE FROM assessments WHERE at < $1")
        .bind(before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM assessments_purging")
        .execute(&mut *tx)
        .await?;
    let change = Change {
        action: "assessment.purge",
        subject: format!("before {before}"),
        person: None,
        before: None,
        after: Some(serde_json::json!({ "before": before, "assessments": purged })),
    };
    audit::record(&mut tx, actor, now, &change).await?;
    if purged > 0 {
        sqlx::query("UPDATE meta SET value = value + 1 WHERE key = 'people_generation'")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(purged)
}
