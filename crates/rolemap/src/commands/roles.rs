//! Roles: `rolemap roles` lists them, `rolemap role show` shows one in full, `rolemap jd`
//! writes one's job description.

use std::io::Write;

use anyhow::Result;
use rolemap_core::Role;
use rolemap_formats::jd as jd_doc;
use rolemap_service::Service;
use rolemap_service::dto::*;
use rolemap_store::RoleFilter;

use super::{emit, esco_link, level_code, plural};
use crate::cli::{JdFormat, Output};
use crate::render::{Grid, heading, paragraph, write_json};

/// Lists the roles, of one framework or family if asked.
pub(super) async fn list(
    service: &Service,
    framework: Option<String>,
    family: Option<String>,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let roles = service.roles(&RoleFilter { framework, family }).await?;
    // Where a framework has more than one version stored, its roles are listed once per
    // version, the same framework:key each time: the version tells them apart.
    let mut versions: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        std::collections::BTreeMap::new();
    for r in &roles {
        if let Some(version) = &r.framework_version {
            versions
                .entry(&r.framework_key)
                .or_default()
                .insert(version);
        }
    }
    let versioned = |key: &str| versions.get(key).is_some_and(|v| v.len() > 1);
    let show_versions = roles.iter().any(|r| versioned(&r.framework_key));
    let mut header = vec!["id", "role", "title", "family", "level", "grades"];
    if show_versions {
        header.insert(2, "version");
    }
    let mut grid = Grid::new(header);
    for r in &roles {
        let mut row = vec![
            r.id.to_string(),
            format!("{}:{}", r.framework_key, r.key),
            r.title.clone(),
            r.family.clone().unwrap_or_default(),
            r.level.map(|l| l.to_string()).unwrap_or_default(),
            r.grades.join(" "),
        ];
        if show_versions {
            let version = if versioned(&r.framework_key) {
                r.framework_version.clone().unwrap_or_default()
            } else {
                String::new()
            };
            row.insert(2, version);
        }
        grid.row(row);
    }
    emit(
        out,
        output.format,
        &roles.iter().map(RoleSummaryDto::from).collect::<Vec<_>>(),
        &grid,
        |out| {
            writeln!(
                out,
                "{}\n{} role{}",
                grid.to_text(),
                roles.len(),
                plural(roles.len())
            )?;
            Ok(())
        },
    )
}

/// Shows one role: its facts, texts, requirements and links.
pub(super) async fn show(
    service: &Service,
    role: &str,
    framework: Option<&str>,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let role = service.role(role, framework).await?;
    let esco = service.role_esco(role.id).await?;
    let grid = requirements_grid(&role);
    let mut dto = RoleDto::from(&role);
    dto.esco = esco.as_deref().map(EscoDto::from);
    emit(out, output.format, &dto, &grid, |out| {
        show_role(out, &role, esco.as_deref(), &grid)
    })
}

/// Writes a role's job description, at a grade if given.
pub(super) async fn jd(
    service: &Service,
    role: &str,
    grade: Option<&str>,
    format: JdFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let jd = service.job_description(role, grade).await?;
    match format {
        JdFormat::Md => write!(out, "{}", jd_doc::to_markdown(&jd))?,
        JdFormat::Html => write!(out, "{}", jd_doc::to_html(&jd))?,
        JdFormat::Json => write_json(out, &JobDescriptionDto::from(&jd))?,
    }
    Ok(())
}

fn requirements_grid(role: &Role) -> Grid {
    let mut headers = vec![
        "skill".to_owned(),
        "kind".to_owned(),
        "importance".to_owned(),
    ];
    // A note says what the level stands for where the source gives more than a level (O*NET's
    // importance and level as published).
    let notes = role.grades.is_empty() && role.requirements.iter().any(|r| !r.note.is_empty());
    if role.grades.is_empty() {
        headers.push("reuse level".to_owned());
        headers.push("level".to_owned());
        if notes {
            headers.push("note".to_owned());
        }
    } else {
        headers.extend(role.grades.iter().cloned());
    }
    let mut grid = Grid {
        headers,
        rows: Vec::new(),
    };
    for req in &role.requirements {
        let mut label = req.skill.label.clone();
        if req.emphasis {
            label.push_str(" *");
        }
        let mut row = vec![
            label,
            req.skill.kind.as_str().to_owned(),
            req.importance.as_str().to_owned(),
        ];
        if role.grades.is_empty() {
            row.push(
                req.skill
                    .reuse
                    .map(|r| r.as_str().to_owned())
                    .unwrap_or_default(),
            );
            row.push(level_code(&req.level));
            if notes {
                row.push(req.note.clone());
            }
        } else {
            row.extend(
                role.grades
                    .iter()
                    .map(|g| level_code(&req.required_at(Some(g)))),
            );
        }
        if !req.skill.tags.is_empty() && role.grades.is_empty() {
            row[0].push_str(&format!(" [{}]", req.skill.tags.join(", ")));
        }
        grid.rows.push(row);
    }
    grid
}

fn show_role(
    out: &mut dyn Write,
    role: &Role,
    esco: Option<&rolemap_store::EscoDetail>,
    grid: &Grid,
) -> Result<()> {
    writeln!(out, "{}", role.title)?;
    // ESCO's keys are URIs, no name for people: the id names such a role.
    let mut facts = vec![if rolemap_core::label::readable_key(&role.key) {
        format!(
            "{} ({}:{}, id {})",
            role.framework_name, role.framework_key, role.key, role.id
        )
    } else {
        format!("{} (id {})", role.framework_name, role.id)
    }];
    if let Some(family) = &role.family {
        facts.push(format!("Job family: {}", family.name));
    }
    if let Some(level) = role.level {
        facts.push(format!("Level {level}"));
    }
    if !role.grades.is_empty() {
        facts.push(format!("Grades: {}", role.grades.join(", ")));
    }
    for code in &role.codes {
        facts.push(format!("{} {}", code.scheme, code.value));
    }
    if !role.duration.is_empty() {
        facts.push(format!("Duration: {}", role.duration));
    }
    if let Some(esco) = esco {
        if !esco.code.is_empty() {
            facts.push(format!("ESCO code {}", esco.code));
        }
        if !esco.status.is_empty() {
            facts.push(esco.status.clone());
        }
    }
    writeln!(out, "{}", facts.join(" · "))?;
    if let Some(esco) = esco {
        if !esco.path.is_empty() {
            heading(out, "ISCO path")?;
            for (depth, link) in esco.path.iter().enumerate() {
                writeln!(out, "{}{}", "  ".repeat(depth + 1), esco_link(link))?;
            }
            writeln!(out, "{}{}", "  ".repeat(esco.path.len() + 1), role.title)?;
        }
        if !role.alt_titles.is_empty() {
            heading(out, "Alternative labels")?;
            paragraph(out, "", &role.alt_titles.join("; "))?;
        }
        if !esco.hidden_labels.is_empty() {
            heading(out, "Hidden labels (found by search)")?;
            paragraph(out, "", &esco.hidden_labels.join("; "))?;
        }
        if let Some(note) = esco.regulated.rsplit('/').next().filter(|n| !n.is_empty()) {
            writeln!(out, "\nRegulated profession: {note}")?;
        }
    }
    if !role.summary.is_empty() {
        heading(out, "Role summary")?;
        paragraph(out, "", &role.summary)?;
    }
    if !role.description.is_empty() {
        heading(out, "Description")?;
        paragraph(out, "", &role.description)?;
    }
    if let Some(esco) = esco {
        if !esco.definition.is_empty() {
            heading(out, "Definition")?;
            paragraph(out, "", &esco.definition)?;
        }
        if !esco.scope_note.is_empty() {
            heading(out, "Scope note")?;
            paragraph(out, "", &esco.scope_note)?;
        }
    }
    if !role.responsibilities.is_empty() {
        heading(out, "Typical responsibilities")?;
        for r in &role.responsibilities {
            paragraph(out, "  - ", r)?;
        }
    }
    if !role.duties.is_empty() {
        heading(out, "Duties")?;
        for d in &role.duties {
            if d.category.is_empty() {
                writeln!(out, "  Duty {}: {}", d.number, d.text)?;
            } else {
                writeln!(out, "  Duty {} ({}): {}", d.number, d.category, d.text)?;
            }
        }
    }
    if !role.dimensions.is_empty() {
        heading(out, "Dimensions")?;
        for d in &role.dimensions {
            writeln!(out, "  {}:", d.name)?;
            paragraph(out, "    ", &d.text)?;
        }
    }
    if !role.requirements.is_empty() {
        let essential = role
            .requirements
            .iter()
            .filter(|r| r.importance == rolemap_core::Importance::Essential)
            .count();
        heading(
            out,
            &format!(
                "Skills ({} essential, {} optional)",
                essential,
                role.requirements.len() - essential
            ),
        )?;
        if role.grades.is_empty() && role.requirements.iter().all(|r| r.level.level().is_none()) {
            show_requirement_groups(out, role)?;
        } else {
            writeln!(out, "{}", grid.to_text())?;
        }
        if let Some(scale) = role
            .requirements
            .iter()
            .find_map(|r| r.skill.scale.as_ref())
        {
            if role.requirements.iter().any(|r| {
                r.level.level().is_some() || r.levels.iter().any(|(_, l)| l.level().is_some())
            }) {
                writeln!(
                    out,
                    "Levels: {}. – means no minimum level is published.",
                    scale.valid_list()
                )?;
            } else {
                writeln!(
                    out,
                    "The framework sets no minimum levels for this role; assess on {}.",
                    scale.valid_list()
                )?;
            }
        }
        if role.requirements.iter().any(|r| r.emphasis) {
            writeln!(out, "* of specific note for this role")?;
        }
    }
    if !role.routes_in.is_empty() {
        heading(out, "Routes in")?;
        paragraph(out, "", &role.routes_in)?;
    }
    if !role.transferable_skills.is_empty() {
        heading(out, "Transferable skills")?;
        paragraph(out, "", &role.transferable_skills)?;
    }
    if !role.typical_titles.is_empty() {
        heading(out, "Typical job titles")?;
        paragraph(out, "", &role.typical_titles.join(", "))?;
    }
    if !role.typical_employers.is_empty() {
        heading(out, "Typical employers")?;
        paragraph(out, "", &role.typical_employers)?;
    }
    if !role.links.is_empty() {
        heading(out, "Linked roles")?;
        for link in &role.links {
            let arrow = match (link.kind, link.incoming) {
                (rolemap_core::LinkKind::Route, true) => "route in from",
                (rolemap_core::LinkKind::Route, false) => "route on to",
                (rolemap_core::LinkKind::Equivalent, _) => "same kind of role as",
                (rolemap_core::LinkKind::Related, _) => "related to",
            };
            writeln!(
                out,
                "  {arrow} {} ({}:{})",
                link.other.title, link.other.framework_key, link.other.key
            )?;
            if !link.note.is_empty() {
                paragraph(out, "      ", &link.note)?;
            }
        }
    }
    writeln!(out, "\nSource: {}", role.attribution)?;
    Ok(())
}

/// Requirements grouped as ESCO shows them: essential and optional, knowledge and skills, then by
/// reuse level from the most specific to the most transferable.
fn show_requirement_groups(out: &mut dyn Write, role: &Role) -> Result<()> {
    for group in role.requirement_groups() {
        writeln!(out, "\n{} ({})", group.title, group.count)?;
        for (reuse, bucket) in group.buckets {
            let name = reuse.map_or("reuse level not given", rolemap_core::ReuseLevel::as_str);
            writeln!(out, "  {name} ({})", bucket.len())?;
            for r in bucket {
                let tags = if r.skill.tags.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", r.skill.tags.join(", "))
                };
                writeln!(out, "    - {}{tags}", r.skill.label)?;
            }
        }
    }
    Ok(())
}
