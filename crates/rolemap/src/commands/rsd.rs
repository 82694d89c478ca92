//! `rolemap import rsd` and `rolemap export rsd`: OSMT Rich Skill Descriptors (JSON-LD, or OSMT's
//! skills CSV) in and out through the store, every object kept so that an export gives back what
//! came in.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rolemap_service::{RsdEncoding, Service};

/// Reads an RSD file (a `.csv` name: OSMT's skills CSV; otherwise JSON), checks it, and stores
/// the framework it describes with the file's objects beside it, all or nothing.
pub(super) async fn import(
    service: &Service,
    file: &Path,
    key: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {name}"))?;
    let encoding = RsdEncoding::from_file_name(&name);
    let imported = service
        .import_rsd(&name, &bytes, encoding, key, &rolemap_store::Actor::cli())
        .await?;
    let outcome = &imported.outcome;
    if !outcome.created {
        writeln!(
            out,
            "{} {} is already stored; nothing changed.",
            outcome.key, outcome.version
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "Imported {} RSD{} ({}) as {} {}: {} skills.",
        imported.skills,
        super::plural(imported.skills),
        if imported.identifier.is_empty() {
            "no identifier"
        } else {
            &imported.identifier
        },
        outcome.key,
        outcome.version,
        outcome.skills,
    )?;
    Ok(())
}

/// Writes a stored framework as RSDs: JSON-LD, or OSMT's skills CSV when `--out` ends in `.csv`
/// or `--csv` is given.
pub(super) async fn export(
    service: &Service,
    framework: &str,
    file: &Path,
    csv: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let name = file.display().to_string();
    let encoding = if csv {
        RsdEncoding::Csv
    } else {
        RsdEncoding::from_file_name(&name)
    };
    let (bytes, skills) = service.rsd_bytes(framework, encoding).await?;
    std::fs::write(file, &bytes).with_context(|| format!("cannot write {name}"))?;
    writeln!(
        out,
        "Exported {framework} as {} to {name}: {skills} skills.",
        match encoding {
            RsdEncoding::Json => "RSD JSON-LD",
            RsdEncoding::Csv => "OSMT skills CSV",
        }
    )?;
    Ok(())
}
