//! Reading a CFPackage and checking what rolemap relies on, every problem at once.

use super::*;

/// Reads a CFPackage. `name` is the file name diagnostics give. Checks what rolemap relies on:
/// JSON syntax; the document's, items' and associations' identifiers and URIs; known association
/// types; association ends with identifier and URI, both ends of an `isChildOf` being the
/// document or an item of the package, other ends links inside or outside it;
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

pub(super) fn problem(
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
pub(super) struct Checker<'a> {
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
                // The hierarchy stays inside the package; other associations may start outside
                // it too (OpenSALT's own sample spreadsheet has exactMatchOf and precedes from
                // nodes of other frameworks).
                let must_be_inside = kind == Some("isChildOf");
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
                            "{node_id} is neither the document nor an item of this package (the \
                             isChildOf hierarchy stays inside its package)"
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
