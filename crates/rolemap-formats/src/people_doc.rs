//! The people document: people, their roles and managers, and their assessments (TOML).

use std::collections::HashSet;

use rolemap_core::Source;
use rolemap_core::bundle::{AssessmentDef, ConceptRef, Origin, PeopleBundle, PersonDef};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, Locator};

type Text = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    demo: bool,
    #[serde(default)]
    people: Vec<PersonDoc>,
    #[serde(default)]
    assessments: Vec<AssessmentDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonDoc {
    key: Text,
    name: String,
    role: Option<Text>,
    grade: Option<String>,
    manager: Option<Text>,
    #[serde(default)]
    team: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssessmentDoc {
    person: Text,
    skill: Text,
    level: Text,
    source: Text,
    at: Text,
    #[serde(default)]
    note: String,
}

/// Checks the form of an RFC 3339 UTC timestamp as rolemap stores them: `YYYY-MM-DDTHH:MM:SSZ`.
pub fn valid_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    b.len() == 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b[19] == b'Z'
        && (1..=12).contains(&(text[5..7].parse::<u8>().unwrap_or(0)))
        && (1..=31).contains(&(text[8..10].parse::<u8>().unwrap_or(0)))
        && text[11..13].parse::<u8>().unwrap_or(99) < 24
        && text[14..16].parse::<u8>().unwrap_or(99) < 60
        && text[17..19].parse::<u8>().unwrap_or(99) < 61
}

/// Reads one people document. References to roles, skills and levels are checked at import time,
/// against the stored frameworks; here the document's own consistency is checked.
pub fn read_people(text: &str, file: &str) -> Result<PeopleBundle, Diagnostics> {
    let locator = Locator::new(file, text);
    let document: Document =
        toml::from_str(text).map_err(|e| Diagnostics(vec![locator.toml_error(&e)]))?;
    let mut problems: Vec<Diagnostic> = Vec::new();
    let origin = |span: std::ops::Range<usize>, field: String| Origin {
        file: file.to_owned(),
        line: locator.position(span.start).0,
        field,
    };

    let mut keys = HashSet::new();
    let mut people = Vec::new();
    for (i, doc) in document.people.into_iter().enumerate() {
        let key = doc.key.get_ref().trim().to_owned();
        if key.is_empty() || key.contains(char::is_whitespace) {
            problems.push(locator.diagnostic(
                doc.key.span(),
                format!("people[{i}].key"),
                "invalid-key",
                format!("'{key}' is not a valid person key"),
            ));
        } else if !keys.insert(key.clone()) {
            problems.push(locator.diagnostic(
                doc.key.span(),
                format!("people[{i}].key"),
                "duplicate-key",
                format!("person key '{key}' is defined twice"),
            ));
        }
        if doc.name.trim().is_empty() {
            problems.push(locator.diagnostic(
                doc.key.span(),
                format!("people[{i}].name"),
                "missing-name",
                "a person needs a name".to_owned(),
            ));
        }
        people.push(PersonDef {
            key,
            name: doc.name.trim().to_owned(),
            role: doc.role.as_ref().map(|r| ConceptRef::parse(r.get_ref())),
            grade: doc.grade,
            manager: doc.manager.as_ref().map(|m| m.get_ref().trim().to_owned()),
            team: doc.team,
            origin: origin(doc.key.span(), format!("people[{i}]")),
        });
    }

    let mut assessments = Vec::new();
    for (i, doc) in document.assessments.into_iter().enumerate() {
        let source = Source::parse(doc.source.get_ref()).unwrap_or_else(|| {
            problems.push(locator.diagnostic(
                doc.source.span(),
                format!("assessments[{i}].source"),
                "invalid-source",
                format!(
                    "unknown source '{}'; use self, manager or evidence",
                    doc.source.get_ref()
                ),
            ));
            Source::SelfAssessed
        });
        if !valid_timestamp(doc.at.get_ref()) {
            problems.push(locator.diagnostic(
                doc.at.span(),
                format!("assessments[{i}].at"),
                "invalid-time",
                format!(
                    "'{}' is not a UTC time like 2026-03-02T09:00:00Z",
                    doc.at.get_ref()
                ),
            ));
        }
        assessments.push(AssessmentDef {
            person: doc.person.get_ref().trim().to_owned(),
            skill: ConceptRef::parse(doc.skill.get_ref()),
            level: doc.level.get_ref().trim().to_owned(),
            source,
            at: doc.at.get_ref().clone(),
            note: doc.note,
            origin: origin(doc.person.span(), format!("assessments[{i}]")),
        });
    }

    if problems.is_empty() {
        Ok(PeopleBundle {
            demo: document.demo,
            people,
            assessments,
        })
    } else {
        Err(Diagnostics(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::{read_people, valid_timestamp};

    #[test]
    fn timestamps_must_be_utc_seconds() {
        assert!(valid_timestamp("2026-03-02T09:00:00Z"));
        assert!(!valid_timestamp("2026-13-02T09:00:00Z"));
        assert!(!valid_timestamp("2026-03-02 09:00:00"));
    }

    #[test]
    fn bad_source_and_time_are_both_reported() {
        let text = "[[people]]\nkey = \"a\"\nname = \"A\"\n\n[[assessments]]\nperson = \"a\"\nskill = \"x:y\"\nlevel = \"W\"\nsource = \"boss\"\nat = \"yesterday\"\n";
        let err = read_people(text, "p.toml").unwrap_err();
        assert_eq!(err.0.len(), 2, "{err}");
        assert_eq!(err.0[0].line, 9);
        assert_eq!(err.0[1].line, 10);
    }
}
