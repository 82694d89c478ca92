//! The framework owner's pages for the two CSV files that are not frameworks: observed
//! movements between roles (`/transitions/import`, as `rolemap import transitions`) and a
//! reviewed crosswalk (`/mappings/import`, as `rolemap map apply`). A file is uploaded and
//! imported all or nothing; its problems are listed with line, column and field.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use rolemap_service::dto::ProblemDto;
use rolemap_service::{InputFile, ServiceError, now};
use rolemap_store::Via;
use serde::Serialize;

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::multipart;
use crate::web::{PageResult, finish};

const TEMPLATE: &str = "csv_import.html";

/// Which of the two files a page imports.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Transitions,
    Mappings,
}

impl Kind {
    fn action(self) -> &'static str {
        match self {
            Kind::Transitions => "/transitions/import",
            Kind::Mappings => "/mappings/import",
        }
    }
}

#[derive(Debug, Serialize)]
struct CsvImportPage {
    kind: Kind,
    action: &'static str,
    file_name: String,
    form_error: Option<String>,
    problems: Vec<ProblemDto>,
    /// What was stored, in words.
    outcome: Option<String>,
}

impl CsvImportPage {
    fn new(kind: Kind) -> CsvImportPage {
        CsvImportPage {
            kind,
            action: kind.action(),
            file_name: String::new(),
            form_error: None,
            problems: Vec::new(),
            outcome: None,
        }
    }
}

pub(crate) async fn transitions_form(State(state): State<AppState>) -> Response {
    state
        .templates
        .render(TEMPLATE, CsvImportPage::new(Kind::Transitions))
}

pub(crate) async fn mappings_form(State(state): State<AppState>) -> Response {
    state
        .templates
        .render(TEMPLATE, CsvImportPage::new(Kind::Mappings))
}

pub(crate) async fn transitions_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = submit(&state, &viewer, Kind::Transitions, &headers, &body).await;
    finish(&state, &uri, result)
}

pub(crate) async fn mappings_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = submit(&state, &viewer, Kind::Mappings, &headers, &body).await;
    finish(&state, &uri, result)
}

async fn submit(
    state: &AppState,
    viewer: &Viewer,
    kind: Kind,
    headers: &HeaderMap,
    body: &[u8],
) -> PageResult {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let fields = match multipart::boundary(content_type) {
        Some(boundary) => multipart::fields(body, boundary).ok_or_else(|| ApiError::Malformed {
            field: None,
            message: "the form's body is not well-formed multipart/form-data".to_owned(),
        })?,
        None => multipart::urlencoded(body),
    };
    let mut page = CsvImportPage::new(kind);
    let file = fields
        .into_iter()
        .find(|f| f.name == "file" && f.file_name.is_some() && !f.data.is_empty());
    let Some(file) = file else {
        page.form_error = Some("choose a CSV file to import".to_owned());
        return Ok(state
            .templates
            .render_status(StatusCode::UNPROCESSABLE_ENTITY, TEMPLATE, page));
    };
    page.file_name = file.file_name.unwrap_or_default();
    let text = match rolemap_formats::utf8_text(file.data, &page.file_name) {
        Ok(text) => text,
        Err(problems) => return Ok(problems_page(state, page, &problems)),
    };
    let input = InputFile {
        name: page.file_name.clone(),
        text,
    };
    let actor = viewer.actor(Via::Web);
    let outcome = match kind {
        Kind::Transitions => state
            .service
            .import_transitions(&input, &actor, &now())
            .await
            .map(|(rows, people)| {
                format!(
                    "Stored {rows} movement row{} counting {people} {}.",
                    if rows == 1 { "" } else { "s" },
                    if people == 1 { "person" } else { "people" }
                )
            }),
        Kind::Mappings => state
            .service
            .apply_mappings(&input, &actor, &now())
            .await
            .map(|applied| {
                format!(
                    "Stored {} accepted mapping{}; {} row{} without an accepting decision left out.",
                    applied.applied,
                    if applied.applied == 1 { "" } else { "s" },
                    applied.ignored,
                    if applied.ignored == 1 { "" } else { "s" },
                )
            }),
    };
    match outcome {
        Ok(outcome) => {
            page.outcome = Some(outcome);
            Ok(state.templates.render(TEMPLATE, page))
        }
        Err(ServiceError::Import(problems)) => Ok(problems_page(state, page, &problems)),
        Err(other) => Err(other.into()),
    }
}

fn problems_page(
    state: &AppState,
    mut page: CsvImportPage,
    problems: &rolemap_formats::Diagnostics,
) -> Response {
    page.problems = problems.0.iter().map(ProblemDto::from).collect();
    state
        .templates
        .render_status(StatusCode::UNPROCESSABLE_ENTITY, TEMPLATE, page)
}
