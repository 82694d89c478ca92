//! `rolemap search`: roles and skills found by their labels and descriptions.

use std::io::Write;

use anyhow::Result;
use rolemap_service::dto::*;
use rolemap_service::{SearchInput, Service};
use rolemap_store::ConceptKind;

use super::emit;
use crate::cli::SearchType;
use crate::render::Grid;

/// Searches roles and skills for `text`.
pub(super) async fn search(
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
