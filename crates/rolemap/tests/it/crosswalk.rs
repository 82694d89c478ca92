//! `rolemap map A B` (suggested mappings as a CSV to review) and `rolemap map apply FILE.csv`
//! (the accepted ones stored, then used by similarity across frameworks), over the built-in
//! frameworks and the small ESCO-format fixture.

use std::path::Path;

use crate::{Db, array, fail, json, ok};

const HEADER: &str =
    "from_framework,from_key,from_label,to_framework,to_key,to_label,type,confidence,why,decision";
const ESCO: &str = "http://data.europa.eu/esco";

/// The built-in frameworks and the ESCO fixture.
fn db() -> Db {
    let db = Db::init();
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../rolemap-formats/tests/fixtures/esco");
    ok(
        &db.path,
        &[
            "import",
            "esco",
            fixtures
                .join("esco-v1.1.1-classification")
                .to_str()
                .expect("UTF-8 path"),
            fixtures
                .join("esco-v1.1.1-relations")
                .to_str()
                .expect("UTF-8 path"),
        ],
    );
    db
}

/// The ESCO occupations `similar ROLE --across` finds.
fn esco_neighbours(db: &Path, role: &str) -> Vec<String> {
    let similar = json(db, &["similar", role, "--across", "--limit", "30"]);
    array(&similar, "neighbours")
        .iter()
        .filter(|n| n["role"]["framework"] == "esco")
        .map(|n| n["role"]["title"].as_str().expect("title").to_owned())
        .collect()
}

/// A reviewed file: ODP's operational leadership as ESCO's ITIL and its data and insight as
/// ESCO's Python, typed `kind`, with `decision`; and a rejected row.
fn reviewed(kind: &str, decision: &str) -> String {
    format!(
        "{HEADER}\n\
         odp,operational-leadership-and-management,Operational leadership and management,esco,{ESCO}/skill/itil,ITIL,{kind},0.9,leadership,{decision}\n\
         odp,data-and-insight,Data and insight,esco,{ESCO}/skill/python,Python (computer programming),{kind},0.7,,{decision}\n\
         odp,adaptability-to-change,Adaptability to change,esco,{ESCO}/skill/show-initiative,show initiative,related,0.2,,reject\n"
    )
}

#[test]
fn map_writes_a_reviewable_csv_with_the_exact_matches_first() {
    let db = db();
    let out = ok(&db.path, &["map", "esco-extract", "esco"]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let exact = format!(
        "esco-extract,manage-staff,manage staff,esco,{ESCO}/skill/manage-staff,manage staff,exact,1.000,"
    );
    assert!(out.lines().any(|l| l.starts_with(&exact)), "{out}");
    assert!(out.lines().skip(1).all(|l| l.ends_with(',')), "{out}");
    // The same question, the same answer; --out writes the same rows to a file.
    assert_eq!(ok(&db.path, &["map", "esco-extract", "esco"]), out);
    let file = db.dir.path().join("suggested.csv");
    let said = ok(
        &db.path,
        &[
            "map",
            "esco-extract",
            "esco",
            "--out",
            file.to_str().expect("UTF-8 path"),
        ],
    );
    assert!(said.contains("rolemap map apply"), "{said}");
    assert_eq!(std::fs::read_to_string(&file).expect("the CSV"), out);
    // Duty statements are keyed role#number; unknown frameworks are named.
    let duties = ok(
        &db.path,
        &["map", "standards", "esco-extract", "--kind", "duties"],
    );
    assert!(
        duties
            .lines()
            .skip(1)
            .all(|l| l.split(',').nth(1).is_some_and(|k| k.contains('#'))),
        "{duties}"
    );
    assert!(duties.lines().count() > 1, "{duties}");
    let err = fail(&db.path, &["map", "odp", "nowhere"]);
    assert!(err.contains("no framework named 'nowhere'"), "{err}");
}

#[test]
fn applied_mappings_let_similarity_find_roles_of_another_framework() {
    let db = db();
    let role = "odp:operations-manager";
    assert!(
        !esco_neighbours(&db.path, role).contains(&"software developer".to_owned()),
        "no skill of ESCO's software developer has an ODP label"
    );
    // Related mappings are stored but do not make two skills one.
    let file = db.file("reviewed.csv", &reviewed("related", "accept"));
    let said = ok(
        &db.path,
        &["map", "apply", file.to_str().expect("UTF-8 path")],
    );
    assert!(said.starts_with("Applied 2 mappings from"), "{said}");
    assert!(said.contains("(1 row not accepted, left out)"), "{said}");
    assert!(!esco_neighbours(&db.path, role).contains(&"software developer".to_owned()));
    // Applying again restates the type: close mappings count as the same skill.
    let file = db.file("reviewed.csv", &reviewed("close", "Yes"));
    let said = ok(
        &db.path,
        &["map", "apply", file.to_str().expect("UTF-8 path")],
    );
    assert!(said.starts_with("Applied 2 mappings from"), "{said}");
    let found = esco_neighbours(&db.path, role);
    assert!(
        found.contains(&"software developer".to_owned()),
        "{found:?}"
    );
    let similar = json(&db.path, &["similar", role, "--across", "--limit", "30"]);
    let developer = array(&similar, "neighbours")
        .iter()
        .find(|n| n["role"]["title"] == "software developer")
        .expect("software developer");
    let shared: Vec<&str> = array(developer, "shared")
        .iter()
        .map(|s| s.as_str().expect("a label"))
        .collect();
    assert_eq!(shared.len(), 2, "{developer}");
    // Compare counts them as shared skills too.
    let developer = format!("esco:{ESCO}/occupation/software-developer");
    let compared = json(&db.path, &["compare", role, &developer]);
    assert_eq!(array(&compared, "shared").len(), 2, "{compared}");
    assert_eq!(array(&compared, "only_b").len(), 0, "{compared}");
}

#[test]
fn a_bad_row_names_its_file_line_and_column_and_nothing_is_stored() {
    let db = db();
    let text = format!(
        "{}odp,nope,Nope,esco,{ESCO}/skill/python,Python,close,0.5,,accept\n\
         odp,data-and-insight,Data,esco,{ESCO}/skill/itil,ITIL,closest,0.5,,accept\n",
        reviewed("exact", "accept")
    );
    let file = db.file("bad.csv", &text);
    let path = file.to_str().expect("UTF-8 path");
    let err = fail(&db.path, &["map", "apply", path]);
    assert!(err.contains(&format!("{path}:6:7: type:")), "{err}");
    db.file(
        "bad.csv",
        &format!(
            "{}odp,nope,Nope,esco,{ESCO}/skill/python,Python,close,0.5,,accept\n",
            reviewed("exact", "accept")
        ),
    );
    let err = fail(&db.path, &["map", "apply", path]);
    assert!(err.contains(&format!("{path}:5:2: from_key:")), "{err}");
    assert!(err.contains("no skill 'nope' in framework 'odp'"), "{err}");
    // The good rows of the refused file were not stored.
    assert!(
        !esco_neighbours(&db.path, "odp:operations-manager")
            .contains(&"software developer".to_owned())
    );
    let err = fail(
        &db.path,
        &[
            "map",
            "apply",
            db.file("h.csv", "a,b\n").to_str().expect("UTF-8 path"),
        ],
    );
    assert!(
        err.contains("missing-column") || err.contains("lacks"),
        "{err}"
    );
}
