//! One log line per request: the matched route's pattern (`/api/v1/people/{id}`), the method,
//! the status and the time taken. Never the path or query as sent: they carry people's names and
//! what they searched for. (A tracing span per request costs more than many requests take.)

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    // The log sits outside the routing: `guard::check` puts the route on the answer.
    let route = response.extensions().get::<MatchedPath>();
    tracing::info!(
        %method,
        route = route.map_or("fallback", MatchedPath::as_str),
        status = response.status().as_u16(),
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}
