//! One function per command: call the service, then show the answer in the chosen format.
//!
//! `run` sends each command to its module; the helpers here are shared by several of them.

mod audit;
mod bench_team;
mod case;
mod compare;
mod diff;
mod esco_import;
mod frameworks;
mod gap;
mod generate;
mod import;
mod people;
mod progression;
mod roles;
mod routes;
mod rsd;
mod search;
mod serve;
mod sheets;
mod similar;
mod skills;
mod team;
mod users;

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rolemap_core::RequiredLevel;
use rolemap_service::{InputFile, PersonInput, Service};

pub use self::esco_import::{EscoReading, start_early};
use crate::cli::{
    Command, ExportCommand, Format, ImportCommand, PersonCommand, RoleCommand, SkillCommand,
    TeamCommand,
};
use crate::render::{Grid, write_json};

/// Runs `command`; `early` is what [`start_early`] started for it.
pub async fn run(
    service: &Service,
    command: Command,
    db: &Path,
    out: &mut dyn Write,
    early: Option<EscoReading>,
) -> Result<()> {
    match command {
        Command::Init { demo } => serve::init(service, demo, db, out).await,
        Command::Demo {
            generate: true,
            people,
            assessments_per_person,
            seed,
        } => {
            let asked = generate::Asked {
                people,
                per_person: assessments_per_person,
                seed,
            };
            generate::run(service, asked, out).await
        }
        Command::Demo { .. } => serve::demo(service, db, out).await,
        Command::Serve {
            addr,
            demo,
            public_url,
            retain_assessments,
            oidc,
        } => {
            serve::serve(
                service,
                addr,
                demo,
                public_url,
                retain_assessments,
                oidc,
                db,
                out,
            )
            .await
        }
        Command::Frameworks(output) => frameworks::list(service, output, out).await,
        Command::Roles {
            framework,
            family,
            output,
        } => roles::list(service, framework, family, output, out).await,
        Command::Skills {
            framework,
            kind,
            tag,
            search,
            output,
        } => skills::list(service, framework, kind, tag, search, output, out).await,
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
            search::search(
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
            similar::similar(
                service,
                &role,
                framework.as_deref(),
                limit,
                hierarchy,
                across,
                output,
                out,
            )
            .await
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
            routes::routes(
                service,
                &roles,
                person.as_deref(),
                to.as_deref(),
                framework.as_deref(),
                max_steps,
                min_similarity,
                k,
                output,
                out,
            )
            .await
        }
        Command::Progression {
            role,
            framework,
            limit,
            format,
        } => {
            progression::progression(service, &role, framework.as_deref(), limit, format, out).await
        }
        Command::Role(RoleCommand::Show {
            role,
            framework,
            output,
        }) => roles::show(service, &role, framework.as_deref(), output, out).await,
        Command::Skill(SkillCommand::Show {
            skill,
            framework,
            output,
        }) => skills::show(service, &skill, framework.as_deref(), output, out).await,
        Command::Compare {
            role_a,
            role_b,
            grade_a,
            grade_b,
            output,
        } => {
            let grades = (grade_a.as_deref(), grade_b.as_deref());
            compare::compare(service, &role_a, &role_b, grades, output, out).await
        }
        Command::Person(PersonCommand::Add {
            name,
            role,
            grade,
            manager,
            team,
            email,
            same_name,
            output,
        }) => {
            let input = PersonInput {
                name,
                role,
                grade,
                manager,
                team,
                email,
                same_name,
            };
            people::add(service, input, output, out).await
        }
        Command::Person(PersonCommand::Show { person, output }) => {
            people::show(service, &person, output, out).await
        }
        Command::Person(PersonCommand::List(output)) => people::list(service, output, out).await,
        Command::Person(PersonCommand::Edit {
            person,
            name,
            email,
            role,
            grade,
            manager,
            team,
            output,
        }) => {
            // From the command line, a value given as "" clears the field.
            let clearable =
                |value: Option<String>| value.map(|v| Some(v).filter(|v| !v.trim().is_empty()));
            let patch = rolemap_service::PersonPatch {
                name,
                email: clearable(email),
                role: clearable(role),
                grade: clearable(grade),
                manager: clearable(manager),
                team: clearable(team),
            };
            people::edit(service, &person, &patch, output, out).await
        }
        Command::Person(PersonCommand::Archive { person, output }) => {
            people::archive(service, &person, true, output, out).await
        }
        Command::Person(PersonCommand::Unarchive { person, output }) => {
            people::archive(service, &person, false, output, out).await
        }
        Command::Person(PersonCommand::Export { person }) => {
            audit::export(service, &person, out).await
        }
        Command::Person(PersonCommand::Erase { person }) => {
            audit::erase(service, &person, out).await
        }
        Command::Person(PersonCommand::PurgeAssessments { older_than }) => {
            audit::purge(service, &older_than, out).await
        }
        Command::Audit {
            person,
            user,
            action,
            since,
            until,
            limit,
            output,
        } => {
            let query = rolemap_service::AuditQuery {
                person,
                user,
                action,
                since,
                until,
                before_id: None,
                limit,
            };
            audit::list(service, &query, output, out).await
        }
        Command::User(command) => users::run(service, command, out).await,
        // Answered in main before the database is opened (status must not migrate it).
        Command::Db(_) => anyhow::bail!("`rolemap db` is answered before the database opens"),
        Command::BenchTeam { people } => bench_team::run(service, people, out).await,
        Command::Assess {
            person,
            skill,
            level,
            source,
            note,
            output,
        } => people::assess(service, &person, &skill, &level, source, &note, output, out).await,
        Command::Gap {
            person,
            target,
            grade,
            text,
            output,
        } => gap::gap(service, person, target, grade, text, output, out).await,
        Command::Team(TeamCommand::Matrix {
            manager,
            role,
            grade,
            output,
        }) => {
            team::matrix(
                service,
                &manager,
                role.as_deref(),
                grade.as_deref(),
                output,
                out,
            )
            .await
        }
        Command::Jd {
            role,
            grade,
            format,
        } => roles::jd(service, &role, grade.as_deref(), format, out).await,
        Command::Import(ImportCommand::Framework { files }) => {
            import::framework(service, &files, out).await
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
            strict,
            list_dangling,
            skip_dangling: _,
        }) => {
            let reading = match early {
                Some(reading) => reading,
                None => esco_import::start_esco_read(&paths, version, strict, list_dangling),
            };
            esco_import::import_esco(service, reading, out).await
        }
        Command::Import(ImportCommand::Onet { dir, version }) => {
            import::onet(service, &dir, version.as_deref(), out).await
        }
        Command::Export(ExportCommand::Onet {
            framework,
            out: dir,
        }) => import::export_onet(service, &framework, &dir, out).await,
        Command::Import(ImportCommand::Case { file, key }) => {
            case::import(service, &file, key.as_deref(), out).await
        }
        Command::Export(ExportCommand::Framework {
            framework,
            version,
            out: file,
        }) => diff::export(service, &framework, version.as_deref(), &file, out).await,
        Command::Diff {
            framework,
            from,
            to,
            output,
        } => diff::diff(service, &framework, &from, &to, output, out).await,
        Command::Export(ExportCommand::Case {
            framework,
            out: file,
        }) => case::export(service, &framework, &file, out).await,
        Command::Import(ImportCommand::Xlsx { file, key }) => {
            sheets::import_xlsx(service, &file, key.as_deref(), out).await
        }
        Command::Import(ImportCommand::Csv { file, key }) => {
            sheets::import_csv(service, &file, key.as_deref(), out).await
        }
        Command::Export(ExportCommand::Xlsx {
            framework,
            out: file,
            layout,
            template: _,
        }) => sheets::export_xlsx(service, framework.as_deref(), layout, &file, out).await,
        Command::Export(ExportCommand::Csv {
            framework,
            out: file,
            template: _,
        }) => sheets::export_csv(service, framework.as_deref(), &file, out).await,
        Command::Import(ImportCommand::Rsd { file, key }) => {
            rsd::import(service, &file, key.as_deref(), out).await
        }
        Command::Export(ExportCommand::Rsd {
            framework,
            out: file,
            csv,
        }) => rsd::export(service, &framework, &file, csv, out).await,
        Command::Import(ImportCommand::Transitions { file }) => {
            import::transitions(service, &file, out).await
        }
        Command::Import(ImportCommand::People { file, output }) => {
            import::people(service, &file, output, out).await
        }
    }
}

fn read_input(path: &Path) -> Result<InputFile> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.display().to_string();
    let text =
        rolemap_formats::utf8_text(bytes, &name).map_err(rolemap_service::ServiceError::Import)?;
    Ok(InputFile { name, text })
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

/// A readiness figure as every output shows it: "93.3%", the gap report's one decimal.
fn percent(readiness: f64) -> String {
    format!("{readiness:.1}%")
}

fn level_code(level: &RequiredLevel) -> String {
    match level {
        RequiredLevel::Specified(l) => l.code().to_owned(),
        RequiredLevel::NotSpecified => "–".to_owned(),
    }
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
