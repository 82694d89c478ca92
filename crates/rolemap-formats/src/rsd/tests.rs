//! Unit tests of the RSD reader and writers.

use super::*;

const V3: &str = r#"{
	"@context": "https://rsd.openskillsnetwork.org/context-v1.json",
	"type": "RichSkillDescriptor",
	"id": "https://osmt.example.org/api/skills/7c1a",
	"uuid": "7c1a",
	"skillName": "Plan 𝔚ork",
	"skillStatement": "Plan work\r\nwith $x^2$ and *care*.",
	"authors": ["A. Author"],
	"categories": ["Planning", "Operations"],
	"keywords": ["plan"],
	"occupations": [{"code": "15-1244", "parents": [{"code": "15-0000", "level": "Major"}]}],
	"extraField": {"kept": true}
}"#;

fn read_text(text: &str) -> Result<RsdPackage, Diagnostics> {
    read("skill.json", text.as_bytes())
}

fn written(package: &RsdPackage) -> String {
    let mut bytes = Vec::new();
    write(package, &mut bytes).expect("write");
    String::from_utf8(bytes).expect("UTF-8")
}

#[test]
fn a_v3_skill_maps_to_one_skill_and_writes_back_every_field() {
    let package = read_text(V3).expect("reads");
    assert_eq!(package.shape, Shape::Skill);
    let bundle = to_bundle(&package, "rsd-7c1a");
    assert_eq!(bundle.skills.len(), 1);
    let skill = &bundle.skills[0];
    assert_eq!(skill.key, "7c1a");
    assert_eq!(skill.label, "Plan 𝔚ork");
    assert_eq!(skill.description, "Plan work\r\nwith $x^2$ and *care*.");
    assert_eq!(skill.tags, ["Planning", "Operations"]);
    assert_eq!(bundle.framework.attribution, "A. Author");
    let out = written(&package);
    let back: Value = serde_json::from_str(&out).expect("JSON");
    let input: Value = serde_json::from_str(V3).expect("JSON");
    assert_eq!(back, input);
    let again = written(&read_text(&out).expect("reads its own output"));
    assert_eq!(
        again, out,
        "written, read and written again: the same bytes"
    );
}

#[test]
fn v2_field_names_are_read_as_single_strings() {
    let v2 = r#"{"uuid": "u1", "skillName": "N", "skillStatement": "S",
        "author": "Someone", "category": "Cat"}"#;
    let package = read_text(v2).expect("reads");
    let bundle = to_bundle(&package, "k");
    assert_eq!(bundle.skills[0].tags, ["Cat"]);
    assert_eq!(bundle.framework.attribution, "Someone");
}

#[test]
fn a_collection_keeps_its_fields_and_its_skills_order() {
    let text = r#"{"type": "RichSkillCollection", "uuid": "c1", "name": "Coll",
        "skills": [{"uuid": "b", "skillName": "B", "skillStatement": ""},
                   {"uuid": "a", "skillName": "A", "skillStatement": ""}]}"#;
    let package = read_text(text).expect("reads");
    assert_eq!(package.shape, Shape::Collection);
    assert_eq!(default_key(&package), "rsd-c1");
    let keys: Vec<String> = to_bundle(&package, "k")
        .skills
        .into_iter()
        .map(|s| s.key)
        .collect();
    assert_eq!(keys, ["b", "a"]);
    let back = RsdPackage::from_objects(&package.objects()).expect("from objects");
    assert_eq!(back, package);
}

#[test]
fn problems_name_the_field_and_point_at_the_skill() {
    let text = "[\n{\"uuid\": \"a\", \"skillName\": \"A\", \"skillStatement\": \"\"},\n\
                {\"uuid\": \"b\", \"skillStatement\": \"\", \"keywords\": \"x\",\n\
                 \"occupations\": [{\"title\": \"no code\"}]},\n\
                {\"uuid\": \"a\", \"skillName\": \"A2\", \"skillStatement\": \"\"}\n]";
    let problems = read_text(text).expect_err("refused").0;
    let fields: Vec<(&str, usize)> = problems
        .iter()
        .map(|p| (p.field.as_str(), p.line))
        .collect();
    assert!(fields.contains(&("[1].skillName", 3)), "{problems:?}");
    assert!(fields.contains(&("[1].keywords", 3)), "{problems:?}");
    assert!(
        fields.contains(&("[1].occupations[0].code", 4)),
        "{problems:?}"
    );
    assert!(fields.contains(&("[2].uuid", 5)), "{problems:?}");
}

#[test]
fn truncated_json_gives_line_and_column() {
    let problems = read_text(&V3[..V3.len() / 2]).expect_err("refused").0;
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "invalid-json");
    assert!(problems[0].line > 1, "{problems:?}");
}

#[test]
fn soc_codes_break_out_by_level() {
    assert_eq!(
        soc_code("15-1244.00", Level::Major).as_deref(),
        Some("15-0000")
    );
    assert_eq!(
        soc_code("15-1244", Level::Minor).as_deref(),
        Some("15-1200")
    );
    assert_eq!(
        soc_code("15-1244", Level::Broad).as_deref(),
        Some("15-1240")
    );
    assert_eq!(
        soc_code("15-1244", Level::Detailed).as_deref(),
        Some("15-1244")
    );
    assert_eq!(soc_code("15-1244", Level::Onet), None);
    assert_eq!(soc_code("15-1200", Level::Broad), None);
    assert_eq!(soc_code("15-0000", Level::Minor), None);
    assert_eq!(soc_code("15-12x4", Level::Major), None);
}

const CSV: &str = "Skill Name,Skill Category,Contextualized Skill Statement,Keywords,\
BLS Major Group,BLS Detailed Occupation,Alignment Title,Alignment\n\
Data Access,.NET,\"Access data, safely.\",ADO.NET; LINQ; LINQ,15-0000,15-1251; 15-1252,\
.NET Framework,https://skills.example/KS1\n";

#[test]
fn osmt_csv_reads_and_writes_back_the_same_bytes() {
    let package = read_csv("skills.csv", CSV.as_bytes()).expect("reads");
    assert_eq!(package.skills.len(), 1);
    let skill = &package.skills[0];
    assert_eq!(strings(skill, "keywords", ""), ["ADO.NET", "LINQ"]);
    assert_eq!(
        skill["occupations"].as_array().map(Vec::len),
        Some(3),
        "{skill:?}"
    );
    let mut first = Vec::new();
    write_csv(&package, &mut first).expect("write");
    let first = String::from_utf8(first).expect("UTF-8");
    assert!(
        first.contains(",15-0000,15-1200,15-1250,15-1251; 15-1252,,"),
        "{first}"
    );
    assert!(first.contains("\"Access data, safely.\""), "{first}");
    let mut second = Vec::new();
    write_csv(
        &read_csv("first.csv", first.as_bytes()).expect("reads its own output"),
        &mut second,
    )
    .expect("write");
    assert_eq!(String::from_utf8(second).expect("UTF-8"), first);
}

#[test]
fn a_csv_with_an_unknown_column_or_a_code_of_the_wrong_level_is_refused() {
    let bad = "RSD Name,Skill Statement,Favourite Colour,Broad Occupations\n\
               A,B,blue,15-1244\n";
    let problems = read_csv("bad.csv", bad.as_bytes()).expect_err("refused").0;
    assert!(
        problems
            .iter()
            .any(|p| p.code == "unknown-column" && p.line == 1 && p.column == 3),
        "{problems:?}"
    );
    // The header problem stops the read before the rows; the row alone:
    let bad = "RSD Name,Skill Statement,Broad Occupations\nA,,15-1244\n";
    let problems = read_csv("bad.csv", bad.as_bytes()).expect_err("refused").0;
    assert!(
        problems
            .iter()
            .any(|p| p.field == "Broad Occupations" && p.line == 2 && p.column == 3),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.field == "Skill Statement" && p.line == 2),
        "{problems:?}"
    );
}

#[test]
fn a_framework_becomes_a_collection_that_reads_back() {
    let bundle = crate::builtin::frameworks()
        .expect("built in")
        .into_iter()
        .next()
        .expect("one framework");
    let package = from_bundle(&bundle, "2026-01-01T00:00:00Z");
    assert_eq!(package.skills.len(), bundle.skills.len());
    let out = written(&package);
    let back = read_text(&out).expect("reads");
    assert_eq!(written(&back), out);
    let again = to_bundle(&back, "again");
    let labels: Vec<&str> = again.skills.iter().map(|s| s.label.as_str()).collect();
    let original: Vec<&str> = bundle.skills.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, original);
}
