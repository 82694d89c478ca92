//! The command line on PostgreSQL (`--db postgres://...`): the same commands give the same
//! answers as on SQLite; `db status` and `db migrate`; `db copy` from SQLite and back. Skipped
//! without a test server (`ROLEMAP_TEST_PG`), failing instead when `CI` is set.

use crate::{Db, fail, ok};

/// Commands whose whole output must be the same on both backends for the demo organisation.
const SAME_ANSWERS: &[&[&str]] = &[
    &["frameworks"],
    &["roles", "--framework", "odp"],
    &["skills", "--framework", "odp"],
    &["role", "show", "odp:team-leader"],
    &["person", "list"],
    &["team", "matrix", "grace-okafor"],
    &["compare", "odp:team-leader", "odp:operations-manager"],
    &["jd", "odp:operations-manager", "--grade", "G7"],
    &["search", "data analysis"],
];

fn assert_same_answers(sqlite: &Db, pg: &Db) {
    for args in SAME_ANSWERS {
        assert_eq!(
            ok(&sqlite.path, args),
            ok(&pg.path, args),
            "rolemap {args:?} differs between SQLite and PostgreSQL"
        );
    }
}

#[test]
fn the_demo_answers_the_same_on_postgresql_and_migrations_are_listed() {
    let Some(pg) = Db::postgres("cli_demo") else {
        return;
    };
    let status = ok(&pg.path, &["db", "status"]);
    assert!(status.contains("0001 pending"), "{status}");
    // Every migration the PostgreSQL folder holds, applied by one `db migrate`.
    let known = std::fs::read_dir(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../rolemap-store/migrations/postgres"),
    )
    .expect("migrations folder")
    .count();
    let migrated = ok(&pg.path, &["db", "migrate"]);
    assert!(
        migrated.contains(&format!("{known} migration(s) applied")),
        "{migrated}"
    );
    let status = ok(&pg.path, &["db", "status"]);
    assert!(status.contains("0001 applied"), "{status}");
    assert!(status.contains("0 pending"), "{status}");

    ok(&pg.path, &["init", "--demo"]);
    let sqlite = Db::demo();
    assert_same_answers(&sqlite, &pg);

    // A write through the command line, read back the same way on both.
    for db in [&sqlite, &pg] {
        ok(
            &db.path,
            &["assess", "grace-okafor", "odp:data-and-insight", "E"],
        );
    }
    assert_same_answers(&sqlite, &pg);
    let refused = fail(&pg.path, &["person", "show", "nobody-at-all"]);
    assert!(refused.contains("nobody-at-all"), "{refused}");
}

#[test]
fn db_copy_moves_a_database_to_postgresql_and_back() {
    let Some(pg) = Db::postgres("cli_copy") else {
        return;
    };
    let sqlite = Db::demo();
    ok(
        &sqlite.path,
        &["assess", "grace-okafor", "odp:data-and-insight", "W"],
    );
    let from = format!("sqlite:{}", sqlite.path.display());
    let to = pg.path.to_str().expect("URL").to_owned();
    let copied = ok(&sqlite.path, &["db", "copy", "--from", &from, "--to", &to]);
    assert!(copied.starts_with("Copied "), "{copied}");
    assert_same_answers(&sqlite, &pg);

    let back = Db::empty();
    let back_path = back.path.to_str().expect("path").to_owned();
    ok(
        &back.path,
        &["db", "copy", "--from", &to, "--to", &back_path],
    );
    assert_same_answers(&sqlite, &back);

    let again = fail(&sqlite.path, &["db", "copy", "--from", &from, "--to", &to]);
    assert!(again.contains("already holds data"), "{again}");
}

/// The whole of ESCO into PostgreSQL (through `COPY`), when `ROLEMAP_ESCO_DIR` names the folder
/// of its zips: the same counts and the same answers as on SQLite.
#[test]
fn full_esco_release_on_postgresql() {
    let Some(dir) = std::env::var_os("ROLEMAP_ESCO_DIR") else {
        eprintln!("skipped: ROLEMAP_ESCO_DIR not set");
        return;
    };
    let Some(pg) = Db::postgres("cli_full_esco") else {
        return;
    };
    let dir = dir.to_str().expect("UTF-8 path").to_owned();
    let sqlite = Db::empty();
    let mut said = Vec::new();
    for db in [&sqlite, &pg] {
        let started = std::time::Instant::now();
        said.push(ok(&db.path, &["import", "esco", &dir]));
        eprintln!("imported ESCO in {:?}", started.elapsed());
    }
    assert_eq!(said[0], said[1]);
    assert!(
        said[1].contains("3007 occupations, 13896 skills"),
        "{}",
        said[1]
    );
    for args in [
        &["frameworks"][..],
        &[
            "role",
            "show",
            "ICT operations manager",
            "--framework",
            "esco",
        ],
        &["skill", "show", "manage staff", "--framework", "esco"],
        &["search", "data analysis"],
    ] {
        assert_eq!(
            ok(&sqlite.path, args),
            ok(&pg.path, args),
            "rolemap {args:?} differs between SQLite and PostgreSQL"
        );
    }
    // A second import of the same release changes nothing.
    let again = ok(&pg.path, &["import", "esco", &dir]);
    assert_eq!(
        ok(&sqlite.path, &["frameworks"]),
        ok(&pg.path, &["frameworks"]),
        "{again}"
    );
}
