//! The layers every request passes through, outermost first: the request log, compression,
//! security headers, error shapes for answers no handler gave, the timeout, the body limit, the
//! host/origin/form-token guard, accounts, `Idempotency-Key`, and the catch for a panicking
//! handler.

use axum::Router;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::Response;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;
use crate::{BODY_LIMIT, REQUEST_TIMEOUT, auth, guard, headers, idempotency, request_log, shape};

/// `routes` with every layer; in each `ServiceBuilder` the first is the outermost. Few
/// `Router::layer` calls, on purpose: each boxes every route again, and a middleware clones the
/// service inside it for each request, so a dozen layers added one by one cloned a dozen nested
/// boxes per layer per request (100 allocations of the 200 a signed-in role read made). Within a
/// `ServiceBuilder` the layers are one concrete type, and those clones allocate nothing.
///
/// The outer layers wrap the router as a whole rather than each route: the router is cloned as a
/// reference count, where each route's boxes were cloned again by every middleware above them
/// (a third of a role read's allocations). The inner layers stay on the routes, inside the
/// routing, because the idempotency keys are kept per route; `guard::check`, the outermost of
/// them, hands the matched route out on the response for the request log.
pub fn wrap(routes: Router, state: AppState) -> Router {
    let routes = routes.layer(
        ServiceBuilder::new()
            // Before anyone is looked up: foreign hosts, origins and forms stop here.
            .layer(from_fn_with_state(state.clone(), guard::check))
            // Inside compression, so the page header is filled in before the page is
            // compressed.
            .layer(from_fn_with_state(state.clone(), auth::accounts))
            // Inside accounts: a key is kept per user.
            .layer(from_fn_with_state(state.clone(), idempotency::honour))
            // A panicking handler is answered (shaped by `shape::answers`), not a dropped
            // connection.
            .layer(CatchPanicLayer::custom(shape::panicked)),
    );
    let whole = ServiceBuilder::new()
        .layer(from_fn(request_log::log_request))
        .layer(CompressionLayer::new())
        .map_response(headers::security as fn(Response) -> Response)
        .layer(from_fn_with_state(state, shape::answers))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .service(routes);
    // Still a `Router` for the callers (`app(state).oneshot(request)`); its one route box holds
    // the stack above, whose clone is a few reference counts.
    Router::new().fallback_service(whole)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::{Request, header};
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    async fn boom() -> &'static str {
        panic!("a handler fault")
    }

    async fn answer(uri: &str) -> (StatusCode, String, String) {
        let store = rolemap_store::SqliteStore::in_memory().await.unwrap();
        let state = AppState::new(rolemap_service::Service::new(Arc::new(store)));
        let routes = Router::new()
            .route("/api/v1/boom", get(boom))
            .route("/boom", get(boom))
            .with_state(state.clone());
        let response = wrap(routes, state)
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            content_type,
            String::from_utf8_lossy(&body).into_owned(),
        )
    }

    #[tokio::test]
    async fn a_panicking_handler_is_answered_500_in_the_shape_of_its_address() {
        let (status, content_type, body) = answer("/api/v1/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
        assert!(body.contains("\"code\":\"internal\""), "{body}");
        assert!(!body.contains("a handler fault"), "internals are not shown");
        let (status, content_type, body) = answer("/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(content_type.starts_with("text/html"), "{content_type}");
        assert!(body.contains("Something went wrong"), "{body}");
    }
}
