//! The admin's audit log page (filters, paging, a CSV download), and the privacy pages: a
//! person's data as a JSON download, and erasing a person (a confirm page, then the result).

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use rolemap_service::dto::{AuditEntryDto, ErasureDto, audit_csv_table};
use rolemap_store::Via;
use serde::Serialize;

use crate::api::audit::{AuditParams, erasure_dto};
use crate::auth::Viewer;
use crate::state::AppState;
use crate::web::{PageQuery, finish, url};

/// Entries on one page of the audit log.
const PAGE_SIZE: u32 = 50;

#[derive(Debug, Serialize)]
struct AuditPage {
    entries: Vec<AuditEntryDto>,
    person: String,
    user: String,
    action: String,
    since: String,
    until: String,
    /// The address of the next (older) page, when there may be one.
    older_href: Option<String>,
    /// The address of the newest page with the same filters, when this is not it.
    newest_href: Option<String>,
    csv_href: String,
}

fn filters(params: &AuditParams) -> Vec<(&'static str, Option<&str>)> {
    vec![
        ("person", crate::web::given(&params.person)),
        ("user", crate::web::given(&params.user)),
        ("action", crate::web::given(&params.action)),
        ("since", crate::web::given(&params.since)),
        ("until", crate::web::given(&params.until)),
    ]
}

pub(crate) async fn audit_page(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(params): PageQuery<AuditParams>,
) -> Response {
    let result = async {
        let query = params.query(PAGE_SIZE);
        let entries = state.service.audit(&query).await?;
        // A full page may have older entries after it.
        let full =
            u32::try_from(entries.len()).unwrap_or(u32::MAX) >= query.limit.unwrap_or(PAGE_SIZE);
        let mut older = filters(&params);
        let last = entries.last().map(|e| e.id.to_string());
        older.push(("before", last.as_deref()));
        let page = AuditPage {
            older_href: (full && last.is_some()).then(|| url::with_query("/admin/audit", &older)),
            newest_href: params
                .before
                .is_some()
                .then(|| url::with_query("/admin/audit", &filters(&params))),
            csv_href: url::with_query("/admin/audit.csv", &filters(&params)),
            entries: entries.iter().map(AuditEntryDto::from).collect(),
            person: params.person.clone().unwrap_or_default(),
            user: params.user.clone().unwrap_or_default(),
            action: params.action.clone().unwrap_or_default(),
            since: params.since.clone().unwrap_or_default(),
            until: params.until.clone().unwrap_or_default(),
        };
        Ok(state.templates.render("audit.html", page))
    }
    .await;
    finish(&state, &uri, result)
}

/// Every entry the filters let through (not one page), as CSV.
pub(crate) async fn audit_csv(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(params): PageQuery<AuditParams>,
) -> Response {
    let result = async {
        let mut query = params.query(PAGE_SIZE);
        query.limit = params.limit;
        let entries = state.service.audit(&query).await?;
        let dtos: Vec<AuditEntryDto> = entries.iter().map(AuditEntryDto::from).collect();
        let (header, rows) = audit_csv_table(&dtos);
        let mut response = crate::web::download(
            "text/csv; charset=utf-8",
            "audit.csv",
            crate::web::csv_text(&header, &rows),
        );
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        Ok(response)
    }
    .await;
    finish(&state, &uri, result)
}

/// Everything held about a person as a JSON file, for them to keep.
pub(crate) async fn export_person(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let export = state.service.person_export(&id).await?;
        let body = serde_json::to_string_pretty(&export).map_err(|e| {
            rolemap_service::ServiceError::Internal(format!("export not written: {e}"))
        })?;
        let mut response = crate::web::download(
            "application/json",
            &format!("rolemap-{}.json", export.person.key),
            body,
        );
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        Ok(response)
    }
    .await;
    finish(&state, &uri, result)
}

#[derive(Debug, Serialize)]
struct ErasePage {
    /// Before: the person to erase, and what will go.
    person: Option<ErasePerson>,
    /// After: what went (no name: the tombstone).
    erased: Option<ErasureDto>,
}

#[derive(Debug, Serialize)]
struct ErasePerson {
    key: String,
    name: String,
    assessments: usize,
    reports: usize,
    user: Option<String>,
}

pub(crate) async fn erase_form(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let detail = state.service.person_detail(&id).await?;
        let reports = state
            .service
            .people()
            .await?
            .iter()
            .filter(|p| {
                p.manager
                    .as_ref()
                    .is_some_and(|(m, _)| *m == detail.person.id)
            })
            .count();
        let user = state.service.user_of_person(detail.person.id).await?;
        Ok(state.templates.render(
            "erase.html",
            ErasePage {
                person: Some(ErasePerson {
                    key: detail.person.key.clone(),
                    name: detail.person.name.clone(),
                    assessments: detail.history.len(),
                    reports,
                    user: user.map(|u| u.username),
                }),
                erased: None,
            },
        ))
    }
    .await;
    finish(&state, &uri, result)
}

pub(crate) async fn erase_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let erased = state
            .service
            .erase_person(&id, &viewer.actor(Via::Web))
            .await?;
        Ok(state.templates.render_status(
            StatusCode::OK,
            "erase.html",
            ErasePage {
                person: None,
                erased: Some(erasure_dto(erased)),
            },
        ))
    }
    .await;
    finish(&state, &uri, result)
}
