//! The HTTP benchmark's baseline: the smallest axum server, answering "Hello, World!" on `/`.
//! `scripts/bench-http.sh` runs it beside `rolemap serve` so the ratio is measured in one run.

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let app = Router::new().route("/", get(|| async { "Hello, World!" }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
