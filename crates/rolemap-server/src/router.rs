//! The one route table: the JSON API, the CASE 1.0 read API, the OpenAPI document, the web pages,
//! and the layers every request passes through (request logging, compression, timeout, body
//! limit).

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;
use crate::{BODY_LIMIT, REQUEST_TIMEOUT, api, auth, web};

/// The whole application; tests call it with `oneshot` without opening a socket.
pub fn app(state: AppState) -> Router {
    let api_v1 = Router::new()
        .route("/openapi.json", get(api::openapi::document))
        .route(
            "/frameworks",
            get(api::frameworks).post(api::import_framework),
        )
        .route("/roles", get(api::roles))
        .route("/roles/{id}", get(api::role))
        .route("/roles/{id}/job-description", get(api::job_description))
        .route("/roles/{id}/similar", get(api::similar))
        .route("/roles/{id}/progression", get(api::progression))
        .route("/routes", get(api::routes))
        .route("/code-title", get(api::code_title))
        .route("/extract", post(api::extract))
        .route("/roles/{id}/text-gap", post(api::text_gap))
        .route("/crosswalk", get(api::crosswalk))
        .route("/mappings/import", post(api::import_mappings))
        .route("/skills", get(api::skills))
        .route("/skills/{id}", get(api::skill))
        .route("/compare", get(api::compare))
        .route("/typeahead", get(api::typeahead))
        .route("/search", get(api::search))
        .route("/people", get(api::people).post(api::add_person))
        .route("/people/import", post(api::import_people))
        .route("/transitions/import", post(api::import_transitions))
        .route("/people/{id}", get(api::person))
        .route("/people/{id}/assessments", post(api::add_assessments))
        .route("/people/{id}/gap", get(api::gap))
        .route("/people/{id}/team-matrix", get(api::team_matrix))
        .route(
            "/tokens",
            get(api::tokens::tokens).post(api::tokens::create_token),
        )
        .route("/tokens/{id}", delete(api::tokens::revoke_token))
        .fallback(api_not_found);

    Router::new()
        .route("/healthz", get(api::healthz))
        .nest("/api/v1", api_v1)
        .nest(api::case::BASE, api::case::routes())
        .merge(web::routes())
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

async fn api_not_found() -> crate::error::ApiError {
    crate::error::ApiError::Service(rolemap_service::ServiceError::NotFound {
        what: "API endpoint",
        name: "this path".to_owned(),
        suggestions: Vec::new(),
    })
}
