//! The one route table: the JSON API, the OpenAPI document, the web pages, and the layers every
//! request passes through (request logging, compression, timeout, body limit).

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::state::AppState;
use crate::{BODY_LIMIT, REQUEST_TIMEOUT, api, web};

/// The whole application; tests call it with `oneshot` without opening a socket.
pub fn app(state: AppState) -> Router {
    let api_v1 = Router::new()
        .route("/openapi.json", get(api::openapi::document))
        .route("/frameworks", get(api::frameworks))
        .route("/roles", get(api::roles))
        .route("/roles/{id}", get(api::role))
        .route("/roles/{id}/job-description", get(api::job_description))
        .route("/skills", get(api::skills))
        .route("/skills/{id}", get(api::skill))
        .route("/compare", get(api::compare))
        .route("/typeahead", get(api::typeahead))
        .route("/people", get(api::people).post(api::add_person))
        .route("/people/{id}", get(api::person))
        .route("/people/{id}/assessments", post(api::add_assessments))
        .route("/people/{id}/gap", get(api::gap))
        .route("/people/{id}/team-matrix", get(api::team_matrix))
        .fallback(api_not_found);

    Router::new()
        .route("/healthz", get(api::healthz))
        .nest("/api/v1", api_v1)
        .merge(web::routes())
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

async fn api_not_found() -> crate::error::ApiError {
    crate::error::ApiError::Service(rolemap_service::ServiceError::NotFound {
        what: "API endpoint",
        name: "this path".to_owned(),
        suggestions: Vec::new(),
    })
}
