//! `rolemap import rsd` and `rolemap export rsd`: the hand-written collection and CSV always, the
//! real OSMT files of `ROLEMAP_INTEROP_DIR/osmt` when that variable names the interoperability
//! folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{Db, fail, json, ok};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rolemap-formats/tests/fixtures/rsd")
        .join(name)
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Imports `file` into a fresh database and exports the framework the import names to `out`;
/// returns the export's bytes.
fn import_then_export(file: &Path, out: &Path) -> Vec<u8> {
    let db = Db::empty();
    let imported = ok(&db.path, &["import", "rsd", arg(file)]);
    let key = imported
        .split(" as ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the import names the framework")
        .to_owned();
    ok(&db.path, &["export", "rsd", &key, "--out", arg(out)]);
    std::fs::read(out).expect("read export")
}

/// The JSON round trip: import, export, the same JSON as the input (objects as sets of fields);
/// the export imported into another fresh database exports the same bytes.
fn json_round_trip(file: &Path, dir: &Path) {
    let first = import_then_export(file, &dir.join("first.json"));
    let input: Value =
        serde_json::from_slice(&std::fs::read(file).expect("read input")).expect("input is JSON");
    let exported: Value = serde_json::from_slice(&first).expect("export is JSON");
    assert_eq!(exported, input, "{} exports as it came in", file.display());
    let second = import_then_export(&dir.join("first.json"), &dir.join("second.json"));
    assert!(
        first == second,
        "{}: the two exports differ",
        file.display()
    );
}

/// OSMT's older column names under the names rolemap writes.
const COLUMN_NAMES: [(&str, &str); 12] = [
    ("Collection", "Collections"),
    ("Skill Name", "RSD Name"),
    ("Skill Category", "Categories"),
    ("Contextualized Skill Statement", "Skill Statement"),
    ("BLS Major Group", "Occupation Major Groups"),
    ("BLS Minor Group", "Occupation Minor Groups"),
    ("BLS Broad Occupation", "Broad Occupations"),
    ("BLS Detailed Occupation", "Detailed Occupations"),
    ("O*NET Job Role", "O*NET Job Codes"),
    ("Professional Standards", "Standards"),
    ("Alignment Title", "Alignment Name"),
    ("Alignment", "Alignment URL"),
];

/// Each row of a skills CSV as column -> the set of its `;`-separated values, by column names
/// rolemap writes; empty cells left out.
fn csv_rows(bytes: &[u8]) -> Vec<BTreeMap<String, BTreeSet<String>>> {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .expect("headers")
        .iter()
        .map(|h| {
            COLUMN_NAMES
                .iter()
                .find(|(old, _)| *old == h)
                .map_or(h, |(_, new)| new)
                .to_owned()
        })
        .collect();
    reader
        .records()
        .map(|record| {
            let record = record.expect("record");
            headers
                .iter()
                .zip(record.iter())
                .filter(|(_, cell)| !cell.trim().is_empty())
                .map(|(header, cell)| {
                    let values = cell
                        .split(';')
                        .map(|v| v.trim().to_owned())
                        .filter(|v| !v.is_empty())
                        .collect();
                    (header.clone(), values)
                })
                .collect()
        })
        .collect()
}

/// The CSV round trip: import, export as CSV, every cell of the input in the export as a set of
/// values; the export imported into another fresh database exports the same bytes.
fn csv_round_trip(file: &Path, dir: &Path) {
    let first = import_then_export(file, &dir.join("first.csv"));
    let input = csv_rows(&std::fs::read(file).expect("read input"));
    let exported = csv_rows(&first);
    assert_eq!(exported.len(), input.len(), "{}: rows", file.display());
    for (row, (exported, input)) in exported.iter().zip(&input).enumerate() {
        for (column, values) in input {
            assert_eq!(
                exported.get(column),
                Some(values),
                "{} row {}: {column}",
                file.display(),
                row + 2
            );
        }
    }
    let second = import_then_export(&dir.join("first.csv"), &dir.join("second.csv"));
    assert!(
        first == second,
        "{}: the two exports differ",
        file.display()
    );
}

#[test]
fn an_rsd_collection_round_trips_through_the_store() {
    let dir = tempfile::tempdir().expect("temporary directory");
    json_round_trip(&fixture("collection.json"), dir.path());
}

#[test]
fn an_osmt_skills_csv_round_trips_through_the_store() {
    let dir = tempfile::tempdir().expect("temporary directory");
    csv_round_trip(&fixture("skills.csv"), dir.path());
}

#[test]
fn an_rsd_import_gives_one_skill_per_rsd_with_its_categories() {
    let db = Db::empty();
    let out = ok(
        &db.path,
        &["import", "rsd", arg(&fixture("collection.json"))],
    );
    assert!(
        out.contains("Imported 2 RSDs (5e0c2a7e-0000-4000-8000-000000000001) as rsd-5e0c2a7e"),
        "{out}"
    );
    let skills = json(&db.path, &["skills", "--framework", "rsd-5e0c2a7e"]);
    let labels: Vec<&str> = skills
        .as_array()
        .expect("skills")
        .iter()
        .map(|s| s["label"].as_str().expect("label"))
        .collect();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(labels.contains(&"Incident Triage"), "{labels:?}");
    let again = ok(
        &db.path,
        &["import", "rsd", arg(&fixture("collection.json"))],
    );
    assert!(again.contains("already stored; nothing changed"), "{again}");
}

#[test]
fn a_json_import_exports_as_osmt_csv_too() {
    let db = Db::empty();
    ok(
        &db.path,
        &["import", "rsd", arg(&fixture("collection.json"))],
    );
    let out = db.dir.path().join("skills.csv");
    ok(
        &db.path,
        &["export", "rsd", "rsd-5e0c2a7e", "--out", arg(&out)],
    );
    let rows = csv_rows(&std::fs::read(&out).expect("read"));
    assert_eq!(rows.len(), 2);
    let set = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect();
    assert_eq!(
        rows[0]["Authors"],
        set(&["Operations Guild", "Site Reliability"])
    );
    assert_eq!(rows[0]["Broad Occupations"], set(&["15-1240"]));
    assert_eq!(
        rows[0]["Alignment URL"],
        set(&["https://skills.example.org/KS0001"])
    );
    // The v2 skill: its single author and category, its O*NET code broken out.
    assert_eq!(rows[1]["Categories"], set(&["Operations"]));
    assert_eq!(rows[1]["O*NET Job Codes"], set(&["11-3021.00"]));
    assert_eq!(rows[1]["Occupation Minor Groups"], set(&["11-3000"]));
}

#[test]
fn a_bad_rsd_file_names_file_position_and_field_and_changes_nothing() {
    let db = Db::init();
    let before = json(&db.path, &["frameworks"]);
    let text = std::fs::read_to_string(fixture("collection.json")).expect("read fixture");
    let csv = std::fs::read_to_string(fixture("skills.csv")).expect("read fixture");
    for (name, broken, expected) in [
        (
            "bad.json",
            text.chars().take(text.chars().count() / 3).collect(),
            "[invalid-json]",
        ),
        (
            "bad.json",
            text.replacen("\"skillName\": \"Change Planning\",", "", 1),
            "bad.json:58:12: skills[1].skillName",
        ),
        (
            "bad.json",
            text.replacen("\"code\": \"11-3021.00\", ", "", 1),
            "skills[1].occupations[0].code",
        ),
        (
            "bad.csv",
            csv.replacen("Keywords", "Keywerds", 1),
            "bad.csv:1:5: Keywerds",
        ),
        (
            "bad.csv",
            csv.replacen(",15-1240,", ",15-1244,", 1),
            "bad.csv:2:10: Broad Occupations",
        ),
    ] {
        let bad = db.dir.path().join(name);
        std::fs::write(&bad, &broken).expect("write bad file");
        let err = fail(&db.path, &["import", "rsd", arg(&bad)]);
        assert!(err.contains(expected), "{expected}: {err}");
        assert_eq!(json(&db.path, &["frameworks"]), before, "nothing stored");
    }
}

#[test]
fn every_builtin_framework_exports_to_rsd_and_back_to_the_same_export() {
    let db = Db::init();
    let frameworks = json(&db.path, &["frameworks"]);
    let keys: Vec<String> = frameworks
        .as_array()
        .expect("frameworks")
        .iter()
        .map(|f| f["key"].as_str().expect("key").to_owned())
        .collect();
    assert!(keys.len() >= 4, "{keys:?}");
    for key in keys {
        for extension in ["json", "csv"] {
            let first = db.dir.path().join(format!("{key}.{extension}"));
            ok(&db.path, &["export", "rsd", &key, "--out", arg(&first)]);
            let skills = json(&db.path, &["skills", "--framework", &key]);
            let count = skills.as_array().map_or(0, Vec::len);
            if extension == "json" {
                let exported: Value =
                    serde_json::from_slice(&std::fs::read(&first).expect("read")).expect("JSON");
                assert_eq!(
                    exported["skills"].as_array().map(Vec::len),
                    Some(count),
                    "{key}: one RSD per skill"
                );
            }
            let again = import_then_export(
                &first,
                &db.dir.path().join(format!("{key}-again.{extension}")),
            );
            assert!(
                again == std::fs::read(&first).expect("read"),
                "{key}.{extension}: the re-imported export exports differently"
            );
        }
    }
}

#[test]
fn exporting_an_unknown_framework_as_rsd_is_an_error() {
    let db = Db::init();
    let out = db.dir.path().join("x.json");
    let err = fail(&db.path, &["export", "rsd", "nope", "--out", arg(&out)]);
    assert!(err.contains("no framework named 'nope'"), "{err}");
    assert!(!out.exists());
}

/// Every RSD JSON and skills CSV in `ROLEMAP_INTEROP_DIR/osmt`.
#[test]
fn real_osmt_files_round_trip_through_the_store() {
    let Some(dir) = std::env::var_os("ROLEMAP_INTEROP_DIR") else {
        eprintln!("skipped: ROLEMAP_INTEROP_DIR not set");
        return;
    };
    let work = tempfile::tempdir().expect("temporary directory");
    let mut files = 0;
    for entry in std::fs::read_dir(PathBuf::from(dir).join("osmt")).expect("osmt folder") {
        let path = entry.expect("entry").path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => json_round_trip(&path, work.path()),
            Some("csv") => csv_round_trip(&path, work.path()),
            _ => continue, // OSMT's API description
        }
        files += 1;
    }
    assert!(files > 0, "no RSD file found");
}
