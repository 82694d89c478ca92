//! Skills: `rolemap skills` lists them, `rolemap skill show` shows one and the roles requiring it.

use std::io::Write;

use anyhow::Result;
use rolemap_service::dto::*;
use rolemap_service::{Service, SkillDetail};
use rolemap_store::SkillFilter;

use super::{emit, esco_link, importance, plural};
use crate::cli::Output;
use crate::render::{Grid, heading, paragraph};

/// Lists the skills, filtered as asked.
pub(super) async fn list(
    service: &Service,
    framework: Option<String>,
    kind: Option<String>,
    tag: Option<String>,
    search: Option<String>,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let skills = service
        .skills(&SkillFilter {
            framework,
            text: search,
            kind,
            tag,
        })
        .await?;
    let mut grid = Grid::new(["id", "skill", "label", "kind", "reuse level", "tags"]);
    for s in &skills {
        grid.row([
            s.id.to_string(),
            format!("{}:{}", s.framework_key, s.key),
            s.label.clone(),
            s.kind.as_str().to_owned(),
            s.reuse.map(|r| r.as_str().to_owned()).unwrap_or_default(),
            s.tags.join(" "),
        ]);
    }
    emit(
        out,
        output.format,
        &skills.iter().map(SkillDto::from).collect::<Vec<_>>(),
        &grid,
        |out| {
            writeln!(
                out,
                "{}\n{} skill{}",
                grid.to_text(),
                skills.len(),
                plural(skills.len())
            )?;
            Ok(())
        },
    )
}

/// Shows one skill and the roles that require it.
pub(super) async fn show(
    service: &Service,
    skill: &str,
    framework: Option<&str>,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let detail = service.skill(skill, framework).await?;
    let mut grid = Grid::new(["role", "title", "importance"]);
    for (role, essential) in &detail.required_by {
        grid.row([
            // A URI key (ESCO's) is too long to read or type: the id names the role too.
            if role.key.contains("://") {
                role.id.to_string()
            } else {
                format!("{}:{}", role.framework_key, role.key)
            },
            role.title.clone(),
            importance(*essential).to_owned(),
        ]);
    }
    emit(
        out,
        output.format,
        &SkillDetailDto::from(&detail),
        &grid,
        |out| show_skill(out, &detail, &grid),
    )
}

fn show_skill(out: &mut dyn Write, detail: &SkillDetail, grid: &Grid) -> Result<()> {
    let s = &detail.skill;
    writeln!(out, "{}", s.label)?;
    let mut facts = vec![
        format!("{}:{} (id {})", s.framework_key, s.key, s.id),
        s.kind.as_str().to_owned(),
    ];
    if let Some(reuse) = s.reuse {
        facts.push(reuse.as_str().to_owned());
    }
    if !s.tags.is_empty() {
        facts.push(format!("tags: {}", s.tags.join(", ")));
    }
    writeln!(out, "{}", facts.join(" · "))?;
    if !s.description.is_empty() {
        heading(out, "Description")?;
        paragraph(out, "", &s.description)?;
    }
    if !s.alt_labels.is_empty() {
        heading(out, "Also known as")?;
        paragraph(out, "", &s.alt_labels.join("; "))?;
    }
    if let Some(scale) = &s.scale {
        heading(out, &format!("Levels ({})", scale.name()))?;
        for level in scale.levels() {
            writeln!(out, "  {} {}: {}", level.code, level.name, level.descriptor)?;
        }
    }
    if let Some(esco) = &detail.esco {
        if !esco.hidden_labels.is_empty() {
            heading(out, "Hidden labels (found by search)")?;
            paragraph(out, "", &esco.hidden_labels.join("; "))?;
        }
        if !esco.scope_note.is_empty() {
            heading(out, "Scope note")?;
            paragraph(out, "", &esco.scope_note)?;
        }
        if !esco.definition.is_empty() {
            heading(out, "Definition")?;
            paragraph(out, "", &esco.definition)?;
        }
        if !esco.broader.is_empty() {
            heading(out, "Broader")?;
            for link in &esco.broader {
                writeln!(out, "  {}", esco_link(link))?;
            }
        }
        if esco.path.len() > 1 {
            heading(out, "In the skills hierarchy")?;
            for (depth, link) in esco.path.iter().enumerate() {
                writeln!(out, "{}{}", "  ".repeat(depth + 1), esco_link(link))?;
            }
            writeln!(out, "{}{}", "  ".repeat(esco.path.len() + 1), s.label)?;
        }
        if !esco.related.is_empty() {
            heading(out, &format!("Related skills ({})", esco.related.len()))?;
            for r in &esco.related {
                let direction = if r.inbound {
                    format!("{} for it", r.importance)
                } else {
                    r.importance.clone()
                };
                let label = if r.skill.label.is_empty() {
                    &r.skill.uri
                } else {
                    &r.skill.label
                };
                writeln!(out, "  - {label} ({direction})")?;
            }
        }
    }
    let (essential, optional) = detail.requirement_counts();
    heading(
        out,
        &format!(
            "Required by {} role{} ({essential} essential, {optional} optional)",
            detail.required_by.len(),
            plural(detail.required_by.len()),
        ),
    )?;
    if !detail.required_by.is_empty() {
        if detail.required_by.len() <= SHOWN_ROLES {
            writeln!(out, "{}", grid.to_text())?;
        } else {
            writeln!(out, "{}", grid.head(SHOWN_ROLES).to_text())?;
            writeln!(
                out,
                "… and {} more (all of them with --format csv or json).",
                detail.required_by.len() - SHOWN_ROLES
            )?;
        }
    }
    if let Some(f) = &detail.framework {
        writeln!(out, "\nSource: {}", f.attribution)?;
    }
    Ok(())
}

/// Roles listed under a skill in the table output; the rest are counted.
const SHOWN_ROLES: usize = 25;
