//! Frameworks as OSMT Rich Skill Descriptors: importing an RSD file (JSON-LD or OSMT's skills
//! CSV) with every object kept, and a stored framework as RSD JSON or CSV, from one place so
//! that `rolemap export rsd` and the HTTP export give the same bytes.

use rolemap_formats::rsd::{self, RsdPackage};
use rolemap_store::ImportOutcome;

use crate::case::{builtin, builtins};
use crate::{Result, Service, ServiceError, now};

/// What an RSD import did.
#[derive(Debug, Clone)]
pub struct RsdImport {
    pub outcome: ImportOutcome,
    /// How many RSDs the file held.
    pub skills: usize,
    /// The collection's or first skill's identifier.
    pub identifier: String,
}

/// The two encodings of RSDs rolemap reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsdEncoding {
    /// JSON-LD: a skill, a RichSkillCollection or a list, as the file held them.
    Json,
    /// OSMT's skills CSV.
    Csv,
}

impl RsdEncoding {
    /// CSV for a name ending in `.csv` (any case), else JSON.
    pub fn from_file_name(name: &str) -> RsdEncoding {
        if name.to_ascii_lowercase().ends_with(".csv") {
            RsdEncoding::Csv
        } else {
            RsdEncoding::Json
        }
    }
}

impl Service {
    /// Reads an RSD file (`name` is what diagnostics call it), checks it, and stores the
    /// framework it describes under `key` (default: `rsd-` and the start of its identifier)
    /// with every object of the file beside it, all or nothing.
    pub async fn import_rsd(
        &self,
        name: &str,
        bytes: &[u8],
        encoding: RsdEncoding,
        key: Option<&str>,
        actor: &rolemap_store::Actor,
    ) -> Result<RsdImport> {
        let package = match encoding {
            RsdEncoding::Json => rsd::read(name, bytes),
            RsdEncoding::Csv => rsd::read_csv(name, bytes),
        }
        .map_err(ServiceError::Import)?;
        let key = key.map_or_else(|| rsd::default_key(&package), str::to_owned);
        let bundle = rsd::to_bundle(&package, &key);
        let outcome = self
            .store
            .import_kept(&bundle, rsd::FORMAT, &package.objects(), actor, &now())
            .await?;
        Ok(RsdImport {
            outcome,
            skills: package.skills.len(),
            identifier: package.identifier().to_owned(),
        })
    }

    /// The framework `framework` (a key) as RSDs: the file it was imported from, or, for any
    /// other framework, a RichSkillCollection of its skills (a built-in one's from its file).
    pub async fn rsd_package(&self, framework: &str) -> Result<RsdPackage> {
        if let Some(objects) = self.store.kept_objects(framework, rsd::FORMAT).await? {
            return RsdPackage::from_objects(&objects).map_err(ServiceError::Internal);
        }
        let Some(imported_at) = self.store.framework_imported_at(framework).await? else {
            return Err(ServiceError::NotFound {
                what: "framework",
                name: framework.to_owned(),
                suggestions: Vec::new(),
            });
        };
        match builtin(&builtins()?, framework) {
            Some(bundle) => Ok(rsd::from_bundle(bundle, &imported_at)),
            None => Ok(rsd::from_bundle(
                &self.stored_bundle(framework, false).await?,
                &imported_at,
            )),
        }
    }

    /// The framework as RSD bytes in `encoding`, with how many skills they hold.
    pub async fn rsd_bytes(
        &self,
        framework: &str,
        encoding: RsdEncoding,
    ) -> Result<(Vec<u8>, usize)> {
        let package = self.rsd_package(framework).await?;
        let mut bytes = Vec::new();
        match encoding {
            RsdEncoding::Json => rsd::write(&package, &mut bytes),
            RsdEncoding::Csv => rsd::write_csv(&package, &mut bytes),
        }
        .map_err(|e| ServiceError::Internal(format!("writing RSDs: {e}")))?;
        Ok((bytes, package.skills.len()))
    }
}
