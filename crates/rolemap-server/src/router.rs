//! The application: the routes of the permission table (`access.rs`: the JSON API, the CASE 1.0
//! read API, the OpenAPI document, the web pages), what answers an address no entry names, and
//! the layers every request passes through (request logging, compression, timeout, body
//! limit).

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;
use crate::{BODY_LIMIT, REQUEST_TIMEOUT, access, api, auth, web};

/// The whole application; tests call it with `oneshot` without opening a socket. Every route comes
/// from the permission table, [`access::ENDPOINTS`], with the check for its rule.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for endpoint in access::ENDPOINTS {
        router = router.route(endpoint.path(), endpoint.method_router(&state));
    }
    router
        .fallback(not_found)
        .with_state(state.clone())
        // Inside compression, so the page header is filled in before the page is compressed.
        .layer(axum::middleware::from_fn_with_state(state, auth::accounts))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(log_request))
}

/// Whether `path` is `base` or lies under it.
fn under(path: &str, base: &str) -> bool {
    path.strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// An address no entry answers, in the shape of the part of the site it lies in.
async fn not_found(State(state): State<AppState>, uri: Uri) -> Response {
    if under(uri.path(), "/api/v1") {
        api_not_found().into_response()
    } else if under(uri.path(), api::case::BASE) {
        api::case::unknown_endpoint().await.into_response()
    } else {
        web::not_found(State(state), uri).await
    }
}

/// One log line per request: method, path, status and time taken. (A tracing span per request
/// costs more than many requests take.)
async fn log_request(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        %uri,
        status = response.status().as_u16(),
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}

fn api_not_found() -> crate::error::ApiError {
    crate::error::ApiError::Service(rolemap_service::ServiceError::NotFound {
        what: "API endpoint",
        name: "this path".to_owned(),
        suggestions: Vec::new(),
    })
}
