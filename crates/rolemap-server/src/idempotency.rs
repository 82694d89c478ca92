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
use rolemap_store::{KeptAnswer, UserId};
use sha2::{Digest, Sha256};

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;

/// The routes whose POSTs honour the header.
const ROUTES: [&str; 2] = ["/api/v1/people/{id}/assessments", "/api/v1/people"];

/// The longest key kept, in characters.
const MAX_KEY_CHARS: usize = 200;

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
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS || key.chars().any(char::is_control) {
        return ApiError::from(ServiceError::invalid(
            "Idempotency-Key",
            "a key is 1 to 200 visible characters",
        ))
        .into_response();
    }
    // One request per key at a time: a retry sent while the first is still being answered would
    // find no kept answer and write again.
    let Some(_reserved) = InFlight::reserve(&state, user, &key) else {
        return ApiError::refused(
            StatusCode::CONFLICT,
            "in_progress",
            "a request with this Idempotency-Key is still being answered; send it again once \
             it has been",
        )
        .into_response();
    };
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

/// The keys of the requests being answered now, per user; see [`InFlight::reserve`].
pub type Reserved = std::sync::Mutex<std::collections::HashSet<(Option<UserId>, String)>>;

/// A key reserved for one request, released when the request is answered (or dropped).
struct InFlight<'a> {
    reserved: &'a Reserved,
    entry: (Option<UserId>, String),
}

impl<'a> InFlight<'a> {
    /// Reserves `key` for `user`; `None` while another request holds it.
    fn reserve(state: &'a AppState, user: Option<UserId>, key: &str) -> Option<InFlight<'a>> {
        let entry = (user, key.to_owned());
        let mut reserved = state.idempotency_keys.lock().ok()?;
        reserved.insert(entry.clone()).then_some(())?;
        Some(InFlight {
            reserved: &state.idempotency_keys,
            entry,
        })
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Ok(mut reserved) = self.reserved.lock() {
            reserved.remove(&self.entry);
        }
    }
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
