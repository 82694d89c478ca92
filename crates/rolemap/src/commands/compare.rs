//! `rolemap compare`: two roles side by side, the skills they share and the skills only one requires.

use std::io::Write;

use anyhow::Result;
use rolemap_core::compare::Comparison;
use rolemap_service::Service;
use rolemap_service::dto::*;

use super::{emit, level_code};
use crate::cli::Output;
use crate::render::{Grid, heading, paragraph};

/// Compares two roles.
pub(super) async fn compare(
    service: &Service,
    role_a: &str,
    role_b: &str,
    (grade_a, grade_b): (Option<&str>, Option<&str>),
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let comparison = service.compare_at(role_a, role_b, grade_a, grade_b).await?;
    let grid = comparison_grid(&comparison);
    emit(
        out,
        output.format,
        &ComparisonDto::from(&comparison),
        &grid,
        |out| show_comparison(out, &comparison, &grid),
    )
}

fn comparison_grid(c: &Comparison) -> Grid {
    let mut grid = Grid::new(["skill", "in", "grade", &c.a.title, &c.b.title, "difference"]);
    for s in &c.shared {
        for g in &s.grades {
            grid.row([
                s.skill.label.clone(),
                "both".to_owned(),
                g.grade.clone(),
                g.a.as_ref().map(level_code).unwrap_or_default(),
                g.b.as_ref().map(level_code).unwrap_or_default(),
                g.difference.map(|d| format!("{d:+}")).unwrap_or_default(),
            ]);
        }
        if s.grades.is_empty() {
            grid.row([
                s.skill.label.clone(),
                "both".to_owned(),
                String::new(),
                level_code(&s.a_level),
                level_code(&s.b_level),
                String::new(),
            ]);
        }
    }
    if let Some(grades) = step_grades(c) {
        for s in &c.shared {
            grid.row([
                s.skill.label.clone(),
                "step".to_owned(),
                grades.clone(),
                level_code(&s.step.a),
                level_code(&s.step.b),
                s.step
                    .difference
                    .map(|d| format!("{d:+}"))
                    .unwrap_or_default(),
            ]);
        }
    }
    for (side, list) in [("A only", &c.only_a), ("B only", &c.only_b)] {
        for o in list {
            grid.row([
                o.skill.label.clone(),
                side.to_owned(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    grid
}

fn show_comparison(out: &mut dyn Write, c: &Comparison, _grid: &Grid) -> Result<()> {
    writeln!(
        out,
        "A: {} ({}:{})\nB: {} ({}:{})",
        c.a.title, c.a.framework_key, c.a.key, c.b.title, c.b.framework_key, c.b.key
    )?;
    let mut facts = Grid::new(["", &c.a.title, &c.b.title]);
    for f in c
        .facts
        .iter()
        .filter(|f| !(f.a.is_empty() && f.b.is_empty()))
    {
        facts.row([f.name.clone(), f.a.clone(), f.b.clone()]);
    }
    heading(out, "The roles")?;
    writeln!(out, "{}", facts.to_text())?;
    if !c.dimensions.is_empty() {
        heading(out, "Dimensions")?;
        let mut dims = Grid::new(["dimension", &c.a.title, &c.b.title]);
        for d in &c.dimensions {
            dims.row([d.name.clone(), d.a.clone(), d.b.clone()]);
        }
        writeln!(out, "{}", dims.to_text())?;
    }
    heading(out, &format!("Skills in both ({})", c.shared.len()))?;
    if c.shared.is_empty() {
        writeln!(out, "  none")?;
    }
    for s in &c.shared {
        let cells: Vec<String> = s
            .grades
            .iter()
            .filter(|g| g.a.is_some() || g.b.is_some())
            .map(|g| {
                let a =
                    g.a.as_ref()
                        .map(level_code)
                        .unwrap_or_else(|| "·".to_owned());
                let b =
                    g.b.as_ref()
                        .map(level_code)
                        .unwrap_or_else(|| "·".to_owned());
                match g.difference {
                    Some(d) if d != 0 => format!("{}: {a}→{b} ({d:+})", g.grade),
                    _ => format!("{}: {a}/{b}", g.grade),
                }
            })
            .collect();
        writeln!(
            out,
            "  {} ({} in A, {} in B)",
            s.skill.label,
            s.a_importance.as_str(),
            s.b_importance.as_str()
        )?;
        if !cells.is_empty() {
            paragraph(out, "      ", &cells.join("  "))?;
        }
    }
    if c.shared.iter().any(|s| !s.grades.is_empty()) {
        writeln!(
            out,
            "  (grade: A/B levels; · the role is not found at that grade; – no level published)"
        )?;
    }
    if let Some(grades) = step_grades(c)
        && !c.shared.is_empty()
    {
        show_step(out, c, &grades)?;
    }
    for (title, list) in [
        (format!("Only in {}", c.a.title), &c.only_a),
        (format!("Only in {}", c.b.title), &c.only_b),
    ] {
        heading(out, &format!("{title} ({})", list.len()))?;
        if list.is_empty() {
            writeln!(out, "  none")?;
        }
        for o in list {
            writeln!(out, "  {} ({})", o.skill.label, o.importance.as_str())?;
        }
    }
    writeln!(out, "\nSources: {}", c.attributions.join(" "))?;
    Ok(())
}

/// "SEO → G7": the grades of the step from A to B, where either role has grades.
fn step_grades(c: &Comparison) -> Option<String> {
    if c.step.a_grade.is_none() && c.step.b_grade.is_none() {
        return None;
    }
    let a = c.step.a_grade.as_deref().unwrap_or("no grades");
    let b = c.step.b_grade.as_deref().unwrap_or("no grades");
    Some(format!("{a} → {b}"))
}

/// The step from A to B: each shared skill at A's grade against B's, and the levels to raise.
fn show_step(out: &mut dyn Write, c: &Comparison, grades: &str) -> Result<()> {
    let at = |title: &str, grade: &Option<String>, grades: &[String], which: &str| match grade {
        Some(g) if grades.last() == Some(g) && which == "top" => {
            format!("{title} at {g} (its top grade)")
        }
        Some(g) if grades.first() == Some(g) && which == "entry" => {
            format!("{title} at {g} (its entry grade)")
        }
        Some(g) => format!("{title} at {g}"),
        None => title.to_owned(),
    };
    heading(out, &format!("The step from A to B ({grades})"))?;
    writeln!(
        out,
        "  {} against {}",
        at(&c.a.title, &c.step.a_grade, &c.a.grades, "top"),
        at(&c.b.title, &c.step.b_grade, &c.b.grades, "entry")
    )?;
    for s in &c.shared {
        let change = match s.step.difference {
            None => "no levels to compare".to_owned(),
            Some(d) if d > 0 => format!("raise {d} level{}", if d == 1 { "" } else { "s" }),
            Some(d) if d < 0 => format!("B asks {} less", -d),
            Some(_) => "same level".to_owned(),
        };
        writeln!(
            out,
            "  {}: {} → {}, {change}",
            s.skill.label,
            level_code(&s.step.a),
            level_code(&s.step.b)
        )?;
    }
    let (skills, levels) = c.to_raise();
    if c.step_compared() == 0 {
        writeln!(
            out,
            "  No shared skill has a level on both sides: the step cannot be compared level by level."
        )?;
    } else if skills == 0 {
        writeln!(out, "  No shared skill needs raising.")?;
    } else {
        writeln!(
            out,
            "  {skills} of {} shared skills need raising, {levels} level{} in all.",
            c.shared.len(),
            if levels == 1 { "" } else { "s" }
        )?;
    }
    writeln!(out, "  (other grades: --grade-a, --grade-b)")?;
    Ok(())
}
