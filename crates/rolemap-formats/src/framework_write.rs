//! Writes a framework as the framework document (TOML) that `read_framework` reads back to the
//! same bundle: `rolemap export framework`, the framework page's download and drafts all use it.
//!
//! The layout follows the built-in files (tables in the order the reader documents them, a
//! blank line between entries, optional fields left out when empty), so an export reads like a
//! hand-written document and the same bundle always gives the same bytes. What the document
//! cannot say is not written: a duty's category (O*NET's core or supplemental) and ESCO's hidden
//! labels, which come only from their own imports.

use std::fmt::Write as _;

use rolemap_core::bundle::{ConceptRef, FrameworkBundle, LinkDef, RequirementDef, RoleDef};

/// The framework document for `bundle`.
pub fn write_framework(bundle: &FrameworkBundle) -> String {
    let mut out = Document::default();
    let meta = &bundle.framework;
    out.header("[framework]");
    out.text("key", &meta.key);
    out.text("name", &meta.name);
    out.text("version", &meta.version);
    out.text("source", &meta.source);
    out.text("licence", &meta.licence);
    out.text("attribution", &meta.attribution);
    out.optional("description", &meta.description);

    for scale in &bundle.scales {
        out.header("[[scales]]");
        out.text("key", scale.key());
        out.text("name", scale.name());
        for level in scale.levels() {
            out.header("[[scales.levels]]");
            out.text("code", &level.code);
            out.text("name", &level.name);
            out.optional("descriptor", &level.descriptor);
        }
    }

    for ladder in &bundle.ladders {
        out.header("[[grade_ladders]]");
        out.text("key", &ladder.key);
        out.text("name", &ladder.name);
        let grades: Vec<String> = ladder
            .grades
            .iter()
            .map(|g| {
                let mut fields = vec![("code", string(&g.code))];
                if !g.name.is_empty() {
                    fields.push(("name", string(&g.name)));
                }
                inline(&fields)
            })
            .collect();
        out.array("grades", &grades);
    }

    for family in &bundle.families {
        out.header("[[families]]");
        out.text("key", &family.key);
        out.text("name", &family.name);
        out.optional("description", &family.description);
    }

    for skill in &bundle.skills {
        out.header("[[skills]]");
        out.text("key", &skill.key);
        out.text("label", &skill.label);
        out.strings("alt_labels", &skill.alt_labels);
        out.optional("description", &skill.description);
        out.text("kind", skill.kind.as_str());
        if let Some(reuse) = skill.reuse {
            out.text("reuse_level", reuse.as_str());
        }
        out.strings("tags", &skill.tags);
        if let Some(scale) = &skill.scale {
            out.text("scale", scale);
        }
    }

    for role in &bundle.roles {
        write_role(&mut out, role);
    }

    for link in &bundle.links {
        write_link(&mut out, link, &meta.key);
    }
    out.finish()
}

fn write_role(out: &mut Document, role: &RoleDef) {
    out.header("[[roles]]");
    out.text("key", &role.key);
    out.text("title", &role.title);
    out.strings("alt_titles", &role.alt_titles);
    out.strings("typical_titles", &role.typical_titles);
    out.optional("summary", &role.summary);
    out.optional("description", &role.description);
    if let Some(family) = &role.family {
        out.text("family", family);
    }
    if let Some(level) = role.level {
        out.line(&format!("level = {level}"));
    }
    if let Some(ladder) = &role.ladder {
        out.text("grade_ladder", ladder);
    }
    out.strings("grades", &role.grades);
    let codes: Vec<String> = role
        .codes
        .iter()
        .map(|c| inline(&[("scheme", string(&c.scheme)), ("value", string(&c.value))]))
        .collect();
    if !codes.is_empty() {
        out.array("codes", &codes);
    }
    let duties: Vec<String> = role.duties.iter().map(|d| d.text.clone()).collect();
    out.strings("duties", &duties);
    out.strings("responsibilities", &role.responsibilities);
    out.optional("routes_in", &role.routes_in);
    out.optional("transferable_skills", &role.transferable_skills);
    out.optional("typical_employers", &role.typical_employers);
    out.optional("duration", &role.duration);
    let dimensions: Vec<String> = role
        .dimensions
        .iter()
        .map(|d| {
            inline(&[
                ("key", string(&d.key)),
                ("name", string(&d.name)),
                ("text", string(&d.text)),
            ])
        })
        .collect();
    if !dimensions.is_empty() {
        out.array("dimensions", &dimensions);
    }
    for requirement in &role.requirements {
        write_requirement(out, requirement);
    }
}

fn write_requirement(out: &mut Document, requirement: &RequirementDef) {
    out.header("[[roles.requirements]]");
    out.text("skill", &requirement.skill);
    out.text("importance", requirement.importance.as_str());
    if requirement.emphasis {
        out.line("emphasis = true");
    }
    // Blank cells stay blank: a grade without a level is left out, and reads back as blank.
    let levels: Vec<(&str, String)> = requirement
        .levels
        .iter()
        .filter_map(|(grade, code)| code.as_ref().map(|c| (grade.as_str(), string(c))))
        .collect();
    if !levels.is_empty() {
        let cells: Vec<String> = levels
            .iter()
            .map(|(grade, code)| format!("{} = {code}", string(grade)))
            .collect();
        out.line(&format!("levels = {{ {} }}", cells.join(", ")));
    }
    if let Some(level) = &requirement.level {
        out.text("level", level);
    }
    out.optional("note", &requirement.note);
}

fn write_link(out: &mut Document, link: &LinkDef, framework: &str) {
    // A local end is written by its key alone, as people write them; an end in another
    // framework with the framework's key before it.
    let end = |reference: &ConceptRef| match reference.framework.as_deref() {
        Some(f) if f != framework => format!("{f}:{}", reference.key),
        _ => reference.key.clone(),
    };
    out.header("[[links]]");
    out.text("from", &end(&link.from));
    out.text("to", &end(&link.to));
    out.text("kind", link.kind.as_str());
    out.optional("note", &link.note);
}

/// A TOML string literal for `text`, escaped by the toml crate itself.
fn string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// An inline table of already written values.
fn inline(fields: &[(&str, String)]) -> String {
    let cells: Vec<String> = fields
        .iter()
        .map(|(key, value)| format!("{key} = {value}"))
        .collect();
    format!("{{ {} }}", cells.join(", "))
}

/// The text being written, with a blank line before every table header but the first.
#[derive(Default)]
struct Document {
    text: String,
}

impl Document {
    fn header(&mut self, header: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.line(header);
    }

    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn text(&mut self, key: &str, value: &str) {
        let _ = writeln!(self.text, "{key} = {}", string(value));
    }

    fn optional(&mut self, key: &str, value: &str) {
        if !value.is_empty() {
            self.text(key, value);
        }
    }

    fn strings(&mut self, key: &str, values: &[String]) {
        if values.is_empty() {
            return;
        }
        let items: Vec<String> = values.iter().map(|v| string(v)).collect();
        self.array(key, &items);
    }

    /// An array of written values, one a line when there is more than one.
    fn array(&mut self, key: &str, items: &[String]) {
        match items {
            [] => {
                let _ = writeln!(self.text, "{key} = []");
            }
            [one] => {
                let _ = writeln!(self.text, "{key} = [{one}]");
            }
            _ => {
                let _ = writeln!(self.text, "{key} = [");
                for item in items {
                    let _ = writeln!(self.text, "    {item},");
                }
                self.line("]");
            }
        }
    }

    fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::write_framework;
    use crate::read_framework;

    /// Every built-in framework reads back from its own export to the same content, and the
    /// export of that is the same text.
    #[test]
    fn builtin_frameworks_read_back_from_their_export() {
        let bundles = crate::builtin::frameworks().unwrap_or_else(|e| panic!("{e}"));
        for bundle in bundles {
            let text = write_framework(&bundle);
            let again = read_framework(&text, "export.toml")
                .unwrap_or_else(|e| panic!("{}: {e}\n{text}", bundle.framework.key));
            assert_eq!(
                again.content(),
                bundle.content(),
                "{}",
                bundle.framework.key
            );
            assert_eq!(write_framework(&again), text, "{}", bundle.framework.key);
        }
    }

    #[test]
    fn awkward_text_is_escaped() {
        let mut bundle = crate::builtin::frameworks().unwrap_or_else(|e| panic!("{e}"))[0].clone();
        bundle.framework.description = "Quotes \" and \\ backslashes,\nnew lines\tand tabs".into();
        bundle.skills[0].label = "\u{1F600} \"quoted\" label".into();
        let text = write_framework(&bundle);
        let again = read_framework(&text, "export.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.framework.description, bundle.framework.description);
        assert_eq!(again.skills[0].label, bundle.skills[0].label);
    }
}
