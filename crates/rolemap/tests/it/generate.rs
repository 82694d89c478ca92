//! `rolemap demo --generate`: an invented organisation in a management tree, the same for the
//! same seed on SQLite and on PostgreSQL (when a test server is given), all or nothing.

use serde_json::Value;

use crate::{Db, array, fail, json, ok};

const SMALL: &[&str] = &[
    "demo",
    "--generate",
    "--people",
    "300",
    "--assessments-per-person",
    "5",
];

fn generated(db: &Db, seed: &str) -> String {
    let mut args = SMALL.to_vec();
    args.extend(["--seed", seed]);
    ok(&db.path, &args)
}

/// Everything generated that a user sees: every person and one person's whole history.
fn snapshot(db: &Db) -> (Value, Value) {
    (
        json(&db.path, &["person", "list"]),
        json(&db.path, &["person", "show", "org-000123"]),
    )
}

#[test]
fn a_generated_organisation_is_one_tree_of_the_size_asked() {
    let db = Db::empty();
    let said = generated(&db, "3");
    assert!(said.contains("300 people and 1500 assessments"), "{said}");
    let people = json(&db.path, &["person", "list"]);
    let people = people.as_array().expect("a list");
    assert_eq!(people.len(), 300);
    let heads: Vec<&Value> = people.iter().filter(|p| p["manager"].is_null()).collect();
    assert_eq!(heads.len(), 1, "one head");
    assert_eq!(heads[0]["key"], "org-000000");
    // Everyone else reports to someone, and someone manages a team in between.
    let team = ok(&db.path, &["team", "matrix", "org-000001"]);
    assert!(team.contains("Team of"), "{team}");
    let history = json(&db.path, &["person", "show", "org-000123"]);
    assert_eq!(array(&history, "history").len(), 5, "{history}");
    // A second run is refused, and stores nothing more.
    let refused = fail(&db.path, SMALL);
    assert!(refused.contains("already"), "{refused}");
    let people = json(&db.path, &["person", "list"]);
    assert_eq!(people.as_array().map(Vec::len), Some(300));
}

#[test]
fn the_same_seed_generates_the_same_organisation_and_another_seed_another() {
    let (one, two, other) = (Db::empty(), Db::empty(), Db::empty());
    generated(&one, "3");
    generated(&two, "3");
    generated(&other, "4");
    assert_eq!(snapshot(&one), snapshot(&two));
    assert_ne!(snapshot(&one), snapshot(&other));
}

#[test]
fn the_same_seed_generates_the_same_organisation_on_postgresql() {
    let Some(pg) = Db::postgres("cli_generate") else {
        return;
    };
    let sqlite = Db::empty();
    generated(&sqlite, "3");
    generated(&pg, "3");
    assert_eq!(snapshot(&sqlite), snapshot(&pg));
    assert_eq!(
        ok(&sqlite.path, &["team", "matrix", "org-000001"]),
        ok(&pg.path, &["team", "matrix", "org-000001"])
    );
}
