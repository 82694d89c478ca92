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

/// Whether the server at `address` answers with the ESCO fixture's occupation: found by a
/// search (the index of the current frameworks) and among ESCO's roles, and ESCO listed among
/// the frameworks.
fn answers_with_esco(address: &str, token: &str) -> (bool, bool, bool) {
    use crate::case::http_get;
    let (head, body) = http_get(address, token, "/api/v1/search?q=ICT+operations+manager");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let found = String::from_utf8_lossy(&body).contains("occupation/ict-operations-manager");
    let (_, body) = http_get(address, token, "/api/v1/roles?framework=esco");
    let named = String::from_utf8_lossy(&body).contains("occupation/ict-operations-manager");
    let (_, body) = http_get(address, token, "/api/v1/frameworks");
    let listed = String::from_utf8_lossy(&body).contains("\"key\":\"esco\"");
    (found, named, listed)
}

/// An ESCO import by the command line is seen by two servers on one PostgreSQL database within
/// 2 s of the command's end, though both had answered (and kept what they answered from)
/// before it: each reads the frameworks generation from the database on every request, and the
/// import keeps the search index of the new generation in its own transaction.
#[test]
fn an_esco_import_by_the_command_line_is_seen_by_two_servers_within_two_seconds() {
    let Some(pg) = Db::postgres("cli_two_servers_esco") else {
        return;
    };
    ok(&pg.path, &["init"]);
    let token = crate::api_token(&pg.path, "reader", "employee");
    let (_one, first) = crate::case::serve(&pg.path);
    let (_two, second) = crate::case::serve(&pg.path);
    for address in [&first, &second] {
        assert_eq!(
            answers_with_esco(address, &token),
            (false, false, false),
            "{address} before"
        );
    }
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rolemap-formats/tests/fixtures/esco");
    let [class, rel] = ["esco-v1.1.1-classification", "esco-v1.1.1-relations"]
        .map(|d| fixtures.join(d).to_str().expect("UTF-8 path").to_owned());
    let imported = ok(&pg.path, &["import", "esco", &class, &rel]);
    assert!(imported.contains("Imported ESCO 1.1.1"), "{imported}");
    let done = std::time::Instant::now();
    for address in [&first, &second] {
        loop {
            let seen = answers_with_esco(address, &token);
            if seen == (true, true, true) {
                break;
            }
            assert!(
                done.elapsed() < std::time::Duration::from_secs(2),
                "{address} did not answer with ESCO within 2 s of the import \
                 (searched, among the roles, listed: {seen:?})"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    eprintln!(
        "both servers answered with ESCO {:?} after the import",
        done.elapsed()
    );
}
