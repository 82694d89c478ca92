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
        authoring::framework_document,
        authoring::framework_diff,
        formats::import,
        formats::export,
        formats::template,
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
        people::edit_person,
        people::archive_person,
        people::unarchive_person,
        people::teams,
        person,
        add_assessments,
        gap,
        team_matrix,
        tokens::tokens,
        tokens::create_token,
        tokens::revoke_token,
        audit::audit,
        audit::export_person,
        audit::erase_person,
        plans::reviews,
        plans::add_review,
        plans::goals,
        plans::add_goal,
        plans::update_goal,
        plans::team_cycle,
        plans::cycles,
        plans::open_cycle,
        plans::close_cycle,
    ),
    modifiers(&Refusals),
    tags((name = "rolemap"))
)]
pub struct ApiDoc;

/// Lists 401 and 403 on every operation: the permission table (`access.rs`) may refuse any of
/// them, and a client should expect both; and 413 and 415 on every operation taking a body.
struct Refusals;

impl utoipa::Modify for Refusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, ResponseBuilder, content::ContentBuilder};
        let response = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let responses = &mut operation.responses.responses;
                responses.entry("401".to_owned()).or_insert_with(|| {
                    response("Nobody is signed in: send a session cookie or an `Authorization: Bearer` API token")
                });
                responses
                    .entry("403".to_owned())
                    .or_insert_with(|| response("The signed-in user may not do this"));
                // The server's layers answer these for any request with a body.
                if operation.request_body.is_some() {
                    responses.entry("413".to_owned()).or_insert_with(|| {
                        response("The request body is larger than the server accepts")
                    });
                    responses.entry("415".to_owned()).or_insert_with(|| {
                        response("The request's Content-Type is not one this operation reads")
                    });
                }
            }
        }
    }
}

/// The document as served at `/api/v1/openapi.json`.
pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
