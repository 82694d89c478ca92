//! The OpenAPI 3.1 document of the JSON API, generated from the handlers and DTOs.

use utoipa::OpenApi;

use super::*;

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "rolemap API",
        description = "Role-and-skills frameworks: roles, skills, comparisons, people, assessments, gaps, team matrices and job descriptions. Errors are JSON: {\"error\": {\"code\", \"message\", \"field\"?}}.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        healthz,
        frameworks,
        import_framework,
        roles,
        role,
        job_description,
        similar,
        progression,
        routes,
        code_title,
        extract,
        text_gap,
        crosswalk,
        import_mappings,
        skills,
        skill,
        compare,
        typeahead,
        search,
        people,
        import_people,
        import_transitions,
        add_person,
        person,
        add_assessments,
        gap,
        team_matrix,
        tokens::tokens,
        tokens::create_token,
        tokens::revoke_token,
    ),
    tags((name = "rolemap"))
)]
pub struct ApiDoc;

/// The document as served at `/api/v1/openapi.json`.
pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
