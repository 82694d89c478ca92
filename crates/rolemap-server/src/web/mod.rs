//! Server-rendered pages. Templates live in `templates/` and are compiled into the binary; pages
//! render the same DTOs the JSON API returns.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::Environment;
use serde::Serialize;

use crate::state::AppState;

/// The page templates, parsed once at start-up.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
}

impl Default for Templates {
    fn default() -> Self {
        Templates::new()
    }
}

impl Templates {
    pub fn new() -> Templates {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            // The templates ship inside the binary and a test renders each one, so a syntax
            // error cannot reach a running server; should one slip through, the page reports it.
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, error = %e, "template does not parse");
            }
        }
        Templates { env }
    }

    /// Renders a page; a template fault becomes a 500 page, logged.
    pub fn render<S: Serialize>(&self, name: &str, context: S) -> Response {
        match self.env.get_template(name).and_then(|t| t.render(minijinja::Value::from(minijinja::value::Serde(&context)))) {
            Ok(html) => Html(html).into_response(),
            Err(e) => {
                tracing::error!(template = name, error = %e, "page failed to render");
                (StatusCode::INTERNAL_SERVER_ERROR, Html("<h1>Something went wrong</h1><p>It has been logged.</p>")).into_response()
            }
        }
    }
}

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("home.html", include_str!("../../templates/home.html")),
];

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Serialize)]
#[derive(Debug)]
struct HomePage {
    frameworks: Vec<rolemap_service::dto::FrameworkDto>,
}

async fn home(State(state): State<AppState>) -> Response {
    match state.service.frameworks().await {
        Ok(list) => state.templates.render(
            "home.html",
            HomePage { frameworks: list.iter().map(rolemap_service::dto::FrameworkDto::from).collect() },
        ),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}
