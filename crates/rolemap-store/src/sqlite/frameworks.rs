//! Frameworks: listing them and importing framework bundles (with the links between their roles)
//! in one transaction that moves the frameworks generation on.

use std::collections::HashMap;

use rolemap_core::bundle::FrameworkBundle;
use rolemap_core::{Framework, FrameworkId};
use rolemap_formats::Diagnostics;
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::audit;
use super::bulk::Val;
use super::bundle::{insert_bundle, insert_many};
use super::roles::stored_role;
use super::{SqliteStore, problem};
use crate::{Actor, ImportOutcome, Result, StoreError};

/// Inserts a framework's own row; returns its id.
pub(super) async fn insert_framework(
    tx: &mut Transaction<'_, Sqlite>,
    meta: &rolemap_core::bundle::FrameworkMeta,
    now: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO frameworks (key, name, version, source, licence, attribution, description, imported_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&meta.key)
    .bind(&meta.name)
    .bind(&meta.version)
    .bind(&meta.source)
    .bind(&meta.licence)
    .bind(&meta.attribution)
    .bind(&meta.description)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// A framework's row and its counts of roles and skills.
type FrameworkRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
);

/// What a stored framework version held when imported (`None`: not stored, or not kept).
pub(super) async fn framework_content(
    pool: &SqlitePool,
    key: &str,
    version: &str,
) -> Result<Option<String>> {
    let content: Option<Option<String>> =
        sqlx::query_scalar("SELECT content FROM frameworks WHERE key = $1 AND version = $2")
            .bind(key)
            .bind(version)
            .fetch_optional(pool)
            .await?;
    Ok(content.flatten())
}

pub(super) async fn frameworks(pool: &SqlitePool) -> Result<Vec<Framework>> {
    let rows: Vec<FrameworkRow> = sqlx::query_as(
        "SELECT f.id, f.key, f.name, f.version, f.source, f.licence, f.attribution, f.description, \
         (SELECT count(*) FROM roles r WHERE r.framework_id = f.id), \
         (SELECT count(*) FROM skills s WHERE s.framework_id = f.id) \
         FROM frameworks f ORDER BY f.key, f.id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, key, name, version, source, licence, attribution, description, roles, skills)| {
                Framework {
                    id: FrameworkId(id),
                    key,
                    name,
                    version,
                    source,
                    licence,
                    attribution,
                    description,
                    role_count: roles.unsigned_abs(),
                    skill_count: skills.unsigned_abs(),
                }
            },
        )
        .collect())
}

pub(super) async fn import_frameworks(
    store: &SqliteStore,
    bundles: &[FrameworkBundle],
    actor: &Actor,
    now: &str,
) -> Result<Vec<ImportOutcome>> {
    import_frameworks_keeping(store, bundles, None, actor, now).await
}

/// As [`import_frameworks`], and, when the first bundle is stored, the objects of the file it
/// came from under their format (`kept_objects`), in the same transaction.
pub(super) async fn import_frameworks_keeping(
    store: &SqliteStore,
    bundles: &[FrameworkBundle],
    kept: Option<(&str, &[rolemap_formats::kept::KeptObject])>,
    actor: &Actor,
    now: &str,
) -> Result<Vec<ImportOutcome>> {
    let size: usize = bundles.iter().map(|b| b.skills.len() + b.roles.len()).sum();
    if size < LARGE_IMPORT {
        let tx = super::begin_write(&store.pool).await?;
        return import_committed(store, tx, bundles, kept, actor, now).await;
    }
    // One connection throughout, so the settings the import changes can be put back.
    let mut conn = store.pool.acquire().await?;
    let rollback = store.start_bulk_import(&mut conn).await?;
    let outcomes = match sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await {
        Ok(tx) => import_committed(store, tx, bundles, kept, actor, now).await,
        Err(error) => Err(error.into()),
    };
    store.end_bulk_import(&mut conn, rollback).await;
    outcomes
}

/// Frameworks with this many skills and roles or more (an O*NET release: 1,016 occupations, 35
/// skills) go in as ESCO does, on a connection of their own without foreign key checks and
/// through a rollback journal when it can (see `import_esco_with`); the switch of journal costs
/// a few syncs, more than a small import takes.
const LARGE_IMPORT: usize = 1_000;

/// Imports `bundles` in `tx`, records them and commits.
async fn import_committed(
    store: &SqliteStore,
    mut tx: Transaction<'_, Sqlite>,
    bundles: &[FrameworkBundle],
    kept: Option<(&str, &[rolemap_formats::kept::KeptObject])>,
    actor: &Actor,
    now: &str,
) -> Result<Vec<ImportOutcome>> {
    let outcomes = import_in(&mut tx, bundles, kept, now).await?;
    // One entry per framework imported, not per row: the rows are the file's.
    for outcome in outcomes.iter().filter(|o| o.created) {
        audit::record(
            &mut tx,
            actor,
            now,
            &super::changes::framework_import(outcome),
        )
        .await?;
    }
    tx.commit().await?;
    // This store's own change is seen at once, whatever it remembered.
    store.generation.forget();
    Ok(outcomes)
}

/// Imports frameworks inside the caller's transaction (a draft's publication writes its own
/// record in the same one); on an error the caller drops the transaction, which rolls it back.
pub(super) async fn import_in(
    tx: &mut Transaction<'_, Sqlite>,
    bundles: &[FrameworkBundle],
    kept: Option<(&str, &[rolemap_formats::kept::KeptObject])>,
    now: &str,
) -> Result<Vec<ImportOutcome>> {
    let mut problems = Vec::new();
    let mut outcomes = Vec::new();
    let mut batch_roles: HashMap<(String, String), i64> = HashMap::new();
    let mut created = Vec::new();
    for bundle in bundles {
        let meta = &bundle.framework;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM frameworks WHERE key = $1 AND version = $2")
                .bind(&meta.key)
                .bind(&meta.version)
                .fetch_optional(&mut **tx)
                .await?;
        if exists.is_some() {
            outcomes.push(ImportOutcome {
                key: meta.key.clone(),
                version: meta.version.clone(),
                created: false,
                skills: 0,
                roles: 0,
                links: 0,
            });
            continue;
        }
        let (framework_id, role_ids) = insert_bundle(tx, bundle, now).await?;
        if let Some((format, objects)) = kept
            && std::ptr::eq(bundle, &bundles[0])
        {
            super::kept::insert_kept(tx, framework_id, format, objects).await?;
        }
        // Kept so that importing this version again can tell the same content from edits.
        sqlx::query("UPDATE frameworks SET content = $1 WHERE id = $2")
            .bind(bundle.content())
            .bind(framework_id)
            .execute(&mut **tx)
            .await?;
        for (key, id) in role_ids {
            batch_roles.insert((meta.key.clone(), key), id);
        }
        created.push((bundle, framework_id));
        outcomes.push(ImportOutcome {
            key: meta.key.clone(),
            version: meta.version.clone(),
            created: true,
            skills: bundle.skills.len(),
            roles: bundle.roles.len(),
            links: 0,
        });
    }

    for (bundle, framework_id) in created {
        let mut links = 0;
        // Links whose ends are roles of this import go in with multi-row INSERTs (O*NET has
        // 18,460); one statement a link cost as much as the rest of the import.
        let mut ends_found: Vec<(i64, i64, &rolemap_core::bundle::LinkDef)> = Vec::new();
        for link in &bundle.links {
            let mut ends = [None, None];
            for (slot, end) in ends.iter_mut().zip([&link.from, &link.to]) {
                let framework = end
                    .framework
                    .clone()
                    .unwrap_or_else(|| bundle.framework.key.clone());
                *slot = match batch_roles.get(&(framework.clone(), end.key.to_lowercase())) {
                    Some(id) => Some(*id),
                    None => stored_role(tx, &framework, &end.key)
                        .await?
                        .map(|(id, _)| id),
                };
                if slot.is_none() {
                    problems.push(problem(
                        &link.origin,
                        "unknown-role",
                        format!(
                            "no role '{}' in framework '{framework}' (stored or in this import)",
                            end.key
                        ),
                    ));
                }
            }
            if let [Some(from), Some(to)] = ends {
                ends_found.push((from, to, link));
                links += 1;
            }
        }
        let values: Vec<Val> = ends_found
            .iter()
            .flat_map(|(from, to, link)| {
                [
                    Val::Int(*from),
                    Val::Int(*to),
                    Val::Text(link.kind.as_str()),
                    Val::Text(&link.note),
                    Val::Int(framework_id),
                ]
            })
            .collect();
        // The version whose document states the link, so that it is written back with it.
        insert_many(
            tx,
            "role_links (from_role, to_role, kind, note, framework_id)",
            5,
            &values,
            "ON CONFLICT (from_role, to_role, kind) DO NOTHING",
        )
        .await?;
        if let Some(outcome) = outcomes
            .iter_mut()
            .find(|o| o.key == bundle.framework.key && o.created)
        {
            outcome.links = links;
        }
    }

    if !problems.is_empty() {
        return Err(StoreError::Invalid(Diagnostics(problems)));
    }
    if outcomes.iter().any(|o| o.created) {
        sqlx::query("UPDATE meta SET value = value + 1 WHERE key = 'frameworks_generation'")
            .execute(&mut **tx)
            .await?;
    }
    Ok(outcomes)
}

#[cfg(test)]
mod large_import_tests {
    use rolemap_core::bundle::FrameworkBundle;
    use rolemap_formats::kept::KeptObject;

    use crate::sqlite::SqliteStore;
    use crate::{Actor, Store};

    /// The ESCO fixture's framework with its first role repeated to [`super::LARGE_IMPORT`]
    /// roles, so that it takes the bulk path.
    fn large_bundle() -> FrameworkBundle {
        let mut bundle = rolemap_formats::esco::to_bundle(&crate::sqlite::esco_fixture());
        let first = bundle.roles[0].clone();
        for i in bundle.roles.len()..super::LARGE_IMPORT {
            let mut role = first.clone();
            role.key = format!("copy-{i}");
            bundle.roles.push(role);
        }
        bundle
    }

    async fn scalar<T>(store: &SqliteStore, sql: &'static str) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + Send + Unpin,
    {
        sqlx::query_scalar(sql)
            .fetch_one(&store.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    #[tokio::test]
    async fn a_large_import_is_all_or_nothing_and_puts_the_connection_back() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = SqliteStore::open(&dir.path().join("l.db"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let objects = [KeptObject {
            kind: "release".to_owned(),
            identifier: "r".to_owned(),
            json: "{}".to_owned(),
        }];
        // The last role names a skill the framework lacks: found once every row before it is
        // written through the C API, so those must go with the transaction.
        let mut broken = large_bundle();
        let last = broken.roles.len() - 1;
        broken.roles[last].requirements[0].skill = "no-such-skill".to_owned();
        let refused = store
            .import_kept(
                &broken,
                "test",
                &objects,
                &Actor::cli(),
                "2026-01-01T00:00:00Z",
            )
            .await;
        assert!(refused.is_err(), "{refused:?}");
        for sql in [
            "SELECT count(*) FROM frameworks",
            "SELECT count(*) FROM roles",
            "SELECT count(*) FROM requirements",
            "SELECT count(*) FROM kept_objects",
        ] {
            assert_eq!(scalar::<i64>(&store, sql).await, 0, "{sql}");
        }
        assert_eq!(scalar::<i64>(&store, "PRAGMA foreign_keys").await, 1);
        assert_eq!(scalar::<String>(&store, "PRAGMA journal_mode").await, "wal");

        let bundle = large_bundle();
        let outcome = store
            .import_kept(
                &bundle,
                "test",
                &objects,
                &Actor::cli(),
                "2026-01-01T00:00:00Z",
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(outcome.created);
        assert_eq!(
            scalar::<i64>(&store, "SELECT count(*) FROM roles").await,
            super::LARGE_IMPORT as i64
        );
        let requirements: usize = bundle.roles.iter().map(|r| r.requirements.len()).sum();
        assert_eq!(
            scalar::<i64>(&store, "SELECT count(*) FROM requirements").await,
            requirements as i64
        );
        assert_eq!(
            scalar::<i64>(&store, "SELECT count(*) FROM kept_objects").await,
            1
        );
        assert_eq!(scalar::<i64>(&store, "PRAGMA foreign_keys").await, 1);
        assert_eq!(scalar::<String>(&store, "PRAGMA journal_mode").await, "wal");
        assert_eq!(
            scalar::<String>(&store, "PRAGMA integrity_check").await,
            "ok"
        );
        let dangling: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(&store.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(dangling.is_empty(), "{dangling:?}");
        // Read back as it went in.
        let stored = store
            .framework_bundle(&bundle.framework.key, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("stored"));
        assert_eq!(stored.roles.len(), bundle.roles.len());
        assert_eq!(stored.content(), bundle.content());
    }
}
