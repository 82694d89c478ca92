//! rolemap's HTTP server: the JSON API under `/api/v1` (described by an OpenAPI 3.1 document at
//! `/api/v1/openapi.json`) and the server-rendered web pages.
//!
//! Invariants: handlers are thin (extract, call one service function, map to a DTO or a page);
//! `error.rs` is the only place errors become HTTP statuses; a 5xx never shows internals.

pub mod access;
mod api;
pub mod auth;
mod error;
pub mod guard;
mod headers;
mod idempotency;
mod layers;
pub mod oidc;
mod request_log;
mod router;
mod serve;
mod shape;
mod state;
mod web;

use std::net::SocketAddr;
use std::time::Duration;

pub use router::app;
pub use serve::ServeOptions;
pub use state::AppState;
pub use web::progression_svg;

/// Serves `app` on `addr` until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, ServeOptions::default(), shutdown).await
}

/// [`serve`] with the connection timeouts given.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The address bound is one the server answers to, with the loopback names on its port.
    let bound = listener.local_addr()?;
    let guard = state.guard.as_ref().clone().bound(bound);
    let state = state.with_guard(guard);
    let warm = keep_warm(state.service.clone());
    let served = serve::serve_app(listener, app(state), options, shutdown).await;
    warm.abort();
    served
}

/// How often the server checks whether the search index and neighbour lists need rebuilding.
const WARM_EVERY: Duration = Duration::from_secs(2);

/// Keeps the search index, what every gap reads and every framework's neighbour lists built for
/// the stored frameworks and people: at start, and again soon after any import or change (by
/// this server or another process), so that searches, gaps, similar roles and routes seldom
/// wait for a rebuild.
fn keep_warm(service: rolemap_service::Service) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(WARM_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(error) = service.warm_search().await {
                tracing::warn!(%error, "could not build the search index");
            }
            // Before the neighbour lists, which take seconds for a large framework.
            if let Err(error) = service.warm_people().await {
                tracing::warn!(%error, "could not read what gaps need");
            }
            if let Err(error) = service.warm_neighbours().await {
                tracing::warn!(%error, "could not compute the neighbour lists");
            }
        }
    })
}

/// Binds `addr`, reporting a clear error when the port is taken.
pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

/// How long one request may take before the server answers 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest request body accepted (assessment forms and JSON bodies are small).
pub const BODY_LIMIT: usize = 1024 * 1024;
