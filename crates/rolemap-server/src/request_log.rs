//! One log line per request: the matched route's pattern (`/api/v1/people/{id}`), the method,
//! the status and the time taken. Never the path or query as sent: they carry people's names and
//! what they searched for. (A tracing span per request costs more than many requests take.)

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

/// The route a request matched, or `fallback` for one no route answers.
fn route_of(request: &Request) -> String {
    request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "fallback".to_owned(), |m| m.as_str().to_owned())
}

pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = route_of(&request);
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}
