//! A framework file of any format rolemap imports (its TOML document, rolemap's spreadsheet as
//! XLSX or CSV, OpenSALT's CASE spreadsheet, CASE JSON, OSMT RSD JSON or OSMT's skills CSV):
//! its format told from its name and first bytes, read into the framework it describes with
//! every problem at once, previewed (what it holds, and what it changes against the stored
//! version of its framework) and imported through the same service code as the CLI and the HTTP
//! imports, all or nothing.

use rolemap_core::bundle::FrameworkBundle;
use rolemap_core::diff::{self, FrameworkDiff};
use rolemap_formats::case::{self, CasePackage};
use rolemap_formats::rsd::{self, RsdPackage};
use rolemap_formats::sheets::Workbook;
use rolemap_formats::{framework_sheets, sheets};
use rolemap_store::{Actor, ImportOutcome, StoreError};

use crate::{Result, Service, ServiceError, now};

/// The formats a framework file may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameworkFileFormat {
    /// rolemap's framework document (TOML).
    Toml,
    /// rolemap's framework spreadsheet, XLSX.
    Xlsx,
    /// rolemap's framework spreadsheet as one CSV file.
    Csv,
    /// OpenSALT's CASE spreadsheet (CF Doc, CF Item, CF Association), XLSX.
    CaseXlsx,
    /// 1EdTech CASE 1.0 CFPackage JSON.
    Case,
    /// OSMT Rich Skill Descriptors, JSON-LD.
    Rsd,
    /// OSMT's skills CSV.
    OsmtCsv,
}

impl FrameworkFileFormat {
    /// Every format: its name (as forms and the API name it) and what it is, in the order
    /// pages list them.
    pub const ALL: [(&'static str, &'static str, FrameworkFileFormat); 7] = [
        ("toml", "rolemap framework document (TOML)", Self::Toml),
        ("xlsx", "rolemap framework spreadsheet (XLSX)", Self::Xlsx),
        (
            "csv",
            "rolemap framework spreadsheet (one CSV file)",
            Self::Csv,
        ),
        (
            "case-xlsx",
            "OpenSALT CASE spreadsheet (XLSX)",
            Self::CaseXlsx,
        ),
        ("case", "CASE 1.0 package (CFPackage JSON)", Self::Case),
        ("rsd", "OSMT Rich Skill Descriptors (JSON-LD)", Self::Rsd),
        ("osmt-csv", "OSMT skills CSV", Self::OsmtCsv),
    ];

    pub fn parse(name: &str) -> Option<FrameworkFileFormat> {
        Self::ALL
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, format)| *format)
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, _, format)| *format == self)
            .map_or("", |(name, _, _)| name)
    }

    pub fn label(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, _, format)| *format == self)
            .map_or("", |(_, label, _)| label)
    }

    /// The format a file is in, from its content first (a ZIP is XLSX, JSON naming a
    /// CFDocument is CASE, other JSON RSD, a CSV opening with a `[sheet]` line is rolemap's)
    /// and its name's ending otherwise; `None` when neither tells. An XLSX is told CASE or
    /// rolemap's layout by its sheets once read ([`FrameworkFileFormat::of_workbook`]).
    pub fn detect(file_name: &str, bytes: &[u8]) -> Option<FrameworkFileFormat> {
        let lower = file_name.to_ascii_lowercase();
        if bytes.starts_with(b"PK\x03\x04") {
            return Some(Self::Xlsx);
        }
        let start = std::str::from_utf8(&bytes[..bytes.len().min(4096)])
            .or_else(|e| std::str::from_utf8(&bytes[..e.valid_up_to()]))
            .unwrap_or_default()
            .trim_start_matches('\u{feff}')
            .trim_start();
        if start.starts_with('{') || (start.starts_with('[') && lower.ends_with(".json")) {
            // A package's keys may come in any order (rolemap writes them sorted, so a long
            // CFAssociations comes first): the whole file is searched.
            return Some(if contains(bytes, b"\"CFDocument\"") {
                Self::Case
            } else {
                Self::Rsd
            });
        }
        if lower.ends_with(".toml") {
            return Some(Self::Toml);
        }
        if lower.ends_with(".csv") {
            return Some(if start.starts_with('[') {
                Self::Csv
            } else {
                Self::OsmtCsv
            });
        }
        if lower.ends_with(".json") || lower.ends_with(".jsonld") {
            return Some(Self::Rsd);
        }
        if lower.ends_with(".xlsx") {
            return Some(Self::Xlsx);
        }
        // A document without a telling name: TOML states its framework in a table.
        start
            .lines()
            .any(|line| line.trim() == "[framework]")
            .then_some(Self::Toml)
    }

    /// OpenSALT's CASE layout when the workbook has one of its sheets, rolemap's otherwise (as
    /// `rolemap import xlsx` tells them apart).
    pub fn of_workbook(workbook: &Workbook) -> FrameworkFileFormat {
        if case::sheets::SHEETS
            .iter()
            .any(|sheet| workbook.sheet(sheet).is_some())
        {
            Self::CaseXlsx
        } else {
            Self::Xlsx
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// What a framework file held once read: the framework it describes, and what the format's
/// import keeps beside it.
#[derive(Debug, Clone)]
pub struct FrameworkFile {
    pub format: FrameworkFileFormat,
    pub bundle: FrameworkBundle,
    kept: Kept,
}

#[derive(Debug, Clone)]
enum Kept {
    Nothing,
    Sheets(Workbook),
    Case(Box<CasePackage>),
    Rsd(Box<RsdPackage>),
}

/// What importing a framework file would do, for a look before it is done.
#[derive(Debug, Clone)]
pub struct FrameworkFilePreview {
    pub file: FrameworkFile,
    /// That key and version are stored with the same content: importing changes nothing.
    pub already_stored: bool,
    /// That key and version are stored with other content, naming what differs: the import
    /// would be refused.
    pub conflict: Option<String>,
    /// The latest stored version of the framework against the file; `None` when no version of
    /// that key is stored (or it is the very version, stored already).
    pub diff: Option<FrameworkDiff>,
}

/// What storing a CASE package did.
#[derive(Debug, Clone)]
pub struct CaseImport {
    pub outcome: ImportOutcome,
    /// Same-concept associations applied as mappings.
    pub mapped: usize,
    /// Scales made of the package's rubrics.
    pub scales: usize,
}

/// What importing a framework file did.
#[derive(Debug, Clone)]
pub struct FrameworkFileImport {
    pub format: FrameworkFileFormat,
    pub outcome: ImportOutcome,
    /// Same-concept associations of a CASE package applied as mappings.
    pub mapped: usize,
}

impl Service {
    /// Reads a framework file (`name` is what problems call it) in `format`, or in the format
    /// [`FrameworkFileFormat::detect`] finds; `key` stores it under another key than the file
    /// gives. Every problem comes back at once as [`ServiceError::Import`].
    pub fn read_framework_file(
        &self,
        name: &str,
        bytes: &[u8],
        format: Option<FrameworkFileFormat>,
        key: Option<&str>,
    ) -> Result<FrameworkFile> {
        let format = match format.or_else(|| FrameworkFileFormat::detect(name, bytes)) {
            Some(format) => format,
            None => {
                return Err(ServiceError::invalid(
                    "format",
                    format!(
                        "{name}: cannot tell the file's format from its name or content; \
                         choose it"
                    ),
                ));
            }
        };
        let import = ServiceError::Import;
        let (format, bundle, kept) = match format {
            FrameworkFileFormat::Toml => {
                let text = rolemap_formats::utf8_text(bytes.to_vec(), name).map_err(import)?;
                let bundle = rolemap_formats::read_framework(&text, name).map_err(import)?;
                (format, bundle, Kept::Nothing)
            }
            FrameworkFileFormat::Xlsx | FrameworkFileFormat::CaseXlsx => {
                let workbook = sheets::read_xlsx(name, bytes).map_err(import)?;
                match FrameworkFileFormat::of_workbook(&workbook) {
                    FrameworkFileFormat::CaseXlsx => {
                        let package = case::sheets::from_sheets(name, &workbook).map_err(import)?;
                        let bundle = case_bundle(&package, key, name)?;
                        (
                            FrameworkFileFormat::CaseXlsx,
                            bundle,
                            Kept::Case(Box::new(package)),
                        )
                    }
                    _ => {
                        let bundle =
                            framework_sheets::from_sheets(name, &workbook).map_err(import)?;
                        (FrameworkFileFormat::Xlsx, bundle, Kept::Sheets(workbook))
                    }
                }
            }
            FrameworkFileFormat::Csv => {
                let workbook = framework_sheets::read_csv(name, bytes).map_err(import)?;
                let bundle = framework_sheets::from_sheets(name, &workbook).map_err(import)?;
                (format, bundle, Kept::Sheets(workbook))
            }
            FrameworkFileFormat::Case => {
                let package = case::read(name, bytes).map_err(import)?;
                let bundle = case_bundle(&package, key, name)?;
                (format, bundle, Kept::Case(Box::new(package)))
            }
            FrameworkFileFormat::Rsd | FrameworkFileFormat::OsmtCsv => {
                let package = if format == FrameworkFileFormat::Rsd {
                    rsd::read(name, bytes)
                } else {
                    rsd::read_csv(name, bytes)
                }
                .map_err(import)?;
                let key = key.map_or_else(|| rsd::default_key(&package), str::to_owned);
                let bundle = rsd::to_bundle(&package, &key);
                (format, bundle, Kept::Rsd(Box::new(package)))
            }
        };
        let mut bundle = bundle;
        if let Some(key) = key {
            bundle.framework.key = key.to_owned();
        }
        Ok(FrameworkFile {
            format,
            bundle,
            kept,
        })
    }

    /// What importing the file would do, storing nothing: whether its version is stored
    /// already (with the same content, or with other content, which the import refuses), and
    /// what it changes against the latest stored version of its framework.
    pub async fn preview_framework_file(
        &self,
        file: FrameworkFile,
    ) -> Result<FrameworkFilePreview> {
        let meta = &file.bundle.framework;
        let stored_version = self
            .store
            .framework_bundle(&meta.key, Some(&meta.version))
            .await?
            .is_some();
        let (already_stored, conflict) = if stored_version {
            match self.check_same_content(&file.bundle, "the file").await {
                Ok(()) => (true, None),
                Err(ServiceError::Store(StoreError::Conflict(message))) => (false, Some(message)),
                Err(other) => return Err(other),
            }
        } else {
            (false, None)
        };
        let diff = if already_stored {
            None
        } else {
            self.store
                .framework_bundle(&meta.key, None)
                .await?
                .map(|latest| diff::diff(&latest, &file.bundle))
        };
        Ok(FrameworkFilePreview {
            file,
            already_stored,
            conflict,
            diff,
        })
    }

    /// Imports a framework file read by [`Service::read_framework_file`] as its format's own
    /// import does (`rolemap import framework|xlsx|csv|case|rsd`), all or nothing; a version
    /// stored with other content is refused, naming what differs.
    pub async fn import_framework_file(
        &self,
        name: &str,
        file: &FrameworkFile,
        actor: &Actor,
    ) -> Result<FrameworkFileImport> {
        self.check_same_content(&file.bundle, name).await?;
        let key = Some(file.bundle.framework.key.as_str());
        let (outcome, mapped) = match &file.kept {
            Kept::Nothing => {
                let mut outcomes = self
                    .store
                    .import_frameworks(std::slice::from_ref(&file.bundle), actor, &now())
                    .await?;
                let outcome = outcomes.pop().ok_or_else(|| {
                    ServiceError::Store(StoreError::Corrupt(
                        "the import of one framework reported no outcome".to_owned(),
                    ))
                })?;
                (outcome, 0)
            }
            Kept::Sheets(workbook) => (
                self.import_framework_sheets(name, workbook, key, actor)
                    .await?,
                0,
            ),
            Kept::Case(package) => {
                let imported = self.import_case_package(package, key, name, actor).await?;
                (imported.outcome, imported.mapped)
            }
            Kept::Rsd(package) => {
                let bundle = &file.bundle;
                let outcome = self
                    .store
                    .import_kept(bundle, rsd::FORMAT, &package.objects(), actor, &now())
                    .await?;
                (outcome, 0)
            }
        };
        Ok(FrameworkFileImport {
            format: file.format,
            outcome,
            mapped,
        })
    }

    /// Stores a checked CASE package (and the framework it describes) under `key` (default:
    /// from its identifier) all or nothing, then applies its same-concept associations as
    /// mappings.
    pub async fn import_case_package(
        &self,
        package: &CasePackage,
        key: Option<&str>,
        name: &str,
        actor: &Actor,
    ) -> Result<CaseImport> {
        let bundle = case_bundle(package, key, name)?;
        let outcome = self
            .store
            .import_case(&bundle, &package.objects(), actor, &now())
            .await?;
        let mapped = if outcome.created {
            self.same_concept_mappings(package, &bundle.framework.key, name, actor)
                .await?
        } else {
            0
        };
        Ok(CaseImport {
            outcome,
            mapped,
            scales: bundle.scales.len(),
        })
    }

    /// Applies the package's associations that say two nodes are the same or related concepts
    /// (exactMatchOf as exact, isRelatedTo as related) as rolemap mappings, where the other end
    /// is a skill of another stored framework (one imported from CASE, whose skill keys are
    /// item identifiers). Ends rolemap does not hold stay links in the stored package.
    async fn same_concept_mappings(
        &self,
        package: &CasePackage,
        key: &str,
        source: &str,
        actor: &Actor,
    ) -> Result<usize> {
        let store = &self.store;
        let others: Vec<String> = store
            .frameworks()
            .await?
            .into_iter()
            .map(|f| f.key)
            .filter(|k| k != key)
            .collect();
        let mut mappings = Vec::new();
        for association in &package.associations {
            let kind = match association
                .get("associationType")
                .and_then(serde_json::Value::as_str)
            {
                Some("exactMatchOf") => rolemap_core::MappingKind::Exact,
                Some("isRelatedTo") => rolemap_core::MappingKind::Related,
                _ => continue,
            };
            let end = |field: &str| {
                association
                    .get(field)
                    .and_then(|n| n.get("identifier"))
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("")
                    .to_owned()
            };
            let Some(from) = store.skill_by_key(key, &end("originNodeURI")).await? else {
                continue; // the document, not an item
            };
            let destination = end("destinationNodeURI");
            for other in &others {
                if let Some(to) = store.skill_by_key(other, &destination).await? {
                    mappings.push(rolemap_core::Mapping {
                        from,
                        to,
                        kind,
                        confidence: 1.0,
                    });
                    break;
                }
            }
        }
        if mappings.is_empty() {
            return Ok(0);
        }
        Ok(store
            .apply_mappings(&mappings, &format!("CASE {source}"), actor, &now())
            .await?)
    }
}

/// The framework a CASE package describes, under `key` or its own.
fn case_bundle(package: &CasePackage, key: Option<&str>, name: &str) -> Result<FrameworkBundle> {
    let key = key.map_or_else(|| case::default_key(package), str::to_owned);
    case::to_bundle(package, &key, name).map_err(ServiceError::Import)
}

#[cfg(test)]
mod tests {
    use super::FrameworkFileFormat as F;

    #[test]
    fn formats_are_told_from_content_before_names() {
        assert_eq!(F::detect("a.xlsx", b"PK\x03\x04rest"), Some(F::Xlsx));
        assert_eq!(F::detect("upload.bin", b"PK\x03\x04rest"), Some(F::Xlsx));
        assert_eq!(
            F::detect("pkg.json", br#"{"CFDocument": {"identifier": "x"}}"#),
            Some(F::Case)
        );
        assert_eq!(
            F::detect(
                "skills.json",
                br#"{"@context": "https://rsd.osmt.dev", "type": "RichSkillDescriptor"}"#
            ),
            Some(F::Rsd)
        );
        // Keys sorted: the document comes after a long list of associations.
        let mut late = br#"{"CFAssociations": [""#.to_vec();
        late.extend(vec![b'x'; 5000]);
        late.extend_from_slice(br#""], "CFDocument": {}}"#);
        assert_eq!(F::detect("package", &late), Some(F::Case));
        assert_eq!(
            F::detect("fw.csv", b"[framework]\nkey,name\n"),
            Some(F::Csv)
        );
        assert_eq!(
            F::detect("osmt.csv", b"Canonical URL,RSD Name\n"),
            Some(F::OsmtCsv)
        );
        assert_eq!(
            F::detect("fw.toml", b"[framework]\nkey = \"x\"\n"),
            Some(F::Toml)
        );
        assert_eq!(
            F::detect("noname", b"# a comment\n[framework]\n"),
            Some(F::Toml)
        );
        assert_eq!(F::detect("noname", b"just words"), None);
    }

    #[test]
    fn every_format_name_reads_back() {
        for (name, _, format) in F::ALL {
            assert_eq!(F::parse(name), Some(format));
            assert_eq!(format.name(), name);
        }
        assert_eq!(F::parse("pdf"), None);
    }
}
