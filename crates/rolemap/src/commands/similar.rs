//! `rolemap similar`: the roles most like a role, each score explained.

use std::io::Write;

use anyhow::Result;
use rolemap_service::Service;
use rolemap_service::dto::*;

use super::emit;
use crate::cli::Output;
use crate::render::{Grid, heading, paragraph};

/// Lists the roles most like `role`.
#[expect(
    clippy::too_many_arguments,
    reason = "the command's own arguments, as the command line gives them"
)]
pub(super) async fn similar(
    service: &Service,
    role: &str,
    framework: Option<&str>,
    limit: u16,
    hierarchy: bool,
    across: bool,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let similar = service
        .similar_with(
            role,
            framework,
            &rolemap_service::SimilarOptions {
                limit: usize::from(limit),
                hierarchy,
                across,
            },
        )
        .await?;
    let dto = SimilarDto::from(&similar);
    let mut grid = Grid::new([
        "#", "id", "title", "score", "skills", "cosine", "jaccard", "coverage", "text", "moved",
        "level", "shared", "to gain", "to raise",
    ]);
    for (rank, n) in dto.neighbours.iter().enumerate() {
        let essential = n
            .to_gain
            .iter()
            .filter(|g| g.importance == "essential")
            .count();
        grid.row([
            (rank + 1).to_string(),
            n.role.id.to_string(),
            if n.role.framework == dto.role.framework {
                n.role.title.clone()
            } else {
                format!("{} ({})", n.role.title, n.role.framework)
            },
            format!("{:.3}", n.score),
            format!("{:.3}", n.skills),
            format!("{:.3}", n.cosine),
            format!("{:.3}", n.jaccard),
            format!("{:.3}", n.coverage),
            format!("{:.3}", n.text),
            if n.moved_people > 0 {
                format!("{} ({:.0}%)", n.moved_people, n.moved * 100.0)
            } else {
                String::new()
            },
            n.level.to_owned(),
            n.shared.len().to_string(),
            format!("{} ({essential} essential)", n.to_gain.len()),
            n.raise.len().to_string(),
        ]);
    }
    emit(out, output.format, &dto, &grid, |out| {
        show_similar(out, &similar, &dto, &grid)
    })
}

fn show_similar(
    out: &mut dyn Write,
    similar: &rolemap_service::SimilarRoles,
    dto: &SimilarDto,
    grid: &Grid,
) -> Result<()> {
    let role = &similar.role;
    writeln!(
        out,
        "Roles most like {} ({}), from the skills they require and what their texts say",
        role.title, role.framework_name
    )?;
    if dto.neighbours.is_empty() {
        writeln!(
            out,
            "No other role of {} shares a skill or a word with it.",
            role.framework_name
        )?;
        return Ok(());
    }
    writeln!(out, "{}", grid.to_text())?;
    writeln!(out, "{}.", dto.formula)?;
    writeln!(
        out,
        "coverage: the share of that role's essential skills {} already requires; text: the \
         cosine of the roles' titles and descriptions (TF-IDF).",
        role.title
    )?;
    for (rank, n) in dto.neighbours.iter().enumerate().take(SHOWN_EXPLAINED) {
        heading(out, &format!("{}. {}", rank + 1, n.role.title))?;
        if let Some(through) = &n.through {
            paragraph(out, "  ", &format!("From {}: {through}.", n.role.framework))?;
        }
        if !n.shared.is_empty() {
            paragraph(
                out,
                "  ",
                &format!("Transferable ({}): {}", n.shared.len(), n.shared.join("; ")),
            )?;
        }
        if !n.to_gain.is_empty() {
            let gain: Vec<String> = n.to_gain.iter().map(gain_label).collect();
            paragraph(
                out,
                "  ",
                &format!("To gain ({}): {}", gain.len(), gain.join("; ")),
            )?;
        }
        if !n.raise.is_empty() {
            paragraph(out, "  ", &raise_text(&n.raise))?;
        }
    }
    if dto.neighbours.len() > SHOWN_EXPLAINED {
        writeln!(out, "\nThe skills of every role listed: --format json.")?;
    }
    writeln!(out, "\nSource: {}", role.attribution)?;
    Ok(())
}

/// A skill to gain as the explanations list it: its label, marked when essential.
pub(super) fn gain_label(g: &SkillToGainDto) -> String {
    if g.importance == "essential" {
        format!("{} (essential)", g.skill)
    } else {
        g.skill.clone()
    }
}

/// Neighbours whose shared and missing skills the table output spells out.
const SHOWN_EXPLAINED: usize = 3;

/// "Raise (2): Data and insight from P to E; ..." for the level raises a similar role asks.
fn raise_text(raise: &[rolemap_service::dto::LevelRaiseDto]) -> String {
    let items: Vec<String> = raise
        .iter()
        .map(|r| format!("{} from {} to {}", r.skill, r.from, r.to))
        .collect();
    format!("Raise ({}): {}", items.len(), items.join("; "))
}
