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
    /// Stable: unauthorized, forbidden, not_found, ambiguous, invalid, malformed_json,
    /// import_failed, conflict, internal, misdirected, payload_too_large, method_not_allowed,
    /// unsupported_media_type.
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
    /// A request body or query that does not parse.
    Malformed {
        field: Option<String>,
        message: String,
    },
    /// Nobody is signed in, and the endpoint needs someone (401).
    Unauthorized,
    /// The signed-in user may not do this (403); said alike whether or not the thing exists.
    Forbidden,
    /// A request the server's own layers refuse or cannot answer (a foreign host or origin, a
    /// missing form token, a body too large, a method or media type not accepted, a panic).
    Refused {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> ApiError {
        ApiError::Service(error)
    }
}

impl ApiError {
    /// A refusal with its status, stable code and message.
    pub fn refused(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Refused {
            status,
            code,
            message: message.into(),
        }
    }

    /// What the server answers for a status its layers produce without a handler's error (405,
    /// 413, 415, 500 after a panic), in the same shape as every other error.
    pub fn for_status(status: StatusCode) -> ApiError {
        let (code, message) = match status {
            StatusCode::PAYLOAD_TOO_LARGE => (
                "payload_too_large",
                format!(
                    "the request body is larger than {} bytes",
                    crate::BODY_LIMIT
                ),
            ),
            StatusCode::METHOD_NOT_ALLOWED => (
                "method_not_allowed",
                "this address does not accept that method".to_owned(),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "unsupported_media_type",
                "the request's Content-Type is not one this address reads".to_owned(),
            ),
            _ => (
                "internal",
                "something went wrong on the server; it has been logged".to_owned(),
            ),
        };
        ApiError::refused(status, code, message)
    }

    /// Status, code, message, field and suggestions, as both JSON and pages show them.
    pub fn parts(&self) -> (StatusCode, ErrorDetail) {
        let refusal = |status, code, message: &str| {
            (
                status,
                ErrorDetail {
                    code,
                    message: message.to_owned(),
                    field: None,
                    suggestions: Vec::new(),
                    problems: Vec::new(),
                },
            )
        };
        match self {
            ApiError::Unauthorized => refusal(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "sign in first: send a session cookie or an `Authorization: Bearer` API token",
            ),
            ApiError::Forbidden => refusal(
                StatusCode::FORBIDDEN,
                "forbidden",
                "your account may not do this",
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
            ApiError::Refused {
                status,
                code,
                message,
            } => (
                *status,
                ErrorDetail {
                    code,
                    message: message.clone(),
                    field: None,
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
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
