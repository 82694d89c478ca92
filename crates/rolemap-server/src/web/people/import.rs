//! Importing people from CSV on a page (admins): a file chosen (read into the form by the page's
//! script) or pasted, the same import as `rolemap import people team.csv`, and its outcome: who
//! was created, updated and left unchanged, or every problem with its line, column and field.

use axum::Extension;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use rolemap_service::dto::{PeopleSyncDto, ProblemDto};
use rolemap_service::{InputFile, ServiceError};
use rolemap_store::Via;
use serde::{Deserialize, Serialize};

use crate::api::people::actor;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::finish;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ImportBody {
    #[serde(default)]
    csv: String,
    /// The name of the file chosen, for problem reports.
    #[serde(default)]
    file_name: String,
}

#[derive(Debug, Default, Serialize)]
struct ImportPage {
    csv: String,
    file_name: String,
    problems: Vec<ProblemDto>,
    /// A problem with the form itself (nothing sent).
    form_error: Option<String>,
    outcome: Option<PeopleSyncDto>,
    columns: &'static [&'static str],
}

/// `GET /people/import`.
pub(crate) async fn import_form(State(state): State<AppState>) -> Response {
    state.templates.render(
        "people_import.html",
        ImportPage {
            columns: &rolemap_formats::people_csv::COLUMNS,
            ..ImportPage::default()
        },
    )
}

/// `POST /people/import`: imports the CSV sent, all or nothing.
pub(crate) async fn import_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    form: Result<Form<ImportBody>, FormRejection>,
) -> Response {
    let result = async {
        let Form(body) = form.map_err(|rejection| ApiError::Malformed {
            field: None,
            message: rejection.body_text(),
        })?;
        let mut page = ImportPage {
            columns: &rolemap_formats::people_csv::COLUMNS,
            file_name: body.file_name.trim().to_owned(),
            ..ImportPage::default()
        };
        if body.csv.trim().is_empty() {
            page.form_error = Some("choose a CSV file, or paste its text".to_owned());
            return Ok(state.templates.render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "people_import.html",
                page,
            ));
        }
        let file = InputFile {
            name: if page.file_name.is_empty() {
                "pasted.csv".to_owned()
            } else {
                page.file_name.clone()
            },
            // Browsers send line breaks in a text area as CRLF; the reader takes either.
            text: body.csv,
        };
        let imported = state
            .service
            .import_people_csv(&file, &actor(&viewer, Via::Web), &rolemap_service::now())
            .await;
        match imported {
            Ok(sync) => {
                page.outcome = Some(PeopleSyncDto::from(&sync));
                Ok(state.templates.render("people_import.html", page))
            }
            Err(ServiceError::Import(problems)) => {
                page.problems = problems.0.iter().map(ProblemDto::from).collect();
                page.csv = file.text;
                Ok(state.templates.render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "people_import.html",
                    page,
                ))
            }
            Err(other) => Err(other.into()),
        }
    }
    .await;
    finish(&state, &uri, result)
}
