//! The O*NET reader on small hand-written releases: a few lines of each file, as O*NET writes
//! them (tabs, CRLF, `n/a`), and one bad file per trap.

use super::*;

/// A release of two occupations, CRLF throughout, columns in O*NET's order.
fn release() -> Vec<(&'static str, String)> {
    let crlf = |lines: &[&str]| lines.iter().map(|l| format!("{l}\r\n")).collect::<String>();
    vec![
        (
            OCCUPATION_DATA,
            crlf(&[
                "O*NET-SOC Code\tTitle\tDescription",
                "15-1252.00\tSoftware Developers\tResearch, design, and develop \"computer\" software.",
                "15-1253.00\tSoftware Quality Assurance Analysts and Testers\tDevelop and execute tests.",
            ]),
        ),
        (
            TASK_STATEMENTS,
            crlf(&[
                "O*NET-SOC Code\tTask ID\tTask\tTask Type\tIncumbents Responding\tDate\tDomain Source",
                "15-1252.00\t16363\tModify existing software.\tCore\t90\t08/2023\tIncumbent",
                "15-1252.00\t16364\tConfer with systems analysts.\tSupplemental\t40\t08/2023\tIncumbent",
                "15-1253.00\t21000\tDesign test plans.\tn/a\tn/a\t08/2023\tAnalyst",
            ]),
        ),
        (
            SKILLS,
            crlf(&[
                "O*NET-SOC Code\tElement ID\tElement Name\tScale ID\tData Value\tN\tStandard Error\tLower CI Bound\tUpper CI Bound\tRecommend Suppress\tNot Relevant\tDate\tDomain Source",
                "15-1252.00\t2.B.3.e\tProgramming\tIM\t4.62\t8\t0.18\t4.26\t4.99\tN\tn/a\t07/2014\tAnalyst",
                "15-1252.00\t2.B.3.e\tProgramming\tLV\t5.25\t8\t0.25\t4.76\t5.74\tN\tN\t07/2014\tAnalyst",
                "15-1252.00\t2.A.1.a\tReading Comprehension\tIM\t2.50\t8\tn/a\tn/a\tn/a\tN\tn/a\t07/2014\tAnalyst",
                "15-1252.00\t2.A.1.a\tReading Comprehension\tLV\t3.50\t8\tn/a\tn/a\tn/a\tN\tN\t07/2014\tAnalyst",
                "15-1253.00\t2.B.3.e\tProgramming\tIM\t1.00\t8\t0\t1\t1\tN\tn/a\t07/2014\tAnalyst",
                "15-1253.00\t2.B.3.e\tProgramming\tLV\t0.00\t8\t0\t0\t0\tN\tY\t07/2014\tAnalyst",
                "15-1253.00\t2.A.1.a\tReading Comprehension\tIM\t3.00\t8\t0\t1\t1\tN\tn/a\t07/2014\tAnalyst",
                "15-1253.00\t2.A.1.a\tReading Comprehension\tLV\t3.10\t8\t0\t0\t0\tY\tN\t07/2014\tAnalyst",
            ]),
        ),
        (
            ALTERNATE_TITLES,
            crlf(&[
                "O*NET-SOC Code\tAlternate Title\tShort Title\tSource(s)",
                "15-1252.00\tApplication Developer\tn/a\t08",
                "15-1252.00\tSoftware Development Engineer (SDE)\tSDE\t09",
            ]),
        ),
        (
            REPORTED_TITLES,
            crlf(&[
                "O*NET-SOC Code\tReported Job Title\tShown in My Next Move",
                "15-1252.00\tSoftware Engineer\tY",
            ]),
        ),
        (
            JOB_ZONES,
            crlf(&[
                "O*NET-SOC Code\tJob Zone\tDate\tDomain Source",
                "15-1252.00\t4\t08/2023\tAnalyst",
            ]),
        ),
        (
            RELATED_OCCUPATIONS,
            crlf(&[
                "O*NET-SOC Code\tRelated O*NET-SOC Code\tRelatedness Tier\tIndex",
                "15-1252.00\t15-1253.00\tPrimary-Short\t1",
            ]),
        ),
        (
            CONTENT_MODEL_REFERENCE,
            crlf(&[
                "Element ID\tElement Name\tDescription",
                "2.A.1\tContent\tBackground structures.",
                "2.A.1.a\tReading Comprehension\tUnderstanding written sentences.",
                "2.B.3\tTechnical Skills\tDeveloped capacities.",
                "2.B.3.e\tProgramming\tWriting computer programs.",
            ]),
        ),
        (
            SCALES_REFERENCE,
            crlf(&[
                "Scale ID\tScale Name\tMinimum\tMaximum",
                "IM\tImportance\t1\t5",
                "LV\tLevel\t0\t7",
            ]),
        ),
        (
            READ_ME,
            "O*NET 29.2 Database\nFebruary 2025 Release\n".to_owned(),
        ),
    ]
}

fn files(release: &[(&str, String)]) -> Vec<OnetFile> {
    release
        .iter()
        .map(|(name, text)| OnetFile {
            name: format!("db/{name}"),
            text: text.clone(),
        })
        .collect()
}

/// The release with one line of one file replaced (`line` is 1-based).
fn with_line(file: &str, line: usize, text: &str) -> Vec<OnetFile> {
    let mut release = release();
    for (name, content) in &mut release {
        if *name == file {
            let mut lines: Vec<String> = content.split("\r\n").map(str::to_owned).collect();
            lines[line - 1] = text.to_owned();
            *content = lines.join("\r\n");
        }
    }
    files(&release)
}

/// The one problem reading `files` gives, as `file:line:column: field: ... [code]`.
fn only_problem(files: &[OnetFile]) -> Diagnostic {
    let problems = read(files, None).expect_err("the release should be refused");
    assert_eq!(problems.0.len(), 1, "{problems}");
    problems.0[0].clone()
}

#[test]
fn a_release_reads_whole_with_crlf_and_n_a() {
    let data = read(&files(&release()), None).unwrap();
    assert_eq!(data.release, "29.2");
    assert_eq!(data.occupations.len(), 2);
    let developers = &data.occupations[0];
    assert_eq!(developers.code, "15-1252.00");
    // No quoting: the quotes are part of the text, and no CR is left at the end of a line.
    assert_eq!(
        developers.description,
        "Research, design, and develop \"computer\" software."
    );
    assert_eq!(developers.job_zone, Some(4));
    assert_eq!(data.occupations[1].job_zone, None);
    let kinds: Vec<TaskKind> = developers.tasks.iter().map(|t| t.kind).collect();
    assert_eq!(kinds, [TaskKind::Core, TaskKind::Supplemental]);
    assert_eq!(data.occupations[1].tasks[0].kind, TaskKind::NotGiven);
    assert_eq!(
        developers.alternate_titles,
        [
            "Application Developer",
            "Software Development Engineer (SDE)"
        ]
    );
    assert_eq!(developers.short_titles, [(1, "SDE".to_owned())]);
    assert_eq!(developers.reported_titles, ["Software Engineer"]);
    assert_eq!(data.skills[0].name, "Programming");
    assert_eq!(data.skills[0].group, "Technical Skills");
    assert_eq!(
        data.skills[1].description,
        "Understanding written sentences."
    );
    assert_eq!(developers.ratings[0].importance.value, "4.62");
    assert_eq!(developers.ratings[0].level.number, Some(5.25));
    assert_eq!(data.related[0].tier, "Primary-Short");
    // Four ratings, two of them requirements: Not Relevant and Recommend Suppress are not.
    assert_eq!(data.rating_counts(), (4, 2));
}

#[test]
fn the_bundle_carries_roles_duties_requirements_titles_and_links() {
    let bundle = to_bundle(&read(&files(&release()), None).unwrap());
    assert_eq!(
        (
            bundle.framework.key.as_str(),
            bundle.framework.version.as_str()
        ),
        ("onet", "29.2")
    );
    let levels: Vec<&str> = bundle.scales[0]
        .levels()
        .iter()
        .map(|l| l.code.as_str())
        .collect();
    assert_eq!(levels, ["0", "1", "2", "3", "4", "5", "6", "7"]);
    let developers = &bundle.roles[0];
    assert_eq!(developers.level, Some(4));
    assert_eq!(developers.codes[0].value, "15-1252.00");
    assert_eq!(developers.duties[1].category, "supplemental");
    assert_eq!(developers.duties[1].number, 16364);
    assert_eq!(
        developers.alt_titles,
        [
            "Application Developer",
            "Software Development Engineer (SDE)",
            "SDE"
        ]
    );
    assert_eq!(developers.typical_titles, ["Software Engineer"]);
    let programming = &developers.requirements[0];
    assert_eq!(programming.skill, "2.B.3.e");
    assert_eq!(programming.importance, Importance::Essential);
    assert_eq!(programming.level.as_deref(), Some("5"));
    assert_eq!(programming.note, "IM 4.62 of 1-5, LV 5.25 of 0-7");
    // IM 2.50 is below "Important" (3): optional; LV 3.50 rounds to 4.
    let reading = &developers.requirements[1];
    assert_eq!(reading.importance, Importance::Optional);
    assert_eq!(reading.level.as_deref(), Some("4"));
    // Not Relevant (Programming) and Recommend Suppress (Reading) leave the testers none.
    assert!(bundle.roles[1].requirements.is_empty());
    assert_eq!(bundle.links.len(), 1);
    assert_eq!(bundle.links[0].kind, LinkKind::Related);
    assert_eq!(bundle.links[0].note, "Primary-Short #1");
}

#[test]
fn columns_are_found_by_header_name_in_any_order() {
    let mut release = release();
    for (name, content) in &mut release {
        if *name == OCCUPATION_DATA {
            *content = "Description\tO*NET-SOC Code\tTitle\n\
                        Writes software.\t15-1252.00\tSoftware Developers\n\
                        Tests software.\t15-1253.00\tTesters\n"
                .to_owned();
        }
    }
    let data = read(&files(&release), None).unwrap();
    assert_eq!(data.occupations[0].title, "Software Developers");
    assert_eq!(data.occupations[0].description, "Writes software.");
}

#[test]
fn a_row_with_a_lost_tab_is_refused_naming_file_line_and_field() {
    let problem = only_problem(&with_line(
        SKILLS,
        3,
        "15-1252.00\t2.B.3.e\tProgramming\tLV\t5.25\t8\t0.25\t4.76\t5.74\tN\tN07/2014\tAnalyst",
    ));
    assert_eq!(problem.file, "db/Skills.txt");
    assert_eq!((problem.line, problem.code), (3, "shifted-row"));
    assert_eq!(problem.field, "Domain Source");
    assert!(problem.message.contains("12 fields"), "{problem}");
}

#[test]
fn a_row_with_an_extra_tab_is_refused() {
    let problem = only_problem(&with_line(
        OCCUPATION_DATA,
        2,
        "15-1252.00\tSoftware\tDevelopers\tResearch and develop software.",
    ));
    assert_eq!((problem.line, problem.code), (2, "shifted-row"));
    assert_eq!(problem.field, "field 4");
}

#[test]
fn a_rating_that_is_not_a_number_is_refused_with_its_column() {
    let problem = only_problem(&with_line(
        SKILLS,
        2,
        "15-1252.00\t2.B.3.e\tProgramming\tIM\tN\t8\t0.18\t4.26\t4.99\tN\tn/a\t07/2014\tAnalyst",
    ));
    assert_eq!(problem.file, "db/Skills.txt");
    assert_eq!((problem.line, problem.column), (2, 5));
    assert_eq!(
        (problem.field.as_str(), problem.code),
        ("Data Value", "not-a-number")
    );
}

#[test]
fn a_rating_outside_its_scale_is_refused() {
    let problem = only_problem(&with_line(
        SKILLS,
        3,
        "15-1252.00\t2.B.3.e\tProgramming\tLV\t8.5\t8\t0.25\t4.76\t5.74\tN\tN\t07/2014\tAnalyst",
    ));
    assert_eq!((problem.line, problem.code), (3, "out-of-range"));
    assert!(problem.message.contains("0 to 7"), "{problem}");
}

#[test]
fn a_flag_other_than_y_n_or_n_a_is_refused() {
    let problem = only_problem(&with_line(
        SKILLS,
        3,
        "15-1252.00\t2.B.3.e\tProgramming\tLV\t5.25\t8\t0.25\t4.76\t5.74\tN\t07/2014\tAnalyst\tN",
    ));
    assert_eq!(problem.field, "Not Relevant");
    assert_eq!(problem.code, "not-a-flag");
}

#[test]
fn n_a_in_the_statistics_columns_is_not_a_problem_but_a_missing_level_is() {
    // The IM row of Programming lost: its LV row stands alone.
    let problem = only_problem(&with_line(
        SKILLS,
        2,
        "15-1252.00\t2.B.4.a\tOther\tXX\tn/a\tn/a\tn/a\tn/a\tn/a\tN\tn/a\t07/2014\tAnalyst",
    ));
    assert_eq!((problem.line, problem.code), (3, "missing-rating"));
    assert!(
        problem.message.contains("level (LV)") && problem.message.contains("importance (IM)"),
        "{problem}"
    );
}

#[test]
fn a_code_no_occupation_has_is_refused() {
    let problem = only_problem(&with_line(
        RELATED_OCCUPATIONS,
        2,
        "15-1252.00\t99-9999.00\tPrimary-Short\t1",
    ));
    assert_eq!(problem.file, "db/Related Occupations.txt");
    assert_eq!((problem.line, problem.column), (2, 2));
    assert_eq!(problem.code, "unknown-occupation");
}

#[test]
fn a_missing_column_is_named() {
    let problem = only_problem(&with_line(
        TASK_STATEMENTS,
        1,
        "O*NET-SOC Code\tTask ID\tTask\tKind\tIncumbents Responding\tDate\tDomain Source",
    ));
    assert_eq!((problem.line, problem.code), (1, "missing-column"));
    assert_eq!(problem.field, "Task Type");
}

#[test]
fn a_missing_file_is_named_and_nothing_is_read() {
    let release: Vec<(&str, String)> = release()
        .into_iter()
        .filter(|(name, _)| *name != SKILLS)
        .collect();
    let problem = only_problem(&files(&release));
    assert_eq!(
        (problem.file.as_str(), problem.code),
        (SKILLS, "missing-file")
    );
}

#[test]
fn optional_files_may_be_absent_and_the_release_given() {
    let release: Vec<(&str, String)> = release()
        .into_iter()
        .filter(|(name, _)| ![RELATED_OCCUPATIONS, REPORTED_TITLES, READ_ME].contains(name))
        .collect();
    let data = read(&files(&release), Some("25.0")).unwrap();
    assert_eq!(data.release, "25.0");
    assert!(data.related.is_empty());
    let problem = read(&files(&release), None).unwrap_err();
    assert_eq!(problem.0[0].code, "missing-release");
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut release = files(&release());
    for file in &mut release {
        if file.name.ends_with(JOB_ZONES) {
            file.text = file.text.replace("\t4\t", "\tfour\t");
        }
        if file.name.ends_with(TASK_STATEMENTS) {
            file.text = file.text.replace("\tCore\t", "\tMain\t");
        }
    }
    let problems = read(&release, None).unwrap_err();
    let codes: Vec<&str> = problems.0.iter().map(|p| p.code).collect();
    assert_eq!(codes, ["not-a-job-zone", "not-a-task-type"], "{problems}");
}

#[test]
fn lf_line_endings_read_the_same() {
    let mut release = files(&release());
    for file in &mut release {
        file.text = file.text.replace("\r\n", "\n");
    }
    let lf = read(&release, None).unwrap();
    let crlf = read(&files(&self::release()), None).unwrap();
    assert_eq!(lf.occupations, crlf.occupations);
}

/// The release without where it was read (line numbers, file row counts), for comparing a
/// release with the one read back from what was written.
fn without_places(mut data: OnetData) -> OnetData {
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

fn written(data: &OnetData) -> Vec<OnetFile> {
    write_release(data)
        .into_iter()
        .map(|f| OnetFile {
            name: format!("out/{}", f.name),
            text: f.text,
        })
        .collect()
}

fn texts(files: &[OnetFile]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|f| (f.name.clone(), f.text.clone()))
        .collect()
}

#[test]
fn a_release_written_back_reads_the_same_and_writes_the_same_bytes() {
    let data = read(&files(&release()), None).expect("reads");
    let first = written(&data);
    let back = read(&first, None).expect("reads what was written");
    assert_eq!(without_places(back.clone()), without_places(data.clone()));
    assert_eq!(to_bundle(&back).content(), to_bundle(&data).content());
    let second = written(&back);
    assert_eq!(texts(&second), texts(&first));
}

/// The real release of `ROLEMAP_INTEROP_DIR/onet-29.2`, when set.
#[test]
fn the_real_release_written_back_reads_the_same() {
    let Some(dir) = std::env::var_os("ROLEMAP_INTEROP_DIR") else {
        eprintln!("skipped: ROLEMAP_INTEROP_DIR not set");
        return;
    };
    let data = open(&std::path::PathBuf::from(dir).join("onet-29.2"), None).expect("reads");
    let first = written(&data);
    let back = read(&first, None).expect("reads what was written");
    assert_eq!(to_bundle(&back).content(), to_bundle(&data).content());
    assert_eq!(texts(&written(&back)), texts(&first));
}
