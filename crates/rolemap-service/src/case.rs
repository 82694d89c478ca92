//! Frameworks as CASE 1.0 packages: what `rolemap export case` writes and what the CASE REST read
//! API (`/ims/case/v1p0`) serves, from one function so that both give the same bytes.

use rolemap_core::bundle::FrameworkBundle;
use rolemap_formats::case::{self, CasePackage};
use serde_json::{Map, Value};

use crate::{Result, Service, ServiceError};

/// What a stored framework is as CASE, before its package is built.
enum Source {
    /// Imported from a CFPackage: the package as it came in.
    Package(CasePackage),
    /// Not imported from CASE, with when it was imported: a built-in framework exports from its
    /// bundle (the import time as `lastChangeDateTime`); any other kind does not export yet.
    Stored(String),
}

impl Service {
    /// The framework `framework` (a key) as a CFPackage: the package it was imported from, or, for
    /// any other framework, its skills as items and its scales as rubrics (a built-in one from its
    /// file, others from the store).
    pub async fn case_package(&self, framework: &str) -> Result<CasePackage> {
        match self.case_source(framework).await? {
            Source::Package(package) => Ok(package),
            Source::Stored(imported_at) => match builtin(&builtins()?, framework) {
                Some(bundle) => Ok(case::from_bundle(bundle, &imported_at)),
                // Any other framework from what the store holds of its skills and scales.
                None => Ok(case::from_bundle(
                    &self.stored_bundle(framework, false).await?,
                    &imported_at,
                )),
            },
        }
    }

    /// Every stored framework that exports to CASE, as a package, in the order frameworks list.
    pub async fn case_packages(&self) -> Result<Vec<CasePackage>> {
        // Read once for every built-in framework rather than once each.
        let mut bundles: Option<Vec<FrameworkBundle>> = None;
        let mut packages = Vec::new();
        for framework in self.store.frameworks().await? {
            match self.case_source(&framework.key).await? {
                Source::Package(package) => packages.push(package),
                Source::Stored(imported_at) => {
                    let all = match &bundles {
                        Some(all) => all,
                        None => bundles.insert(builtins()?),
                    };
                    if let Some(bundle) = builtin(all, &framework.key) {
                        packages.push(case::from_bundle(bundle, &imported_at));
                    }
                }
            }
        }
        Ok(packages)
    }

    /// `GET /CFDocuments`: the document of every framework that exports to CASE, as
    /// `{"CFDocuments": [...]}`.
    pub async fn case_documents(&self) -> Result<Value> {
        let documents = self
            .case_packages()
            .await?
            .into_iter()
            .map(|p| Value::Object(p.document))
            .collect();
        let mut set = Map::new();
        set.insert("CFDocuments".to_owned(), Value::Array(documents));
        Ok(Value::Object(set))
    }

    /// `GET /CFPackages/{sourcedId}`: the package whose document has this identifier, written
    /// exactly as `rolemap export case` writes it.
    pub async fn case_package_json(&self, sourced_id: &str) -> Result<Vec<u8>> {
        let package = self
            .case_packages()
            .await?
            .into_iter()
            .find(|p| p.identifier() == sourced_id)
            .ok_or_else(|| unknown("CFDocument", sourced_id))?;
        let mut bytes = Vec::new();
        case::write(&package, &mut bytes)
            .map_err(|e| ServiceError::Internal(format!("writing a CFPackage: {e}")))?;
        Ok(bytes)
    }

    /// `GET /CFItems/{sourcedId}`: the item with this identifier, as its package holds it.
    pub async fn case_item(&self, sourced_id: &str) -> Result<Value> {
        self.case_object(sourced_id, "CFItem", |p| &p.items).await
    }

    /// `GET /CFAssociations/{sourcedId}`: the association with this identifier.
    pub async fn case_association(&self, sourced_id: &str) -> Result<Value> {
        self.case_object(sourced_id, "CFAssociation", |p| &p.associations)
            .await
    }

    /// `GET /CFRubrics/{sourcedId}`: the rubric with this identifier.
    pub async fn case_rubric(&self, sourced_id: &str) -> Result<Value> {
        self.case_object(sourced_id, "CFRubric", |p| &p.rubrics)
            .await
    }

    /// `GET /CFItemAssociations/{sourcedId}`: the item and every association of its package that
    /// has it at either end, as `{"CFItem": ..., "CFAssociations": [...]}`.
    pub async fn case_item_associations(&self, sourced_id: &str) -> Result<Value> {
        for package in self.case_packages().await? {
            let Some(item) = find(&package.items, sourced_id) else {
                continue;
            };
            let ends = |a: &Map<String, Value>| {
                ["originNodeURI", "destinationNodeURI"].iter().any(|end| {
                    a.get(*end)
                        .and_then(|n| n.get("identifier"))
                        .and_then(Value::as_str)
                        == Some(sourced_id)
                })
            };
            let associations = package
                .associations
                .iter()
                .filter(|a| ends(a))
                .cloned()
                .map(Value::Object)
                .collect();
            let mut set = Map::new();
            set.insert("CFItem".to_owned(), Value::Object(item.clone()));
            set.insert("CFAssociations".to_owned(), Value::Array(associations));
            return Ok(Value::Object(set));
        }
        Err(unknown("CFItem", sourced_id))
    }

    /// The object with this identifier among one kind of every package's objects.
    async fn case_object(
        &self,
        sourced_id: &str,
        what: &'static str,
        objects: impl Fn(&CasePackage) -> &Vec<Map<String, Value>>,
    ) -> Result<Value> {
        for package in self.case_packages().await? {
            if let Some(object) = find(objects(&package), sourced_id) {
                return Ok(Value::Object(object.clone()));
            }
        }
        Err(unknown(what, sourced_id))
    }

    async fn case_source(&self, framework: &str) -> Result<Source> {
        if let Some(objects) = self.store.case_objects(framework).await? {
            return CasePackage::from_objects(&objects)
                .map(Source::Package)
                .map_err(ServiceError::Internal);
        }
        let Some(imported_at) = self.store.framework_imported_at(framework).await? else {
            return Err(ServiceError::NotFound {
                what: "framework",
                name: framework.to_owned(),
                suggestions: Vec::new(),
            });
        };
        Ok(Source::Stored(imported_at))
    }
}

/// The built-in frameworks, read from the files compiled in.
pub(crate) fn builtins() -> Result<Vec<FrameworkBundle>> {
    rolemap_formats::builtin::frameworks().map_err(|d| ServiceError::Internal(d.to_string()))
}

pub(crate) fn builtin<'a>(
    bundles: &'a [FrameworkBundle],
    framework: &str,
) -> Option<&'a FrameworkBundle> {
    bundles.iter().find(|b| b.framework.key == framework)
}

fn find<'a>(objects: &'a [Map<String, Value>], identifier: &str) -> Option<&'a Map<String, Value>> {
    objects
        .iter()
        .find(|o| o.get("identifier").and_then(Value::as_str) == Some(identifier))
}

fn unknown(what: &'static str, sourced_id: &str) -> ServiceError {
    ServiceError::NotFound {
        what,
        name: sourced_id.to_owned(),
        suggestions: Vec::new(),
    }
}
