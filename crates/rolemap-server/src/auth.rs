//! Who is asking: every request passes [`accounts`], which resolves the signed-in user from the
//! session cookie or an `Authorization: Bearer` API token into a [`Viewer`] in the request's
//! extensions (for the permission checks to come), and writes who is signed in into the page
//! header.
//!
//! The header is filled in here rather than by each page so that cached pages, shared by every
//! visitor, never hold one visitor's name: `base.html` carries [`ACCOUNT_MARK`], replaced per
//! request, and so are the form tokens (`guard::CSRF_MARK`). Nothing here refuses a request yet.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use rolemap_store::User;

use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "rolemap_session";

/// Where `base.html` shows who is signed in.
pub const ACCOUNT_MARK: &str = "<!--rolemap:account-->";

/// Who made a request, as far as the server knows.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    /// The signed-in user, by session cookie or API token; `None` for anonymous requests.
    /// Shared with the credential cache, so no request copies it.
    pub user: Option<Arc<User>>,
    /// The session token the cookie carried, if it signed someone in.
    pub session: Option<String>,
    /// The peer's address, when the server knows it (not in tests driven with `oneshot`).
    pub address: Option<IpAddr>,
    /// Whether the request reached us over TLS (directly or through a proxy saying so), so that
    /// the session cookie is marked `Secure`.
    pub secure: bool,
}

impl Viewer {
    /// Who is making this request, for the audit log: the signed-in user (if any) and the peer's
    /// address, as the server knows them; nothing the request says about itself.
    pub fn actor(&self, via: rolemap_store::Via) -> rolemap_store::Actor {
        rolemap_store::Actor {
            user: self.user.as_ref().map(|u| u.id),
            username: self.user.as_ref().map(|u| u.username.clone()),
            address: self.address.map(|a| a.to_string()),
            via,
        }
    }
}

/// The value of one cookie in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn is_secure(request: &Request) -> bool {
    request.uri().scheme_str() == Some("https")
        || request
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The `Set-Cookie` value that hands a session token to the browser (or, with `None`, ends it).
pub fn session_cookie(token: Option<&str>, secure: bool) -> HeaderValue {
    let value = match token {
        Some(token) => format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
            rolemap_service::SESSION_LIFETIME.as_secs()
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    };
    let value = if secure {
        format!("{value}; Secure")
    } else {
        value
    };
    // Tokens are hex digits, so the value is always a valid header.
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(""))
}

/// What is read of a request before any await (a request is not `Sync`, for its body): the
/// viewer without a user, and the bearer token and session cookie.
fn credentials(request: &Request) -> (Viewer, Option<String>, Option<String>) {
    let viewer = Viewer {
        address: request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip()),
        secure: is_secure(request),
        ..Viewer::default()
    };
    let bearer = bearer(request.headers()).map(str::to_owned);
    let session = cookie(request.headers(), SESSION_COOKIE);
    (viewer, bearer, session)
}

async fn resolve(
    state: &AppState,
    mut viewer: Viewer,
    bearer: Option<String>,
    session: Option<String>,
) -> Viewer {
    let service = &state.service;
    let found = if let Some(token) = bearer {
        service.token_user(&token).await
    } else if let Some(token) = session {
        let user = service.session_user(&token).await;
        if matches!(user, Ok(Some(_))) {
            viewer.session = Some(token);
        }
        user
    } else {
        Ok(None)
    };
    match found {
        Ok(user) => viewer.user = user,
        // Not knowing who asks is no reason to fail a request that nothing yet restricts.
        Err(error) => tracing::warn!(%error, "could not resolve the signed-in user"),
    }
    viewer
}

/// Resolves the [`Viewer`] into the request's extensions, then fills the account mark of an
/// HTML page in.
pub async fn accounts(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let (viewer, bearer, session) = credentials(&request);
    // A client signing in with an API token sends its forms with the token too, which the form
    // guard accepts without a form token: it gets none, and no cookie to bind one to.
    let by_token = bearer.is_some();
    let viewer = resolve(&state, viewer, bearer, session).await;
    let user = viewer.user.clone();
    let secure = viewer.secure;
    let binding = crate::guard::binding(request.headers());
    request.extensions_mut().insert(viewer);
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let header_html = account_html(user.as_deref());
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(page) = std::str::from_utf8(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if !page.contains(ACCOUNT_MARK) && !page.contains(crate::guard::CSRF_MARK) {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let mut page = page.replacen(ACCOUNT_MARK, &header_html, 1);
    if page.contains(crate::guard::CSRF_MARK) {
        // A browser without a cookie to bind tokens to gets one with its first form.
        let binding = binding.or_else(|| {
            if by_token {
                return None;
            }
            let (binding, cookie) = crate::guard::new_binding(secure)?;
            parts.headers.append(header::SET_COOKIE, cookie);
            Some(binding)
        });
        let field = binding
            .map(|b| crate::guard::token_field(&state.guard.form_token(&b)))
            .unwrap_or_default();
        page = page.replace(crate::guard::CSRF_MARK, &field);
        // The page holds this visitor's token: no cache may keep it.
        parts.headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    // The page now differs by who is signed in: shared caches must not mix visitors.
    parts
        .headers
        .insert(header::VARY, HeaderValue::from_static("Cookie"));
    Response::from_parts(parts, Body::from(page))
}

fn account_html(user: Option<&User>) -> String {
    match user {
        Some(user) => format!(
            "<li class=\"account\">Signed in as <strong>{}</strong> ({}) {}\
             <form method=\"post\" action=\"/logout\" class=\"inline\">{}\
             <button type=\"submit\">Sign out</button></form></li>",
            rolemap_formats::jd::escape_html(&user.display_name),
            user.role.as_str().replace('_', " "),
            if user.role == rolemap_store::UserRole::Admin {
                "<a href=\"/admin/audit\">Audit log</a> <a href=\"/admin/users\">Users</a> "
            } else {
                ""
            },
            crate::guard::CSRF_MARK,
        ),
        None => "<li class=\"account\"><a href=\"/login\">Sign in</a></li>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; rolemap_session=abc"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "b"), None);
    }

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_only_behind_tls() {
        let plain = session_cookie(Some("t"), false);
        let plain = plain.to_str().unwrap();
        assert!(
            plain.contains("HttpOnly") && plain.contains("SameSite=Lax"),
            "{plain}"
        );
        assert!(!plain.contains("Secure"));
        assert!(
            session_cookie(Some("t"), true)
                .to_str()
                .unwrap()
                .ends_with("; Secure")
        );
    }
}
