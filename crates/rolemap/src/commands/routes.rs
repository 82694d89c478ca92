//! `rolemap routes`: the best routes from one role (or a person) to another, each step explained.

use std::io::Write;

use anyhow::Result;
use rolemap_service::Service;
use rolemap_service::dto::*;

use super::similar::gain_label;
use super::{emit, percent, plural};
use crate::cli::Output;
use crate::render::{Grid, heading, paragraph};

/// Finds the best routes between two roles.
#[expect(
    clippy::too_many_arguments,
    reason = "the command's own arguments, as the command line gives them"
)]
pub(super) async fn routes(
    service: &Service,
    roles: &[String],
    person: Option<&str>,
    to: Option<&str>,
    framework: Option<&str>,
    max_steps: u8,
    min_similarity: f32,
    k: u8,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let (from, to) = route_ends(roles, person, to)?;
    let routes = service
        .routes(&rolemap_service::RouteInput {
            from,
            person,
            to,
            framework,
            max_steps: usize::from(max_steps),
            min_similarity,
            k: usize::from(k),
        })
        .await?;
    let dto = RoutesDto::from(&routes);
    let mut grid = Grid::new([
        "route",
        "step",
        "id",
        "title",
        "level",
        "score",
        "readiness",
        "cost",
        "to gain",
        "raise",
    ]);
    for (number, route) in dto.routes.iter().enumerate() {
        for (step, s) in route.steps.iter().enumerate() {
            grid.row([
                (number + 1).to_string(),
                (step + 1).to_string(),
                s.role.id.to_string(),
                s.role.title.clone(),
                s.level.to_owned(),
                format!("{:.3}", s.similarity),
                s.readiness.map(|r| format!("{r:.1}")).unwrap_or_default(),
                format!("{:.3}", s.cost),
                s.to_gain.len().to_string(),
                s.raise.len().to_string(),
            ]);
        }
    }
    emit(out, output.format, &dto, &grid, |out| {
        show_routes(out, &routes, &dto)
    })
}

/// Which roles a `routes` command names as its start and destination.
fn route_ends<'a>(
    roles: &'a [String],
    person: Option<&str>,
    to: Option<&'a str>,
) -> Result<(Option<&'a str>, &'a str)> {
    match (roles, person, to) {
        ([from, to], None, None) => Ok((Some(from.as_str()), to.as_str())),
        ([from], None, Some(to)) => Ok((Some(from.as_str()), to)),
        ([], Some(_), Some(to)) => Ok((None, to)),
        ([to], Some(_), None) => Ok((None, to.as_str())),
        ([from], Some(_), Some(to)) => Ok((Some(from.as_str()), to)),
        _ => anyhow::bail!(
            "routes needs the roles to go from and to: `rolemap routes FROM TO`, \
             `rolemap routes FROM --to TO` or `rolemap routes --person P --to TO`"
        ),
    }
}

fn show_routes(
    out: &mut dyn Write,
    routes: &rolemap_service::Routes,
    dto: &RoutesDto,
) -> Result<()> {
    let start = match &routes.person {
        Some(person) => format!("{} ({})", person.name, routes.from.title),
        None => routes.from.title.clone(),
    };
    writeln!(
        out,
        "Routes from {start} to {} ({}): at most {} step{}, steps scoring at least {:.2}",
        routes.to.title,
        routes.to.framework_name,
        routes.max_steps,
        plural(routes.max_steps),
        routes.min_similarity
    )?;
    if dto.routes.is_empty() {
        write!(
            out,
            "No route reaches {} within {} step{}",
            routes.to.title,
            routes.max_steps,
            plural(routes.max_steps)
        )?;
        match &dto.closest {
            Some(c) => writeln!(
                out,
                ". The closest role within reach is {} ({}, score {:.3} to {}), {} step{} away.",
                c.role.title,
                c.role.framework,
                c.similarity,
                routes.to.title,
                c.steps,
                plural(c.steps as usize)
            )?,
            None => writeln!(
                out,
                "; {} role{} can be reached, none of them among the roles nearest {}.",
                routes.reachable,
                plural(routes.reachable),
                routes.to.title
            )?,
        }
        writeln!(
            out,
            "Try more steps (--max-steps) or a lower --min-similarity."
        )?;
        return Ok(());
    }
    for (number, route) in dto.routes.iter().enumerate() {
        let path: Vec<&str> = std::iter::once(routes.from.title.as_str())
            .chain(route.steps.iter().map(|s| s.role.title.as_str()))
            .collect();
        heading(
            out,
            &format!(
                "Route {} (cost {:.3}): {}",
                number + 1,
                route.cost,
                path.join(" → ")
            ),
        )?;
        for (step, s) in route.steps.iter().enumerate() {
            let readiness = s
                .readiness
                .map(|r| format!(", readiness {}", percent(r)))
                .unwrap_or_default();
            writeln!(
                out,
                "  {}. {} ({}): {}, score {:.3}{readiness}; {}",
                step + 1,
                s.role.title,
                s.role.framework,
                s.level,
                s.similarity,
                s.via.join("; ")
            )?;
            if !s.shared.is_empty() {
                paragraph(
                    out,
                    "     ",
                    &format!("Transferable ({}): {}", s.shared.len(), s.shared.join("; ")),
                )?;
            }
            if !s.raise.is_empty() {
                let raise: Vec<String> = s
                    .raise
                    .iter()
                    .map(|l| format!("{} from {} to {}", l.skill, l.from, l.to))
                    .collect();
                paragraph(out, "     ", &format!("Raise: {}", raise.join("; ")))?;
            }
            if !s.to_gain.is_empty() {
                let gain: Vec<String> = s.to_gain.iter().take(12).map(gain_label).collect();
                let more = s.to_gain.len().saturating_sub(12);
                let more = if more > 0 {
                    format!("; and {more} more (--format json)")
                } else {
                    String::new()
                };
                paragraph(
                    out,
                    "     ",
                    &format!("To gain ({}): {}{more}", s.to_gain.len(), gain.join("; ")),
                )?;
            }
            if !s.namesakes.is_empty() {
                let named: Vec<String> = s.namesakes.iter().map(namesake_label).collect();
                paragraph(
                    out,
                    "     ",
                    &format!(
                        "Same name, another skill ({}): {}",
                        s.namesakes.len(),
                        named.join("; ")
                    ),
                )?;
            }
        }
    }
    writeln!(out, "\n{}.", dto.formula)?;
    writeln!(out, "\nSource: {}", routes.to.attribution)?;
    Ok(())
}

/// A required skill named as a skill met on the way, and what tells the two apart.
fn namesake_label(n: &NamesakeDto) -> String {
    let essential = if n.importance == "essential" {
        ", essential"
    } else {
        ""
    };
    let met = match &n.met_level {
        Some(level) => format!("held at {level}"),
        None => "met on the way".to_owned(),
    };
    format!(
        "{} (the {}{essential}: not met; the {} of that name is {met})",
        n.skill, n.kind, n.met_kind
    )
}
