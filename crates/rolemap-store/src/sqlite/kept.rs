//! Files of a standard format kept whole: the framework made of a file and the file's objects as
//! JSON, stored in one transaction, and read back for export (`kept_objects`, migration 0022).

use rolemap_core::bundle::FrameworkBundle;
use rolemap_formats::kept::KeptObject;

use sqlx::{Sqlite, Transaction};

use super::SqliteStore;
use super::bulk::Val;
use crate::{Actor, ImportOutcome, Result, StoreError};

/// Stores the framework (as [`super::frameworks::import_frameworks`] does: links, content and
/// all) and the file's objects under `format`, in one transaction; a key and version already
/// stored are left as they are (`created` false).
pub(super) async fn import_kept(
    store: &SqliteStore,
    bundle: &FrameworkBundle,
    format: &str,
    objects: &[KeptObject],
    actor: &Actor,
    now: &str,
) -> Result<ImportOutcome> {
    let mut outcomes = super::frameworks::import_frameworks_keeping(
        store,
        std::slice::from_ref(bundle),
        Some((format, objects)),
        actor,
        now,
    )
    .await?;
    outcomes.pop().ok_or_else(|| {
        StoreError::Corrupt("the import of one framework reported no outcome".to_owned())
    })
}

/// Inserts a file's objects for a framework just inserted, in the caller's transaction.
pub(super) async fn insert_kept(
    tx: &mut Transaction<'_, Sqlite>,
    framework_id: i64,
    format: &str,
    objects: &[KeptObject],
) -> Result<()> {
    let mut values = Vec::with_capacity(objects.len() * 6);
    for (position, object) in objects.iter().enumerate() {
        values.extend([
            Val::Int(framework_id),
            Val::Text(format),
            Val::Int(position as i64),
            Val::Text(&object.kind),
            Val::Text(&object.identifier),
            Val::Text(&object.json),
        ]);
    }
    // O*NET keeps an object per occupation, 1,000 and more: one statement each cost more than
    // SQLite's own work.
    super::bundle::insert_many(
        tx,
        "kept_objects (framework_id, format, position, kind, identifier, json)",
        6,
        &values,
        "",
    )
    .await
}

/// The kept objects of `format` of the latest version of `framework`, in file order; `None` when
/// that version did not come from a file of that format (or is not stored).
pub(super) async fn kept_objects(
    store: &SqliteStore,
    framework: &str,
    format: &str,
) -> Result<Option<Vec<KeptObject>>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT o.kind, o.identifier, o.json FROM kept_objects o \
         WHERE o.framework_id = (SELECT max(id) FROM frameworks WHERE key = $1) \
         AND o.format = $2 ORDER BY o.position",
    )
    .bind(framework)
    .bind(format)
    .fetch_all(&store.pool)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        rows.into_iter()
            .map(|(kind, identifier, json)| KeptObject {
                kind,
                identifier,
                json,
            })
            .collect(),
    ))
}
