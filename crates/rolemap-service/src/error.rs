//! Service errors: the caller's mistakes (with what would fix them) apart from internal faults.

use std::fmt;

use rolemap_formats::Diagnostics;
use rolemap_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A name resolved to nothing; `suggestions` are the closest names.
    #[error("{}", not_found(what, name, suggestions))]
    NotFound {
        what: &'static str,
        name: String,
        suggestions: Vec<String>,
    },
    /// A name fits several records; `candidates` says how to name each one.
    #[error("'{name}' could be any of {} {what}s: {}; name one by {}", candidates.len(), candidates.join(", "), if *what == "person" { "id or key" } else { "id or framework:key" })]
    Ambiguous {
        what: &'static str,
        name: String,
        candidates: Vec<String>,
    },
    /// A value the caller gave is not acceptable.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// An import found problems; nothing was stored.
    #[error("{0}")]
    Import(Diagnostics),
    #[error(transparent)]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

fn not_found(what: &str, name: &str, suggestions: &[String]) -> String {
    let mut message = format!("no {what} named '{name}'");
    if !suggestions.is_empty() {
        message.push_str("; did you mean ");
        message.push_str(
            &suggestions
                .iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        message.push('?');
    }
    message
}

impl ServiceError {
    pub fn invalid(field: impl Into<String>, message: impl fmt::Display) -> ServiceError {
        ServiceError::Invalid {
            field: field.into(),
            message: message.to_string(),
        }
    }

    /// A stable code for the error's kind, shared by the CLI's JSON output and the HTTP API.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::NotFound { .. } => "not_found",
            ServiceError::Ambiguous { .. } => "ambiguous",
            ServiceError::Invalid { .. } => "invalid",
            ServiceError::Import(_) => "import_failed",
            ServiceError::Store(StoreError::NotFound { .. }) => "not_found",
            ServiceError::Store(StoreError::Invalid(_)) => "import_failed",
            ServiceError::Store(StoreError::Conflict(_)) => "conflict",
            ServiceError::Store(_) | ServiceError::Internal(_) => "internal",
        }
    }

    /// True for errors the caller caused and can fix.
    pub fn is_user_error(&self) -> bool {
        match self {
            ServiceError::Store(e) => e.is_user_error(),
            ServiceError::Internal(_) => false,
            _ => true,
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> ServiceError {
        match error {
            StoreError::Invalid(d) => ServiceError::Import(d),
            other => ServiceError::Store(other),
        }
    }
}
