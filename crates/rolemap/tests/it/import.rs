//! Importing framework and people files: all or nothing, with every problem located.

use std::path::Path;

use serde_json::Value;

use crate::{Db, array, fail, json, ok, people_count, text};

/// A small valid framework (the shape of the reader's own test document).
const FRAMEWORK: &str = r#"[framework]
key = "demo"
name = "Demo"
version = "1"
source = "test"
licence = "none"
attribution = "Demo framework for tests"

[[scales]]
key = "s"
name = "Scale"
levels = [{ code = "A", name = "Awareness" }, { code = "W", name = "Working" }]

[[grade_ladders]]
key = "cs"
name = "Grades"
grades = [{ code = "EO" }, { code = "HEO" }, { code = "SEO" }]

[[skills]]
key = "comms"
label = "Communication"
kind = "skill"
scale = "s"

[[skills]]
key = "plan"
label = "Planning"
kind = "skill"
scale = "s"

[[roles]]
key = "lead"
title = "Lead"
grade_ladder = "cs"
grades = ["EO", "HEO", "SEO"]

[[roles.requirements]]
skill = "comms"
importance = "essential"
levels = { EO = "A", HEO = "w" }

[[roles.requirements]]
skill = "plan"
importance = "optional"
levels = { EO = "A", HEO = "W", SEO = "W" }
"#;

/// The 1-based number of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}"))
        + 1
}

/// The framework with another key.
fn with_key(key: &str) -> String {
    FRAMEWORK.replace("key = \"demo\"", &format!("key = \"{key}\""))
}

/// A framework with two problems: a requirement naming an unknown skill, and a bad level.
fn broken(key: &str) -> String {
    with_key(key)
        .replace("skill = \"comms\"", "skill = \"nope\"")
        .replace("SEO = \"W\" }", "SEO = \"X\" }")
}

fn frameworks(db: &Path) -> Value {
    json(db, &["frameworks"])
}

#[test]
fn a_valid_framework_imports_once() {
    let db = Db::init();
    let file = db.file("demo.toml", FRAMEWORK);
    let file = file.to_str().unwrap();
    let out = ok(&db.path, &["import", "framework", file]);
    assert_eq!(out, "Imported demo 1: 1 roles, 2 skills, 0 links.\n");

    let roles = json(&db.path, &["roles", "--framework", "demo"]);
    let roles = roles.as_array().unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(
        (&roles[0]["key"], &roles[0]["title"]),
        (&"lead".into(), &"Lead".into())
    );
    let table = ok(&db.path, &["roles", "--framework", "demo"]);
    assert!(
        table.contains("demo:lead") && table.contains("1 role\n"),
        "{table}"
    );

    // The levels are stored as given, codes in any case normalised, blanks left blank.
    let role = json(&db.path, &["role", "show", "demo:lead"]);
    assert_eq!(role["attribution"], "Demo framework for tests");
    let comms = &array(&role, "requirements")[0];
    assert_eq!(comms["skill"], "Communication");
    assert_eq!(
        comms["levels"],
        serde_json::json!({ "EO": "A", "HEO": "W", "SEO": null })
    );
    assert_eq!(array(&role, "requirements")[1]["importance"], "optional");

    let before = frameworks(&db.path);
    let again = ok(&db.path, &["import", "framework", file]);
    assert_eq!(again, "demo 1 is already stored; nothing changed.\n");
    assert_eq!(frameworks(&db.path), before);
    assert_eq!(
        json(&db.path, &["roles", "--framework", "demo"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_broken_framework_names_file_line_and_field_of_every_problem() {
    let db = Db::init();
    let before = frameworks(&db.path);
    let text = broken("broken");
    let file = db.file("broken.toml", &text);
    let name = file.display().to_string();

    let err = fail(&db.path, &["import", "framework", &name]);
    assert!(
        err.contains("2 problems found; nothing was imported"),
        "{err}"
    );
    let skill_line = line_of(&text, "skill = \"nope\"");
    let level_line = line_of(&text, "SEO = \"X\"");
    let skill = err
        .lines()
        .find(|l| l.contains("[unknown-skill]"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        skill
            .trim_start()
            .starts_with(&format!("{name}:{skill_line}:")),
        "{skill}"
    );
    assert!(
        skill.contains("roles[0].requirements[0].skill") && skill.contains("'nope'"),
        "{skill}"
    );
    let level = err
        .lines()
        .find(|l| l.contains("[invalid-level]"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        level
            .trim_start()
            .starts_with(&format!("{name}:{level_line}:")),
        "{level}"
    );
    assert!(
        level.contains("roles[0].requirements[1].levels.SEO") && level.contains("'X'"),
        "{level}"
    );
    assert!(
        level.contains("valid levels: A (Awareness), W (Working)"),
        "{level}"
    );

    assert_eq!(
        frameworks(&db.path),
        before,
        "a refused import changed the frameworks"
    );
    let err = fail(&db.path, &["roles", "--framework", "broken"]);
    assert!(err.contains("no framework named 'broken'"), "{err}");
}

#[test]
fn a_batch_with_one_broken_file_imports_nothing() {
    let db = Db::init();
    let before = frameworks(&db.path);
    let good = db.file("good.toml", &with_key("good"));
    let bad = db.file("bad.toml", &broken("bad"));
    let err = fail(
        &db.path,
        &[
            "import",
            "framework",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
        ],
    );
    assert!(err.contains("bad.toml:"), "{err}");
    assert!(
        !err.contains("good.toml"),
        "the good file has no problems: {err}"
    );
    assert_eq!(frameworks(&db.path), before);
    fail(&db.path, &["roles", "--framework", "good"]);

    // Problems in several files are all listed at once.
    let bad2 = db.file("bad2.toml", &broken("bad2"));
    let err = fail(
        &db.path,
        &[
            "import",
            "framework",
            bad.to_str().unwrap(),
            good.to_str().unwrap(),
            bad2.to_str().unwrap(),
        ],
    );
    assert!(err.contains("4 problems found"), "{err}");
    assert!(
        err.contains("bad.toml:") && err.contains("bad2.toml:"),
        "{err}"
    );
    assert_eq!(frameworks(&db.path), before);

    // The good file alone goes in.
    ok(&db.path, &["import", "framework", good.to_str().unwrap()]);
    let keys: Vec<String> = frameworks(&db.path)
        .as_array()
        .unwrap()
        .iter()
        .map(|f| text(f, "key").to_owned())
        .collect();
    assert!(
        keys.contains(&"good".to_owned()) && !keys.contains(&"bad".to_owned()),
        "{keys:?}"
    );
}

/// A second framework whose role links to `demo:lead`, or to a role that does not exist.
fn linked(to: &str) -> String {
    format!(
        "{}\n[[links]]\nfrom = \"lead\"\nto = \"{to}\"\nkind = \"route\"\nnote = \"next step\"\n",
        with_key("next")
    )
}

#[test]
fn links_reach_frameworks_imported_in_the_same_command() {
    let db = Db::init();
    let demo = db.file("demo.toml", FRAMEWORK);
    let next = db.file("next.toml", &linked("demo:lead"));
    let out = ok(
        &db.path,
        &[
            "import",
            "framework",
            demo.to_str().unwrap(),
            next.to_str().unwrap(),
        ],
    );
    assert!(
        out.contains("Imported demo 1: 1 roles, 2 skills, 0 links."),
        "{out}"
    );
    assert!(
        out.contains("Imported next 1: 1 roles, 2 skills, 1 links."),
        "{out}"
    );
    let role = json(&db.path, &["role", "show", "demo:lead"]);
    let links = array(&role, "links");
    assert_eq!(links.len(), 1);
    assert_eq!(
        (&links[0]["direction"], &links[0]["role"]["framework"]),
        (&"in".into(), &"next".into())
    );
}

#[test]
fn a_link_to_a_missing_role_rolls_the_whole_import_back() {
    let db = Db::init();
    let before = frameworks(&db.path);
    let demo = db.file("demo.toml", FRAMEWORK);
    let text = linked("demo:nobody");
    let next = db.file("next.toml", &text);
    let err = fail(
        &db.path,
        &[
            "import",
            "framework",
            demo.to_str().unwrap(),
            next.to_str().unwrap(),
        ],
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(
        err.contains(&format!("next.toml:{}", line_of(&text, "from = \"lead\""))),
        "{err}"
    );
    assert!(
        err.contains("'nobody'") && err.contains("[unknown-role]"),
        "{err}"
    );
    assert_eq!(
        frameworks(&db.path),
        before,
        "frameworks stored before the link was checked were kept"
    );
}

const PEOPLE: &str = r#"[[people]]
key = "alex-kim"
name = "Alex Kim"
role = "odp:team-leader"
grade = "SEO"
team = "Contact centre"

[[people]]
key = "sam-jones"
name = "Sam Jones"
role = "odp:team-leader"
grade = "heo"
manager = "alex-kim"

[[assessments]]
person = "sam-jones"
skill = "odp:data-and-insight"
level = "W"
source = "self"
at = "2026-03-02T09:00:00Z"
note = "Runs the weekly performance report"

[[assessments]]
person = "sam-jones"
skill = "odp:data-and-insight"
level = "P"
source = "manager"
at = "2026-03-01T09:00:00Z"
"#;

#[test]
fn people_import_adds_people_managers_and_assessments() {
    let db = Db::init();
    let file = db.file("people.toml", PEOPLE);
    let out = ok(&db.path, &["import", "people", file.to_str().unwrap()]);
    assert_eq!(out, "Imported 2 people and 2 assessments.\n");

    let sam = json(&db.path, &["person", "show", "sam-jones"]);
    assert_eq!(sam["role"]["key"], "team-leader");
    assert_eq!(sam["grade"], "HEO");
    assert_eq!(sam["manager"], "Alex Kim");
    assert_eq!(sam["team"], "");
    assert_eq!(sam["demo"], false);
    let history = array(&sam, "history");
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[0]["at"], "2026-03-01T09:00:00Z",
        "history is in time order"
    );
    assert_eq!(history[1]["note"], "Runs the weekly performance report");
    // The manager's view counts even though the self-assessment is later.
    let current = array(&sam, "current");
    assert_eq!(
        (&current[0]["source"], &current[0]["level"]["code"]),
        (&"manager".into(), &"P".into())
    );

    let matrix = json(&db.path, &["team", "matrix", "alex-kim"]);
    assert_eq!(array(&matrix, "rows").len(), 1);

    // Importing the same file again is refused as a whole.
    let err = fail(&db.path, &["import", "people", file.to_str().unwrap()]);
    assert!(
        err.contains("already stored") && err.contains("[duplicate-person]"),
        "{err}"
    );
    assert_eq!(people_count(&db.path), 2);
    assert_eq!(
        array(&json(&db.path, &["person", "show", "sam-jones"]), "history").len(),
        2
    );
}

#[test]
fn people_import_with_an_unknown_role_adds_nobody() {
    let db = Db::init();
    let text = PEOPLE.replacen(
        "role = \"odp:team-leader\"\ngrade = \"heo\"",
        "role = \"odp:team-leadr\"\ngrade = \"heo\"",
        1,
    );
    assert_ne!(text, PEOPLE);
    let file = db.file("people.toml", &text);
    let name = file.display().to_string();
    let err = fail(&db.path, &["import", "people", &name]);
    assert!(err.contains("nothing was imported"), "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("[unknown-role]"))
        .unwrap_or_else(|| panic!("{err}"));
    let entry = line_of(&text, "key = \"sam-jones\"");
    assert!(
        line.trim_start().starts_with(&format!("{name}:{entry}:")),
        "{line}"
    );
    assert!(
        line.contains("people[1]") && line.contains("odp:team-leadr"),
        "{line}"
    );
    assert_eq!(
        people_count(&db.path),
        0,
        "Alex Kim, who had no problem, was kept"
    );
}

#[test]
fn people_import_with_a_bad_level_or_reference_adds_nobody() {
    let db = Db::init();
    let text = PEOPLE
        .replace("level = \"P\"", "level = \"Q\"")
        .replace("manager = \"alex-kim\"", "manager = \"alex-kym\"");
    let file = db.file("people.toml", &text);
    let err = fail(&db.path, &["import", "people", file.to_str().unwrap()]);
    assert!(err.contains("2 problems found"), "{err}");
    assert!(
        err.contains("'Q'")
            && err.contains("A (Awareness), W (Working), P (Practitioner), E (Expert)"),
        "{err}"
    );
    assert!(err.contains("alex-kym"), "{err}");
    assert_eq!(people_count(&db.path), 0);

    let err = fail(
        &db.path,
        &[
            "import",
            "people",
            db.dir.path().join("missing.toml").to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("cannot read") && err.contains("missing.toml"),
        "{err}"
    );
}

#[test]
fn a_new_version_is_stored_beside_the_old_and_names_mean_the_latest() {
    let db = Db::init();
    let v1 = db.file("v1.toml", FRAMEWORK);
    let v2 = db.file(
        "v2.toml",
        &FRAMEWORK
            .replace("version = \"1\"", "version = \"2\"")
            .replace("for tests", "for tests, v2"),
    );
    ok(&db.path, &["import", "framework", v1.to_str().unwrap()]);
    let old = json(&db.path, &["role", "show", "demo:lead"]);
    assert_eq!(
        ok(&db.path, &["import", "framework", v2.to_str().unwrap()]),
        "Imported demo 2: 1 roles, 2 skills, 0 links.\n"
    );

    let versions: Vec<String> = frameworks(&db.path)
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["key"] == "demo")
        .map(|f| text(f, "version").to_owned())
        .collect();
    assert_eq!(versions, ["1", "2"]);
    assert_eq!(
        json(&db.path, &["roles", "--framework", "demo"])
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // framework:key, key and title all mean the latest version, as they do in people files...
    for name in ["demo:lead", "lead", "Lead"] {
        let role = json(&db.path, &["role", "show", name]);
        assert_eq!(
            role["attribution"], "Demo framework for tests, v2",
            "{name}"
        );
        assert_ne!(role["id"], old["id"], "{name}");
    }
    let skill = json(&db.path, &["skill", "show", "demo:comms"]);
    assert_eq!(skill["attribution"], "Demo framework for tests, v2");
    // ...and the old version is still there by id.
    let by_id = json(&db.path, &["role", "show", &old["id"].to_string()]);
    assert_eq!(by_id["attribution"], "Demo framework for tests");

    // Someone in the old version's role is assessed on the skill their role requires.
    let old_comms = array(&old, "requirements")[0]["skill_id"].clone();
    ok(
        &db.path,
        &[
            "person",
            "add",
            "Old Hand",
            "--role",
            &old["id"].to_string(),
            "--grade",
            "HEO",
        ],
    );
    let assessment = json(&db.path, &["assess", "old-hand", "Communication", "W"]);
    assert_eq!(assessment["skill_id"], old_comms);
    let gap = json(&db.path, &["gap", "old-hand"]);
    assert_eq!(array(&gap, "lines")[0]["status"], "met");
    // Someone in the new one on the new version's skill.
    ok(
        &db.path,
        &[
            "person",
            "add",
            "New Hand",
            "--role",
            "demo:lead",
            "--grade",
            "HEO",
        ],
    );
    let assessment = json(&db.path, &["assess", "new-hand", "demo:comms", "W"]);
    assert_ne!(assessment["skill_id"], old_comms);
    assert_eq!(
        array(&json(&db.path, &["gap", "new-hand"]), "lines")[0]["status"],
        "met"
    );
}
