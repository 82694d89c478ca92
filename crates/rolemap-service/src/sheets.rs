//! Frameworks as spreadsheets in rolemap's own layout (`rolemap_formats::framework_sheets`):
//! importing one, with its sheets kept as the framework reads back (so that an export gives the
//! same cells), and a stored framework as sheets, for `rolemap export xlsx|csv` and the HTTP
//! download alike.

use rolemap_formats::framework_sheets;
use rolemap_formats::kept::KeptObject;
use rolemap_formats::sheets::{Sheet, SheetRow, Workbook};
use rolemap_store::ImportOutcome;
use serde_json::Value;

use crate::case::{builtin, builtins};
use crate::{Result, Service, ServiceError, now};

/// The format name under which the store keeps a framework's sheets.
pub const SHEETS_FORMAT: &str = "sheets";

impl Service {
    /// Reads a framework from sheets of rolemap's layout (`name` is what diagnostics call the
    /// file) and stores it, with the sheets as the framework writes them kept beside it, all or
    /// nothing. `key` stores it under another key than its framework sheet gives.
    pub async fn import_framework_sheets(
        &self,
        name: &str,
        workbook: &Workbook,
        key: Option<&str>,
        actor: &rolemap_store::Actor,
    ) -> Result<ImportOutcome> {
        let mut bundle =
            framework_sheets::from_sheets(name, workbook).map_err(ServiceError::Import)?;
        if let Some(key) = key {
            bundle.framework.key = key.to_owned();
        }
        self.check_same_content(&bundle, name).await?;
        let objects = kept(&framework_sheets::to_sheets(&bundle));
        Ok(self
            .store
            .import_kept(&bundle, SHEETS_FORMAT, &objects, actor, &now())
            .await?)
    }

    /// The framework `framework` (a key) as sheets of rolemap's layout: as it was imported from
    /// a spreadsheet, a built-in framework from its file, any other from what the store holds.
    pub async fn framework_sheets(&self, framework: &str) -> Result<Workbook> {
        if let Some(objects) = self.store.kept_objects(framework, SHEETS_FORMAT).await? {
            return workbook(&objects).map_err(ServiceError::Internal);
        }
        if self.store.framework_imported_at(framework).await?.is_none() {
            return Err(ServiceError::NotFound {
                what: "framework",
                name: framework.to_owned(),
                suggestions: Vec::new(),
            });
        }
        match builtin(&builtins()?, framework) {
            Some(bundle) => Ok(framework_sheets::to_sheets(bundle)),
            // The whole version in one read per table (as `export framework` reads it): role by
            // role it took 3,007 reads of several queries each for ESCO, 13 s of a 14 s export.
            None => match self.store.framework_bundle(framework, None).await? {
                Some(bundle) => Ok(framework_sheets::to_sheets(&bundle)),
                None => Ok(framework_sheets::to_sheets(
                    &self.stored_bundle(framework, true).await?,
                )),
            },
        }
    }
}

/// Each sheet as a kept object: its name and its rows' cells as JSON.
fn kept(workbook: &Workbook) -> Vec<KeptObject> {
    workbook
        .sheets
        .iter()
        .map(|sheet| KeptObject {
            kind: "sheet".to_owned(),
            identifier: sheet.name.clone(),
            json: Value::Array(
                sheet
                    .rows
                    .iter()
                    .map(|row| Value::from(row.cells.clone()))
                    .collect(),
            )
            .to_string(),
        })
        .collect()
}

fn workbook(objects: &[KeptObject]) -> Result<Workbook, String> {
    let sheets = objects
        .iter()
        .map(|object| {
            let rows: Vec<Vec<String>> = serde_json::from_str(&object.json)
                .map_err(|e| format!("the kept sheet {} does not read: {e}", object.identifier))?;
            Ok(Sheet {
                name: object.identifier.clone(),
                rows: rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, cells)| SheetRow {
                        number: i + 1,
                        cells,
                    })
                    .collect(),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Workbook { sheets })
}
