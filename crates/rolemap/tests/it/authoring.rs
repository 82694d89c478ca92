//! `rolemap export framework` and `rolemap diff`: stored versions written back as their
//! documents, re-imported, and compared.

use crate::{Db, array, fail, json, ok};

const BUILTIN_KEYS: [&str; 4] = ["odp", "standards", "esco-extract", "ops-compared"];

fn export(db: &Db, key: &str, version: Option<&str>, name: &str) -> String {
    let path = db.dir.path().join(name);
    let path_text = path.to_str().unwrap().to_owned();
    let mut args = vec!["export", "framework", key, "--out", path_text.as_str()];
    if let Some(version) = version {
        args.extend(["--version", version]);
    }
    ok(&db.path, &args);
    std::fs::read_to_string(&path).unwrap()
}

/// Every built-in framework: imported, exported, re-imported into a fresh database and exported
/// again gives the same bytes, and the export reads back to the content of the original file.
#[test]
fn every_builtin_framework_round_trips_through_export_and_import() {
    let first = Db::init();
    let originals = rolemap_formats::builtin::frameworks().unwrap();
    let mut paths = Vec::new();
    let mut exported = Vec::new();
    for (key, original) in BUILTIN_KEYS.iter().zip(&originals) {
        assert_eq!(original.framework.key, *key);
        let text = export(&first, key, None, &format!("{key}.toml"));
        let bundle = rolemap_formats::read_framework(&text, "export.toml")
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        // The store keeps tags sorted; the built-in files already list them so.
        assert_eq!(bundle.content(), original.content(), "{key}");
        paths.push(first.dir.path().join(format!("{key}.toml")));
        exported.push(text);
    }
    let second = Db::empty();
    let mut args = vec!["import", "framework"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    ok(&second.path, &args);
    for (key, text) in BUILTIN_KEYS.iter().zip(&exported) {
        let again = export(&second, key, None, &format!("{key}-again.toml"));
        assert_eq!(&again, text, "{key}: the second export differs");
    }
    // The export of a version imports again as the same content: nothing to do.
    let again = ok(
        &second.path,
        &["import", "framework", paths[0].to_str().unwrap()],
    );
    assert!(again.contains("already stored"), "{again}");
}

/// An edited export re-imported with its version unchanged is refused, naming what differs and
/// asking for a new version; with a new version it goes in and `rolemap diff` shows the change.
#[test]
fn an_edited_export_needs_a_new_version_and_diff_shows_the_edit() {
    let db = Db::init();
    let text = export(&db, "odp", None, "odp.toml");
    let edited = text.replacen(
        "descriptor = \"Applies the skill independently in everyday work.\"",
        "descriptor = \"Applies the skill alone in everyday work.\"",
        1,
    );
    assert_ne!(edited, text, "the edit must change the text");
    let file = db.file("odp-edited.toml", &edited);
    let err = fail(&db.path, &["import", "framework", file.to_str().unwrap()]);
    assert!(err.contains("already stored with other content"), "{err}");
    assert!(err.contains("scale 'odp-levels' changed"), "{err}");
    assert!(err.contains("new version"), "{err}");

    let next = edited.replacen("version = \"2024\"", "version = \"2025\"", 1);
    let file = db.file("odp-2025.toml", &next);
    ok(&db.path, &["import", "framework", file.to_str().unwrap()]);
    let diff = json(&db.path, &["diff", "odp", "2024", "2025"]);
    assert_eq!(diff["from"], "2024");
    assert_eq!(diff["to"], "2025");
    let changes = array(&diff, "changes");
    assert_eq!(changes.len(), 1, "{diff:#}");
    assert_eq!(changes[0]["item"], "level");
    assert_eq!(changes[0]["key"], "odp-levels/W");
    assert_eq!(changes[0]["field"], "descriptor");
    assert_eq!(
        changes[0]["before"],
        "Applies the skill independently in everyday work."
    );
    assert_eq!(
        changes[0]["after"],
        "Applies the skill alone in everyday work."
    );
    let table = ok(&db.path, &["diff", "odp", "2024", "2025"]);
    assert!(table.contains("0 added, 0 removed, 1 changed"), "{table}");
    // Either version exports by number.
    let old = export(&db, "odp", Some("2024"), "odp-2024.toml");
    assert_eq!(old, text);
    let err = fail(&db.path, &["diff", "odp", "2024", "2030"]);
    assert!(err.contains("odp 2030"), "{err}");
}
