//! Security headers on every response: a content security policy that allows scripts only from
//! this site (the pages' one script is `/static/rolemap.js`; no template holds inline script or
//! event handlers), no framing, no MIME sniffing, and no full addresses (which carry people's
//! names) in the `Referer` sent to other sites.

use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

/// Scripts, frames, forms and everything else from this site only. Styles may be inline: the
/// progression map is an SVG that carries its own `<style>` so that it looks the same saved
/// as a file; no style can run code.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

const HEADERS: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "same-origin"),
];

/// Adds the security headers to whatever the request was answered with. A plain function for
/// `ServiceBuilder::map_response`, not a middleware: a middleware boxes the service and the
/// future for every request, this adds nothing but the headers.
pub fn security(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
