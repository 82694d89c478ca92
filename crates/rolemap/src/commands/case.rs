//! `rolemap import case` and `rolemap export case`: CASE 1.0 packages (CFPackage JSON) in and out
//! through the store, the package's objects kept whole so that an export gives back what came in.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rolemap_formats::case::{self, CasePackage};
use rolemap_service::Service;

/// Reads a CFPackage, checks it, and stores the framework it describes with the package beside
/// it, all or nothing.
pub(super) async fn import(
    service: &Service,
    file: &Path,
    key: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let name = file.display().to_string();
    let reader = std::fs::File::open(file).with_context(|| format!("cannot open {name}"))?;
    let package = case::read(&name, std::io::BufReader::new(reader))
        .map_err(|problems| anyhow::anyhow!("{problems}"))?;
    store_package(service, &package, key, &name, out).await
}

/// Stores OpenSALT's CASE spreadsheet (sheets CF Doc, CF Item, CF Association, already read
/// from `name`) as `import` stores a CFPackage.
pub(super) async fn import_workbook(
    service: &Service,
    workbook: &rolemap_formats::sheets::Workbook,
    name: &str,
    key: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let package = case::sheets::from_sheets(name, workbook)
        .map_err(|problems| anyhow::anyhow!("{problems}"))?;
    store_package(service, &package, key, name, out).await
}

/// Stores a checked package (and the framework it describes) all or nothing, then applies its
/// same-concept associations as mappings (the service's import, as the import page's).
async fn store_package(
    service: &Service,
    package: &CasePackage,
    key: Option<&str>,
    name: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let imported = service
        .import_case_package(package, key, name, &rolemap_store::Actor::cli())
        .await?;
    let (outcome, mapped) = (imported.outcome, imported.mapped);
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
        "Imported CASE document {} as {} {}: {} items as skills, {} associations, {} rubrics ({} scales).",
        package.identifier(),
        outcome.key,
        outcome.version,
        package.items.len(),
        package.associations.len(),
        package.rubrics.len(),
        imported.scales,
    )?;
    if mapped > 0 {
        writeln!(
            out,
            "{mapped} association{} to skills of other stored frameworks applied as mappings.",
            super::plural(mapped)
        )?;
    }
    Ok(())
}

/// Writes a stored framework as a CFPackage, as the service builds it (the CASE API serves the
/// same package).
pub(super) async fn export(
    service: &Service,
    framework: &str,
    file: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let package = service.case_package(framework).await?;
    let name = file.display().to_string();
    let mut bytes = Vec::new();
    case::write(&package, &mut bytes)?;
    std::fs::write(file, &bytes).with_context(|| format!("cannot write {name}"))?;
    writeln!(
        out,
        "Exported {framework} as CASE to {name}: {} items, {} associations, {} rubrics.",
        package.items.len(),
        package.associations.len(),
        package.rubrics.len()
    )?;
    Ok(())
}
