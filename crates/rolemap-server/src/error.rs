//! The one place errors become HTTP responses: a status, a stable `code`, a message and, for
//! validation errors, the field. Internal faults are logged and answered without detail.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rolemap_service::ServiceError;
use rolemap_service::dto::ProblemDto;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable: not_found, ambiguous, invalid, malformed_json, import_failed, conflict, unauthorized,
    /// internal.
    pub code: &'static str,
    pub message: String,
    /// The request field at fault, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Other names that might have been meant.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// For a failed import: every problem found, with file, line and field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<rolemap_service::dto::ProblemDto>,
}

#[derive(Debug)]
pub enum ApiError {
    Service(ServiceError),
    /// The request needs a signed-in user and carries no valid session or API token.
    SignInRequired,
    /// A request body or query that does not parse.
    Malformed {
        field: Option<String>,
        message: String,
    },
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> ApiError {
        ApiError::Service(error)
    }
}

impl ApiError {
    /// Status, code, message, field and suggestions, as both JSON and pages show them.
    pub fn parts(&self) -> (StatusCode, ErrorDetail) {
        match self {
            ApiError::SignInRequired => (
                StatusCode::UNAUTHORIZED,
                ErrorDetail {
                    code: "unauthorized",
                    message: "sign in, or send an API token as 'Authorization: Bearer <token>'"
                        .to_owned(),
                    field: None,
                    suggestions: Vec::new(),
                    problems: Vec::new(),
                },
            ),
            ApiError::Malformed { field, message } => (
                StatusCode::BAD_REQUEST,
                ErrorDetail {
                    code: "malformed_json",
                    message: message.clone(),
                    field: field.clone(),
                    suggestions: Vec::new(),
                    problems: Vec::new(),
                },
            ),
            ApiError::Service(error) => {
                let code = error.code();
                let status = match code {
                    "not_found" => StatusCode::NOT_FOUND,
                    "ambiguous" | "conflict" => StatusCode::CONFLICT,
                    "invalid" | "import_failed" => StatusCode::UNPROCESSABLE_ENTITY,
                    _ => StatusCode::INTERNAL_SERVER_ERROR,
                };
                if status == StatusCode::INTERNAL_SERVER_ERROR {
                    tracing::error!(error = %error, "internal error");
                    return (
                        status,
                        ErrorDetail {
                            code: "internal",
                            message: "something went wrong on the server; it has been logged"
                                .to_owned(),
                            field: None,
                            suggestions: Vec::new(),
                            problems: Vec::new(),
                        },
                    );
                }
                let (field, suggestions) = match error {
                    ServiceError::Invalid { field, .. } => (Some(field.clone()), Vec::new()),
                    ServiceError::NotFound { suggestions, .. } => (None, suggestions.clone()),
                    ServiceError::Ambiguous { candidates, .. } => (None, candidates.clone()),
                    _ => (None, Vec::new()),
                };
                (
                    status,
                    ErrorDetail {
                        code,
                        message: error.to_string().trim_end().to_owned(),
                        field,
                        suggestions,
                        problems: match error {
                            ServiceError::Import(d) => d.0.iter().map(ProblemDto::from).collect(),
                            _ => Vec::new(),
                        },
                    },
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error) = self.parts();
        let mut response = (status, Json(ErrorBody { error })).into_response();
        if matches!(self, ApiError::SignInRequired) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
