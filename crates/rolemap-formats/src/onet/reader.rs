//! Reading an O*NET release: the files it must hold, each file's rows checked, and the
//! occupations joined with their tasks, titles, job zones and skill ratings.

use super::table::Table;
use super::*;

pub const OCCUPATION_DATA: &str = "Occupation Data.txt";
pub const TASK_STATEMENTS: &str = "Task Statements.txt";
pub const SKILLS: &str = "Skills.txt";
pub const ALTERNATE_TITLES: &str = "Alternate Titles.txt";
pub const JOB_ZONES: &str = "Job Zones.txt";
pub const CONTENT_MODEL_REFERENCE: &str = "Content Model Reference.txt";
pub const SCALES_REFERENCE: &str = "Scales Reference.txt";
pub const REPORTED_TITLES: &str = "Sample of Reported Titles.txt";
pub const RELATED_OCCUPATIONS: &str = "Related Occupations.txt";
pub const READ_ME: &str = "Read Me.txt";

/// The files a release must hold for rolemap to read it.
pub const REQUIRED_FILES: [&str; 7] = [
    OCCUPATION_DATA,
    TASK_STATEMENTS,
    SKILLS,
    ALTERNATE_TITLES,
    JOB_ZONES,
    CONTENT_MODEL_REFERENCE,
    SCALES_REFERENCE,
];

/// Files read where present: not every release since 25 has related occupations, and the
/// release number can be given rather than read from `Read Me.txt`.
pub const OPTIONAL_FILES: [&str; 3] = [REPORTED_TITLES, RELATED_OCCUPATIONS, READ_ME];

/// One file of a release: its name (a path is fine; the file is known by its last part) and text.
#[derive(Debug, Clone)]
pub struct OnetFile {
    pub name: String,
    pub text: String,
}

/// Reads the release in the folder `dir` (the files as the text release unpacks), checked as
/// [`read`] does. `release` overrides the release `Read Me.txt` names.
pub fn open(dir: &Path, release: Option<&str>) -> Result<OnetData, Diagnostics> {
    let folder = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: folder.clone(),
            line: 0,
            column: 0,
            field: String::new(),
            code: "unreadable",
            message: format!("cannot read the folder: {e}"),
        }])
    })?;
    let mut paths: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| known_file(n).is_some())
        })
        .collect();
    paths.sort();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        match std::fs::read(&path) {
            Ok(bytes) => match crate::utf8_text(bytes, &name) {
                Ok(text) => files.push(OnetFile { name, text }),
                Err(d) => problems.extend(d.0),
            },
            Err(e) => problems.push(Diagnostic {
                file: name,
                line: 0,
                column: 0,
                field: String::new(),
                code: "unreadable",
                message: format!("cannot read the file: {e}"),
            }),
        }
    }
    let missing_folder = |mut d: Diagnostic| {
        if d.code == "missing-file" {
            d.file = format!("{folder}/{}", d.file);
        }
        d
    };
    match read(&files, release) {
        Ok(data) if problems.is_empty() => Ok(data),
        Ok(_) => Err(Diagnostics(problems)),
        Err(more) => {
            problems.extend(more.0.into_iter().map(missing_folder));
            Err(Diagnostics(problems))
        }
    }
}

/// Which of the release's files `name` is (its last path part, case aside).
fn known_file(name: &str) -> Option<&'static str> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    REQUIRED_FILES
        .iter()
        .chain(&OPTIONAL_FILES)
        .copied()
        .find(|known| known.eq_ignore_ascii_case(base))
}

/// Reads a release from its files' texts. Every problem is reported at once, each with file,
/// line, column and field; nothing is returned unless there are none.
pub fn read(files: &[OnetFile], release: Option<&str>) -> Result<OnetData, Diagnostics> {
    let mut by_kind: HashMap<&'static str, &OnetFile> = HashMap::new();
    for file in files {
        if let Some(kind) = known_file(&file.name) {
            by_kind.insert(kind, file);
        }
    }
    let mut problems = Vec::new();
    for name in REQUIRED_FILES {
        if !by_kind.contains_key(name) {
            problems.push(Diagnostic {
                file: name.to_owned(),
                line: 0,
                column: 0,
                field: String::new(),
                code: "missing-file",
                message: "the release must hold this file; nothing was imported".to_owned(),
            });
        }
    }
    let release = match release {
        Some(given) => Some(given.trim().to_owned()),
        None => {
            let found = by_kind.get(READ_ME).and_then(|f| release_in(&f.text));
            if found.is_none() {
                problems.push(Diagnostic {
                    file: by_kind
                        .get(READ_ME)
                        .map_or(READ_ME.to_owned(), |f| f.name.clone()),
                    line: 1,
                    column: 1,
                    field: String::new(),
                    code: "missing-release",
                    message: "cannot tell the release: no line 'O*NET <release> Database'; \
                              give the release (--version)"
                        .to_owned(),
                });
            }
            found
        }
    };
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let file = |kind: &str| by_kind.get(kind).copied();
    let mut reading = Reading::default();
    let text = |kind: &'static str| file(kind).map(|f| (f.name.as_str(), f.text.as_str()));
    let mut files_read = Vec::new();
    let mut counted = |table: &Option<Table>| {
        if let Some(table) = table {
            files_read.push((table.file.to_owned(), table.len()));
        }
    };

    let scales = text(SCALES_REFERENCE).and_then(|(name, text)| {
        Table::read(
            name,
            text,
            &["Scale ID", "Scale Name", "Minimum", "Maximum"],
            &[],
            &mut problems,
        )
    });
    counted(&scales);
    let (importance_scale, level_scale) = reading.scales(scales.as_ref(), &mut problems);

    let model = text(CONTENT_MODEL_REFERENCE).and_then(|(name, text)| {
        Table::read(
            name,
            text,
            &["Element ID", "Element Name", "Description"],
            &[],
            &mut problems,
        )
    });
    counted(&model);
    let elements: HashMap<&str, (&str, &str)> = model.as_ref().map_or_else(HashMap::new, |t| {
        (0..t.len())
            .map(|i| {
                let cells = t.row(i).1;
                (cells[0].trim(), (cells[1], cells[2]))
            })
            .collect()
    });

    let occupations = text(OCCUPATION_DATA).and_then(|(name, text)| {
        Table::read(
            name,
            text,
            &["O*NET-SOC Code", "Title", "Description"],
            &[],
            &mut problems,
        )
    });
    counted(&occupations);
    reading.occupations_incomplete = !problems.is_empty();
    if let Some(table) = &occupations {
        let before = problems.len();
        reading.occupations(table, &mut problems);
        reading.occupations_incomplete |= problems.len() > before;
    }

    let zones = text(JOB_ZONES).and_then(|(name, text)| {
        Table::read(
            name,
            text,
            &["O*NET-SOC Code", "Job Zone"],
            &[],
            &mut problems,
        )
    });
    counted(&zones);
    if let Some(table) = &zones {
        reading.job_zones(table, &mut problems);
    }

    let tasks = text(TASK_STATEMENTS).and_then(|(name, text)| {
        Table::read(
            name,
            text,
            &["O*NET-SOC Code", "Task ID", "Task", "Task Type"],
            &[],
            &mut problems,
        )
    });
    counted(&tasks);
    if let Some(table) = &tasks {
        reading.tasks(table, &mut problems);
    }

    let alternate = text(ALTERNATE_TITLES).and_then(|(name, text)| {
        Table::read(
            name,
            text,
            &["O*NET-SOC Code", "Alternate Title"],
            &["Short Title"],
            &mut problems,
        )
    });
    counted(&alternate);
    if let Some(table) = &alternate {
        reading.titles(table, TitleFile::Alternate, &mut problems);
    }
    let reported = text(REPORTED_TITLES).and_then(|(name, text)| {
        Table::read(
            name,
            text,
            &["O*NET-SOC Code", "Reported Job Title"],
            &[],
            &mut problems,
        )
    });
    counted(&reported);
    if let Some(table) = &reported {
        reading.titles(table, TitleFile::Reported, &mut problems);
    }

    let skills_before = problems.len();
    let skills = text(SKILLS).and_then(|(name, text)| {
        Table::read(
            name,
            text,
            &[
                "O*NET-SOC Code",
                "Element ID",
                "Element Name",
                "Scale ID",
                "Data Value",
                "Recommend Suppress",
                "Not Relevant",
            ],
            &[],
            &mut problems,
        )
    });
    counted(&skills);
    if let Some(table) = &skills {
        reading.skills(
            table,
            &elements,
            [&importance_scale, &level_scale],
            skills_before,
            &mut problems,
        );
    }

    let related = text(RELATED_OCCUPATIONS).and_then(|(name, text)| {
        Table::read(
            name,
            text,
            &["O*NET-SOC Code", "Related O*NET-SOC Code"],
            &["Relatedness Tier", "Index"],
            &mut problems,
        )
    });
    counted(&related);
    if let Some(table) = &related {
        reading.related(table, &mut problems);
    }

    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let (Some(release), Some(importance_scale), Some(level_scale)) =
        (release, importance_scale, level_scale)
    else {
        // Each of these is reported above when it is missing.
        return Err(Diagnostics(problems));
    };
    Ok(OnetData {
        release,
        occupations: reading.occupations,
        skills: reading.skills,
        importance_scale,
        level_scale,
        related: reading.related,
        files: files_read,
    })
}

/// The release `Read Me.txt` names on its first lines (`O*NET 29.2 Database`).
fn release_in(text: &str) -> Option<String> {
    text.lines().take(5).find_map(|line| {
        let mut words = line.split_whitespace();
        words.find(|w| w.eq_ignore_ascii_case("O*NET"))?;
        let release = words.next()?;
        (release.starts_with(|c: char| c.is_ascii_digit())
            && release.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .then(|| release.to_owned())
    })
}

/// A value as given: trimmed, and `None` for an empty cell or `n/a`.
fn given(cell: &str) -> Option<&str> {
    let cell = cell.trim();
    (!cell.is_empty() && !cell.eq_ignore_ascii_case("n/a")).then_some(cell)
}

#[derive(Debug, Clone, Copy)]
enum TitleFile {
    Alternate,
    Reported,
}

/// What has been read so far.
#[derive(Debug, Default)]
struct Reading {
    occupations: Vec<Occupation>,
    by_code: HashMap<String, usize>,
    /// Whether a row of `Occupation Data.txt` was refused: codes no occupation has are then
    /// not reported, as the refused row may well be theirs.
    occupations_incomplete: bool,
    skills: Vec<SkillElement>,
    related: Vec<Related>,
}

impl Reading {
    /// The occupation `cell` (column 0 of `table`) names, or a problem.
    fn occupation(
        &self,
        table: &Table,
        line: usize,
        column: usize,
        cell: &str,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        let code = cell.trim();
        let found = self.by_code.get(code).copied();
        if found.is_none() && !self.occupations_incomplete {
            problems.push(table.problem(
                line,
                column,
                "unknown-occupation",
                format!("no occupation has the code '{code}' in {OCCUPATION_DATA}"),
            ));
        }
        found
    }

    fn scales(
        &mut self,
        table: Option<&Table>,
        problems: &mut Vec<Diagnostic>,
    ) -> (Option<ScaleRange>, Option<ScaleRange>) {
        let Some(table) = table else {
            return (None, None);
        };
        let mut found = [None, None];
        for i in 0..table.len() {
            let (line, cells) = table.row(i);
            let Some(slot) = ["IM", "LV"]
                .iter()
                .position(|id| cells[0].trim().eq_ignore_ascii_case(id))
            else {
                continue;
            };
            let mut bound = |column: usize| match cells[column].trim().parse::<i32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problems.push(table.problem(
                        line,
                        column,
                        "not-a-number",
                        format!("'{}' is not a whole number", cells[column]),
                    ));
                    None
                }
            };
            if let (Some(min), Some(max)) = (bound(2), bound(3)) {
                if max < min || max - min > 100 {
                    problems.push(table.problem(
                        line,
                        3,
                        "out-of-range",
                        format!("the scale {} runs from {min} to {max}", cells[0].trim()),
                    ));
                    continue;
                }
                found[slot] = Some(ScaleRange {
                    id: cells[0].trim().to_owned(),
                    name: cells[1].trim().to_owned(),
                    min,
                    max,
                });
            }
        }
        for (slot, id) in found.iter().zip(["IM", "LV"]) {
            if slot.is_none() && !problems.iter().any(|p| p.file == table.file) {
                problems.push(Diagnostic {
                    file: table.file.to_owned(),
                    line: 0,
                    column: 0,
                    field: "Scale ID".to_owned(),
                    code: "missing-scale",
                    message: format!("no row for the scale {id}, on which skills are rated"),
                });
            }
        }
        let [importance, level] = found;
        (importance, level)
    }

    fn occupations(&mut self, table: &Table, problems: &mut Vec<Diagnostic>) {
        self.occupations.reserve(table.len());
        for i in 0..table.len() {
            let (line, cells) = table.row(i);
            let code = cells[0].trim();
            if code.is_empty() {
                problems.push(table.problem(line, 0, "missing-value", "the code is empty"));
                continue;
            }
            if cells[1].trim().is_empty() {
                problems.push(table.problem(line, 1, "missing-value", "the title is empty"));
            }
            if self.by_code.contains_key(code) {
                problems.push(table.problem(
                    line,
                    0,
                    "duplicate-code",
                    format!("the occupation '{code}' is listed twice"),
                ));
                continue;
            }
            self.by_code.insert(code.to_owned(), self.occupations.len());
            self.occupations.push(Occupation {
                code: code.to_owned(),
                title: cells[1].trim().to_owned(),
                description: given(cells[2]).unwrap_or_default().to_owned(),
                ..Occupation::default()
            });
        }
    }

    fn job_zones(&mut self, table: &Table, problems: &mut Vec<Diagnostic>) {
        for i in 0..table.len() {
            let (line, cells) = table.row(i);
            let Some(occupation) = self.occupation(table, line, 0, cells[0], problems) else {
                continue;
            };
            let zone = match cells[1].trim().parse::<u8>() {
                Ok(zone @ 1..=5) => zone,
                _ => {
                    problems.push(table.problem(
                        line,
                        1,
                        "not-a-job-zone",
                        format!("'{}' is not a job zone (1 to 5)", cells[1]),
                    ));
                    continue;
                }
            };
            let slot = &mut self.occupations[occupation].job_zone;
            if slot.is_some() {
                problems.push(table.problem(
                    line,
                    0,
                    "duplicate-job-zone",
                    format!("a second job zone for '{}'", cells[0].trim()),
                ));
            }
            *slot = Some(zone);
        }
    }

    fn tasks(&mut self, table: &Table, problems: &mut Vec<Diagnostic>) {
        let mut seen = std::collections::HashSet::new();
        for i in 0..table.len() {
            let (line, cells) = table.row(i);
            let occupation = self.occupation(table, line, 0, cells[0], problems);
            let id = cells[1].trim().parse::<u32>();
            if id.is_err() {
                problems.push(table.problem(
                    line,
                    1,
                    "not-a-number",
                    format!("'{}' is not a task number", cells[1]),
                ));
            }
            let kind = match given(cells[3]) {
                None => TaskKind::NotGiven,
                Some(kind) if kind.eq_ignore_ascii_case("core") => TaskKind::Core,
                Some(kind) if kind.eq_ignore_ascii_case("supplemental") => TaskKind::Supplemental,
                Some(other) => {
                    problems.push(table.problem(
                        line,
                        3,
                        "not-a-task-type",
                        format!("'{other}' is not a task type (Core, Supplemental or n/a)"),
                    ));
                    continue;
                }
            };
            if let (Some(occupation), Ok(id)) = (occupation, id) {
                if !seen.insert((occupation, id)) {
                    problems.push(table.problem(
                        line,
                        1,
                        "duplicate-task",
                        format!("task {id} is listed twice for '{}'", cells[0].trim()),
                    ));
                    continue;
                }
                self.occupations[occupation].tasks.push(Task {
                    id,
                    text: cells[2].trim().to_owned(),
                    kind,
                });
            }
        }
    }

    fn titles(&mut self, table: &Table, file: TitleFile, problems: &mut Vec<Diagnostic>) {
        for i in 0..table.len() {
            let (line, cells) = table.row(i);
            let Some(occupation) = self.occupation(table, line, 0, cells[0], problems) else {
                continue;
            };
            let occupation = &mut self.occupations[occupation];
            let Some(title) = given(cells[1]) else {
                continue;
            };
            match file {
                TitleFile::Alternate => {
                    if let Some(short) = given(cells[2]) {
                        let at = occupation.alternate_titles.len();
                        occupation.short_titles.push((at, short.to_owned()));
                    }
                    occupation.alternate_titles.push(title.to_owned());
                }
                TitleFile::Reported => occupation.reported_titles.push(title.to_owned()),
            }
        }
    }

    fn skills(
        &mut self,
        table: &Table,
        elements: &HashMap<&str, (&str, &str)>,
        scales: [&Option<ScaleRange>; 2],
        before: usize,
        problems: &mut Vec<Diagnostic>,
    ) {
        let mut skill_index: HashMap<&str, usize> = HashMap::new();
        // (occupation, skill) -> the rating's index in its occupation's list.
        let mut rated: HashMap<(usize, usize), usize> = HashMap::new();
        let mut pending: Vec<Vec<[Option<Rating>; 2]>> = vec![Vec::new(); self.occupations.len()];
        let mut order: Vec<Vec<usize>> = vec![Vec::new(); self.occupations.len()];
        for i in 0..table.len() {
            let (line, cells) = table.row(i);
            let occupation = self.occupation(table, line, 0, cells[0], problems);
            let scale_id = cells[3].trim();
            let Some(slot) = ["IM", "LV"]
                .iter()
                .position(|id| scale_id.eq_ignore_ascii_case(id))
            else {
                // Only importance and level are carried; other scales are not skills' ratings.
                continue;
            };
            let element = cells[1].trim();
            let skill = *skill_index.entry(element).or_insert_with(|| {
                let (name, description) = elements.get(element).copied().unwrap_or_default();
                let group = element
                    .rsplit_once('.')
                    .and_then(|(parent, _)| elements.get(parent))
                    .map_or("", |(name, _)| name);
                self.skills.push(SkillElement {
                    id: element.to_owned(),
                    name: if name.trim().is_empty() {
                        cells[2].trim().to_owned()
                    } else {
                        name.trim().to_owned()
                    },
                    description: description.trim().to_owned(),
                    group: group.trim().to_owned(),
                });
                self.skills.len() - 1
            });
            let value = cells[4].trim();
            let number = match given(value) {
                None => None,
                Some(text) => match text.parse::<f64>() {
                    Ok(n) if n.is_finite() => Some(n),
                    _ => {
                        problems.push(table.problem(
                            line,
                            4,
                            "not-a-number",
                            format!(
                                "'{value}' is not a rating (a number, or n/a); a lost or extra \
                                 tab before it shifts the columns"
                            ),
                        ));
                        continue;
                    }
                },
            };
            if let (Some(n), Some(scale)) = (number, scales[slot])
                && (n < f64::from(scale.min) || n > f64::from(scale.max))
            {
                problems.push(table.problem(
                    line,
                    4,
                    "out-of-range",
                    format!(
                        "{value} is outside the scale {} ({} to {})",
                        scale.id, scale.min, scale.max
                    ),
                ));
                continue;
            }
            let mut flag = |column: usize| match given(cells[column]) {
                None => Some(false),
                Some(f) if f.eq_ignore_ascii_case("y") => Some(true),
                Some(f) if f.eq_ignore_ascii_case("n") => Some(false),
                Some(other) => {
                    problems.push(table.problem(
                        line,
                        column,
                        "not-a-flag",
                        format!("'{other}' is not Y, N or n/a"),
                    ));
                    None
                }
            };
            let (Some(suppress), Some(not_relevant)) = (flag(5), flag(6)) else {
                continue;
            };
            let Some(occupation) = occupation else {
                continue;
            };
            let index = *rated.entry((occupation, skill)).or_insert_with(|| {
                order[occupation].push(skill);
                pending[occupation].push([None, None]);
                pending[occupation].len() - 1
            });
            let place = &mut pending[occupation][index][slot];
            if place.is_some() {
                problems.push(table.problem(
                    line,
                    3,
                    "duplicate-rating",
                    format!(
                        "a second {scale_id} rating of '{element}' for '{}'",
                        cells[0].trim()
                    ),
                ));
                continue;
            }
            *place = Some(Rating {
                value: value.to_owned(),
                number,
                suppress,
                not_relevant,
                line,
            });
        }
        // A row refused (here or as the table was read) would be reported again as the other half of its pair.
        let whole = problems.len() == before;
        for (occupation, ratings) in pending.into_iter().enumerate() {
            for (skill, [importance, level]) in order[occupation].iter().zip(ratings) {
                match (importance, level) {
                    (Some(importance), Some(level)) => {
                        self.occupations[occupation].ratings.push(SkillRating {
                            skill: *skill,
                            importance,
                            level,
                        });
                    }
                    (Some(one), None) if whole => problems.push(missing_rating(
                        table,
                        &one,
                        ["importance (IM)", "level (LV)"],
                        &self.skills[*skill].name,
                        &self.occupations[occupation].code,
                    )),
                    (None, Some(one)) if whole => problems.push(missing_rating(
                        table,
                        &one,
                        ["level (LV)", "importance (IM)"],
                        &self.skills[*skill].name,
                        &self.occupations[occupation].code,
                    )),
                    _ => {}
                }
            }
        }
    }

    fn related(&mut self, table: &Table, problems: &mut Vec<Diagnostic>) {
        for i in 0..table.len() {
            let (line, cells) = table.row(i);
            let from = self.occupation(table, line, 0, cells[0], problems);
            let to = self.occupation(table, line, 1, cells[1], problems);
            let index = match given(cells[3]) {
                None => 0,
                Some(text) => match text.parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => {
                        problems.push(table.problem(
                            line,
                            3,
                            "not-a-number",
                            format!("'{text}' is not an index"),
                        ));
                        continue;
                    }
                },
            };
            if let (Some(from), Some(to)) = (from, to) {
                self.related.push(Related {
                    from: self.occupations[from].code.clone(),
                    to: self.occupations[to].code.clone(),
                    tier: given(cells[2]).unwrap_or_default().to_owned(),
                    index,
                    line,
                });
            }
        }
    }
}

/// A skill rated on one of its two scales for an occupation but not on the other.
fn missing_rating(
    table: &Table,
    one: &Rating,
    [has, lacks]: [&str; 2],
    skill: &str,
    occupation: &str,
) -> Diagnostic {
    table.problem(
        one.line,
        3,
        "missing-rating",
        format!("'{skill}' has its {has} rated for '{occupation}' but not its {lacks}"),
    )
}
