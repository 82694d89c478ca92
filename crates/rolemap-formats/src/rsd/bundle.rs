//! The rolemap framework an RSD file describes, and an RSD collection of a framework that did
//! not come from OSMT.

use super::*;

/// The framework key a file is stored under unless the user names one: `rsd-` and the first
/// eight letters and digits of the collection's (or the first skill's) identifier, lower-cased
/// (`rsd-skills` when there is none).
pub fn default_key(package: &RsdPackage) -> String {
    let id = package.identifier();
    let id = id.rsplit(['/', ':']).next().unwrap_or(id);
    let id: String = id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    if id.is_empty() {
        // A file without skills (a CSV of headers only) has nothing to name it by.
        return "rsd-skills".to_owned();
    }
    format!("rsd-{}", id.to_ascii_lowercase())
}

/// The rolemap framework an RSD file describes, stored under `key`: each RSD a skill.
pub fn to_bundle(package: &RsdPackage, key: &str) -> FrameworkBundle {
    let empty = Map::new();
    // What describes the whole: the collection, else the single skill.
    let whole = package
        .collection
        .as_ref()
        .or_else(|| {
            (package.shape == Shape::Skill)
                .then(|| package.skills.first())
                .flatten()
        })
        .unwrap_or(&empty);
    let first_of = |keys: &[&str], fallback: &str| {
        keys.iter()
            .map(|k| text(whole, k))
            .find(|v| !v.is_empty())
            .unwrap_or(fallback)
            .to_owned()
    };
    let name = first_of(&["name", "skillName"], "OSMT skills");
    let version = first_of(&["updateDate", "creationDate"], "1");
    let mut attribution = strings(whole, "authors", "author").join("; ");
    if attribution.is_empty() {
        attribution = text(whole, "creator").to_owned();
    }
    let skills = package
        .skills
        .iter()
        .map(|skill| SkillDef {
            key: identifier(skill).to_owned(),
            label: text(skill, "skillName").to_owned(),
            alt_labels: Vec::new(),
            description: text(skill, "skillStatement").to_owned(),
            kind: SkillKind::Skill,
            reuse: None,
            tags: strings(skill, "categories", "category")
                .into_iter()
                .map(str::to_owned)
                .collect(),
            scale: None,
        })
        .collect();
    FrameworkBundle {
        framework: FrameworkMeta {
            key: key.to_owned(),
            name,
            version,
            source: text(whole, "id").to_owned(),
            licence: String::new(),
            attribution,
            description: text(whole, "description").to_owned(),
        },
        scales: Vec::new(),
        ladders: Vec::new(),
        families: Vec::new(),
        skills,
        roles: Vec::new(),
        links: Vec::new(),
    }
}

/// The JSON-LD context OSMT gives its RSDs.
pub const CONTEXT: &str = "https://rsd.openskillsnetwork.org/context-v1.json";

/// A RichSkillCollection of a framework that did not come from OSMT (the built-in ones), with
/// API v3 field names: each skill an RSD (name = label, statement = description, else the label;
/// categories = tags; keywords = alternative labels), in the framework's order. UUIDs derive
/// from the framework's key and version and the skill's key, so an export is the same from one
/// run to the next; `changed` is every object's creation and update date (the import time).
pub fn from_bundle(bundle: &FrameworkBundle, changed: &str) -> RsdPackage {
    let meta = &bundle.framework;
    let base = format!("rolemap:{}:{}", meta.key, meta.version);
    let collection_id = name_uuid(&format!("{base}:rsd-collection"));
    let collection_ref = {
        let mut reference = Map::new();
        reference.insert("uuid".to_owned(), Value::from(collection_id.as_str()));
        reference.insert("name".to_owned(), Value::from(meta.name.as_str()));
        Value::Object(reference)
    };
    let authors: Vec<Value> = Some(meta.attribution.as_str())
        .filter(|a| !a.is_empty())
        .map(Value::from)
        .into_iter()
        .collect();
    let common = |map: &mut Map<String, Value>, kind: &str, uuid: &str| {
        map.insert("@context".to_owned(), Value::from(CONTEXT));
        map.insert("type".to_owned(), Value::from(kind));
        map.insert("id".to_owned(), Value::from(format!("urn:uuid:{uuid}")));
        map.insert("uuid".to_owned(), Value::from(uuid));
        map.insert("status".to_owned(), Value::from("published"));
        map.insert("creationDate".to_owned(), Value::from(changed));
        map.insert("updateDate".to_owned(), Value::from(changed));
    };
    let mut collection = Map::new();
    common(&mut collection, "RichSkillCollection", &collection_id);
    collection.insert("name".to_owned(), Value::from(meta.name.as_str()));
    if !meta.description.is_empty() {
        collection.insert(
            "description".to_owned(),
            Value::from(meta.description.as_str()),
        );
    }
    if !meta.attribution.is_empty() {
        collection.insert("author".to_owned(), Value::from(meta.attribution.as_str()));
    }
    let skills = bundle
        .skills
        .iter()
        .map(|skill| {
            let uuid = name_uuid(&format!("{base}:rsd-skill:{}", skill.key));
            let mut rsd = Map::new();
            common(&mut rsd, "RichSkillDescriptor", &uuid);
            rsd.insert("skillName".to_owned(), Value::from(skill.label.as_str()));
            let statement = if skill.description.is_empty() {
                &skill.label
            } else {
                &skill.description
            };
            rsd.insert("skillStatement".to_owned(), Value::from(statement.as_str()));
            rsd.insert("categories".to_owned(), Value::from(skill.tags.clone()));
            rsd.insert("keywords".to_owned(), Value::from(skill.alt_labels.clone()));
            rsd.insert("authors".to_owned(), Value::Array(authors.clone()));
            for list in [
                "standards",
                "alignments",
                "certifications",
                "employers",
                "occupations",
            ] {
                rsd.insert(list.to_owned(), Value::Array(Vec::new()));
            }
            rsd.insert(
                "collections".to_owned(),
                Value::Array(vec![collection_ref.clone()]),
            );
            rsd
        })
        .collect();
    RsdPackage {
        shape: Shape::Collection,
        collection: Some(collection),
        skills,
    }
}
