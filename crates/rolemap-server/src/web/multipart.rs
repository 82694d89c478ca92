//! Reading the `multipart/form-data` bodies of page forms that upload a file (the text page's
//! advert or CV), and the urlencoded bodies the same forms send without one. Bodies are already
//! whole and within the server's body limit when they get here, so this reads a byte slice
//! rather than a stream; the form guard (`guard.rs`) uses it to find a form's token too.

use crate::web::url;

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    pub name: String,
    /// The file's name as the browser gave it, for a file field.
    pub file_name: Option<String>,
    pub data: Vec<u8>,
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub(crate) fn boundary(content_type: &str) -> Option<&str> {
    let (kind, parameters) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parameters.split(';').find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"'))
            .filter(|b| !b.is_empty())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A header parameter's value: `name="csrf"` in a Content-Disposition line.
fn parameter(line: &str, name: &str) -> Option<String> {
    let at = line.find(&format!("{name}=\""))? + name.len() + 2;
    let end = line[at..].find('"')?;
    Some(line[at..at + end].to_owned())
}

/// The fields of a multipart body, in order; `None` when it is not well formed.
pub(crate) fn fields(body: &[u8], boundary: &str) -> Option<Vec<Field>> {
    let delimiter = format!("--{boundary}");
    let mut rest = &body[find(body, delimiter.as_bytes())? + delimiter.len()..];
    let mut out = Vec::new();
    loop {
        // After a delimiter: "--" ends the body, a line break starts a part.
        if rest.starts_with(b"--") {
            return Some(out);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = std::str::from_utf8(&rest[..head_end]).ok()?;
        let content = &rest[head_end + 4..];
        let next = find(content, format!("\r\n{delimiter}").as_bytes())?;
        let disposition = head
            .split("\r\n")
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
        out.push(Field {
            name: parameter(disposition, "name")?,
            file_name: parameter(disposition, "filename"),
            data: content[..next].to_vec(),
        });
        rest = &content[next + 2 + delimiter.len()..];
    }
}

/// The fields of a urlencoded body, decoded.
pub(crate) fn urlencoded(body: &[u8]) -> Vec<Field> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Field {
                name: url::decode(name, true),
                file_name: None,
                data: url::decode(value, true).into_bytes(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nff00\r\n\
        --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cv.txt\"\r\n\
        Content-Type: text/plain\r\n\r\nLine one\r\nLine two\r\n--XyZ--\r\n";

    #[test]
    fn fields_and_files_are_read_with_their_line_breaks() {
        assert_eq!(boundary("multipart/form-data; boundary=XyZ"), Some("XyZ"));
        assert_eq!(
            boundary("Multipart/Form-Data; boundary=\"XyZ\""),
            Some("XyZ")
        );
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        let fields = fields(BODY, "XyZ").unwrap_or_default();
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].name, "csrf");
        assert_eq!(fields[0].data, b"ff00");
        assert_eq!(fields[1].file_name.as_deref(), Some("cv.txt"));
        assert_eq!(fields[1].data, b"Line one\r\nLine two");
    }

    #[test]
    fn a_body_cut_short_is_refused() {
        assert_eq!(fields(&BODY[..60], "XyZ"), None);
        assert_eq!(fields(b"no boundary here", "XyZ"), None);
    }

    #[test]
    fn urlencoded_values_are_decoded() {
        let fields = urlencoded(b"text=a+b%26c&role=");
        assert_eq!(fields[0].data, b"a b&c");
        assert_eq!(fields[1].name, "role");
        assert!(fields[1].data.is_empty());
    }
}
