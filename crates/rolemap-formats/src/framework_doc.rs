//! The framework document: a TOML file describing one framework (see `docs/framework-format.md`).

use std::collections::{BTreeMap, HashMap, HashSet};

use rolemap_core::bundle::{
    ConceptRef, FrameworkBundle, FrameworkMeta, LinkDef, Origin, RequirementDef, RoleDef, SkillDef,
};
use rolemap_core::framework::Grade;
use rolemap_core::{
    Code, Dimension, Duty, GradeLadder, Importance, JobFamily, LevelDef, LinkKind, ReuseLevel,
    Scale, SkillKind,
};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, Locator};
use crate::toml_reader::TomlReader;

type Text = Spanned<String>;

/// The document's lists, each entry that read with its place in its list (the entries that did
/// not read are already reported).
struct Document {
    framework: FrameworkDoc,
    scales: Vec<(usize, ScaleDoc)>,
    grade_ladders: Vec<(usize, LadderDoc)>,
    families: Vec<(usize, FamilyDoc)>,
    skills: Vec<(usize, SkillDoc)>,
    roles: Vec<(usize, RoleDoc)>,
    links: Vec<(usize, LinkDoc)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkDoc {
    key: Text,
    name: String,
    version: String,
    source: String,
    licence: String,
    attribution: String,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleDoc {
    key: Text,
    name: String,
    levels: Vec<LevelDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelDoc {
    code: Text,
    name: String,
    #[serde(default)]
    descriptor: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LadderDoc {
    key: Text,
    name: String,
    grades: Vec<GradeDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GradeDoc {
    code: Text,
    #[serde(default)]
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FamilyDoc {
    key: Text,
    name: String,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SkillDoc {
    key: Text,
    label: String,
    #[serde(default)]
    alt_labels: Vec<String>,
    #[serde(default)]
    description: String,
    kind: Text,
    reuse_level: Option<Text>,
    #[serde(default)]
    tags: Vec<String>,
    scale: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleDoc {
    key: Text,
    title: String,
    #[serde(default)]
    alt_titles: Vec<String>,
    #[serde(default)]
    typical_titles: Vec<String>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    description: String,
    family: Option<Text>,
    level: Option<Spanned<i64>>,
    grade_ladder: Option<Text>,
    #[serde(default)]
    grades: Vec<Text>,
    #[serde(default)]
    codes: Vec<CodeDoc>,
    #[serde(default)]
    duties: Vec<String>,
    #[serde(default)]
    responsibilities: Vec<String>,
    #[serde(default)]
    routes_in: String,
    #[serde(default)]
    transferable_skills: String,
    #[serde(default)]
    typical_employers: String,
    #[serde(default)]
    duration: String,
    #[serde(default)]
    dimensions: Vec<DimensionDoc>,
    #[serde(default)]
    requirements: Vec<RequirementDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeDoc {
    scheme: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DimensionDoc {
    key: Text,
    name: String,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementDoc {
    skill: Text,
    importance: Text,
    #[serde(default)]
    emphasis: bool,
    #[serde(default)]
    levels: BTreeMap<Spanned<String>, Text>,
    level: Option<Text>,
    #[serde(default)]
    note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkDoc {
    from: Text,
    to: Text,
    kind: Text,
    #[serde(default)]
    note: String,
}

/// Reads one framework document. `file` names it in diagnostics. Every problem is reported at
/// once: syntax errors, entries of the wrong shape (the others are still read and checked) and
/// what the entries that read get wrong.
pub fn read_framework(text: &str, file: &str) -> Result<FrameworkBundle, Diagnostics> {
    let locator = Locator::new(file, text);
    let mut reader = TomlReader::new(text, &locator);
    let framework = reader.value::<FrameworkDoc>("framework");
    let framework_missing = framework.is_none() && reader.problems.is_empty();
    let scales = reader.entries::<ScaleDoc>("scales");
    let grade_ladders = reader.entries::<LadderDoc>("grade_ladders");
    let families = reader.entries::<FamilyDoc>("families");
    let skills = reader.entries::<SkillDoc>("skills");
    let roles = reader.entries::<RoleDoc>("roles");
    let links = reader.entries::<LinkDoc>("links");
    let mut problems = reader.finish(&[
        "framework",
        "scales",
        "grade_ladders",
        "families",
        "skills",
        "roles",
        "links",
    ]);
    if framework_missing {
        problems.push(locator.diagnostic(
            0..0,
            "framework",
            "invalid-toml",
            "missing the [framework] table (key, name, version, source, licence, attribution)",
        ));
    }
    let document = Document {
        // A stand-in when the table is missing or broken (already reported), so that the rest
        // is still checked.
        framework: framework.unwrap_or_else(|| FrameworkDoc {
            key: Spanned::new(0..0, "framework".to_owned()),
            name: String::new(),
            version: String::new(),
            source: String::new(),
            licence: String::new(),
            attribution: String::new(),
            description: String::new(),
        }),
        scales: scales.read,
        grade_ladders: grade_ladders.read,
        families: families.read,
        skills: skills.read,
        roles: roles.read,
        links: links.read,
    };
    let mut checker = Checker {
        locator: &locator,
        problems,
        broken_skills: skills
            .broken_keys
            .iter()
            .map(|k| k.get_ref().clone())
            .collect(),
        broken_roles: roles
            .broken_keys
            .iter()
            .map(|k| k.get_ref().to_lowercase())
            .collect(),
    };
    let bundle = checker.bundle(document);
    if checker.problems.is_empty() {
        Ok(bundle)
    } else {
        checker.problems.sort_by_key(|p| (p.line, p.column));
        Err(Diagnostics(checker.problems))
    }
}

struct Checker<'a> {
    locator: &'a Locator<'a>,
    problems: Vec<Diagnostic>,
    /// Keys of skills and roles (lower case) whose entries did not read: what names them is not
    /// reported as naming nothing.
    broken_skills: HashSet<String>,
    broken_roles: HashSet<String>,
}

/// Keys are identifiers users type and URLs carry: keep them plain.
fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':'))
}

impl Checker<'_> {
    fn problem(
        &mut self,
        span: std::ops::Range<usize>,
        field: String,
        code: &'static str,
        message: String,
    ) {
        self.problems
            .push(self.locator.diagnostic(span, field, code, message));
    }

    /// Checks a key's form and uniqueness within `seen`.
    fn key(&mut self, key: &Text, field: String, seen: &mut HashSet<String>, what: &str) -> String {
        let value = key.get_ref().trim().to_owned();
        if !valid_key(&value) || (what != "skill" && what != "role" && value.contains(':')) {
            self.problem(
                key.span(),
                field,
                "invalid-key",
                format!(
                    "'{value}' is not a valid {what} key: use letters, digits, '-', '_' or '.'"
                ),
            );
        } else if !seen.insert(value.to_lowercase()) {
            self.problem(
                key.span(),
                field,
                "duplicate-key",
                format!("{what} key '{value}' is defined twice"),
            );
        }
        value
    }

    fn bundle(&mut self, document: Document) -> FrameworkBundle {
        let framework = FrameworkMeta {
            key: self.key(
                &document.framework.key,
                "framework.key".into(),
                &mut HashSet::new(),
                "framework",
            ),
            name: document.framework.name,
            version: document.framework.version,
            source: document.framework.source,
            licence: document.framework.licence,
            attribution: document.framework.attribution,
            description: document.framework.description,
        };

        let mut scales = Vec::new();
        let mut seen = HashSet::new();
        for (i, doc) in document.scales.iter().map(|(i, d)| (*i, d)) {
            let key = self.key(&doc.key, format!("scales[{i}].key"), &mut seen, "scale");
            let levels = doc
                .levels
                .iter()
                .map(|l| LevelDef {
                    code: l.code.get_ref().trim().to_owned(),
                    name: l.name.clone(),
                    descriptor: l.descriptor.clone(),
                })
                .collect();
            match Scale::new(key, doc.name.clone(), levels) {
                Ok(scale) => scales.push(scale),
                Err(e) => self.problem(
                    doc.key.span(),
                    format!("scales[{i}].levels"),
                    "invalid-scale",
                    e.to_string(),
                ),
            }
        }

        let mut ladders = Vec::new();
        let mut seen = HashSet::new();
        for (i, doc) in document.grade_ladders.iter().map(|(i, d)| (*i, d)) {
            let key = self.key(
                &doc.key,
                format!("grade_ladders[{i}].key"),
                &mut seen,
                "grade ladder",
            );
            let mut codes = HashSet::new();
            let grades = doc
                .grades
                .iter()
                .enumerate()
                .map(|(j, g)| Grade {
                    code: self.key(
                        &g.code,
                        format!("grade_ladders[{i}].grades[{j}].code"),
                        &mut codes,
                        "grade",
                    ),
                    name: g.name.clone(),
                })
                .collect();
            ladders.push(GradeLadder {
                key,
                name: doc.name.clone(),
                grades,
            });
        }

        let mut families = Vec::new();
        let mut seen = HashSet::new();
        for (i, doc) in document.families.iter().map(|(i, d)| (*i, d)) {
            families.push(JobFamily {
                key: self.key(&doc.key, format!("families[{i}].key"), &mut seen, "family"),
                name: doc.name.clone(),
                description: doc.description.clone(),
            });
        }

        let mut skills = Vec::new();
        let mut seen = HashSet::new();
        for (i, doc) in document.skills {
            let key = self.key(&doc.key, format!("skills[{i}].key"), &mut seen, "skill");
            let kind = SkillKind::parse(doc.kind.get_ref()).unwrap_or_else(|| {
                self.problem(
                    doc.kind.span(),
                    format!("skills[{i}].kind"),
                    "invalid-kind",
                    format!(
                        "unknown kind '{}'; use knowledge, skill, behaviour or capability",
                        doc.kind.get_ref()
                    ),
                );
                SkillKind::Skill
            });
            let reuse = doc.reuse_level.as_ref().and_then(|r| {
                let parsed = ReuseLevel::parse(r.get_ref());
                if parsed.is_none() {
                    self.problem(
                        r.span(),
                        format!("skills[{i}].reuse_level"),
                        "invalid-reuse-level",
                        format!(
                            "unknown reuse level '{}'; use transversal, cross-sector, sector-specific or occupation-specific",
                            r.get_ref()
                        ),
                    );
                }
                parsed
            });
            let scale = doc.scale.as_ref().map(|s| {
                let key = s.get_ref().trim().to_owned();
                if !scales.iter().any(|sc: &Scale| sc.key() == key) {
                    self.problem(
                        s.span(),
                        format!("skills[{i}].scale"),
                        "unknown-scale",
                        format!("no scale '{key}' in this file"),
                    );
                }
                key
            });
            if doc.label.trim().is_empty() {
                self.problem(
                    doc.key.span(),
                    format!("skills[{i}].label"),
                    "missing-label",
                    "a skill needs a label".into(),
                );
            }
            skills.push(SkillDef {
                key,
                label: doc.label.trim().to_owned(),
                alt_labels: doc.alt_labels,
                description: doc.description,
                kind,
                reuse,
                tags: doc.tags,
                scale,
            });
        }

        let skill_scales: HashMap<String, Option<&Scale>> = skills
            .iter()
            .map(|s| {
                let scale = s
                    .scale
                    .as_ref()
                    .and_then(|k| scales.iter().find(|sc| sc.key() == k));
                (s.key.clone(), scale)
            })
            .collect();

        let mut roles = Vec::new();
        let mut seen = HashSet::new();
        for (i, doc) in document.roles {
            let role = self.role(i, doc, &mut seen, &ladders, &families, &skill_scales);
            roles.push(role);
        }

        let mut links = Vec::new();
        let broken_roles = std::mem::take(&mut self.broken_roles);
        for (i, doc) in document.links {
            let kind = LinkKind::parse(doc.kind.get_ref()).unwrap_or_else(|| {
                self.problem(
                    doc.kind.span(),
                    format!("links[{i}].kind"),
                    "invalid-link-kind",
                    format!(
                        "unknown link kind '{}'; use route, equivalent or related",
                        doc.kind.get_ref()
                    ),
                );
                LinkKind::Related
            });
            let mut end = |text: &Text, name: &str| {
                let reference = ConceptRef::parse(text.get_ref());
                let local = reference
                    .framework
                    .as_deref()
                    .is_none_or(|f| f == framework.key);
                let known = |key: &str| seen.contains(key) || broken_roles.contains(key);
                if local && !known(&reference.key.to_lowercase()) {
                    self.problem(
                        text.span(),
                        format!("links[{i}].{name}"),
                        "unknown-role",
                        format!("no role '{}' in this file", reference.key),
                    );
                }
                reference.in_framework(&framework.key)
            };
            let from = end(&doc.from, "from");
            let to = end(&doc.to, "to");
            let (line, _) = self.locator.position(doc.from.span().start);
            links.push(LinkDef {
                from,
                to,
                kind,
                note: doc.note,
                origin: Origin {
                    file: self.locator.file().to_owned(),
                    line,
                    field: format!("links[{i}]"),
                },
            });
        }

        FrameworkBundle {
            framework,
            scales,
            ladders,
            families,
            skills,
            roles,
            links,
        }
    }

    fn role(
        &mut self,
        i: usize,
        doc: RoleDoc,
        seen: &mut HashSet<String>,
        ladders: &[GradeLadder],
        families: &[JobFamily],
        skill_scales: &HashMap<String, Option<&Scale>>,
    ) -> RoleDef {
        let key = self.key(&doc.key, format!("roles[{i}].key"), seen, "role");
        if doc.title.trim().is_empty() {
            self.problem(
                doc.key.span(),
                format!("roles[{i}].title"),
                "missing-title",
                "a role needs a title".into(),
            );
        }
        let family = doc.family.as_ref().map(|f| {
            let key = f.get_ref().trim().to_owned();
            if !families.iter().any(|fam| fam.key == key) {
                self.problem(
                    f.span(),
                    format!("roles[{i}].family"),
                    "unknown-family",
                    format!("no job family '{key}' in this file"),
                );
            }
            key
        });
        let level = doc.level.as_ref().and_then(|l| {
            let value = u8::try_from(*l.get_ref())
                .ok()
                .filter(|v| (1..=10).contains(v));
            if value.is_none() {
                self.problem(
                    l.span(),
                    format!("roles[{i}].level"),
                    "invalid-level",
                    format!("level {} is not between 1 and 10", l.get_ref()),
                );
            }
            value
        });
        let ladder = doc.grade_ladder.as_ref().and_then(|l| {
            let key = l.get_ref().trim();
            let found = ladders.iter().find(|ladder| ladder.key == key);
            if found.is_none() {
                self.problem(
                    l.span(),
                    format!("roles[{i}].grade_ladder"),
                    "unknown-ladder",
                    format!("no grade ladder '{key}' in this file"),
                );
            }
            found
        });
        if ladder.is_none() && doc.grade_ladder.is_none() && !doc.grades.is_empty() {
            self.problem(
                doc.grades[0].span(),
                format!("roles[{i}].grades"),
                "missing-ladder",
                "grades need a grade_ladder".into(),
            );
        }
        let mut grades: Vec<String> = Vec::new();
        for (j, grade) in doc.grades.iter().enumerate() {
            let code = grade.get_ref().trim();
            match ladder.map(|l| l.position(code)) {
                Some(Some(position)) => grades.push(
                    ladder
                        .map(|l| l.grades[position].code.clone())
                        .unwrap_or_default(),
                ),
                Some(None) => self.problem(
                    grade.span(),
                    format!("roles[{i}].grades[{j}]"),
                    "unknown-grade",
                    format!(
                        "no grade '{code}' on ladder '{}'; its grades are {}",
                        ladder.map(|l| l.key.as_str()).unwrap_or_default(),
                        ladder
                            .map(|l| l
                                .grades
                                .iter()
                                .map(|g| g.code.as_str())
                                .collect::<Vec<_>>()
                                .join(", "))
                            .unwrap_or_default()
                    ),
                ),
                None => {}
            }
        }
        if let Some(ladder) = ladder {
            grades.sort_by_key(|g| ladder.position(g));
            grades.dedup();
        }

        let mut dimension_keys = HashSet::new();
        let dimensions = doc
            .dimensions
            .iter()
            .enumerate()
            .map(|(j, d)| Dimension {
                key: self.key(
                    &d.key,
                    format!("roles[{i}].dimensions[{j}].key"),
                    &mut dimension_keys,
                    "dimension",
                ),
                name: d.name.clone(),
                text: d.text.clone(),
            })
            .collect();

        let mut required = HashSet::new();
        let mut requirements = Vec::new();
        for (j, req) in doc.requirements.into_iter().enumerate() {
            let field = format!("roles[{i}].requirements[{j}]");
            let skill = req.skill.get_ref().trim().to_owned();
            let scale = match skill_scales.get(&skill) {
                Some(scale) => *scale,
                None if self.broken_skills.contains(&skill) => None,
                None => {
                    self.problem(
                        req.skill.span(),
                        format!("{field}.skill"),
                        "unknown-skill",
                        format!("no skill '{skill}' in this file"),
                    );
                    None
                }
            };
            if !required.insert(skill.clone()) {
                self.problem(
                    req.skill.span(),
                    format!("{field}.skill"),
                    "duplicate-requirement",
                    format!("skill '{skill}' is required twice"),
                );
            }
            let importance = Importance::parse(req.importance.get_ref()).unwrap_or_else(|| {
                self.problem(
                    req.importance.span(),
                    format!("{field}.importance"),
                    "invalid-importance",
                    format!(
                        "unknown importance '{}'; use essential or optional",
                        req.importance.get_ref()
                    ),
                );
                Importance::Essential
            });
            let check_level = |checker: &mut Self, text: &Text, where_: String| -> Option<String> {
                let code = text.get_ref().trim();
                if code.is_empty() {
                    return None;
                }
                let Some(scale) = scale else {
                    if skill_scales.contains_key(&skill) {
                        checker.problem(
                            text.span(),
                            where_,
                            "no-scale",
                            format!("skill '{skill}' has no scale, so it cannot have a level"),
                        );
                    }
                    return None;
                };
                match scale.parse(code) {
                    Ok(level) => Some(level.code().to_owned()),
                    Err(e) => {
                        checker.problem(text.span(), where_, "invalid-level", e.to_string());
                        None
                    }
                }
            };
            let mut levels: Vec<(String, Option<String>)> =
                grades.iter().map(|g| (g.clone(), None)).collect();
            for (grade, code) in &req.levels {
                let where_ = format!("{field}.levels.{}", grade.get_ref());
                match levels
                    .iter()
                    .position(|(g, _)| g.eq_ignore_ascii_case(grade.get_ref().trim()))
                {
                    Some(position) => levels[position].1 = check_level(self, code, where_),
                    None => self.problem(
                        grade.span(),
                        where_,
                        "grade-not-in-role",
                        format!(
                            "grade '{}' is not one of the role's grades ({})",
                            grade.get_ref(),
                            grades.join(", ")
                        ),
                    ),
                }
            }
            let level = req
                .level
                .as_ref()
                .and_then(|l| check_level(self, l, format!("{field}.level")));
            requirements.push(RequirementDef {
                skill,
                importance,
                emphasis: req.emphasis,
                levels,
                level,
                note: req.note,
            });
        }

        RoleDef {
            key,
            title: doc.title.trim().to_owned(),
            alt_titles: doc.alt_titles,
            typical_titles: doc.typical_titles,
            summary: doc.summary,
            description: doc.description,
            family,
            level,
            ladder: ladder.map(|l| l.key.clone()),
            grades,
            codes: doc
                .codes
                .into_iter()
                .map(|c| Code {
                    scheme: c.scheme,
                    value: c.value,
                })
                .collect(),
            duties: doc
                .duties
                .into_iter()
                .enumerate()
                .map(|(n, text)| Duty {
                    number: n as u32 + 1,
                    text,
                    category: String::new(),
                })
                .collect(),
            responsibilities: doc.responsibilities,
            routes_in: doc.routes_in,
            transferable_skills: doc.transferable_skills,
            typical_employers: doc.typical_employers,
            duration: doc.duration,
            dimensions,
            requirements,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::read_framework;

    const MINIMAL: &str = r#"
[framework]
key = "demo"
name = "Demo"
version = "1"
source = "test"
licence = "none"
attribution = "test"

[[scales]]
key = "s"
name = "Scale"
levels = [{ code = "A", name = "Awareness" }, { code = "W", name = "Working" }]

[[grade_ladders]]
key = "cs"
name = "Grades"
grades = [{ code = "EO" }, { code = "HEO" }, { code = "SEO" }]

[[skills]]
key = "comms"
label = "Communication"
kind = "skill"
scale = "s"

[[roles]]
key = "lead"
title = "Lead"
grade_ladder = "cs"
grades = ["EO", "HEO", "SEO"]

[[roles.requirements]]
skill = "comms"
importance = "essential"
levels = { EO = "A", HEO = "w" }
"#;

    #[test]
    fn reads_levels_and_keeps_blank_cells_blank() {
        let bundle = read_framework(MINIMAL, "demo.toml").unwrap_or_else(|e| panic!("{e}"));
        let levels = &bundle.roles[0].requirements[0].levels;
        assert_eq!(
            levels,
            &vec![
                ("EO".to_owned(), Some("A".to_owned())),
                ("HEO".to_owned(), Some("W".to_owned())),
                ("SEO".to_owned(), None),
            ]
        );
    }

    fn problems(text: &str) -> Vec<String> {
        match read_framework(text, "demo.toml") {
            Ok(_) => Vec::new(),
            Err(d) => d.0.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn bad_level_names_file_line_and_field() {
        let text = MINIMAL.replace(r#"HEO = "w""#, r#"HEO = "X""#);
        let got = problems(&text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("demo.toml:35:28:"), "{}", got[0]);
        assert!(
            got[0].contains("roles[0].requirements[0].levels.HEO"),
            "{}",
            got[0]
        );
        assert!(
            got[0].contains("valid levels: A (Awareness), W (Working)"),
            "{}",
            got[0]
        );
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let text = MINIMAL
            .replace(r#"skill = "comms""#, r#"skill = "nope""#)
            .replace(r#"kind = "skill""#, r#"kind = "talent""#);
        let got = problems(&text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().any(|p| p.contains("[unknown-skill]")));
        assert!(got.iter().any(|p| p.contains("[invalid-kind]")));
    }

    #[test]
    fn an_entry_of_the_wrong_shape_hides_no_other_problem() {
        let text = format!(
            "{MINIMAL}
[[skills]]
key = \"writing\"
label = 5
kind = \"skill\"

[[skills]]
key = \"maths\"
label = \"Maths\"
kind = \"talent\"

[[roles]]
key = \"writer\"
title = \"Writer\"
published = 2026-03-02

[[roles]]
key = \"editor\"
title = \"Editor\"

[[roles.requirements]]
skill = \"writing\"
importance = \"essential\"

[[roles.requirements]]
skill = \"spelling\"
importance = \"essential\"

[[links]]
from = \"editor\"
to = \"writer\"
kind = \"route\"
"
        );
        let got = problems(&text);
        let codes: Vec<&str> = got
            .iter()
            .map(|p| p.rsplit('[').next().unwrap_or_default())
            .collect();
        // The label of the wrong type, the unknown kind, the unknown field, and the one skill
        // that is named nowhere; not the requirement of the skill whose entry did not read, nor
        // the link to the role whose entry did not read.
        assert_eq!(
            codes,
            [
                "invalid-toml]",
                "invalid-kind]",
                "invalid-toml]",
                "unknown-skill]"
            ],
            "{got:#?}"
        );
        assert!(got[0].contains(":39:9: skills[1]:"), "{}", got[0]);
        assert!(got[2].contains("published"), "{}", got[2]);
        assert!(got[3].contains("'spelling'"), "{}", got[3]);
    }

    #[test]
    fn syntax_errors_are_located() {
        let got = problems("[framework]\nkey = \n");
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("demo.toml:2:"), "{}", got[0]);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let got = problems(&MINIMAL.replace(
            "label = \"Communication\"",
            "label = \"Communication\"\nlable = \"x\"",
        ));
        assert_eq!(got.len(), 1);
        assert!(got[0].contains("lable"), "{}", got[0]);
    }
}
