//! What an import brings: frameworks and people described by keys, before they have stored ids.
//!
//! Readers build these from files and check everything that a single document can check (keys
//! unique, local references resolve, level codes valid). References to other frameworks and to
//! stored records are resolved at import time, where the rest of the data is in view.

use std::fmt;

use crate::framework::{GradeLadder, JobFamily};
use crate::level::Scale;
use crate::person::Source;
use crate::role::{Code, Dimension, Duty, Importance, LinkKind, ReuseLevel, SkillKind};

/// A reference to a role or skill by key, optionally in another framework (`odp:team-leader`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConceptRef {
    /// `None` means the framework of the document the reference is written in.
    pub framework: Option<String>,
    pub key: String,
}

impl ConceptRef {
    /// Parses `key` or `framework:key`. ESCO-style URIs (`http://...`) are kept whole as keys,
    /// alone or after a framework (`esco:http://...`).
    pub fn parse(text: &str) -> ConceptRef {
        let text = text.trim();
        if let Some((framework, key)) = text.split_once(':')
            && !key.starts_with("//")
        {
            return ConceptRef {
                framework: Some(framework.trim().to_owned()),
                key: key.trim().to_owned(),
            };
        }
        ConceptRef {
            framework: None,
            key: text.to_owned(),
        }
    }

    /// Fills in the framework when the reference left it implicit.
    pub fn in_framework(&self, default: &str) -> ConceptRef {
        ConceptRef {
            framework: Some(self.framework.clone().unwrap_or_else(|| default.to_owned())),
            key: self.key.clone(),
        }
    }
}

impl fmt::Display for ConceptRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.framework {
            Some(framework) => write!(f, "{framework}:{}", self.key),
            None => f.write_str(&self.key),
        }
    }
}

/// The framework record an import creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkMeta {
    pub key: String,
    pub name: String,
    pub version: String,
    pub source: String,
    pub licence: String,
    pub attribution: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillDef {
    pub key: String,
    pub label: String,
    pub alt_labels: Vec<String>,
    pub description: String,
    pub kind: SkillKind,
    pub reuse: Option<ReuseLevel>,
    pub tags: Vec<String>,
    /// Key of a scale in the same framework.
    pub scale: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementDef {
    /// Key of a skill in the same framework.
    pub skill: String,
    pub importance: Importance,
    pub emphasis: bool,
    /// Grade code and the level code the source gives for it (`None`: the cell is blank).
    pub levels: Vec<(String, Option<String>)>,
    /// The single level for roles without grades.
    pub level: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDef {
    pub key: String,
    pub title: String,
    pub alt_titles: Vec<String>,
    pub typical_titles: Vec<String>,
    pub summary: String,
    pub description: String,
    pub family: Option<String>,
    pub level: Option<u8>,
    pub ladder: Option<String>,
    pub grades: Vec<String>,
    pub codes: Vec<Code>,
    pub duties: Vec<Duty>,
    pub responsibilities: Vec<String>,
    pub routes_in: String,
    pub transferable_skills: String,
    pub typical_employers: String,
    pub duration: String,
    pub dimensions: Vec<Dimension>,
    pub requirements: Vec<RequirementDef>,
}

/// A link between two roles; either end may be in another framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkDef {
    pub from: ConceptRef,
    pub to: ConceptRef,
    pub kind: LinkKind,
    pub note: String,
    /// Where the link is written, for error messages at import time.
    pub origin: Origin,
}

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    pub field: String,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.field)
    }
}

/// One framework document, checked and ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkBundle {
    pub framework: FrameworkMeta,
    pub scales: Vec<Scale>,
    pub ladders: Vec<GradeLadder>,
    pub families: Vec<JobFamily>,
    pub skills: Vec<SkillDef>,
    pub roles: Vec<RoleDef>,
    pub links: Vec<LinkDef>,
}

/// What a framework document holds, one line an item (`kind<TAB>key<TAB>what it says`), so
/// that an import of a version already stored can tell the same content (nothing to do) from
/// edited content (refused: an edit needs a new version), and name what differs. Where an item
/// was written (file, line) is not content.
///
/// The text is the items' `Debug` form, which changes when these types do: the stored content
/// is kept with the rolemap version that wrote it ([`CONTENT_FORMAT`]), and content written by
/// another version is not compared.
impl FrameworkBundle {
    pub fn content(&self) -> String {
        let mut lines = vec![format!(
            "framework\t{}\t{:?}",
            self.framework.key, self.framework
        )];
        lines.extend(
            self.scales
                .iter()
                .map(|s| format!("scale\t{}\t{s:?}", s.key())),
        );
        lines.extend(
            self.ladders
                .iter()
                .map(|l| format!("grade ladder\t{}\t{l:?}", l.key)),
        );
        lines.extend(
            self.families
                .iter()
                .map(|f| format!("job family\t{}\t{f:?}", f.key)),
        );
        lines.extend(
            self.skills
                .iter()
                .map(|s| format!("skill\t{}\t{s:?}", s.key)),
        );
        lines.extend(self.roles.iter().map(|r| format!("role\t{}\t{r:?}", r.key)));
        lines.extend(self.links.iter().map(|l| {
            let link = LinkDef {
                origin: Origin::default(),
                ..l.clone()
            };
            format!(
                "link\t{} to {} ({})\t{link:?}",
                l.from,
                l.to,
                l.kind.as_str()
            )
        }));
        let mut text = format!("{CONTENT_FORMAT}\n");
        text.push_str(&lines.join("\n"));
        text
    }
}

/// The first line of [`FrameworkBundle::content`]: which rolemap wrote it.
pub const CONTENT_FORMAT: &str = concat!("rolemap ", env!("CARGO_PKG_VERSION"), " content 1");

/// What differs between two [`FrameworkBundle::content`] texts, item by item (`skill 'x'
/// changed`, `role 'y' added`, `link 'a to b (route)' removed`), in the order of the new text
/// then the removed ones. `None` when the stored text was written by another rolemap version
/// and cannot be compared.
pub fn content_differences(stored: &str, new: &str) -> Option<Vec<String>> {
    let (stored_format, stored_items) = stored.split_once('\n').unwrap_or((stored, ""));
    let (new_format, new_items) = new.split_once('\n').unwrap_or((new, ""));
    if stored_format != new_format {
        return None;
    }
    let item = |line: &str| -> (String, String) {
        let mut parts = line.splitn(3, '\t');
        let kind = parts.next().unwrap_or_default();
        let key = parts.next().unwrap_or_default();
        (
            format!("{kind} '{key}'"),
            parts.next().unwrap_or_default().to_owned(),
        )
    };
    let before: std::collections::HashMap<String, String> =
        stored_items.lines().map(item).collect();
    let after: Vec<(String, String)> = new_items.lines().map(item).collect();
    let mut differences = Vec::new();
    for (name, text) in &after {
        match before.get(name) {
            None => differences.push(format!("{name} added")),
            Some(old) if old != text => differences.push(format!("{name} changed")),
            Some(_) => {}
        }
    }
    let now: std::collections::HashSet<&String> = after.iter().map(|(name, _)| name).collect();
    for line in stored_items.lines() {
        let (name, _) = item(line);
        if !now.contains(&name) {
            differences.push(format!("{name} removed"));
        }
    }
    Some(differences)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDef {
    pub key: String,
    pub name: String,
    pub role: Option<ConceptRef>,
    pub grade: Option<String>,
    /// Key of another person in the same document, or of a stored person.
    pub manager: Option<String>,
    pub team: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentDef {
    pub person: String,
    pub skill: ConceptRef,
    pub level: String,
    pub source: Source,
    pub at: String,
    pub note: String,
    pub origin: Origin,
}

/// A document of people and their assessments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeopleBundle {
    pub demo: bool,
    pub people: Vec<PersonDef>,
    pub assessments: Vec<AssessmentDef>,
}

#[cfg(test)]
mod tests {
    use super::{ConceptRef, FrameworkBundle, FrameworkMeta, SkillDef, content_differences};
    use crate::role::SkillKind;

    fn bundle(skills: &[(&str, &str)]) -> FrameworkBundle {
        FrameworkBundle {
            framework: FrameworkMeta {
                key: "f".into(),
                name: "F".into(),
                version: "1".into(),
                source: String::new(),
                licence: String::new(),
                attribution: String::new(),
                description: String::new(),
            },
            scales: Vec::new(),
            ladders: Vec::new(),
            families: Vec::new(),
            skills: skills
                .iter()
                .map(|(key, label)| SkillDef {
                    key: (*key).into(),
                    label: (*label).into(),
                    alt_labels: Vec::new(),
                    description: String::new(),
                    kind: SkillKind::Skill,
                    reuse: None,
                    tags: Vec::new(),
                    scale: None,
                })
                .collect(),
            roles: Vec::new(),
            links: Vec::new(),
        }
    }

    #[test]
    fn content_differences_name_each_item_added_changed_or_removed() {
        let stored = bundle(&[("a", "A"), ("b", "B")]).content();
        assert_eq!(content_differences(&stored, &stored), Some(Vec::new()));
        let edited = bundle(&[("a", "A, edited"), ("c", "C")]).content();
        assert_eq!(
            content_differences(&stored, &edited).unwrap(),
            ["skill 'a' changed", "skill 'c' added", "skill 'b' removed"]
        );
        let other_version = stored.replacen("rolemap ", "rolemap 0.0.0-older ", 1);
        assert_eq!(content_differences(&other_version, &edited), None);
    }

    #[test]
    fn parses_qualified_and_plain_refs() {
        assert_eq!(
            ConceptRef::parse("odp:team-leader").framework.as_deref(),
            Some("odp")
        );
        assert_eq!(ConceptRef::parse("team-leader").framework, None);
        let uri = ConceptRef::parse("http://data.europa.eu/esco/skill/abc");
        assert_eq!(uri.framework, None);
        assert_eq!(uri.key, "http://data.europa.eu/esco/skill/abc");
        let qualified = ConceptRef::parse("esco:http://data.europa.eu/esco/skill/abc");
        assert_eq!(qualified.framework.as_deref(), Some("esco"));
        assert_eq!(qualified.key, "http://data.europa.eu/esco/skill/abc");
    }
}
