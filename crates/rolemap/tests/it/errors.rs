//! Mistakes people make at the command line: each fails with a message that says what would fix
//! it, and changes nothing.

use crate::{Db, array, fail, json, ok, people_count};

#[test]
fn unknown_role_suggests_close_names() {
    let db = Db::init();
    let err = fail(&db.path, &["role", "show", "team leadr"]);
    assert!(err.contains("no role named 'team leadr'"), "{err}");
    assert!(err.contains("did you mean"), "{err}");
    assert!(err.contains("'Team Leader'"), "{err}");

    let err = fail(&db.path, &["compare", "odp:team-leader", "odp:team-leadr"]);
    assert!(
        err.contains("did you mean") && err.contains("Team Leader"),
        "{err}"
    );
}

#[test]
fn ambiguous_title_lists_every_match_and_how_to_choose() {
    let db = Db::init();
    let err = fail(&db.path, &["role", "show", "Operations Manager"]);
    assert!(
        err.contains("'Operations Manager' could be any of 2 roles"),
        "{err}"
    );
    assert!(err.contains("odp:operations-manager"), "{err}");
    assert!(err.contains("ops-compared:operations-manager"), "{err}");
    assert!(err.contains("name one by id or framework:key"), "{err}");

    // Each way the message suggests does pick one.
    for name in ["odp:operations-manager", "ops-compared:operations-manager"] {
        let role = json(&db.path, &["role", "show", name]);
        assert_eq!(role["title"], "Operations Manager");
    }
    // So does narrowing by framework.
    let role = json(
        &db.path,
        &[
            "role",
            "show",
            "Operations Manager",
            "--framework",
            "ops-compared",
        ],
    );
    assert_eq!(role["framework"], "ops-compared");
}

#[test]
fn invalid_level_lists_the_valid_ones_and_records_nothing() {
    let db = Db::demo();
    let before = json(&db.path, &["person", "show", "liam-doyle"]);
    let count = array(&before, "history").len();
    assert!(count > 0, "the demo records assessments for Liam");

    for level in ["Z", "Master", ""] {
        let err = fail(
            &db.path,
            &[
                "assess",
                "liam-doyle",
                "Data and insight (core skill)",
                level,
            ],
        );
        assert!(err.contains("level:"), "{err}");
        assert!(
            err.contains("valid levels: A (Awareness), W (Working), P (Practitioner), E (Expert)"),
            "{err}"
        );
    }
    let err = fail(
        &db.path,
        &[
            "assess",
            "liam-doyle",
            "Data and insight (core skill)",
            "X",
            "--source",
            "manager",
        ],
    );
    assert!(
        err.contains("A (Awareness), W (Working), P (Practitioner), E (Expert)"),
        "{err}"
    );

    let after = json(&db.path, &["person", "show", "liam-doyle"]);
    assert_eq!(array(&after, "history").len(), count);
    assert_eq!(after, before, "a refused assessment changed Liam's record");
}

#[test]
fn unknown_skill_or_person_in_assess_records_nothing() {
    let db = Db::demo();
    let before = json(&db.path, &["person", "show", "liam-doyle"]);
    let err = fail(&db.path, &["assess", "liam-doyle", "Data and insite", "W"]);
    assert!(
        err.contains("no skill named 'Data and insite'") && err.contains("did you mean"),
        "{err}"
    );
    let err = fail(
        &db.path,
        &["assess", "liam-doyel", "Data and insight (core skill)", "W"],
    );
    assert!(err.contains("no person named 'liam-doyel'"), "{err}");
    assert_eq!(json(&db.path, &["person", "show", "liam-doyle"]), before);
}

#[test]
fn person_add_with_a_grade_the_role_lacks_adds_nobody() {
    let db = Db::demo();
    let count = people_count(&db.path);
    let err = fail(
        &db.path,
        &[
            "person",
            "add",
            "Bob Smith",
            "--role",
            "odp:team-leader",
            "--grade",
            "G7",
            "--manager",
            "grace-okafor",
        ],
    );
    assert!(
        err.contains("grade: role 'Team Leader' has no grade 'G7'"),
        "{err}"
    );
    assert!(err.contains("EO, HEO, SEO"), "{err}");
    assert_eq!(people_count(&db.path), count);

    // An unknown manager or role adds nobody either.
    fail(
        &db.path,
        &[
            "person",
            "add",
            "Bob Smith",
            "--role",
            "odp:team-leader",
            "--manager",
            "nobody-here",
        ],
    );
    fail(
        &db.path,
        &["person", "add", "Bob Smith", "--role", "Operations Manager"],
    );
    assert_eq!(people_count(&db.path), count);
    let err = fail(&db.path, &["person", "show", "Bob Smith"]);
    assert!(err.contains("no person named 'Bob Smith'"), "{err}");
}

#[test]
fn jd_for_a_graded_role_needs_a_grade() {
    let db = Db::init();
    let run = crate::rolemap(&db.path, &["jd", "odp:team-leader"]);
    assert!(!run.status.success());
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("'Team Leader' is found at EO, HEO, SEO"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--grade"), "{}", run.stderr);

    let err = fail(&db.path, &["jd", "odp:team-leader", "--grade", "G7"]);
    assert!(err.contains("has no grade 'G7'"), "{err}");
    // Grades are matched in any case.
    let md = ok(&db.path, &["jd", "odp:team-leader", "--grade", "seo"]);
    assert!(md.contains("Grade: SEO"), "{md}");
}

#[test]
fn gap_and_matrix_explain_what_is_missing() {
    let db = Db::demo();
    ok(&db.path, &["person", "add", "Jo Free"]);
    let err = fail(&db.path, &["gap", "jo-free"]);
    assert!(
        err.contains("Jo Free holds no role; name a target role"),
        "{err}"
    );
    let err = fail(
        &db.path,
        &[
            "gap",
            "aisha-rahman",
            "--target",
            "odp:operations-manager",
            "--grade",
            "SEO",
        ],
    );
    assert!(
        err.contains("has no grade 'SEO'") && err.contains("G7"),
        "{err}"
    );
    let err = fail(&db.path, &["team", "matrix", "jo-free"]);
    assert!(err.contains("nobody reports to Jo Free"), "{err}");
    let err = fail(&db.path, &["roles", "--framework", "odpp"]);
    assert!(
        err.contains("no framework named 'odpp'") && err.contains("'odp'"),
        "{err}"
    );
}

#[test]
fn a_command_before_init_says_no_framework_is_installed_and_how_to_install_one() {
    let db = Db::empty();
    for args in [
        &["role", "show", "odp:team-leader"][..],
        &["roles", "--format", "json"],
        &["person", "list"],
    ] {
        let err = fail(&db.path, args);
        assert!(err.contains("no framework is installed"), "{args:?}: {err}");
        assert!(err.contains("`rolemap init`"), "{args:?}: {err}");
        assert!(err.contains("`rolemap import framework"), "{args:?}: {err}");
        assert!(!err.contains("no role named"), "{args:?}: {err}");
    }
    // Asking did not create an empty database.
    assert!(!db.path.exists(), "{} was created", db.path.display());

    // A database that exists but holds no framework (a failed first import) says the same.
    let broken = db.file("broken.toml", "not = [toml");
    let run = crate::rolemap(&db.path, &["import", "framework", broken.to_str().unwrap()]);
    assert!(!run.status.success());
    assert!(db.path.exists());
    let err = fail(&db.path, &["skill", "show", "data and insight"]);
    assert!(err.contains("no framework is installed"), "{err}");
    // Listing the frameworks still answers, with the same advice.
    let listed = ok(&db.path, &["frameworks"]);
    assert!(listed.contains("rolemap init"), "{listed}");
}

/// Runs a command whose reader has already gone away, as in `rolemap ... | head -1`.
fn run_into_closed_pipe(db: &std::path::Path, args: &[&str]) -> (std::process::ExitStatus, String) {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolemap"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("COLUMNS", "200")
        .env_remove("ROLEMAP_DB")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rolemap");
    // Close the reading end before the command has written anything.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap(), stderr)
}

#[test]
fn output_cut_short_by_the_reader_is_not_an_error() {
    let db = Db::init();
    for format in ["table", "json", "csv"] {
        let args = ["role", "show", "ICT operations manager", "--format", format];
        let (status, stderr) = run_into_closed_pipe(&db.path, &args);
        assert!(
            status.success() && stderr.is_empty(),
            "{args:?}: {status}: {stderr}"
        );
    }
    let (status, stderr) =
        run_into_closed_pipe(&db.path, &["jd", "odp:team-leader", "--grade", "EO"]);
    assert!(
        status.success() && stderr.is_empty(),
        "jd: {status}: {stderr}"
    );
}

#[test]
fn person_add_refuses_terminal_escapes_bidi_overrides_and_overlong_names() {
    let db = Db::demo();
    let count = people_count(&db.path);
    let err = fail(&db.path, &["person", "add", "\u{1b}[2JMallory"]);
    assert!(err.contains("name: must not hold an escape"), "{err}");
    let err = fail(
        &db.path,
        &["person", "add", "Eve", "--team", "Ops\u{202e}sgnaM"],
    );
    assert!(err.contains("team: must not hold a bidirectional"), "{err}");
    let long = "n".repeat(201);
    let err = fail(&db.path, &["person", "add", &long]);
    assert!(
        err.contains("name: must be at most 200 characters"),
        "{err}"
    );
    assert_eq!(people_count(&db.path), count);
}
