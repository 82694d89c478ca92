//! Names as people read and type them: skills that share a label within a framework say what
//! tells them apart, an exact preferred label names its concept, and lists of candidates never
//! show a URI.

use std::path::{Path, PathBuf};

use crate::{Db, array, fail, find, json, ok};

/// ODP's core skill and SCS capability are both "Data and insight".
#[test]
fn clashing_skill_names_carry_what_tells_them_apart() {
    let db = Db::demo();
    let search = ok(&db.path, &["search", "data and insight"]);
    assert!(search.contains("Data and insight (core skill)"), "{search}");
    assert!(
        search.contains("Data and insight (SCS capability)"),
        "{search}"
    );
    let skills = json(&db.path, &["skills", "--framework", "odp"]);
    let labels: Vec<&str> = skills
        .as_array()
        .expect("skills")
        .iter()
        .filter_map(|s| s["label"].as_str())
        .filter(|l| l.starts_with("Data and insight"))
        .collect();
    assert_eq!(
        labels,
        [
            "Data and insight (core skill)",
            "Data and insight (SCS capability)"
        ]
    );
    // A role's requirements, and so its pages, gaps and routes, show the same names.
    let director = json(&db.path, &["role", "show", "odp:operations-director"]);
    let required = find(
        array(&director, "requirements"),
        "skill_key",
        "scs-data-and-insight",
    );
    assert_eq!(required["skill"], "Data and insight (SCS capability)");
    // A label no other skill shares stays as published.
    let shown = ok(&db.path, &["skill", "show", "odp:decisions-at-pace"]);
    assert!(shown.starts_with("Decisions at pace\n"), "{shown}");
}

/// `assess` with a name two skills share asks which; it used to pick the one the person's role
/// requires without a word.
#[test]
fn assess_asks_which_skill_a_shared_name_means() {
    let db = Db::demo();
    let before = json(&db.path, &["person", "show", "aisha-rahman"]);
    let err = fail(
        &db.path,
        &["assess", "aisha-rahman", "Data and insight", "P"],
    );
    assert!(
        err.contains(
            "'Data and insight' could be any of 2 skills: odp:data-and-insight (Data and insight, \
             core skill), odp:scs-data-and-insight (Data and insight, SCS capability)"
        ),
        "{err}"
    );
    assert_eq!(
        json(&db.path, &["person", "show", "aisha-rahman"]),
        before,
        "nothing recorded"
    );
    // Named exactly, it is recorded under its shown name.
    let recorded = ok(
        &db.path,
        &["assess", "aisha-rahman", "odp:data-and-insight", "P"],
    );
    assert!(
        recorded.starts_with("Recorded Data and insight (core skill): Practitioner (P)"),
        "{recorded}"
    );
}

/// The ESCO fixtures with one more skill whose alternative labels are "manage staff" (another
/// skill's preferred label) and "manage a team" (that skill's alternative label too), and one
/// more occupation whose alternative titles are "ICT operations manager" (another's title) and
/// "ICT operations director" (that one's alternative title too).
pub(crate) fn esco_with_shared_labels(dir: &Path) -> Vec<PathBuf> {
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../rolemap-formats/tests/fixtures/esco");
    let mut dirs = Vec::new();
    for name in ["esco-v1.1.1-classification", "esco-v1.1.1-relations"] {
        let from = fixtures.join(name);
        let to = dir.join(name);
        std::fs::create_dir_all(&to).expect("make folder");
        for entry in std::fs::read_dir(&from).expect("read fixtures") {
            let entry = entry.expect("entry").path();
            std::fs::copy(&entry, to.join(entry.file_name().expect("file name")))
                .expect("copy fixture");
        }
        dirs.push(to);
    }
    let append = |file: PathBuf, row: &str| {
        let mut text = std::fs::read_to_string(&file).expect("read fixture");
        if !text.ends_with('\n') {
            text.push_str("\r\n");
        }
        text.push_str(row);
        std::fs::write(&file, text).expect("write fixture");
    };
    append(
        dirs[0].join("skills_en.csv"),
        "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/manage-personnel,\
         skill/competence,cross-sector,manage personnel,\"manage staff\nmanage a team\",,released,\
         2016-01-01T00:00:00Z,,,,Manage the people of an organisation.\r\n",
    );
    append(
        dirs[0].join("occupations_en.csv"),
        "Occupation,http://data.europa.eu/esco/occupation/ict-operations-lead,1330,\
         ICT operations lead,\"ICT operations manager\nICT operations director\",,released,2016-07-05T13:58:41Z,\
         http://data.europa.eu/esco/regulated-professions/unregulated,,,,Leads ICT operations.\r\n",
    );
    dirs
}

#[test]
fn an_exact_preferred_label_wins_over_alternative_labels() {
    let db = Db::empty();
    let dirs = esco_with_shared_labels(db.dir.path());
    let path = |p: &PathBuf| p.to_str().expect("UTF-8 path").to_owned();
    ok(
        &db.path,
        &["import", "esco", &path(&dirs[0]), &path(&dirs[1])],
    );
    let skill = ok(
        &db.path,
        &["skill", "show", "manage staff", "--framework", "esco"],
    );
    assert!(skill.starts_with("manage staff\n"), "{skill}");
    // Named by its id, not its URI.
    assert!(!skill.contains("://"), "{skill}");
    let shown = ok(
        &db.path,
        &[
            "role",
            "show",
            "ICT operations manager",
            "--framework",
            "esco",
        ],
    );
    assert!(
        shown.starts_with("ICT operations manager\n") && !shown.contains("://"),
        "{shown}"
    );
    let role = json(
        &db.path,
        &[
            "role",
            "show",
            "ICT operations manager",
            "--framework",
            "esco",
        ],
    );
    assert_eq!(role["title"], "ICT operations manager");
    // Typed without a framework too.
    let role = json(&db.path, &["role", "show", "ict operations manager"]);
    assert_eq!(role["title"], "ICT operations manager");
}

#[test]
fn ambiguity_lists_titles_and_codes_never_uris() {
    let db = Db::empty();
    let dirs = esco_with_shared_labels(db.dir.path());
    let path = |p: &PathBuf| p.to_str().expect("UTF-8 path").to_owned();
    ok(
        &db.path,
        &["import", "esco", &path(&dirs[0]), &path(&dirs[1])],
    );
    let err = fail(&db.path, &["skill", "show", "manage a team"]);
    assert!(!err.contains("http"), "{err}");
    assert!(err.contains("could be any of 2 skills"), "{err}");
    assert!(err.contains(" (manage staff, esco)"), "{err}");
    assert!(err.contains(" (manage personnel, esco)"), "{err}");
    // Each listed id names its skill.
    let id = err
        .split("skills: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("an id first");
    let named = ok(&db.path, &["skill", "show", id]);
    assert!(named.starts_with("manage "), "{named}");
    // Roles carry their framework and code (the fixtures give ISCO's alone).
    let err = fail(&db.path, &["role", "show", "ICT operations director"]);
    assert!(!err.contains("http"), "{err}");
    assert!(
        err.contains(" (ICT operations manager, esco, ISCO 1330)"),
        "{err}"
    );
    assert!(
        err.contains(" (ICT operations lead, esco, ISCO 1330)"),
        "{err}"
    );
}

/// All of ESCO (when `ROLEMAP_ESCO_DIR` names the folder of its zips): the README's "manage
/// staff" and "operations manager" are each one concept's exact preferred label, and other
/// concepts' alternative labels too.
#[test]
fn full_esco_exact_preferred_labels_resolve() {
    let Some(esco) = std::env::var_os("ROLEMAP_ESCO_DIR") else {
        println!("skipped: ROLEMAP_ESCO_DIR not set");
        return;
    };
    let db = Db::empty();
    let mut args = vec![
        "import".to_owned(),
        "esco".to_owned(),
        "--skip-dangling".to_owned(),
    ];
    for entry in std::fs::read_dir(&esco).expect("read ROLEMAP_ESCO_DIR") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "zip") {
            args.push(path.to_str().expect("UTF-8 path").to_owned());
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&db.path, &args);
    let skill = json(
        &db.path,
        &["skill", "show", "manage staff", "--framework", "esco"],
    );
    assert_eq!(skill["label"], "manage staff");
    let role = json(
        &db.path,
        &["role", "show", "operations manager", "--framework", "esco"],
    );
    assert_eq!(role["title"], "operations manager");
    // A name only other titles hold is still ambiguous, and listed without URIs.
    let err = fail(&db.path, &["role", "show", "general manager"]);
    assert!(err.contains("could be any of 5 roles"), "{err}");
    assert!(!err.contains("://"), "{err}");
}
