//! Answers the server's layers give without a handler (405 for a method a route does not take,
//! 413 for a body over the limit, 415 for a body of the wrong type, 500 after a panic) in the
//! shape of every other error: the JSON error body on the API, the error page on pages.

use std::any::Any;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

/// Whether a path belongs to the JSON interfaces (the API, the CASE API and the health check),
/// which answer errors in JSON, rather than to the pages.
pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path == "/healthz" || path.starts_with(crate::api::case::BASE)
}

/// What `CatchPanicLayer` answers for a handler that panicked: a bare 500, shaped by [`answers`].
/// The panic's message is logged, never shown.
pub fn panicked(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %message, "a handler panicked");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// Replaces a layer's bare answer with the error shape its address speaks.
pub async fn answers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let api = is_api(request.uri().path());
    let uri = request.uri().clone();
    let response = next.run(request).await;
    let status = response.status();
    let bare = matches!(
        status,
        StatusCode::METHOD_NOT_ALLOWED
            | StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::UNSUPPORTED_MEDIA_TYPE
            | StatusCode::INTERNAL_SERVER_ERROR
    );
    if !bare {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let shaped = if api {
        content_type.starts_with("application/json")
    } else {
        content_type.starts_with("text/html")
    };
    if shaped {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let error = ApiError::for_status(status);
    let mut answer = if api {
        error.into_response()
    } else {
        crate::web::error_page(&state, &uri, error)
    };
    if let Some(allow) = allow {
        answer.headers_mut().insert(header::ALLOW, allow);
    }
    answer
}
