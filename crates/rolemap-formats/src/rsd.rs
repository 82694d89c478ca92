//! OSMT Rich Skill Descriptors (RSD JSON-LD, as the Open Skills Management Tool's API v2 and v3
//! give them): single skills, RichSkillCollections and lists of skills, read, checked, mapped to
//! a rolemap framework and written back; and OSMT's batch-import CSV read and its export CSV
//! written.
//!
//! rolemap's model holds a skill's name, statement and categories; an RSD also holds keywords,
//! authors, standards, certifications, employers, alignments, occupations with their code
//! hierarchy, collections, dates and status, under v2 names (`author`, `category`: one string)
//! or v3 names (`authors`, `categories`: lists). So, as with CASE, every skill and the collection
//! are kept whole as the JSON they were read as ([`RsdPackage`]), and writing writes them back:
//! every field and string comes out as it came in, under the names it came in with. Keys are
//! written sorted with tab indents (OSMT's own layout), so a file written, read and written again
//! is the same bytes.
//!
//! [`to_bundle`] gives the framework rolemap works with: each RSD a skill (key = its `uuid`, else
//! its `id`; label = `skillName`; description = `skillStatement`; tags = its categories).
//! [`from_bundle`] does the reverse for a framework that did not come from OSMT: a
//! RichSkillCollection of its skills, with name-derived UUIDs.

use std::collections::HashMap;
use std::io::{Read, Write};

use rolemap_core::SkillKind;
use rolemap_core::bundle::{FrameworkBundle, FrameworkMeta, SkillDef};
use serde_json::{Map, Value};

use crate::case::name_uuid;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::kept::KeptObject;

mod bundle;
mod read;
mod table;

pub use bundle::*;
pub use read::*;
pub use table::*;

/// The format name under which the store keeps RSD objects.
pub const FORMAT: &str = "rsd";

/// How a file held its skills, which is how they are written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One RichSkillDescriptor object.
    Skill,
    /// A RichSkillCollection object with its skills under `skills`.
    Collection,
    /// A JSON array of skills (what OSMT's search answers).
    List,
}

/// A checked RSD file, every object whole.
#[derive(Debug, Clone, PartialEq)]
pub struct RsdPackage {
    pub shape: Shape,
    /// The collection's own fields, all but `skills` (for [`Shape::Collection`] only).
    pub collection: Option<Map<String, Value>>,
    pub skills: Vec<Map<String, Value>>,
}

impl RsdPackage {
    /// Every object, in file order, as the store keeps them: the collection (kind `collection`)
    /// or the list's mark (kind `list`), then each skill (kind `skill`).
    pub fn objects(&self) -> Vec<KeptObject> {
        let mut objects = Vec::with_capacity(self.skills.len() + 1);
        match (self.shape, &self.collection) {
            (Shape::Collection, Some(collection)) => objects.push(KeptObject {
                kind: "collection".to_owned(),
                identifier: identifier(collection).to_owned(),
                json: Value::Object(collection.clone()).to_string(),
            }),
            (Shape::List, _) => objects.push(KeptObject {
                kind: "list".to_owned(),
                identifier: String::new(),
                json: "{}".to_owned(),
            }),
            _ => {}
        }
        objects.extend(self.skills.iter().map(|skill| KeptObject {
            kind: "skill".to_owned(),
            identifier: identifier(skill).to_owned(),
            json: Value::Object(skill.clone()).to_string(),
        }));
        objects
    }

    /// The file back from its stored objects (which [`RsdPackage::objects`] made).
    pub fn from_objects(objects: &[KeptObject]) -> Result<RsdPackage, String> {
        let mut package = RsdPackage {
            shape: Shape::Skill,
            collection: None,
            skills: Vec::new(),
        };
        for object in objects {
            let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&object.json) else {
                return Err(format!(
                    "the stored RSD {} object {} is not a JSON object",
                    object.kind, object.identifier
                ));
            };
            match object.kind.as_str() {
                "collection" => {
                    package.shape = Shape::Collection;
                    package.collection = Some(map);
                }
                "list" => package.shape = Shape::List,
                "skill" => package.skills.push(map),
                other => return Err(format!("the stored RSD object kind '{other}' is unknown")),
            }
        }
        if package.shape == Shape::Skill && package.skills.len() != 1 {
            return Err(format!(
                "{} RSD skills are stored without a collection",
                package.skills.len()
            ));
        }
        Ok(package)
    }

    /// The collection's or the single skill's identifier, else the first skill's.
    pub fn identifier(&self) -> &str {
        self.collection
            .as_ref()
            .map(identifier)
            .filter(|id| !id.is_empty())
            .or_else(|| self.skills.first().map(identifier))
            .unwrap_or("")
    }
}

/// An RSD's or collection's identifier: its `uuid`, else its `id` (checked present by [`read`]).
pub fn identifier(object: &Map<String, Value>) -> &str {
    [text(object, "uuid"), text(object, "id")]
        .into_iter()
        .find(|v| !v.is_empty())
        .unwrap_or("")
}

/// The string at `key`, or "".
pub(crate) fn text<'a>(map: &'a Map<String, Value>, key: &str) -> &'a str {
    map.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The strings of a v3 list field (`authors`) or, failing that, of its v2 single-string field
/// (`author`), in order.
pub fn strings<'a>(skill: &'a Map<String, Value>, v3: &str, v2: &str) -> Vec<&'a str> {
    match skill.get(v3) {
        Some(Value::Array(values)) => values.iter().filter_map(Value::as_str).collect(),
        _ => Some(text(skill, v2))
            .filter(|s| !s.is_empty())
            .into_iter()
            .collect(),
    }
}

/// Writes the package as it was read: the skill, the collection with its skills under `skills`,
/// or the list; sorted keys, tab indents, a final line break.
pub fn write(package: &RsdPackage, mut out: impl Write) -> std::io::Result<()> {
    let skills = || Value::Array(package.skills.iter().cloned().map(Value::Object).collect());
    let value = match package.shape {
        Shape::Skill => package
            .skills
            .first()
            .cloned()
            .map_or(Value::Null, Value::Object),
        Shape::List => skills(),
        Shape::Collection => {
            let mut collection = package.collection.clone().unwrap_or_default();
            collection.insert("skills".to_owned(), skills());
            Value::Object(collection)
        }
    };
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut out,
        serde_json::ser::PrettyFormatter::with_indent(b"\t"),
    );
    serde::Serialize::serialize(&value, &mut serializer)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests;
