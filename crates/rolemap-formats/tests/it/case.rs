//! CASE 1.0 packages: the hand-written fixture always, the files of `ROLEMAP_INTEROP_DIR/case`
//! when that variable names the interoperability folder.

use std::path::{Path, PathBuf};

use rolemap_formats::case::{self, CasePackage};
use rolemap_formats::{Diagnostic, Diagnostics};
use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case/operations.json")
}

fn fixture_text() -> String {
    std::fs::read_to_string(fixture()).unwrap()
}

fn read_text(text: &str) -> Result<CasePackage, Diagnostics> {
    case::read("operations.json", text.as_bytes())
}

fn written(package: &CasePackage) -> Vec<u8> {
    let mut bytes = Vec::new();
    case::write(package, &mut bytes).unwrap();
    bytes
}

fn only(text: &str, code: &str) -> Diagnostic {
    let problems = match read_text(text) {
        Ok(_) => panic!("expected a problem {code}, the package read cleanly"),
        Err(d) => d.0,
    };
    let found: Vec<&Diagnostic> = problems.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{problems:#?}");
    found[0].clone()
}

#[test]
fn a_package_is_written_back_with_every_field_and_string_as_read() {
    let text = fixture_text();
    let package = read_text(&text).unwrap_or_else(|e| panic!("{e}"));
    let out = written(&package);
    let input: Value = serde_json::from_str(&text).unwrap();
    let output: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(input, output);
    // CRLF inside a statement, LaTeX and a non-BMP character, byte for byte.
    let statement = output["CFItems"][1]["fullStatement"].as_str().unwrap();
    assert_eq!(
        statement,
        "Estimate capacity: $\\lambda = \\frac{n}{t}$ \u{1F4C8} (non-BMP)"
    );
    assert!(
        output["CFItems"][0]["fullStatement"]
            .as_str()
            .unwrap()
            .contains("team.\r\nSecond")
    );
}

#[test]
fn a_written_package_reads_and_writes_to_the_same_bytes() {
    let package = read_text(&fixture_text()).unwrap();
    let once = written(&package);
    let again = written(&case::read("once.json", once.as_slice()).unwrap());
    assert_eq!(once, again);
    // Through the stored objects too.
    let stored = CasePackage::from_objects(&package.objects()).unwrap();
    assert_eq!(written(&stored), once);
}

#[test]
fn every_association_type_and_order_is_kept() {
    let package = read_text(&fixture_text()).unwrap();
    let types: Vec<&str> = package
        .associations
        .iter()
        .map(|a| a["associationType"].as_str().unwrap())
        .collect();
    assert_eq!(types.len(), 11);
    for kind in case::ASSOCIATION_TYPES {
        assert!(types.contains(&kind), "{kind} missing: {types:?}");
    }
    let out: Value = serde_json::from_slice(&written(&package)).unwrap();
    let grouped = &out["CFAssociations"][7];
    assert_eq!(grouped["sequenceNumber"], 1);
    assert_eq!(
        grouped["CFAssociationGroupingURI"]["identifier"],
        "11111111-1111-4111-8111-0000000000a1"
    );
}

#[test]
fn items_become_skills_and_rubric_levels_a_scale_by_score() {
    let package = read_text(&fixture_text()).unwrap();
    let bundle = case::to_bundle(&package, "ops-case", "operations.json").unwrap();
    assert_eq!(bundle.framework.key, "ops-case");
    assert_eq!(bundle.framework.version, "1.0");
    assert_eq!(bundle.skills.len(), 4);
    assert_eq!(bundle.skills[0].key, "11111111-1111-4111-8111-000000000001");
    assert_eq!(bundle.skills[0].label, "Plan work");
    assert_eq!(bundle.skills[0].alt_labels, ["OPS.1"]);
    assert_eq!(bundle.scales.len(), 1);
    let levels: Vec<(&str, &str)> = bundle.scales[0]
        .levels()
        .iter()
        .map(|l| (l.code.as_str(), l.name.as_str()))
        .collect();
    assert_eq!(
        levels,
        [("1", "Novice"), ("2", "Practitioner"), ("3", "Expert")]
    );
    assert_eq!(
        bundle.skills[0].scale.as_deref(),
        Some("11111111-1111-4111-8111-0000000000c2")
    );
    assert_eq!(case::default_key(&package), "case-11111111");
}

#[test]
fn truncated_json_is_refused_with_its_line_and_column() {
    let text = fixture_text();
    let cut = text[..text.len() / 2].trim_end();
    let d = only(cut, "invalid-json");
    assert_eq!(d.file, "operations.json");
    assert_eq!(d.line, cut.lines().count());
    assert!(d.column > 0, "{d}");
}

#[test]
fn an_association_from_an_unknown_item_is_refused_naming_the_field() {
    let text = fixture_text().replacen(
        "\"title\": \"Origin\",\n                \"identifier\": \"11111111-1111-4111-8111-000000000003\"",
        "\"title\": \"Origin\",\n                \"identifier\": \"11111111-1111-4111-8111-00000000dead\"",
        1,
    );
    let d = only(&text, "unknown-item");
    assert_eq!(d.field, "CFAssociations[2].originNodeURI.identifier");
    let line = text
        .lines()
        .position(|l| l.contains("11111111-1111-4111-8111-000000000103"))
        .unwrap()
        + 1;
    assert_eq!(d.line, line, "{d}");
}

#[test]
fn an_is_child_of_to_a_node_outside_the_package_is_refused() {
    let text = fixture_text().replacen(
        "\"identifier\": \"11111111-1111-4111-8111-000000000000\",\n                \"uri\": \"https://case.example.org/uri/11111111-1111-4111-8111-000000000000\"\n            },\n            \"lastChangeDateTime\": \"2024-03-01T12:00:00+00:00\",\n            \"sequenceNumber\": 1",
        "\"identifier\": \"22222222-1111-4111-8111-000000000000\",\n                \"uri\": \"https://case.example.org/uri/11111111-1111-4111-8111-000000000000\"\n            },\n            \"lastChangeDateTime\": \"2024-03-01T12:00:00+00:00\",\n            \"sequenceNumber\": 1",
        1,
    );
    let d = only(&text, "unknown-item");
    assert_eq!(d.field, "CFAssociations[0].destinationNodeURI.identifier");
}

#[test]
fn nodes_outside_the_package_are_kept_as_links() {
    let package = read_text(&fixture_text()).unwrap();
    let outside = &package.associations[5]["destinationNodeURI"];
    assert_eq!(
        outside["uri"],
        "https://other.example.net/uri/99999999-9999-4999-8999-999999999999"
    );
}

#[test]
fn a_rubric_level_without_a_score_is_refused_naming_the_field() {
    let text = fixture_text().replacen("\"score\": 1,", "", 1);
    let d = only(&text, "missing-value");
    assert_eq!(
        d.field,
        "CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[1].score"
    );
    let line = text
        .lines()
        .position(|l| l.contains("11111111-1111-4111-8111-0000000000d1"))
        .unwrap()
        + 1;
    assert_eq!(d.line, line, "{d}");
}

#[test]
fn an_unknown_association_type_is_refused() {
    let text = fixture_text().replacen("\"isPeerOf\"", "\"isCousinOf\"", 1);
    let d = only(&text, "invalid-value");
    assert_eq!(d.field, "CFAssociations[4].associationType");
}

#[test]
fn every_builtin_framework_exports_and_reads_back_to_the_same_bytes() {
    for bundle in rolemap_formats::builtin::frameworks().unwrap() {
        let package = case::from_bundle(&bundle, "2024-01-01T00:00:00Z");
        let once = written(&package);
        let read = case::read("builtin.json", once.as_slice())
            .unwrap_or_else(|e| panic!("{}: {e}", bundle.framework.key));
        assert_eq!(written(&read), once, "{}", bundle.framework.key);
        assert_eq!(read.items.len(), bundle.skills.len());
        assert_eq!(read.rubrics.len(), bundle.scales.len());
        let again = case::to_bundle(&read, "again", "builtin.json").unwrap();
        for (scale, back) in bundle.scales.iter().zip(&again.scales) {
            let codes: Vec<&str> = scale.levels().iter().map(|l| l.code.as_str()).collect();
            let names: Vec<&str> = back.levels().iter().map(|l| l.name.as_str()).collect();
            assert_eq!(codes, names, "levels keep their order");
        }
    }
}

/// Every CFPackage in `ROLEMAP_INTEROP_DIR/case` reads, writes back equal, and rewrites the same.
#[test]
fn real_case_packages_round_trip() {
    let Some(dir) = std::env::var_os("ROLEMAP_INTEROP_DIR") else {
        eprintln!("skipped: ROLEMAP_INTEROP_DIR not set");
        return;
    };
    let dir = PathBuf::from(dir).join("case");
    let mut packages = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        if value.get("CFDocument").is_none() {
            continue; // the schema and the service definition
        }
        packages += 1;
        let package = case::read(&path.display().to_string(), text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let once = written(&package);
        assert_eq!(serde_json::from_slice::<Value>(&once).unwrap(), value);
        let again = written(&case::read("once", once.as_slice()).unwrap());
        assert_eq!(once, again, "{}", path.display());
    }
    assert!(packages > 0, "no CFPackage in {}", dir.display());
}

#[test]
fn skills_follow_the_tree_in_sibling_order() {
    let package = read_text(&fixture_text()).unwrap();
    let bundle = case::to_bundle(&package, "ops-case", "operations.json").unwrap();
    let keys: Vec<&str> = bundle.skills.iter().map(|s| &s.key[32..]).collect();
    // 1 (seq 1) and its child 3, then 2 (seq 2); 4 is under no parent and comes last.
    assert_eq!(keys, ["0001", "0003", "0002", "0004"]);
}

#[test]
fn siblings_order_by_sequence_then_enumeration_then_code_then_file() {
    let doc = "00000000-0000-4000-8000-000000000000";
    let item = |n: u8, extra: &str| {
        format!(
            r#"{{"identifier": "00000000-0000-4000-8000-00000000000{n}", "uri": "u:{n}", "fullStatement": "item {n}"{extra}}}"#
        )
    };
    let child = |n: u8, extra: &str| {
        format!(
            r#"{{"identifier": "00000000-0000-4000-8000-00000000010{n}", "uri": "a:{n}", "associationType": "isChildOf", "originNodeURI": {{"title": "", "identifier": "00000000-0000-4000-8000-00000000000{n}", "uri": "u:{n}"}}, "destinationNodeURI": {{"title": "", "identifier": "{doc}", "uri": "d"}}{extra}}}"#
        )
    };
    let text = format!(
        r#"{{"CFDocument": {{"identifier": "{doc}", "uri": "d", "title": "t"}},
        "CFItems": [{}, {}, {}, {}, {}, {}],
        "CFAssociations": [{}, {}, {}, {}, {}, {}]}}"#,
        item(1, r#", "humanCodingScheme": "A.10""#),
        item(2, r#", "humanCodingScheme": "A.2""#),
        item(3, r#", "listEnumeration": "2""#),
        item(4, r#", "listEnumeration": "1""#),
        item(5, ""),
        item(6, ""),
        child(1, ""),
        child(2, ""),
        child(3, ""),
        child(4, ""),
        child(5, r#", "sequenceNumber": "2""#),
        child(6, r#", "sequenceNumber": 1"#),
    );
    let package = case::read("order.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let bundle = case::to_bundle(&package, "order", "order.json").unwrap();
    let labels: Vec<&str> = bundle.skills.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        ["item 6", "item 5", "item 4", "item 3", "item 2", "item 1"]
    );
}

#[test]
fn numbers_read_and_write_back_to_the_same_bytes() {
    let text = fixture_text().replacen(
        "\"weight\": 1.0,",
        "\"weight\": 0.30000000000000004, \"ext:scores\": [1e-7, 123456789.123456789, 2.5e300, -0.0, 18446744073709551615],",
        1,
    );
    let package = read_text(&text).unwrap_or_else(|e| panic!("{e}"));
    let once = written(&package);
    let again = written(&case::read("once.json", once.as_slice()).unwrap());
    let numbers = |bytes: &[u8]| {
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let start = text.find("\"ext:scores\"").unwrap();
        text[start..start + 160].to_owned()
    };
    assert_eq!(numbers(&once), numbers(&again));
    assert!(once == again, "the package rewrites differently");
    // Floats are parsed exactly, so they come out as they went in.
    assert!(
        numbers(&once).contains("123456789.12345679"),
        "{}",
        numbers(&once)
    );
}
