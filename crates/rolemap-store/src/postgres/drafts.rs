//! Framework drafts: framework documents being written in the browser, kept until published as
//! a new version through the framework import, in the same transaction as the import.

use rolemap_core::bundle::FrameworkBundle;
use sqlx::PgPool;

use super::PgStore;
use super::audit::record;
use super::frameworks::import_in;
use crate::{
    Actor, Change, DraftUpdate, FrameworkDraft, ImportOutcome, NewDraft, Result, StoreError, UserId,
};

type DraftRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    String,
    String,
    Option<String>,
);

const COLUMNS: &str = "id, framework_key, version, based_on, document, created_by, created_at, \
                       updated_at, published_at";

fn draft(row: DraftRow) -> FrameworkDraft {
    let (
        id,
        framework_key,
        version,
        based_on,
        document,
        created_by,
        created_at,
        updated_at,
        published_at,
    ) = row;
    FrameworkDraft {
        id,
        framework_key,
        version,
        based_on,
        document,
        created_by: created_by.map(UserId),
        created_at,
        updated_at,
        published_at,
    }
}

pub(super) async fn drafts(pool: &PgPool) -> Result<Vec<FrameworkDraft>> {
    let rows: Vec<DraftRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM framework_drafts ORDER BY id DESC"
    )))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(draft).collect())
}

pub(super) async fn draft_by_id(pool: &PgPool, id: i64) -> Result<FrameworkDraft> {
    let row: Option<DraftRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM framework_drafts WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.map(draft).ok_or_else(|| StoreError::NotFound {
        what: "framework draft",
        id: id.to_string(),
    })
}

pub(super) async fn add_draft(
    pool: &PgPool,
    new: &NewDraft,
    actor: &Actor,
    now: &str,
) -> Result<FrameworkDraft> {
    let mut tx = super::begin_write(pool).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO framework_drafts (framework_key, version, based_on, document, created_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(&new.framework_key)
    .bind(&new.version)
    .bind(&new.based_on)
    .bind(&new.document)
    .bind(new.created_by.map(|u| u.0))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let change = Change {
        action: "framework.draft.create",
        subject: format!("draft:{id}"),
        person: None,
        before: None,
        after: Some(serde_json::json!({
            "framework": new.framework_key,
            "version": new.version,
            "based_on": new.based_on,
        })),
    };
    record(&mut tx, actor, now, &change).await?;
    tx.commit().await?;
    draft_by_id(pool, id).await
}

/// Replaces a draft's document; a published draft is kept as it went in and refuses edits.
/// `changes` says what the edit changed (recorded in the audit log).
pub(super) async fn update_draft(
    pool: &PgPool,
    edit: &DraftUpdate<'_>,
    actor: &Actor,
    now: &str,
) -> Result<FrameworkDraft> {
    let id = edit.id;
    let mut tx = super::begin_write(pool).await?;
    let stored: Option<(Option<String>, String, String)> = sqlx::query_as(
        "SELECT published_at, framework_key, version FROM framework_drafts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (published, old_key, old_version) = match stored {
        Some((published, key, version)) => (Some(published), key, version),
        None => (None, String::new(), String::new()),
    };
    match published {
        None => {
            return Err(StoreError::NotFound {
                what: "framework draft",
                id: id.to_string(),
            });
        }
        Some(Some(at)) => {
            return Err(StoreError::Conflict(format!(
                "draft {id} was published at {at} and can no longer change; start a new draft from the published version"
            )));
        }
        Some(None) => {}
    }
    sqlx::query(
        "UPDATE framework_drafts SET framework_key = $1, version = $2, document = $3, \
         updated_at = $4 WHERE id = $5",
    )
    .bind(edit.framework_key)
    .bind(edit.version)
    .bind(edit.document)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let change = Change {
        action: "framework.draft.edit",
        subject: format!("draft:{id}"),
        person: None,
        before: Some(serde_json::json!({ "framework": old_key, "version": old_version })),
        after: Some(serde_json::json!({
            "framework": edit.framework_key,
            "version": edit.version,
            "changes": edit.changes,
        })),
    };
    record(&mut tx, actor, now, &change).await?;
    tx.commit().await?;
    draft_by_id(pool, id).await
}

/// Imports the draft's bundle as a new framework version and marks the draft published, in one
/// transaction. A version already stored is refused: versions never change once stored.
pub(super) async fn publish_draft(
    store: &PgStore,
    id: i64,
    bundle: &FrameworkBundle,
    actor: &Actor,
    now: &str,
) -> Result<ImportOutcome> {
    let mut tx = super::begin_write(&store.pool).await?;
    let updated = sqlx::query(
        "UPDATE framework_drafts SET published_at = $1, updated_at = $1 \
         WHERE id = $2 AND published_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "draft {id} is not there or was already published"
        )));
    }
    let mut outcomes = import_in(&mut tx, std::slice::from_ref(bundle), None, now).await?;
    let outcome = outcomes.pop().ok_or_else(|| {
        StoreError::Corrupt("the import of one framework reported no outcome".into())
    })?;
    if !outcome.created {
        return Err(StoreError::Conflict(format!(
            "framework '{}' version '{}' is already stored, and stored versions never change; \
             give the draft a new version",
            outcome.key, outcome.version
        )));
    }
    let change = Change {
        action: "framework.publish",
        subject: format!("{}@{}", outcome.key, outcome.version),
        person: None,
        before: None,
        after: Some(serde_json::json!({
            "framework": outcome.key,
            "version": outcome.version,
            "draft": id,
            "roles": outcome.roles,
            "skills": outcome.skills,
            "links": outcome.links,
        })),
    };
    record(&mut tx, actor, now, &change).await?;
    tx.commit().await?;
    Ok(outcome)
}
