//! Which standard formats a stored framework can be exported in, so that pages offer the
//! downloads that work.

use crate::{Result, Service, ServiceError};

/// Every export format, by its name in the export path.
pub const EXPORT_FORMATS: [&str; 6] = ["xlsx", "csv", "case", "case-xlsx", "rsd", "osmt-csv"];

impl Service {
    /// The export formats of `framework`: every stored framework exports in each (as it came
    /// in where it came from that format, otherwise from its file or from the store).
    pub async fn export_formats(&self, framework: &str) -> Result<Vec<&'static str>> {
        if self.store.framework_imported_at(framework).await?.is_none() {
            return Err(ServiceError::NotFound {
                what: "framework",
                name: framework.to_owned(),
                suggestions: Vec::new(),
            });
        }
        Ok(EXPORT_FORMATS.to_vec())
    }
}
