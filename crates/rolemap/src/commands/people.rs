//! People and their assessments: `rolemap person add/show/list/edit/archive/unarchive` and
//! `rolemap assess`.

use std::io::Write;

use anyhow::Result;
use rolemap_core::Source;
use rolemap_service::dto::*;
use rolemap_service::{PersonDetail, PersonInput, Service, ServiceError, now};

use super::{emit, plural};
use crate::cli::{Output, SourceArg};
use crate::render::{Grid, heading};

/// Adds a person. A name already stored is refused, naming the flag that adds a second person of
/// that name on purpose.
pub(super) async fn add(
    service: &Service,
    input: PersonInput,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let person = match service
        .add_person(&input, &rolemap_store::Actor::cli(), &now())
        .await
    {
        Err(ServiceError::Invalid { field, message }) if field == "name" && !input.same_name => {
            return Err(ServiceError::invalid(
                field,
                format!(
                    "{message}; to add a second person of that name on purpose, give --same-name"
                ),
            )
            .into());
        }
        other => other?,
    };
    let dto = PersonDto::from(&person);
    let grid = people_grid(std::slice::from_ref(&person));
    emit(out, output.format, &dto, &grid, |out| {
        writeln!(
            out,
            "Added {} (id {}, key {}).",
            person.name, person.id, person.key
        )?;
        Ok(())
    })
}

/// Shows a person: current levels and the history of assessments.
pub(super) async fn show(
    service: &Service,
    person: &str,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let detail = service.person_detail(person).await?;
    let grid = history_grid(&detail);
    emit(
        out,
        output.format,
        &PersonDetailDto::from(&detail),
        &grid,
        |out| show_person(out, &detail, &grid),
    )
}

/// Edits a person (a change of manager is a move), as the operator.
pub(super) async fn edit(
    service: &Service,
    person: &str,
    patch: &rolemap_service::PersonPatch,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let person = service
        .edit_person(person, patch, &rolemap_store::Actor::cli(), &now())
        .await?;
    let grid = people_grid(std::slice::from_ref(&person));
    emit(
        out,
        output.format,
        &PersonDto::from(&person),
        &grid,
        |out| {
            writeln!(out, "Saved {} (key {}).", person.name, person.key)?;
            Ok(())
        },
    )
}

/// Archives a person, or brings them back, as the operator.
pub(super) async fn archive(
    service: &Service,
    person: &str,
    archived: bool,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let person = service
        .set_archived(person, archived, &rolemap_store::Actor::cli(), &now())
        .await?;
    let grid = people_grid(std::slice::from_ref(&person));
    emit(
        out,
        output.format,
        &PersonDto::from(&person),
        &grid,
        |out| {
            if archived {
                writeln!(
                    out,
                    "Archived {}: left out of lists and team pages, history kept.",
                    person.name
                )?;
            } else {
                writeln!(out, "{} is active again.", person.name)?;
            }
            Ok(())
        },
    )
}

/// Lists the people.
pub(super) async fn list(service: &Service, output: Output, out: &mut dyn Write) -> Result<()> {
    let people = service.people().await?;
    let grid = people_grid(&people);
    emit(
        out,
        output.format,
        &people.iter().map(PersonDto::from).collect::<Vec<_>>(),
        &grid,
        |out| {
            writeln!(out, "{}", grid.to_text())?;
            if people.iter().any(|p| p.demo) {
                writeln!(out, "(demo) marks demo data.")?;
            }
            Ok(())
        },
    )
}

/// Records an assessment of a person's skill.
#[expect(
    clippy::too_many_arguments,
    reason = "the command's own arguments, as the command line gives them"
)]
pub(super) async fn assess(
    service: &Service,
    person: &str,
    skill: &str,
    level: &str,
    source: SourceArg,
    note: &str,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let source = match source {
        SourceArg::SelfAssessed => Source::SelfAssessed,
        SourceArg::Manager => Source::Manager,
        SourceArg::Evidence => Source::Evidence,
    };
    let assessment = service
        .assess(
            person,
            skill,
            level,
            source,
            note,
            &rolemap_store::Actor::cli(),
            &now(),
        )
        .await?;
    let mut grid = Grid::new(["skill", "level", "source", "at"]);
    grid.row([
        assessment.skill_label.clone(),
        assessment.level.to_string(),
        source.to_string(),
        assessment.at.clone(),
    ]);
    emit(
        out,
        output.format,
        &AssessmentDto::from(&assessment),
        &grid,
        |out| {
            writeln!(
                out,
                "Recorded {}: {} ({}, {}).",
                assessment.skill_label,
                assessment.level,
                source,
                assessment.date()
            )?;
            Ok(())
        },
    )
}

fn people_grid(people: &[rolemap_core::Person]) -> Grid {
    let mut grid = Grid::new(["id", "key", "name", "role", "grade", "manager", "team"]);
    for p in people {
        let mut name = p.name.clone();
        if p.demo {
            name.push_str(" (demo)");
        }
        grid.row([
            p.id.to_string(),
            p.key.clone(),
            name,
            p.role.as_ref().map(|r| r.title.clone()).unwrap_or_default(),
            p.grade.clone().unwrap_or_default(),
            p.manager
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            p.team.clone(),
        ]);
    }
    grid
}

fn history_grid(detail: &PersonDetail) -> Grid {
    let mut grid = Grid::new(["at", "skill", "level", "source", "note"]);
    for a in &detail.history {
        grid.row([
            a.at.clone(),
            a.skill_label.clone(),
            a.level.to_string(),
            a.source.to_string(),
            a.note.clone(),
        ]);
    }
    grid
}

fn show_person(out: &mut dyn Write, detail: &PersonDetail, history: &Grid) -> Result<()> {
    let p = &detail.person;
    write!(out, "{}", p.name)?;
    if p.demo {
        write!(out, " (demo data)")?;
    }
    writeln!(out)?;
    let mut facts = vec![format!("id {}, key {}", p.id, p.key)];
    if let Some(role) = &p.role {
        facts.push(format!(
            "{} ({}:{})",
            role.title, role.framework_key, role.key
        ));
    }
    if let Some(grade) = &p.grade {
        facts.push(format!("grade {grade}"));
    }
    if let Some((_, manager)) = &p.manager {
        facts.push(format!("reports to {manager}"));
    }
    if !p.team.is_empty() {
        facts.push(p.team.clone());
    }
    writeln!(out, "{}", facts.join(" · "))?;
    heading(out, "Current levels")?;
    if detail.current.is_empty() {
        writeln!(out, "  no assessments yet")?;
    } else {
        let mut grid = Grid::new(["skill", "level", "from", "other views"]);
        for h in &detail.current {
            let others: Vec<String> = h
                .others
                .iter()
                .map(|o| format!("{} {} ({})", o.source, o.level.code(), o.date()))
                .collect();
            grid.row([
                h.current.skill_label.clone(),
                h.current.level.to_string(),
                format!("{}, {}", h.current.source, h.current.date()),
                others.join("; "),
            ]);
        }
        writeln!(out, "{}", grid.to_text())?;
        writeln!(
            out,
            "The current level is the latest from the most trusted source: evidence, then manager, then self."
        )?;
    }
    heading(
        out,
        &format!(
            "History ({} assessment{})",
            detail.history.len(),
            plural(detail.history.len())
        ),
    )?;
    if !detail.history.is_empty() {
        writeln!(out, "{}", history.to_text())?;
    }
    Ok(())
}
