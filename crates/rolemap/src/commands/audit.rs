//! `rolemap audit` and the privacy commands: `person export`, `person erase` and
//! `person purge-assessments`. Changes made here are the operator's (`Actor::cli`).

use std::io::Write;

use anyhow::Result;
use rolemap_service::dto::{AuditEntryDto, ErasureDto, PurgeDto, audit_csv_table};
use rolemap_service::{AuditQuery, Service};
use rolemap_store::Actor;

use super::emit;
use crate::cli::Output;
use crate::render::{Grid, write_json};

pub(super) async fn list(
    service: &Service,
    query: &AuditQuery,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let entries = service.audit(query).await?;
    let dtos: Vec<AuditEntryDto> = entries.iter().map(AuditEntryDto::from).collect();
    let (headers, rows) = audit_csv_table(&dtos);
    let grid = Grid { headers, rows };
    emit(out, output.format, &dtos, &grid, |out| {
        if dtos.is_empty() {
            writeln!(out, "No audit entries match.")?;
            return Ok(());
        }
        // The table leaves before and after out: they are long, and in the JSON and CSV.
        let table = Grid {
            headers: ["id", "at", "user", "address", "via", "action", "subject"]
                .map(str::to_owned)
                .to_vec(),
            rows: grid.rows.iter().map(|row| row[..7].to_vec()).collect(),
        };
        writeln!(out, "{}", table.to_text())?;
        Ok(())
    })
}

pub(super) async fn export(service: &Service, person: &str, out: &mut dyn Write) -> Result<()> {
    let export = service.person_export(person).await?;
    write_json(out, &export)
}

pub(super) async fn erase(service: &Service, person: &str, out: &mut dyn Write) -> Result<()> {
    let erased = service.erase_person(person, &Actor::cli()).await?;
    let dto = ErasureDto {
        tombstone: erased.tombstone,
        assessments: erased.erasure.assessments,
        reports_moved: erased.erasure.reports_moved,
        user_disabled: erased.erasure.user_disabled,
        audit_entries_scrubbed: erased.erasure.audit_entries_scrubbed,
    };
    // The name typed is not repeated: the tombstone is what the audit log knows them by.
    writeln!(
        out,
        "Erased {}: {} assessment{} deleted, {} report{} moved to their manager{}; \
         {} audit entr{} rewritten.",
        dto.tombstone,
        dto.assessments,
        if dto.assessments == 1 { "" } else { "s" },
        dto.reports_moved,
        if dto.reports_moved == 1 { "" } else { "s" },
        if dto.user_disabled {
            ", their user disabled and unlinked"
        } else {
            ""
        },
        dto.audit_entries_scrubbed,
        if dto.audit_entries_scrubbed == 1 {
            "y"
        } else {
            "ies"
        },
    )?;
    Ok(())
}

pub(super) async fn purge(service: &Service, older_than: &str, out: &mut dyn Write) -> Result<()> {
    let (before, assessments) = service.purge_assessments(older_than, &Actor::cli()).await?;
    let dto = PurgeDto {
        before,
        assessments,
    };
    writeln!(
        out,
        "Deleted {} assessment{} recorded before {}.",
        dto.assessments,
        if dto.assessments == 1 { "" } else { "s" },
        dto.before
    )?;
    Ok(())
}
