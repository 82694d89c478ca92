//! `rolemap audit` and the privacy commands: `person export`, `person erase` and
//! `person purge-assessments`, and the entries the command line's own writes leave.

use serde_json::Value;

use crate::{Db, fail, json, ok};

fn entries(db: &Db, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    json(&db.path, &all).as_array().expect("a list").clone()
}

#[test]
fn the_command_line_writes_are_audited_as_the_operator() {
    let db = Db::demo();
    let imports = entries(&db, &["--action", "framework.import"]);
    assert!(
        imports
            .iter()
            .any(|e| e["subject"].as_str().is_some_and(|s| s.starts_with("odp@"))),
        "{imports:?}"
    );
    let people = entries(&db, &["--action", "person.add"]);
    assert_eq!(people.len(), 9, "one per demo person");
    for entry in &people {
        assert_eq!(entry["via"], "cli");
        assert_eq!(entry["user"], Value::Null, "the operator");
    }
    ok(
        &db.path,
        &[
            "assess",
            "daniel-mensah",
            "odp:data-and-insight",
            "E",
            "--note",
            "from the cli",
        ],
    );
    let rated = entries(
        &db,
        &[
            "--person",
            "daniel-mensah",
            "--action",
            "assessment",
            "--limit",
            "1",
        ],
    );
    assert_eq!(rated[0]["after"]["note"], "from the cli");
    assert_eq!(rated[0]["after"]["level"], "E");

    let table = ok(
        &db.path,
        &["audit", "--action", "person.add", "--limit", "2"],
    );
    assert!(table.contains("person.add"), "{table}");
    let csv = ok(
        &db.path,
        &["audit", "--action", "person", "--format", "csv"],
    );
    assert!(
        csv.starts_with("id,at,user,address,via,action,subject,before,after"),
        "{csv}"
    );
    let none = ok(&db.path, &["audit", "--since", "2999-01-01"]);
    assert!(none.contains("No audit entries match."), "{none}");
    let bad = fail(&db.path, &["audit", "--until", "soon"]);
    assert!(bad.contains("until"), "{bad}");
}

#[test]
fn a_person_export_holds_their_record_assessments_and_audit_entries() {
    let db = Db::demo();
    let out = ok(&db.path, &["person", "export", "Daniel Mensah"]);
    let export: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(export["person"]["key"], "daniel-mensah");
    let shown = json(&db.path, &["person", "show", "daniel-mensah"]);
    assert_eq!(
        export["assessments"].as_array().expect("list").len(),
        shown["history"].as_array().expect("list").len()
    );
    let audit = export["audit"].as_array().expect("list");
    assert!(
        audit.iter().any(|e| e["action"] == "person.add"),
        "{audit:?}"
    );
}

#[test]
fn an_erased_person_is_gone_from_people_exports_and_the_audit_log() {
    let db = Db::demo();
    let out = ok(&db.path, &["person", "erase", "aisha-rahman"]);
    assert!(out.starts_with("Erased erased-"), "{out}");
    assert!(!out.to_lowercase().contains("rahman"), "{out}");
    let list = ok(&db.path, &["person", "list"]);
    assert!(!list.contains("Rahman"), "{list}");
    fail(&db.path, &["person", "export", "aisha-rahman"]);
    let daniel = ok(&db.path, &["person", "export", "daniel-mensah"]);
    assert!(!daniel.to_lowercase().contains("rahman"), "{daniel}");
    // Her key and full name; others' notes may still mention a first name, which erasure does
    // not rewrite.
    let log = ok(&db.path, &["audit", "--format", "csv"]);
    assert!(!log.to_lowercase().contains("rahman"), "{log}");
    let tomb = entries(&db, &["--action", "person.erase"]);
    assert_eq!(tomb.len(), 1);
    let team = ok(
        &db.path,
        &["team", "matrix", "grace-okafor", "--format", "csv"],
    );
    assert!(!team.to_lowercase().contains("rahman"), "{team}");
}

#[test]
fn old_assessments_are_purged_by_age_and_the_purge_is_audited() {
    let db = Db::demo();
    let bad = fail(
        &db.path,
        &["person", "purge-assessments", "--older-than", "soon"],
    );
    assert!(bad.contains("older_than"), "{bad}");
    // The demo's assessments are from 2026; none is older than ten years.
    let out = ok(
        &db.path,
        &["person", "purge-assessments", "--older-than", "10y"],
    );
    assert!(
        out.starts_with("Deleted 0 assessments recorded before "),
        "{out}"
    );
    let out = ok(
        &db.path,
        &["person", "purge-assessments", "--older-than", "1d"],
    );
    assert!(!out.starts_with("Deleted 0 "), "{out}");
    let shown = json(&db.path, &["person", "show", "daniel-mensah"]);
    assert!(shown["history"].as_array().expect("list").is_empty());
    let purges = entries(&db, &["--action", "assessment.purge"]);
    assert_eq!(purges.len(), 2);
    assert!(purges[0]["after"]["assessments"].as_u64().expect("count") > 0);
}

#[test]
fn a_users_role_change_is_audited_with_before_and_after() {
    let db = Db::demo();
    crate::api_token(&db.path, "ann", "employee");
    ok(&db.path, &["user", "role", "ann", "manager"]);
    let changed = entries(&db, &["--action", "user.role"]);
    assert_eq!(changed[0]["before"]["role"], "employee");
    assert_eq!(changed[0]["after"]["role"], "manager");
    let made = entries(&db, &["--action", "token.create"]);
    assert!(
        !made[0].to_string().contains("rolemap_"),
        "never the token: {made:?}"
    );
}

#[test]
fn case_and_onet_imports_are_one_entry_each_not_one_per_row() {
    let db = Db::init();
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rolemap-formats/tests/fixtures");
    let case = fixtures.join("case/operations.json");
    let onet = fixtures.join("onet");
    ok(
        &db.path,
        &[
            "import",
            "case",
            case.to_str().expect("path"),
            "--key",
            "ops-case",
        ],
    );
    ok(&db.path, &["import", "onet", onet.to_str().expect("path")]);
    let imports = entries(&db, &["--action", "framework.import"]);
    let subjects: Vec<&str> = imports
        .iter()
        .filter_map(|e| e["subject"].as_str())
        .collect();
    assert_eq!(
        subjects
            .iter()
            .filter(|s| s.starts_with("ops-case@"))
            .count(),
        1,
        "{subjects:?}"
    );
    assert_eq!(
        subjects.iter().filter(|s| **s == "onet@29.2").count(),
        1,
        "{subjects:?}"
    );
    let onet = imports
        .iter()
        .find(|e| e["subject"] == "onet@29.2")
        .expect("onet");
    assert_eq!(onet["after"]["roles"], 3);
    // Importing the same release again changes nothing, so records nothing.
    ok(
        &db.path,
        &[
            "import",
            "onet",
            fixtures.join("onet").to_str().expect("path"),
        ],
    );
    assert_eq!(
        entries(&db, &["--action", "framework.import"]).len(),
        imports.len()
    );
}
