//! The team matrix of the demo team.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::{Db, array, json, odp_rank, ok, text};

/// Everyone below `manager` (directly or not), by key, worked out from the people list.
fn everyone_below(people: &[Value], manager: &str) -> BTreeSet<String> {
    let id_of: BTreeMap<&str, i64> = people
        .iter()
        .map(|p| (text(p, "key"), p["id"].as_i64().unwrap()))
        .collect();
    let mut below = BTreeSet::new();
    let mut bosses = vec![id_of[manager]];
    while let Some(boss) = bosses.pop() {
        for p in people
            .iter()
            .filter(|p| p["manager_id"].as_i64() == Some(boss))
        {
            if below.insert(text(p, "key").to_owned()) {
                bosses.push(p["id"].as_i64().unwrap());
            }
        }
    }
    below
}

#[test]
fn matrix_covers_the_whole_team() {
    let db = Db::demo();
    let m = json(&db.path, &["team", "matrix", "grace-okafor"]);
    assert_eq!(m["manager"]["key"], "grace-okafor");

    let rows = array(&m, "rows");
    let keys: BTreeSet<String> = rows
        .iter()
        .map(|r| text(&r["person"], "key").to_owned())
        .collect();
    let people = json(&db.path, &["person", "list"]);
    assert_eq!(
        keys,
        everyone_below(people.as_array().unwrap(), "grace-okafor")
    );
    assert_eq!(rows.len(), 8);
    assert!(
        keys.contains("aisha-rahman") && keys.contains("mei-chen"),
        "direct and indirect reports: {keys:?}"
    );
    assert!(!keys.contains("grace-okafor"));

    let skills = array(&m, "skills");
    assert!(!skills.is_empty());
    for row in rows {
        let cells = array(row, "cells");
        assert_eq!(cells.len(), skills.len());
        for (cell, skill) in cells.iter().zip(skills) {
            assert_eq!(cell["skill_id"], skill["id"]);
        }
        let readiness = row["readiness"]
            .as_f64()
            .expect("everyone in the demo has a role");
        assert!((0.0..=100.0).contains(&readiness));
    }

    // Each person's cells agree with their own gap report.
    let liam = rows
        .iter()
        .find(|r| r["person"]["key"] == "liam-doyle")
        .unwrap();
    let gap = json(&db.path, &["gap", "liam-doyle"]);
    assert_eq!(liam["readiness"], gap["readiness"]);
    for line in array(&gap, "lines") {
        let column = skills
            .iter()
            .position(|s| s["id"] == line["skill"]["id"])
            .unwrap();
        let cell = &array(liam, "cells")[column];
        assert_eq!(cell["status"], line["status"]);
        assert_eq!(cell["required"], line["required"]["code"]);
        assert_eq!(cell["held"], line["held"]["level"]["code"]);
    }
}

/// The highest level any cell of a column requires, and who holds the skill at that level or above.
fn coverage(rows: &[Value], column: usize) -> (Option<u8>, Vec<String>) {
    fn cell(row: &Value, column: usize) -> &Value {
        &array(row, "cells")[column]
    }
    let bar = rows
        .iter()
        .filter_map(|r| cell(r, column)["required"].as_str())
        .map(odp_rank)
        .max();
    let holders = rows
        .iter()
        .filter(|r| {
            cell(r, column)["held"]
                .as_str()
                .is_some_and(|held| bar.is_none_or(|bar| odp_rank(held) >= bar))
        })
        .map(|r| text(&r["person"], "name").to_owned())
        .collect();
    (bar, holders)
}

/// Checks that the single points of failure are exactly the skills one person holds at the team's
/// bar (and nobody is listed as holding a skill they do not), and returns their keys.
fn check_single_points(m: &Value) -> BTreeSet<String> {
    let rows = array(m, "rows");
    let skills = array(m, "skills");
    let single = array(m, "single_points_of_failure");
    let mut expected = BTreeSet::new();
    for (column, skill) in skills.iter().enumerate() {
        let (bar, holders) = coverage(rows, column);
        if holders.len() == 1 {
            expected.insert(text(skill, "key").to_owned());
        }
        if let Some(entry) = single.iter().find(|c| c["skill"]["id"] == skill["id"]) {
            assert_eq!(array(entry, "holders").len(), 1, "{entry:#}");
            assert_eq!(entry["holders"][0], holders[0], "{entry:#}");
            assert_eq!(entry["bar"].as_str().map(odp_rank), bar, "{entry:#}");
        }
        let uncovered = array(m, "uncovered")
            .iter()
            .any(|c| c["skill"]["id"] == skill["id"]);
        assert_eq!(uncovered, holders.is_empty(), "{skill:#}");
    }
    let listed: BTreeSet<String> = single
        .iter()
        .map(|c| text(&c["skill"], "key").to_owned())
        .collect();
    assert_eq!(listed, expected);
    listed
}

#[test]
fn matrix_finds_single_points_of_failure_training_needs_and_successors() {
    let db = Db::demo();
    let m = json(&db.path, &["team", "matrix", "grace-okafor"]);
    let rows = array(&m, "rows");
    let skills = array(&m, "skills");

    let single = check_single_points(&m);
    assert!(
        !single.is_empty(),
        "the demo team has single points of failure"
    );

    // Training needs: everyone listed is below (or not assessed against) their own role's level.
    let training = array(&m, "training_needs");
    assert!(!training.is_empty());
    for need in training {
        let column = skills
            .iter()
            .position(|s| s["id"] == need["skill"]["id"])
            .unwrap();
        let people = array(need, "people");
        assert!(!people.is_empty());
        let mut steps = 0;
        for p in people {
            let row = rows
                .iter()
                .find(|r| r["person"]["name"] == p["name"])
                .unwrap();
            let cell = &array(row, "cells")[column];
            assert!(
                cell["status"] == "below" || cell["status"] == "unassessed",
                "{cell:#}"
            );
            assert_eq!(cell["required"], p["required"]);
            assert_eq!(cell["held"], p["held"]);
            // A skill with no published level that nobody has assessed is one step away.
            let required = p["required"].as_str().map_or(1, |r| u64::from(odp_rank(r)));
            steps += required - p["held"].as_str().map_or(0, |h| u64::from(odp_rank(h)));
        }
        assert_eq!(need["total_steps"], steps, "{need:#}");
    }
    let needing: usize = rows
        .iter()
        .flat_map(|r| array(r, "cells"))
        .filter(|c| c["status"] == "below" || c["status"] == "unassessed")
        .count();
    assert_eq!(
        training
            .iter()
            .map(|t| array(t, "people").len())
            .sum::<usize>(),
        needing
    );

    // Succession: the manager's role at the manager's grade, most ready first.
    let succession = &m["succession"];
    assert_eq!(succession["role"]["key"], "operations-manager");
    assert_eq!(succession["grade"], "G7");
    let candidates = array(succession, "candidates");
    assert_eq!(candidates.len(), rows.len());
    let readiness: Vec<f64> = candidates
        .iter()
        .map(|c| c["readiness"].as_f64().unwrap())
        .collect();
    assert!(
        readiness.windows(2).all(|w| w[0] >= w[1]),
        "not sorted: {readiness:?}"
    );
    for c in candidates {
        let key = text(&c["person"], "key");
        let gap = json(
            &db.path,
            &[
                "gap",
                key,
                "--target",
                "odp:operations-manager",
                "--grade",
                "G7",
            ],
        );
        assert_eq!(c["readiness"], gap["readiness"], "{key}");
        let gaps: Vec<&Value> = array(&gap, "development")
            .iter()
            .map(|l| &l["skill"]["label"])
            .collect();
        assert_eq!(array(c, "gaps").iter().collect::<Vec<_>>(), gaps, "{key}");
    }
}

#[test]
fn matrix_as_table_and_csv() {
    let db = Db::demo();
    let m = json(&db.path, &["team", "matrix", "grace-okafor"]);
    let skills: Vec<&str> = array(&m, "skills")
        .iter()
        .map(|s| text(s, "label"))
        .collect();

    let csv = ok(
        &db.path,
        &["team", "matrix", "grace-okafor", "--format", "csv"],
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(headers[..4], ["person", "role", "grade", "readiness"]);
    assert_eq!(headers[4..], skills);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 8);
    assert!(records.iter().all(|r| r.len() == headers.len()));
    let aisha = records
        .iter()
        .find(|r| r[0].starts_with("Aisha Rahman"))
        .unwrap();
    assert_eq!((&aisha[1], &aisha[2]), ("Team Leader", "SEO"));

    let table = ok(&db.path, &["team", "matrix", "grace-okafor"]);
    assert!(
        table.starts_with("Team of Grace Okafor (8 people)"),
        "{table}"
    );
    for section in [
        "Single points of failure",
        "Training needs",
        "Succession: closest to ready for Operations Manager at G7",
    ] {
        assert!(table.contains(section), "{section}:\n{table}");
    }
}

#[test]
fn a_second_holder_removes_a_single_point_of_failure() {
    let db = Db::demo();
    let m = json(&db.path, &["team", "matrix", "grace-okafor"]);
    let entry = &array(&m, "single_points_of_failure")[0];
    let skill = entry["skill"]["id"].to_string();
    let holder = entry["holders"][0].as_str().unwrap();
    let bar = text(entry, "bar");
    let other = array(&m, "rows")
        .iter()
        .map(|r| &r["person"])
        .find(|p| text(p, "name") != holder)
        .unwrap();

    ok(
        &db.path,
        &[
            "assess",
            text(other, "key"),
            &skill,
            bar,
            "--source",
            "evidence",
        ],
    );
    let after = json(&db.path, &["team", "matrix", "grace-okafor"]);
    let single = check_single_points(&after);
    assert!(!single.contains(text(&entry["skill"], "key")), "{single:?}");
    assert_eq!(
        single.len(),
        array(&m, "single_points_of_failure").len() - 1
    );
}

/// One readiness figure: a member with a role but no grade is measured at the role's lowest
/// grade in the team matrix, as their gap report measures them, not against no level at all.
#[test]
fn team_matrix_readiness_is_the_gap_reports_for_a_member_without_a_grade() {
    let db = Db::demo();
    ok(
        &db.path,
        &[
            "person",
            "add",
            "Noor Grade",
            "--role",
            "odp:team-leader",
            "--manager",
            "grace-okafor",
        ],
    );
    // Team Leader asks W of this skill at EO, its lowest grade: A is half of it.
    ok(
        &db.path,
        &[
            "assess",
            "noor-grade",
            "Connections and communication",
            "A",
            "--source",
            "manager",
        ],
    );
    let gap = json(&db.path, &["gap", "noor-grade"]);
    assert_eq!(gap["grade"], "EO", "{gap}");
    assert_eq!(gap["readiness"].as_f64(), Some(10.0), "{gap}");
    let m = json(&db.path, &["team", "matrix", "grace-okafor"]);
    let row = array(&m, "rows")
        .iter()
        .find(|r| r["person"]["key"] == "noor-grade")
        .expect("the new member's row");
    assert_eq!(row["readiness"], gap["readiness"], "{row}");
}
