//! `rolemap import framework/people/transitions`: documents read and stored in one transaction.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use rolemap_service::{Service, now};

use super::{plural, read_input};

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

/// Imports movements of people between roles.
pub(super) async fn transitions(service: &Service, file: &Path, out: &mut dyn Write) -> Result<()> {
    let input = read_input(file)?;
    let (rows, people) = service.import_transitions(&input, &now()).await?;
    writeln!(
        out,
        "Imported {rows} movement{} between roles ({people} people) from {}.",
        plural(rows),
        file.display()
    )?;
    Ok(())
}

/// Imports people and their assessments.
pub(super) async fn people(service: &Service, file: &Path, out: &mut dyn Write) -> Result<()> {
    let input = read_input(file)?;
    let outcome = service.import_people(&input, &now()).await?;
    writeln!(
        out,
        "Imported {} people and {} assessments.",
        outcome.people, outcome.assessments
    )?;
    Ok(())
}
