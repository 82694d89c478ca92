//! `rolemap import case` and `rolemap export case`: CASE 1.0 packages (CFPackage JSON) in and out
//! through the store, the package's objects kept whole so that an export gives back what came in.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rolemap_formats::case::{self, CasePackage};
use rolemap_service::{Service, now};

/// Reads a CFPackage, checks it, and stores the framework it describes with the package beside
/// it, all or nothing.
pub(super) async fn import(
    service: &Service,
    file: &Path,
    key: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let name = file.display().to_string();
    let reader = std::fs::File::open(file).with_context(|| format!("cannot open {name}"))?;
    let package = case::read(&name, std::io::BufReader::new(reader))
        .map_err(|problems| anyhow::anyhow!("{problems}"))?;
    store_package(service, &package, key, &name, out).await
}

/// Stores OpenSALT's CASE spreadsheet (sheets CF Doc, CF Item, CF Association, already read
/// from `name`) as `import` stores a CFPackage.
pub(super) async fn import_workbook(
    service: &Service,
    workbook: &rolemap_formats::sheets::Workbook,
    name: &str,
    key: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let package = case::sheets::from_sheets(name, workbook)
        .map_err(|problems| anyhow::anyhow!("{problems}"))?;
    store_package(service, &package, key, name, out).await
}

/// Stores a checked package (and the framework it describes) all or nothing, then applies its
/// same-concept associations as mappings.
async fn store_package(
    service: &Service,
    package: &CasePackage,
    key: Option<&str>,
    name: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let key = key.map_or_else(|| case::default_key(package), str::to_owned);
    let bundle =
        case::to_bundle(package, &key, name).map_err(|problems| anyhow::anyhow!("{problems}"))?;
    let outcome = service
        .store()
        .import_case(
            &bundle,
            &package.objects(),
            &rolemap_store::Actor::cli(),
            &now(),
        )
        .await?;
    if !outcome.created {
        writeln!(
            out,
            "{} {} is already stored; nothing changed.",
            outcome.key, outcome.version
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "Imported CASE document {} as {} {}: {} items as skills, {} associations, {} rubrics ({} scales).",
        package.identifier(),
        outcome.key,
        outcome.version,
        package.items.len(),
        package.associations.len(),
        package.rubrics.len(),
        bundle.scales.len(),
    )?;
    let mapped = same_concept_mappings(service, package, &key, name).await?;
    if mapped > 0 {
        writeln!(
            out,
            "{mapped} association{} to skills of other stored frameworks applied as mappings.",
            super::plural(mapped)
        )?;
    }
    Ok(())
}

/// Applies the package's associations that say two nodes are the same or related concepts
/// (exactMatchOf as exact, isRelatedTo as related) as rolemap mappings, where the other end is a
/// skill of another stored framework (one imported from CASE, whose skill keys are item
/// identifiers). Ends rolemap does not hold stay links in the stored package. Returns how many.
async fn same_concept_mappings(
    service: &Service,
    package: &CasePackage,
    key: &str,
    source: &str,
) -> Result<usize> {
    let store = service.store();
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
        .apply_mappings(
            &mappings,
            &format!("CASE {source}"),
            &rolemap_store::Actor::cli(),
            &now(),
        )
        .await?)
}

/// Writes a stored framework as a CFPackage, as the service builds it (the CASE API serves the
/// same package).
pub(super) async fn export(
    service: &Service,
    framework: &str,
    file: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let package = service.case_package(framework).await?;
    let name = file.display().to_string();
    let mut bytes = Vec::new();
    case::write(&package, &mut bytes)?;
    std::fs::write(file, &bytes).with_context(|| format!("cannot write {name}"))?;
    writeln!(
        out,
        "Exported {framework} as CASE to {name}: {} items, {} associations, {} rubrics.",
        package.items.len(),
        package.associations.len(),
        package.rubrics.len()
    )?;
    Ok(())
}
