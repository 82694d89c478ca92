//! Files in, the first run, and output cut short: what rolemap says when a file is edited, dated
//! wrongly or malformed, when nothing is installed yet, and when its reader goes away.

use std::path::Path;
use std::process::{Command, ExitStatus};

use crate::{Db, ok};

fn esco_fixtures() -> [String; 2] {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rolemap-formats/tests/fixtures/esco");
    ["esco-v1.1.1-classification", "esco-v1.1.1-relations"]
        .map(|dir| base.join(dir).to_str().expect("UTF-8 path").to_owned())
}

/// Runs `rolemap --db DB ARGS...` with stdout and stderr both on a pipe nobody reads any more,
/// as `rolemap ... 2>&1 | head -2` leaves them once `head` has its lines.
fn with_closed_pipe(db: &Path, args: &[&str]) -> ExitStatus {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_rolemap"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ROLEMAP_DB")
        .env_remove("RUST_LOG")
        .stdout(writer.try_clone().expect("a second end"))
        .stderr(writer)
        .status()
        .expect("run the rolemap binary")
}

#[test]
fn a_closed_pipe_ends_the_command_quietly_rather_than_with_a_panic() {
    let db = Db::init();
    let [classification, relations] = esco_fixtures();
    // Progress lines go to stderr: the import still finishes, and says nothing of the pipe.
    let status = with_closed_pipe(&db.path, &["import", "esco", &classification, &relations]);
    assert_eq!(
        status.code(),
        Some(0),
        "import with a closed pipe: {status}"
    );
    let frameworks = ok(&db.path, &["frameworks"]);
    assert!(
        frameworks.contains("esco"),
        "the import was stored: {frameworks}"
    );

    // Output on stdout, and an error on stderr: neither panics.
    let status = with_closed_pipe(&db.path, &["skills", "--framework", "esco"]);
    assert_eq!(
        status.code(),
        Some(0),
        "skills with a closed pipe: {status}"
    );
    let status = with_closed_pipe(&db.path, &["role", "show", "no such role"]);
    assert_eq!(
        status.code(),
        Some(1),
        "a failing command with a closed pipe: {status}"
    );
}

/// A people file with one mistake of each kind, the kinds that used to hide one another.
const PEOPLE_WITH_MISTAKES: &str = r#"colour = "blue"

[[people]]
key = "zoe-new"
name = "Zoe New"
role = "odp:team-leader"
grade = "HEO"

[[people]]
key = "yan-new"
name = 7

[[assessments]]
person = "zoe-new"
skill = "odp:data-and-insight"
level = 3
source = "self"
at = 2026-03-02

[[assessments]]
person = "zoe-new"
skill = "odp:no-such-skill"
level = "W"
source = "self"
at = "2026-03-02"

[[assessments]]
person = "yan-new"
skill = "odp:data-and-insight"
level = "W"
source = "self"
at = 2099-01-01
"#;

#[test]
fn a_people_file_reports_every_problem_at_once_and_refuses_future_times() {
    let db = Db::demo();
    let file = db.file("people.toml", PEOPLE_WITH_MISTAKES);
    let err = crate::fail(&db.path, &["import", "people", file.to_str().unwrap()]);
    assert!(
        err.contains("5 problems found; nothing was imported"),
        "{err}"
    );
    for expected in [
        ":1:1: colour: unknown field `colour`",
        ":11:8: people[1]: invalid type: integer `7`",
        ":16:9: assessments[0]: invalid type: integer `3`",
        // A reference to what is stored, checked although the file has other mistakes.
        ":21: assessments[1]: no skill 'odp:no-such-skill' is stored",
        ":32:6: assessments[2].at: 2099-01-01T00:00:00Z is in the future",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    // Yan's entry did not read, but Yan is not reported as unknown on top of that.
    assert!(!err.contains("no person 'yan-new'"), "{err}");
    assert!(!crate::ok(&db.path, &["person", "list"]).contains("Zoe New"));
}

#[test]
fn a_people_file_takes_plain_dates_and_stores_them_as_utc_times() {
    let db = Db::demo();
    let file = db.file(
        "people.toml",
        r#"[[people]]
key = "zoe-new"
name = "Zoe New"
role = "odp:team-leader"
grade = "HEO"

[[assessments]]
person = "zoe-new"
skill = "odp:data-and-insight"
level = "W"
source = "self"
at = 2026-03-02

[[assessments]]
person = "zoe-new"
skill = "odp:data-and-insight"
level = "P"
source = "self"
at = "2026-03-04T10:00:00+01:00"
"#,
    );
    ok(&db.path, &["import", "people", file.to_str().unwrap()]);
    let zoe = crate::json(&db.path, &["person", "show", "zoe-new"]);
    let times: Vec<&str> = crate::array(&zoe, "history")
        .iter()
        .map(|a| a["at"].as_str().unwrap())
        .collect();
    assert!(times.contains(&"2026-03-02T00:00:00Z"), "{times:?}");
    assert!(times.contains(&"2026-03-04T09:00:00Z"), "{times:?}");
}

#[test]
fn a_file_that_is_not_utf8_is_pointed_at_by_line_and_column() {
    let db = Db::demo();
    let path = db.dir.path().join("latin1.toml");
    std::fs::write(&path, b"[[people]]\nkey = \"jose\"\nname = \"Jos\xE9\"\n").unwrap();
    for kind in ["people", "framework"] {
        let err = crate::fail(&db.path, &["import", kind, path.to_str().unwrap()]);
        assert!(
            err.contains("latin1.toml:3:12: byte 0xE9 is not UTF-8 text"),
            "{kind}: {err}"
        );
    }
}

const SMALL_FRAMEWORK: &str = r#"[framework]
key = "shop"
name = "Shop"
version = "1"
source = "test"
licence = "none"
attribution = "test"

[[skills]]
key = "tills"
label = "Using tills"
kind = "skill"

[[roles]]
key = "assistant"
title = "Shop assistant"

[[roles.requirements]]
skill = "tills"
importance = "essential"
"#;

#[test]
fn reimporting_a_version_with_other_content_is_refused_naming_what_differs() {
    let db = Db::init();
    let file = db.file("shop.toml", SMALL_FRAMEWORK);
    let path = file.to_str().unwrap();
    let first = ok(&db.path, &["import", "framework", path]);
    assert!(first.contains("shop"), "{first}");
    // The same content again: nothing to do, and it says so.
    let again = ok(&db.path, &["import", "framework", path]);
    assert!(again.contains("already stored"), "{again}");

    // Edited, same version: refused, naming each difference and what to do.
    let edited = SMALL_FRAMEWORK.replace("Using tills", "Using tills and card readers")
        + "\n[[roles]]\nkey = \"manager\"\ntitle = \"Shop manager\"\n";
    std::fs::write(&file, &edited).unwrap();
    let err = crate::fail(&db.path, &["import", "framework", path]);
    assert!(
        err.contains("framework 'shop' version '1' is already stored with other content"),
        "{err}"
    );
    assert!(err.contains("skill 'tills' changed"), "{err}");
    assert!(err.contains("role 'manager' added"), "{err}");
    assert!(err.contains("new version"), "{err}");
    let skill = crate::json(&db.path, &["skill", "show", "shop:tills"]);
    assert_eq!(skill["label"], "Using tills", "nothing was stored");

    // With a new version it goes in, and `roles` tells the two versions apart.
    std::fs::write(&file, edited.replace("version = \"1\"", "version = \"2\"")).unwrap();
    ok(&db.path, &["import", "framework", path]);
    let roles = ok(&db.path, &["roles", "--framework", "shop"]);
    let header = roles.lines().find(|l| l.contains("title")).unwrap();
    assert!(header.contains("version"), "{roles}");
    let assistants: Vec<&str> = roles
        .lines()
        .filter(|l| l.contains("shop:assistant"))
        .collect();
    assert_eq!(assistants.len(), 2, "{roles}");
    assert!(assistants.iter().any(|l| l.contains(" 1 ")), "{roles}");
    assert!(assistants.iter().any(|l| l.contains(" 2 ")), "{roles}");
    // A framework with one version needs no version column.
    let odp = ok(&db.path, &["roles", "--framework", "odp"]);
    assert!(
        !odp.lines().next().unwrap_or_default().contains("version"),
        "{odp}"
    );
}

#[test]
fn job_descriptions_say_what_the_role_is_and_use_its_dimensions() {
    let db = Db::init();
    let roles = crate::json(&db.path, &["roles", "--framework", "ops-compared"]);
    for role in roles.as_array().unwrap() {
        let name = format!("ops-compared:{}", crate::text(role, "key"));
        let jd = ok(&db.path, &["jd", &name]);
        // What the role is, not where the text came from: that is the attribution's job.
        let about = jd
            .split("## About the role")
            .nth(1)
            .and_then(|rest| rest.split("\n---").next())
            .and_then(|rest| rest.split("\n## ").next())
            .unwrap_or_default();
        assert!(!about.contains("article"), "{name}:\n{jd}");
        assert!(!about.contains("compares"), "{name}:\n{jd}");
    }
    for name in [
        "ops-compared:operations-manager",
        "ops-compared:head-of-operations",
    ] {
        let jd = ok(&db.path, &["jd", name]);
        assert!(jd.contains("## The role in detail"), "{name}:\n{jd}");
        let dimensions = jd.lines().filter(|l| l.starts_with("- **")).count();
        assert_eq!(dimensions, 12, "{name}:\n{jd}");
        assert!(jd.contains("- **Budget authority:** "), "{name}:\n{jd}");
        let html = ok(&db.path, &["jd", name, "--format", "html"]);
        assert_eq!(html.matches("<dt>").count(), 12, "{name}:\n{html}");
        let json = crate::json(&db.path, &["jd", name]);
        assert_eq!(crate::array(&json, "dimensions").len(), 12);
    }
}
