//! The application: the routes of the permission table (`access.rs`: the JSON API, the CASE 1.0
//! read API, the OpenAPI document, the web pages), what answers an address no entry names, all
//! wrapped in the layers every request passes through (`layers.rs`).

use axum::Router;
use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;
use crate::{access, api, layers, web};

/// The whole application; tests call it with `oneshot` without opening a socket. Every route comes
/// from the permission table, [`access::ENDPOINTS`], with the check for its rule.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for endpoint in access::ENDPOINTS {
        router = router.route(endpoint.path(), endpoint.method_router(&state));
    }
    let routes = router.fallback(not_found).with_state(state.clone());
    layers::wrap(routes, state)
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

fn api_not_found() -> crate::error::ApiError {
    crate::error::ApiError::Service(rolemap_service::ServiceError::NotFound {
        what: "API endpoint",
        name: "this path".to_owned(),
        suggestions: Vec::new(),
    })
}
