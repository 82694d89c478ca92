//! Reading an RSD JSON file and checking what rolemap relies on, every problem at once.

use super::*;

/// Reads an RSD file: one RichSkillDescriptor, a RichSkillCollection (its skills under
/// `skills`), or an array of skills, with API v2 or v3 field names. `name` is the file name
/// diagnostics give. Checks JSON syntax; that every skill has a `skillName`, a `skillStatement`
/// and an identifier (`uuid` or `id`) no other skill has; that the list fields (`keywords`,
/// `categories`, `authors`, `standards`, `alignments`, `certifications`, `employers`,
/// `occupations`, `collections`) are arrays and `author`, `category` strings; and that every
/// occupation has a `code`. Every other field is kept as it is.
pub fn read(name: &str, mut reader: impl Read) -> Result<RsdPackage, Diagnostics> {
    let mut source = String::new();
    if let Err(e) = reader.read_to_string(&mut source) {
        return Err(one(
            name,
            (0, 0),
            "",
            "unreadable",
            format!("cannot read the file as UTF-8 text: {e}"),
        ));
    }
    let value: Value = match serde_json::from_str(&source) {
        Ok(value) => value,
        Err(e) => {
            // serde_json's message ends with its own "at line L column C"; the position is ours.
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m)
                .to_owned();
            return Err(one(
                name,
                (e.line(), e.column()),
                "",
                "invalid-json",
                format!("not valid JSON: {message}"),
            ));
        }
    };
    let (shape, collection, skills) = match value {
        Value::Array(values) => (Shape::List, None, values),
        Value::Object(mut object) => {
            let is_collection = text(&object, "type") == "RichSkillCollection"
                || (object.get("skills").is_some_and(Value::is_array)
                    && !object.contains_key("skillName"));
            if is_collection {
                let skills = match object.remove("skills") {
                    Some(Value::Array(skills)) => skills,
                    None | Some(Value::Null) => Vec::new(),
                    Some(_) => {
                        return Err(one(
                            name,
                            position(&source, 0, "\"skills\""),
                            "skills",
                            "invalid-value",
                            "a collection's 'skills' must be an array".to_owned(),
                        ));
                    }
                };
                (Shape::Collection, Some(object), skills)
            } else {
                (Shape::Skill, None, vec![Value::Object(object)])
            }
        }
        _ => {
            return Err(one(
                name,
                (1, 1),
                "",
                "invalid-value",
                "an RSD file is a skill object, a RichSkillCollection object or an array of skills"
                    .to_owned(),
            ));
        }
    };
    let mut checker = Checker {
        name,
        text: &source,
        problems: Vec::new(),
        anchor: 0,
    };
    if let Some(collection) = &collection {
        checker.collection(collection);
    }
    let prefix = match shape {
        Shape::Skill => String::new(),
        Shape::Collection => "skills".to_owned(),
        Shape::List => String::new(),
    };
    let mut checked = Vec::with_capacity(skills.len());
    let mut seen: HashMap<String, String> = HashMap::new();
    for (i, skill) in skills.into_iter().enumerate() {
        let path = match shape {
            Shape::Skill => String::new(),
            _ => format!("{prefix}[{i}]"),
        };
        match skill {
            Value::Object(skill) => {
                checker.skill(&skill, &path, &mut seen);
                checked.push(skill);
            }
            _ => checker.report(
                path,
                "invalid-value",
                "a skill must be an object".to_owned(),
            ),
        }
    }
    if checker.problems.is_empty() {
        Ok(RsdPackage {
            shape,
            collection,
            skills: checked,
        })
    } else {
        Err(Diagnostics(checker.problems))
    }
}

fn one(
    file: &str,
    (line, column): (usize, usize),
    field: &str,
    code: &'static str,
    message: String,
) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        file: file.to_owned(),
        line,
        column,
        field: field.to_owned(),
        code,
        message,
    }])
}

/// The line and column of the first `needle` at or after byte `from` (of `from` itself when
/// there is none). JSON values carry no positions, so a skill is found by its identifier.
fn position(text: &str, from: usize, needle: &str) -> (usize, usize) {
    let from = from.min(text.len());
    let at = text
        .get(from..)
        .and_then(|rest| rest.find(needle))
        .map_or(from, |i| from + i);
    line_column(text, at)
}

fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// The list fields of an RSD and what their entries must be.
const STRING_LISTS: [&str; 3] = ["keywords", "categories", "authors"];
const OBJECT_LISTS: [&str; 6] = [
    "standards",
    "alignments",
    "certifications",
    "employers",
    "occupations",
    "collections",
];

struct Checker<'a> {
    name: &'a str,
    text: &'a str,
    problems: Vec<Diagnostic>,
    /// Where the skill being checked starts in the text (its identifier, as far as can be told);
    /// skills are found in file order from here.
    anchor: usize,
}

impl Checker<'_> {
    fn report(&mut self, field: String, code: &'static str, message: String) {
        let at = line_column(self.text, self.anchor);
        self.report_at(at, field, code, message);
    }

    fn report_at(
        &mut self,
        at: (usize, usize),
        field: String,
        code: &'static str,
        message: String,
    ) {
        self.problems.push(Diagnostic {
            file: self.name.to_owned(),
            line: at.0,
            column: at.1,
            field,
            code,
            message,
        });
    }

    /// A problem in field `key` of the current skill, pointing at the key after the anchor.
    fn report_field(&mut self, path: &str, key: &str, code: &'static str, message: String) {
        let at = position(self.text, self.anchor, &format!("\"{key}\""));
        self.report_at(at, join(path, key), code, message);
    }

    fn collection(&mut self, collection: &Map<String, Value>) {
        if identifier(collection).is_empty() {
            self.report_at(
                (1, 1),
                "uuid".to_owned(),
                "missing-value",
                "a RichSkillCollection needs its 'uuid' or 'id'".to_owned(),
            );
        }
        if let Some(name) = collection.get("name")
            && !name.is_string()
            && !name.is_null()
        {
            self.report_field(
                "",
                "name",
                "invalid-value",
                "'name' must be a string".to_owned(),
            );
        }
    }

    fn skill(
        &mut self,
        skill: &Map<String, Value>,
        path: &str,
        seen: &mut HashMap<String, String>,
    ) {
        let id = identifier(skill);
        let needle = [id, text(skill, "skillName")]
            .into_iter()
            .find(|s| !s.is_empty())
            .map(|s| serde_json::to_string(s).unwrap_or_default());
        if let Some(needle) = needle
            && let Some(i) = self.text.get(self.anchor..).and_then(|t| t.find(&needle))
        {
            self.anchor += i;
        }
        if id.is_empty() {
            self.report(
                join(path, "uuid"),
                "missing-value",
                "an RSD needs its 'uuid' or 'id': rolemap keys the skill by it".to_owned(),
            );
        } else if let Some(first) = seen.insert(id.to_owned(), path.to_owned()) {
            self.report(
                join(path, "uuid"),
                "duplicate-identifier",
                format!(
                    "{id} is also the identifier of {}",
                    if first.is_empty() {
                        "another skill"
                    } else {
                        &first
                    }
                ),
            );
        }
        for key in ["skillName", "skillStatement"] {
            match skill.get(key) {
                Some(Value::String(s)) if !s.is_empty() || key == "skillStatement" => {}
                Some(Value::String(_)) | None | Some(Value::Null) => self.report(
                    join(path, key),
                    "missing-value",
                    format!("'{key}' is missing or empty"),
                ),
                Some(_) => self.report_field(
                    path,
                    key,
                    "invalid-value",
                    format!("'{key}' must be a string"),
                ),
            }
        }
        for key in ["author", "category"] {
            if let Some(value) = skill.get(key)
                && !value.is_string()
                && !value.is_null()
            {
                self.report_field(
                    path,
                    key,
                    "invalid-value",
                    format!("'{key}' (API v2) must be a string"),
                );
            }
        }
        for key in STRING_LISTS {
            match skill.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::Array(values)) => {
                    if let Some(i) = values.iter().position(|v| !v.is_string()) {
                        self.report_field(
                            path,
                            key,
                            "invalid-value",
                            format!("'{key}[{i}]' must be a string"),
                        );
                    }
                }
                Some(_) => self.report_field(
                    path,
                    key,
                    "invalid-value",
                    format!("'{key}' must be an array of strings"),
                ),
            }
        }
        for key in OBJECT_LISTS {
            match skill.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::Array(values)) => {
                    // Older OSMT versions wrote names as plain strings; both are kept as they are.
                    if let Some(i) = values.iter().position(|v| !v.is_object() && !v.is_string()) {
                        self.report_field(
                            path,
                            key,
                            "invalid-value",
                            format!("'{key}[{i}]' must be an object"),
                        );
                    }
                    if key == "occupations" {
                        self.occupations(values, path);
                    }
                }
                Some(_) => self.report_field(
                    path,
                    key,
                    "invalid-value",
                    format!("'{key}' must be an array"),
                ),
            }
        }
    }

    /// Every occupation (and each of its parents) has a string `code`.
    fn occupations(&mut self, occupations: &[Value], path: &str) {
        for (i, occupation) in occupations.iter().enumerate() {
            let Some(occupation) = occupation.as_object() else {
                continue;
            };
            let mut codes = vec![(format!("occupations[{i}]"), occupation)];
            if let Some(parents) = occupation.get("parents").and_then(Value::as_array) {
                codes.extend(parents.iter().enumerate().filter_map(|(p, parent)| {
                    Some((
                        format!("occupations[{i}].parents[{p}]"),
                        parent.as_object()?,
                    ))
                }));
            }
            for (at, object) in codes {
                if !matches!(object.get("code"), Some(Value::String(c)) if !c.is_empty()) {
                    let position = position(self.text, self.anchor, "\"occupations\"");
                    self.report_at(
                        position,
                        join(path, &format!("{at}.code")),
                        "missing-value",
                        "an occupation needs its 'code'".to_owned(),
                    );
                }
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}
