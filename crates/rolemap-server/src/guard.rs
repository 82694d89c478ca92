//! Requests another site makes a browser send: every request must name this server in its
//! `Host` (so a page on a DNS-rebound name cannot read what rolemap serves on localhost), and
//! every state-changing request (POST, PUT, PATCH, DELETE) must come from this site: a foreign
//! `Origin` or `Sec-Fetch-Site: cross-site` is refused, a form must carry the form token of the
//! visitor, and an API write carried by a session cookie must name this site as its `Origin`.
//! (An API token is never sent by a browser on its own, so a request carrying one needs none.)
//!
//! Form tokens are keyed hashes of what identifies the visitor's browser: the session cookie
//! when there is one, else a random cookie of their own (`rolemap_csrf`) set with the first
//! page holding a form. Pages carry [`CSRF_MARK`] where a token goes; `auth::accounts` fills it
//! in per request, so cached pages, shared by every visitor, never hold one.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::auth::{SESSION_COOKIE, cookie};
use crate::error::ApiError;
use crate::shape::is_api;
use crate::state::AppState;

/// Where a page's form gets its token.
pub const CSRF_MARK: &str = "<!--rolemap:csrf-->";

/// The cookie an anonymous visitor's form tokens are bound to.
pub const CSRF_COOKIE: &str = "rolemap_csrf";

/// The form field (or `X-CSRF-Token` header) carrying the token.
pub const CSRF_FIELD: &str = "csrf";

/// A host name this server answers to, with its port; `None` takes any port (the loopback names
/// when the server is driven without a socket, as tests do).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Allowed {
    host: String,
    port: Option<u16>,
}

/// Which hosts and origins are this server, and the key form tokens are made with.
#[derive(Clone)]
pub struct Guard {
    allowed: Vec<Allowed>,
    /// Drawn at start: a restart makes forms open in browsers stale, which a reload mends.
    key: [u8; 32],
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("allowed", &self.allowed)
            .finish_non_exhaustive()
    }
}

impl Default for Guard {
    fn default() -> Self {
        Guard::new()
    }
}

const LOOPBACK: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

impl Guard {
    /// The loopback names on any port, with a fresh key.
    pub fn new() -> Guard {
        let mut key = [0; 32];
        if let Err(error) = getrandom::fill(&mut key) {
            // Without randomness a key would be guessable; no form could be trusted.
            tracing::error!(%error, "no randomness for the form-token key");
        }
        Guard {
            allowed: loopback(None),
            key,
        }
    }

    /// The loopback names on the port the server is bound to, and the bound address itself.
    pub fn bound(mut self, addr: SocketAddr) -> Guard {
        let port = Some(addr.port());
        self.allowed.retain(|a| a.port.is_some());
        self.allowed.extend(loopback(port));
        if !addr.ip().is_unspecified() {
            let host = match addr {
                SocketAddr::V4(v4) => v4.ip().to_string(),
                SocketAddr::V6(v6) => format!("[{}]", v6.ip()),
            };
            self.allowed.push(Allowed { host, port });
        }
        self
    }

    /// Also the host of the address users reach the server by (behind a proxy, say
    /// `https://rolemap.example.org`).
    pub fn public_url(mut self, url: &str) -> Result<Guard, String> {
        let (scheme, authority) =
            scheme_and_authority(url.trim_end_matches('/')).ok_or_else(|| {
                format!("public URL '{url}' is not http://HOST[:PORT] or https://HOST[:PORT]")
            })?;
        let authority = authority.split('/').next().unwrap_or(authority);
        let (host, port) = split_authority(authority)
            .ok_or_else(|| format!("public URL '{url}' has no valid host and port"))?;
        if host.is_empty() {
            return Err(format!("public URL '{url}' names no host"));
        }
        self.allowed.push(Allowed {
            host: host.to_ascii_lowercase(),
            port: Some(port.unwrap_or(default_port(scheme))),
        });
        Ok(self)
    }

    /// Whether a `Host` header (or a URI's authority) names this server.
    pub fn host_allowed(&self, authority: &str) -> bool {
        split_authority(authority).is_some_and(|(host, port)| self.matches(host, port))
    }

    /// Whether an `Origin` header names this site.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        let Some((scheme, authority)) = scheme_and_authority(origin) else {
            return false;
        };
        split_authority(authority).is_some_and(|(host, port)| {
            self.matches(host, Some(port.unwrap_or(default_port(scheme))))
        })
    }

    /// Whether `host` (in any case) and `port` are one of the allowed, which are kept lower case.
    fn matches(&self, host: &str, port: Option<u16>) -> bool {
        self.allowed.iter().any(|a| {
            a.host.eq_ignore_ascii_case(host)
                && match (a.port, port) {
                    (None, _) => true,
                    (Some(p), Some(q)) => p == q,
                    // A Host without a port: the scheme's default, which behind a proxy may be
                    // either.
                    (Some(p), None) => p == 80 || p == 443,
                }
        })
    }

    /// The form token for a browser identified by `binding` (see [`binding`]).
    pub fn form_token(&self, binding: &Binding) -> String {
        // HMAC accepts keys of any length, so this cannot fail; an empty token never matches.
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key) else {
            return String::new();
        };
        mac.update(binding.kind.as_bytes());
        mac.update(b":");
        mac.update(binding.value.as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

fn loopback(port: Option<u16>) -> Vec<Allowed> {
    LOOPBACK
        .iter()
        .map(|host| Allowed {
            host: (*host).to_owned(),
            port,
        })
        .collect()
}

fn default_port(scheme: &str) -> u16 {
    if scheme == "https" { 443 } else { 80 }
}

fn scheme_and_authority(url: &str) -> Option<(&'static str, &str)> {
    let lower = url
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if lower.starts_with("https://") {
        Some(("https", &url[8..]))
    } else if lower.starts_with("http://") {
        Some(("http", &url[7..]))
    } else {
        None
    }
}

/// `host[:port]` or `[v6]:port` as the host (as written: compare it ignoring case) and the port,
/// if given. Borrowed, not lowered into a new string: every request's `Host` passes here.
fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, rest) = authority.split_at(end + 1);
        match rest.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if rest.is_empty() => (host, None),
            None => return None,
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.contains(['@', '/', '?', '#']) {
        return None;
    }
    let port = match port {
        Some(port) => Some(port.parse::<u16>().ok()?),
        None => None,
    };
    Some((host, port))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a browser's form tokens are bound to: its session cookie, else its own token cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    kind: &'static str,
    value: String,
}

/// The binding the request's cookies give, if any.
pub fn binding(headers: &HeaderMap) -> Option<Binding> {
    let found = |name: &str, kind: &'static str| {
        cookie(headers, name)
            .filter(|v| !v.is_empty())
            .map(|value| Binding { kind, value })
    };
    found(SESSION_COOKIE, "session").or_else(|| found(CSRF_COOKIE, "anonymous"))
}

/// A new binding for a browser that has none, and the cookie that hands it over.
pub fn new_binding(secure: bool) -> Option<(Binding, HeaderValue)> {
    let mut bytes = [0; 16];
    getrandom::fill(&mut bytes).ok()?;
    let value = hex(&bytes);
    let cookie = format!(
        "{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    );
    let header = HeaderValue::from_str(&cookie).ok()?;
    Some((
        Binding {
            kind: "anonymous",
            value,
        },
        header,
    ))
}

/// The hidden field a form carries its token in.
pub fn token_field(token: &str) -> String {
    format!("<input type=\"hidden\" name=\"{CSRF_FIELD}\" value=\"{token}\">")
}

fn changes_state(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Equal without telling by its timing how much of a guess was right.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The token a form body carries (tokens are hex digits, so no decoding is needed).
fn form_field(body: &[u8]) -> Option<&str> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == CSRF_FIELD)
        .map(|(_, value)| value)
}

/// The token a form body carries, urlencoded or (a form uploading a file) multipart.
fn form_token(body: &[u8], content_type: &str) -> Option<String> {
    use crate::web::multipart;
    match multipart::boundary(content_type) {
        Some(boundary) => multipart::fields(body, boundary)?
            .into_iter()
            .find(|f| f.name == CSRF_FIELD && f.file_name.is_none())
            .and_then(|f| String::from_utf8(f.data).ok()),
        None => form_field(body).map(str::to_owned),
    }
}

fn refuse(state: &AppState, request: &Request, error: ApiError) -> Response {
    if is_api(request.uri().path()) {
        error.into_response()
    } else {
        crate::web::error_page(state, request.uri(), error)
    }
}

fn forbidden(message: &str) -> ApiError {
    ApiError::refused(StatusCode::FORBIDDEN, "forbidden", message)
}

/// Checks the request's host, and for a state-changing request its origin and form token. The
/// answer carries the route the request matched, for the request log, which sits outside the
/// routing and so cannot see it.
pub async fn check(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let mut response = admit(state, request, next).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}

async fn admit(state: AppState, request: Request, next: Next) -> Response {
    let guard = &state.guard;
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    if let Some(host) = host
        && !guard.host_allowed(host)
    {
        let error = ApiError::refused(
            StatusCode::MISDIRECTED_REQUEST,
            "misdirected",
            "this server does not answer for that host name; set its public URL \
             (rolemap serve --public-url) to reach it by another name",
        );
        return refuse(&state, &request, error);
    }
    if !changes_state(request.method()) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    let origin = headers
        .get(header::ORIGIN)
        .map(|v| v.to_str().unwrap_or(""));
    if cross_site || origin.is_some_and(|o| !guard.origin_allowed(o)) {
        return refuse(
            &state,
            &request,
            forbidden("requests that change data must come from this site"),
        );
    }
    if is_api(request.uri().path()) {
        let bearer = headers.contains_key(header::AUTHORIZATION);
        if !bearer && origin.is_none() && cookie(headers, SESSION_COOKIE).is_some() {
            return refuse(
                &state,
                &request,
                forbidden(
                    "a change signed in by the session cookie must carry this site's Origin; \
                     integrations use an API token",
                ),
            );
        }
        return next.run(request).await;
    }
    // A page's form sent with an API token: browsers never add that header to a request
    // another site makes, and the token, not a cookie, says who is asking.
    if headers.contains_key(header::AUTHORIZATION) {
        return next.run(request).await;
    }
    let Some(binding) = binding(headers) else {
        return refuse(
            &state,
            &request,
            forbidden("the form has expired; reload the page and send it again"),
        );
    };
    let expected = guard.form_token(&binding);
    let header_token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, crate::BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let request = Request::from_parts(parts, Body::empty());
            return refuse(
                &state,
                &request,
                ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE),
            );
        }
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let sent = header_token.or_else(|| form_token(&bytes, content_type));
    let request = Request::from_parts(parts, Body::from(bytes));
    if !sent.is_some_and(|t| same(&t, &expected)) {
        return refuse(
            &state,
            &request,
            forbidden("the form has expired; reload the page and send it again"),
        );
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn loopback_names_answer_on_the_bound_port_only() {
        let guard = Guard::new().bound("127.0.0.1:8080".parse().unwrap());
        assert!(guard.host_allowed("localhost:8080"));
        assert!(guard.host_allowed("127.0.0.1:8080"));
        assert!(guard.host_allowed("[::1]:8080"));
        assert!(!guard.host_allowed("localhost:3000"));
        assert!(!guard.host_allowed("evil.example:8080"));
        assert!(!guard.host_allowed("localhost.evil.example:8080"));
        assert!(guard.origin_allowed("http://localhost:8080"));
        assert!(!guard.origin_allowed("http://localhost:3000"));
        assert!(!guard.origin_allowed("null"));
        assert!(!guard.origin_allowed("https://evil.example"));
    }

    #[test]
    fn the_public_url_is_answered_with_or_without_its_default_port() {
        let guard = Guard::new()
            .bound("0.0.0.0:8080".parse().unwrap())
            .public_url("https://Rolemap.Example.org/")
            .unwrap();
        assert!(guard.host_allowed("rolemap.example.org"));
        assert!(guard.host_allowed("rolemap.example.org:443"));
        assert!(!guard.host_allowed("rolemap.example.org:8443"));
        assert!(guard.origin_allowed("https://rolemap.example.org"));
        assert!(!guard.origin_allowed("https://other.example.org"));
        assert!(!guard.host_allowed("0.0.0.0:8080"));
        assert!(Guard::new().public_url("rolemap.example.org").is_err());
    }

    #[test]
    fn form_tokens_differ_by_binding_and_by_key() {
        let guard = Guard::new();
        let a = Binding {
            kind: "session",
            value: "abc".to_owned(),
        };
        let b = Binding {
            kind: "anonymous",
            value: "abc".to_owned(),
        };
        assert_eq!(guard.form_token(&a), guard.form_token(&a));
        assert_ne!(guard.form_token(&a), guard.form_token(&b));
        assert_ne!(guard.form_token(&a), Guard::new().form_token(&a));
        assert_eq!(guard.form_token(&a).len(), 64);
    }

    #[test]
    fn the_token_is_read_from_a_form_body() {
        assert_eq!(form_field(b"a=1&csrf=ff00&b=2"), Some("ff00"));
        assert_eq!(form_field(b"a=1"), None);
        let multipart =
            b"--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nff00\r\n--b--\r\n";
        assert_eq!(
            form_token(multipart, "multipart/form-data; boundary=b").as_deref(),
            Some("ff00")
        );
        assert_eq!(
            form_token(multipart, "multipart/form-data; boundary=c"),
            None
        );
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
