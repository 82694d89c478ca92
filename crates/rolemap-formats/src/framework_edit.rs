//! Edits to a framework document by the field paths the reader's diagnostics use
//! (`skills[2].label`, `roles[0].requirements[1].levels.HEO`), so that a form whose inputs are
//! named by those paths gets each problem back at the input it concerns.
//!
//! An edit sets a field, adds an entry to a list (with a placeholder the reader accepts) or
//! removes one. The edited document is read by [`read_framework`], the reader of every file
//! import, and only a document it accepts comes back, rewritten by [`write_framework`]; so a
//! draft kept this way is always a framework document that would import.

use toml::{Table, Value};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::{read_framework, write_framework};
use rolemap_core::bundle::FrameworkBundle;

/// One change to a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Sets the field at `path` from the text of a form input: lists one item a line, a role's
    /// level as a number, `emphasis` as true or false; an optional field left blank is removed.
    Set { path: String, value: String },
    /// Adds an entry to the list at `path` (`skills`, `roles[0].requirements`, `scales[0].levels`).
    Add { path: String },
    /// Removes the entry at `path` (`skills[3]`).
    Remove { path: String },
}

/// Fields holding a list of text, edited one item a line.
const LINES: &[&str] = &[
    "alt_labels",
    "tags",
    "alt_titles",
    "typical_titles",
    "duties",
    "responsibilities",
];

/// Fields every entry must have: left blank they stay, blank, for the reader to report.
const REQUIRED: &[&str] = &[
    "key",
    "name",
    "title",
    "label",
    "kind",
    "importance",
    "code",
    "skill",
    "version",
    "source",
    "licence",
    "attribution",
    "text",
];

/// Applies `edits` to the document `text` and checks the result as the framework reader does.
/// Returns the document as [`write_framework`] writes it and its bundle, or every problem, each
/// naming its field by path. `file` names the document in diagnostics.
pub fn edit_framework(
    text: &str,
    edits: &[Edit],
    file: &str,
) -> Result<(String, FrameworkBundle), Diagnostics> {
    let mut table: Table = text.parse().map_err(|e: toml::de::Error| {
        Diagnostics(vec![problem(
            file,
            "",
            "invalid-toml",
            e.message().to_owned(),
        )])
    })?;
    let mut problems = Vec::new();
    for edit in edits {
        if let Err(message) = apply(&mut table, edit) {
            let path = match edit {
                Edit::Set { path, .. } | Edit::Add { path } | Edit::Remove { path } => path,
            };
            problems.push(problem(file, path, "invalid-edit", message));
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let edited = toml::to_string(&table)
        .map_err(|e| Diagnostics(vec![problem(file, "", "invalid-toml", e.to_string())]))?;
    let bundle = read_framework(&edited, file)?;
    Ok((write_framework(&bundle), bundle))
}

fn problem(file: &str, field: &str, code: &'static str, message: String) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        line: 0,
        column: 0,
        field: field.to_owned(),
        code,
        message,
    }
}

/// One step of a path: a table's key, or a key and an index into the array it holds.
#[derive(Debug, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Entry(&'a str, usize),
}

/// Splits a path into steps. What follows `levels.` is a grade code, which may hold a dot.
fn steps(path: &str) -> Result<Vec<Step<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(grade) = rest.strip_prefix("levels.") {
            out.push(Step::Key("levels"));
            out.push(Step::Key(grade));
            break;
        }
        let (segment, tail) = rest.split_once('.').unwrap_or((rest, ""));
        rest = tail;
        match segment.split_once('[') {
            Some((name, index)) => {
                let index = index
                    .strip_suffix(']')
                    .and_then(|i| i.parse::<usize>().ok())
                    .ok_or_else(|| format!("'{path}' is not a field of a framework document"))?;
                out.push(Step::Entry(name, index));
            }
            None if segment.is_empty() => {
                return Err(format!("'{path}' is not a field of a framework document"));
            }
            None => out.push(Step::Key(segment)),
        }
    }
    Ok(out)
}

/// The table at `steps` (each an entry or a table), made where a table is missing.
fn table_at<'t>(
    table: &'t mut Table,
    steps: &[Step<'_>],
    path: &str,
) -> Result<&'t mut Table, String> {
    let mut here = table;
    for step in steps {
        here = match *step {
            Step::Key(name) => here
                .entry(name.to_owned())
                .or_insert_with(|| Value::Table(Table::new()))
                .as_table_mut()
                .ok_or_else(|| format!("'{path}': '{name}' is not a table"))?,
            Step::Entry(name, index) => {
                let list = here
                    .get_mut(name)
                    .and_then(Value::as_array_mut)
                    .ok_or_else(|| format!("'{path}': there is no list '{name}'"))?;
                let count = list.len();
                list.get_mut(index)
                    .and_then(Value::as_table_mut)
                    .ok_or_else(|| {
                        format!("'{path}': '{name}' has {count} entries, so no entry {index}")
                    })?
            }
        };
    }
    Ok(here)
}

fn apply(table: &mut Table, edit: &Edit) -> Result<(), String> {
    match edit {
        Edit::Set { path, value } => set(table, path, value),
        Edit::Add { path } => add(table, path),
        Edit::Remove { path } => {
            let steps = steps(path)?;
            let Some((Step::Entry(name, index), parents)) = steps.split_last() else {
                return Err(format!("'{path}' names no entry of a list"));
            };
            let parent = table_at(table, parents, path)?;
            let list = parent
                .get_mut(*name)
                .and_then(Value::as_array_mut)
                .ok_or_else(|| format!("'{path}': there is no list '{name}'"))?;
            if *index >= list.len() {
                return Err(format!("'{path}': '{name}' has {} entries", list.len()));
            }
            list.remove(*index);
            if list.is_empty() && parents.is_empty() {
                parent.remove(*name);
            }
            Ok(())
        }
    }
}

fn set(table: &mut Table, path: &str, text: &str) -> Result<(), String> {
    let steps = steps(path)?;
    let Some((Step::Key(name), parents)) = steps.split_last() else {
        return Err(format!("'{path}' names no field"));
    };
    let role_field = matches!(parents, [Step::Entry("roles", _)]);
    let value = if LINES.contains(name) || (role_field && *name == "grades") {
        let items: Vec<Value> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| Value::String(l.to_owned()))
            .collect();
        (!items.is_empty()).then_some(Value::Array(items))
    } else if role_field && *name == "level" {
        match text.trim() {
            "" => None,
            number => Some(Value::Integer(number.parse::<i64>().map_err(|_| {
                format!("level '{number}' is not a number between 1 and 10")
            })?)),
        }
    } else if *name == "emphasis" {
        match text.trim() {
            "" | "false" | "no" | "off" => None,
            "true" | "yes" | "on" => Some(Value::Boolean(true)),
            other => return Err(format!("emphasis '{other}' is not yes or no")),
        }
    } else if text.trim().is_empty() && !REQUIRED.contains(name) {
        None
    } else {
        // Descriptions keep their own lines; browsers send a textarea's lines with CR LF.
        Some(Value::String(text.replace("\r\n", "\n").trim().to_owned()))
    };
    let parent = table_at(table, parents, path)?;
    match value {
        Some(value) => {
            parent.insert((*name).to_owned(), value);
        }
        None => {
            parent.remove(*name);
        }
    }
    Ok(())
}

/// A key not yet used by the entries of `list`: `stem-1`, `stem-2`, ...
fn fresh_key(list: &[Value], field: &str, stem: &str) -> String {
    let used = |key: &str| {
        list.iter()
            .any(|v| v.get(field).and_then(Value::as_str) == Some(key))
    };
    let mut n = list.len() + 1;
    loop {
        let key = format!("{stem}{n}");
        if !used(&key) {
            return key;
        }
        n += 1;
    }
}

fn entry(fields: &[(&str, Value)]) -> Value {
    Value::Table(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

fn text(value: &str) -> Value {
    Value::String(value.to_owned())
}

fn add(table: &mut Table, path: &str) -> Result<(), String> {
    let steps = steps(path)?;
    let Some((Step::Key(name), parents)) = steps.split_last() else {
        return Err(format!("'{path}' names no list"));
    };
    // What the new entry may refer to, read before the table is borrowed for the change.
    let first_scale = table
        .get("scales")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .and_then(|s| s.get("key"))
        .cloned();
    let skill_keys: Vec<String> = table
        .get("skills")
        .and_then(Value::as_array)
        .map(|skills| {
            skills
                .iter()
                .filter_map(|s| s.get("key").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let parent = table_at(table, parents, path)?;
    let list = parent
        .entry((*name).to_owned())
        .or_insert_with(|| Value::Array(Vec::new()))
        .as_array_mut()
        .ok_or_else(|| format!("'{path}' is not a list"))?;
    let n = list.len() + 1;
    let new = match (parents, *name) {
        ([], "scales") => entry(&[
            ("key", text(&fresh_key(list, "key", "scale-"))),
            ("name", text("New scale")),
            (
                "levels",
                Value::Array(vec![entry(&[
                    ("code", text("1")),
                    ("name", text("Level 1")),
                ])]),
            ),
        ]),
        ([Step::Entry("scales", _)], "levels") => entry(&[
            ("code", text(&fresh_key(list, "code", ""))),
            ("name", text(&format!("Level {n}"))),
        ]),
        ([], "grade_ladders") => entry(&[
            ("key", text(&fresh_key(list, "key", "ladder-"))),
            ("name", text("New grade ladder")),
            ("grades", Value::Array(vec![entry(&[("code", text("G1"))])])),
        ]),
        ([Step::Entry("grade_ladders", _)], "grades") => {
            entry(&[("code", text(&fresh_key(list, "code", "G")))])
        }
        ([], "families") => entry(&[
            ("key", text(&fresh_key(list, "key", "family-"))),
            ("name", text("New job family")),
        ]),
        ([], "skills") => {
            let mut fields = vec![
                ("key", text(&fresh_key(list, "key", "new-skill-"))),
                ("label", text("New skill")),
                ("kind", text("skill")),
            ];
            if let Some(scale) = first_scale {
                fields.push(("scale", scale));
            }
            entry(&fields)
        }
        ([], "roles") => entry(&[
            ("key", text(&fresh_key(list, "key", "new-role-"))),
            ("title", text("New role")),
        ]),
        ([Step::Entry("roles", _)], "requirements") => {
            let required: Vec<&str> = list
                .iter()
                .filter_map(|r| r.get("skill").and_then(Value::as_str))
                .collect();
            let skill = skill_keys
                .iter()
                .find(|k| !required.contains(&k.as_str()))
                .ok_or_else(|| {
                    "every skill of the framework is required already: add a skill first".to_owned()
                })?;
            entry(&[("skill", text(skill)), ("importance", text("essential"))])
        }
        ([Step::Entry("roles", _)], "dimensions") => entry(&[
            ("key", text(&fresh_key(list, "key", "dimension-"))),
            ("name", text("New dimension")),
            ("text", text("")),
        ]),
        _ => return Err(format!("'{path}' is not a list entries can be added to")),
    };
    list.push(new);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Edit, edit_framework};

    fn odp() -> String {
        let bundle = crate::builtin::frameworks().unwrap_or_else(|e| panic!("{e}"))[0].clone();
        crate::write_framework(&bundle)
    }

    fn set(path: &str, value: &str) -> Edit {
        Edit::Set {
            path: path.into(),
            value: value.into(),
        }
    }

    #[test]
    fn a_level_changed_by_its_path_is_kept() {
        let text = odp();
        let (_, before) = edit_framework(&text, &[], "draft").unwrap_or_else(|e| panic!("{e}"));
        let role = before
            .roles
            .iter()
            .position(|r| !r.grades.is_empty() && !r.requirements.is_empty());
        let role = role.unwrap_or_else(|| panic!("a role with grades"));
        let grade = before.roles[role].grades[0].clone();
        let path = format!("roles[{role}].requirements[0].levels.{grade}");
        let (edited, bundle) =
            edit_framework(&text, &[set(&path, "E")], "draft").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            bundle.roles[role].requirements[0].levels[0],
            (grade, Some("E".to_owned()))
        );
        // The result is a document the reader takes back as it is.
        let (again, _) = edit_framework(&edited, &[], "draft").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, edited);
    }

    #[test]
    fn a_bad_level_is_reported_at_its_field() {
        let text = odp();
        let (_, bundle) = edit_framework(&text, &[], "draft").unwrap_or_else(|e| panic!("{e}"));
        let role = bundle
            .roles
            .iter()
            .position(|r| !r.grades.is_empty() && !r.requirements.is_empty())
            .unwrap_or_else(|| panic!("a role with grades"));
        let grade = &bundle.roles[role].grades[0];
        let path = format!("roles[{role}].requirements[0].levels.{grade}");
        let Err(problems) = edit_framework(&text, &[set(&path, "Q")], "draft") else {
            panic!("level Q was accepted");
        };
        assert_eq!(problems.0.len(), 1, "{problems}");
        assert_eq!(problems.0[0].field, path);
        assert_eq!(problems.0[0].code, "invalid-level");
    }

    #[test]
    fn entries_are_added_and_removed_and_checked() {
        let text = odp();
        let (added, bundle) = edit_framework(
            &text,
            &[
                Edit::Add {
                    path: "skills".into(),
                },
                set("skills[0].alt_labels", "one\r\ntwo\n"),
            ],
            "draft",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let new = bundle.skills.last().unwrap_or_else(|| panic!("no skills"));
        assert_eq!(new.label, "New skill");
        assert_eq!(bundle.skills[0].alt_labels, ["one", "two"]);
        let last = bundle.skills.len() - 1;
        let (_, removed) = edit_framework(
            &added,
            &[Edit::Remove {
                path: format!("skills[{last}]"),
            }],
            "draft",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(removed.skills.len(), last);
        // A skill some role requires cannot go: the reader names the requirement.
        let Err(problems) = edit_framework(
            &text,
            &[Edit::Remove {
                path: "skills[0]".into(),
            }],
            "draft",
        ) else {
            panic!("a required skill was removed");
        };
        assert!(
            problems.0.iter().all(|p| p.code == "unknown-skill"),
            "{problems}"
        );
        let Err(problems) = edit_framework(&text, &[set("skills[999].label", "x")], "draft") else {
            panic!("a missing entry was edited");
        };
        assert_eq!(problems.0[0].field, "skills[999].label");
    }
}
