//! `rolemap import framework/people/transitions/onet` and `rolemap export onet`: documents and
//! releases read and stored in one transaction, and a release written back.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rolemap_service::dto::PeopleSyncDto;
use rolemap_service::{PeopleSync, Service, SyncedPerson, now};

use super::{emit, plural, read_input};
use crate::cli::Output;
use crate::render::Grid;

/// Imports framework documents.
pub(super) async fn framework(
    service: &Service,
    files: &[PathBuf],
    out: &mut dyn Write,
) -> Result<()> {
    let inputs = files
        .iter()
        .map(|p| read_input(p))
        .collect::<Result<Vec<_>>>()?;
    let outcomes = service
        .import_frameworks(&inputs, &rolemap_store::Actor::cli(), &now())
        .await?;
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

/// Imports movements of people between roles.
pub(super) async fn transitions(service: &Service, file: &Path, out: &mut dyn Write) -> Result<()> {
    let input = read_input(file)?;
    let (rows, people) = service
        .import_transitions(&input, &rolemap_store::Actor::cli(), &now())
        .await?;
    writeln!(
        out,
        "Imported {rows} movement{} between roles ({people} people) from {}.",
        plural(rows),
        file.display()
    )?;
    Ok(())
}

/// Imports people and their assessments (TOML), or people from a CSV file (by its extension).
pub(super) async fn people(
    service: &Service,
    file: &Path,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let input = read_input(file)?;
    let csv = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if csv {
        let sync = service
            .import_people_csv(&input, &rolemap_store::Actor::cli(), &now())
            .await?;
        return people_sync(&sync, output, out);
    }
    let outcome = service
        .import_people(&input, &rolemap_store::Actor::cli(), &now())
        .await?;
    writeln!(
        out,
        "Imported {} people and {} assessments.",
        outcome.people, outcome.assessments
    )?;
    Ok(())
}

/// What a CSV people import did: a table of everyone in the file and how they came out.
fn people_sync(sync: &PeopleSync, output: Output, out: &mut dyn Write) -> Result<()> {
    let mut rows: Vec<(&'static str, &SyncedPerson)> = Vec::new();
    rows.extend(sync.created.iter().map(|p| ("created", p)));
    rows.extend(sync.updated.iter().map(|p| ("updated", p)));
    rows.extend(sync.unchanged.iter().map(|p| ("unchanged", p)));
    rows.sort_by_key(|(_, p)| p.line);
    let mut grid = Grid::new(["line", "outcome", "key", "name", "manager", "team"]);
    for (outcome, synced) in &rows {
        let p = &synced.person;
        grid.row([
            synced.line.to_string(),
            (*outcome).to_owned(),
            p.key.clone(),
            p.name.clone(),
            p.manager
                .as_ref()
                .map_or_else(String::new, |(_, name)| name.clone()),
            p.team.clone(),
        ]);
    }
    emit(
        out,
        output.format,
        &PeopleSyncDto::from(sync),
        &grid,
        |out| {
            writeln!(out, "{}", grid.to_text())?;
            writeln!(
                out,
                "{} created, {} updated, {} unchanged.",
                sync.created.len(),
                sync.updated.len(),
                sync.unchanged.len()
            )?;
            Ok(())
        },
    )
}

/// Imports an O*NET text release from its folder.
pub(super) async fn onet(
    service: &Service,
    dir: &Path,
    version: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let data = {
        let dir = dir.to_owned();
        let version = version.map(str::to_owned);
        tokio::task::spawn_blocking(move || rolemap_formats::onet::open(&dir, version.as_deref()))
            .await?
            .map_err(|problems| anyhow::anyhow!("{problems}"))?
    };
    let outcome = service
        .import_onet(&data, &rolemap_store::Actor::cli(), &now())
        .await?;
    if !outcome.created {
        writeln!(
            out,
            "{} {} is already stored; nothing changed.",
            outcome.key, outcome.version
        )?;
        return Ok(());
    }
    let occupations = &data.occupations;
    let tasks: usize = occupations.iter().map(|o| o.tasks.len()).sum();
    let titles: usize = occupations
        .iter()
        .map(|o| o.alternate_titles.len() + o.short_titles.len() + o.reported_titles.len())
        .sum();
    let rated = occupations.iter().filter(|o| !o.ratings.is_empty()).count();
    let (ratings, requirements) = data.rating_counts();
    writeln!(
        out,
        "Imported O*NET {} as {} {}: {} occupations as roles ({rated} with skill ratings), \
         {tasks} tasks as duties, {} skills, {requirements} skill ratings as requirements \
         ({} not relevant or suppressed left out), {titles} alternate, short and reported \
         titles, {} related-occupation links.",
        data.release,
        outcome.key,
        outcome.version,
        occupations.len(),
        data.skills.len(),
        ratings - requirements,
        outcome.links,
    )?;
    Ok(())
}

/// Writes a framework imported from an O*NET release back as the release's files, into `dir`.
pub(super) async fn export_onet(
    service: &Service,
    framework: &str,
    dir: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let (data, files) = service.onet_files(framework).await?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot make {}", dir.display()))?;
    for file in &files {
        let path = dir.join(file.name);
        std::fs::write(&path, &file.text)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let tasks: usize = data.occupations.iter().map(|o| o.tasks.len()).sum();
    let (ratings, _) = data.rating_counts();
    writeln!(
        out,
        "Exported {framework} as the O*NET {} text release to {}: {} files, {} occupations, \
         {tasks} tasks, {} skills, {ratings} skill ratings, {} related-occupation links.",
        data.release,
        dir.display(),
        files.len(),
        data.occupations.len(),
        data.skills.len(),
        data.related.len(),
    )?;
    Ok(())
}
