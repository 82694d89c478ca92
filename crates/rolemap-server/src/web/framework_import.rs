//! Importing a framework file on a page (framework owners): a file of any format rolemap
//! imports is uploaded, read and previewed (the framework, its version, what it holds and,
//! when that framework is stored already, what it changes against the latest version), and
//! imported only when the owner confirms. A file with problems shows every one with its sheet,
//! line, column and field, and nothing is stored.
//!
//! The preview stores nothing, so the confirmation carries the file itself back (URL-safe
//! base64 in the form, which needs no escaping), and the file is read again and imported
//! through the same service code as `rolemap import` and `POST /api/v1/frameworks/import`.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rolemap_service::dto::ProblemDto;
use rolemap_service::{FrameworkFileFormat, ServiceError};
use rolemap_store::Via;
use serde::Serialize;

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::authoring::{DiffView, diff_view};
use crate::web::multipart::{self, Field};
use crate::web::{PageResult, finish};

const TEMPLATE: &str = "framework_import.html";

/// What the import form sends, from either step.
#[derive(Debug, Default)]
struct ImportForm {
    /// The file's name as the browser gave it.
    file_name: String,
    bytes: Vec<u8>,
    /// A format's name, or empty to tell it from the file.
    format: String,
    key: String,
    /// The file as the preview carried it (the confirmation).
    data: Option<String>,
}

impl ImportForm {
    fn from_fields(fields: Vec<Field>) -> ImportForm {
        let mut form = ImportForm::default();
        for field in fields {
            let text = || String::from_utf8_lossy(&field.data).trim().to_owned();
            match (field.name.as_str(), &field.file_name) {
                // A file input left empty still sends a part, with no name and no bytes.
                ("file", Some(name)) if !field.data.is_empty() => {
                    form.file_name = name.clone();
                    form.bytes = field.data;
                }
                ("format", None) => form.format = text(),
                ("key", None) => form.key = text(),
                ("file_name", None) => form.file_name = text(),
                ("data", None) => form.data = Some(text()),
                _ => {}
            }
        }
        form
    }
}

#[derive(Debug, Serialize)]
struct FormatChoice {
    value: &'static str,
    label: &'static str,
}

#[derive(Debug, Serialize)]
struct Counts {
    scales: usize,
    grades: usize,
    families: usize,
    skills: usize,
    roles: usize,
    requirements: usize,
    links: usize,
}

#[derive(Debug, Serialize)]
struct Preview {
    key: String,
    name: String,
    version: String,
    format: &'static str,
    format_label: &'static str,
    counts: Counts,
    /// The key is stored already (some version of it).
    stored: bool,
    already_stored: bool,
    conflict: Option<String>,
    diff: Option<DiffView>,
    /// The file for the confirmation, as URL-safe base64.
    data: String,
}

#[derive(Debug, Serialize)]
struct Imported {
    key: String,
    version: String,
    created: bool,
    format_label: &'static str,
    skills: usize,
    roles: usize,
    links: usize,
    mapped: usize,
}

#[derive(Debug, Default, Serialize)]
struct ImportPage {
    formats: Vec<FormatChoice>,
    format: String,
    key: String,
    file_name: String,
    /// A problem with the form itself (no file, a format that cannot be told).
    form_error: Option<String>,
    problems: Vec<ProblemDto>,
    preview: Option<Preview>,
    imported: Option<Imported>,
}

impl ImportPage {
    fn new() -> ImportPage {
        ImportPage {
            formats: FrameworkFileFormat::ALL
                .iter()
                .map(|(value, label, _)| FormatChoice { value, label })
                .collect(),
            ..ImportPage::default()
        }
    }
}

/// `GET /frameworks/import`: the form.
pub(crate) async fn import_form(State(state): State<AppState>) -> Response {
    state.templates.render(TEMPLATE, ImportPage::new())
}

/// `POST /frameworks/import`: the file read and previewed, or its problems; nothing stored.
pub(crate) async fn import_preview(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = match form_of(&headers, &body) {
        Ok(form) => preview(&state, form).await,
        Err(e) => Err(e),
    };
    finish(&state, &uri, result)
}

/// `POST /frameworks/import/confirm`: the previewed file imported.
pub(crate) async fn import_confirm(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = match form_of(&headers, &body) {
        Ok(form) => confirm(&state, &viewer, form).await,
        Err(e) => Err(e),
    };
    finish(&state, &uri, result)
}

fn form_of(headers: &HeaderMap, body: &[u8]) -> Result<ImportForm, ApiError> {
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
    Ok(ImportForm::from_fields(fields))
}

/// The page again with the form as sent and what went wrong, answered 422.
fn refused(state: &AppState, mut page: ImportPage, form_error: Option<String>) -> Response {
    page.form_error = form_error;
    state
        .templates
        .render_status(StatusCode::UNPROCESSABLE_ENTITY, TEMPLATE, page)
}

fn page_for(form: &ImportForm) -> ImportPage {
    ImportPage {
        format: form.format.clone(),
        key: form.key.clone(),
        file_name: form.file_name.clone(),
        ..ImportPage::new()
    }
}

/// The format asked for: `None` to tell it from the file.
fn chosen_format(form: &ImportForm) -> Result<Option<FrameworkFileFormat>, String> {
    if form.format.is_empty() {
        return Ok(None);
    }
    FrameworkFileFormat::parse(&form.format)
        .map(Some)
        .ok_or_else(|| format!("'{}' is not a format rolemap imports", form.format))
}

/// Reads the form's file, or answers the page with why it could not (problems, or a form
/// error); `Ok(Err(page))` is such an answer.
fn read(
    state: &AppState,
    form: &ImportForm,
    page: ImportPage,
) -> Result<Result<rolemap_service::FrameworkFile, Response>, ApiError> {
    let format = match chosen_format(form) {
        Ok(format) => format,
        Err(message) => return Ok(Err(refused(state, page, Some(message)))),
    };
    let key = Some(form.key.as_str()).filter(|k| !k.is_empty());
    match state
        .service
        .read_framework_file(&form.file_name, &form.bytes, format, key)
    {
        Ok(file) => Ok(Ok(file)),
        Err(ServiceError::Import(problems)) => {
            let mut page = page;
            page.problems = problems.0.iter().map(ProblemDto::from).collect();
            Ok(Err(refused(state, page, None)))
        }
        Err(ServiceError::Invalid { message, .. }) => Ok(Err(refused(state, page, Some(message)))),
        Err(other) => Err(other.into()),
    }
}

async fn preview(state: &AppState, form: ImportForm) -> PageResult {
    let page = page_for(&form);
    if form.bytes.is_empty() {
        return Ok(refused(
            state,
            page,
            Some("choose a framework file to import".to_owned()),
        ));
    }
    let file = match read(state, &form, page)? {
        Ok(file) => file,
        Err(answer) => return Ok(answer),
    };
    let format = file.format;
    let previewed = state.service.preview_framework_file(file).await?;
    let bundle = &previewed.file.bundle;
    let meta = &bundle.framework;
    let stored = state
        .service
        .frameworks()
        .await?
        .iter()
        .any(|f| f.key == meta.key);
    let mut page = page_for(&form);
    // The confirmation names the format read, so the file is read the same way again.
    page.format = format.name().to_owned();
    page.preview = Some(Preview {
        key: meta.key.clone(),
        name: meta.name.clone(),
        version: meta.version.clone(),
        format: format.name(),
        format_label: format.label(),
        counts: Counts {
            scales: bundle.scales.len(),
            grades: bundle.ladders.iter().map(|l| l.grades.len()).sum(),
            families: bundle.families.len(),
            skills: bundle.skills.len(),
            roles: bundle.roles.len(),
            requirements: bundle.roles.iter().map(|r| r.requirements.len()).sum(),
            links: bundle.links.len(),
        },
        stored,
        already_stored: previewed.already_stored,
        conflict: previewed.conflict.clone(),
        diff: previewed.diff.as_ref().map(diff_view),
        data: URL_SAFE_NO_PAD.encode(&form.bytes),
    });
    let status = if previewed.conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok(state.templates.render_status(status, TEMPLATE, page))
}

async fn confirm(state: &AppState, viewer: &Viewer, mut form: ImportForm) -> PageResult {
    let page = page_for(&form);
    let data = form.data.take().unwrap_or_default();
    form.bytes = match URL_SAFE_NO_PAD.decode(data.as_bytes()) {
        Ok(bytes) if !bytes.is_empty() => bytes,
        _ => {
            return Ok(refused(
                state,
                page,
                Some("the confirmation carried no file: choose the file again".to_owned()),
            ));
        }
    };
    let file = match read(state, &form, page)? {
        Ok(file) => file,
        Err(answer) => return Ok(answer),
    };
    let imported = state
        .service
        .import_framework_file(&form.file_name, &file, &viewer.actor(Via::Web))
        .await?;
    let outcome = &imported.outcome;
    let mut page = ImportPage::new();
    page.imported = Some(Imported {
        key: outcome.key.clone(),
        version: outcome.version.clone(),
        created: outcome.created,
        format_label: imported.format.label(),
        skills: outcome.skills,
        roles: outcome.roles,
        links: outcome.links,
        mapped: imported.mapped,
    });
    Ok(state.templates.render(TEMPLATE, page))
}
