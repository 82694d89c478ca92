//! The people document: people, their roles and managers, and their assessments (TOML).

use std::collections::HashSet;

use rolemap_core::Source;
use rolemap_core::bundle::{AssessmentDef, ConceptRef, Origin, PeopleBundle, PersonDef};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, Locator};
use crate::toml_reader::TomlReader;

type Text = Spanned<String>;

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
    /// A string or a TOML date or date-time: `2026-03-02`, `2026-03-02T09:00:00Z`, with or
    /// without quotes.
    at: Spanned<toml::Value>,
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

/// The earliest time an assessment may carry: an earlier year is a typing mistake.
const EARLIEST: &str = "1970-01-01T00:00:00Z";

/// An assessment's time as rolemap stores it (`YYYY-MM-DDTHH:MM:SSZ`, UTC), from a plain date
/// (taken as the start of that day, UTC), an RFC 3339 time in UTC or with an offset (turned into
/// UTC; fractions of a second are dropped), quoted or as a TOML value. Err says what is wrong.
pub fn utc_time(text: &str) -> Result<String, String> {
    use time::format_description::well_known::Rfc3339;
    use time::macros::format_description;
    let text = text.trim();
    let utc = if text.len() == 10 {
        let date = time::Date::parse(text, format_description!("[year]-[month]-[day]"))
            .map_err(|_| format!("'{text}' is not a date like 2026-03-02"))?;
        date.midnight().assume_utc()
    } else {
        // RFC 3339 allows a space for the T; TOML writes one at times.
        let text = match text.get(10..11) {
            Some(" ") => format!("{}T{}", &text[..10], &text[11..]),
            _ => text.to_owned(),
        };
        match time::OffsetDateTime::parse(&text, &Rfc3339) {
            Ok(time) => time.to_offset(time::UtcOffset::UTC),
            Err(_)
                if time::PrimitiveDateTime::parse(
                    &text,
                    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
                )
                .is_ok() =>
            {
                return Err(format!(
                    "'{text}' has no time zone; add Z for UTC (2026-03-02T09:00:00Z) or an offset (+01:00)"
                ));
            }
            Err(_) => {
                return Err(format!(
                    "'{text}' is not a date (2026-03-02) or a time (2026-03-02T09:00:00Z)"
                ));
            }
        }
    };
    let (year, month, day) = utc.to_calendar_date();
    let (hour, minute, second) = utc.to_hms();
    Ok(format!(
        "{year:04}-{:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z",
        u8::from(month)
    ))
}

/// Reads one people document. References to roles, skills and levels are checked at import time,
/// against the stored frameworks; here the document's own consistency is checked.
pub fn read_people(text: &str, file: &str) -> Result<PeopleBundle, Diagnostics> {
    let (bundle, problems) = read_people_partly(text, file, None);
    if problems.is_empty() {
        Ok(bundle)
    } else {
        Err(Diagnostics(problems))
    }
}

/// Reads one people document as far as it reads, with every problem found: the bundle holds
/// every entry that read, so the caller can check its references against the store too and
/// report those problems with these. A person whose entry does not read is kept with its key
/// alone (when it has one), so that assessments of that person are not reported as unknown
/// too; such a bundle comes only with problems, and is never to be stored.
///
/// `latest`, a time as [`utc_time`] gives them, refuses assessments after it: an assessment
/// dated in the future would be the current level until that day, whatever came between.
pub fn read_people_partly(
    text: &str,
    file: &str,
    latest: Option<&str>,
) -> (PeopleBundle, Vec<Diagnostic>) {
    let locator = Locator::new(file, text);
    let mut reader = TomlReader::new(text, &locator);
    let demo = reader.value::<bool>("demo").unwrap_or(false);
    let people_docs = reader.entries::<PersonDoc>("people");
    let assessment_docs = reader.entries::<AssessmentDoc>("assessments");
    let mut problems = reader.finish(&["demo", "people", "assessments"]);
    let origin = |span: std::ops::Range<usize>, field: String| Origin {
        file: file.to_owned(),
        line: locator.position(span.start).0,
        field,
    };

    let mut keys = HashSet::new();
    let mut people = Vec::new();
    for (i, doc) in people_docs.read {
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
    for (i, doc) in assessment_docs.read {
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
        let at = match doc.at.get_ref() {
            toml::Value::String(text) => utc_time(text),
            toml::Value::Datetime(datetime) => utc_time(&datetime.to_string()),
            other => Err(format!(
                "expected a date (2026-03-02) or a time (2026-03-02T09:00:00Z), found {}",
                other.type_str()
            )),
        };
        let at = match at {
            Ok(at) if at.as_str() < EARLIEST => {
                Err(format!("{at} is before 1970; is the year right?"))
            }
            Ok(at) if latest.is_some_and(|latest| at.as_str() > latest) => Err(format!(
                "{at} is in the future: an assessment takes the time it was made"
            )),
            other => other,
        };
        let at = at.unwrap_or_else(|message| {
            problems.push(locator.diagnostic(
                doc.at.span(),
                format!("assessments[{i}].at"),
                "invalid-time",
                message,
            ));
            String::new()
        });
        assessments.push(AssessmentDef {
            person: doc.person.get_ref().trim().to_owned(),
            skill: ConceptRef::parse(doc.skill.get_ref()),
            level: doc.level.get_ref().trim().to_owned(),
            source,
            at,
            note: doc.note,
            origin: origin(doc.person.span(), format!("assessments[{i}]")),
        });
    }

    // Kept by key alone so that what names them is not reported as unknown too; there is
    // already a problem, so this bundle is never stored.
    for key in people_docs.broken_keys {
        if keys.insert(key.get_ref().clone()) {
            people.push(PersonDef {
                key: key.get_ref().clone(),
                name: key.get_ref().clone(),
                role: None,
                grade: None,
                manager: None,
                team: String::new(),
                origin: origin(key.span(), "people".to_owned()),
            });
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    (
        PeopleBundle {
            demo,
            people,
            assessments,
        },
        problems,
    )
}

#[cfg(test)]
mod tests {
    use super::{read_people, read_people_partly, utc_time, valid_timestamp};

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

    #[test]
    fn plain_dates_and_times_with_offsets_are_accepted_as_utc() {
        assert_eq!(utc_time("2026-03-02").unwrap(), "2026-03-02T00:00:00Z");
        assert_eq!(
            utc_time("2026-03-02T09:00:00Z").unwrap(),
            "2026-03-02T09:00:00Z"
        );
        assert_eq!(
            utc_time("2026-03-02 09:00:00Z").unwrap(),
            "2026-03-02T09:00:00Z"
        );
        assert_eq!(
            utc_time("2026-03-02T00:30:00.25+01:00").unwrap(),
            "2026-03-01T23:30:00Z"
        );
        let local = utc_time("2026-03-02T09:00:00").unwrap_err();
        assert!(local.contains("no time zone"), "{local}");
        assert!(utc_time("2026-02-30").is_err());
        assert!(utc_time("yesterday").is_err());
    }

    /// One assessment with each way of writing a date, quoted and as TOML values.
    fn dated(at: &[&str]) -> String {
        let mut text = String::from("[[people]]\nkey = \"a\"\nname = \"A\"\n");
        for at in at {
            text.push_str(&format!(
                "\n[[assessments]]\nperson = \"a\"\nskill = \"x:y\"\nlevel = \"W\"\nsource = \"self\"\nat = {at}\n"
            ));
        }
        text
    }

    #[test]
    fn a_date_may_be_written_plain_quoted_or_not() {
        let text = dated(&[
            "\"2026-03-02\"",
            "2026-03-03",
            "2026-03-04T09:00:00Z",
            "\"2026-03-05T10:00:00+02:00\"",
        ]);
        let bundle = read_people(&text, "p.toml").unwrap_or_else(|e| panic!("{e}"));
        let times: Vec<&str> = bundle.assessments.iter().map(|a| a.at.as_str()).collect();
        assert_eq!(
            times,
            [
                "2026-03-02T00:00:00Z",
                "2026-03-03T00:00:00Z",
                "2026-03-04T09:00:00Z",
                "2026-03-05T08:00:00Z"
            ]
        );
    }

    #[test]
    fn future_and_implausibly_old_times_are_refused_with_line_and_field() {
        let text = dated(&["2026-03-02", "2026-12-08T09:00:00Z", "1926-03-02"]);
        let (_, problems) = read_people_partly(&text, "p.toml", Some("2026-12-07T10:05:00Z"));
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert_eq!(problems[0].line, 17);
        assert_eq!(problems[0].field, "assessments[1].at");
        assert!(
            problems[0].message.contains("in the future"),
            "{}",
            problems[0]
        );
        assert_eq!(problems[1].line, 24);
        assert_eq!(problems[1].field, "assessments[2].at");
        assert!(
            problems[1].message.contains("before 1970"),
            "{}",
            problems[1]
        );
        // Without a clock the future is not checked (the built-in demo is read that way).
        let (_, problems) = read_people_partly(&text, "p.toml", None);
        assert_eq!(problems.len(), 1, "{problems:#?}");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = "\
colour = \"blue\"

[[people]]
key = \"a\"
name = \"A\"

[[people]]
key = \"b\"
name = 7

[[assessments]]
person = \"a\"
skill = \"x:y\"
level = 3
source = \"self\"
at = 2026-03-02

[[assessments]]
person = \"b\"
skill = \"x:y\"
level = \"W\"
source = \"boss\"
at = \"2026-03-02\"

[[assessments]]
person = \"a\"
level = \"W\"
source = \"self\"
at = \"2026-03-02T09:00\"
";
        let (bundle, problems) = read_people_partly(text, "p.toml", None);
        let found: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.line, p.field.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (1, "colour"),
                (9, "people[1]"),
                (14, "assessments[0]"),
                (22, "assessments[1].source"),
                (25, "assessments[2]"),
            ],
            "{problems:#?}"
        );
        // The person whose entry did not read is still known by key, so the assessment of b
        // is not reported as naming nobody when references are checked.
        assert!(bundle.people.iter().any(|p| p.key == "b"));
    }
}
