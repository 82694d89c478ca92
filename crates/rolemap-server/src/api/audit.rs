//! The audit log (admins) and the privacy endpoints: a person's data as one JSON document (the
//! person, their managers, admins), and erasing a person (admins).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use rolemap_service::AuditQuery;
use rolemap_service::dto::{AuditEntryDto, ErasureDto, PersonExportDto};
use rolemap_store::Via;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::ApiQuery;
use crate::auth::Viewer;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// The most entries one answer holds; page back with `before`.
pub const MAX_AUDIT_LIMIT: u32 = 1000;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// Only entries about this person (id, key or name).
    pub person: Option<String>,
    /// Only what this user did (username).
    pub user: Option<String>,
    /// Only this action, or those starting with it (`person`, `assessment.add`).
    pub action: Option<String>,
    /// From this date (2026-01-31) or RFC 3339 time on.
    pub since: Option<String>,
    /// Before this date or RFC 3339 time.
    pub until: Option<String>,
    /// Only entries older than the one of this number: the next page.
    pub before: Option<i64>,
    /// At most this many entries (default 100, at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

impl AuditParams {
    pub(crate) fn query(&self, default_limit: u32) -> AuditQuery {
        AuditQuery {
            person: self.person.clone(),
            user: self.user.clone(),
            action: self.action.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            before_id: self.before,
            limit: Some(
                self.limit
                    .unwrap_or(default_limit)
                    .clamp(1, MAX_AUDIT_LIMIT),
            ),
        }
    }
}

/// The audit log, newest first: who changed what, when, from where, before and after.
#[utoipa::path(get, path = "/api/v1/audit", params(AuditParams),
    responses((status = 200, description = "The entries, newest first", body = Vec<AuditEntryDto>), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> ApiResult<Json<Vec<AuditEntryDto>>> {
    let entries = state.service.audit(&params.query(100)).await?;
    Ok(Json(entries.iter().map(AuditEntryDto::from).collect()))
}

/// Everything held about a person, as one document: their record, their user account (never
/// a password), every assessment and every audit entry about them.
#[utoipa::path(get, path = "/api/v1/people/{id}/export", params(("id" = String, Path, min_length = 1, description = "id, key or name")),
    responses((status = 200, description = "The person's data", body = PersonExportDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn export_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let export = state.service.person_export(&id).await?;
    // Personal data: no cache may keep a copy.
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(export)))
}

/// Erases a person: their assessments and personal fields are deleted in one transaction,
/// their reports move to their manager, a linked user is disabled and unlinked, and the audit
/// log keeps a tombstone under a random name. Cannot be undone.
#[utoipa::path(post, path = "/api/v1/people/{id}/erase", params(("id" = String, Path, min_length = 1, description = "id, key or name")),
    responses((status = 200, description = "Erased", body = ErasureDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn erase_person(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> ApiResult<Json<ErasureDto>> {
    let erased = state
        .service
        .erase_person(&id, &viewer.actor(Via::Api))
        .await?;
    Ok(Json(erasure_dto(erased)))
}

pub(crate) fn erasure_dto(erased: rolemap_service::Erased) -> ErasureDto {
    ErasureDto {
        tombstone: erased.tombstone,
        assessments: erased.erasure.assessments,
        reports_moved: erased.erasure.reports_moved,
        user_disabled: erased.erasure.user_disabled,
        audit_entries_scrubbed: erased.erasure.audit_entries_scrubbed,
    }
}
