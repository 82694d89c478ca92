//! `rolemap import xlsx|csv` and `rolemap export xlsx|csv`: frameworks as spreadsheets, in
//! rolemap's own layout (a whole framework) or OpenSALT's CASE layout (XLSX only).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rolemap_formats::case;
use rolemap_formats::framework_sheets;
use rolemap_formats::sheets::{self, Workbook};
use rolemap_service::Service;

use crate::cli::SheetLayout;

/// Reads an XLSX workbook and imports it in the layout its sheets show: OpenSALT's CASE
/// spreadsheet when it has a CF Item sheet, rolemap's otherwise.
pub(super) async fn import_xlsx(
    service: &Service,
    file: &Path,
    key: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {name}"))?;
    let workbook = sheets::read_xlsx(&name, &bytes).map_err(|p| anyhow::anyhow!("{p}"))?;
    let is_case = case::sheets::SHEETS
        .iter()
        .any(|sheet| workbook.sheet(sheet).is_some());
    if is_case {
        return super::case::import_workbook(service, &workbook, &name, key, out).await;
    }
    import_workbook(service, &workbook, &name, key, out).await
}

/// Reads the one-file CSV form of rolemap's spreadsheet layout and imports it.
pub(super) async fn import_csv(
    service: &Service,
    file: &Path,
    key: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {name}"))?;
    let workbook = framework_sheets::read_csv(&name, &bytes).map_err(|p| anyhow::anyhow!("{p}"))?;
    import_workbook(service, &workbook, &name, key, out).await
}

async fn import_workbook(
    service: &Service,
    workbook: &Workbook,
    name: &str,
    key: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let outcome = service
        .import_framework_sheets(name, workbook, key, &rolemap_store::Actor::cli())
        .await?;
    if outcome.created {
        writeln!(
            out,
            "Imported {name} as {} {}: {} skills, {} roles, {} links.",
            outcome.key, outcome.version, outcome.skills, outcome.roles, outcome.links
        )?;
    } else {
        writeln!(
            out,
            "{} {} is already stored; nothing changed.",
            outcome.key, outcome.version
        )?;
    }
    Ok(())
}

/// The sheets to write: the framework's, or the layout's template.
async fn workbook(
    service: &Service,
    framework: Option<&str>,
    layout: SheetLayout,
) -> Result<Workbook> {
    Ok(match (framework, layout) {
        (Some(framework), SheetLayout::Rolemap) => service.framework_sheets(framework).await?,
        (Some(framework), SheetLayout::Case) => {
            case::sheets::to_sheets(&service.case_package(framework).await?)
        }
        (None, SheetLayout::Rolemap) => framework_sheets::template(),
        (None, SheetLayout::Case) => case::sheets::template(),
    })
}

fn report(
    out: &mut dyn Write,
    framework: Option<&str>,
    workbook: &Workbook,
    name: &str,
) -> Result<()> {
    match framework {
        Some(framework) => {
            let rows: Vec<String> = workbook
                .sheets
                .iter()
                .map(|s| format!("{} {}", s.records().count(), s.name))
                .collect();
            writeln!(out, "Exported {framework} to {name}: {}.", rows.join(", "))?;
        }
        None => {
            let names: Vec<&str> = workbook.sheets.iter().map(|s| s.name.as_str()).collect();
            writeln!(out, "Wrote the template ({}) to {name}.", names.join(", "))?;
        }
    }
    Ok(())
}

/// Writes a framework (or the template) as XLSX.
pub(super) async fn export_xlsx(
    service: &Service,
    framework: Option<&str>,
    layout: SheetLayout,
    file: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let workbook = workbook(service, framework, layout).await?;
    let bytes = sheets::write_xlsx(&workbook).map_err(anyhow::Error::msg)?;
    let name = file.display().to_string();
    std::fs::write(file, &bytes).with_context(|| format!("cannot write {name}"))?;
    report(out, framework, &workbook, &name)
}

/// Writes a framework (or the template) as one CSV file in rolemap's layout.
pub(super) async fn export_csv(
    service: &Service,
    framework: Option<&str>,
    file: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let workbook = workbook(service, framework, SheetLayout::Rolemap).await?;
    let bytes = framework_sheets::write_csv(&workbook)?;
    let name = file.display().to_string();
    std::fs::write(file, &bytes).with_context(|| format!("cannot write {name}"))?;
    report(out, framework, &workbook, &name)
}
