//! `Idempotency-Key` on the POSTs that add assessments (`/api/v1/people/{id}/assessments`, and
//! `/api/v1/people`, which records a person): a client that lost the answer to a write sends it
//! again with the same key and gets the first answer back, with nothing added twice. The key is
//! kept per user (or for no user) with the SHA-256 of the method, path and body, so the same
//! key with another request is refused (422) rather than answered with something else. Only
//! successful answers are kept: a refused request may be corrected and sent again under its key.

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rolemap_service::ServiceError;
use rolemap_store::KeptAnswer;
use sha2::{Digest, Sha256};

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;

/// The routes whose POSTs honour the header.
const ROUTES: [&str; 2] = ["/api/v1/people/{id}/assessments", "/api/v1/people"];

/// Says on a replayed answer that it is the one kept, not a new write.
const REPLAYED: &str = "idempotent-replayed";

pub async fn honour(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let applies = request.method() == Method::POST
        && request
            .extensions()
            .get::<MatchedPath>()
            .is_some_and(|m| ROUTES.contains(&m.as_str()));
    let key = request
        .headers()
        .get("idempotency-key")
        .map(|v| v.to_str().unwrap_or("\u{0}").to_owned());
    let (true, Some(key)) = (applies, key) else {
        return next.run(request).await;
    };
    let user = request
        .extensions()
        .get::<Viewer>()
        .and_then(|v| v.user.as_ref())
        .map(|u| u.id);
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::BODY_LIMIT).await else {
        return ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE).into_response();
    };
    let mut hash = Sha256::new();
    hash.update(parts.method.as_str().as_bytes());
    hash.update(b" ");
    hash.update(parts.uri.path().as_bytes());
    hash.update(b"\n");
    hash.update(&bytes);
    let request_hash = hash.finalize().to_vec();
    match state.service.kept_answer(&key, user).await {
        Err(error) => return ApiError::from(error).into_response(),
        Ok(Some(kept)) if kept.request_hash == request_hash => return replay(kept),
        Ok(Some(_)) => {
            return ApiError::from(ServiceError::invalid(
                "Idempotency-Key",
                "this key was used for another request in the last 24 hours; use a new key",
            ))
            .into_response();
        }
        Ok(None) => {}
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !response.status().is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response();
    };
    let answer = KeptAnswer {
        request_hash,
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/json")
            .to_owned(),
        body: body.to_vec(),
    };
    // The write is done; failing to keep its answer only means a retry would write again.
    if let Err(error) = state.service.keep_answer(&key, user, &answer).await {
        tracing::error!(%error, "could not keep an idempotent answer");
    }
    Response::from_parts(parts, Body::from(body))
}

fn replay(kept: KeptAnswer) -> Response {
    let status = StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK);
    let content_type = HeaderValue::from_str(&kept.content_type)
        .unwrap_or(HeaderValue::from_static("application/json"));
    (
        status,
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::HeaderName::from_static(REPLAYED),
                HeaderValue::from_static("true"),
            ),
        ],
        kept.body,
    )
        .into_response()
}
