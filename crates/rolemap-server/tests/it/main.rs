//! The server through its public interface: `app(state).oneshot(request)` on a fresh database with
//! the built-in framework and the demo team.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod api;
mod case;
mod esco;
mod harden;
mod scale;
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

/// The application over a fresh in-memory database with the built-in framework and demo team.
pub async fn state() -> AppState {
    let store = SqliteStore::in_memory().await.expect("store");
    let service = Service::new(Arc::new(store));
    service
        .init(true, "2026-04-01T00:00:00Z")
        .await
        .expect("init");
    AppState::new(service)
}

pub async fn send(state: &AppState, request: Request<Body>) -> Reply {
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

/// Posts a form as a browser would: with the token and cookie a page of this site handed out.
pub async fn post_form(state: &AppState, uri: &str, body: &str) -> Reply {
    let (cookie, token) = anonymous_form_token(state).await;
    post_form_as(state, uri, body, &cookie, &token).await
}

/// Posts a form with this `Cookie` header and form token.
pub async fn post_form_as(
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
    let page = get(state, "/login").await;
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
