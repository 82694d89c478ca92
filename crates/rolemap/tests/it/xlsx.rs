//! `rolemap import xlsx|csv` and `rolemap export xlsx|csv`: rolemap's framework spreadsheet and
//! OpenSALT's CASE spreadsheet (sheets CF Doc, CF Item, CF Association) in and out, for every
//! built-in framework, bad workbooks, the templates, and the real spreadsheets of
//! `ROLEMAP_INTEROP_DIR/spreadsheets` when set.

use std::path::{Path, PathBuf};

use rolemap_formats::sheets::{Sheet, Workbook, read_xlsx, write_xlsx};

use serde_json::Value;

use crate::{Db, fail, json, ok};

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Imports `file` into a fresh database and exports the framework the import names as a
/// spreadsheet to `out`; returns the export's bytes.
fn import_then_export(file: &Path, out: &Path) -> Vec<u8> {
    let db = Db::empty();
    let imported = ok(&db.path, &["import", "xlsx", arg(file)]);
    let key = imported
        .split(" as ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the import names the framework")
        .to_owned();
    ok(
        &db.path,
        &[
            "export",
            "xlsx",
            &key,
            "--layout",
            "case",
            "--out",
            arg(out),
        ],
    );
    std::fs::read(out).expect("read export")
}

fn workbook(path: &Path) -> Workbook {
    read_xlsx("x.xlsx", &std::fs::read(path).expect("read")).expect("an XLSX workbook")
}

/// Every non-blank cell of the input is in the export, in the row of the same identifier and
/// the column of the same name; then the export imported again exports the same bytes.
fn round_trip(file: &Path, dir: &Path) {
    let first = dir.join("first.xlsx");
    let bytes = import_then_export(file, &first);
    let input = workbook(file);
    let exported = workbook(&first);
    for sheet in ["CF Doc", "CF Item", "CF Association"] {
        let (input, exported) = (
            input.sheet(sheet).expect("input sheet"),
            exported.sheet(sheet).expect("exported sheet"),
        );
        let (in_header, out_header) = (input.header(), exported.header());
        for row in input.records() {
            let id = row.cells.first().map_or("", |c| c.trim());
            let twin = exported
                .records()
                .find(|r| r.cells.first().map(|c| c.trim()) == Some(id))
                .unwrap_or_else(|| panic!("{sheet}: no row for {id}"));
            for (column, cell) in in_header.iter().zip(&row.cells) {
                if cell.trim().is_empty() {
                    continue;
                }
                let at = out_header
                    .iter()
                    .position(|h| h == column)
                    .unwrap_or_else(|| panic!("{sheet}: no column {column}"));
                assert_eq!(
                    twin.cells.get(at).map(|c| c.trim()),
                    Some(cell.trim()),
                    "{} {sheet} {id} {column}",
                    file.display()
                );
            }
        }
    }
    let again = import_then_export(&first, &dir.join("second.xlsx"));
    assert!(again == bytes, "{}: the two exports differ", file.display());
}

#[test]
fn every_builtin_framework_exports_to_a_case_spreadsheet_and_back_to_the_same_export() {
    let db = Db::init();
    let frameworks = json(&db.path, &["frameworks"]);
    for framework in frameworks.as_array().expect("frameworks") {
        let key = framework["key"].as_str().expect("key");
        let first = db.dir.path().join(format!("{key}.xlsx"));
        ok(
            &db.path,
            &[
                "export",
                "xlsx",
                key,
                "--layout",
                "case",
                "--out",
                arg(&first),
            ],
        );
        let skills = json(&db.path, &["skills", "--framework", key]);
        let items = workbook(&first)
            .sheet("CF Item")
            .map_or(0, |s| s.records().count());
        assert_eq!(
            Some(items),
            skills.as_array().map(Vec::len),
            "{key}: a row per skill"
        );
        let dir = tempfile::tempdir().expect("temporary directory");
        round_trip(&first, dir.path());
    }
}

#[test]
fn a_workbook_missing_a_sheet_names_it_and_changes_nothing() {
    let db = Db::init();
    let before = json(&db.path, &["frameworks"]);
    let full = db.dir.path().join("odp.xlsx");
    ok(
        &db.path,
        &[
            "export",
            "xlsx",
            "odp",
            "--layout",
            "case",
            "--out",
            arg(&full),
        ],
    );
    let mut book = workbook(&full);
    book.sheets.retain(|s| s.name != "CF Association");
    let bad = db.dir.path().join("bad.xlsx");
    std::fs::write(&bad, write_xlsx(&book).expect("write")).expect("write bad file");
    let err = fail(&db.path, &["import", "xlsx", arg(&bad)]);
    assert!(err.contains("bad.xlsx: CF Association"), "{err}");
    assert!(err.contains("[missing-sheet]"), "{err}");
    assert_eq!(json(&db.path, &["frameworks"]), before, "nothing stored");
}

#[test]
fn a_bad_cell_names_sheet_row_and_column_and_changes_nothing() {
    let db = Db::init();
    let before = json(&db.path, &["frameworks"]);
    let full = db.dir.path().join("odp.xlsx");
    ok(
        &db.path,
        &[
            "export",
            "xlsx",
            "odp",
            "--layout",
            "case",
            "--out",
            arg(&full),
        ],
    );
    let mut book = workbook(&full);
    let associations = book
        .sheets
        .iter_mut()
        .find(|s| s.name == "CF Association")
        .expect("associations");
    // The type of the first association (row 2, column D).
    associations.rows[1].cells[3] = "Is Cousin Of".to_owned();
    // An item no longer in the package as the parent of the second.
    associations.rows[2].cells[5] = "00000000-0000-4000-8000-00000000dead".to_owned();
    let bad = db.dir.path().join("bad.xlsx");
    std::fs::write(&bad, write_xlsx(&book).expect("write")).expect("write bad file");
    let err = fail(&db.path, &["import", "xlsx", arg(&bad)]);
    assert!(
        err.contains("bad.xlsx:2:4: CF Association!D2 associationType"),
        "{err}"
    );
    assert!(
        err.contains("'Is Cousin Of' is not a CASE association type"),
        "{err}"
    );
    assert_eq!(json(&db.path, &["frameworks"]), before, "nothing stored");
}

#[test]
fn the_case_spreadsheet_template_has_the_three_sheets_and_no_rows() {
    let db = Db::empty();
    let out = db.dir.path().join("template.xlsx");
    ok(
        &db.path,
        &[
            "export",
            "xlsx",
            "--template",
            "--layout",
            "case",
            "--out",
            arg(&out),
        ],
    );
    let book = workbook(&out);
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["CF Doc", "CF Item", "CF Association"]);
    assert!(book.sheets.iter().all(|s: &Sheet| s.records().count() == 0));
    assert_eq!(book.sheets[1].header()[1], "fullStatement");
    // Filled in with nothing, it is refused, naming what is missing.
    let err = fail(&db.path, &["import", "xlsx", arg(&out)]);
    assert!(err.contains("CF Doc"), "{err}");
}

/// Every workbook in `ROLEMAP_INTEROP_DIR/spreadsheets` (OpenSALT's sample and template).
#[test]
fn real_case_spreadsheets_round_trip_through_the_store() {
    let Some(dir) = std::env::var_os("ROLEMAP_INTEROP_DIR") else {
        eprintln!("skipped: ROLEMAP_INTEROP_DIR not set");
        return;
    };
    let work = tempfile::tempdir().expect("temporary directory");
    let mut files = 0;
    for entry in std::fs::read_dir(PathBuf::from(dir).join("spreadsheets")).expect("folder") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("xlsx") {
            continue;
        }
        files += 1;
        let rows = workbook(&path)
            .sheet("CF Doc")
            .map_or(0, |s| s.records().count());
        if rows == 0 {
            // The template: nothing to import, and refused as such.
            let db = Db::empty();
            let err = fail(&db.path, &["import", "xlsx", arg(&path)]);
            assert!(err.contains("CF Doc"), "{err}");
            continue;
        }
        round_trip(&path, work.path());
    }
    assert!(files > 0, "no spreadsheet found");
}

/// A built-in framework exported in rolemap's layout (XLSX or CSV), imported into a fresh
/// database, reads back with the same skills, roles and requirements, and exports the same bytes.
#[test]
fn every_builtin_framework_round_trips_through_a_framework_spreadsheet() {
    let db = Db::init();
    let frameworks = json(&db.path, &["frameworks"]);
    for framework in frameworks.as_array().expect("frameworks") {
        let key = framework["key"].as_str().expect("key");
        for format in ["xlsx", "csv"] {
            let first = db.dir.path().join(format!("{key}.{format}"));
            ok(&db.path, &["export", format, key, "--out", arg(&first)]);
            let fresh = Db::empty();
            // Links may name roles of the other built-in frameworks: those come first.
            for other in frameworks.as_array().expect("frameworks") {
                let other = other["key"].as_str().expect("key");
                if other == key {
                    continue;
                }
                let file = db.dir.path().join(format!("other-{other}.{format}"));
                ok(&db.path, &["export", format, other, "--out", arg(&file)]);
                let _ = crate::rolemap(&fresh.path, &["import", format, arg(&file)]);
            }
            let imported = ok(&fresh.path, &["import", format, arg(&first)]);
            assert!(imported.contains(&format!("as {key} ")), "{imported}");
            for listing in [
                vec!["skills", "--framework", key],
                vec!["roles", "--framework", key],
            ] {
                let labels = |db: &Db| {
                    let mut names: Vec<String> = json(&db.path, &listing)
                        .as_array()
                        .expect("list")
                        .iter()
                        .map(|v| {
                            format!(
                                "{} {}",
                                v["key"].as_str().unwrap_or(""),
                                v["label"].as_str().or(v["title"].as_str()).unwrap_or("")
                            )
                        })
                        .collect();
                    names.sort();
                    names
                };
                assert_eq!(labels(&fresh), labels(&db), "{key}.{format}: {listing:?}");
            }
            let again = fresh.dir.path().join(format!("again.{format}"));
            ok(&fresh.path, &["export", format, key, "--out", arg(&again)]);
            assert!(
                std::fs::read(&again).expect("read") == std::fs::read(&first).expect("read"),
                "{key}.{format}: the re-imported framework exports differently"
            );
        }
    }
}

#[test]
fn a_framework_spreadsheet_with_a_bad_cell_or_a_missing_sheet_changes_nothing() {
    let db = Db::init();
    let before = json(&db.path, &["frameworks"]);
    let full = db.dir.path().join("odp.xlsx");
    ok(&db.path, &["export", "xlsx", "odp", "--out", arg(&full)]);
    let fresh = Db::empty();
    let mut book = workbook(&full);
    book.sheets.retain(|s| s.name != "requirements");
    let bad = db.dir.path().join("bad.xlsx");
    std::fs::write(&bad, write_xlsx(&book).expect("write")).expect("write bad file");
    let err = fail(&fresh.path, &["import", "xlsx", arg(&bad)]);
    assert!(
        err.contains("bad.xlsx: requirements: the workbook has no sheet"),
        "{err}"
    );
    assert!(err.contains("[missing-sheet]"), "{err}");

    let mut book = workbook(&full);
    let roles = book
        .sheets
        .iter_mut()
        .find(|s| s.name == "roles")
        .expect("roles");
    roles.rows[1].cells[7] = "senior".to_owned(); // level, column H
    std::fs::write(&bad, write_xlsx(&book).expect("write")).expect("write bad file");
    let err = fail(&fresh.path, &["import", "xlsx", arg(&bad)]);
    assert!(err.contains("bad.xlsx:2:8: roles!H2 level"), "{err}");
    assert_eq!(json(&fresh.path, &["frameworks"]), Value::Array(Vec::new()));
    assert_eq!(json(&db.path, &["frameworks"]), before);
}

#[test]
fn the_framework_spreadsheet_template_has_every_sheet() {
    let db = Db::empty();
    for format in ["xlsx", "csv"] {
        let out = db.dir.path().join(format!("template.{format}"));
        ok(
            &db.path,
            &["export", format, "--template", "--out", arg(&out)],
        );
        let names: Vec<String> = if format == "xlsx" {
            workbook(&out).sheets.into_iter().map(|s| s.name).collect()
        } else {
            std::fs::read_to_string(&out)
                .expect("read")
                .lines()
                .filter(|l| l.starts_with('['))
                .map(|l| l.trim_matches(['[', ']']).to_owned())
                .collect()
        };
        assert_eq!(
            names,
            [
                "framework",
                "scale levels",
                "grades",
                "families",
                "skills",
                "roles",
                "codes",
                "dimensions",
                "requirements",
                "links"
            ],
            "{format}"
        );
    }
}
