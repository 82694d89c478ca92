//! Framework versions as documents and what changed between them: the download behind
//! `rolemap export framework` and the JSON behind `rolemap diff`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rolemap_service::dto::FrameworkDiffDto;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::ApiQuery;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// A stored framework version as the framework document (TOML) that importing reads back to the
/// same content, as a download named `key-version.toml`.
#[utoipa::path(get, path = "/api/v1/frameworks/{key}/versions/{version}/document",
    params(("key" = String, Path, min_length = 1, description = "The framework's key"), ("version" = String, Path, min_length = 1, description = "A stored version")),
    responses((status = 200, description = "The framework document", body = String, content_type = "application/toml"), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn framework_document(
    State(state): State<AppState>,
    Path((key, version)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (name, text) = state
        .service
        .framework_document(&key, Some(&version))
        .await?;
    Ok(document_download(&name, text))
}

/// A framework document as an attachment.
pub(crate) fn document_download(name: &str, text: String) -> Response {
    let mut response = crate::web::download("application/toml; charset=utf-8", name, text);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-cache"),
    );
    response.into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The earlier version.
    pub from: String,
    /// The later version.
    pub to: String,
}

/// What changed in a framework from one stored version to another: every item added, removed
/// or changed (field by field, with the value before and after).
#[utoipa::path(get, path = "/api/v1/frameworks/{key}/diff",
    params(("key" = String, Path, min_length = 1, description = "The framework's key"), DiffQuery),
    responses((status = 200, description = "The answer", body = FrameworkDiffDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn framework_diff(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> ApiResult<Json<FrameworkDiffDto>> {
    let diff = state
        .service
        .framework_diff(&key, q.from.trim(), q.to.trim())
        .await?;
    Ok(Json(FrameworkDiffDto::from(&diff)))
}
