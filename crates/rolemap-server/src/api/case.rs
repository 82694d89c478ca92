//! The CASE 1.0 REST read API under `/ims/case/v1p0`: every stored framework that exports to CASE,
//! answered as 1EdTech's CASE service definition says, errors as its `imsx_StatusInfo` payload.
//! CASE's own OpenAPI document describes these endpoints, so rolemap's does not list them.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rolemap_service::ServiceError;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::AppState;

/// Where CASE puts its endpoints (their entries in `access.rs` start with it).
pub const BASE: &str = "/ims/case/v1p0";

/// A CASE error: the status and CASE's `imsx_StatusInfo` body.
#[derive(Debug)]
pub struct CaseError(ApiError);

impl From<ServiceError> for CaseError {
    fn from(error: ServiceError) -> CaseError {
        CaseError(ApiError::Service(error))
    }
}

impl IntoResponse for CaseError {
    fn into_response(self) -> Response {
        // The same status and message the JSON API would give (internal faults logged there).
        let (status, detail) = self.0.parts();
        let minor = match status {
            StatusCode::NOT_FOUND => "unknownobject",
            s if s.is_server_error() => "internal_server_error",
            _ => "invalid_selection_field",
        };
        let body = json!({
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": detail.message,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [{
                    "imsx_codeMinorFieldName": "sourcedId",
                    "imsx_codeMinorFieldValue": minor,
                }],
            },
        });
        (status, Json(body)).into_response()
    }
}

type CaseResult<T> = Result<T, CaseError>;

/// Every CFDocument, as `{"CFDocuments": [...]}`.
pub(crate) async fn documents(State(state): State<AppState>) -> CaseResult<Json<Value>> {
    Ok(Json(state.service.case_documents().await?))
}

/// A whole CFPackage, the bytes `rolemap export case` writes.
pub(crate) async fn package(
    State(state): State<AppState>,
    Path(sourced_id): Path<String>,
) -> CaseResult<Response> {
    let bytes = state.service.case_package_json(&sourced_id).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Bytes::from(bytes),
    )
        .into_response())
}

pub(crate) async fn item(
    State(state): State<AppState>,
    Path(sourced_id): Path<String>,
) -> CaseResult<Json<Value>> {
    Ok(Json(state.service.case_item(&sourced_id).await?))
}

pub(crate) async fn association(
    State(state): State<AppState>,
    Path(sourced_id): Path<String>,
) -> CaseResult<Json<Value>> {
    Ok(Json(state.service.case_association(&sourced_id).await?))
}

/// An item and its associations, as `{"CFItem": ..., "CFAssociations": [...]}`.
pub(crate) async fn item_associations(
    State(state): State<AppState>,
    Path(sourced_id): Path<String>,
) -> CaseResult<Json<Value>> {
    Ok(Json(
        state.service.case_item_associations(&sourced_id).await?,
    ))
}

pub(crate) async fn rubric(
    State(state): State<AppState>,
    Path(sourced_id): Path<String>,
) -> CaseResult<Json<Value>> {
    Ok(Json(state.service.case_rubric(&sourced_id).await?))
}

pub(crate) async fn unknown_endpoint() -> CaseError {
    CaseError::from(ServiceError::NotFound {
        what: "CASE endpoint",
        name: "this path".to_owned(),
        suggestions: Vec::new(),
    })
}
