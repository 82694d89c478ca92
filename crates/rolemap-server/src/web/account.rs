//! The sign-in and sign-out pages. A sign-in sets the session cookie and goes back to the page
//! that sent the visitor (a path on this site only); a wrong username or password gets one
//! answer for both.

use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use rolemap_service::SignIn;
use serde::{Deserialize, Serialize};

use crate::auth::{Viewer, session_cookie};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NextQuery {
    #[serde(default)]
    next: String,
}

#[derive(Debug, Serialize)]
struct LoginPage {
    /// Who is signed in, on the sign-out page.
    signed_in: Option<String>,
    message: Option<String>,
    username: String,
    next: String,
}

/// Only a path on this site: never another host (`//host`, `https://...`), so a link to the
/// sign-in page cannot send a visitor elsewhere.
fn local_path(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

pub(crate) async fn login_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<NextQuery>,
) -> Response {
    let page = LoginPage {
        signed_in: viewer.user.map(|u| u.display_name),
        message: None,
        username: String::new(),
        next: local_path(&query.next),
    };
    state.templates.render("login.html", page)
}

pub(crate) async fn login_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let next = local_path(&form.next);
    let refused = |status: StatusCode, message: String| {
        let page = LoginPage {
            signed_in: None,
            message: Some(message),
            username: form.username.clone(),
            next: next.clone(),
        };
        state.templates.render_status(status, "login.html", page)
    };
    match state
        .service
        .sign_in(&form.username, &form.password, viewer.address)
        .await
    {
        Ok(SignIn::Accepted { token, .. }) => {
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie(Some(&token), viewer.secure),
            );
            response
        }
        Ok(SignIn::Refused) => refused(
            StatusCode::UNAUTHORIZED,
            "Wrong username or password.".to_owned(),
        ),
        Ok(SignIn::Throttled { retry_after }) => {
            let minutes = retry_after.as_secs().div_ceil(60).max(1);
            let mut response = refused(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Too many failed sign-ins. Try again in {minutes} minute{}.",
                    if minutes == 1 { "" } else { "s" }
                ),
            );
            if let Ok(value) = HeaderValue::from_str(&retry_after.as_secs().to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Err(error) => {
            tracing::error!(%error, "sign-in failed");
            refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Signing in failed; it has been logged.".to_owned(),
            )
        }
    }
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Response {
    if let Some(token) = &viewer.session
        && let Err(error) = state.service.sign_out(token).await
    {
        tracing::error!(%error, "sign-out failed");
    }
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(None, viewer.secure));
    response
}
