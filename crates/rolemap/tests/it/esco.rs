//! `rolemap import esco`: small ESCO-format fixtures always, the real release when
//! `ROLEMAP_ESCO_DIR` names it.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{Db, array, json, ok, rolemap};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rolemap-formats/tests/fixtures/esco")
}

fn fixture_dirs() -> [PathBuf; 2] {
    [
        fixtures().join("esco-v1.1.1-classification"),
        fixtures().join("esco-v1.1.1-relations"),
    ]
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Essential and optional requirement counts of a role, from `role show --format json`.
fn requirement_counts(db: &Path, role: &str) -> (usize, usize) {
    let shown = json(db, &["role", "show", role, "--framework", "esco"]);
    let requirements = array(&shown, "requirements");
    let essential = requirements
        .iter()
        .filter(|r| r["importance"] == "essential")
        .count();
    (essential, requirements.len() - essential)
}

/// Runs an import that must fail: progress lines come first on stderr, then the error.
fn fail(db: &Path, args: &[&str]) -> String {
    let run = rolemap(db, args);
    assert!(!run.status.success(), "{args:?} succeeded:\n{}", run.stdout);
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
    assert!(run.stderr.contains("\nerror: "), "stderr: {}", run.stderr);
    run.stderr
}

fn esco_frameworks(db: &Path) -> Vec<Value> {
    json(db, &["frameworks"])
        .as_array()
        .expect("frameworks list")
        .iter()
        .filter(|f| f["key"] == "esco")
        .cloned()
        .collect()
}

/// Copies the fixture folders under `dir`, so a test can change a file.
fn copy_fixtures(dir: &Path) -> Vec<PathBuf> {
    fixture_dirs()
        .iter()
        .map(|from| {
            let to = dir.join(from.file_name().expect("folder name"));
            std::fs::create_dir_all(&to).expect("make folder");
            for entry in std::fs::read_dir(from).expect("read fixtures") {
                let entry = entry.expect("entry").path();
                std::fs::copy(&entry, to.join(entry.file_name().expect("file name")))
                    .expect("copy fixture");
            }
            to
        })
        .collect()
}

#[test]
fn import_esco_stores_occupations_skills_and_requirements() {
    let db = Db::empty();
    let [class, rel] = fixture_dirs();
    // Relations first: the order of the paths does not matter.
    let run = rolemap(&db.path, &["import", "esco", arg(&rel), arg(&class)]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("Imported ESCO 1.1.1: 3 occupations, 6 skills, 7 occupation-skill relations"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("ESCO, European Commission"));
    assert!(
        run.stdout.contains(
            "Also stored: 6 ISCO groups, 5 skill groups, 14 broader relations, 2 skill-skill relations, 4 skills hierarchy rows, 5 collections."
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("occupations_en.csv: 3 rows"),
        "progress on stderr: {}",
        run.stderr
    );
    let frameworks = esco_frameworks(&db.path);
    assert_eq!(frameworks.len(), 1);
    assert_eq!(frameworks[0]["version"], "1.1.1");
    assert_eq!(frameworks[0]["attribution"], "ESCO, European Commission");
    assert_eq!(
        requirement_counts(&db.path, "ICT operations manager"),
        (2, 2)
    );
    let shown = json(
        &db.path,
        &[
            "role",
            "show",
            "ICT operations manager",
            "--framework",
            "esco",
        ],
    );
    assert_eq!(shown["codes"][0]["scheme"], "ISCO");
    assert_eq!(shown["codes"][0]["value"], "1330");
    let digital = json(
        &db.path,
        &["skills", "--framework", "esco", "--tag", "digital"],
    );
    assert_eq!(digital.as_array().map(Vec::len), Some(2));

    // The same release again changes nothing, and says so.
    let again = ok(&db.path, &["import", "esco", arg(&class), arg(&rel)]);
    assert!(
        again.contains("ESCO 1.1.1 is already stored; nothing changed."),
        "{again}"
    );
    assert_eq!(esco_frameworks(&db.path).len(), 1);

    // Another release is added beside it.
    let newer = ok(
        &db.path,
        &[
            "import",
            "esco",
            "--version",
            "1.2.0",
            arg(&class),
            arg(&rel),
        ],
    );
    assert!(newer.contains("Imported ESCO 1.2.0"), "{newer}");
    assert_eq!(esco_frameworks(&db.path).len(), 2);
}

#[test]
fn dangling_relations_are_left_out_and_counted_unless_strict() {
    let db = Db::init();
    let before = json(&db.path, &["frameworks"]);
    let dirs = copy_fixtures(db.dir.path());
    let relations = dirs[1].join("occupationSkillRelations.csv");
    let mut text = std::fs::read_to_string(&relations).expect("read relations");
    text.push_str("http://data.europa.eu/esco/occupation/nobody,essential,knowledge,http://data.europa.eu/esco/skill/itil\r\n");
    std::fs::write(&relations, text).expect("write relations");
    let args = ["import", "esco", arg(&dirs[0]), arg(&dirs[1])];

    let mut strict = args.to_vec();
    strict.push("--strict");
    let err = fail(&db.path, &strict);
    assert!(
        err.contains("occupationSkillRelations.csv:9:1: occupationUri"),
        "{err}"
    );
    assert!(err.contains("[unknown-concept]"), "{err}");
    assert!(err.contains("without --strict"), "{err}");
    assert_eq!(json(&db.path, &["frameworks"]), before, "nothing stored");

    // By default: counted, not listed.
    let run = rolemap(&db.path, &args);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(!run.stderr.contains("skipped: "), "{}", run.stderr);
    assert!(
        run.stdout.contains("(8 read, 1 skipped as dangling)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "1 reference to concepts no file defines left out (--list-dangling lists them; --strict refuses them)."
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn list_dangling_lists_each_reference_left_out() {
    let db = Db::init();
    let dirs = copy_fixtures(db.dir.path());
    let relations = dirs[1].join("occupationSkillRelations.csv");
    let mut text = std::fs::read_to_string(&relations).expect("read relations");
    text.push_str("http://data.europa.eu/esco/occupation/nobody,essential,knowledge,http://data.europa.eu/esco/skill/itil\r\n");
    std::fs::write(&relations, text).expect("write relations");
    // --skip-dangling is still accepted, and changes nothing.
    let run = rolemap(
        &db.path,
        &[
            "import",
            "esco",
            "--list-dangling",
            "--skip-dangling",
            arg(&dirs[0]),
            arg(&dirs[1]),
        ],
    );
    assert!(run.status.success(), "{}", run.stderr);
    assert!(
        run.stderr.contains("skipped: ") && run.stderr.contains("occupation/nobody"),
        "each skipped reference is listed: {}",
        run.stderr
    );
    assert!(
        run.stdout.contains("(listed on standard error;"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_release_missing_a_file_is_refused_naming_it() {
    let db = Db::init();
    let before = json(&db.path, &["frameworks"]);
    let dirs = copy_fixtures(db.dir.path());
    std::fs::remove_file(dirs[1].join("skillSkillRelations.csv")).expect("remove file");
    let err = fail(&db.path, &["import", "esco", arg(&dirs[0]), arg(&dirs[1])]);
    assert!(err.contains("skillSkillRelations.csv"), "{err}");
    assert!(err.contains("[missing-file]"), "{err}");
    assert_eq!(json(&db.path, &["frameworks"]), before, "nothing stored");
}

#[test]
fn a_nul_inside_a_label_is_refused_with_its_line() {
    let db = Db::init();
    let before = json(&db.path, &["frameworks"]);
    let dirs = copy_fixtures(db.dir.path());
    let skills = dirs[0].join("skills_en.csv");
    let text = std::fs::read_to_string(&skills).expect("read skills");
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].trim_end().split(',').collect();
    let label = header
        .iter()
        .position(|h| *h == "preferredLabel")
        .expect("a preferredLabel column");
    // The second row's label gets a NUL in the middle (the fixture's labels are unquoted).
    let mut cells: Vec<String> = lines[2].split(',').map(str::to_owned).collect();
    cells[label].insert(1, '\0');
    lines[2] = cells.join(",");
    std::fs::write(&skills, lines.concat()).expect("write skills");
    let err = fail(&db.path, &["import", "esco", arg(&dirs[0]), arg(&dirs[1])]);
    assert!(
        err.contains(&format!("skills_en.csv:3:{}: preferredLabel", label + 1)),
        "{err}"
    );
    assert!(err.contains("[control-character]"), "{err}");
    assert_eq!(json(&db.path, &["frameworks"]), before, "nothing stored");
}

#[test]
fn broken_files_fail_with_every_problem_and_store_nothing() {
    let db = Db::init();
    let before = json(&db.path, &["frameworks"]);
    let dirs = copy_fixtures(db.dir.path());
    let skills = dirs[0].join("skills_en.csv");
    let text = std::fs::read_to_string(&skills).expect("read skills");
    let first_row = text.lines().nth(1).expect("a row").to_owned();
    let text =
        format!("{text}{first_row}\r\nKnowledgeSkillCompetence,http://x/short,knowledge\r\n");
    std::fs::write(&skills, text).expect("write skills");
    let err = fail(&db.path, &["import", "esco", arg(&dirs[0]), arg(&dirs[1])]);
    assert!(err.contains("[duplicate-uri]"), "{err}");
    assert!(err.contains("[misaligned-row]"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(json(&db.path, &["frameworks"]), before, "nothing stored");
}

/// The whole of ESCO v1.1.1, when `ROLEMAP_ESCO_DIR` names the folder of its zips.
#[test]
fn full_esco_release() {
    let Some(dir) = std::env::var_os("ROLEMAP_ESCO_DIR") else {
        eprintln!("skipped: ROLEMAP_ESCO_DIR not set");
        return;
    };
    let dir = PathBuf::from(dir);
    let db = Db::empty();
    let started = std::time::Instant::now();
    // No flag: the release's dangling references are left out and counted by default.
    let run = rolemap(&db.path, &["import", "esco", arg(&dir)]);
    assert!(run.status.success(), "{}", run.stderr);
    eprintln!("imported ESCO in {:?}", started.elapsed());
    assert!(
        run.stdout
            .contains("88 references to concepts no file defines left out"),
        "{}",
        run.stdout
    );
    // v1.1.1 has 123,855 occupation-skill rows; 67 of them name an occupation that
    // occupations_en.csv does not define, so they cannot become requirements.
    assert!(
        run.stdout.contains(
            "Imported ESCO 1.1.1: 3007 occupations, 13896 skills, 123788 occupation-skill relations (123855 read, 67 skipped as dangling)."
        ),
        "{}",
        run.stdout
    );
    let frameworks = esco_frameworks(&db.path);
    assert_eq!(frameworks.len(), 1);
    assert_eq!(frameworks[0]["roles"], 3007, "{frameworks:?}");
    assert_eq!(frameworks[0]["skills"], 13896, "{frameworks:?}");
    assert_eq!(
        requirement_counts(&db.path, "ICT operations manager"),
        (16, 22)
    );
    let shown = json(
        &db.path,
        &[
            "role",
            "show",
            "ICT operations manager",
            "--framework",
            "esco",
        ],
    );
    let isco: Vec<&str> = array(&shown["esco"], "path")
        .iter()
        .map(|l| l["code"].as_str().expect("code"))
        .collect();
    assert_eq!(isco, ["1", "13", "133", "1330"]);
    for typed in [
        "opertions manger",
        "manager ICT operations",
        "ICT opertions managr",
    ] {
        let found = json(
            &db.path,
            &["search", typed, "--type", "occupation", "--limit", "5"],
        );
        let labels: Vec<&str> = found
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["label"].as_str().expect("label"))
            .collect();
        eprintln!("search {typed:?}: {labels:?}");
        assert!(
            labels.contains(&"ICT operations manager"),
            "{typed}: {labels:?}"
        );
    }
    // Nearest roles: ICT and operations management occupations.
    let near = json(
        &db.path,
        &[
            "similar",
            "ICT operations manager",
            "--framework",
            "esco",
            "--limit",
            "10",
        ],
    );
    let titles: Vec<&str> = array(&near, "neighbours")
        .iter()
        .map(|n| n["role"]["title"].as_str().expect("title"))
        .collect();
    eprintln!("nearest to ICT operations manager: {titles:#?}");
    let ict = titles
        .iter()
        .filter(|t| {
            ["ICT", "telecommunications", "information", "operations"]
                .iter()
                .any(|w| t.contains(w))
        })
        .count();
    assert!(ict >= 8, "{titles:?}");
    // Routes across ESCO: from ICT operations manager to the top of an organisation.
    let started = std::time::Instant::now();
    let routes = json(
        &db.path,
        &[
            "routes",
            "ICT operations manager",
            "chief executive officer",
            "--framework",
            "esco",
        ],
    );
    eprintln!(
        "routes over ESCO answered in {:?} (the command, lists kept)",
        started.elapsed()
    );
    let found = array(&routes, "routes");
    assert!(!found.is_empty(), "{routes}");
    for route in found {
        let titles: Vec<&str> = array(route, "steps")
            .iter()
            .map(|s| s["role"]["title"].as_str().expect("title"))
            .collect();
        eprintln!(
            "route (cost {}): ICT operations manager -> {}",
            route["cost"],
            titles.join(" -> ")
        );
        assert!(titles.len() <= 4, "{titles:?}");
        assert_eq!(titles.last(), Some(&"chief executive officer"));
    }
    let again = ok(&db.path, &["import", "esco", arg(&dir)]);
    assert!(again.contains("already stored; nothing changed"), "{again}");
}
