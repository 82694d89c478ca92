//! `rolemap import onet`: the hand-written release always, the O*NET 29.2 download of
//! `ROLEMAP_INTEROP_DIR/onet-29.2` when that variable names the interoperability folder.

use std::path::{Path, PathBuf};

use crate::{Db, fail, json, ok};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rolemap-formats/tests/fixtures/onet")
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// A copy of the fixture release with `edit` applied to the text of `file`.
fn edited_fixture(dir: &Path, file: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let copy = dir.join("release");
    std::fs::create_dir_all(&copy).expect("folder");
    for entry in std::fs::read_dir(fixture()).expect("fixture folder") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        let text = std::fs::read_to_string(&path).expect("read fixture");
        let text = if name == file { edit(&text) } else { text };
        std::fs::write(copy.join(name), text).expect("write copy");
    }
    copy
}

#[test]
fn import_onet_stores_roles_duties_rated_skills_titles_and_links() {
    let db = Db::empty();
    let out = ok(&db.path, &["import", "onet", arg(&fixture())]);
    assert_eq!(
        out.trim(),
        "Imported O*NET 29.2 as onet 29.2: 3 occupations as roles (3 with skill ratings), 4 tasks \
         as duties, 2 skills, 4 skill ratings as requirements (2 not relevant or suppressed left \
         out), 7 alternate, short and reported titles, 3 related-occupation links."
    );
    let role = ok(&db.path, &["role", "show", "15-1252.00"]);
    assert!(role.contains("O*NET-SOC 15-1252.00"), "{role}");
    assert!(role.contains("Level 4"), "job zone as level: {role}");
    assert!(
        role.contains("Duty 16364 (supplemental): Confer with systems analysts"),
        "{role}"
    );
    assert!(role.contains("IM 4.62 of 1-5, LV 5.25 of 0-7"), "{role}");
    assert!(
        role.contains("related to Software Quality Assurance Analysts"),
        "{role}"
    );
    let shown = json(&db.path, &["role", "show", "15-1252.00"]);
    let requirements = shown["requirements"].as_array().expect("requirements");
    let programming = requirements
        .iter()
        .find(|r| r["skill"] == "Programming")
        .unwrap_or_else(|| panic!("Programming is required: {shown}"));
    assert_eq!(
        programming["importance"], "essential",
        "IM 4.62 is 3 or more"
    );
    assert_eq!(programming["level"], "5", "LV 5.25 to the nearest level");
    let reading = requirements
        .iter()
        .find(|r| r["skill"] == "Reading Comprehension")
        .expect("Reading Comprehension is required");
    assert_eq!(reading["note"], "IM 3.88 of 1-5, LV 4.12 of 0-7");
    // Recommend Suppress and Not Relevant leave the testers without requirements.
    let testers = json(&db.path, &["role", "show", "15-1253.00"]);
    assert_eq!(testers["requirements"].as_array().map(Vec::len), Some(0));
    assert_eq!(testers["duties"][0]["category"], "");
}

#[test]
fn code_title_finds_an_onet_occupation_by_its_alternate_title() {
    let db = Db::empty();
    ok(&db.path, &["import", "onet", arg(&fixture())]);
    let out = ok(&db.path, &["code-title", "Aeronautics Commission Director"]);
    let first = out.lines().nth(3).unwrap_or_default();
    assert!(first.contains("Chief Executives"), "{out}");
    let out = ok(&db.path, &["code-title", "SDE"]);
    assert!(
        out.lines()
            .nth(3)
            .unwrap_or_default()
            .contains("Software Developers"),
        "{out}"
    );
}

#[test]
fn importing_the_same_onet_release_again_changes_nothing() {
    let db = Db::empty();
    ok(&db.path, &["import", "onet", arg(&fixture())]);
    let before = std::fs::read(&db.path).expect("database");
    let again = ok(&db.path, &["import", "onet", arg(&fixture())]);
    assert_eq!(
        again.trim(),
        "onet 29.2 is already stored; nothing changed."
    );
    let frameworks = ok(&db.path, &["frameworks"]);
    assert_eq!(frameworks.matches("onet").count(), 1, "{frameworks}");
    assert!(std::fs::read(&db.path).expect("database") == before);
}

#[test]
fn a_shifted_onet_column_is_refused_naming_file_line_and_field_and_nothing_is_stored() {
    let db = Db::empty();
    let release = edited_fixture(db.dir.path(), "Skills.txt", |text| {
        // A tab lost between Not Relevant and Date on line 3.
        text.replacen("\tN\tN\t07/2014", "\tN\tN07/2014", 1)
    });
    let err = fail(&db.path, &["import", "onet", arg(&release)]);
    assert!(err.contains("Skills.txt:3:13: Domain Source:"), "{err}");
    assert!(err.contains("[shifted-row]"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    let frameworks = ok(&db.path, &["frameworks"]);
    assert!(!frameworks.contains("onet"), "{frameworks}");
}

#[test]
fn a_rating_that_is_not_a_number_is_refused_with_its_field() {
    let db = Db::empty();
    let release = edited_fixture(db.dir.path(), "Skills.txt", |text| {
        text.replacen("\tIM\t4.12\t", "\tIM\tN\t", 1)
    });
    let err = fail(&db.path, &["import", "onet", arg(&release)]);
    assert!(err.contains("Skills.txt:2:5: Data Value:"), "{err}");
    assert!(err.contains("[not-a-number]"), "{err}");
}

#[test]
fn a_release_missing_a_file_is_refused_naming_it() {
    let db = Db::empty();
    let release = edited_fixture(db.dir.path(), "", |text| text.to_owned());
    std::fs::remove_file(release.join("Task Statements.txt")).expect("remove");
    let err = fail(&db.path, &["import", "onet", arg(&release)]);
    assert!(err.contains("Task Statements.txt"), "{err}");
    assert!(err.contains("[missing-file]"), "{err}");
}

/// The O*NET 29.2 download (with its Skills table of release 27), when `ROLEMAP_INTEROP_DIR`
/// names the interoperability folder.
#[test]
fn the_onet_29_2_release_imports_whole() {
    let Some(dir) = std::env::var_os("ROLEMAP_INTEROP_DIR") else {
        eprintln!("skipped: ROLEMAP_INTEROP_DIR not set");
        return;
    };
    let release = PathBuf::from(dir).join("onet-29.2");
    let db = Db::empty();
    let out = ok(&db.path, &["import", "onet", arg(&release)]);
    assert_eq!(
        out.trim(),
        "Imported O*NET 29.2 as onet 29.2: 1016 occupations as roles (873 with skill ratings), \
         18796 tasks as duties, 35 skills, 27109 skill ratings as requirements (3446 not relevant \
         or suppressed left out), 67930 alternate, short and reported titles, 18460 \
         related-occupation links."
    );
    let role = ok(&db.path, &["role", "show", "11-1011.00"]);
    assert!(role.contains("Chief Executives"), "{role}");
    assert!(role.contains("Duty 8823 (core)"), "{role}");
    let reading = role
        .lines()
        .find(|l| l.contains("Reading Comprehension"))
        .unwrap_or_else(|| panic!("Reading Comprehension is listed: {role}"));
    assert!(
        reading.contains("IM 4.12 of 1-5, LV 4.75 of 0-7"),
        "{reading}"
    );
    assert!(reading.contains("essential"), "{reading}");
    let titles = ok(&db.path, &["code-title", "Aeronautics Commission Director"]);
    assert!(
        titles
            .lines()
            .nth(3)
            .unwrap_or_default()
            .contains("Chief Executives"),
        "{titles}"
    );
    let again = ok(&db.path, &["import", "onet", arg(&release)]);
    assert_eq!(
        again.trim(),
        "onet 29.2 is already stored; nothing changed."
    );
}

/// A release as read, without where each value stood (line numbers, the files read), which a
/// written release need not repeat.
fn values(dir: &Path) -> rolemap_formats::onet::OnetData {
    let mut data = rolemap_formats::onet::open(dir, None).expect("the release reads");
    data.files.clear();
    for occupation in &mut data.occupations {
        for rating in &mut occupation.ratings {
            rating.importance.line = 0;
            rating.level.line = 0;
        }
    }
    for related in &mut data.related {
        related.line = 0;
    }
    data
}

/// Import `release`, export it, compare the values read from both; import the export into a
/// fresh database, export again: the two exports must be the same bytes.
fn assert_onet_round_trip(release: &Path) {
    let first = Db::empty();
    ok(&first.path, &["import", "onet", arg(release)]);
    let out1 = first.dir.path().join("export");
    let said = ok(
        &first.path,
        &["export", "onet", "onet", "--out", arg(&out1)],
    );
    assert!(said.starts_with("Exported onet as the O*NET "), "{said}");
    let (given, written) = (values(release), values(&out1));
    assert_eq!(given.release, written.release);
    assert_eq!(given.importance_scale, written.importance_scale);
    assert_eq!(given.level_scale, written.level_scale);
    assert_eq!(given.skills, written.skills);
    assert_eq!(given.related, written.related);
    assert_eq!(given.occupations.len(), written.occupations.len());
    for (a, b) in given.occupations.iter().zip(&written.occupations) {
        let code = &a.code;
        assert_eq!(
            (&a.code, &a.title, &a.description, a.job_zone),
            (&b.code, &b.title, &b.description, b.job_zone)
        );
        assert_eq!(a.tasks, b.tasks, "tasks of {code}");
        assert_eq!(a.alternate_titles, b.alternate_titles, "titles of {code}");
        assert_eq!(a.short_titles, b.short_titles, "short titles of {code}");
        assert_eq!(a.reported_titles, b.reported_titles, "titles of {code}");
        assert_eq!(a.ratings, b.ratings, "ratings of {code}");
    }
    assert!(given == written);
    let second = Db::empty();
    ok(&second.path, &["import", "onet", arg(&out1)]);
    let out2 = second.dir.path().join("export");
    ok(
        &second.path,
        &["export", "onet", "onet", "--out", arg(&out2)],
    );
    let mut names: Vec<_> = std::fs::read_dir(&out1)
        .expect("export folder")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 10, "{names:?}");
    for name in names {
        let a = std::fs::read(out1.join(&name)).expect("first export");
        let b = std::fs::read(out2.join(&name)).expect("second export");
        assert!(a == b, "{name:?} differs between the two exports");
    }
}

#[test]
fn an_onet_release_exports_with_its_values_and_re_exports_byte_identical() {
    assert_onet_round_trip(&fixture());
}

#[test]
fn onet_export_keeps_ratings_that_are_not_requirements_and_short_titles() {
    let db = Db::empty();
    ok(&db.path, &["import", "onet", arg(&fixture())]);
    let out = db.dir.path().join("export");
    ok(&db.path, &["export", "onet", "onet", "--out", arg(&out)]);
    let skills = std::fs::read_to_string(out.join("Skills.txt")).expect("Skills.txt");
    // The testers' Not Relevant rating, left out of the framework's requirements.
    let testers: Vec<&str> = skills
        .lines()
        .filter(|l| l.starts_with("15-1253.00"))
        .collect();
    assert_eq!(testers.len(), 4, "{skills}");
    assert!(testers.iter().any(|l| l.ends_with("\tY")), "{testers:?}");
    let titles = std::fs::read_to_string(out.join("Alternate Titles.txt")).expect("titles");
    assert!(
        titles.contains("15-1252.00\tSoftware Development Engineer (SDE)\tSDE\r\n"),
        "{titles}"
    );
}

#[test]
fn a_framework_not_from_onet_is_refused_by_export_onet() {
    let db = Db::empty();
    ok(&db.path, &["init"]);
    let out = db.dir.path().join("export");
    let err = fail(&db.path, &["export", "onet", "odp", "--out", arg(&out)]);
    assert!(err.contains("not imported from an O*NET release"), "{err}");
    assert!(!out.exists());
}

/// The round trip on the O*NET 29.2 download, when `ROLEMAP_INTEROP_DIR` names the
/// interoperability folder.
#[test]
fn the_onet_29_2_release_exports_with_its_values_and_re_exports_byte_identical() {
    let Some(dir) = std::env::var_os("ROLEMAP_INTEROP_DIR") else {
        eprintln!("skipped: ROLEMAP_INTEROP_DIR not set");
        return;
    };
    assert_onet_round_trip(&PathBuf::from(dir).join("onet-29.2"));
}
