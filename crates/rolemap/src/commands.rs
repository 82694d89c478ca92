//! One function per command: call the service, then show the answer in the chosen format.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rolemap_core::compare::Comparison;
use rolemap_core::gap::{GapReport, Status};
use rolemap_core::matrix::TeamMatrix;
use rolemap_core::{RequiredLevel, Role, Source};
use rolemap_formats::esco::{self, EscoOptions};
use rolemap_formats::jd as jd_doc;
use rolemap_service::dto::*;
use rolemap_service::{
    InputFile, PersonDetail, PersonInput, SearchInput, Service, SkillDetail, now,
};
use rolemap_store::{ConceptKind, RoleFilter, SkillFilter};

use crate::cli::{
    Command, Format, ImportCommand, JdFormat, MapFormat, PersonCommand, RoleCommand, SearchType,
    SkillCommand, SourceArg, TeamCommand,
};
use crate::render::{Grid, heading, paragraph, write_json};

/// The person the demo's gap report is about, and the role they are aiming for.
const DEMO_PERSON: &str = "aisha-rahman";
const DEMO_TARGET: &str = "odp:operations-manager";
const DEMO_GRADE: &str = "G7";

/// Runs `command`; `early` is what [`start_early`] started for it.
pub async fn run(
    service: &Service,
    command: Command,
    db: &Path,
    out: &mut dyn Write,
    early: Option<EscoReading>,
) -> Result<()> {
    match command {
        Command::Init { demo } => init(service, demo, db, out).await,
        Command::Demo => demo(service, db, out).await,
        Command::Serve { addr, demo } => serve(service, addr, demo, db, out).await,
        Command::Frameworks(o) => {
            let list = service.frameworks().await?;
            let mut grid = Grid::new(["key", "name", "version", "roles", "skills", "attribution"]);
            for f in &list {
                grid.row([
                    f.key.clone(),
                    f.name.clone(),
                    f.version.clone(),
                    f.role_count.to_string(),
                    f.skill_count.to_string(),
                    f.attribution.clone(),
                ]);
            }
            emit(
                out,
                o.format,
                &list.iter().map(FrameworkDto::from).collect::<Vec<_>>(),
                &grid,
                |out| {
                    if list.is_empty() {
                        writeln!(
                            out,
                            "No frameworks yet: run `rolemap init` to install the built-in framework."
                        )?;
                        return Ok(());
                    }
                    writeln!(out, "{}", grid.to_text())?;
                    Ok(())
                },
            )
        }
        Command::Roles {
            framework,
            family,
            output,
        } => {
            let roles = service.roles(&RoleFilter { framework, family }).await?;
            let mut grid = Grid::new(["id", "role", "title", "family", "level", "grades"]);
            for r in &roles {
                grid.row([
                    r.id.to_string(),
                    format!("{}:{}", r.framework_key, r.key),
                    r.title.clone(),
                    r.family.clone().unwrap_or_default(),
                    r.level.map(|l| l.to_string()).unwrap_or_default(),
                    r.grades.join(" "),
                ]);
            }
            emit(
                out,
                output.format,
                &roles.iter().map(RoleSummaryDto::from).collect::<Vec<_>>(),
                &grid,
                |out| {
                    writeln!(
                        out,
                        "{}\n{} role{}",
                        grid.to_text(),
                        roles.len(),
                        plural(roles.len())
                    )?;
                    Ok(())
                },
            )
        }
        Command::Skills {
            framework,
            kind,
            tag,
            search,
            output,
        } => {
            let skills = service
                .skills(&SkillFilter {
                    framework,
                    text: search,
                    kind,
                    tag,
                })
                .await?;
            let mut grid = Grid::new(["id", "skill", "label", "kind", "reuse level", "tags"]);
            for s in &skills {
                grid.row([
                    s.id.to_string(),
                    format!("{}:{}", s.framework_key, s.key),
                    s.label.clone(),
                    s.kind.as_str().to_owned(),
                    s.reuse.map(|r| r.as_str().to_owned()).unwrap_or_default(),
                    s.tags.join(" "),
                ]);
            }
            emit(
                out,
                output.format,
                &skills.iter().map(SkillDto::from).collect::<Vec<_>>(),
                &grid,
                |out| {
                    writeln!(
                        out,
                        "{}\n{} skill{}",
                        grid.to_text(),
                        skills.len(),
                        plural(skills.len())
                    )?;
                    Ok(())
                },
            )
        }
        Command::CodeTitle {
            title,
            framework,
            limit,
            jsonl,
            output,
        } => match jsonl.as_deref() {
            Some([input, output_path]) => {
                crate::titles::code_jsonl(
                    service,
                    input,
                    output_path,
                    framework.as_deref(),
                    limit,
                    out,
                )
                .await
            }
            _ => {
                crate::titles::code_title(
                    service,
                    &title.join(" "),
                    framework.as_deref(),
                    limit,
                    output,
                    out,
                )
                .await
            }
        },
        Command::Search {
            text,
            kind,
            framework,
            limit,
            output,
        } => {
            search(
                service,
                &text.join(" "),
                kind,
                framework,
                limit,
                output,
                out,
            )
            .await
        }
        Command::Similar {
            role,
            framework,
            limit,
            hierarchy,
            across,
            output,
        } => {
            let similar = service
                .similar_with(
                    &role,
                    framework.as_deref(),
                    &rolemap_service::SimilarOptions {
                        limit: usize::from(limit),
                        hierarchy,
                        across,
                    },
                )
                .await?;
            let dto = SimilarDto::from(&similar);
            let mut grid = Grid::new([
                "#", "id", "title", "score", "skills", "cosine", "jaccard", "coverage", "text",
                "moved", "level", "shared", "to gain",
            ]);
            for (rank, n) in dto.neighbours.iter().enumerate() {
                let essential = n
                    .to_gain
                    .iter()
                    .filter(|g| g.importance == "essential")
                    .count();
                grid.row([
                    (rank + 1).to_string(),
                    n.role.id.to_string(),
                    if n.role.framework == dto.role.framework {
                        n.role.title.clone()
                    } else {
                        format!("{} ({})", n.role.title, n.role.framework)
                    },
                    format!("{:.3}", n.score),
                    format!("{:.3}", n.skills),
                    format!("{:.3}", n.cosine),
                    format!("{:.3}", n.jaccard),
                    format!("{:.3}", n.coverage),
                    format!("{:.3}", n.text),
                    if n.moved_people > 0 {
                        format!("{} ({:.0}%)", n.moved_people, n.moved * 100.0)
                    } else {
                        String::new()
                    },
                    n.level.to_owned(),
                    n.shared.len().to_string(),
                    format!("{} ({essential} essential)", n.to_gain.len()),
                ]);
            }
            emit(out, output.format, &dto, &grid, |out| {
                show_similar(out, &similar, &dto, &grid)
            })
        }
        Command::Routes {
            roles,
            person,
            to,
            framework,
            max_steps,
            min_similarity,
            k,
            output,
        } => {
            let (from, to) = route_ends(&roles, person.as_deref(), to.as_deref())?;
            let routes = service
                .routes(&rolemap_service::RouteInput {
                    from,
                    person: person.as_deref(),
                    to,
                    framework: framework.as_deref(),
                    max_steps: usize::from(max_steps),
                    min_similarity,
                    k: usize::from(k),
                })
                .await?;
            let dto = RoutesDto::from(&routes);
            let mut grid = Grid::new([
                "route",
                "step",
                "id",
                "title",
                "level",
                "score",
                "readiness",
                "cost",
                "to gain",
                "raise",
            ]);
            for (number, route) in dto.routes.iter().enumerate() {
                for (step, s) in route.steps.iter().enumerate() {
                    grid.row([
                        (number + 1).to_string(),
                        (step + 1).to_string(),
                        s.role.id.to_string(),
                        s.role.title.clone(),
                        s.level.to_owned(),
                        format!("{:.3}", s.similarity),
                        s.readiness.map(|r| format!("{r:.3}")).unwrap_or_default(),
                        format!("{:.3}", s.cost),
                        s.to_gain.len().to_string(),
                        s.raise.len().to_string(),
                    ]);
                }
            }
            emit(out, output.format, &dto, &grid, |out| {
                show_routes(out, &routes, &dto)
            })
        }
        Command::Progression {
            role,
            framework,
            limit,
            format,
        } => {
            let map = service
                .progression(&role, framework.as_deref(), usize::from(limit))
                .await?;
            let dto = SimilarDto::from(&map);
            let mut grid = Grid::new(["band", "title", "score", "link", "shared", "to gain"]);
            for band in BANDS {
                for n in dto.neighbours.iter().filter(|n| n.level == band) {
                    grid.row([
                        band.to_owned(),
                        n.role.title.clone(),
                        format!("{:.3}", n.score),
                        n.link.clone().unwrap_or_default(),
                        n.shared.len().to_string(),
                        n.to_gain.len().to_string(),
                    ]);
                }
            }
            let format = match format {
                MapFormat::Dot => {
                    out.write_all(crate::map::dot(&dto).as_bytes())?;
                    return Ok(());
                }
                MapFormat::Svg => {
                    out.write_all(crate::map::svg(&dto).as_bytes())?;
                    return Ok(());
                }
                MapFormat::Table => Format::Table,
                MapFormat::Json => Format::Json,
                MapFormat::Csv => Format::Csv,
            };
            emit(out, format, &dto, &grid, |out| {
                show_progression(out, &map, &dto)
            })
        }
        Command::Role(RoleCommand::Show {
            role,
            framework,
            output,
        }) => {
            let role = service.role(&role, framework.as_deref()).await?;
            let esco = service.role_esco(role.id).await?;
            let grid = requirements_grid(&role);
            let mut dto = RoleDto::from(&role);
            dto.esco = esco.as_deref().map(EscoDto::from);
            emit(out, output.format, &dto, &grid, |out| {
                show_role(out, &role, esco.as_deref(), &grid)
            })
        }
        Command::Skill(SkillCommand::Show {
            skill,
            framework,
            output,
        }) => {
            let detail = service.skill(&skill, framework.as_deref()).await?;
            let mut grid = Grid::new(["role", "title", "importance"]);
            for (role, essential) in &detail.required_by {
                grid.row([
                    // A URI key (ESCO's) is too long to read or type: the id names the role too.
                    if role.key.contains("://") {
                        role.id.to_string()
                    } else {
                        format!("{}:{}", role.framework_key, role.key)
                    },
                    role.title.clone(),
                    importance(*essential).to_owned(),
                ]);
            }
            emit(
                out,
                output.format,
                &SkillDetailDto::from(&detail),
                &grid,
                |out| show_skill(out, &detail, &grid),
            )
        }
        Command::Compare {
            role_a,
            role_b,
            output,
        } => {
            let comparison = service.compare(&role_a, &role_b).await?;
            let grid = comparison_grid(&comparison);
            emit(
                out,
                output.format,
                &ComparisonDto::from(&comparison),
                &grid,
                |out| show_comparison(out, &comparison, &grid),
            )
        }
        Command::Person(PersonCommand::Add {
            name,
            role,
            grade,
            manager,
            team,
            output,
        }) => {
            let person = service
                .add_person(
                    &PersonInput {
                        name,
                        role,
                        grade,
                        manager,
                        team,
                    },
                    &now(),
                )
                .await?;
            let dto = PersonDto::from(&person);
            let grid = people_grid(std::slice::from_ref(&person));
            emit(out, output.format, &dto, &grid, |out| {
                writeln!(
                    out,
                    "Added {} (id {}, key {}).",
                    person.name, person.id, person.key
                )?;
                Ok(())
            })
        }
        Command::Person(PersonCommand::Show { person, output }) => {
            let detail = service.person_detail(&person).await?;
            let grid = history_grid(&detail);
            emit(
                out,
                output.format,
                &PersonDetailDto::from(&detail),
                &grid,
                |out| show_person(out, &detail, &grid),
            )
        }
        Command::Person(PersonCommand::List(o)) => {
            let people = service.people().await?;
            let grid = people_grid(&people);
            emit(
                out,
                o.format,
                &people.iter().map(PersonDto::from).collect::<Vec<_>>(),
                &grid,
                |out| {
                    writeln!(out, "{}", grid.to_text())?;
                    if people.iter().any(|p| p.demo) {
                        writeln!(out, "(demo) marks demo data.")?;
                    }
                    Ok(())
                },
            )
        }
        Command::Assess {
            person,
            skill,
            level,
            source,
            note,
            output,
        } => {
            let source = match source {
                SourceArg::SelfAssessed => Source::SelfAssessed,
                SourceArg::Manager => Source::Manager,
                SourceArg::Evidence => Source::Evidence,
            };
            let assessment = service
                .assess(&person, &skill, &level, source, &note, &now())
                .await?;
            let mut grid = Grid::new(["skill", "level", "source", "at"]);
            grid.row([
                assessment.skill_label.clone(),
                assessment.level.to_string(),
                source.to_string(),
                assessment.at.clone(),
            ]);
            emit(
                out,
                output.format,
                &AssessmentDto::from(&assessment),
                &grid,
                |out| {
                    writeln!(
                        out,
                        "Recorded {}: {} ({}, {}).",
                        assessment.skill_label,
                        assessment.level,
                        source,
                        assessment.date()
                    )?;
                    Ok(())
                },
            )
        }
        Command::Gap {
            person,
            target,
            grade,
            text,
            output,
        } => {
            if let Some(file) = text {
                let target = target.context("--text needs --target ROLE")?;
                return crate::extract::text_gap(service, &file, &target, output.format, out).await;
            }
            let person = person.context("name a person, or give --text FILE")?;
            let who = service.person(&person).await?;
            let report = service
                .gap(&person, target.as_deref(), grade.as_deref())
                .await?;
            let grid = gap_grid(&report);
            emit(out, output.format, &GapDto::from(&report), &grid, |out| {
                show_gap(out, &who.name, &report, &grid)
            })
        }
        Command::Team(TeamCommand::Matrix {
            manager,
            role,
            grade,
            output,
        }) => {
            let matrix = service
                .team_matrix(&manager, role.as_deref(), grade.as_deref())
                .await?;
            let grid = matrix_grid(&matrix);
            emit(
                out,
                output.format,
                &TeamMatrixDto::from(&matrix),
                &grid,
                |out| show_matrix(out, &matrix, &grid),
            )
        }
        Command::Jd {
            role,
            grade,
            format,
        } => {
            let jd = service.job_description(&role, grade.as_deref()).await?;
            match format {
                JdFormat::Md => write!(out, "{}", jd_doc::to_markdown(&jd))?,
                JdFormat::Html => write!(out, "{}", jd_doc::to_html(&jd))?,
                JdFormat::Json => write_json(out, &JobDescriptionDto::from(&jd))?,
            }
            Ok(())
        }
        Command::Import(ImportCommand::Framework { files }) => {
            let inputs = files
                .iter()
                .map(|p| read_input(p))
                .collect::<Result<Vec<_>>>()?;
            let outcomes = service.import_frameworks(&inputs, &now()).await?;
            for o in outcomes {
                if o.created {
                    writeln!(
                        out,
                        "Imported {} {}: {} roles, {} skills, {} links.",
                        o.key, o.version, o.roles, o.skills, o.links
                    )?;
                } else {
                    writeln!(
                        out,
                        "{} {} is already stored; nothing changed.",
                        o.key, o.version
                    )?;
                }
            }
            Ok(())
        }
        Command::Map { action, suggest } => {
            crate::crosswalk::run(service, action, suggest, out).await
        }
        Command::Extract {
            file,
            framework,
            jsonl,
            labels_only,
            output,
        } => {
            let paraphrase = !labels_only;
            match jsonl.as_deref() {
                Some([input, output_file]) => {
                    crate::extract::extract_jsonl(
                        service,
                        input,
                        output_file,
                        framework.as_deref(),
                        paraphrase,
                    )
                    .await
                }
                _ => {
                    crate::extract::extract(
                        service,
                        &file,
                        framework.as_deref(),
                        paraphrase,
                        output.format,
                        out,
                    )
                    .await
                }
            }
        }
        Command::Import(ImportCommand::Esco {
            paths,
            version,
            skip_dangling,
        }) => {
            let reading = match early {
                Some(reading) => reading,
                None => start_esco_read(&paths, version, skip_dangling),
            };
            import_esco(service, reading, out).await
        }
        Command::Import(ImportCommand::Transitions { file }) => {
            let input = read_input(&file)?;
            let (rows, people) = service.import_transitions(&input, &now()).await?;
            writeln!(
                out,
                "Imported {rows} movement{} between roles ({people} people) from {}.",
                plural(rows),
                file.display()
            )?;
            Ok(())
        }
        Command::Import(ImportCommand::People { file }) => {
            let input = read_input(&file)?;
            let outcome = service.import_people(&input, &now()).await?;
            writeln!(
                out,
                "Imported {} people and {} assessments.",
                outcome.people, outcome.assessments
            )?;
            Ok(())
        }
    }
}

/// An ESCO release being read on other threads, from the moment the command starts: the files
/// need no database, so the reading goes on while the database is opened and made ready.
pub struct EscoReading {
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
    rows_read: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    task: tokio::task::JoinHandle<Result<esco::EscoData, rolemap_formats::Diagnostics>>,
}

/// Starts what `command` can do before the database is open: reading an ESCO release.
pub fn start_early(command: &Command) -> Option<EscoReading> {
    match command {
        Command::Import(ImportCommand::Esco {
            paths,
            version,
            skip_dangling,
        }) => Some(start_esco_read(paths, version.clone(), *skip_dangling)),
        _ => None,
    }
}

/// Starts reading ESCO. Progress goes to stderr: on a terminal a bar over the files (each
/// file's rows beside it); otherwise (CI, pipes, logs) one plain line per file.
fn start_esco_read(
    paths: &[std::path::PathBuf],
    version: Option<String>,
    skip_dangling: bool,
) -> EscoReading {
    let started = std::time::Instant::now();
    let options = EscoOptions {
        version,
        skip_dangling,
    };
    let bar = std::io::IsTerminal::is_terminal(&std::io::stderr())
        .then(|| esco_files_bar(esco_csv_count(paths)));
    let paths = paths.to_vec();
    let reading_bar = bar.clone();
    let rows_read = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&rows_read);
    // The zips are read in parallel and their files reported as each zip is done: a file's own
    // rate is not known, the rate of the whole read is given once it is done.
    let task = tokio::task::spawn_blocking(move || {
        esco::open(&paths, options, &mut |name, rows| {
            counted.fetch_add(rows, std::sync::atomic::Ordering::Relaxed);
            match &reading_bar {
                Some(bar) => {
                    // The folder or zip is in the path the user typed; the file name says enough.
                    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
                    bar.set_message(format!("{file}: {rows} rows"));
                    bar.inc(1);
                }
                None => note!("read {name}: {rows} rows"),
            }
        })
    });
    EscoReading {
        started,
        bar,
        rows_read,
        task,
    }
}

/// Waits for ESCO to be read, then stores it in one transaction: a spinner on a terminal while
/// storing; then the rows per second of the whole read.
async fn import_esco(service: &Service, reading: EscoReading, out: &mut dyn Write) -> Result<()> {
    let EscoReading {
        started,
        bar,
        rows_read,
        task: reading,
    } = reading;
    // The database gets ready for the import while the files are read.
    let prepared = service.prepare_for_import().await;
    let read = reading.await;
    prepared?;
    if let Some(bar) = &bar {
        // Some files may not be ESCO's (ignored): the bar ends full once everything is read.
        if let Some(total) = bar.length() {
            bar.set_position(total);
        }
        bar.finish();
    }
    let data = read.context("reading ESCO stopped")?.map_err(|problems| {
        let dangling = problems.0.iter().all(|d| d.code == "unknown-concept");
        let hint = if dangling {
            "\nEvery problem is a relation to a concept no file defines: --skip-dangling leaves those out."
        } else {
            ""
        };
        anyhow::anyhow!("{problems}{hint}")
    })?;
    // Never freed: the process ends with this command, and handing half a million strings back
    // to the allocator one at a time would only delay the exit (about 20 ms for all of ESCO).
    let data = std::mem::ManuallyDrop::new(std::sync::Arc::new(data));
    for skipped in &data.skipped {
        note!("skipped: {skipped}");
    }
    let read = started.elapsed();
    let rows_read = rows_read.load(std::sync::atomic::Ordering::Relaxed);
    note!(
        "read ESCO {} in {:.2} s ({rows_read} rows, {:.0} rows/s); storing {} occupations, {} skills, {} occupation-skill relations",
        data.version,
        read.as_secs_f64(),
        rows_read as f64 / read.as_secs_f64().max(1e-6),
        data.occupations.len(),
        data.skills.len(),
        data.occupation_skills.len()
    );
    let spinner = bar.is_some().then(|| {
        let spinner = indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} storing in one transaction [{elapsed}]",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        spinner.enable_steady_tick(std::time::Duration::from_millis(100));
        spinner
    });
    let outcome = service
        .import_esco(std::sync::Arc::clone(&data), &now())
        .await;
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    let outcome = outcome?;
    let stored = started.elapsed() - read;
    if !outcome.created {
        writeln!(
            out,
            "ESCO {} is already stored; nothing changed.",
            outcome.version
        )?;
        return Ok(());
    }
    note!("stored in {:.2} s", stored.as_secs_f64());
    writeln!(
        out,
        "Imported ESCO {}: {} occupations, {} skills, {} occupation-skill relations ({} read, {} skipped as dangling).",
        outcome.version,
        outcome.roles,
        outcome.skills,
        data.occupation_skills.len(),
        data.occupation_skill_rows,
        data.occupation_skill_rows - data.occupation_skills.len(),
    )?;
    writeln!(
        out,
        "Also stored: {} ISCO groups, {} skill groups, {} broader relations, {} skill-skill relations, {} skills hierarchy rows, {} collections.",
        data.isco_groups.len(),
        data.skill_groups.len(),
        data.broader.len(),
        data.skill_skills.len(),
        data.hierarchy.len(),
        data.collections.len(),
    )?;
    if !data.skipped.is_empty() {
        writeln!(
            out,
            "{} relation{} skipped in all (listed on standard error).",
            data.skipped.len(),
            plural(data.skipped.len())
        )?;
    }
    writeln!(out, "Source: {}.", esco::ATTRIBUTION)?;
    Ok(())
}

/// The progress bar over the ESCO files, with `total` files when they could be counted.
fn esco_files_bar(total: Option<u64>) -> indicatif::ProgressBar {
    let bar = match total {
        Some(total) => indicatif::ProgressBar::new(total),
        None => indicatif::ProgressBar::no_length(),
    };
    let template = if total.is_some() {
        "reading ESCO [{elapsed}] {bar:24} {pos}/{len} files  {wide_msg}"
    } else {
        "{spinner} reading ESCO [{elapsed}] {pos} files  {wide_msg}"
    };
    let style = indicatif::ProgressStyle::with_template(template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    // Redraw while a large file is read, so the clock runs between files.
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

/// How many CSV files `esco::open` will look at in these paths (folders, zips, single files), or
/// `None` if one of them cannot be listed (reading will then report it).
fn esco_csv_count(paths: &[std::path::PathBuf]) -> Option<u64> {
    fn is(path: &Path, extension: &str) -> bool {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(extension))
    }
    let mut count = 0;
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).ok()?;
            let entries: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            let listed: Vec<_> = entries
                .into_iter()
                .filter(|e| e.is_dir() || is(e, "csv") || is(e, "zip"))
                .collect();
            count += esco_csv_count(&listed)?;
        } else if is(path, "zip") {
            let file = std::fs::File::open(path).ok()?;
            let archive = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
            count += archive
                .file_names()
                .filter(|n| {
                    n.as_ref()
                        .is_ok_and(|n| n.to_ascii_lowercase().ends_with(".csv"))
                })
                .count() as u64;
        } else {
            count += 1;
        }
    }
    Some(count)
}

fn read_input(path: &Path) -> Result<InputFile> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(InputFile {
        name: path.display().to_string(),
        text,
    })
}

/// Writes JSON, CSV of the main grid, or the text view.
pub(crate) fn emit<T: serde::Serialize>(
    out: &mut dyn Write,
    format: Format,
    dto: &T,
    grid: &Grid,
    text: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match format {
        Format::Json => write_json(out, dto),
        Format::Csv => grid.write_csv(out),
        Format::Table => text(out),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn importance(essential: bool) -> &'static str {
    if essential { "essential" } else { "optional" }
}

fn level_code(level: &RequiredLevel) -> String {
    match level {
        RequiredLevel::Specified(l) => l.code().to_owned(),
        RequiredLevel::NotSpecified => "–".to_owned(),
    }
}

async fn init(service: &Service, demo: bool, db: &Path, out: &mut dyn Write) -> Result<()> {
    let report = service.init(demo, &now()).await?;
    writeln!(out, "Database: {}", db.display())?;
    for o in &report.frameworks {
        if o.created {
            writeln!(
                out,
                "Installed {} {} ({} roles, {} skills).",
                o.key, o.version, o.roles, o.skills
            )?;
        } else {
            writeln!(out, "{} {} already installed.", o.key, o.version)?;
        }
    }
    match report.demo {
        Some(Some(p)) => writeln!(
            out,
            "Created the demo team: {} people, {} assessments (marked as demo data).",
            p.people, p.assessments
        )?,
        Some(None) => writeln!(out, "The demo team is already there.")?,
        None => {}
    }
    Ok(())
}

async fn serve(
    service: &Service,
    addr: std::net::SocketAddr,
    demo: bool,
    db: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let report = service.init(demo, &now()).await?;
    let installed: Vec<String> = report
        .frameworks
        .iter()
        .filter(|o| o.created)
        .map(|o| o.key.clone())
        .collect();
    if !installed.is_empty() {
        writeln!(
            out,
            "Installed the built-in framework ({}).",
            installed.join(", ")
        )?;
    }
    if let Some(Some(p)) = report.demo {
        writeln!(
            out,
            "Created the demo team: {} people (demo data).",
            p.people
        )?;
    }
    let listener = rolemap_server::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr().unwrap_or(addr);
    writeln!(
        out,
        "rolemap is running at http://{local}/ (database {}). Press Ctrl+C to stop.",
        db.display()
    )?;
    out.flush()?;
    let state = rolemap_server::AppState::new(service.clone());
    rolemap_server::serve(listener, state, shutdown_signal())
        .await
        .context("the server stopped with an error")?;
    writeln!(out, "Stopped.")?;
    Ok(())
}

/// Resolves on Ctrl+C or SIGTERM, so in-flight requests finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

async fn demo(service: &Service, db: &Path, out: &mut dyn Write) -> Result<()> {
    init(service, true, db, out).await?;
    let person = service.person(DEMO_PERSON).await?;
    let report = service
        .gap(DEMO_PERSON, Some(DEMO_TARGET), Some(DEMO_GRADE))
        .await?;
    writeln!(
        out,
        "\nDemo: how ready is {} (demo data) to become an Operations Manager at {DEMO_GRADE}?",
        person.name
    )?;
    let grid = gap_grid(&report);
    show_gap(out, &person.name, &report, &grid)?;
    writeln!(
        out,
        "\nTry next:\n  rolemap --db {db} team matrix grace-okafor\n  rolemap --db {db} role show odp:team-leader\n  rolemap --db {db} compare odp:team-leader odp:operations-manager\n  rolemap --db {db} jd odp:operations-manager --grade G7",
        db = db.display()
    )?;
    Ok(())
}

fn requirements_grid(role: &Role) -> Grid {
    let mut headers = vec![
        "skill".to_owned(),
        "kind".to_owned(),
        "importance".to_owned(),
    ];
    if role.grades.is_empty() {
        headers.push("reuse level".to_owned());
        headers.push("level".to_owned());
    } else {
        headers.extend(role.grades.iter().cloned());
    }
    let mut grid = Grid {
        headers,
        rows: Vec::new(),
    };
    for req in &role.requirements {
        let mut label = req.skill.label.clone();
        if req.emphasis {
            label.push_str(" *");
        }
        let mut row = vec![
            label,
            req.skill.kind.as_str().to_owned(),
            req.importance.as_str().to_owned(),
        ];
        if role.grades.is_empty() {
            row.push(
                req.skill
                    .reuse
                    .map(|r| r.as_str().to_owned())
                    .unwrap_or_default(),
            );
            row.push(level_code(&req.level));
        } else {
            row.extend(
                role.grades
                    .iter()
                    .map(|g| level_code(&req.required_at(Some(g)))),
            );
        }
        if !req.skill.tags.is_empty() && role.grades.is_empty() {
            row[0].push_str(&format!(" [{}]", req.skill.tags.join(", ")));
        }
        grid.rows.push(row);
    }
    grid
}

fn show_similar(
    out: &mut dyn Write,
    similar: &rolemap_service::SimilarRoles,
    dto: &SimilarDto,
    grid: &Grid,
) -> Result<()> {
    let role = &similar.role;
    writeln!(
        out,
        "Roles most like {} ({}), from the skills they require and what their texts say",
        role.title, role.framework_name
    )?;
    if dto.neighbours.is_empty() {
        writeln!(
            out,
            "No other role of {} shares a skill or a word with it.",
            role.framework_name
        )?;
        return Ok(());
    }
    writeln!(out, "{}", grid.to_text())?;
    writeln!(out, "{}.", dto.formula)?;
    writeln!(
        out,
        "coverage: the share of that role's essential skills {} already requires; text: the \
         cosine of the roles' titles and descriptions (TF-IDF).",
        role.title
    )?;
    for (rank, n) in dto.neighbours.iter().enumerate().take(SHOWN_EXPLAINED) {
        heading(out, &format!("{}. {}", rank + 1, n.role.title))?;
        if let Some(through) = &n.through {
            paragraph(out, "  ", &format!("From {}: {through}.", n.role.framework))?;
        }
        if !n.shared.is_empty() {
            paragraph(
                out,
                "  ",
                &format!("Transferable ({}): {}", n.shared.len(), n.shared.join("; ")),
            )?;
        }
        if !n.to_gain.is_empty() {
            let gain: Vec<String> = n.to_gain.iter().map(gain_label).collect();
            paragraph(
                out,
                "  ",
                &format!("To gain ({}): {}", gain.len(), gain.join("; ")),
            )?;
        }
    }
    if dto.neighbours.len() > SHOWN_EXPLAINED {
        writeln!(out, "\nThe skills of every role listed: --format json.")?;
    }
    writeln!(out, "\nSource: {}", role.attribution)?;
    Ok(())
}

/// Which roles a `routes` command names as its start and destination.
fn route_ends<'a>(
    roles: &'a [String],
    person: Option<&str>,
    to: Option<&'a str>,
) -> Result<(Option<&'a str>, &'a str)> {
    match (roles, person, to) {
        ([from, to], None, None) => Ok((Some(from.as_str()), to.as_str())),
        ([from], None, Some(to)) => Ok((Some(from.as_str()), to)),
        ([], Some(_), Some(to)) => Ok((None, to)),
        ([to], Some(_), None) => Ok((None, to.as_str())),
        ([from], Some(_), Some(to)) => Ok((Some(from.as_str()), to)),
        _ => anyhow::bail!(
            "routes needs the roles to go from and to: `rolemap routes FROM TO`, \
             `rolemap routes FROM --to TO` or `rolemap routes --person P --to TO`"
        ),
    }
}

fn show_routes(
    out: &mut dyn Write,
    routes: &rolemap_service::Routes,
    dto: &RoutesDto,
) -> Result<()> {
    let start = match &routes.person {
        Some(person) => format!("{} ({})", person.name, routes.from.title),
        None => routes.from.title.clone(),
    };
    writeln!(
        out,
        "Routes from {start} to {} ({}): at most {} step{}, steps scoring at least {:.2}",
        routes.to.title,
        routes.to.framework_name,
        routes.max_steps,
        plural(routes.max_steps),
        routes.min_similarity
    )?;
    if dto.routes.is_empty() {
        write!(
            out,
            "No route reaches {} within {} step{}",
            routes.to.title,
            routes.max_steps,
            plural(routes.max_steps)
        )?;
        match &dto.closest {
            Some(c) => writeln!(
                out,
                ". The closest role within reach is {} ({}, score {:.3} to {}), {} step{} away.",
                c.role.title,
                c.role.framework,
                c.similarity,
                routes.to.title,
                c.steps,
                plural(c.steps as usize)
            )?,
            None => writeln!(
                out,
                "; {} role{} can be reached, none of them among the roles nearest {}.",
                routes.reachable,
                plural(routes.reachable),
                routes.to.title
            )?,
        }
        writeln!(
            out,
            "Try more steps (--max-steps) or a lower --min-similarity."
        )?;
        return Ok(());
    }
    for (number, route) in dto.routes.iter().enumerate() {
        let path: Vec<&str> = std::iter::once(routes.from.title.as_str())
            .chain(route.steps.iter().map(|s| s.role.title.as_str()))
            .collect();
        heading(
            out,
            &format!(
                "Route {} (cost {:.3}): {}",
                number + 1,
                route.cost,
                path.join(" → ")
            ),
        )?;
        for (step, s) in route.steps.iter().enumerate() {
            let readiness = s
                .readiness
                .map(|r| format!(", readiness {:.0}%", r * 100.0))
                .unwrap_or_default();
            writeln!(
                out,
                "  {}. {} ({}): {}, score {:.3}{readiness}; {}",
                step + 1,
                s.role.title,
                s.role.framework,
                s.level,
                s.similarity,
                s.via.join("; ")
            )?;
            if !s.shared.is_empty() {
                paragraph(
                    out,
                    "     ",
                    &format!("Transferable ({}): {}", s.shared.len(), s.shared.join("; ")),
                )?;
            }
            if !s.raise.is_empty() {
                let raise: Vec<String> = s
                    .raise
                    .iter()
                    .map(|l| format!("{} from {} to {}", l.skill, l.from, l.to))
                    .collect();
                paragraph(out, "     ", &format!("Raise: {}", raise.join("; ")))?;
            }
            if !s.to_gain.is_empty() {
                let gain: Vec<String> = s.to_gain.iter().take(12).map(gain_label).collect();
                let more = s.to_gain.len().saturating_sub(12);
                let more = if more > 0 {
                    format!("; and {more} more (--format json)")
                } else {
                    String::new()
                };
                paragraph(
                    out,
                    "     ",
                    &format!("To gain ({}): {}{more}", s.to_gain.len(), gain.join("; ")),
                )?;
            }
        }
    }
    writeln!(out, "\n{}.", dto.formula)?;
    writeln!(out, "\nSource: {}", routes.to.attribution)?;
    Ok(())
}

/// A skill to gain as the explanations list it: its label, marked when essential.
fn gain_label(g: &SkillToGainDto) -> String {
    if g.importance == "essential" {
        format!("{} (essential)", g.skill)
    } else {
        g.skill.clone()
    }
}

/// The bands of a progression map, top first.
const BANDS: [&str; 4] = ["above", "same level", "below", "level unknown"];

fn show_progression(
    out: &mut dyn Write,
    map: &rolemap_service::SimilarRoles,
    dto: &SimilarDto,
) -> Result<()> {
    let role = &map.role;
    writeln!(
        out,
        "Progression map for {} ({})",
        role.title, role.framework_name
    )?;
    if let Some(band) = role.band() {
        let basis = match band.basis {
            rolemap_core::seniority::Basis::Grades(_) => {
                format!("grades {}", role.grades.join(", "))
            }
            rolemap_core::seniority::Basis::Level => format!("level {}", band.low),
            rolemap_core::seniority::Basis::IscoSkillLevel => {
                format!("ISCO skill level {}-{}", band.low, band.high)
            }
        };
        writeln!(out, "It sits at {basis}.")?;
    }
    for band in BANDS {
        let members: Vec<&NeighbourDto> =
            dto.neighbours.iter().filter(|n| n.level == band).collect();
        if members.is_empty() {
            continue;
        }
        heading(out, &format!("{} ({})", capitalised(band), members.len()))?;
        for n in members {
            let mut line = format!("  {} — score {:.3}", n.role.title, n.score);
            if let Some(link) = &n.link {
                line.push_str(&format!("; {link}"));
            }
            let essential = n
                .to_gain
                .iter()
                .filter(|g| g.importance == "essential")
                .count();
            line.push_str(&format!(
                "; {} shared, {} to gain ({essential} essential)",
                n.shared.len(),
                n.to_gain.len()
            ));
            writeln!(out, "{line}")?;
        }
    }
    if dto.neighbours.is_empty() {
        writeln!(out, "No role is like it or linked to it.")?;
    }
    writeln!(out, "\n{}.", dto.formula)?;
    writeln!(out, "Source: {}", role.attribution)?;
    Ok(())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Neighbours whose shared and missing skills the table output spells out.
const SHOWN_EXPLAINED: usize = 3;

async fn search(
    service: &Service,
    text: &str,
    kind: Option<SearchType>,
    framework: Option<String>,
    limit: u16,
    output: crate::cli::Output,
    out: &mut dyn Write,
) -> Result<()> {
    let results = service
        .search(&SearchInput {
            text: text.to_owned(),
            kind: kind.map(|k| match k {
                SearchType::Occupation => ConceptKind::Role,
                SearchType::Skill => ConceptKind::Skill,
            }),
            framework,
            limit: usize::from(limit),
        })
        .await?;
    let dtos: Vec<SearchResultDto> = results.iter().map(SearchResultDto::from).collect();
    let mut grid = Grid::new(["score", "type", "label", "matched", "framework", "id"]);
    for r in &dtos {
        let matched = if r.field == "preferred" {
            "(preferred label)".to_owned()
        } else {
            format!("{} ({})", r.matched, r.field)
        };
        grid.row([
            format!("{:.2}", r.score),
            r.kind.to_owned(),
            r.label.clone(),
            matched,
            r.framework.clone(),
            r.id.to_string(),
        ]);
    }
    let frameworks = service.frameworks().await?;
    emit(out, output.format, &dtos, &grid, |out| {
        if dtos.is_empty() {
            writeln!(out, "Nothing matches '{text}'.")?;
            return Ok(());
        }
        writeln!(out, "{}", grid.to_text())?;
        writeln!(
            out,
            "Show one with `rolemap role show ID` or `rolemap skill show ID`."
        )?;
        let mut sources: Vec<&str> = Vec::new();
        for r in &dtos {
            if let Some(f) = frameworks.iter().rev().find(|f| f.key == r.framework)
                && !sources.contains(&f.attribution.as_str())
            {
                sources.push(&f.attribution);
            }
        }
        if !sources.is_empty() {
            writeln!(out, "Source: {}", sources.join("; "))?;
        }
        Ok(())
    })
}

/// A concept of ESCO's as a line: code and label, and the kind when it is not a group.
fn esco_link(link: &rolemap_store::EscoLink) -> String {
    let label = if link.label.is_empty() {
        link.uri.as_str()
    } else {
        link.label.as_str()
    };
    match (link.code.is_empty(), link.kind.as_str()) {
        (false, "isco-group") => format!("ISCO {} {label}", link.code),
        (false, _) => format!("{} {label}", link.code),
        (true, "occupation" | "skill") => format!("{label} ({})", link.kind),
        (true, _) => label.to_owned(),
    }
}

fn show_role(
    out: &mut dyn Write,
    role: &Role,
    esco: Option<&rolemap_store::EscoDetail>,
    grid: &Grid,
) -> Result<()> {
    writeln!(out, "{}", role.title)?;
    let mut facts = vec![format!(
        "{} ({}:{}, id {})",
        role.framework_name, role.framework_key, role.key, role.id
    )];
    if let Some(family) = &role.family {
        facts.push(format!("Job family: {}", family.name));
    }
    if let Some(level) = role.level {
        facts.push(format!("Level {level}"));
    }
    if !role.grades.is_empty() {
        facts.push(format!("Grades: {}", role.grades.join(", ")));
    }
    for code in &role.codes {
        facts.push(format!("{} {}", code.scheme, code.value));
    }
    if !role.duration.is_empty() {
        facts.push(format!("Duration: {}", role.duration));
    }
    if let Some(esco) = esco {
        if !esco.code.is_empty() {
            facts.push(format!("ESCO code {}", esco.code));
        }
        if !esco.status.is_empty() {
            facts.push(esco.status.clone());
        }
    }
    writeln!(out, "{}", facts.join(" · "))?;
    if let Some(esco) = esco {
        if !esco.path.is_empty() {
            heading(out, "ISCO path")?;
            for (depth, link) in esco.path.iter().enumerate() {
                writeln!(out, "{}{}", "  ".repeat(depth + 1), esco_link(link))?;
            }
            writeln!(out, "{}{}", "  ".repeat(esco.path.len() + 1), role.title)?;
        }
        if !role.alt_titles.is_empty() {
            heading(out, "Alternative labels")?;
            paragraph(out, "", &role.alt_titles.join("; "))?;
        }
        if !esco.hidden_labels.is_empty() {
            heading(out, "Hidden labels (found by search)")?;
            paragraph(out, "", &esco.hidden_labels.join("; "))?;
        }
        if let Some(note) = esco.regulated.rsplit('/').next().filter(|n| !n.is_empty()) {
            writeln!(out, "\nRegulated profession: {note}")?;
        }
    }
    if !role.summary.is_empty() {
        heading(out, "Role summary")?;
        paragraph(out, "", &role.summary)?;
    }
    if !role.description.is_empty() {
        heading(out, "Description")?;
        paragraph(out, "", &role.description)?;
    }
    if let Some(esco) = esco {
        if !esco.definition.is_empty() {
            heading(out, "Definition")?;
            paragraph(out, "", &esco.definition)?;
        }
        if !esco.scope_note.is_empty() {
            heading(out, "Scope note")?;
            paragraph(out, "", &esco.scope_note)?;
        }
    }
    if !role.responsibilities.is_empty() {
        heading(out, "Typical responsibilities")?;
        for r in &role.responsibilities {
            paragraph(out, "  - ", r)?;
        }
    }
    if !role.duties.is_empty() {
        heading(out, "Duties")?;
        for d in &role.duties {
            writeln!(out, "  Duty {}: {}", d.number, d.text)?;
        }
    }
    if !role.dimensions.is_empty() {
        heading(out, "Dimensions")?;
        for d in &role.dimensions {
            writeln!(out, "  {}:", d.name)?;
            paragraph(out, "    ", &d.text)?;
        }
    }
    if !role.requirements.is_empty() {
        let essential = role
            .requirements
            .iter()
            .filter(|r| r.importance == rolemap_core::Importance::Essential)
            .count();
        heading(
            out,
            &format!(
                "Skills ({} essential, {} optional)",
                essential,
                role.requirements.len() - essential
            ),
        )?;
        if role.grades.is_empty() && role.requirements.iter().all(|r| r.level.level().is_none()) {
            show_requirement_groups(out, role)?;
        } else {
            writeln!(out, "{}", grid.to_text())?;
        }
        if let Some(scale) = role
            .requirements
            .iter()
            .find_map(|r| r.skill.scale.as_ref())
        {
            if role
                .requirements
                .iter()
                .any(|r| !r.levels.is_empty() && r.levels.iter().any(|(_, l)| l.level().is_some()))
            {
                writeln!(
                    out,
                    "Levels: {}. – means no minimum level is published.",
                    scale.valid_list()
                )?;
            } else {
                writeln!(
                    out,
                    "The framework sets no minimum levels for this role; assess on {}.",
                    scale.valid_list()
                )?;
            }
        }
        if role.requirements.iter().any(|r| r.emphasis) {
            writeln!(out, "* of specific note for this role")?;
        }
    }
    if !role.routes_in.is_empty() {
        heading(out, "Routes in")?;
        paragraph(out, "", &role.routes_in)?;
    }
    if !role.transferable_skills.is_empty() {
        heading(out, "Transferable skills")?;
        paragraph(out, "", &role.transferable_skills)?;
    }
    if !role.typical_titles.is_empty() {
        heading(out, "Typical job titles")?;
        paragraph(out, "", &role.typical_titles.join(", "))?;
    }
    if !role.typical_employers.is_empty() {
        heading(out, "Typical employers")?;
        paragraph(out, "", &role.typical_employers)?;
    }
    if !role.links.is_empty() {
        heading(out, "Linked roles")?;
        for link in &role.links {
            let arrow = match (link.kind, link.incoming) {
                (rolemap_core::LinkKind::Route, true) => "route in from",
                (rolemap_core::LinkKind::Route, false) => "route on to",
                (rolemap_core::LinkKind::Equivalent, _) => "same kind of role as",
                (rolemap_core::LinkKind::Related, _) => "related to",
            };
            writeln!(
                out,
                "  {arrow} {} ({}:{})",
                link.other.title, link.other.framework_key, link.other.key
            )?;
            if !link.note.is_empty() {
                paragraph(out, "      ", &link.note)?;
            }
        }
    }
    writeln!(out, "\nSource: {}", role.attribution)?;
    Ok(())
}

/// Requirements grouped as ESCO shows them: essential and optional, knowledge and skills, then by
/// reuse level from the most specific to the most transferable.
fn show_requirement_groups(out: &mut dyn Write, role: &Role) -> Result<()> {
    for group in role.requirement_groups() {
        writeln!(out, "\n{} ({})", group.title, group.count)?;
        for (reuse, bucket) in group.buckets {
            let name = reuse.map_or("reuse level not given", rolemap_core::ReuseLevel::as_str);
            writeln!(out, "  {name} ({})", bucket.len())?;
            for r in bucket {
                let tags = if r.skill.tags.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", r.skill.tags.join(", "))
                };
                writeln!(out, "    - {}{tags}", r.skill.label)?;
            }
        }
    }
    Ok(())
}

fn show_skill(out: &mut dyn Write, detail: &SkillDetail, grid: &Grid) -> Result<()> {
    let s = &detail.skill;
    writeln!(out, "{}", s.label)?;
    let mut facts = vec![
        format!("{}:{} (id {})", s.framework_key, s.key, s.id),
        s.kind.as_str().to_owned(),
    ];
    if let Some(reuse) = s.reuse {
        facts.push(reuse.as_str().to_owned());
    }
    if !s.tags.is_empty() {
        facts.push(format!("tags: {}", s.tags.join(", ")));
    }
    writeln!(out, "{}", facts.join(" · "))?;
    if !s.description.is_empty() {
        heading(out, "Description")?;
        paragraph(out, "", &s.description)?;
    }
    if !s.alt_labels.is_empty() {
        heading(out, "Also known as")?;
        paragraph(out, "", &s.alt_labels.join("; "))?;
    }
    if let Some(scale) = &s.scale {
        heading(out, &format!("Levels ({})", scale.name()))?;
        for level in scale.levels() {
            writeln!(out, "  {} {}: {}", level.code, level.name, level.descriptor)?;
        }
    }
    if let Some(esco) = &detail.esco {
        if !esco.hidden_labels.is_empty() {
            heading(out, "Hidden labels (found by search)")?;
            paragraph(out, "", &esco.hidden_labels.join("; "))?;
        }
        if !esco.scope_note.is_empty() {
            heading(out, "Scope note")?;
            paragraph(out, "", &esco.scope_note)?;
        }
        if !esco.definition.is_empty() {
            heading(out, "Definition")?;
            paragraph(out, "", &esco.definition)?;
        }
        if !esco.broader.is_empty() {
            heading(out, "Broader")?;
            for link in &esco.broader {
                writeln!(out, "  {}", esco_link(link))?;
            }
        }
        if esco.path.len() > 1 {
            heading(out, "In the skills hierarchy")?;
            for (depth, link) in esco.path.iter().enumerate() {
                writeln!(out, "{}{}", "  ".repeat(depth + 1), esco_link(link))?;
            }
            writeln!(out, "{}{}", "  ".repeat(esco.path.len() + 1), s.label)?;
        }
        if !esco.related.is_empty() {
            heading(out, &format!("Related skills ({})", esco.related.len()))?;
            for r in &esco.related {
                let direction = if r.inbound {
                    format!("{} for it", r.importance)
                } else {
                    r.importance.clone()
                };
                let label = if r.skill.label.is_empty() {
                    &r.skill.uri
                } else {
                    &r.skill.label
                };
                writeln!(out, "  - {label} ({direction})")?;
            }
        }
    }
    let (essential, optional) = detail.requirement_counts();
    heading(
        out,
        &format!(
            "Required by {} role{} ({essential} essential, {optional} optional)",
            detail.required_by.len(),
            plural(detail.required_by.len()),
        ),
    )?;
    if !detail.required_by.is_empty() {
        if detail.required_by.len() <= SHOWN_ROLES {
            writeln!(out, "{}", grid.to_text())?;
        } else {
            writeln!(out, "{}", grid.head(SHOWN_ROLES).to_text())?;
            writeln!(
                out,
                "… and {} more (all of them with --format csv or json).",
                detail.required_by.len() - SHOWN_ROLES
            )?;
        }
    }
    if let Some(f) = &detail.framework {
        writeln!(out, "\nSource: {}", f.attribution)?;
    }
    Ok(())
}

/// Roles listed under a skill in the table output; the rest are counted.
const SHOWN_ROLES: usize = 25;

fn comparison_grid(c: &Comparison) -> Grid {
    let mut grid = Grid::new(["skill", "in", "grade", &c.a.title, &c.b.title, "difference"]);
    for s in &c.shared {
        for g in &s.grades {
            grid.row([
                s.skill.label.clone(),
                "both".to_owned(),
                g.grade.clone(),
                g.a.as_ref().map(level_code).unwrap_or_default(),
                g.b.as_ref().map(level_code).unwrap_or_default(),
                g.difference.map(|d| format!("{d:+}")).unwrap_or_default(),
            ]);
        }
        if s.grades.is_empty() {
            grid.row([
                s.skill.label.clone(),
                "both".to_owned(),
                String::new(),
                level_code(&s.a_level),
                level_code(&s.b_level),
                String::new(),
            ]);
        }
    }
    for (side, list) in [("A only", &c.only_a), ("B only", &c.only_b)] {
        for o in list {
            grid.row([
                o.skill.label.clone(),
                side.to_owned(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    grid
}

fn show_comparison(out: &mut dyn Write, c: &Comparison, _grid: &Grid) -> Result<()> {
    writeln!(
        out,
        "A: {} ({}:{})\nB: {} ({}:{})",
        c.a.title, c.a.framework_key, c.a.key, c.b.title, c.b.framework_key, c.b.key
    )?;
    let mut facts = Grid::new(["", &c.a.title, &c.b.title]);
    for f in c
        .facts
        .iter()
        .filter(|f| !(f.a.is_empty() && f.b.is_empty()))
    {
        facts.row([f.name.clone(), f.a.clone(), f.b.clone()]);
    }
    heading(out, "The roles")?;
    writeln!(out, "{}", facts.to_text())?;
    if !c.dimensions.is_empty() {
        heading(out, "Dimensions")?;
        let mut dims = Grid::new(["dimension", &c.a.title, &c.b.title]);
        for d in &c.dimensions {
            dims.row([d.name.clone(), d.a.clone(), d.b.clone()]);
        }
        writeln!(out, "{}", dims.to_text())?;
    }
    heading(out, &format!("Skills in both ({})", c.shared.len()))?;
    if c.shared.is_empty() {
        writeln!(out, "  none")?;
    }
    for s in &c.shared {
        let cells: Vec<String> = s
            .grades
            .iter()
            .filter(|g| g.a.is_some() || g.b.is_some())
            .map(|g| {
                let a =
                    g.a.as_ref()
                        .map(level_code)
                        .unwrap_or_else(|| "·".to_owned());
                let b =
                    g.b.as_ref()
                        .map(level_code)
                        .unwrap_or_else(|| "·".to_owned());
                match g.difference {
                    Some(d) if d != 0 => format!("{}: {a}→{b} ({d:+})", g.grade),
                    _ => format!("{}: {a}/{b}", g.grade),
                }
            })
            .collect();
        writeln!(
            out,
            "  {} ({} in A, {} in B)",
            s.skill.label,
            s.a_importance.as_str(),
            s.b_importance.as_str()
        )?;
        if !cells.is_empty() {
            paragraph(out, "      ", &cells.join("  "))?;
        }
    }
    if c.shared.iter().any(|s| !s.grades.is_empty()) {
        writeln!(
            out,
            "  (grade: A/B levels; · the role is not found at that grade; – no level published)"
        )?;
    }
    for (title, list) in [
        (format!("Only in {}", c.a.title), &c.only_a),
        (format!("Only in {}", c.b.title), &c.only_b),
    ] {
        heading(out, &format!("{title} ({})", list.len()))?;
        if list.is_empty() {
            writeln!(out, "  none")?;
        }
        for o in list {
            writeln!(out, "  {} ({})", o.skill.label, o.importance.as_str())?;
        }
    }
    writeln!(out, "\nSources: {}", c.attributions.join(" "))?;
    Ok(())
}

fn people_grid(people: &[rolemap_core::Person]) -> Grid {
    let mut grid = Grid::new(["id", "key", "name", "role", "grade", "manager", "team"]);
    for p in people {
        let mut name = p.name.clone();
        if p.demo {
            name.push_str(" (demo)");
        }
        grid.row([
            p.id.to_string(),
            p.key.clone(),
            name,
            p.role.as_ref().map(|r| r.title.clone()).unwrap_or_default(),
            p.grade.clone().unwrap_or_default(),
            p.manager
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            p.team.clone(),
        ]);
    }
    grid
}

fn history_grid(detail: &PersonDetail) -> Grid {
    let mut grid = Grid::new(["at", "skill", "level", "source", "note"]);
    for a in &detail.history {
        grid.row([
            a.at.clone(),
            a.skill_label.clone(),
            a.level.to_string(),
            a.source.to_string(),
            a.note.clone(),
        ]);
    }
    grid
}

fn show_person(out: &mut dyn Write, detail: &PersonDetail, history: &Grid) -> Result<()> {
    let p = &detail.person;
    write!(out, "{}", p.name)?;
    if p.demo {
        write!(out, " (demo data)")?;
    }
    writeln!(out)?;
    let mut facts = vec![format!("id {}, key {}", p.id, p.key)];
    if let Some(role) = &p.role {
        facts.push(format!(
            "{} ({}:{})",
            role.title, role.framework_key, role.key
        ));
    }
    if let Some(grade) = &p.grade {
        facts.push(format!("grade {grade}"));
    }
    if let Some((_, manager)) = &p.manager {
        facts.push(format!("reports to {manager}"));
    }
    if !p.team.is_empty() {
        facts.push(p.team.clone());
    }
    writeln!(out, "{}", facts.join(" · "))?;
    heading(out, "Current levels")?;
    if detail.current.is_empty() {
        writeln!(out, "  no assessments yet")?;
    } else {
        let mut grid = Grid::new(["skill", "level", "from", "other views"]);
        for h in &detail.current {
            let others: Vec<String> = h
                .others
                .iter()
                .map(|o| format!("{} {} ({})", o.source, o.level.code(), o.date()))
                .collect();
            grid.row([
                h.current.skill_label.clone(),
                h.current.level.to_string(),
                format!("{}, {}", h.current.source, h.current.date()),
                others.join("; "),
            ]);
        }
        writeln!(out, "{}", grid.to_text())?;
        writeln!(
            out,
            "The current level is the latest from the most trusted source: evidence, then manager, then self."
        )?;
    }
    heading(
        out,
        &format!(
            "History ({} assessment{})",
            detail.history.len(),
            plural(detail.history.len())
        ),
    )?;
    if !detail.history.is_empty() {
        writeln!(out, "{}", history.to_text())?;
    }
    Ok(())
}

fn status_mark(status: Status) -> &'static str {
    match status {
        Status::Met => "met",
        Status::Above => "above",
        Status::Below => "BELOW",
        Status::Unassessed => "not assessed",
    }
}

fn gap_grid(report: &GapReport) -> Grid {
    let mut grid = Grid::new([
        "skill",
        "importance",
        "required",
        "held",
        "assessed by",
        "status",
    ]);
    for line in &report.lines {
        grid.row([
            if line.emphasis {
                format!("{} *", line.skill.label)
            } else {
                line.skill.label.clone()
            },
            line.importance.as_str().to_owned(),
            line.required
                .level()
                .map_or_else(|| "not specified".to_owned(), |l| l.to_string()),
            line.held
                .as_ref()
                .map(|h| h.current.level.to_string())
                .unwrap_or_else(|| "–".to_owned()),
            line.held
                .as_ref()
                .map(|h| format!("{}, {}", h.current.source, h.current.date()))
                .unwrap_or_default(),
            status_mark(line.status).to_owned(),
        ]);
    }
    grid
}

fn show_gap(out: &mut dyn Write, name: &str, report: &GapReport, grid: &Grid) -> Result<()> {
    let grade = report
        .grade
        .as_ref()
        .map(|g| format!(" at {g}"))
        .unwrap_or_default();
    writeln!(
        out,
        "\n{name} against {} ({}:{}){grade}",
        report.role.title, report.role.framework_key, report.role.key
    )?;
    writeln!(
        out,
        "Readiness {:.1}%: {} met, {} above, {} below, {} not assessed",
        report.readiness,
        report.count(Status::Met),
        report.count(Status::Above),
        report.count(Status::Below),
        report.count(Status::Unassessed)
    )?;
    writeln!(out, "{}", grid.to_text())?;
    heading(out, "Develop first")?;
    if report.development.is_empty() {
        writeln!(out, "  Nothing: every requirement is met.")?;
    }
    for (n, line) in report.development_lines().enumerate() {
        paragraph(out, &format!("  {}. ", n + 1), &line.why)?;
    }
    writeln!(
        out,
        "\nReadiness weighs essential skills 1, optional 0.5; a level below the minimum counts in proportion."
    )?;
    writeln!(out, "Source: {}", report.attribution)?;
    Ok(())
}

fn matrix_grid(m: &TeamMatrix) -> Grid {
    let mut headers = vec![
        "person".to_owned(),
        "role".to_owned(),
        "grade".to_owned(),
        "readiness".to_owned(),
    ];
    headers.extend(m.skills.iter().map(|s| s.label.clone()));
    matrix_rows(m, headers)
}

/// Short column names for a terminal: the initials of each skill's label ("Data and insight" -> DI).
fn initials(label: &str) -> String {
    let small = ["and", "of", "to", "at", "the", "in", "for", "a"];
    let letters: String = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !small.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        label.to_owned()
    } else {
        letters
    }
}

fn matrix_rows(m: &TeamMatrix, headers: Vec<String>) -> Grid {
    let mut grid = Grid {
        headers,
        rows: Vec::new(),
    };
    for row in &m.rows {
        let mut cells = vec![
            if row.person.demo {
                format!("{} (demo)", row.person.name)
            } else {
                row.person.name.clone()
            },
            row.person
                .role
                .as_ref()
                .map(|r| r.title.clone())
                .unwrap_or_default(),
            row.person.grade.clone().unwrap_or_default(),
            row.readiness
                .map(|r| format!("{r:.0}%"))
                .unwrap_or_default(),
        ];
        for cell in &row.cells {
            let held = cell.held.as_ref().map_or("·", |h| h.current.level.code());
            let text = match (&cell.status, &cell.required) {
                (None, _) => held.to_owned(),
                (Some(status), Some(required)) => {
                    let mark = match status {
                        Status::Below | Status::Unassessed => "▼",
                        Status::Above => "▲",
                        Status::Met => "",
                    };
                    format!("{held}/{}{mark}", level_code(required))
                }
                (Some(_), None) => held.to_owned(),
            };
            cells.push(text);
        }
        grid.rows.push(cells);
    }
    grid
}

fn show_matrix(out: &mut dyn Write, m: &TeamMatrix, _grid: &Grid) -> Result<()> {
    writeln!(out, "Team of {} ({} people)", m.manager.name, m.rows.len())?;
    let mut headers = vec![
        "person".to_owned(),
        "role".to_owned(),
        "grade".to_owned(),
        "ready".to_owned(),
    ];
    let mut codes: Vec<String> = Vec::new();
    for skill in &m.skills {
        let mut code = initials(&skill.label);
        let base = code.clone();
        let mut n = 2;
        while codes.contains(&code) {
            code = format!("{base}{n}");
            n += 1;
        }
        codes.push(code);
    }
    headers.extend(codes.iter().cloned());
    writeln!(out, "{}", matrix_rows(m, headers).to_text())?;
    let legend: Vec<String> = codes
        .iter()
        .zip(&m.skills)
        .map(|(c, s)| format!("{c} {}", s.label))
        .collect();
    paragraph(out, "Skills: ", &legend.join("; "))?;
    writeln!(
        out,
        "Cells: held/required. ▼ below or not assessed, ▲ above, · not assessed, – no level published."
    )?;

    heading(out, "Single points of failure")?;
    let single: Vec<_> = m.single_points().collect();
    if single.is_empty() {
        writeln!(
            out,
            "  none: every skill the team needs is held by two or more people"
        )?;
    }
    for c in single {
        let bar = c
            .bar
            .as_ref()
            .map_or_else(|| "held".to_owned(), |l| l.to_string());
        writeln!(
            out,
            "  {}: only {} holds it at {bar} (the most any role here asks)",
            c.skill.label,
            c.holders.join("")
        )?;
    }
    let uncovered: Vec<_> = m.uncovered().collect();
    if !uncovered.is_empty() {
        heading(out, "Not held at the level needed by anyone")?;
        for c in uncovered {
            let bar = c
                .bar
                .as_ref()
                .map_or_else(|| "held".to_owned(), |l| l.to_string());
            writeln!(out, "  {} (needs {bar})", c.skill.label)?;
        }
    }

    heading(out, "Training needs")?;
    if m.training.is_empty() {
        writeln!(out, "  none: everyone meets their role's minimum levels")?;
    }
    for t in &m.training {
        let people: Vec<String> = t
            .people
            .iter()
            .map(|(name, held, required)| {
                format!(
                    "{name} {}→{}",
                    held.as_ref().map_or("·", |l| l.code()),
                    required.as_ref().map_or("held", |l| l.code())
                )
            })
            .collect();
        writeln!(
            out,
            "  {}: {} {}, {} level{} in all",
            t.skill.label,
            t.people.len(),
            if t.people.len() == 1 {
                "person"
            } else {
                "people"
            },
            t.total_steps,
            plural(t.total_steps as usize)
        )?;
        paragraph(out, "      ", &people.join(", "))?;
    }

    if let Some(s) = &m.succession {
        let grade = s
            .grade
            .as_ref()
            .map(|g| format!(" at {g}"))
            .unwrap_or_default();
        heading(
            out,
            &format!("Succession: closest to ready for {}{grade}", s.role.title),
        )?;
        for (n, c) in s.candidates.iter().enumerate().take(5) {
            let gaps: Vec<String> = c
                .report
                .development_lines()
                .map(|l| l.skill.label.clone())
                .collect();
            writeln!(
                out,
                "  {}. {} ({:.0}% ready){}",
                n + 1,
                c.person.name,
                c.report.readiness,
                if gaps.is_empty() {
                    String::new()
                } else {
                    format!(": to develop {}", gaps.join(", "))
                }
            )?;
        }
    }
    Ok(())
}
