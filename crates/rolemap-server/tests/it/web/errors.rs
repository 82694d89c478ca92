//! Errors as pages: HTML with the right status and links to try instead, the API keeping JSON,
//! and user text escaped.

use axum::http::StatusCode;

use crate::{get, state};

#[tokio::test]
async fn unknown_role_is_a_404_page_with_a_suggestion() {
    let state = state().await;
    let reply = get(&state, "/roles/team%20leadr").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.content_type.starts_with("text/html"));
    assert!(reply.body.contains("Did you mean"), "{}", reply.body);
    assert!(
        reply.body.contains("Team%20Leader\">Team Leader</a>"),
        "{}",
        reply.body
    );

    // In a comparison the suggestion keeps the rest of the address.
    let compare = get(&state, "/compare?a=odp:team-leader&b=team%20leadr").await;
    assert_eq!(compare.status, StatusCode::NOT_FOUND);
    assert!(compare.body.contains("b=Team%20Leader"), "{}", compare.body);
}

#[tokio::test]
async fn ambiguous_role_is_a_409_page_listing_candidates() {
    let state = state().await;
    let reply = get(&state, "/roles/operations%20manager").await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.content_type.starts_with("text/html"));
    assert!(
        reply
            .body
            .contains("odp:operations-manager\">Operations Manager (odp:operations-manager)</a>"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("ops-compared:operations-manager"));
}

#[tokio::test]
async fn unknown_page_is_an_html_404_and_the_api_keeps_json() {
    let state = state().await;
    let page = get(&state, "/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("Page not found"));
    let api = get(&state, "/api/v1/no-such-endpoint").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.content_type.starts_with("application/json"));
}

#[tokio::test]
async fn gap_errors_are_pages() {
    let state = state().await;
    let bad_grade = get(
        &state,
        "/people/liam-doyle/gap?target=odp:team-leader&grade=G9",
    )
    .await;
    assert_eq!(bad_grade.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_grade.body.contains("grade"), "{}", bad_grade.body);
    let nobody = get(&state, "/people/nobody-at-all/gap").await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_form_that_is_not_a_form_is_an_html_error() {
    let state = state().await;
    let reply = crate::post_json(&state, "/assess", "{}").await;
    assert!(reply.status.is_client_error(), "{}", reply.status);
    assert!(
        reply.content_type.starts_with("text/html"),
        "{}",
        reply.content_type
    );
}

#[tokio::test]
async fn user_text_is_escaped() {
    let state = state().await;
    let reply = get(&state, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(!reply.body.contains("<script>alert(1)</script>"));
    assert!(reply.body.contains("&lt;script&gt;"));
    let missing = get(&state, "/roles/%3Cb%3Ebold%3C%2Fb%3E").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!missing.body.contains("<b>bold</b>"));
}
