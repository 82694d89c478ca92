//! Store errors: what the caller can fix (not found, invalid input, conflicts) apart from faults.

use rolemap_formats::Diagnostics;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: String },
    /// The input refers to things that do not exist or breaks a rule; every problem is listed.
    #[error("{0}")]
    Invalid(Diagnostics),
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Stored data that cannot be read back as the model (a level code no scale knows, ...).
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// True for errors the caller caused and can fix.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            StoreError::NotFound { .. } | StoreError::Invalid(_) | StoreError::Conflict(_)
        )
    }
}
