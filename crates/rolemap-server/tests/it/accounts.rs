//! Signing in and out through the pages: the cookie, the header, and what is refused.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rolemap_server::AppState;
use rolemap_service::{DEMO_PASSWORD, UserInput};
use rolemap_store::UserRole;

use crate::{Reply, get, post_form_anonymous, post_form_with, send, state, token_in};

pub(crate) async fn with_demo_users() -> AppState {
    let state = state().await;
    state.service.add_demo_users().await.expect("demo users");
    state
}

pub(crate) async fn sign_in(state: &AppState, username: &str, password: &str, next: &str) -> Reply {
    let body = format!("username={username}&password={password}&next={next}");
    post_form_anonymous(state, "/login", &body).await
}

/// The `name=value` of the Set-Cookie header.
pub(crate) fn cookie_of(reply: &Reply) -> String {
    let set = reply
        .headers
        .get(header::SET_COOKIE)
        .expect("Set-Cookie")
        .to_str()
        .expect("text");
    set.split(';').next().expect("pair").to_owned()
}

async fn get_with(state: &AppState, uri: &str, name: &str, value: &str) -> Reply {
    let request = Request::get(uri)
        .header(name, value)
        .body(Body::empty())
        .expect("request");
    send(state, request).await
}

#[tokio::test]
async fn signing_in_sets_a_session_cookie_the_header_shows_and_sign_out_ends() {
    let state = with_demo_users().await;
    let anonymous = crate::get_anonymous(&state, "/login").await;
    assert!(anonymous.body.contains("<a href=\"/login\">Sign in</a>"));
    assert!(!anonymous.body.contains("<!--rolemap:account-->"));

    let reply = sign_in(&state, "daniel", DEMO_PASSWORD, "/people").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers[header::LOCATION], "/people");
    let set = reply.headers[header::SET_COOKIE].to_str().expect("text");
    assert!(set.starts_with("rolemap_session="), "{set}");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(part), "{part} missing: {set}");
    }
    assert!(!set.contains("Secure"), "plain HTTP: {set}");
    let cookie = cookie_of(&reply);

    // A cached page (the role page) shows each visitor their own header.
    let page = get_with(&state, "/roles/odp:team-leader", "cookie", &cookie).await;
    assert!(
        page.body
            .contains("Signed in as <strong>Daniel Mensah</strong> (employee)"),
        "{}",
        page.body
    );
    assert!(
        get(&state, "/roles/odp:team-leader")
            .await
            .body
            .contains("Signed in as <strong>Grace Okafor</strong> (admin)")
    );

    let token = token_in(&get_with(&state, "/", "cookie", &cookie).await.body);
    let out = post_form_with(&state, "/logout", "", &cookie, &token).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .expect("text")
            .contains("Max-Age=0")
    );
    // The session has ended: the page sends its visitor to sign in.
    let after = get_with(&state, "/", "cookie", &cookie).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "the session has ended");
    assert_eq!(after.headers[header::LOCATION], "/login?next=%2F");
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_the_form_again_and_no_cookie() {
    let state = with_demo_users().await;
    let reply = sign_in(&state, "daniel", "not-the-password", "/").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.headers.get(header::SET_COOKIE).is_none());
    assert!(
        reply.body.contains("Wrong username or password."),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("value=\"daniel\""),
        "the username is kept"
    );
    let unknown = sign_in(&state, "nobody", DEMO_PASSWORD, "/").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(unknown.body.contains("Wrong username or password."));
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_retry_after() {
    let state = with_demo_users().await;
    for _ in 0..rolemap_service::SignInLimiter::PER_ACCOUNT {
        sign_in(&state, "aisha", "wrong-password", "/").await;
    }
    let reply = sign_in(&state, "aisha", DEMO_PASSWORD, "/").await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.headers.get(header::RETRY_AFTER).is_some());
    assert!(
        reply.body.contains("Too many failed sign-ins"),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn sign_in_goes_back_only_to_a_path_on_this_site() {
    let state = with_demo_users().await;
    let reply = sign_in(&state, "grace", DEMO_PASSWORD, "//evil.example/x").await;
    assert_eq!(reply.headers[header::LOCATION], "/");
    let reply = sign_in(&state, "grace", DEMO_PASSWORD, "https://evil.example/").await;
    assert_eq!(reply.headers[header::LOCATION], "/");
}

#[tokio::test]
async fn the_cookie_is_secure_behind_a_tls_proxy() {
    let state = with_demo_users().await;
    let (cookie, token) = crate::anonymous_form_token(&state).await;
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-proto", "https")
        .header(header::COOKIE, cookie)
        .body(Body::from(format!(
            "username=liam&password={DEMO_PASSWORD}&next=/&csrf={token}"
        )))
        .expect("request");
    let reply = send(&state, request).await;
    assert!(
        reply.headers[header::SET_COOKIE]
            .to_str()
            .expect("text")
            .ends_with("; Secure")
    );
}

#[tokio::test]
async fn a_bearer_token_signs_its_user_in_until_revoked() {
    let state = state().await;
    state
        .service
        .add_user(
            &UserInput {
                username: "bot".into(),
                display_name: Some("Import bot".into()),
                email: None,
                role: UserRole::FrameworkOwner,
                person: None,
                password: "a long enough password".into(),
                demo: false,
            },
            &rolemap_store::Actor::cli(),
        )
        .await
        .expect("user");
    let made = state
        .service
        .create_api_token("bot", "ci", &rolemap_store::Actor::cli())
        .await
        .expect("token");
    let bearer = format!("Bearer {}", made.token);
    let page = get_with(&state, "/", "authorization", &bearer).await;
    assert!(
        page.body
            .contains("Signed in as <strong>Import bot</strong> (framework owner)"),
        "{}",
        page.body
    );
    state
        .service
        .revoke_api_token("bot", made.record.id, &rolemap_store::Actor::cli())
        .await
        .expect("revoke");
    // A revoked token signs nobody in: the page sends them to sign in.
    let page = get_with(&state, "/", "authorization", &bearer).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.headers[header::LOCATION], "/login?next=%2F");
}

#[tokio::test]
async fn the_login_page_renders_and_an_anonymous_api_read_is_401() {
    let state = with_demo_users().await;
    let page = crate::get_anonymous(&state, "/login?next=/people").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("name=\"next\" value=\"/people\""),
        "{}",
        page.body
    );
    // An anonymous API read is refused with 401 and says how to sign in.
    let api = crate::get_anonymous(&state, "/api/v1/people").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.headers[header::WWW_AUTHENTICATE], "Bearer");
    assert_eq!(api.json()["error"]["code"], "unauthorized");
}
