//! The sign-in and sign-out pages, and the account page. A sign-in sets the session cookie and
//! goes back to the page that sent the visitor (a path on this site only); a wrong username or
//! password gets one answer for both. The account page lists the user's API tokens (never their
//! secrets), makes one (its secret on the answer page, once) and revokes one.

use axum::extract::rejection::FormRejection;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use rolemap_service::SignIn;
use rolemap_service::dto::ApiTokenDto;
use rolemap_store::User;
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
        .as_ref()
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
        .create_api_token(&user.username, &form.name)
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
    match state.service.revoke_api_token(&user.username, number).await {
        Ok(_) => Redirect::to("/account").into_response(),
        Err(error) => crate::web::errors::error_page(&state, &uri, error),
    }
}
