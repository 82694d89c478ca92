//! API tokens of the signed-in user: listed (never the secret), made (the secret in that one
//! answer and nowhere else) and revoked. A token signs in as its user, with their permissions;
//! a user sees and revokes only their own.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use rolemap_service::ServiceError;
use rolemap_service::dto::ApiTokenDto;
use rolemap_store::{User, Via};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// The signed-in user, or a 401 asking for credentials.
fn signed_in(viewer: &Viewer) -> ApiResult<&User> {
    viewer.user.as_deref().ok_or(ApiError::Unauthorized)
}

/// The signed-in user's API tokens, revoked ones included, oldest first.
#[utoipa::path(get, path = "/api/v1/tokens",
    responses((status = 200, description = "The answer", body = Vec<ApiTokenDto>), (status = 401, description = "Not signed in", body = ErrorBody)))]
pub async fn tokens(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> ApiResult<Json<Vec<ApiTokenDto>>> {
    let user = signed_in(&viewer)?;
    let tokens = state.service.api_tokens(&user.username).await?;
    Ok(Json(tokens.iter().map(ApiTokenDto::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenBody {
    /// What the token is for (1 to 100 characters), e.g. the integration using it.
    pub name: String,
}

/// Makes an API token for the signed-in user. The answer holds the token itself, once: only its
/// hash is stored. Send it as `Authorization: Bearer <token>`.
#[utoipa::path(post, path = "/api/v1/tokens", request_body = NewTokenBody,
    responses((status = 201, description = "Made; `token` is shown this once", body = ApiTokenDto), (status = 401, description = "Not signed in", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiJson(body): ApiJson<NewTokenBody>,
) -> ApiResult<(StatusCode, Json<ApiTokenDto>)> {
    let user = signed_in(&viewer)?;
    let made = state
        .service
        .create_api_token(&user.username, &body.name, &viewer.actor(Via::Api))
        .await?;
    let mut dto = ApiTokenDto::from(&made.record);
    dto.token = Some(made.token);
    Ok((StatusCode::CREATED, Json(dto)))
}

/// Revokes one of the signed-in user's API tokens, at once: it signs no one in from then on.
/// Another user's token is not found.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", params(("id" = i64, Path, description = "The token's number, as listed")),
    responses((status = 200, description = "Revoked (revoking again keeps the first time)", body = ApiTokenDto), (status = 401, description = "Not signed in", body = ErrorBody), (status = 404, description = "No such token of yours", body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> ApiResult<Json<ApiTokenDto>> {
    let user = signed_in(&viewer)?;
    let not_found = || {
        ApiError::Service(ServiceError::NotFound {
            what: "API token",
            name: id.clone(),
            suggestions: Vec::new(),
        })
    };
    let number: i64 = id.trim().parse().map_err(|_| not_found())?;
    let revoked = state
        .service
        .revoke_api_token(&user.username, number, &viewer.actor(Via::Api))
        .await?;
    Ok(Json(ApiTokenDto::from(&revoked)))
}
