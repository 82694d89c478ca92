//! Frameworks in and out in standard formats over HTTP: an import (framework owners) and a
//! download (anyone signed in) per format, giving the same bytes as `rolemap export`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rolemap_service::{RsdEncoding, ServiceError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::ApiQuery;
use super::given;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The formats a framework is exported in, by their name in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// 1EdTech CASE 1.0 CFPackage JSON.
    Case,
    /// OSMT Rich Skill Descriptors, JSON-LD.
    Rsd,
    /// OSMT's skills CSV.
    OsmtCsv,
    /// rolemap's framework spreadsheet, XLSX.
    Xlsx,
    /// rolemap's framework spreadsheet as one CSV file.
    Csv,
    /// OpenSALT's CASE spreadsheet, XLSX.
    CaseXlsx,
}

impl ExportFormat {
    /// Every format with its name in the path, in the order pages list them.
    pub const ALL: [(&'static str, ExportFormat); 6] = [
        ("xlsx", ExportFormat::Xlsx),
        ("csv", ExportFormat::Csv),
        ("case", ExportFormat::Case),
        ("case-xlsx", ExportFormat::CaseXlsx),
        ("rsd", ExportFormat::Rsd),
        ("osmt-csv", ExportFormat::OsmtCsv),
    ];

    pub fn parse(name: &str) -> Option<ExportFormat> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, format)| *format)
    }

    /// The file name's ending and the media type.
    fn file(self) -> (&'static str, &'static str) {
        match self {
            ExportFormat::Case => ("case.json", "application/json"),
            ExportFormat::Rsd => ("rsd.json", "application/ld+json"),
            ExportFormat::OsmtCsv => ("osmt.csv", "text/csv; charset=utf-8"),
            ExportFormat::Xlsx => ("xlsx", XLSX),
            ExportFormat::Csv => ("csv", "text/csv; charset=utf-8"),
            ExportFormat::CaseXlsx => ("case.xlsx", XLSX),
        }
    }
}

fn unknown_format(format: &str, known: &str) -> ServiceError {
    ServiceError::invalid(
        "format",
        format!("'{format}' is not one of the formats here ({known})"),
    )
}

/// A stored framework as a file of a standard format: `xlsx` or `csv` (rolemap's framework
/// spreadsheet), `case` (CFPackage JSON), `case-xlsx` (OpenSALT's CASE spreadsheet), `rsd`
/// (OSMT RSD JSON-LD) or `osmt-csv` (OSMT's skills CSV). A framework imported from that format
/// comes back as it came in; a built-in framework is written from its file.
#[utoipa::path(get, path = "/api/v1/frameworks/{key}/export/{format}",
    params(("key" = String, Path, description = "Framework key"), ("format" = String, Path, description = "xlsx, csv, case, case-xlsx, rsd or osmt-csv")),
    responses((status = 200, description = "The file", content((String = "application/json"), (String = "application/ld+json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    Path((key, format)): Path<(String, String)>,
) -> ApiResult<Response> {
    let chosen = ExportFormat::parse(&format)
        .ok_or_else(|| unknown_format(&format, "xlsx, csv, case, case-xlsx, rsd, osmt-csv"))?;
    let bytes = match chosen {
        ExportFormat::Case => {
            let package = state.service.case_package(&key).await?;
            let mut bytes = Vec::new();
            rolemap_formats::case::write(&package, &mut bytes)
                .map_err(|e| ServiceError::Internal(format!("writing a CFPackage: {e}")))?;
            bytes
        }
        ExportFormat::Rsd => state.service.rsd_bytes(&key, RsdEncoding::Json).await?.0,
        ExportFormat::OsmtCsv => state.service.rsd_bytes(&key, RsdEncoding::Csv).await?.0,
        ExportFormat::Xlsx => {
            let workbook = state.service.framework_sheets(&key).await?;
            rolemap_formats::sheets::write_xlsx(&workbook).map_err(ServiceError::Internal)?
        }
        ExportFormat::Csv => {
            let workbook = state.service.framework_sheets(&key).await?;
            rolemap_formats::framework_sheets::write_csv(&workbook)
                .map_err(|e| ServiceError::Internal(format!("writing CSV: {e}")))?
        }
        ExportFormat::CaseXlsx => {
            let package = state.service.case_package(&key).await?;
            let workbook = rolemap_formats::case::sheets::to_sheets(&package);
            rolemap_formats::sheets::write_xlsx(&workbook).map_err(ServiceError::Internal)?
        }
    };
    let (ending, media_type) = chosen.file();
    // The key is a framework key (letters, digits, . _ -) or a CASE/RSD-derived one: keep only
    // those characters in the offered file name.
    let stem: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{stem}.{ending}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The empty spreadsheet to fill in and import: `xlsx` or `csv` (rolemap's framework layout,
/// every sheet with its columns) or `case-xlsx` (OpenSALT's CASE spreadsheet).
#[utoipa::path(get, path = "/api/v1/framework-template/{format}",
    params(("format" = String, Path, description = "xlsx, csv or case-xlsx")),
    responses((status = 200, description = "The template", content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn template(Path(format): Path<String>) -> ApiResult<Response> {
    let (bytes, name, media_type) = match format.as_str() {
        "xlsx" => (
            rolemap_formats::sheets::write_xlsx(&rolemap_formats::framework_sheets::template())
                .map_err(ServiceError::Internal)?,
            "framework-template.xlsx",
            XLSX,
        ),
        "csv" => (
            rolemap_formats::framework_sheets::write_csv(
                &rolemap_formats::framework_sheets::template(),
            )
            .map_err(|e| ServiceError::Internal(format!("writing CSV: {e}")))?,
            "framework-template.csv",
            "text/csv; charset=utf-8",
        ),
        "case-xlsx" => (
            rolemap_formats::sheets::write_xlsx(&rolemap_formats::case::sheets::template())
                .map_err(ServiceError::Internal)?,
            "case-template.xlsx",
            XLSX,
        ),
        _ => return Err(unknown_format(&format, "xlsx, csv, case-xlsx").into()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatImportQuery {
    /// The file name to use in problem reports (default: "request body").
    pub name: Option<String>,
    /// The framework key to store it under (default: derived from the file's identifier).
    pub key: Option<String>,
}

/// What importing a file of a standard format did.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormatImportDto {
    /// The key the framework is stored under.
    pub key: String,
    pub version: String,
    /// False when that key and version were already stored (nothing changed).
    pub created: bool,
    /// Skills stored.
    pub skills: usize,
}

/// Imports a file of a standard format as a framework, all or nothing: `xlsx` or `csv`
/// (rolemap's framework spreadsheet), `rsd` (OSMT RSD JSON-LD: a skill, a RichSkillCollection
/// or a list) or `osmt-csv` (OSMT's skills CSV). What the file holds is kept, so the framework
/// exports back as it came in. Problems name the file, line (row), column and field.
#[utoipa::path(post, path = "/api/v1/frameworks/import/{format}",
    params(("format" = String, Path, description = "xlsx, csv, rsd or osmt-csv"), FormatImportQuery),
    request_body(content = String, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, description = "Created", body = FormatImportDto), (status = 200, description = "That key and version were already stored; nothing changed", body = FormatImportDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "That key and version are stored with other content", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    axum::Extension(viewer): axum::Extension<crate::auth::Viewer>,
    Path(format): Path<String>,
    ApiQuery(q): ApiQuery<FormatImportQuery>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let name = given(q.name).unwrap_or_else(|| "request body".to_owned());
    let key = given(q.key);
    let (outcome, skills) = match format.as_str() {
        "rsd" | "osmt-csv" => {
            let encoding = if format == "rsd" {
                RsdEncoding::Json
            } else {
                RsdEncoding::Csv
            };
            let imported = state
                .service
                .import_rsd(
                    &name,
                    &body,
                    encoding,
                    key.as_deref(),
                    &viewer.actor(rolemap_store::Via::Api),
                )
                .await?;
            (imported.outcome, imported.skills)
        }
        "xlsx" | "csv" => {
            let workbook = if format == "xlsx" {
                rolemap_formats::sheets::read_xlsx(&name, &body)
            } else {
                rolemap_formats::framework_sheets::read_csv(&name, &body)
            }
            .map_err(ServiceError::Import)?;
            let outcome = state
                .service
                .import_framework_sheets(
                    &name,
                    &workbook,
                    key.as_deref(),
                    &viewer.actor(rolemap_store::Via::Api),
                )
                .await?;
            let skills = outcome.skills;
            (outcome, skills)
        }
        _ => return Err(unknown_format(&format, "xlsx, csv, rsd, osmt-csv").into()),
    };
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(FormatImportDto {
            key: outcome.key,
            version: outcome.version,
            created: outcome.created,
            skills,
        }),
    ))
}
