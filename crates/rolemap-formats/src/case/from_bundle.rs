//! A CASE package of a framework that did not come from CASE, with stable name-based UUIDs.

use super::*;

/// A UUID that is the same for the same name: two 64-bit FNV-1a hashes of it (different offset
/// bases) laid out as a version 8 ("custom") UUID. Frameworks that did not come from CASE have
/// no identifiers of their own; these keep an export the same from one run to the next.
pub fn name_uuid(name: &str) -> String {
    let hash = |basis: u64| {
        name.bytes().fold(basis, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let high = hash(0xcbf2_9ce4_8422_2325);
    let low = hash(0x6c62_272e_07bb_0142);
    let bytes: u128 = (u128::from(high) << 64) | u128::from(low);
    // Version 8 in bits 76..80, the RFC 9562 variant (10) in bits 62..64.
    let bytes = (bytes & !(0xf << 76)) | (0x8 << 76);
    let bytes = (bytes & !(0x3 << 62)) | (0x2 << 62);
    let hex = format!("{bytes:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// A link to a node (`LinkURI`): title, identifier, uri.
pub(super) fn link(title: &str, identifier: &str, uri: &str) -> Value {
    let mut map = Map::new();
    map.insert("title".to_owned(), Value::from(title));
    map.insert("identifier".to_owned(), Value::from(identifier));
    map.insert("uri".to_owned(), Value::from(uri));
    Value::Object(map)
}

pub(super) fn object(pairs: Vec<(&str, Value)>) -> Map<String, Value> {
    pairs
        .into_iter()
        .filter(|(_, v)| !matches!(v, Value::String(s) if s.is_empty()))
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

/// A CASE package of a framework that did not come from CASE: the document from the framework,
/// its skills as items (children of the document, sequence numbers in the framework's order),
/// each scale as a rubric with one criterion whose levels score their rank. `changed` is the
/// lastChangeDateTime of every object (the framework's import time).
pub fn from_bundle(bundle: &FrameworkBundle, changed: &str) -> CasePackage {
    let meta = &bundle.framework;
    let base = format!("rolemap:{}:{}", meta.key, meta.version);
    let id = |what: &str| name_uuid(&format!("{base}:{what}"));
    let uri = |identifier: &str| format!("urn:uuid:{identifier}");
    let doc_id = id("document");
    let doc_uri = uri(&doc_id);
    let document = object(vec![
        ("identifier", Value::from(doc_id.as_str())),
        ("uri", Value::from(doc_uri.as_str())),
        ("creator", Value::from(meta.attribution.as_str())),
        ("title", Value::from(meta.name.as_str())),
        ("version", Value::from(meta.version.as_str())),
        ("description", Value::from(meta.description.as_str())),
        ("officialSourceURL", Value::from(meta.source.as_str())),
        ("lastChangeDateTime", Value::from(changed)),
        ("CFPackageURI", link(&meta.name, &doc_id, &doc_uri)),
    ]);
    let doc_link = link(&meta.name, &doc_id, &doc_uri);
    let mut items = Vec::new();
    let mut associations = Vec::new();
    for (position, skill) in bundle.skills.iter().enumerate() {
        let item_id = id(&format!("skill:{}", skill.key));
        let item_uri = uri(&item_id);
        let full = if skill.description.is_empty() {
            &skill.label
        } else {
            &skill.description
        };
        items.push(object(vec![
            ("identifier", Value::from(item_id.as_str())),
            ("uri", Value::from(item_uri.as_str())),
            ("CFDocumentURI", doc_link.clone()),
            ("fullStatement", Value::from(full.as_str())),
            ("abbreviatedStatement", Value::from(skill.label.as_str())),
            ("humanCodingScheme", Value::from(skill.key.as_str())),
            ("CFItemType", Value::from(skill.kind.as_str())),
            ("conceptKeywords", Value::from(skill.tags.clone())),
            ("lastChangeDateTime", Value::from(changed)),
        ]));
        let association_id = id(&format!("skill:{}:isChildOf", skill.key));
        associations.push(object(vec![
            ("identifier", Value::from(association_id.as_str())),
            ("uri", Value::from(uri(&association_id))),
            ("CFDocumentURI", doc_link.clone()),
            ("associationType", Value::from("isChildOf")),
            ("sequenceNumber", Value::from(position + 1)),
            ("originNodeURI", link(&skill.label, &item_id, &item_uri)),
            ("destinationNodeURI", doc_link.clone()),
            ("lastChangeDateTime", Value::from(changed)),
        ]));
    }
    for item in &mut items {
        if item
            .get("conceptKeywords")
            .is_some_and(|k| k.as_array().is_some_and(Vec::is_empty))
        {
            item.remove("conceptKeywords");
        }
    }
    let rubrics = bundle
        .scales
        .iter()
        .map(|scale| {
            let rubric_id = id(&format!("scale:{}", scale.key()));
            let criterion_id = id(&format!("scale:{}:criterion", scale.key()));
            let levels: Vec<Value> = scale
                .levels()
                .iter()
                .enumerate()
                .map(|(rank, level)| {
                    let level_id = id(&format!("scale:{}:level:{}", scale.key(), level.code));
                    Value::Object(object(vec![
                        ("identifier", Value::from(level_id.as_str())),
                        ("uri", Value::from(uri(&level_id))),
                        ("quality", Value::from(level.code.as_str())),
                        (
                            "description",
                            Value::from(if level.descriptor.is_empty() {
                                level.name.as_str()
                            } else {
                                level.descriptor.as_str()
                            }),
                        ),
                        ("score", Value::from(rank + 1)),
                        ("position", Value::from(rank + 1)),
                        ("rubricCriterionId", Value::from(criterion_id.as_str())),
                        ("lastChangeDateTime", Value::from(changed)),
                    ]))
                })
                .collect();
            let criterion = object(vec![
                ("identifier", Value::from(criterion_id.as_str())),
                ("uri", Value::from(uri(&criterion_id))),
                ("category", Value::from(scale.name())),
                ("position", Value::from(1)),
                ("rubricId", Value::from(rubric_id.as_str())),
                ("lastChangeDateTime", Value::from(changed)),
                ("CFRubricCriterionLevels", Value::Array(levels)),
            ]);
            object(vec![
                ("identifier", Value::from(rubric_id.as_str())),
                ("uri", Value::from(uri(&rubric_id))),
                ("title", Value::from(scale.name())),
                ("lastChangeDateTime", Value::from(changed)),
                (
                    "CFRubricCriteria",
                    Value::Array(vec![Value::Object(criterion)]),
                ),
            ])
        })
        .collect();
    CasePackage {
        document,
        items,
        associations,
        definitions: None,
        rubrics,
    }
}
