//! Imports: the built-in framework and demo, framework and people files, ESCO and O*NET
//! releases and observed movements between roles, each in one transaction.

use std::sync::Arc;

use rolemap_core::bundle::FrameworkBundle;
use rolemap_formats::people_doc::read_people_partly;
use rolemap_formats::{builtin, read_framework};
use rolemap_store::{Actor, ImportOutcome, PeopleOutcome};

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
    pub async fn init(&self, demo: bool, actor: &Actor, now: &str) -> Result<InitReport> {
        let bundles = builtin::frameworks().map_err(ServiceError::Import)?;
        let frameworks = self.store.import_frameworks(&bundles, actor, now).await?;
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
                let outcome = self.store.import_people(&bundle, actor, now).await?;
                self.add_demo_plans(actor, now).await?;
                Some(outcome)
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
        actor: &Actor,
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
        for (bundle, file) in bundles.iter().zip(files) {
            self.check_same_content(bundle, &file.name).await?;
        }
        Ok(self.store.import_frameworks(&bundles, actor, now).await?)
    }

    /// Stores an O*NET release read by [`rolemap_formats::onet`] as the framework `onet` (its
    /// version the release), in one transaction. The same release imported again changes
    /// nothing; a release of that number with other content is refused, naming what differs.
    pub async fn import_onet(
        &self,
        data: &rolemap_formats::onet::OnetData,
        actor: &Actor,
        now: &str,
    ) -> Result<ImportOutcome> {
        let bundle = rolemap_formats::onet::to_bundle(data);
        self.check_same_content(&bundle, &format!("O*NET {}", data.release))
            .await?;
        let mut outcomes = self.store.import_frameworks(&[bundle], actor, now).await?;
        outcomes.pop().ok_or_else(|| {
            ServiceError::Store(rolemap_store::StoreError::Corrupt(
                "the import of one framework reported no outcome".to_owned(),
            ))
        })
    }

    /// A framework version already stored is imported again only with the same content (then
    /// nothing is done): an edited file with the same version would otherwise be taken as
    /// stored while none of its edits were, so it is refused, naming what differs.
    pub(crate) async fn check_same_content(
        &self,
        bundle: &FrameworkBundle,
        file: &str,
    ) -> Result<()> {
        const SHOWN: usize = 8;
        let meta = &bundle.framework;
        let stored = self
            .store
            .framework_content(&meta.key, &meta.version)
            .await?;
        let compared = stored.as_deref().and_then(|stored| {
            rolemap_core::bundle::content_differences(stored, &bundle.content())
        });
        let differences = match compared {
            Some(differences) => differences,
            // Stored before its content was kept, or by another rolemap version: compared with
            // the version as stored, read back whole, so an edit is never taken for stored.
            None => match self
                .store
                .framework_bundle(&meta.key, Some(&meta.version))
                .await?
            {
                Some(stored) => stored_differences(&stored, bundle),
                None => return Ok(()),
            },
        };
        if differences.is_empty() {
            return Ok(());
        }
        let mut named = differences
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if differences.len() > SHOWN {
            named.push_str(&format!(" and {} more", differences.len() - SHOWN));
        }
        Err(ServiceError::Store(rolemap_store::StoreError::Conflict(
            format!(
                "{file}: framework '{}' version '{}' is already stored with other content \
                 ({named}); give the edited file a new version (version = \"...\" under \
                 [framework]) to import it",
                meta.key, meta.version
            ),
        )))
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
        actor: &Actor,
        now: &str,
    ) -> Result<ImportOutcome> {
        self.import_esco_indexed(data, actor, now).await
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
    pub async fn import_transitions(
        &self,
        file: &InputFile,
        actor: &Actor,
        now: &str,
    ) -> Result<(usize, u64)> {
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
        let stored = self.store.import_transitions(&resolved, actor, now).await?;
        Ok((stored, people))
    }

    /// Reads and imports a people file in one transaction.
    ///
    /// Every problem is reported at once: those of the file itself and, for the entries that
    /// read, those of their references to what is stored (an unknown skill, a missing manager).
    /// Assessments dated after `now` (with [`CLOCK_SKEW`] to spare) are refused.
    pub async fn import_people(
        &self,
        file: &InputFile,
        actor: &Actor,
        now: &str,
    ) -> Result<PeopleOutcome> {
        let latest = later_by(now, CLOCK_SKEW);
        let (bundle, mut problems) =
            read_people_partly(&file.text, &file.name, Some(latest.as_str()));
        if problems.is_empty() {
            return Ok(self.store.import_people(&bundle, actor, now).await?);
        }
        problems.extend(self.store.check_people(&bundle).await?);
        problems.sort_by_key(|p| (p.line, p.column));
        problems.dedup();
        Err(ServiceError::Import(rolemap_formats::Diagnostics(problems)))
    }
}

/// What differs between a stored version read back and a document's bundle, one line an item
/// (`skill 'x' changed`), as [`rolemap_core::bundle::content_differences`] names them. The store
/// keeps a skill's tags sorted and once each, so the document's are compared that way too.
fn stored_differences(stored: &FrameworkBundle, bundle: &FrameworkBundle) -> Vec<String> {
    let mut new = bundle.clone();
    for skill in &mut new.skills {
        skill.tags.sort();
        skill.tags.dedup();
    }
    let mut named: Vec<String> = Vec::new();
    for change in rolemap_core::diff::diff(stored, &new).changes {
        let line = format!(
            "{} '{}' {}",
            change.item.as_str(),
            change.key,
            change.change.as_str()
        );
        if named.last() != Some(&line) {
            named.push(line);
        }
    }
    named
}

/// How far ahead of this machine's clock an assessment's time may be: another machine's clock,
/// or a file written a moment ago on one, may run a little fast.
pub const CLOCK_SKEW: time::Duration = time::Duration::minutes(5);

/// `now` (as [`crate::now`] writes it) moved on by `by`, in the same form; `now` itself if it
/// does not parse.
fn later_by(now: &str, by: time::Duration) -> String {
    match time::OffsetDateTime::parse(now, &time::format_description::well_known::Rfc3339) {
        Ok(time) => {
            let later = time + by;
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                later.year(),
                u8::from(later.month()),
                later.day(),
                later.hour(),
                later.minute(),
                later.second()
            )
        }
        Err(_) => now.to_owned(),
    }
}
