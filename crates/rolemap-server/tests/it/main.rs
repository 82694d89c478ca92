//! The server through its public interface: `app(state).oneshot(request)` on a fresh database with
//! the built-in framework and the demo team.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod accounts;
mod api;
mod audit;
mod case;
mod esco;
mod formats;
mod harden;
mod oidc;
mod people_admin;
mod plans;
mod scale;
mod tokens;
mod web;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use rolemap_server::{AppState, app};
use rolemap_service::Service;
use rolemap_store::SqliteStore;
use tower::ServiceExt;

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// The application over a fresh in-memory database with the built-in framework and demo team,
/// and its administrator [`ADMIN`] (see [`add_admin`]).
pub async fn state() -> AppState {
    let store = SqliteStore::in_memory().await.expect("store");
    let service = Service::new(Arc::new(store));
    service
        .init(true, &rolemap_store::Actor::cli(), "2026-04-01T00:00:00Z")
        .await
        .expect("init");
    add_admin(&service).await;
    AppState::new(service)
}

/// The administrator every test request is sent as unless it says otherwise: the demo admin,
/// linked to the head of the demo team, so above everyone in it.
pub const ADMIN: &str = "grace";

/// Adds [`ADMIN`] as `serve --demo` would (password `DEMO_PASSWORD`), hashing the password once
/// for the whole test run rather than once per test.
pub async fn add_admin(service: &Service) {
    let people = service.people().await.expect("people");
    let head = people
        .iter()
        .find(|p| p.key == "grace-okafor")
        .map(|p| p.id);
    let user = rolemap_store::NewUser {
        username: ADMIN.to_owned(),
        display_name: "Grace Okafor".to_owned(),
        email: String::new(),
        role: rolemap_store::UserRole::Admin,
        person: head,
        password_hash: password_hash().await.to_owned(),
        demo: true,
    };
    service
        .store()
        .add_user(&user, &rolemap_store::Actor::cli(), "2026-04-01T00:00:00Z")
        .await
        .expect("admin");
}

/// Adds a user with the demo password, linked to the person with key `person` if given, and
/// returns a fresh API token of theirs.
pub async fn user_token(
    state: &AppState,
    username: &str,
    role: rolemap_store::UserRole,
    person: Option<&str>,
) -> String {
    let person = match person {
        Some(key) => Some(state.service.person(key).await.expect("person").id),
        None => None,
    };
    let user = rolemap_store::NewUser {
        username: username.to_owned(),
        display_name: username.to_owned(),
        email: String::new(),
        role,
        person,
        password_hash: password_hash().await.to_owned(),
        demo: false,
    };
    state
        .service
        .store()
        .add_user(&user, &rolemap_store::Actor::cli(), "2026-04-01T00:00:00Z")
        .await
        .expect("user");
    token(state, username).await
}

/// The demo password's hash, made once for the whole test run (argon2id is slow on purpose).
async fn password_hash() -> &'static str {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    HASH.get_or_init(|| async {
        rolemap_service::hash_password(rolemap_service::DEMO_PASSWORD)
            .await
            .expect("hash")
    })
    .await
}

/// A fresh API token of a user, as `Authorization: Bearer` takes it.
pub async fn token(state: &AppState, username: &str) -> String {
    state
        .service
        .create_api_token(username, "tests", &rolemap_store::Actor::cli())
        .await
        .expect("token")
        .token
}

/// Sends a request as [`ADMIN`] (with a fresh API token), unless it carries credentials of its
/// own; [`send_anonymous`] sends one without.
pub async fn send(state: &AppState, mut request: Request<Body>) -> Reply {
    let headers = request.headers();
    if !headers.contains_key(header::AUTHORIZATION) && !headers.contains_key(header::COOKIE) {
        let bearer = format!("Bearer {}", token(state, ADMIN).await);
        request
            .headers_mut()
            .insert(header::AUTHORIZATION, bearer.parse().expect("header"));
    }
    send_anonymous(state, request).await
}

/// Sends a request as it is, with whatever credentials it carries.
pub async fn send_anonymous(state: &AppState, request: Request<Body>) -> Reply {
    let response = app(state.clone()).oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        content_type,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(state: &AppState, uri: &str) -> Reply {
    send(
        state,
        Request::get(uri).body(Body::empty()).expect("request"),
    )
    .await
}

pub async fn post_json(state: &AppState, uri: &str, body: &str) -> Reply {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("request");
    send(state, request).await
}

/// A plain-text POST as [`ADMIN`].
pub async fn post_text(state: &AppState, uri: &str, body: &str) -> Reply {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(body.to_owned()))
        .expect("request");
    send(state, request).await
}

/// A request with no credentials.
pub async fn get_anonymous(state: &AppState, uri: &str) -> Reply {
    send_anonymous(
        state,
        Request::get(uri).body(Body::empty()).expect("request"),
    )
    .await
}

/// A GET with a user's API token.
pub async fn get_as(state: &AppState, token: &str, uri: &str) -> Reply {
    let request = Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    send(state, request).await
}

/// A form POST with a user's API token.
pub async fn post_form_as(state: &AppState, token: &str, uri: &str, body: &str) -> Reply {
    let request = Request::post(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .expect("request");
    send(state, request).await
}

/// A JSON POST with a user's API token.
pub async fn post_json_as(state: &AppState, token: &str, uri: &str, body: &str) -> Reply {
    let request = Request::post(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("request");
    send(state, request).await
}

/// Posts a form as [`ADMIN`], with an API token (which needs no form token).
pub async fn post_form(state: &AppState, uri: &str, body: &str) -> Reply {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .expect("request");
    send(state, request).await
}

/// Posts a form as an anonymous browser would: with the cookie and form token a page of this
/// site handed out.
pub async fn post_form_anonymous(state: &AppState, uri: &str, body: &str) -> Reply {
    let (cookie, token) = anonymous_form_token(state).await;
    post_form_with(state, uri, body, &cookie, &token).await
}

/// Posts a form with this `Cookie` header and form token.
pub async fn post_form_with(
    state: &AppState,
    uri: &str,
    body: &str,
    cookie: &str,
    token: &str,
) -> Reply {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(format!("{body}&csrf={token}")))
        .expect("request");
    send(state, request).await
}

/// The form token a page holds.
pub fn token_in(page: &str) -> String {
    let start = page
        .find("name=\"csrf\" value=\"")
        .unwrap_or_else(|| panic!("no form token in {page}"))
        + "name=\"csrf\" value=\"".len();
    page[start..].split('"').next().expect("token").to_owned()
}

/// The cookie (`name=value`) and form token an anonymous visitor gets with the sign-in page.
pub async fn anonymous_form_token(state: &AppState) -> (String, String) {
    let page = get_anonymous(state, "/login").await;
    let cookie = page
        .headers
        .get(header::SET_COOKIE)
        .expect("a token cookie")
        .to_str()
        .expect("text")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    (cookie, token_in(&page.body))
}
