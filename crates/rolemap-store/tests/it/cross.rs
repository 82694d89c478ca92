//! Both backends side by side: the same writes leave the same rows in each, ESCO included, and
//! `transfer::copy` moves a whole database from SQLite to PostgreSQL and back without losing a
//! value. These need a PostgreSQL server (`ROLEMAP_TEST_PG`) and say they are skipped without one.

use std::path::Path;
use std::sync::Arc;

use rolemap_core::bundle::PeopleBundle;
use rolemap_store::transfer::{self, Dump};
use rolemap_store::{NewUser, Store, StoredSession, UserRole};

use super::{NOW, TestDb, assessment, person, with_builtin};

pub fn esco_fixture() -> rolemap_formats::esco::EscoData {
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../rolemap-formats/tests/fixtures/esco");
    rolemap_formats::esco::open(
        &[
            fixtures.join("esco-v1.1.1-classification"),
            fixtures.join("esco-v1.1.1-relations"),
        ],
        rolemap_formats::esco::EscoOptions::default(),
        &mut |_, _| {},
    )
    .expect("ESCO fixture")
}

/// Frameworks, ESCO, people with assessments, a user with a session and a token, mappings and
/// kept blobs: a little of every table.
async fn fill(store: &Arc<dyn Store>) {
    store
        .import_esco(&esco_fixture(), &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("esco");
    let bundle = PeopleBundle {
        demo: false,
        people: vec![
            // A report stored before their manager: the copy must cope.
            person("agent", Some("odp:team-leader"), Some("heo"), Some("boss")),
            person("boss", Some("odp:operations-manager"), Some("G7"), None),
        ],
        assessments: vec![
            assessment("agent", "odp:data-and-insight", "W", NOW),
            assessment("agent", "odp:data-and-insight", "P", "2026-02-01T00:00:00Z"),
        ],
    };
    store
        .import_people(&bundle, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("people");
    let boss = store
        .people()
        .await
        .expect("people")
        .into_iter()
        .find(|p| p.key == "boss")
        .expect("boss");
    let user = store
        .add_user(
            &NewUser {
                username: "ann".into(),
                display_name: "Ann \"tab\there\" \\ 😀".into(),
                email: "ann@example.org".into(),
                role: UserRole::Manager,
                person: Some(boss.id),
                password_hash: "$argon2id$v=19$x".into(),
                demo: false,
            },
            &rolemap_store::Actor::cli(),
            NOW,
        )
        .await
        .expect("user");
    store
        .add_session(
            &[0, 1, 2, 255],
            &StoredSession {
                user: user.id,
                created_at: NOW.into(),
                last_seen_at: NOW.into(),
                expires_at: "2026-02-01T00:00:00Z".into(),
            },
            &rolemap_store::Actor::cli(),
        )
        .await
        .expect("session");
    store
        .add_api_token(user.id, "ci", &[9; 32], &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("token");
    let generation = store.frameworks_generation().await.expect("generation");
    assert!(
        store
            .keep_search_index_files(generation, &[("meta.json".into(), vec![0, 159, 146, 150])])
            .await
            .expect("keep files")
    );
    let odp = store.skill_texts("odp").await.expect("odp skills");
    let mapping = rolemap_core::Mapping {
        from: odp[0].0,
        to: odp[1].0,
        kind: rolemap_core::MappingKind::Close,
        confidence: 0.75,
    };
    store
        .apply_mappings(&[mapping], "map.csv", &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("mappings");
}

async fn dump(db: &TestDb) -> Dump {
    transfer::dump(&db.location).await.expect("dump")
}

/// Which table and row two dumps first differ at (a whole-dump `assert_eq!` prints megabytes).
fn first_difference(a: &Dump, b: &Dump) -> Option<String> {
    let tables_a: Vec<&String> = a.keys().collect();
    let tables_b: Vec<&String> = b.keys().collect();
    if tables_a != tables_b {
        return Some(format!("tables differ: {tables_a:?} / {tables_b:?}"));
    }
    for (table, rows) in a {
        let other = &b[table];
        if rows.len() != other.len() {
            return Some(format!(
                "{table}: {} rows / {} rows",
                rows.len(),
                other.len()
            ));
        }
        if let Some((x, y)) = rows.iter().zip(other).find(|(x, y)| x != y) {
            return Some(format!("{table}: {x:?} / {y:?}"));
        }
    }
    None
}

#[tokio::test]
async fn the_same_writes_leave_the_same_rows_on_both_backends() {
    let Some(pg) = TestDb::postgres("same_rows").await else {
        return;
    };
    let sqlite = TestDb::sqlite().await;
    for db in [&sqlite, &pg] {
        let store = with_builtin(db).await;
        fill(&store).await;
        store.close().await;
    }
    let (a, b) = (dump(&sqlite).await, dump(&pg).await);
    assert!(
        a["skills"].len() > 20,
        "ESCO and the built-in frameworks are in"
    );
    assert_eq!(first_difference(&a, &b), None);
}

#[tokio::test]
async fn a_copy_to_postgresql_and_back_is_lossless() {
    let Some(pg) = TestDb::postgres("copy_lossless").await else {
        return;
    };
    let sqlite = TestDb::sqlite().await;
    let store = with_builtin(&sqlite).await;
    fill(&store).await;
    store.close().await;
    let original = dump(&sqlite).await;

    let copied = transfer::copy(&sqlite.location, &pg.location)
        .await
        .expect("copy to PostgreSQL");
    assert_eq!(copied.tables, original.len());
    assert_eq!(first_difference(&original, &dump(&pg).await), None);

    let back = TestDb::sqlite().await;
    transfer::copy(&pg.location, &back.location)
        .await
        .expect("copy back");
    assert_eq!(first_difference(&original, &dump(&back).await), None);

    // The copy works as a database: new rows get new ids past the copied ones.
    let copy = pg.open().await;
    let new = rolemap_store::NewPerson {
        key: "after-copy".into(),
        name: "After".into(),
        role: None,
        grade: None,
        manager: None,
        team: String::new(),
        email: None,
    };
    let (added, _) = copy
        .add_person(&new, &[], &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("add person");
    assert!(added.id.0 > 2, "{added:?}");

    // A database that already holds data is never copied into.
    let refused = transfer::copy(&sqlite.location, &pg.location).await;
    assert!(refused.is_err(), "{refused:?}");
}
