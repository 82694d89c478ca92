//! CASE 1.0 packages: the framework made of a package and the package's objects, stored in one
//! transaction, and the objects read back for export (`case_objects`, migration 0010).

use rolemap_core::bundle::FrameworkBundle;
use rolemap_formats::case::{CaseObject, Section};

use super::PgStore;
use super::bundle::insert_bundle;
use crate::{Actor, ImportOutcome, Result, StoreError};

/// Stores the framework and the package's objects; a key and version already stored are left as
/// they are (`created` false).
pub(super) async fn import_case(
    store: &PgStore,
    bundle: &FrameworkBundle,
    objects: &[CaseObject],
    actor: &Actor,
    now: &str,
) -> Result<ImportOutcome> {
    let meta = &bundle.framework;
    let mut tx = super::begin_write(&store.pool).await?;
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM frameworks WHERE key = $1 AND version = $2")
            .bind(&meta.key)
            .bind(&meta.version)
            .fetch_optional(&mut *tx)
            .await?;
    let mut outcome = ImportOutcome {
        key: meta.key.clone(),
        version: meta.version.clone(),
        created: false,
        skills: 0,
        roles: 0,
        links: 0,
    };
    if exists.is_some() {
        return Ok(outcome);
    }
    let (framework_id, _) = insert_bundle(&mut tx, bundle, now).await?;
    let mut positions = std::collections::HashMap::new();
    for object in objects {
        let position = positions.entry(object.section).or_insert(0_i64);
        sqlx::query(
            "INSERT INTO case_objects (framework_id, section, position, identifier, json) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(framework_id)
        .bind(object.section.as_str())
        .bind(*position)
        .bind(&object.identifier)
        .bind(&object.json)
        .execute(&mut *tx)
        .await?;
        *position += 1;
    }
    sqlx::query("UPDATE meta SET value = value + 1 WHERE key = 'frameworks_generation'")
        .execute(&mut *tx)
        .await?;
    outcome.created = true;
    outcome.skills = bundle.skills.len();
    outcome.roles = bundle.roles.len();
    super::audit::record(
        &mut tx,
        actor,
        now,
        &super::changes::framework_import(&outcome),
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The stored package of the latest version of `framework`, in package order; `None` when that
/// framework did not come from a CASE package (or is not stored).
pub(super) async fn case_objects(
    store: &PgStore,
    framework: &str,
) -> Result<Option<Vec<CaseObject>>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT o.section, o.identifier, o.json FROM case_objects o \
         WHERE o.framework_id = (SELECT max(id) FROM frameworks WHERE key = $1) \
         ORDER BY CASE o.section WHEN 'CFDocument' THEN 0 WHEN 'CFItems' THEN 1 \
         WHEN 'CFAssociations' THEN 2 WHEN 'CFDefinitions' THEN 3 ELSE 4 END, o.position",
    )
    .bind(framework)
    .fetch_all(&store.pool)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    rows.into_iter()
        .map(|(section, identifier, json)| {
            let section = Section::parse(&section).ok_or_else(|| {
                StoreError::Corrupt(format!("case_objects: unknown section '{section}'"))
            })?;
            Ok(CaseObject {
                section,
                identifier,
                json,
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// When the latest version of `framework` was imported, if it is stored.
pub(super) async fn imported_at(store: &PgStore, framework: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT imported_at FROM frameworks WHERE key = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(framework)
    .fetch_optional(&store.pool)
    .await?)
}
