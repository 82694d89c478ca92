//! `rolemap team matrix`: a manager's team against the skills its roles require.

use std::io::Write;

use anyhow::Result;
use rolemap_core::gap::Status;
use rolemap_core::matrix::TeamMatrix;
use rolemap_service::Service;
use rolemap_service::dto::*;

use super::{emit, level_code, percent, plural};
use crate::cli::Output;
use crate::render::{Grid, heading, paragraph};

/// Shows a manager's team matrix.
pub(super) async fn matrix(
    service: &Service,
    manager: &str,
    role: Option<&str>,
    grade: Option<&str>,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let matrix = service.team_matrix(manager, role, grade).await?;
    let dto = TeamMatrixDto::from(&*matrix);
    // CSV is one row per person and skill (held, required, status apart), as the web's is.
    let (headers, rows) = dto.csv_table();
    let grid = Grid { headers, rows };
    emit(out, output.format, &dto, &grid, |out| {
        show_matrix(out, &matrix, &grid)
    })
}

/// Short column names for a terminal: the initials of each skill's label ("Data and insight" -> DI).
fn initials(label: &str) -> String {
    let small = ["and", "of", "to", "at", "the", "in", "for", "a"];
    let letters: String = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !small.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        label.to_owned()
    } else {
        letters
    }
}

fn matrix_rows(m: &TeamMatrix, headers: Vec<String>) -> Grid {
    let mut grid = Grid {
        headers,
        rows: Vec::new(),
    };
    for row in &m.rows {
        let mut cells = vec![
            if row.person.demo {
                format!("{} (demo)", row.person.name)
            } else {
                row.person.name.clone()
            },
            row.person
                .role
                .as_ref()
                .map(|r| r.title.clone())
                .unwrap_or_default(),
            row.person.grade.clone().unwrap_or_default(),
            row.readiness.map(percent).unwrap_or_default(),
        ];
        for cell in &row.cells {
            let held = cell.held.as_ref().map_or("·", |h| h.current.level.code());
            let text = match (&cell.status, &cell.required) {
                (None, _) => held.to_owned(),
                (Some(status), Some(required)) => {
                    let mark = match status {
                        Status::Below | Status::Unassessed => "▼",
                        Status::Above => "▲",
                        Status::Met => "",
                    };
                    format!("{held}/{}{mark}", level_code(required))
                }
                (Some(_), None) => held.to_owned(),
            };
            cells.push(text);
        }
        grid.rows.push(cells);
    }
    grid
}

fn show_matrix(out: &mut dyn Write, m: &TeamMatrix, _grid: &Grid) -> Result<()> {
    writeln!(out, "Team of {} ({} people)", m.manager.name, m.rows.len())?;
    let mut headers = vec![
        "person".to_owned(),
        "role".to_owned(),
        "grade".to_owned(),
        "ready".to_owned(),
    ];
    let mut codes: Vec<String> = Vec::new();
    for skill in &m.skills {
        let mut code = initials(&skill.label);
        let base = code.clone();
        let mut n = 2;
        while codes.contains(&code) {
            code = format!("{base}{n}");
            n += 1;
        }
        codes.push(code);
    }
    headers.extend(codes.iter().cloned());
    writeln!(out, "{}", matrix_rows(m, headers).to_text())?;
    let legend: Vec<String> = codes
        .iter()
        .zip(&m.skills)
        .map(|(c, s)| format!("{c} {}", s.label))
        .collect();
    paragraph(out, "Skills: ", &legend.join("; "))?;
    writeln!(
        out,
        "Cells: held/required. ▼ below or not assessed, ▲ above, · not assessed, – no level published."
    )?;

    heading(out, "Single points of failure")?;
    let single: Vec<_> = m.single_points().collect();
    if single.is_empty() {
        writeln!(
            out,
            "  none: every skill the team needs is held by two or more people"
        )?;
    }
    for c in single {
        let bar = c
            .bar
            .as_ref()
            .map_or_else(|| "held".to_owned(), |l| l.to_string());
        writeln!(
            out,
            "  {}: only {} holds it at {bar} (the most any role here asks)",
            c.skill.label,
            c.holders.join("")
        )?;
    }
    let uncovered: Vec<_> = m.uncovered().collect();
    if !uncovered.is_empty() {
        heading(out, "Not held at the level needed by anyone")?;
        for c in uncovered {
            let bar = c
                .bar
                .as_ref()
                .map_or_else(|| "held".to_owned(), |l| l.to_string());
            writeln!(out, "  {} (needs {bar})", c.skill.label)?;
        }
    }

    heading(out, "Training needs")?;
    if m.training.is_empty() {
        writeln!(out, "  none: everyone meets their role's minimum levels")?;
    }
    for t in &m.training {
        let people: Vec<String> = t
            .people
            .iter()
            .map(|(name, held, required)| {
                format!(
                    "{name} {}→{}",
                    held.as_ref().map_or("·", |l| l.code()),
                    required.as_ref().map_or("held", |l| l.code())
                )
            })
            .collect();
        writeln!(
            out,
            "  {}: {} {}, {} level{} in all",
            t.skill.label,
            t.people.len(),
            if t.people.len() == 1 {
                "person"
            } else {
                "people"
            },
            t.total_steps,
            plural(t.total_steps as usize)
        )?;
        paragraph(out, "      ", &people.join(", "))?;
    }

    if let Some(s) = &m.succession {
        let grade = s
            .grade
            .as_ref()
            .map(|g| format!(" at {g}"))
            .unwrap_or_default();
        heading(
            out,
            &format!("Succession: closest to ready for {}{grade}", s.role.title),
        )?;
        if s.candidates.iter().all(|c| c.report.readiness.is_none()) {
            writeln!(
                out,
                "  {} lists no skill requirements, so nobody can be ranked for it by readiness.",
                s.role.title
            )?;
            return Ok(());
        }
        for (n, c) in s.candidates.iter().enumerate().take(5) {
            let gaps: Vec<String> = c
                .report
                .development_lines()
                .map(|l| l.skill.label.clone())
                .collect();
            writeln!(
                out,
                "  {}. {} ({}){}",
                n + 1,
                c.person.name,
                c.report.readiness.map_or_else(
                    || "no skill requirements".to_owned(),
                    |r| format!("{} ready", percent(r))
                ),
                if gaps.is_empty() {
                    String::new()
                } else {
                    format!(": to develop {}", gaps.join(", "))
                }
            )?;
        }
    }
    Ok(())
}
