//! Importing an ESCO release: one transaction on one connection, through a rollback journal when
//! it can, with the search index files kept in the same transaction.

use rolemap_formats::esco::{self as esco_format, EscoData};

use super::bulk::Bulk;
use super::frameworks::insert_framework;
use super::{SqliteStore, esco};
use crate::{Actor, ConceptKind, ImportIndex, ImportOutcome, Result};

/// Stores an ESCO release in one transaction on `conn` (see `Store::import_esco`).
async fn import_esco_on(
    conn: &mut sqlx::SqliteConnection,
    data: &EscoData,
    actor: &Actor,
    now: &str,
    index: Option<&mut dyn ImportIndex>,
) -> Result<ImportOutcome> {
    let meta = esco_format::framework_meta(data);
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
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
    // A 16 MiB page cache, eight times the usual: the B-trees being filled stay in memory, and
    // the pages the transaction is done with are written to the file as it goes (once the
    // journal is on disk) rather than all at the commit. Holding every page of ESCO's 40 MB
    // until the commit was slower, as every megabyte the process touches costs it time: the
    // import's peak went 209 -> 161 MB and its median 0.77 -> 0.70 s (11 runs side by side).
    sqlx::query("PRAGMA cache_size = -16384")
        .execute(&mut *tx)
        .await?;
    let framework_id = insert_framework(&mut tx, &meta, now).await?;
    // Secondary indexes of the tables ESCO fills most are built once its rows are in: one sort
    // costs less than 124,000 inserts at random places (requirements by skill: 77 ms -> 36 ms).
    // Their definitions are read back from the schema, so they stay as the migrations made them.
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL \
         AND name IN ('requirements_skill', 'skills_label', 'esco_broader_links_broader', \
         'esco_skill_links_related') ORDER BY name",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (name, _) in &indexes {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX \"{name}\"")))
            .execute(&mut *tx)
            .await?;
    }
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
    let ids = {
        // The rows go in through SQLite's C API, in this transaction (see `bulk`). On an
        // error the transaction is dropped, so nothing is written.
        let mut handle = tx.lock_handle().await?;
        esco::write(&Bulk::new(&mut handle), framework_id, data, next)?
    };
    for (_, sql) in indexes {
        sqlx::query(sqlx::AssertSqlSafe(sql))
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
    tx: &mut sqlx::SqliteConnection,
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

impl SqliteStore {
    /// `Store::import_esco`, keeping `index` if there is one.
    pub(super) async fn import_esco_with(
        &self,
        data: &EscoData,
        actor: &Actor,
        now: &str,
        index: Option<&mut dyn ImportIndex>,
    ) -> Result<ImportOutcome> {
        // One connection throughout, so the settings the import changes can be put back.
        let mut conn = self.pool.acquire().await?;
        // Foreign keys are not checked while ESCO goes in: every reference it writes is an id
        // SQLite has just given back in the same transaction, and checking them costs an index
        // lookup per row (600,000 for ESCO, a fifth of the writing time).
        // With no other connection to the file, the import goes through a rollback journal
        // rather than the write-ahead log: SQLite journals only the pages the database had
        // before (a few, for a fresh one) and writes every new page once, into the database
        // itself, where the log would take it twice (log, then checkpoint). The commit is as
        // all-or-nothing and durable as in the log (synchronous = FULL: the journal is on disk
        // before the database changes, the database before the journal goes); a crash leaves a
        // hot journal that the next open rolls back. SQLite refuses to leave WAL mode while any
        // other connection has the file open (a server, say), and then the log is used as ever.
        let rollback = self.start_bulk_import(&mut conn).await?;
        let outcome = import_esco_on(&mut conn, data, actor, now, index).await;
        self.end_bulk_import(&mut conn, rollback).await;
        let outcome = outcome?;
        if outcome.created {
            self.generation.forget();
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod esco_tests {
    use crate::Store;

    #[tokio::test]
    async fn an_esco_import_is_one_audit_entry_and_a_repeat_none() {
        let data = crate::sqlite::esco_fixture();
        let store = super::SqliteStore::in_memory()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let actor = crate::Actor {
            address: Some("192.0.2.8".to_owned()),
            ..crate::Actor::cli()
        };
        for _ in 0..2 {
            store
                .import_esco(&data, &actor, "2026-01-01T00:00:00Z")
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let entries = store
            .audit_entries(&crate::AuditFilter::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(entries.len(), 1, "{entries:?}");
        assert_eq!(entries[0].action, "framework.import");
        assert_eq!(entries[0].subject, format!("esco@{}", data.version));
        assert_eq!(entries[0].address.as_deref(), Some("192.0.2.8"));
        let after: serde_json::Value =
            serde_json::from_str(entries[0].after.as_deref().unwrap_or(""))
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(after["roles"], 3);
        assert_eq!(after["skills"], 6);
    }

    #[tokio::test]
    async fn esco_structure_is_stored_beside_roles_and_skills() {
        let data = crate::sqlite::esco_fixture();
        let store = super::SqliteStore::in_memory()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let outcome = store
            .import_esco(&data, &crate::Actor::cli(), "2026-01-01T00:00:00Z")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(outcome.created);
        assert_eq!((outcome.roles, outcome.skills), (3, 6));
        let count = |sql: &'static str| {
            let pool = store.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
        };
        let kinds: Vec<(String, i64)> =
            sqlx::query_as("SELECT kind, count(*) FROM esco_concepts GROUP BY kind ORDER BY kind")
                .fetch_all(&store.pool)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        let kinds: Vec<(&str, i64)> = kinds.iter().map(|(k, n)| (k.as_str(), *n)).collect();
        assert_eq!(
            kinds,
            [
                ("isco-group", 6),
                ("occupation", 3),
                ("skill", 6),
                ("skill-group", 5)
            ]
        );
        assert_eq!(
            count("SELECT count(*) FROM esco_labels WHERE kind = 'hidden'").await,
            3
        );
        assert_eq!(
            count("SELECT count(*) FROM esco_broader WHERE pillar = 'occupations'").await,
            7
        );
        assert_eq!(
            count("SELECT count(*) FROM esco_broader WHERE pillar = 'skills'").await,
            7
        );
        assert_eq!(count("SELECT count(*) FROM esco_skill_relations").await, 2);
        assert_eq!(
            count("SELECT count(*) FROM esco_hierarchy WHERE level1 IS NULL").await,
            2
        );
        assert_eq!(count("SELECT count(*) FROM esco_occupation_tags").await, 1);
        assert_eq!(
            count("SELECT count(*) FROM esco_concepts WHERE scope_note = 'Excludes managers.' AND definition = 'A leader of a team.'").await,
            1
        );
        assert_eq!(count("SELECT count(*) FROM requirements").await, 7);
        // The same release again changes nothing.
        let again = store
            .import_esco(&data, &crate::Actor::cli(), "2026-01-02T00:00:00Z")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!again.created);
        assert_eq!(count("SELECT count(*) FROM esco_concepts").await, 20);
    }
}

#[cfg(test)]
mod esco_index_tests {
    use crate::{ConceptKind, ImportIndex, SqliteStore, Store};

    /// Files that name every ESCO concept's id, for a given generation.
    struct Files {
        generation: i64,
        asked: bool,
        /// A rollback journal to look for when asked, and whether it was there.
        journal: Option<(std::path::PathBuf, bool)>,
    }

    impl ImportIndex for Files {
        fn generation(&self) -> i64 {
            self.generation
        }

        fn files(
            &mut self,
            id_of: &dyn Fn(ConceptKind, &str) -> Option<i64>,
        ) -> Option<Vec<(String, Vec<u8>)>> {
            self.asked = true;
            if let Some((path, there)) = &mut self.journal {
                *there = path.exists();
            }
            let data = crate::sqlite::esco_fixture();
            let mut ids: Vec<String> = data
                .occupations
                .iter()
                .map(|o| (ConceptKind::Role, &o.uri))
                .chain(data.skills.iter().map(|s| (ConceptKind::Skill, &s.uri)))
                .map(|(kind, uri)| format!("{:?}", id_of(kind, uri)))
                .collect();
            ids.sort();
            Some(vec![("ids".to_owned(), ids.join(",").into_bytes())])
        }
    }

    /// Imports the ESCO fixture into `store` (its file `r.db` in `dir`) with the index, and checks
    /// the import was new, asked for the index and went through a rollback journal (`journal`)
    /// or the log.
    async fn import_watching_the_journal(
        store: &SqliteStore,
        dir: &std::path::Path,
        journal: bool,
        why: &str,
    ) {
        let mut files = Files {
            generation: 0,
            asked: false,
            journal: Some((dir.join("r.db-journal"), !journal)),
        };
        let outcome = store
            .import_esco_indexed(
                &crate::sqlite::esco_fixture(),
                &crate::Actor::cli(),
                "2026-01-01T00:00:00Z",
                &mut files,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(outcome.created && files.asked);
        assert_eq!(
            files.journal.map(|(_, there)| there),
            Some(journal),
            "{why}"
        );
    }

    async fn import_through_a_rollback_journal(store: &SqliteStore, dir: &std::path::Path) {
        import_watching_the_journal(store, dir, true, "written through a rollback journal").await;
    }

    async fn journal_mode(store: &SqliteStore) -> String {
        sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&store.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[tokio::test]
    async fn an_indexed_import_keeps_the_files_in_its_transaction_and_the_log_after_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("r.db");
        let store = SqliteStore::open(&path)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // Idle connections are closed for the import's rollback journal.
        let idle = store.pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
        drop(idle);
        // Back in the pool (returning takes a task of its own).
        let waiting = std::time::Instant::now();
        while store.pool.num_idle() == 0 && waiting.elapsed() < std::time::Duration::from_secs(5) {
            tokio::task::yield_now().await;
        }
        import_through_a_rollback_journal(&store, dir.path()).await;
        assert_eq!(store.frameworks_generation().await.ok(), Some(1));
        let kept = store
            .search_index_files(1)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("the files are kept"));
        let text = String::from_utf8_lossy(&kept[0].1).into_owned();
        assert_eq!(text.matches("Some(").count(), 9, "{text}");
        assert_eq!(journal_mode(&store).await, "wal");
        assert!(!path.with_extension("db-journal").exists());
        let page_size: i64 = sqlx::query_scalar("PRAGMA page_size")
            .fetch_one(&store.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page_size, i64::from(crate::sqlite::PAGE_SIZE));
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&store.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check, "ok");
    }

    #[tokio::test]
    async fn beside_another_connection_the_import_goes_through_the_log() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("r.db");
        let store = SqliteStore::open(&path)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // Another process's connection, say a server's, holding the file open.
        let other = SqliteStore::open(&path)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let held = other.pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
        import_watching_the_journal(&store, dir.path(), false, "written through the log").await;
        drop(held);
        assert_eq!(journal_mode(&store).await, "wal");
        assert_eq!(other.frameworks_generation().await.ok(), Some(1));
    }

    #[tokio::test]
    async fn an_import_prepared_ahead_goes_through_the_rollback_journal_and_leaves_the_log() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("r.db");
        let store = SqliteStore::open(&path)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store
            .prepare_for_import()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // The file's header says so (byte 18: 1 for a rollback journal, 2 for the log).
        let header = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(header.get(18), Some(&1), "the file has left the log");
        import_through_a_rollback_journal(&store, dir.path()).await;
        assert_eq!(journal_mode(&store).await, "wal");
        assert_eq!(store.frameworks_generation().await.ok(), Some(1));
        // In memory there is no journal to switch: nothing to do.
        let memory = SqliteStore::in_memory()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(memory.prepare_for_import().await.is_ok());
    }

    #[tokio::test]
    async fn an_index_built_before_another_change_is_not_kept() {
        let store = SqliteStore::in_memory()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut files = Files {
            generation: 7,
            asked: false,
            journal: None,
        };
        let outcome = store
            .import_esco_indexed(
                &crate::sqlite::esco_fixture(),
                &crate::Actor::cli(),
                "2026-01-01T00:00:00Z",
                &mut files,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(outcome.created);
        assert!(!files.asked);
        assert_eq!(
            store.search_index_files(1).await.ok(),
            Some(None),
            "nothing kept"
        );
    }
}
