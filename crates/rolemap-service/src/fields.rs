//! Limits on what people type, checked where it enters the service (the API, the pages and the
//! command line all come through here): names at most [`NAME_MAX`] characters and notes at most
//! [`NOTE_MAX`]; no control characters (C0 and C1, DEL, and so ESC, which starts terminal
//! escapes), except tab and line breaks in text of several lines; no bidi overrides or
//! isolates (U+202A–U+202E, U+2066–U+2069), which make text read otherwise than it is stored.

use crate::{Result, ServiceError};

/// The longest name, key, title, grade or team: a million-character name once became a 1 MB key.
pub const NAME_MAX: usize = 200;

/// The longest note on an assessment.
pub const NOTE_MAX: usize = 4000;

fn forbidden(c: char, lines: bool) -> Option<&'static str> {
    match c {
        '\t' | '\n' | '\r' if lines => None,
        '\u{1b}' => Some("an escape character (ESC)"),
        c if c.is_control() => Some("a control character"),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some("a bidirectional override or isolate")
        }
        _ => None,
    }
}

fn check(field: &str, text: &str, max: usize, lines: bool) -> Result<()> {
    let count = text.chars().count();
    if count > max {
        return Err(ServiceError::invalid(
            field,
            format!("must be at most {max} characters (it has {count})"),
        ));
    }
    if let Some((at, what)) = text
        .chars()
        .enumerate()
        .find_map(|(i, c)| forbidden(c, lines).map(|what| (i + 1, what)))
    {
        return Err(ServiceError::invalid(
            field,
            format!("must not hold {what} (character {at})"),
        ));
    }
    Ok(())
}

/// A one-line value: a name, key, title, grade or team.
pub fn check_name(field: &str, text: &str) -> Result<()> {
    check(field, text, NAME_MAX, false)
}

/// A one-line value with its own limit.
pub fn check_line(field: &str, text: &str, max: usize) -> Result<()> {
    check(field, text, max, false)
}

/// Text of several lines: a note.
pub fn check_note(field: &str, text: &str) -> Result<()> {
    check(field, text, NOTE_MAX, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(result: Result<()>) -> String {
        match result {
            Err(ServiceError::Invalid { field, message }) => format!("{field}: {message}"),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn long_names_controls_escapes_and_bidi_overrides_are_refused_by_field() {
        assert!(check_name("name", "Zoë O'Brien-Nakamura").is_ok());
        let long = "x".repeat(NAME_MAX + 1);
        assert!(refused(check_name("name", &long)).starts_with("name: must be at most 200"));
        assert!(refused(check_name("name", "a\0b")).contains("control character (character 2)"));
        assert!(
            refused(check_name("team", "\u{1b}[31mred"))
                .starts_with("team: must not hold an escape")
        );
        assert!(refused(check_name("name", "abc\u{202e}fdp.exe")).contains("bidirectional"));
        assert!(refused(check_name("name", "a\u{2066}b")).contains("bidirectional"));
        assert!(refused(check_name("name", "a\u{7f}")).contains("control"));
        assert!(refused(check_name("name", "a\nb")).contains("control"));
        assert!(check_note("note", "line one\n\tline two\r\n").is_ok());
        assert!(refused(check_note("note", "bell\u{7}")).contains("control"));
        assert!(refused(check_note("note", &"n".repeat(NOTE_MAX + 1))).contains("at most"));
    }
}
