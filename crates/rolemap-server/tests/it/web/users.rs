//! The admin's users page through the router: users listed, one added, given another role,
//! disabled and enabled, given a new password; a bad username refused at the form.

use axum::http::StatusCode;
use rolemap_store::UserRole;

use super::assert_page;
use crate::{get, post_form, state};

#[tokio::test]
async fn the_users_page_adds_and_changes_users_as_the_cli_does() {
    let state = state().await;
    let list = get(&state, "/admin/users").await;
    assert_page(&list, &["grace", "Add a user"]);

    let added = post_form(
        &state,
        "/admin/users",
        "username=newcomer&password=long-enough-secret&role=employee&person=&display_name=New+Comer&email=",
    )
    .await;
    assert_page(&added, &["Added the user newcomer.", "New Comer"]);
    let user = state.service.user_named("newcomer").await.expect("added");
    assert_eq!(user.role, UserRole::Employee);

    let promoted = post_form(
        &state,
        "/admin/users/newcomer",
        "action=role&role=framework_owner",
    )
    .await;
    assert_page(&promoted, &["newcomer is now framework_owner."]);
    let disabled = post_form(&state, "/admin/users/newcomer", "action=disable").await;
    assert_page(&disabled, &["Disabled newcomer"]);
    assert!(
        state
            .service
            .user_named("newcomer")
            .await
            .expect("user")
            .disabled
    );
    let enabled = post_form(&state, "/admin/users/newcomer", "action=enable").await;
    assert_page(&enabled, &["Enabled newcomer."]);
    let password = post_form(
        &state,
        "/admin/users/newcomer",
        "action=password&password=another-long-secret",
    )
    .await;
    assert_page(&password, &["Set a new password for newcomer"]);
    let user = state.service.user_named("newcomer").await.expect("user");
    assert_eq!(user.role, UserRole::FrameworkOwner);
    assert!(!user.disabled);

    let refused = post_form(
        &state,
        "/admin/users",
        "username=Bad+Name!&password=long-enough-secret&role=employee",
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("id=\"add-error\""),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\"Bad Name!\""),
        "the form keeps what was typed"
    );
}
