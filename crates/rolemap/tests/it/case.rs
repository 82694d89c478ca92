//! `rolemap import case` and `rolemap export case`: the hand-written package always, the real
//! packages of `ROLEMAP_INTEROP_DIR/case` when that variable names the interoperability folder.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{Db, fail, json, ok};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rolemap-formats/tests/fixtures/case/operations.json")
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Imports `file` into a fresh database and exports framework `key` (the one the import names
/// when `None`); returns the export's bytes.
fn import_then_export(file: &Path, key: Option<&str>, out: &Path) -> Vec<u8> {
    let db = Db::empty();
    let mut args = vec!["import", "case", arg(file)];
    if let Some(key) = key {
        args.extend(["--key", key]);
    }
    let imported = ok(&db.path, &args);
    let stored = key.map_or_else(
        || {
            imported
                .split(" as ")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .expect("the import names the framework")
                .to_owned()
        },
        str::to_owned,
    );
    ok(&db.path, &["export", "case", &stored, "--out", arg(out)]);
    std::fs::read(out).expect("read export")
}

/// The round trip every CASE file must pass: import, export, compare with the input; import the
/// export into another fresh database, export again: the same bytes.
fn round_trip(file: &Path, dir: &Path) {
    let first = import_then_export(file, None, &dir.join("first.json"));
    let input: Value =
        serde_json::from_slice(&std::fs::read(file).expect("read input")).expect("input is JSON");
    let exported: Value = serde_json::from_slice(&first).expect("export is JSON");
    assert_eq!(exported, input, "{} exports as it came in", file.display());
    let second = import_then_export(&dir.join("first.json"), None, &dir.join("second.json"));
    assert!(
        first == second,
        "{}: the two exports differ",
        file.display()
    );
}

#[test]
fn a_case_package_round_trips_through_the_store() {
    let dir = tempfile::tempdir().expect("temporary directory");
    round_trip(&fixture(), dir.path());
}

#[test]
fn a_case_import_gives_skills_and_a_scale() {
    let db = Db::empty();
    let out = ok(
        &db.path,
        &["import", "case", arg(&fixture()), "--key", "ops-case"],
    );
    assert!(
        out.contains("as ops-case 1.0: 4 items as skills, 11 associations, 1 rubrics (1 scales)"),
        "{out}"
    );
    let skills = json(&db.path, &["skills", "--framework", "ops-case"]);
    let labels: Vec<&str> = skills
        .as_array()
        .expect("skills")
        .iter()
        .map(|s| s["label"].as_str().expect("label"))
        .collect();
    assert!(labels.contains(&"Plan work"), "{labels:?}");
    // The same package again changes nothing.
    let again = ok(
        &db.path,
        &["import", "case", arg(&fixture()), "--key", "ops-case"],
    );
    assert!(again.contains("already stored; nothing changed"), "{again}");
}

#[test]
fn a_bad_case_file_names_file_position_and_field_and_changes_nothing() {
    let db = Db::init();
    let before = json(&db.path, &["frameworks"]);
    let text = std::fs::read_to_string(fixture()).expect("read fixture");
    let bad = db.dir.path().join("bad.json");
    for (broken, expected) in [
        (
            text[..text.len() / 3].to_owned(),
            "[invalid-json]".to_owned(),
        ),
        (
            text.replacen("\"score\": 2,", "", 1),
            "CFRubricCriterionLevels[2].score".to_owned(),
        ),
        (
            text.replacen(
                "\"identifier\": \"11111111-1111-4111-8111-000000000003\",\n                \"uri\": \"https://case.example.org/uri/11111111-1111-4111-8111-000000000003\"",
                "\"identifier\": \"11111111-1111-4111-8111-00000000dead\",\n                \"uri\": \"https://case.example.org/uri/11111111-1111-4111-8111-00000000dead\"",
                1,
            ),
            "originNodeURI.identifier".to_owned(),
        ),
    ] {
        std::fs::write(&bad, &broken).expect("write bad file");
        let err = fail(&db.path, &["import", "case", arg(&bad)]);
        assert!(err.contains(&expected), "{expected}: {err}");
        assert!(err.contains("bad.json:"), "{err}");
        assert_eq!(json(&db.path, &["frameworks"]), before, "nothing stored");
    }
}

#[test]
fn every_builtin_framework_exports_to_case_and_back_to_the_same_export() {
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
        let first = db.dir.path().join(format!("{key}.json"));
        ok(&db.path, &["export", "case", &key, "--out", arg(&first)]);
        let exported: Value =
            serde_json::from_slice(&std::fs::read(&first).expect("read")).expect("JSON");
        let scales = exported["CFRubrics"].as_array().map_or(0, Vec::len);
        let skills = json(&db.path, &["skills", "--framework", &key]);
        assert_eq!(
            exported["CFItems"].as_array().map(Vec::len),
            skills.as_array().map(Vec::len),
            "{key}: one item per skill"
        );
        if key == "odp" {
            assert!(scales > 0, "odp's levels become rubrics");
        }
        let again = import_then_export(
            &first,
            Some("again"),
            &db.dir.path().join(format!("{key}-again.json")),
        );
        assert!(
            again == std::fs::read(&first).expect("read"),
            "{key}: the re-imported export exports differently"
        );
    }
}

#[test]
fn exporting_an_unknown_framework_is_an_error() {
    let db = Db::init();
    let out = db.dir.path().join("x.json");
    let err = fail(&db.path, &["export", "case", "nope", "--out", arg(&out)]);
    assert!(err.contains("no framework named 'nope'"), "{err}");
    assert!(!out.exists());
}

/// Every CFPackage in `ROLEMAP_INTEROP_DIR/case` (OpenSALT's sample among them).
#[test]
fn real_case_packages_round_trip_through_the_store() {
    let Some(dir) = std::env::var_os("ROLEMAP_INTEROP_DIR") else {
        eprintln!("skipped: ROLEMAP_INTEROP_DIR not set");
        return;
    };
    let work = tempfile::tempdir().expect("temporary directory");
    let mut packages = 0;
    for entry in std::fs::read_dir(PathBuf::from(dir).join("case")).expect("case folder") {
        let path = entry.expect("entry").path();
        let value: Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("JSON");
        if value.get("CFDocument").is_none() {
            continue; // the schema and the service definition
        }
        packages += 1;
        round_trip(&path, work.path());
    }
    assert!(packages > 0, "no CFPackage found");
}

#[test]
fn an_exact_match_to_a_stored_item_becomes_a_mapping() {
    let db = Db::empty();
    ok(
        &db.path,
        &["import", "case", arg(&fixture()), "--key", "ops-case"],
    );
    let doc = "22222222-2222-4222-8222-000000000000";
    let item = "22222222-2222-4222-8222-000000000001";
    let text = format!(
        r#"{{"CFDocument": {{"identifier": "{doc}", "uri": "d", "title": "Other"}},
        "CFItems": [{{"identifier": "{item}", "uri": "i", "fullStatement": "Plan a team's work"}}],
        "CFAssociations": [
          {{"identifier": "22222222-2222-4222-8222-000000000101", "uri": "a1", "associationType": "exactMatchOf",
            "originNodeURI": {{"title": "", "identifier": "{item}", "uri": "i"}},
            "destinationNodeURI": {{"title": "", "identifier": "11111111-1111-4111-8111-000000000001", "uri": "x"}}}},
          {{"identifier": "22222222-2222-4222-8222-000000000102", "uri": "a2", "associationType": "exactMatchOf",
            "originNodeURI": {{"title": "", "identifier": "{item}", "uri": "i"}},
            "destinationNodeURI": {{"title": "", "identifier": "33333333-0000-4000-8000-000000000000", "uri": "y"}}}}]}}"#
    );
    let file = db.dir.path().join("other.json");
    std::fs::write(&file, text).expect("write package");
    let out = ok(&db.path, &["import", "case", arg(&file)]);
    assert!(
        out.contains("1 association to skills of other stored frameworks applied as mappings."),
        "{out}"
    );
}

/// One GET over HTTP/1.1 (`Connection: close`) with an API token, the body as bytes.
pub(crate) fn http_get(address: &str, token: &str, path: &str) -> (String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).expect("read");
    let split = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header");
    let head = String::from_utf8_lossy(&reply[..split]).into_owned();
    (head, reply[split + 4..].to_vec())
}

/// The server, stopped when the test ends, passing or not.
pub(crate) struct Serving(pub(crate) std::process::Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `rolemap serve` on `db` on a port of its own, and the address it printed.
pub(crate) fn serve(db: &Path) -> (Serving, String) {
    use std::io::BufRead;
    let mut child = Serving(
        std::process::Command::new(env!("CARGO_BIN_EXE_rolemap"))
            .arg("--db")
            .arg(db)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env_remove("ROLEMAP_DB")
            .env_remove("ROLEMAP_ADDR")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start rolemap serve"),
    );
    let lines = std::io::BufReader::new(child.0.stdout.take().expect("stdout")).lines();
    let address = lines
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("http://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .map(str::to_owned)
        })
        .expect("serve prints its address");
    (child, address)
}

#[test]
fn the_case_api_serves_each_builtin_package_as_export_case_writes_it() {
    let db = Db::init();
    // CASE serves frameworks to anyone signed in.
    let token = crate::api_token(&db.path, "reader", "employee");
    let (_child, address) = serve(&db.path);
    let (head, body) = http_get(&address, &token, "/ims/case/v1p0/CFDocuments");
    let documents: Value = serde_json::from_slice(&body).expect("JSON");
    let documents = documents["CFDocuments"].as_array().expect("CFDocuments");
    let keys: Vec<String> = json(&db.path, &["frameworks"])
        .as_array()
        .expect("frameworks")
        .iter()
        .map(|f| f["key"].as_str().expect("key").to_owned())
        .collect();
    assert_eq!(documents.len(), keys.len(), "{head}");
    for key in &keys {
        let file = db.dir.path().join(format!("{key}.json"));
        ok(&db.path, &["export", "case", key, "--out", arg(&file)]);
        let exported = std::fs::read(&file).expect("read export");
        let id =
            serde_json::from_slice::<Value>(&exported).expect("JSON")["CFDocument"]["identifier"]
                .as_str()
                .expect("identifier")
                .to_owned();
        let (head, served) = http_get(&address, &token, &format!("/ims/case/v1p0/CFPackages/{id}"));
        assert!(head.starts_with("HTTP/1.1 200"), "{key}: {head}");
        assert!(served == exported, "{key}: served and exported differ");
    }
}
