//! The sign-in and sign-out pages, and the account page. A sign-in sets the session cookie and
//! goes back to the page that sent the visitor (a path on this site only); a wrong username or
//! password gets one answer for both. With an identity provider configured, the sign-in page also
//! offers it (`/login/oidc`, see `crate::oidc`), and its callback opens the same kind of session.
//! The account page lists the user's API tokens (never their secrets), makes one (its secret on
//! the answer page, once) and revokes one.

use axum::extract::rejection::FormRejection;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use rolemap_service::dto::ApiTokenDto;
use rolemap_service::{EmailSignIn, SignIn};
use rolemap_store::{User, Via};
use serde::{Deserialize, Serialize};

use crate::auth::{Viewer, cookie, session_cookie};
use crate::oidc::{Callback, STATE_COOKIE};
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
    /// The identity provider's name for the "Sign in with" button, when one is configured.
    oidc: Option<String>,
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
        signed_in: viewer.user.map(|u| u.display_name.clone()),
        message: None,
        username: String::new(),
        next: local_path(&query.next),
        oidc: oidc_name(&state),
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
            oidc: oidc_name(&state),
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
        && let Err(error) = state.service.sign_out(token, &viewer.actor(Via::Web)).await
    {
        tracing::error!(%error, "sign-out failed");
    }
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(None, viewer.secure));
    response
}

fn oidc_name(state: &AppState) -> Option<String> {
    state.oidc.as_ref().map(|oidc| oidc.name().to_owned())
}

/// The `Set-Cookie` value that ties a sign-in at the provider to this browser (or, with `None`,
/// forgets it). Only the OIDC paths see it.
fn state_cookie(state: Option<&str>, secure: bool) -> HeaderValue {
    let value = match state {
        Some(state) => format!(
            "{STATE_COOKIE}={state}; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age={}",
            crate::oidc::PENDING_FOR.as_secs()
        ),
        None => format!("{STATE_COOKIE}=; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=0"),
    };
    let value = if secure {
        format!("{value}; Secure")
    } else {
        value
    };
    // States are URL-safe base64, so the value is always a valid header.
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(""))
}

/// `GET /login/oidc?next=/path`: sends the browser to the identity provider.
pub(crate) async fn oidc_start(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<NextQuery>,
) -> Response {
    let Some(oidc) = &state.oidc else {
        return oidc_refused(
            &state,
            StatusCode::NOT_FOUND,
            "Sign-in through an identity provider is not configured here.".to_owned(),
            local_path(&query.next),
        );
    };
    let (url, oidc_state) = oidc.begin(local_path(&query.next)).await;
    let mut response = Redirect::to(&url).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        state_cookie(Some(&oidc_state), viewer.secure),
    );
    response
}

/// `GET /login/oidc/callback?code&state`: where the identity provider sends the browser back.
/// A verified email address of exactly one enabled user opens a session; anything else shows
/// the sign-in page with the reason and opens none.
pub(crate) async fn oidc_callback(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: axum::http::HeaderMap,
    Query(callback): Query<Callback>,
) -> Response {
    let Some(oidc) = &state.oidc else {
        return oidc_refused(
            &state,
            StatusCode::NOT_FOUND,
            "Sign-in through an identity provider is not configured here.".to_owned(),
            "/".to_owned(),
        );
    };
    let browser_state = cookie(&headers, STATE_COOKIE);
    let (next, verified) = oidc.finish(callback, browser_state.as_deref()).await;
    let mut response = match verified {
        Err(refusal) => {
            tracing::warn!(reason = refusal.as_str(), "OpenID Connect sign-in refused");
            oidc_refused(&state, refusal.status(), refusal.message(), next)
        }
        Ok(email) => match state.service.sign_in_by_email(&email, viewer.address).await {
            Ok(EmailSignIn::Accepted { user, token, .. }) => {
                tracing::info!(user = user.id.0, "signed in through OpenID Connect");
                let mut response = Redirect::to(&next).into_response();
                response.headers_mut().insert(
                    header::SET_COOKIE,
                    session_cookie(Some(&token), viewer.secure),
                );
                response
            }
            Ok(refused) => {
                let (reason, message) = match refused {
                    EmailSignIn::Disabled => (
                        "user_disabled",
                        "Your rolemap user is disabled. Ask an administrator.",
                    ),
                    EmailSignIn::Ambiguous => (
                        "email_shared",
                        "More than one rolemap user has your email address, so it does not \
                         say which you are. Ask an administrator.",
                    ),
                    _ => (
                        "email_unknown",
                        "No rolemap user has the email address your identity provider gave. \
                         Ask an administrator to add it to your user.",
                    ),
                };
                tracing::warn!(reason, "OpenID Connect sign-in refused");
                oidc_refused(&state, StatusCode::FORBIDDEN, message.to_owned(), next)
            }
            Err(error) => {
                tracing::error!(%error, "OpenID Connect sign-in failed");
                oidc_refused(
                    &state,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Signing in failed; it has been logged.".to_owned(),
                    next,
                )
            }
        },
    };
    // The state is used up either way.
    response
        .headers_mut()
        .append(header::SET_COOKIE, state_cookie(None, viewer.secure));
    response
}

/// The sign-in page with why the identity provider's sign-in did not happen.
fn oidc_refused(state: &AppState, status: StatusCode, message: String, next: String) -> Response {
    let page = LoginPage {
        signed_in: None,
        message: Some(message),
        username: String::new(),
        next,
        oidc: oidc_name(state),
    };
    state.templates.render_status(status, "login.html", page)
}

#[derive(Debug, Serialize)]
struct AccountUser {
    username: String,
    display_name: String,
    role: String,
}

#[derive(Debug, Serialize)]
struct NewToken {
    name: String,
    token: String,
}

#[derive(Debug, Serialize)]
struct AccountPage {
    user: AccountUser,
    tokens: Vec<ApiTokenDto>,
    /// On the answer to making a token: the token, shown this once.
    new_token: Option<NewToken>,
    /// Why a token was not made.
    message: Option<String>,
    /// The name typed, kept when refused.
    name: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    name: String,
}

/// The signed-in user, or the sign-in page that comes back here.
#[allow(clippy::result_large_err)]
fn signed_in(viewer: &Viewer) -> Result<&User, Response> {
    viewer
        .user
        .as_deref()
        .ok_or_else(|| Redirect::to("/login?next=/account").into_response())
}

/// Pages that hold a user's tokens are never kept by a browser or proxy.
fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn account_page(
    state: &AppState,
    uri: &axum::http::Uri,
    user: &User,
    status: StatusCode,
    new_token: Option<NewToken>,
    message: Option<String>,
    name: String,
) -> Response {
    let tokens = match state.service.api_tokens(&user.username).await {
        Ok(tokens) => tokens,
        Err(error) => return crate::web::errors::error_page(state, uri, error),
    };
    let page = AccountPage {
        user: AccountUser {
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str().replace('_', " "),
        },
        tokens: tokens.iter().map(ApiTokenDto::from).collect(),
        new_token,
        message,
        name,
    };
    private(state.templates.render_status(status, "account.html", page))
}

pub(crate) async fn account(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    OriginalUri(uri): OriginalUri,
) -> Response {
    let user = match signed_in(&viewer) {
        Ok(user) => user,
        Err(response) => return response,
    };
    account_page(
        &state,
        &uri,
        user,
        StatusCode::OK,
        None,
        None,
        String::new(),
    )
    .await
}

pub(crate) async fn create_token(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    OriginalUri(uri): OriginalUri,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Response {
    let user = match signed_in(&viewer) {
        Ok(user) => user,
        Err(response) => return response,
    };
    let form = form.map(|Form(f)| f).unwrap_or_default();
    match state
        .service
        .create_api_token(&user.username, &form.name, &viewer.actor(Via::Web))
        .await
    {
        Ok(made) => {
            let new_token = NewToken {
                name: made.record.name,
                token: made.token,
            };
            account_page(
                &state,
                &uri,
                user,
                StatusCode::CREATED,
                Some(new_token),
                None,
                String::new(),
            )
            .await
        }
        Err(rolemap_service::ServiceError::Invalid { field, message }) => {
            let message = format!("The token's {}: {message}.", field.replace('_', " "));
            account_page(
                &state,
                &uri,
                user,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(message),
                form.name,
            )
            .await
        }
        Err(error) => crate::web::errors::error_page(&state, &uri, error),
    }
}

pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> Response {
    let user = match signed_in(&viewer) {
        Ok(user) => user,
        Err(response) => return response,
    };
    let Ok(number) = id.trim().parse::<i64>() else {
        return crate::web::errors::page_not_found(&state, &uri);
    };
    match state
        .service
        .revoke_api_token(&user.username, number, &viewer.actor(Via::Web))
        .await
    {
        Ok(_) => Redirect::to("/account").into_response(),
        Err(error) => crate::web::errors::error_page(&state, &uri, error),
    }
}
