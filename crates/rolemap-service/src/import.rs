//! Imports: the built-in framework and demo, framework and people files, ESCO releases and
//! observed movements between roles, each in one transaction.

use std::sync::Arc;

use rolemap_core::bundle::FrameworkBundle;
use rolemap_formats::{builtin, read_framework, read_people};
use rolemap_store::{ImportOutcome, PeopleOutcome};

use crate::{Result, Service, ServiceError};

/// A file handed to an import: its name (for diagnostics) and its text.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub name: String,
    pub text: String,
}

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    pub frameworks: Vec<ImportOutcome>,
    /// `None` when no demo was asked for; `Some(None)` when it was already there.
    pub demo: Option<Option<PeopleOutcome>>,
}

impl Service {
    /// Installs the built-in framework (idempotent) and, if asked, the demo organisation.
    pub async fn init(&self, demo: bool, now: &str) -> Result<InitReport> {
        let bundles = builtin::frameworks().map_err(ServiceError::Import)?;
        let frameworks = self.store.import_frameworks(&bundles, now).await?;
        let demo = if demo {
            let bundle = builtin::demo().map_err(ServiceError::Import)?;
            let already = match bundle.people.first() {
                Some(first) => self
                    .store
                    .people()
                    .await?
                    .iter()
                    .any(|p| p.key == first.key),
                None => true,
            };
            Some(if already {
                None
            } else {
                Some(self.store.import_people(&bundle, now).await?)
            })
        } else {
            None
        };
        Ok(InitReport { frameworks, demo })
    }

    /// Reads and imports framework files, all in one transaction.
    pub async fn import_frameworks(
        &self,
        files: &[InputFile],
        now: &str,
    ) -> Result<Vec<ImportOutcome>> {
        let mut bundles: Vec<FrameworkBundle> = Vec::new();
        let mut problems = Vec::new();
        for file in files {
            match read_framework(&file.text, &file.name) {
                Ok(bundle) => bundles.push(bundle),
                Err(d) => problems.extend(d.0),
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::Import(rolemap_formats::Diagnostics(problems)));
        }
        Ok(self.store.import_frameworks(&bundles, now).await?)
    }

    /// Stores an ESCO release read by [`rolemap_formats::esco`] as the framework `esco`, in one
    /// transaction. A release already stored is left as it is (the outcome says so).
    ///
    /// The search index the frameworks will have afterwards is built beside the store's
    /// transaction and kept with them, so the import leaves ESCO searchable at once; it reads
    /// the release on a thread of its own, hence the `Arc`.
    pub async fn import_esco(
        &self,
        data: Arc<rolemap_formats::esco::EscoData>,
        now: &str,
    ) -> Result<ImportOutcome> {
        self.import_esco_indexed(data, now).await
    }

    /// Readies the store for a large import that is about to come (see
    /// [`rolemap_store::Store::prepare_for_import`]), while the caller still reads what it will
    /// import.
    pub async fn prepare_for_import(&self) -> Result<()> {
        Ok(self.store.prepare_for_import().await?)
    }

    /// Reads a file of observed movements between roles (see
    /// [`rolemap_formats::transitions`]), resolves every role it names and stores the movements
    /// in one transaction; any problem, an unknown or ambiguous role included, is reported with
    /// its line and column, and nothing is stored. Returns (rows, people).
    pub async fn import_transitions(&self, file: &InputFile, now: &str) -> Result<(usize, u64)> {
        let rows = rolemap_formats::read_transitions(&file.text, &file.name)
            .map_err(ServiceError::Import)?;
        let mut problems = Vec::new();
        let mut resolved = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut ends = [None, None];
            for (slot, (field, name, column)) in ends.iter_mut().zip([
                ("from", &row.from, row.from_column),
                ("to", &row.to, row.to_column),
            ]) {
                match self.resolve_role(name, None).await {
                    Ok(id) => *slot = Some(id),
                    Err(
                        error @ (ServiceError::NotFound { .. } | ServiceError::Ambiguous { .. }),
                    ) => {
                        problems.push(rolemap_formats::Diagnostic {
                            file: file.name.clone(),
                            line: row.line,
                            column,
                            field: field.to_owned(),
                            code: if matches!(error, ServiceError::NotFound { .. }) {
                                "unknown-role"
                            } else {
                                "ambiguous-role"
                            },
                            message: error.to_string(),
                        });
                    }
                    Err(other) => return Err(other),
                }
            }
            if let [Some(from), Some(to)] = ends {
                if from == to {
                    problems.push(rolemap_formats::Diagnostic {
                        file: file.name.clone(),
                        line: row.line,
                        column: row.to_column,
                        field: "to".to_owned(),
                        code: "same-role",
                        message: format!("'{}' and '{}' are the same role", row.from, row.to),
                    });
                }
                resolved.push((from, to, row.count, row.source.clone()));
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::Import(rolemap_formats::Diagnostics(problems)));
        }
        let people = resolved.iter().map(|r| u64::from(r.2)).sum();
        let stored = self.store.import_transitions(&resolved, now).await?;
        Ok((stored, people))
    }

    /// Reads and imports a people file in one transaction.
    pub async fn import_people(&self, file: &InputFile, now: &str) -> Result<PeopleOutcome> {
        let bundle = read_people(&file.text, &file.name).map_err(ServiceError::Import)?;
        Ok(self.store.import_people(&bundle, now).await?)
    }
}
