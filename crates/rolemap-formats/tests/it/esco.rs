//! The ESCO reader on small hand-written files in ESCO's own format (`tests/fixtures/esco`).

use std::io::Write;
use std::path::{Path, PathBuf};

use rolemap_core::{Importance, ReuseLevel, SkillKind};
use rolemap_formats::esco::{self, EscoData, EscoOptions, EscoReader, Pillar};
use rolemap_formats::{Diagnostic, Diagnostics};

const E: &str = "http://data.europa.eu/esco/";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/esco")
}

fn classification() -> PathBuf {
    fixtures().join("esco-v1.1.1-classification")
}

fn relations() -> PathBuf {
    fixtures().join("esco-v1.1.1-relations")
}

fn open(paths: &[PathBuf], options: EscoOptions) -> Result<EscoData, Diagnostics> {
    esco::open(paths, options, &mut |_, _| {})
}

fn read_fixtures() -> EscoData {
    open(&[classification(), relations()], EscoOptions::default())
        .unwrap_or_else(|e| panic!("fixtures do not read cleanly:\n{e}"))
}

/// The fixture files as (name, text), so tests can change one and feed them to a reader.
fn fixture_texts() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in [classification(), relations()] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    files
}

fn read_texts(files: &[(String, String)], options: EscoOptions) -> Result<EscoData, Diagnostics> {
    let mut reader = EscoReader::new(EscoOptions {
        version: Some(options.version.unwrap_or_else(|| "1.1.1".to_owned())),
        ..options
    });
    for (name, text) in files {
        reader.add(name, text.as_bytes());
    }
    reader.finish()
}

/// The fixtures with one file's text changed by `edit`.
fn with_edit(file: &str, edit: impl Fn(&str) -> String) -> Vec<(String, String)> {
    let mut files = fixture_texts();
    let entry = files
        .iter_mut()
        .find(|(name, _)| name == file)
        .unwrap_or_else(|| panic!("no fixture {file}"));
    entry.1 = edit(&entry.1);
    files
}

fn problems_of(result: Result<EscoData, Diagnostics>) -> Vec<Diagnostic> {
    match result {
        Ok(_) => panic!("expected problems, the files read cleanly"),
        Err(d) => d.0,
    }
}

fn only(problems: &[Diagnostic], code: &str) -> Diagnostic {
    let found: Vec<&Diagnostic> = problems.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "one '{code}' expected in {problems:#?}");
    found[0].clone()
}

#[test]
fn occupations_carry_every_field() {
    let data = read_fixtures();
    assert_eq!(data.version, "1.1.1", "taken from the folder names");
    assert_eq!(data.occupations.len(), 3);
    let ict = &data.occupations[0];
    assert_eq!(ict.uri, format!("{E}occupation/ict-operations-manager"));
    assert_eq!(ict.preferred_label, "ICT operations manager");
    assert_eq!(
        ict.alt_labels,
        ["ICT operations director", "head of ICT operations"]
    );
    assert_eq!(ict.hidden_labels, ["ops boss"]);
    assert_eq!(ict.isco_group, "1330");
    assert_eq!(ict.code, "", "v1.1 columns: no code");
    assert_eq!(ict.status, "released");
    assert_eq!(ict.modified, "2016-07-05T13:58:41Z");
    assert!(ict.regulated_profession_note.ends_with("unregulated"));
    assert!(ict.description.starts_with("ICT operations managers"));
    let lead = &data.occupations[1];
    assert_eq!(lead.scope_note, "Excludes managers.");
    assert_eq!(lead.definition, "A leader of a team.");
}

#[test]
fn skills_carry_type_reuse_and_labels() {
    let data = read_fixtures();
    assert_eq!(data.skills.len(), 6);
    let staff = data
        .skills
        .iter()
        .find(|s| s.preferred_label == "manage staff")
        .unwrap();
    assert_eq!(staff.skill_type, "skill/competence");
    assert_eq!(staff.reuse, Some(ReuseLevel::CrossSector));
    assert_eq!(staff.alt_labels, ["manage employees", "manage a team"]);
    assert_eq!(staff.hidden_labels, ["staff management"]);
    assert_eq!(staff.scope_note, "Includes scheduling.");
    assert!(staff.description.contains("\"working in a team\""));
    let untyped = data
        .skills
        .iter()
        .find(|s| s.preferred_label == "an untyped concept")
        .unwrap();
    assert_eq!(untyped.skill_type, "");
    assert_eq!(untyped.reuse, None);
}

#[test]
fn groups_hierarchy_and_schemes_are_read() {
    let data = read_fixtures();
    assert_eq!(data.isco_groups.len(), 6);
    assert_eq!(data.isco_groups[3].code, "1330");
    assert_eq!(data.isco_groups[3].alt_labels, ["ICT service managers"]);
    assert_eq!(data.skill_groups.len(), 5);
    assert_eq!(data.skill_groups[3].code, "06");
    assert_eq!(data.hierarchy.len(), 4, "short rows are not errors");
    assert_eq!(data.hierarchy[0].levels.len(), 1);
    assert_eq!(data.hierarchy[1].levels.len(), 2);
    assert_eq!(
        data.hierarchy[1].levels[1],
        (
            format!("{E}skill/S4"),
            "management skills".to_owned(),
            "S4".to_owned()
        )
    );
    assert_eq!(data.hierarchy[1].description, "Managing.");
    assert_eq!(data.schemes.len(), 2);
}

#[test]
fn relations_of_every_kind_are_read() {
    let data = read_fixtures();
    assert_eq!(data.occupation_skills.len(), 7);
    assert_eq!(data.occupation_skill_rows, 7);
    assert_eq!(data.occupation_skills[0].importance, Importance::Essential);
    assert_eq!(data.skill_skills.len(), 2);
    assert_eq!(data.skill_skills[1].importance, Importance::Essential);
    let occ = data
        .broader
        .iter()
        .filter(|b| b.pillar == Pillar::Occupations)
        .count();
    let skill = data
        .broader
        .iter()
        .filter(|b| b.pillar == Pillar::Skills)
        .count();
    assert_eq!((occ, skill), (7, 7));
}

#[test]
fn collections_become_tags() {
    let data = read_fixtures();
    let mut tags: Vec<(&str, bool, usize)> = data
        .collections
        .iter()
        .map(|c| (c.tag.as_str(), c.occupations, c.members.len()))
        .collect();
    tags.sort();
    assert_eq!(
        tags,
        [
            ("digcomp", false, 1),
            ("digital", false, 2),
            ("green", false, 1),
            ("research", true, 1),
            ("transversal", false, 1)
        ]
    );
    let bundle = esco::to_bundle(&data);
    let python = bundle
        .skills
        .iter()
        .find(|s| s.label == "Python (computer programming)")
        .unwrap();
    let mut python_tags = python.tags.clone();
    python_tags.sort();
    assert_eq!(python_tags, ["digcomp", "digital"]);
}

#[test]
fn the_bundle_maps_occupations_to_roles_and_skills_to_skills() {
    let bundle = esco::to_bundle(&read_fixtures());
    assert_eq!(bundle.framework.key, "esco");
    assert_eq!(bundle.framework.name, "ESCO");
    assert_eq!(bundle.framework.version, "1.1.1");
    assert_eq!(bundle.framework.attribution, "ESCO, European Commission");
    assert_eq!(bundle.roles.len(), 3);
    assert_eq!(bundle.skills.len(), 6);
    let ict = &bundle.roles[0];
    assert_eq!(ict.key, format!("{E}occupation/ict-operations-manager"));
    assert_eq!(ict.title, "ICT operations manager");
    assert_eq!(ict.codes.len(), 1);
    assert_eq!(
        (ict.codes[0].scheme.as_str(), ict.codes[0].value.as_str()),
        ("ISCO", "1330")
    );
    let essential = ict
        .requirements
        .iter()
        .filter(|r| r.importance == Importance::Essential)
        .count();
    assert_eq!((essential, ict.requirements.len() - essential), (2, 2));
    assert!(
        ict.requirements
            .iter()
            .all(|r| r.levels.is_empty() && r.level.is_none())
    );
    let itil = bundle.skills.iter().find(|s| s.label == "ITIL").unwrap();
    assert_eq!(itil.kind, SkillKind::Knowledge);
    let staff = bundle
        .skills
        .iter()
        .find(|s| s.label == "manage staff")
        .unwrap();
    assert_eq!(staff.kind, SkillKind::Skill);
}

#[test]
fn v1_2_columns_add_the_esco_code_and_unknown_columns_are_ignored() {
    let mut files: Vec<(String, String)> = fixture_texts()
        .into_iter()
        .filter(|(name, _)| name != "occupations_en.csv")
        .collect();
    let v12 = fixtures().join("esco-v1.2.0/occupations.csv");
    files.push((
        "occupations.csv".to_owned(),
        std::fs::read_to_string(v12).unwrap(),
    ));
    let data = read_texts(
        &files,
        EscoOptions {
            version: Some("1.2.0".to_owned()),
            ..EscoOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(data.occupations[0].code, "1330.5");
    let bundle = esco::to_bundle(&data);
    assert_eq!(bundle.framework.version, "1.2.0");
    let codes: Vec<(&str, &str)> = bundle.roles[0]
        .codes
        .iter()
        .map(|c| (c.scheme.as_str(), c.value.as_str()))
        .collect();
    assert_eq!(codes, [("ESCO", "1330.5"), ("ISCO", "1330")]);
}

#[test]
fn file_names_without_the_language_suffix_are_recognised() {
    let files: Vec<(String, String)> = fixture_texts()
        .into_iter()
        .map(|(name, text)| (name.replace("_en.csv", ".csv"), text))
        .collect();
    let data = read_texts(&files, EscoOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(data.occupations.len(), 3);
    assert_eq!(data.collections.len(), 5);
}

#[test]
fn folders_in_either_order_give_the_same_model() {
    let a = open(&[relations(), classification()], EscoOptions::default()).unwrap();
    let b = read_fixtures();
    assert_eq!(a.occupations, b.occupations);
    assert_eq!(a.occupation_skills, b.occupation_skills);
}

/// Zips the fixture folder `dir` into `zip_path`, the way ESCO publishes it.
fn zip_folder(dir: &Path, zip_path: &Path) {
    let file = std::fs::File::create(zip_path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        zip.start_file(name, options).unwrap();
        zip.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn zips_as_downloaded_read_like_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let class_zip = tmp.path().join("esco-v1.1.1-classification-en-csv.zip");
    let rel_zip = tmp.path().join("esco-v1.1.1-relations-csv.zip");
    zip_folder(&classification(), &class_zip);
    zip_folder(&relations(), &rel_zip);
    let mut seen = Vec::new();
    let data = esco::open(
        &[rel_zip.clone(), class_zip.clone()],
        EscoOptions::default(),
        &mut |name, rows| seen.push((name.to_owned(), rows)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(data.version, "1.1.1");
    assert_eq!(data, read_fixtures_with_files(&data));
    assert_eq!(seen.len(), 15, "every file reported: {seen:?}");
    assert!(
        seen.iter()
            .any(|(name, rows)| name.ends_with("zip/occupations_en.csv") && *rows == 3)
    );
    // A folder holding both zips works too.
    let data = open(&[tmp.path().to_owned()], EscoOptions::default()).unwrap();
    assert_eq!(data.occupations.len(), 3);
}

/// The folder reading, with file names replaced by those of `other` (zip paths differ).
fn read_fixtures_with_files(other: &EscoData) -> EscoData {
    let mut data = read_fixtures();
    data.files = other.files.clone();
    data
}

#[test]
fn the_version_can_be_given_and_must_be_known() {
    let data = open(
        &[classification(), relations()],
        EscoOptions {
            version: Some("1.1.1-custom".to_owned()),
            ..EscoOptions::default()
        },
    )
    .unwrap();
    assert_eq!(data.version, "1.1.1-custom");
    let mut reader = EscoReader::new(EscoOptions::default());
    for (name, text) in fixture_texts() {
        reader.add(&name, text.as_bytes());
    }
    let problems = problems_of(reader.finish());
    only(&problems, "unknown-version");
}

#[test]
fn malformed_csv_is_reported_with_its_line() {
    let mut files = fixture_texts();
    let skills = files
        .iter_mut()
        .find(|(name, _)| name == "skills_en.csv")
        .unwrap();
    let mut bytes = skills.1.clone().into_bytes();
    bytes.extend_from_slice(
        b"KnowledgeSkillCompetence,http://x/bad\xff,knowledge,,bad,,,released,,,,,\r\n",
    );
    let mut reader = EscoReader::new(EscoOptions {
        version: Some("1.1.1".to_owned()),
        ..EscoOptions::default()
    });
    for (name, text) in &files {
        if name == "skills_en.csv" {
            reader.add(name, bytes.as_slice());
        } else {
            reader.add(name, text.as_bytes());
        }
    }
    let problems = problems_of(reader.finish());
    let d = only(&problems, "malformed-csv");
    assert_eq!(d.file, "skills_en.csv");
    assert_eq!(d.line, 9, "the multi-line label before it counts");
}

#[test]
fn rows_whose_columns_do_not_line_up_are_errors() {
    let files = with_edit("occupationSkillRelations.csv", |text| {
        format!("{text}http://x/occ,essential,knowledge\r\n")
    });
    let problems = problems_of(read_texts(&files, EscoOptions::default()));
    let d = only(&problems, "misaligned-row");
    assert_eq!(
        (d.file.as_str(), d.line),
        ("occupationSkillRelations.csv", 9)
    );
    assert!(d.message.contains("3 columns but the header has 4"), "{d}");
    // Too many cells are wrong even in the skills hierarchy.
    let files = with_edit("skillsHierarchy_en.csv", |text| {
        format!("{text}{E}skill/S,skills,,,,,,,,,S,,,,extra\r\n")
    });
    let problems = problems_of(read_texts(&files, EscoOptions::default()));
    only(&problems, "misaligned-row");
}

#[test]
fn a_missing_required_column_is_an_error() {
    let files = with_edit("skills_en.csv", |text| {
        text.replacen("reuseLevel", "reuse", 1)
    });
    let problems = problems_of(read_texts(&files, EscoOptions::default()));
    let d = only(&problems, "missing-column");
    assert_eq!(
        (d.file.as_str(), d.line, d.field.as_str()),
        ("skills_en.csv", 1, "reuseLevel")
    );
}

#[test]
fn a_uri_defined_twice_is_an_error() {
    let files = with_edit("skills_en.csv", |text| {
        let first_row = text.lines().nth(1).unwrap().to_owned();
        format!("{text}{first_row}\r\n")
    });
    let problems = problems_of(read_texts(&files, EscoOptions::default()));
    let d = only(&problems, "duplicate-uri");
    assert_eq!(
        (d.file.as_str(), d.field.as_str(), d.column),
        ("skills_en.csv", "conceptUri", 2)
    );
    assert!(d.message.contains("skills_en.csv:2"), "{d}");
    assert_eq!(d.line, 9, "the multi-line label counts");
}

#[test]
fn relations_to_unknown_concepts_are_errors_unless_skipped() {
    let files = with_edit("occupationSkillRelations.csv", |text| {
        format!("{text}{E}occupation/nobody,essential,knowledge,{E}skill/itil\r\n")
    });
    let problems = problems_of(read_texts(&files, EscoOptions::default()));
    let d = only(&problems, "unknown-concept");
    assert_eq!(
        (d.file.as_str(), d.line, d.column, d.field.as_str()),
        ("occupationSkillRelations.csv", 9, 1, "occupationUri")
    );
    let data = read_texts(
        &files,
        EscoOptions {
            skip_dangling: true,
            ..EscoOptions::default()
        },
    )
    .unwrap();
    assert_eq!(data.skipped.len(), 1);
    assert_eq!(data.occupation_skills.len(), 7);
    assert_eq!(data.occupation_skill_rows, 8);
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut files = with_edit("skills_en.csv", |text| {
        text.replacen("cross-sector", "everywhere", 1)
    });
    let relations = files
        .iter_mut()
        .find(|(name, _)| name == "occupationSkillRelations.csv")
        .unwrap();
    relations.1 = relations.1.replacen("essential", "vital", 1);
    relations.1.push_str(&format!(
        "{E}occupation/ict-operations-manager,optional,knowledge,{E}skill/S4\r\n"
    ));
    let problems = problems_of(read_texts(&files, EscoOptions::default()));
    let codes: Vec<&str> = problems.iter().map(|d| d.code).collect();
    // The bad reuse level drops "manage staff", so its relations dangle as well.
    assert!(codes.contains(&"invalid-value"), "{codes:?}");
    assert!(codes.contains(&"wrong-kind"), "{codes:?}");
    assert!(codes.contains(&"unknown-concept"), "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == "invalid-value").count(),
        2,
        "{problems:#?}"
    );
}

#[test]
fn a_missing_main_file_is_an_error() {
    let files: Vec<(String, String)> = fixture_texts()
        .into_iter()
        .filter(|(name, _)| name != "occupationSkillRelations.csv")
        .collect();
    let problems = problems_of(read_texts(&files, EscoOptions::default()));
    only(&problems, "missing-file");
}

#[test]
fn a_release_without_its_skill_skill_relations_is_refused() {
    let files: Vec<(String, String)> = fixture_texts()
        .into_iter()
        .filter(|(name, _)| name != "skillSkillRelations.csv")
        .collect();
    let problems = problems_of(read_texts(&files, EscoOptions::default()));
    let d = only(&problems, "missing-file");
    assert_eq!(d.file, "skillSkillRelations.csv");
}

#[test]
fn control_characters_in_a_label_are_refused_with_file_line_and_field() {
    for control in ['\0', '\u{1b}', '\u{7f}'] {
        let files = with_edit("skills_en.csv", |text| {
            text.replacen(",ITIL,", &format!(",IT{control}IL,"), 1)
        });
        let problems = problems_of(read_texts(&files, EscoOptions::default()));
        let d = only(&problems, "control-character");
        assert_eq!(
            (d.file.as_str(), d.line, d.column, d.field.as_str()),
            ("skills_en.csv", 2, 5, "preferredLabel"),
            "{control:?}"
        );
    }
    // Tabs and line breaks inside quoted cells are ESCO's own and stay allowed.
    let files = with_edit("skills_en.csv", |text| {
        text.replacen(",ITIL,", ",\"IT\tIL\",", 1)
    });
    read_texts(&files, EscoOptions::default()).unwrap_or_else(|e| panic!("{e}"));
}

/// The real ESCO v1.1.1 files, when `ROLEMAP_ESCO_DIR` names them.
#[test]
fn real_esco_reads_completely() {
    let Some(dir) = std::env::var_os("ROLEMAP_ESCO_DIR") else {
        eprintln!("skipped: ROLEMAP_ESCO_DIR not set");
        return;
    };
    let started = std::time::Instant::now();
    let strict = open(&[PathBuf::from(&dir)], EscoOptions::default());
    let problems = problems_of(strict);
    assert!(
        problems.iter().all(|d| d.code == "unknown-concept"),
        "only dangling references: {:#?}",
        problems
            .iter()
            .filter(|d| d.code != "unknown-concept")
            .take(5)
            .collect::<Vec<_>>()
    );
    let data = open(
        &[PathBuf::from(&dir)],
        EscoOptions {
            skip_dangling: true,
            ..EscoOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    eprintln!("read ESCO in {:?}", started.elapsed() / 2);
    assert_eq!(data.version, "1.1.1");
    assert_eq!(data.occupations.len(), 3007);
    assert_eq!(data.skills.len(), 13896);
    assert_eq!(data.occupation_skill_rows, 123_855);
    assert_eq!(data.skipped.len(), problems.len());
    assert_eq!(
        data.occupation_skills.len()
            + data
                .skipped
                .iter()
                .filter(|d| d.file.ends_with("occupationSkillRelations.csv"))
                .count(),
        123_855
    );
    assert_eq!(data.isco_groups.len(), 619);
    assert_eq!(data.skill_groups.len(), 640);
    assert_eq!(data.hierarchy.len(), 647);
    assert_eq!(data.collections.len(), 7);
    assert!(data.ignored_files.is_empty(), "{:?}", data.ignored_files);
}

/// What `open` gives for `dirs`, read one file after the other through one `EscoReader`.
fn read_in_turn(dirs: &[PathBuf]) -> Result<EscoData, Diagnostics> {
    let mut reader = EscoReader::new(EscoOptions::default());
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        reader.saw_version(&name, &esco::version_in_name(&name).unwrap());
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::File::open(&file).unwrap();
            reader.add(&file.display().to_string(), text);
        }
    }
    reader.finish()
}

#[test]
fn files_read_in_parallel_give_the_model_read_in_turn() {
    let dirs = [classification(), relations()];
    assert_eq!(
        open(&dirs, EscoOptions::default()).unwrap(),
        read_in_turn(&dirs).unwrap()
    );
}

#[test]
fn files_given_twice_are_duplicates_in_the_order_given() {
    let dirs = [classification(), relations(), classification()];
    let problems = problems_of(open(&dirs, EscoOptions::default()));
    assert_eq!(problems, problems_of(read_in_turn(&dirs)));
    assert_eq!(problems.len(), 11, "{problems:?}");
    assert!(problems.iter().all(|p| p.code == "duplicate-file"));
}
