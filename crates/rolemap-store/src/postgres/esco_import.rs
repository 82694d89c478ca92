//! Importing an ESCO release into PostgreSQL: one transaction, every table's rows streamed with
//! `COPY` (see `copy.rs`), with the search index files kept in the same transaction. All or
//! nothing: on any error the transaction is dropped and nothing is written.

use rolemap_formats::esco::{self as esco_format, EscoData};

use super::copy::Bulk;
use super::frameworks::insert_framework;
use super::{PgStore, esco};
use crate::{Actor, ConceptKind, ImportIndex, ImportOutcome, Result};

/// The tables whose ids the import gives itself.
const ID_TABLES: [&str; 3] = ["skills", "roles", "esco_concept_fields"];

/// `Store::import_esco`, keeping `index` if there is one.
pub(super) async fn import_esco(
    store: &PgStore,
    data: &EscoData,
    actor: &Actor,
    now: &str,
    index: Option<&mut dyn ImportIndex>,
) -> Result<ImportOutcome> {
    let meta = esco_format::framework_meta(data);
    let mut tx = store.pool.begin().await?;
    // The ids are worked out here rather than drawn from the sequences one by one, so the
    // tables that get them take no other rows until the commit (reads go on).
    sqlx::query("LOCK TABLE frameworks, skills, roles, esco_concept_fields IN EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM frameworks WHERE key = $1 AND version = $2")
            .bind(&meta.key)
            .bind(&meta.version)
            .fetch_optional(&mut *tx)
            .await?;
    let mut outcome = ImportOutcome {
        key: meta.key.clone(),
        version: meta.version.clone(),
        created: exists.is_none(),
        skills: 0,
        roles: 0,
        links: 0,
    };
    if exists.is_some() {
        return Ok(outcome);
    }
    let framework_id = insert_framework(&mut tx, &meta, now).await?;
    let (skill, role, concept): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT coalesce(max(id), 0) + 1 FROM skills), \
         (SELECT coalesce(max(id), 0) + 1 FROM roles), \
         (SELECT coalesce(max(id), 0) + 1 FROM esco_concept_fields)",
    )
    .fetch_one(&mut *tx)
    .await?;
    let next = esco::NextIds {
        skill,
        role,
        concept,
    };
    // The rows are collected first (no await while the writer borrows them), then streamed.
    let bulk = Bulk::new();
    let ids = esco::write(&bulk, framework_id, data, next)?;
    bulk.send(&mut tx).await?;
    // The identity sequences move past the ids given here, so later rows do not collide.
    for table in ID_TABLES {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )))
        .execute(&mut *tx)
        .await?;
    }
    let generation: i64 = sqlx::query_scalar(
        "UPDATE meta SET value = value + 1 WHERE key = 'frameworks_generation' RETURNING value",
    )
    .fetch_one(&mut *tx)
    .await?;
    if let Some(index) = index {
        keep_index_on_import(&mut tx, index, &ids, generation).await?;
    }
    outcome.skills = data.skills.len();
    outcome.roles = data.occupations.len();
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

/// Keeps `index`'s files for `generation`, the one the import makes, in the import's
/// transaction if the index was built at the one before; inside a savepoint, so that when
/// writing them fails none are kept and the import goes on.
async fn keep_index_on_import(
    tx: &mut sqlx::PgConnection,
    index: &mut dyn ImportIndex,
    ids: &esco::EscoIds<'_>,
    generation: i64,
) -> Result<()> {
    if index.generation() + 1 != generation {
        return Ok(());
    }
    let files = index.files(&|kind, key| match kind {
        ConceptKind::Role => ids.roles.get(key).copied(),
        ConceptKind::Skill => ids.skills.get(key).copied(),
    });
    let Some(files) = files else {
        return Ok(());
    };
    sqlx::query("SAVEPOINT keep_search_index")
        .execute(&mut *tx)
        .await?;
    if super::search_index::write_search_index_files(tx, generation, &files)
        .await
        .is_err()
    {
        sqlx::query("ROLLBACK TO keep_search_index")
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("RELEASE keep_search_index")
        .execute(&mut *tx)
        .await?;
    Ok(())
}
