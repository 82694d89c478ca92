//! `rolemap gap`: how far a person is from a role's requirements (or, with --text, a text).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use rolemap_core::gap::{GapReport, Status};
use rolemap_service::Service;
use rolemap_service::dto::*;

use super::{emit, percent};
use crate::cli::Output;
use crate::render::{Grid, heading, paragraph};

/// Shows a person's gap to a role, or the gap a text shows with --text.
pub(super) async fn gap(
    service: &Service,
    person: Option<String>,
    target: Option<String>,
    grade: Option<String>,
    text: Option<PathBuf>,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(file) = text {
        let target = target.context("--text needs --target ROLE")?;
        return crate::extract::text_gap(service, &file, &target, output.format, out).await;
    }
    let person = person.context("name a person, or give --text FILE")?;
    let who = service.person(&person).await?;
    let report = service
        .gap(&person, target.as_deref(), grade.as_deref())
        .await?;
    let grid = gap_grid(&report);
    emit(out, output.format, &GapDto::from(&report), &grid, |out| {
        show_gap(out, &who.name, &report, &grid)
    })
}

fn status_mark(status: Status) -> &'static str {
    match status {
        Status::Met => "met",
        Status::Above => "above",
        Status::Below => "BELOW",
        Status::Unassessed => "not assessed",
    }
}

pub(super) fn gap_grid(report: &GapReport) -> Grid {
    let mut grid = Grid::new([
        "skill",
        "importance",
        "required",
        "held",
        "assessed by",
        "status",
    ]);
    for line in &report.lines {
        grid.row([
            if line.emphasis {
                format!("{} *", line.skill.label)
            } else {
                line.skill.label.clone()
            },
            line.importance.as_str().to_owned(),
            line.required
                .level()
                .map_or_else(|| "not specified".to_owned(), |l| l.to_string()),
            line.held
                .as_ref()
                .map(|h| h.current.level.to_string())
                .unwrap_or_else(|| "–".to_owned()),
            line.held
                .as_ref()
                .map(|h| format!("{}, {}", h.current.source, h.current.date()))
                .unwrap_or_default(),
            status_mark(line.status).to_owned(),
        ]);
    }
    grid
}

pub(super) fn show_gap(
    out: &mut dyn Write,
    name: &str,
    report: &GapReport,
    grid: &Grid,
) -> Result<()> {
    let grade = report
        .grade
        .as_ref()
        .map(|g| format!(" at {g}"))
        .unwrap_or_default();
    writeln!(
        out,
        "\n{name} against {} ({}:{}){grade}",
        report.role.title, report.role.framework_key, report.role.key
    )?;
    let Some(readiness) = report.readiness else {
        writeln!(
            out,
            "{} lists no skill requirements: there is nothing to measure {name} against, and no \
             readiness figure.",
            report.role.title
        )?;
        writeln!(out, "Source: {}", report.attribution)?;
        return Ok(());
    };
    writeln!(
        out,
        "Readiness {}: {} met, {} above, {} below, {} not assessed",
        percent(readiness),
        report.count(Status::Met),
        report.count(Status::Above),
        report.count(Status::Below),
        report.count(Status::Unassessed)
    )?;
    writeln!(out, "{}", grid.to_text())?;
    heading(out, "Develop first")?;
    if report.development.is_empty() {
        writeln!(out, "  Nothing: every requirement is met.")?;
    }
    for (n, line) in report.development_lines().enumerate() {
        paragraph(out, &format!("  {}. ", n + 1), &line.why)?;
    }
    writeln!(
        out,
        "\nReadiness weighs essential skills 1, optional 0.5; a level below the minimum counts in proportion."
    )?;
    writeln!(out, "Source: {}", report.attribution)?;
    Ok(())
}
