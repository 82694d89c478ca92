//! API tokens made, listed and revoked by their user, over the JSON API and on the account page;
//! and that sign-out, disabling and revoking take effect at once though credentials are kept in
//! memory.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rolemap_server::AppState;
use rolemap_service::DEMO_PASSWORD;

use crate::accounts::{cookie_of, sign_in, with_demo_users};
use crate::{Reply, get_anonymous, send_anonymous, token_in};

/// A request carrying a credential header (`cookie` or `authorization`).
async fn call(
    state: &AppState,
    method: &str,
    uri: &str,
    credential: Option<(&str, &str)>,
    body: Option<(&str, &str)>,
) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    let mut body = body;
    let mut form_body = String::new();
    if let Some((name, value)) = credential {
        request = request.header(name, value);
        // A browser's write carries this site's origin, and a page's form its token.
        if method != "GET" && name == "cookie" {
            request = request.header(header::ORIGIN, "http://localhost:8080");
            if !uri.starts_with("/api/") {
                let page = send_anonymous(
                    state,
                    Request::get("/login")
                        .header(header::COOKIE, value)
                        .body(Body::empty())
                        .expect("request"),
                )
                .await;
                let token = token_in(&page.body);
                let (content_type, fields) =
                    body.unwrap_or(("application/x-www-form-urlencoded", ""));
                form_body = if fields.is_empty() {
                    format!("csrf={token}")
                } else {
                    format!("{fields}&csrf={token}")
                };
                body = Some((content_type, ""));
            }
        }
    }
    let request =
        match body {
            Some((content_type, fields)) => request
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(if form_body.is_empty() {
                    fields.to_owned()
                } else {
                    form_body
                })),
            None => request.body(Body::empty()),
        };
    send_anonymous(state, request.expect("request")).await
}

async fn session_of(state: &AppState, username: &str) -> String {
    let reply = sign_in(state, username, DEMO_PASSWORD, "/").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    cookie_of(&reply)
}

fn assert_sign_in_required(reply: &Reply) {
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert_eq!(reply.headers[header::WWW_AUTHENTICATE], "Bearer");
    assert_eq!(
        reply.json()["error"]["code"],
        "unauthorized",
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn api_tokens_are_made_listed_used_and_revoked_by_their_user_only() {
    let state = with_demo_users().await;
    let daniel = session_of(&state, "daniel").await;
    let cookie = Some(("cookie", daniel.as_str()));

    let made = call(
        &state,
        "POST",
        "/api/v1/tokens",
        cookie,
        Some(("application/json", r#"{"name": "ci"}"#)),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let made = made.json();
    let secret = made["token"].as_str().expect("token shown").to_owned();
    assert!(secret.starts_with("rolemap_"), "{secret}");
    let id = made["id"].as_i64().expect("id");
    assert_eq!(made["last_used_at"], serde_json::Value::Null);

    // The token signs in as daniel, and its use is noted.
    let bearer = format!("Bearer {secret}");
    let listed = call(
        &state,
        "GET",
        "/api/v1/tokens",
        Some(("authorization", &bearer)),
        None,
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert!(
        !listed.body.contains(&secret),
        "never listed: {}",
        listed.body
    );
    let listed = listed.json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["name"], "ci");
    assert!(listed[0]["last_used_at"].is_string(), "{listed}");
    let page = call(
        &state,
        "GET",
        "/roles/odp:team-leader",
        Some(("authorization", &bearer)),
        None,
    )
    .await;
    assert!(
        page.body
            .contains("Signed in as <strong>Daniel Mensah</strong>")
    );

    // Another user neither sees nor revokes it.
    let aisha = session_of(&state, "aisha").await;
    let theirs = call(
        &state,
        "GET",
        "/api/v1/tokens",
        Some(("cookie", &aisha)),
        None,
    )
    .await;
    assert_eq!(theirs.json(), serde_json::json!([]));
    let uri = format!("/api/v1/tokens/{id}");
    let foreign = call(&state, "DELETE", &uri, Some(("cookie", &aisha)), None).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.body);
    let still = call(
        &state,
        "GET",
        "/api/v1/tokens",
        Some(("authorization", &bearer)),
        None,
    )
    .await;
    assert_eq!(still.status, StatusCode::OK);

    // Revoked by daniel: refused from the next request on, though it was just used.
    let revoked = call(&state, "DELETE", &uri, cookie, None).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert!(revoked.json()["revoked_at"].is_string());
    let after = call(
        &state,
        "GET",
        "/api/v1/tokens",
        Some(("authorization", &bearer)),
        None,
    )
    .await;
    assert_sign_in_required(&after);
    let unknown = call(&state, "DELETE", "/api/v1/tokens/x", cookie, None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn token_endpoints_refuse_anonymous_requests_with_401() {
    let state = with_demo_users().await;
    assert_sign_in_required(&call(&state, "GET", "/api/v1/tokens", None, None).await);
    let body = Some(("application/json", r#"{"name": "ci"}"#));
    assert_sign_in_required(&call(&state, "POST", "/api/v1/tokens", None, body).await);
    assert_sign_in_required(&call(&state, "DELETE", "/api/v1/tokens/1", None, None).await);
    let junk = Some(("authorization", "Bearer rolemap_0123"));
    assert_sign_in_required(&call(&state, "GET", "/api/v1/tokens", junk, None).await);
}

#[tokio::test]
async fn sign_out_and_disabling_take_effect_at_once_though_sessions_are_kept_in_memory() {
    let state = with_demo_users().await;
    let daniel = session_of(&state, "daniel").await;
    let cookie = Some(("cookie", daniel.as_str()));
    assert_eq!(
        call(&state, "GET", "/api/v1/tokens", cookie, None)
            .await
            .status,
        StatusCode::OK
    );
    call(&state, "POST", "/logout", cookie, None).await;
    assert_sign_in_required(&call(&state, "GET", "/api/v1/tokens", cookie, None).await);

    let aisha = session_of(&state, "aisha").await;
    let cookie = Some(("cookie", aisha.as_str()));
    assert_eq!(
        call(&state, "GET", "/api/v1/tokens", cookie, None)
            .await
            .status,
        StatusCode::OK
    );
    state
        .service
        .set_user_disabled("aisha", true, &rolemap_store::Actor::cli())
        .await
        .expect("disable");
    assert_sign_in_required(&call(&state, "GET", "/api/v1/tokens", cookie, None).await);
}

#[tokio::test]
async fn the_account_page_lists_makes_and_revokes_tokens_showing_the_secret_once() {
    let state = with_demo_users().await;
    let anonymous = get_anonymous(&state, "/account").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers[header::LOCATION],
        "/login?next=%2Faccount"
    );

    let daniel = session_of(&state, "daniel").await;
    let cookie = Some(("cookie", daniel.as_str()));
    let page = call(&state, "GET", "/account", cookie, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("You have no API tokens."),
        "{}",
        page.body
    );
    assert!(page.body.contains("action=\"/account/tokens\""));

    let form = "application/x-www-form-urlencoded";
    let made = call(
        &state,
        "POST",
        "/account/tokens",
        cookie,
        Some((form, "name=laptop+script")),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert!(
        made.headers[header::CACHE_CONTROL]
            .to_str()
            .expect("text")
            .contains("no-store")
    );
    let start = made.body.find("value=\"rolemap_").expect("secret shown") + "value=\"".len();
    let secret: String = made.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    assert_eq!(secret.len(), "rolemap_".len() + 64, "{secret}");
    assert!(made.body.contains("only time it is shown"));

    let page = call(&state, "GET", "/account", cookie, None).await;
    assert!(page.body.contains("laptop script"), "{}", page.body);
    assert!(
        !page.body.contains(&secret),
        "the secret is never shown again"
    );
    assert!(page.body.contains(">never<"), "not used yet: {}", page.body);
    let tokens = state.service.api_tokens("daniel").await.expect("tokens");
    let id = tokens[0].id;

    let refused = call(
        &state,
        "POST",
        "/account/tokens",
        cookie,
        Some((form, "name=+")),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("must not be empty"),
        "{}",
        refused.body
    );

    let aisha = session_of(&state, "aisha").await;
    let uri = format!("/account/tokens/{id}/revoke");
    let foreign = call(&state, "POST", &uri, Some(("cookie", &aisha)), None).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);

    let revoked = call(&state, "POST", &uri, cookie, None).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(revoked.headers[header::LOCATION], "/account");
    let page = call(&state, "GET", "/account", cookie, None).await;
    assert!(page.body.contains("revoked 20"), "{}", page.body);
    let bearer = format!("Bearer {secret}");
    let after = call(
        &state,
        "GET",
        "/api/v1/tokens",
        Some(("authorization", &bearer)),
        None,
    )
    .await;
    assert_sign_in_required(&after);
}

#[tokio::test]
async fn the_openapi_document_describes_the_token_endpoints() {
    let state = with_demo_users().await;
    let document = get_anonymous(&state, "/api/v1/openapi.json").await.json();
    let paths = &document["paths"];
    assert!(paths["/api/v1/tokens"]["get"].is_object());
    assert!(paths["/api/v1/tokens"]["post"]["responses"]["201"].is_object());
    assert!(paths["/api/v1/tokens/{id}"]["delete"]["responses"]["401"].is_object());
}
