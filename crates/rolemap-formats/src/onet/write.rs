//! An O*NET release written back in the text release's layout: the files rolemap reads, with the
//! columns it reads (tab-separated, CRLF, `n/a` for what is not given), so that the release read
//! from them is the one written.

use super::*;

/// One file of a written release: its name and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    pub name: &'static str,
    pub text: String,
}

/// A table's text: the header, then the rows; tab-separated, CRLF. A tab or line break inside a
/// value (the release never has one) would shift the columns, so it becomes a space.
fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let clean = |cell: &str| cell.replace(['\t', '\r', '\n'], " ");
    let mut text = header.join("\t");
    text.push_str("\r\n");
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| clean(c)).collect();
        text.push_str(&cells.join("\t"));
        text.push_str("\r\n");
    }
    text
}

fn or_na(value: &str) -> String {
    if value.trim().is_empty() {
        "n/a".to_owned()
    } else {
        value.to_owned()
    }
}

fn flag(value: bool) -> String {
    if value { "Y" } else { "N" }.to_owned()
}

/// The release as the files rolemap reads: `Read Me.txt` (naming the release), `Scales
/// Reference.txt` (IM and LV), `Content Model Reference.txt` (the rated skills and the groups
/// above them), `Occupation Data.txt`, `Job Zones.txt`, `Task Statements.txt`, `Alternate
/// Titles.txt`, `Sample of Reported Titles.txt`, `Skills.txt` (an IM and an LV row per rating)
/// and `Related Occupations.txt`. Columns rolemap does not read (N, standard errors, dates,
/// sources) are not written. A short title is written beside its alternate title.
pub fn write_release(data: &OnetData) -> Vec<WrittenFile> {
    let mut files = Vec::new();
    files.push(WrittenFile {
        name: READ_ME,
        text: format!("O*NET {} Database\r\n", data.release),
    });
    files.push(WrittenFile {
        name: SCALES_REFERENCE,
        text: table(
            &["Scale ID", "Scale Name", "Minimum", "Maximum"],
            [&data.importance_scale, &data.level_scale]
                .into_iter()
                .map(|s| {
                    vec![
                        s.id.clone(),
                        s.name.clone(),
                        s.min.to_string(),
                        s.max.to_string(),
                    ]
                }),
        ),
    });
    // The groups above the rated skills (the reader names a skill's group by its parent's
    // element), then the skills, each once.
    let mut elements: Vec<Vec<String>> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for skill in &data.skills {
        if let Some((parent, _)) = skill.id.rsplit_once('.')
            && !skill.group.is_empty()
            && !seen.iter().any(|s| s == parent)
        {
            seen.push(parent.to_owned());
            elements.push(vec![
                parent.to_owned(),
                skill.group.clone(),
                "n/a".to_owned(),
            ]);
        }
    }
    for skill in &data.skills {
        if !seen.contains(&skill.id) {
            seen.push(skill.id.clone());
            elements.push(vec![
                skill.id.clone(),
                skill.name.clone(),
                or_na(&skill.description),
            ]);
        }
    }
    files.push(WrittenFile {
        name: CONTENT_MODEL_REFERENCE,
        text: table(&["Element ID", "Element Name", "Description"], elements),
    });
    let occupations = &data.occupations;
    files.push(WrittenFile {
        name: OCCUPATION_DATA,
        text: table(
            &["O*NET-SOC Code", "Title", "Description"],
            occupations
                .iter()
                .map(|o| vec![o.code.clone(), o.title.clone(), or_na(&o.description)]),
        ),
    });
    files.push(WrittenFile {
        name: JOB_ZONES,
        text: table(
            &["O*NET-SOC Code", "Job Zone"],
            occupations
                .iter()
                .filter_map(|o| Some(vec![o.code.clone(), o.job_zone?.to_string()])),
        ),
    });
    files.push(WrittenFile {
        name: TASK_STATEMENTS,
        text: table(
            &["O*NET-SOC Code", "Task ID", "Task", "Task Type"],
            occupations.iter().flat_map(|o| {
                o.tasks.iter().map(|t| {
                    vec![
                        o.code.clone(),
                        t.id.to_string(),
                        t.text.clone(),
                        match t.kind {
                            TaskKind::Core => "Core",
                            TaskKind::Supplemental => "Supplemental",
                            TaskKind::NotGiven => "n/a",
                        }
                        .to_owned(),
                    ]
                })
            }),
        ),
    });
    files.push(WrittenFile {
        name: ALTERNATE_TITLES,
        text: table(
            &["O*NET-SOC Code", "Alternate Title", "Short Title"],
            occupations.iter().flat_map(|o| {
                o.alternate_titles.iter().enumerate().map(|(i, title)| {
                    vec![
                        o.code.clone(),
                        title.clone(),
                        o.short_titles
                            .iter()
                            .find(|(at, _)| *at == i)
                            .map_or_else(|| "n/a".to_owned(), |(_, short)| short.clone()),
                    ]
                })
            }),
        ),
    });
    files.push(WrittenFile {
        name: REPORTED_TITLES,
        text: table(
            &["O*NET-SOC Code", "Reported Job Title"],
            occupations.iter().flat_map(|o| {
                o.reported_titles
                    .iter()
                    .map(|t| vec![o.code.clone(), t.clone()])
            }),
        ),
    });
    files.push(WrittenFile {
        name: SKILLS,
        text: table(
            &[
                "O*NET-SOC Code",
                "Element ID",
                "Element Name",
                "Scale ID",
                "Data Value",
                "Recommend Suppress",
                "Not Relevant",
            ],
            occupations.iter().flat_map(|o| {
                o.ratings.iter().flat_map(move |r| {
                    let skill = data.skills.get(r.skill);
                    let (id, name) = skill.map_or((String::new(), String::new()), |s| {
                        (s.id.clone(), s.name.clone())
                    });
                    [
                        (&data.importance_scale.id, &r.importance),
                        (&data.level_scale.id, &r.level),
                    ]
                    .into_iter()
                    .map(move |(scale, rating)| {
                        vec![
                            o.code.clone(),
                            id.clone(),
                            name.clone(),
                            scale.clone(),
                            or_na(&rating.value),
                            flag(rating.suppress),
                            flag(rating.not_relevant),
                        ]
                    })
                    .collect::<Vec<_>>()
                })
            }),
        ),
    });
    files.push(WrittenFile {
        name: RELATED_OCCUPATIONS,
        text: table(
            &[
                "O*NET-SOC Code",
                "Related O*NET-SOC Code",
                "Relatedness Tier",
                "Index",
            ],
            data.related.iter().map(|r| {
                vec![
                    r.from.clone(),
                    r.to.clone(),
                    or_na(&r.tier),
                    if r.index == 0 {
                        "n/a".to_owned()
                    } else {
                        r.index.to_string()
                    },
                ]
            }),
        ),
    });
    files
}
