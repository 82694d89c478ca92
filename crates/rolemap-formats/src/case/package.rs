//! A CASE package as held: its sections and objects, their JSON kept whole, and writing it back.

use super::*;

/// The association types of CASE 1.0. Extension types (`ext:...`) are also accepted.
pub const ASSOCIATION_TYPES: [&str; 9] = [
    "isChildOf",
    "isPartOf",
    "isPeerOf",
    "exactMatchOf",
    "isRelatedTo",
    "precedes",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
];

/// Where in a package an object sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Document,
    Items,
    Associations,
    Definitions,
    Rubrics,
}

impl Section {
    /// The package's key for the section, which is also how the store names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Document => "CFDocument",
            Section::Items => "CFItems",
            Section::Associations => "CFAssociations",
            Section::Definitions => "CFDefinitions",
            Section::Rubrics => "CFRubrics",
        }
    }

    pub fn parse(text: &str) -> Option<Section> {
        [
            Section::Document,
            Section::Items,
            Section::Associations,
            Section::Definitions,
            Section::Rubrics,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One object of a package as stored: its section, identifier (empty for CFDefinitions) and JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseObject {
    pub section: Section,
    pub identifier: String,
    pub json: String,
}

/// A checked CFPackage, every object whole.
#[derive(Debug, Clone, PartialEq)]
pub struct CasePackage {
    pub document: Map<String, Value>,
    pub items: Vec<Map<String, Value>>,
    pub associations: Vec<Map<String, Value>>,
    pub definitions: Option<Map<String, Value>>,
    pub rubrics: Vec<Map<String, Value>>,
}

impl CasePackage {
    /// The document's identifier (checked present by [`read`]).
    pub fn identifier(&self) -> &str {
        text(&self.document, "identifier")
    }

    /// Every object, in package order, as the store keeps them.
    pub fn objects(&self) -> Vec<CaseObject> {
        let object = |section, map: &Map<String, Value>| CaseObject {
            section,
            identifier: text(map, "identifier").to_owned(),
            json: Value::Object(map.clone()).to_string(),
        };
        let mut objects = vec![object(Section::Document, &self.document)];
        objects.extend(self.items.iter().map(|i| object(Section::Items, i)));
        objects.extend(
            self.associations
                .iter()
                .map(|a| object(Section::Associations, a)),
        );
        if let Some(definitions) = &self.definitions {
            objects.push(object(Section::Definitions, definitions));
        }
        objects.extend(self.rubrics.iter().map(|r| object(Section::Rubrics, r)));
        objects
    }

    /// The package back from its stored objects (which [`CasePackage::objects`] made).
    pub fn from_objects(objects: &[CaseObject]) -> Result<CasePackage, String> {
        let mut document = None;
        let mut package = CasePackage {
            document: Map::new(),
            items: Vec::new(),
            associations: Vec::new(),
            definitions: None,
            rubrics: Vec::new(),
        };
        for object in objects {
            let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&object.json) else {
                return Err(format!(
                    "the stored {} object {} is not a JSON object",
                    object.section.as_str(),
                    object.identifier
                ));
            };
            match object.section {
                Section::Document => document = Some(map),
                Section::Items => package.items.push(map),
                Section::Associations => package.associations.push(map),
                Section::Definitions => package.definitions = Some(map),
                Section::Rubrics => package.rubrics.push(map),
            }
        }
        package.document = document.ok_or("no CFDocument is stored")?;
        Ok(package)
    }
}

/// A sequence number as CASE tools write it: an integer, or a string holding one.
pub fn sequence_number(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The string at `key`, or "" (for fields [`read`] has checked, or optional ones).
pub(super) fn text<'a>(map: &'a Map<String, Value>, key: &str) -> &'a str {
    map.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Writes the package: sorted keys, two-space indents, a final line break.
pub fn write(package: &CasePackage, mut out: impl Write) -> std::io::Result<()> {
    let mut top = Map::new();
    top.insert(
        "CFDocument".to_owned(),
        Value::Object(package.document.clone()),
    );
    let array = |objects: &[Map<String, Value>]| {
        Value::Array(objects.iter().cloned().map(Value::Object).collect())
    };
    top.insert("CFItems".to_owned(), array(&package.items));
    top.insert("CFAssociations".to_owned(), array(&package.associations));
    if let Some(definitions) = &package.definitions {
        top.insert(
            "CFDefinitions".to_owned(),
            Value::Object(definitions.clone()),
        );
    }
    if !package.rubrics.is_empty() {
        top.insert("CFRubrics".to_owned(), array(&package.rubrics));
    }
    serde_json::to_writer_pretty(&mut out, &Value::Object(top))?;
    out.write_all(b"\n")
}
