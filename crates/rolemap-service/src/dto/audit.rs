//! The audit log and a person's own data as JSON: entries, the export of everything held about
//! a person, and what an erasure or a retention purge removed.

use rolemap_store::AuditEntry;
use serde::Serialize;
use utoipa::ToSchema;

use super::{AssessmentDto, PersonDto, UserDto};

/// One entry of the audit log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntryDto {
    pub id: i64,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who: the username at the time; absent for the command line (the operator).
    pub user: Option<String>,
    /// The peer's address, for the web and API.
    pub address: Option<String>,
    /// `cli`, `web` or `api`.
    pub via: &'static str,
    /// What was done, as `thing.verb` (`person.add`, `assessment.add`, `framework.import`).
    pub action: String,
    /// What it was done to: a key, a username or `kind:id`.
    pub subject: String,
    /// The fields that matter before the change; absent for what did not exist.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The fields that matter after the change; absent for what no longer exists.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

impl From<&AuditEntry> for AuditEntryDto {
    fn from(entry: &AuditEntry) -> AuditEntryDto {
        // Entries are written as JSON by the store; text that is not is shown as text.
        let json = |text: &Option<String>| {
            text.as_ref().map(|t| {
                serde_json::from_str(t).unwrap_or_else(|_| serde_json::Value::String(t.clone()))
            })
        };
        AuditEntryDto {
            id: entry.id,
            at: entry.at.clone(),
            user: entry.username.clone(),
            address: entry.address.clone(),
            via: entry.via.as_str(),
            action: entry.action.clone(),
            subject: entry.subject.clone(),
            before: json(&entry.before),
            after: json(&entry.after),
        }
    }
}

/// Everything rolemap holds about one person, for them to take away.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonExportDto {
    /// When this was exported, RFC 3339 UTC.
    pub exported_at: String,
    pub person: PersonDto,
    /// The user account linked to them, if any (never its password).
    pub user: Option<UserDto>,
    /// Every assessment of them, oldest first.
    pub assessments: Vec<AssessmentDto>,
    /// Their self-ratings waiting for review and the reviews of them, newest first.
    pub reviews: super::PersonReviewsDto,
    /// Their development goals, by due date, with the progress each shows.
    pub goals: Vec<super::GoalDto>,
    /// Every audit entry about them, oldest first.
    pub audit: Vec<AuditEntryDto>,
}

/// What erasing a person removed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureDto {
    /// The random name the audit log's tombstone and any rewritten entry carry instead of theirs.
    pub tombstone: String,
    pub assessments: u64,
    /// Their direct reports, now under the erased person's manager.
    pub reports_moved: u64,
    /// Whether a linked user account was disabled and unlinked.
    pub user_disabled: bool,
    pub audit_entries_scrubbed: u64,
}

/// What a retention purge removed.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurgeDto {
    /// Assessments recorded before this time were deleted (RFC 3339 UTC).
    pub before: String,
    pub assessments: u64,
}

/// The audit entries as a CSV table (header, rows): one column per field, before and after as
/// their JSON text. The CLI and the admin page's download write the same columns.
pub fn audit_csv_table(entries: &[AuditEntryDto]) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "id", "at", "user", "address", "via", "action", "subject", "before", "after",
    ]
    .map(str::to_owned)
    .to_vec();
    let json = |value: &Option<serde_json::Value>| {
        value.as_ref().map(|v| v.to_string()).unwrap_or_default()
    };
    let rows = entries
        .iter()
        .map(|e| {
            vec![
                e.id.to_string(),
                e.at.clone(),
                e.user.clone().unwrap_or_default(),
                e.address.clone().unwrap_or_default(),
                e.via.to_owned(),
                e.action.clone(),
                e.subject.clone(),
                json(&e.before),
                json(&e.after),
            ]
        })
        .collect();
    (header, rows)
}
