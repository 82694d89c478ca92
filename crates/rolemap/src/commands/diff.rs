//! `rolemap export framework` and `rolemap diff`: a stored framework version written back as its
//! document, and what changed between two versions.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rolemap_service::Service;
use rolemap_service::dto::FrameworkDiffDto;

use super::{emit, plural};
use crate::cli::Output;
use crate::render::Grid;

/// Writes a stored framework version as the framework document.
pub(super) async fn export(
    service: &Service,
    framework: &str,
    version: Option<&str>,
    file: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let bundle = service.framework_bundle(framework, version).await?;
    let text = rolemap_formats::write_framework(&bundle);
    let name = file.display().to_string();
    std::fs::write(file, text.as_bytes()).with_context(|| format!("cannot write {name}"))?;
    writeln!(
        out,
        "Exported {} {} to {name}: {} role{}, {} skill{}, {} link{}.",
        bundle.framework.key,
        bundle.framework.version,
        bundle.roles.len(),
        plural(bundle.roles.len()),
        bundle.skills.len(),
        plural(bundle.skills.len()),
        bundle.links.len(),
        plural(bundle.links.len()),
    )?;
    Ok(())
}

/// What changed from one version to another, a line a change.
pub(super) async fn diff(
    service: &Service,
    framework: &str,
    from: &str,
    to: &str,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let diff = service.framework_diff(framework, from, to).await?;
    let mut grid = Grid::new(["item", "key", "change", "field", "before", "after"]);
    for c in &diff.changes {
        grid.row([
            c.item.as_str().to_owned(),
            c.key.clone(),
            c.change.as_str().to_owned(),
            c.field.clone().unwrap_or_default(),
            c.before.clone().unwrap_or_default(),
            c.after.clone().unwrap_or_default(),
        ]);
    }
    let dto = FrameworkDiffDto::from(&diff);
    emit(out, output.format, &dto, &grid, |out| {
        if diff.changes.is_empty() {
            writeln!(out, "{framework} {from} and {to} hold the same content.")?;
            return Ok(());
        }
        writeln!(
            out,
            "{framework} from {from} to {to}: {} added, {} removed, {} changed.",
            dto.added, dto.removed, dto.changed
        )?;
        writeln!(out, "{}", grid.to_text())?;
        Ok(())
    })
}
