//! Job descriptions as documents: Markdown to paste anywhere, and a standalone printable HTML page.

use std::fmt::Write;

use rolemap_core::jd::{Criterion, JobDescription};

fn heading_line(jd: &JobDescription) -> String {
    let mut parts = Vec::new();
    if let Some(grade) = &jd.grade {
        parts.push(format!("Grade: {grade}"));
    }
    if let Some(level) = jd.level {
        parts.push(format!("Level {level}"));
    }
    if let Some(family) = &jd.family {
        parts.push(format!("Job family: {family}"));
    }
    for code in &jd.codes {
        parts.push(format!("{} {}", code.scheme, code.value));
    }
    parts.join(" · ")
}

fn criterion_text(c: &Criterion) -> String {
    let mut text = c.skill.label.clone();
    match (&c.level, &c.wording) {
        (Some(level), Some(wording)) => {
            let _ = write!(
                text,
                " at {} level ({}): {}",
                level.name(),
                level.code(),
                wording
            );
        }
        (Some(level), None) => {
            let _ = write!(text, " at {} level ({})", level.name(), level.code());
        }
        (None, _) => {
            if !c.skill.description.is_empty() {
                let _ = write!(text, ": {}", c.skill.description);
            }
        }
    }
    if c.emphasis {
        text.push_str(" (of particular importance in this role)");
    }
    text
}

/// Markdown, with a front line of grade and family, sections, and the source's attribution.
pub fn to_markdown(jd: &JobDescription) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", jd.title);
    let line = heading_line(jd);
    if !line.is_empty() {
        let _ = writeln!(out, "{line}\n");
    }
    let section = |out: &mut String, title: &str, items: &[String]| {
        if !items.is_empty() {
            let _ = writeln!(out, "## {title}\n");
            for item in items {
                let _ = writeln!(out, "- {item}");
            }
            out.push('\n');
        }
    };
    if !jd.summary.is_empty() {
        let _ = writeln!(out, "## About the role\n\n{}\n", jd.summary);
    }
    if !jd.dimensions.is_empty() {
        let _ = writeln!(out, "## The role in detail\n");
        for dimension in &jd.dimensions {
            let _ = writeln!(out, "- **{}:** {}", dimension.name, dimension.text);
        }
        out.push('\n');
    }
    section(&mut out, "Key responsibilities", &jd.responsibilities);
    section(&mut out, "Duties", &jd.duties);
    let essential: Vec<String> = jd.essential.iter().map(criterion_text).collect();
    let desirable: Vec<String> = jd.desirable.iter().map(criterion_text).collect();
    section(&mut out, "Essential criteria", &essential);
    section(&mut out, "Desirable criteria", &desirable);
    if !jd.routes_in.is_empty() || !jd.transferable_skills.is_empty() {
        let _ = writeln!(out, "## Experience you might bring\n");
        for text in [&jd.routes_in, &jd.transferable_skills] {
            if !text.is_empty() {
                let _ = writeln!(out, "{text}\n");
            }
        }
    }
    section(&mut out, "Typical job titles", &jd.typical_titles);
    let _ = writeln!(
        out,
        "---\n\nBased on the {} role profile. {}",
        jd.framework, jd.attribution
    );
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const PRINT_CSS: &str = "body{font:11pt/1.45 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#111}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.1rem;border-bottom:1px solid #999;padding-bottom:.15rem;margin-top:1.6rem}\
.meta{color:#444}footer{margin-top:2rem;font-size:.85rem;color:#444}li{margin:.2rem 0}\
@page{size:A4;margin:18mm}@media print{body{margin:0;max-width:none}h2{break-after:avoid}li{break-inside:avoid}}";

/// A standalone HTML page with print styles.
pub fn to_html(jd: &JobDescription) -> String {
    let e = escape_html;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        e(&jd.title),
        e(&jd.title)
    );
    let line = heading_line(jd);
    if !line.is_empty() {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", e(&line));
    }
    if !jd.summary.is_empty() {
        let _ = writeln!(out, "<h2>About the role</h2>\n<p>{}</p>", e(&jd.summary));
    }
    if !jd.dimensions.is_empty() {
        out.push_str("<h2>The role in detail</h2>\n<dl>\n");
        for dimension in &jd.dimensions {
            let _ = writeln!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                e(&dimension.name),
                e(&dimension.text)
            );
        }
        out.push_str("</dl>\n");
    }
    let list = |out: &mut String, title: &str, items: &[String]| {
        if !items.is_empty() {
            let _ = writeln!(out, "<h2>{}</h2>\n<ul>", e(title));
            for item in items {
                let _ = writeln!(out, "<li>{}</li>", e(item));
            }
            out.push_str("</ul>\n");
        }
    };
    list(&mut out, "Key responsibilities", &jd.responsibilities);
    list(&mut out, "Duties", &jd.duties);
    list(
        &mut out,
        "Essential criteria",
        &jd.essential.iter().map(criterion_text).collect::<Vec<_>>(),
    );
    list(
        &mut out,
        "Desirable criteria",
        &jd.desirable.iter().map(criterion_text).collect::<Vec<_>>(),
    );
    if !jd.routes_in.is_empty() || !jd.transferable_skills.is_empty() {
        out.push_str("<h2>Experience you might bring</h2>\n");
        for text in [&jd.routes_in, &jd.transferable_skills] {
            if !text.is_empty() {
                let _ = writeln!(out, "<p>{}</p>", e(text));
            }
        }
    }
    list(&mut out, "Typical job titles", &jd.typical_titles);
    let _ = write!(
        out,
        "</main>\n<footer>Based on the {} role profile. {}</footer>\n</body>\n</html>\n",
        e(&jd.framework),
        e(&jd.attribution)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_everything_it_is_given() {
        assert_eq!(
            escape_html("<a href=\"x\">Tom & Jo's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jo&#39;s&lt;/a&gt;"
        );
    }
}
