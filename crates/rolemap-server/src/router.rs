//! The one route table: the JSON API, the CASE 1.0 read API, the OpenAPI document, the web pages,
//! wrapped in the layers every request passes through (`layers.rs`).

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;
use crate::{api, layers, web};

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
        .fallback(api_not_found);

    let routes = Router::new()
        .route("/healthz", get(api::healthz))
        .nest("/api/v1", api_v1)
        .nest(api::case::BASE, api::case::routes())
        .merge(web::routes())
        .with_state(state.clone());
    layers::wrap(routes, state)
}

async fn api_not_found() -> crate::error::ApiError {
    crate::error::ApiError::Service(rolemap_service::ServiceError::NotFound {
        what: "API endpoint",
        name: "this path".to_owned(),
        suggestions: Vec::new(),
    })
}
