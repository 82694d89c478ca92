//! `rolemap progression`: a role's progression map, the roles like it or linked to it in bands
//! above, at and below its level.

use std::io::Write;

use anyhow::Result;
use rolemap_service::Service;
use rolemap_service::dto::*;

use super::emit;
use crate::cli::{Format, MapFormat};
use crate::render::{Grid, heading};

/// Shows a role's progression map as a table, JSON, CSV, DOT or SVG.
pub(super) async fn progression(
    service: &Service,
    role: &str,
    framework: Option<&str>,
    limit: u16,
    format: MapFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let map = service
        .progression(role, framework, usize::from(limit))
        .await?;
    let dto = SimilarDto::from(&map);
    let mut grid = Grid::new([
        "band",
        "title",
        "score",
        "route cost",
        "route steps",
        "link",
        "shared",
        "to gain",
    ]);
    for band in BANDS {
        for n in dto.neighbours.iter().filter(|n| n.level == band) {
            grid.row([
                band.to_owned(),
                n.role.title.clone(),
                format!("{:.3}", n.score),
                n.route
                    .as_ref()
                    .map(|r| format!("{:.3}", r.cost))
                    .unwrap_or_default(),
                n.route
                    .as_ref()
                    .map(|r| r.steps.to_string())
                    .unwrap_or_default(),
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
            match &n.route {
                Some(r) => line.push_str(&format!(
                    ", route cost {:.3} in {} step{}",
                    r.cost,
                    r.steps,
                    if r.steps == 1 { "" } else { "s" }
                )),
                None => line.push_str(", no route within 4 steps"),
            }
            if let Some(link) = &n.link {
                line.push_str(&format!("; {link}"));
            }
            let essential = n
                .to_gain
                .iter()
                .filter(|g| g.importance == "essential")
                .count();
            line.push_str(&format!(
                "; {} shared, {} to gain ({essential} essential), {} to raise",
                n.shared.len(),
                n.to_gain.len(),
                n.raise.len()
            ));
            writeln!(out, "{line}")?;
        }
    }
    if dto.neighbours.is_empty() {
        writeln!(out, "No role is like it or linked to it.")?;
    }
    writeln!(out, "\n{}.", dto.formula)?;
    writeln!(
        out,
        "Route cost: the cheapest route there, as `rolemap routes` costs it (steps up cost least)."
    )?;
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
