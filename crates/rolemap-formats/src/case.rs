//! 1EdTech CASE 1.0 packages (the CFPackage JSON of OpenSALT, CaSS and other CASE tools): read,
//! checked, mapped to a rolemap framework, and written back.
//!
//! rolemap's model holds far less than CASE does (association types, sequence numbers and
//! groupings, definitions, rubric criteria, links to nodes outside the package), so a package is
//! kept whole: every CFDocument, CFItem, CFAssociation and CFRubric object, and the CFDefinitions
//! object, as the JSON it was read as ([`CaseObject`]), in file order. Writing a package writes
//! those objects back, so identifiers, URIs, every field and every string come out as they came
//! in (JSON escapes may differ; the text they stand for does not). Object keys are written in
//! sorted order and the whole with two-space indents, so a package written, read and written again
//! is the same bytes.
//!
//! [`to_bundle`] gives the framework rolemap works with: items become skills (key = identifier),
//! each rubric criterion's levels become a proficiency scale (lowest score first) attached to the
//! item the criterion names. [`from_bundle`] does the reverse for frameworks that did not come from
//! CASE (the built-in ones): skills become items, children of the document in their order, and
//! each scale becomes a rubric whose levels score 1, 2, 3 ... by rank.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

use rolemap_core::bundle::{FrameworkBundle, FrameworkMeta, SkillDef};
use rolemap_core::{LevelDef, Scale, SkillKind};
use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, Diagnostics};

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

/// Reads a CFPackage. `name` is the file name diagnostics give. Checks what rolemap relies on:
/// JSON syntax; the document's, items' and associations' identifiers and URIs; known association
/// types; association ends with identifier and URI, whose origin (and for `isChildOf` also the
/// destination) is the document or an item of the package, other ends being links outside it;
/// integer sequence numbers; and rubric levels with a numeric score. Returns every problem.
pub fn read(name: &str, mut reader: impl Read) -> Result<CasePackage, Diagnostics> {
    let mut text = String::new();
    if let Err(e) = reader.read_to_string(&mut text) {
        return Err(Diagnostics(vec![problem(
            name,
            (0, 0),
            "",
            "unreadable",
            format!("cannot read the file as UTF-8 text: {e}"),
        )]));
    }
    let value: Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(e) => {
            // serde_json's message ends with its own "at line L column C"; the position is ours.
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m)
                .to_owned();
            return Err(Diagnostics(vec![problem(
                name,
                (e.line(), e.column()),
                "",
                "invalid-json",
                format!("not valid JSON: {message}"),
            )]));
        }
    };
    Checker {
        name,
        text: &text,
        problems: Vec::new(),
    }
    .check(value)
}

fn problem(
    file: &str,
    (line, column): (usize, usize),
    field: &str,
    code: &'static str,
    message: String,
) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        line,
        column,
        field: field.to_owned(),
        code,
        message,
    }
}

/// Checks a parsed package, pointing each problem at the object's identifier in the text.
struct Checker<'a> {
    name: &'a str,
    text: &'a str,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// The line and column of `"identifier"`'s quoted value after the section's key, or of the
    /// section's key: JSON values carry no positions, and an identifier is unique in a package.
    fn position(&self, section: Section, identifier: Option<&str>) -> (usize, usize) {
        let key = format!("\"{}\"", section.as_str());
        let start = self.text.find(&key).unwrap_or(0);
        let at = identifier
            .filter(|id| !id.is_empty())
            .and_then(|id| {
                let quoted = format!("\"{id}\"");
                self.text[start..].find(&quoted).map(|i| start + i)
            })
            .unwrap_or(start);
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        (line, column)
    }

    fn report(
        &mut self,
        section: Section,
        identifier: Option<&str>,
        field: String,
        code: &'static str,
        message: String,
    ) {
        let at = self.position(section, identifier);
        self.problems
            .push(problem(self.name, at, &field, code, message));
    }

    /// The string at `key` of `object`, or a problem naming `path.key`.
    fn string<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        key: &str,
        section: Section,
        path: &str,
    ) -> Option<&'v str> {
        let id = object.get("identifier").and_then(Value::as_str);
        match object.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Some(s),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                self.report(
                    section,
                    id,
                    format!("{path}.{key}"),
                    "missing-value",
                    format!("'{key}' is missing or empty"),
                );
                None
            }
            Some(_) => {
                self.report(
                    section,
                    id,
                    format!("{path}.{key}"),
                    "invalid-value",
                    format!("'{key}' must be a string"),
                );
                None
            }
        }
    }

    /// The objects of an array section (absent: none).
    fn objects(
        &mut self,
        top: &mut Map<String, Value>,
        section: Section,
    ) -> Vec<Map<String, Value>> {
        let key = section.as_str();
        match top.remove(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(values)) => {
                let mut objects = Vec::new();
                for (i, value) in values.into_iter().enumerate() {
                    match value {
                        Value::Object(object) => objects.push(object),
                        _ => self.report(
                            section,
                            None,
                            format!("{key}[{i}]"),
                            "invalid-value",
                            "must be an object".to_owned(),
                        ),
                    }
                }
                objects
            }
            Some(_) => {
                self.report(
                    section,
                    None,
                    key.to_owned(),
                    "invalid-value",
                    format!("'{key}' must be an array"),
                );
                Vec::new()
            }
        }
    }

    fn check(mut self, value: Value) -> Result<CasePackage, Diagnostics> {
        let Value::Object(mut top) = value else {
            return Err(Diagnostics(vec![problem(
                self.name,
                (1, 1),
                "",
                "invalid-value",
                "a CFPackage is a JSON object".to_owned(),
            )]));
        };
        let document = match top.remove("CFDocument") {
            Some(Value::Object(document)) => document,
            _ => {
                return Err(Diagnostics(vec![problem(
                    self.name,
                    (1, 1),
                    "CFDocument",
                    "missing-value",
                    "a CFPackage needs its CFDocument object".to_owned(),
                )]));
            }
        };
        for key in ["identifier", "uri", "title"] {
            self.string(&document, key, Section::Document, "CFDocument");
        }
        let items = self.objects(&mut top, Section::Items);
        let associations = self.objects(&mut top, Section::Associations);
        let rubrics = self.objects(&mut top, Section::Rubrics);
        let definitions = match top.remove("CFDefinitions") {
            None | Some(Value::Null) => None,
            Some(Value::Object(definitions)) => Some(definitions),
            Some(_) => {
                self.report(
                    Section::Definitions,
                    None,
                    "CFDefinitions".to_owned(),
                    "invalid-value",
                    "'CFDefinitions' must be an object".to_owned(),
                );
                None
            }
        };

        // The nodes of the package: the document and its items.
        let mut inside: HashSet<&str> = HashSet::new();
        if let Some(id) = document.get("identifier").and_then(Value::as_str) {
            inside.insert(id);
        }
        let mut seen: HashMap<String, String> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("CFItems[{i}]");
            let id = self.string(item, "identifier", Section::Items, &path);
            self.string(item, "uri", Section::Items, &path);
            self.string(item, "fullStatement", Section::Items, &path);
            if let Some(id) = id {
                if let Some(first) = seen.insert(id.to_owned(), path.clone()) {
                    self.report(
                        Section::Items,
                        Some(id),
                        format!("{path}.identifier"),
                        "duplicate-identifier",
                        format!("{id} is also the identifier of {first}"),
                    );
                }
                inside.insert(id);
            }
        }
        for (i, association) in associations.iter().enumerate() {
            let path = format!("CFAssociations[{i}]");
            let id = association.get("identifier").and_then(Value::as_str);
            self.string(association, "identifier", Section::Associations, &path);
            self.string(association, "uri", Section::Associations, &path);
            let kind = self.string(association, "associationType", Section::Associations, &path);
            if let Some(kind) = kind
                && !ASSOCIATION_TYPES.contains(&kind)
                && !kind.starts_with("ext:")
            {
                self.report(
                    Section::Associations,
                    id,
                    format!("{path}.associationType"),
                    "invalid-value",
                    format!(
                        "'{kind}' is not a CASE association type ({})",
                        ASSOCIATION_TYPES.join(", ")
                    ),
                );
            }
            // OpenSALT writes sequence numbers as strings ("1"): any integer is accepted.
            if let Some(sequence) = association.get("sequenceNumber")
                && sequence_number(sequence).is_none()
                && !sequence.is_null()
            {
                self.report(
                    Section::Associations,
                    id,
                    format!("{path}.sequenceNumber"),
                    "invalid-value",
                    "'sequenceNumber' must be an integer".to_owned(),
                );
            }
            for end in ["originNodeURI", "destinationNodeURI"] {
                let end_path = format!("{path}.{end}");
                let Some(Value::Object(node)) = association.get(end) else {
                    self.report(
                        Section::Associations,
                        id,
                        end_path,
                        "missing-value",
                        format!("'{end}' must be an object with identifier and uri"),
                    );
                    continue;
                };
                let node_id = self.string(node, "identifier", Section::Associations, &end_path);
                self.string(node, "uri", Section::Associations, &end_path);
                let must_be_inside = end == "originNodeURI" || kind == Some("isChildOf");
                if let Some(node_id) = node_id
                    && must_be_inside
                    && !inside.contains(node_id)
                {
                    self.report(
                        Section::Associations,
                        id,
                        format!("{end_path}.identifier"),
                        "unknown-item",
                        format!(
                            "{node_id} is neither the document nor an item of this package{}",
                            if end == "originNodeURI" {
                                " (an association starts inside its package)"
                            } else {
                                " (an isChildOf parent is inside the package)"
                            }
                        ),
                    );
                }
            }
        }
        for (i, rubric) in rubrics.iter().enumerate() {
            let path = format!("CFRubrics[{i}]");
            let id = rubric.get("identifier").and_then(Value::as_str);
            self.string(rubric, "identifier", Section::Rubrics, &path);
            self.string(rubric, "uri", Section::Rubrics, &path);
            let criteria = match rubric.get("CFRubricCriteria") {
                None | Some(Value::Null) => &[][..],
                Some(Value::Array(criteria)) => criteria.as_slice(),
                Some(_) => {
                    self.report(
                        Section::Rubrics,
                        id,
                        format!("{path}.CFRubricCriteria"),
                        "invalid-value",
                        "must be an array".to_owned(),
                    );
                    &[][..]
                }
            };
            for (c, criterion) in criteria.iter().enumerate() {
                let criterion_path = format!("{path}.CFRubricCriteria[{c}]");
                let Some(criterion) = criterion.as_object() else {
                    self.report(
                        Section::Rubrics,
                        id,
                        criterion_path,
                        "invalid-value",
                        "must be an object".to_owned(),
                    );
                    continue;
                };
                let criterion_id =
                    self.string(criterion, "identifier", Section::Rubrics, &criterion_path);
                let levels = criterion
                    .get("CFRubricCriterionLevels")
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice);
                for (l, level) in levels.iter().enumerate() {
                    let level_path = format!("{criterion_path}.CFRubricCriterionLevels[{l}]");
                    let level_id = level.get("identifier").and_then(Value::as_str);
                    let at = level_id.or(criterion_id).or(id);
                    match level.get("score") {
                        Some(score) if score.is_number() => {}
                        _ => self.report(
                            Section::Rubrics,
                            at,
                            format!("{level_path}.score"),
                            "missing-value",
                            "a rubric level needs a numeric 'score': rolemap orders a scale's levels by it"
                                .to_owned(),
                        ),
                    }
                }
            }
        }
        if self.problems.is_empty() {
            Ok(CasePackage {
                document,
                items,
                associations,
                definitions,
                rubrics,
            })
        } else {
            Err(Diagnostics(self.problems))
        }
    }
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
fn text<'a>(map: &'a Map<String, Value>, key: &str) -> &'a str {
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

/// The framework key a package is stored under unless the user names one: `case-` and the first
/// eight characters of the document's identifier, lower-cased.
pub fn default_key(package: &CasePackage) -> String {
    let id: String = package
        .identifier()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    format!("case-{}", id.to_ascii_lowercase())
}

/// The rolemap framework a package describes, stored under `key`.
pub fn to_bundle(
    package: &CasePackage,
    key: &str,
    file: &str,
) -> Result<FrameworkBundle, Diagnostics> {
    let document = &package.document;
    let version = [
        text(document, "version"),
        text(document, "lastChangeDateTime"),
    ]
    .into_iter()
    .find(|v| !v.is_empty())
    .unwrap_or("1")
    .to_owned();
    let licence = document
        .get("licenseURI")
        .and_then(|l| l.get("title"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let attribution = [text(document, "publisher"), text(document, "creator")]
        .into_iter()
        .find(|v| !v.is_empty())
        .unwrap_or("")
        .to_owned();
    let mut problems = Vec::new();
    let mut scales = Vec::new();
    let mut item_scale: HashMap<&str, String> = HashMap::new();
    for (r, rubric) in package.rubrics.iter().enumerate() {
        let criteria = rubric
            .get("CFRubricCriteria")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (c, criterion) in criteria.iter().enumerate() {
            let Some(criterion) = criterion.as_object() else {
                continue;
            };
            let mut levels: Vec<(f64, usize, &Map<String, Value>)> = criterion
                .get("CFRubricCriterionLevels")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .enumerate()
                .filter_map(|(i, l)| {
                    let l = l.as_object()?;
                    Some((l.get("score")?.as_f64()?, i, l))
                })
                .collect();
            if levels.is_empty() {
                continue;
            }
            // Lowest score first; equal scores keep their order in the file.
            levels.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut codes: HashSet<String> = HashSet::new();
            let defs = levels
                .iter()
                .map(|(score, _, level)| {
                    let mut code = score.to_string();
                    let mut n = 2;
                    while !codes.insert(code.to_ascii_lowercase()) {
                        code = format!("{score}-{n}");
                        n += 1;
                    }
                    let quality = text(level, "quality");
                    let description = text(level, "description");
                    LevelDef {
                        code,
                        name: if quality.is_empty() {
                            description
                        } else {
                            quality
                        }
                        .to_owned(),
                        descriptor: description.to_owned(),
                    }
                })
                .collect();
            let scale_key = text(criterion, "identifier").to_owned();
            let name = [
                text(criterion, "category"),
                text(criterion, "description"),
                text(rubric, "title"),
            ]
            .into_iter()
            .find(|v| !v.is_empty())
            .unwrap_or("CASE rubric criterion")
            .to_owned();
            match Scale::new(scale_key.clone(), name, defs) {
                Ok(scale) => scales.push(scale),
                Err(e) => problems.push(problem(
                    file,
                    (0, 0),
                    &format!("CFRubrics[{r}].CFRubricCriteria[{c}]"),
                    "invalid-scale",
                    e.to_string(),
                )),
            }
            if let Some(item) = criterion
                .get("CFItemURI")
                .and_then(|i| i.get("identifier"))
                .and_then(Value::as_str)
            {
                item_scale.entry(item).or_insert(scale_key);
            }
        }
    }
    let skills = sibling_order(package)
        .into_iter()
        .filter_map(|i| package.items.get(i))
        .map(|item| {
            let id = text(item, "identifier");
            let full = text(item, "fullStatement");
            let abbreviated = text(item, "abbreviatedStatement");
            let code = text(item, "humanCodingScheme");
            let label = if abbreviated.is_empty() {
                full
            } else {
                abbreviated
            };
            let item_type = [text(item, "CFItemType")]
                .into_iter()
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase)
                .collect();
            SkillDef {
                key: id.to_owned(),
                label: label.to_owned(),
                alt_labels: (!code.is_empty() && code != label)
                    .then(|| code.to_owned())
                    .into_iter()
                    .collect(),
                description: full.to_owned(),
                kind: SkillKind::Skill,
                reuse: None,
                tags: item_type,
                scale: item_scale.get(id).cloned(),
            }
        })
        .collect();
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    Ok(FrameworkBundle {
        framework: FrameworkMeta {
            key: key.to_owned(),
            name: text(document, "title").to_owned(),
            version,
            source: text(document, "uri").to_owned(),
            licence,
            attribution,
            description: text(document, "description").to_owned(),
        },
        scales,
        ladders: Vec::new(),
        families: Vec::new(),
        skills,
        roles: Vec::new(),
        links: Vec::new(),
    })
}

/// The items' indexes in the order of the tree the `isChildOf` associations draw, depth first
/// from the document: siblings by sequence number, then list enumeration, then human coding scheme
/// in natural order ("OPS.2" before "OPS.10"), then file order. Items no `isChildOf` places
/// under the document follow, in file order.
fn sibling_order(package: &CasePackage) -> Vec<usize> {
    let index: HashMap<&str, usize> = package
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (text(item, "identifier"), i))
        .collect();
    // Children per parent identifier, with the association's sequence number.
    let mut children: HashMap<&str, Vec<(Option<i64>, usize)>> = HashMap::new();
    for association in &package.associations {
        if text(association, "associationType") != "isChildOf" {
            continue;
        }
        let end = |key: &str| {
            association
                .get(key)
                .and_then(|n| n.get("identifier"))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        if let Some(&child) = index.get(end("originNodeURI")) {
            let sequence = association.get("sequenceNumber").and_then(sequence_number);
            children
                .entry(end("destinationNodeURI"))
                .or_default()
                .push((sequence, child));
        }
    }
    for siblings in children.values_mut() {
        siblings.sort_by(|a, b| {
            let (ia, ib) = (&package.items[a.1], &package.items[b.1]);
            // A missing sequence number sorts after every given one.
            (a.0.is_none(), a.0)
                .cmp(&(b.0.is_none(), b.0))
                .then_with(|| natural(text(ia, "listEnumeration"), text(ib, "listEnumeration")))
                .then_with(|| natural(text(ia, "humanCodingScheme"), text(ib, "humanCodingScheme")))
                .then(a.1.cmp(&b.1))
        });
    }
    let mut order = Vec::with_capacity(package.items.len());
    let mut placed = vec![false; package.items.len()];
    let mut stack: Vec<&str> = vec![package.identifier()];
    // Depth first, each parent's children in sibling order; an item met twice (two parents, or a
    // cycle) is placed once, where it is first met.
    let mut pending: Vec<usize> = Vec::new();
    while let Some(parent) = stack.pop() {
        if let Some(siblings) = children.get(parent) {
            pending.clear();
            pending.extend(siblings.iter().map(|(_, i)| *i).filter(|i| !placed[*i]));
            for &child in pending.iter().rev() {
                stack.push(text(&package.items[child], "identifier"));
            }
        }
        if let Some(&i) = index.get(parent)
            && !placed[i]
        {
            placed[i] = true;
            order.push(i);
        }
    }
    order.extend((0..package.items.len()).filter(|i| !placed[*i]));
    order
}

/// Natural order: runs of digits compare as numbers, the rest as text; "" sorts last.
fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.len() - a.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let db = b.len() - b.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let (na, nb) = (
                    a[..da].trim_start_matches('0'),
                    b[..db].trim_start_matches('0'),
                );
                let by_number = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if by_number != Ordering::Equal {
                    return by_number;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                a = &a[x.len_utf8()..];
                b = &b[y.len_utf8()..];
            }
        }
    }
}

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
fn link(title: &str, identifier: &str, uri: &str) -> Value {
    let mut map = Map::new();
    map.insert("title".to_owned(), Value::from(title));
    map.insert("identifier".to_owned(), Value::from(identifier));
    map.insert("uri".to_owned(), Value::from(uri));
    Value::Object(map)
}

fn object(pairs: Vec<(&str, Value)>) -> Map<String, Value> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        use std::cmp::Ordering::*;
        assert_eq!(natural("OPS.2", "OPS.10"), Less);
        assert_eq!(natural("OPS.10", "OPS.10"), Equal);
        assert_eq!(natural("b", "a1"), Greater);
        assert_eq!(natural("", "a"), Greater);
        assert_eq!(natural("A.02", "A.1"), Greater);
    }

    #[test]
    fn name_uuids_are_stable_uuids() {
        let a = name_uuid("rolemap:odp:1:document");
        assert_eq!(a, name_uuid("rolemap:odp:1:document"));
        assert_ne!(a, name_uuid("rolemap:odp:1:skill:x"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8", "version 8: {a}");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "variant: {a}");
    }
}
