//! Percent-encoding for the links pages build: path segments and query values.

/// Encodes text for a path segment or a query value: everything but unreserved characters and
/// `:` (which `framework:key` names use) is percent-encoded.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Decodes a percent-encoded path segment or query value (`+` is a space in queries).
pub fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: u8) -> Option<u8> {
    char::from(byte).to_digit(16).map(|d| d as u8)
}

/// `path?k=v&...` from pairs, skipping empty values.
pub fn with_query(path: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", encode(v)))
        })
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// The same address with every path segment or query value equal to `from` (ignoring case and
/// surrounding blanks) replaced by `to`; `None` when nothing matched.
pub fn substitute(path_and_query: &str, from: &str, to: &str) -> Option<String> {
    let wanted = from.trim().to_lowercase();
    let matches = |raw: &str, plus: bool| decode(raw, plus).trim().to_lowercase() == wanted;
    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_and_query, None),
    };
    let mut changed = false;
    let path: Vec<String> = path
        .split('/')
        .map(|segment| {
            if !segment.is_empty() && matches(segment, false) {
                changed = true;
                encode(to)
            } else {
                segment.to_owned()
            }
        })
        .collect();
    let mut out = path.join("/");
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) if matches(v, true) => {
                    changed = true;
                    format!("{k}={}", encode(to))
                }
                _ => pair.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_decodes() {
        assert_eq!(encode("odp:team-leader"), "odp:team-leader");
        assert_eq!(encode("Team Leader & co"), "Team%20Leader%20%26%20co");
        assert_eq!(decode("Team%20Leader+x", true), "Team Leader x");
        assert_eq!(decode("100%", false), "100%");
        assert_eq!(decode("%4", false), "%4");
        assert_eq!(decode("%41", false), "A");
    }

    #[test]
    fn substitutes_the_name_that_failed() {
        assert_eq!(
            substitute(
                "/roles/team%20leadr/jd?grade=EO",
                "team leadr",
                "Team Leader"
            )
            .as_deref(),
            Some("/roles/Team%20Leader/jd?grade=EO")
        );
        assert_eq!(
            substitute(
                "/compare?a=odp:team-leader&b=opps+manager",
                "opps manager",
                "odp:operations-manager"
            )
            .as_deref(),
            Some("/compare?a=odp:team-leader&b=odp:operations-manager")
        );
        assert_eq!(substitute("/roles/x", "y", "z"), None);
    }

    #[test]
    fn builds_queries() {
        assert_eq!(
            with_query(
                "/people/a/gap",
                &[("target", Some("odp:team-leader")), ("grade", None)]
            ),
            "/people/a/gap?target=odp:team-leader"
        );
    }
}
