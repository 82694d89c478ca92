//! `rolemap frameworks`: the stored frameworks as a list.

use std::io::Write;

use anyhow::Result;
use rolemap_service::Service;
use rolemap_service::dto::*;

use super::emit;
use crate::cli::Output;
use crate::render::Grid;

/// Lists the stored frameworks.
pub(super) async fn list(service: &Service, output: Output, out: &mut dyn Write) -> Result<()> {
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
        output.format,
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
