//! What changed between two versions of a framework, item by item and field by field.
//!
//! Items are matched by key: a scale's level by scale and code, a grade by ladder and code, a
//! requirement by role and skill, a link by its ends and kind. An item only in the new version
//! is added, one only in the old is removed, and one in both is changed once for each field
//! whose value differs, with the value before and after. A requirement's level for a grade is a
//! field of its own (`levels.HEO`), so a raised level reads as one change. Positions count:
//! a level moved up its scale is a change of its rank.
//!
//! The order is fixed (framework, scales, levels, grade ladders, grades, families, skills,
//! roles, requirements, links; within each, the new version's order, then what was removed in
//! the old one's), so the same two versions always give the same list.

use std::collections::HashMap;

use crate::bundle::{FrameworkBundle, LinkDef, RequirementDef, RoleDef, SkillDef};

/// What sort of item changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    Framework,
    Scale,
    Level,
    GradeLadder,
    Grade,
    Family,
    Skill,
    Role,
    Requirement,
    Link,
}

impl ItemKind {
    pub const ALL: [ItemKind; 10] = [
        ItemKind::Framework,
        ItemKind::Scale,
        ItemKind::Level,
        ItemKind::GradeLadder,
        ItemKind::Grade,
        ItemKind::Family,
        ItemKind::Skill,
        ItemKind::Role,
        ItemKind::Requirement,
        ItemKind::Link,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Framework => "framework",
            ItemKind::Scale => "scale",
            ItemKind::Level => "level",
            ItemKind::GradeLadder => "grade ladder",
            ItemKind::Grade => "grade",
            ItemKind::Family => "job family",
            ItemKind::Skill => "skill",
            ItemKind::Role => "role",
            ItemKind::Requirement => "requirement",
            ItemKind::Link => "link",
        }
    }
}

/// Whether an item came, went or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One difference. For an added or removed item `field` is `None` and `before` or `after`
/// holds what the item says (its fields, one `name: value` a line); for a changed one, the
/// field and its two values (`None` where the field is blank on that side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub item: ItemKind,
    /// The item's key: `skill-key`, `scale/code`, `ladder/grade`, `role/skill`, `from > to (kind)`.
    pub key: String,
    pub change: ChangeKind,
    pub field: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Every difference between two versions, and which versions they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkDiff {
    pub framework: String,
    pub from: String,
    pub to: String,
    pub changes: Vec<Change>,
}

impl FrameworkDiff {
    /// The changes of one kind of item.
    pub fn of(&self, item: ItemKind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.item == item)
    }

    /// How many items were added, removed and changed (an item with several changed fields
    /// counts once).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut changed: Vec<(ItemKind, &str)> = self
            .changes
            .iter()
            .filter(|c| c.change == ChangeKind::Changed)
            .map(|c| (c.item, c.key.as_str()))
            .collect();
        changed.dedup();
        let count = |kind| self.changes.iter().filter(|c| c.change == kind).count();
        (
            count(ChangeKind::Added),
            count(ChangeKind::Removed),
            changed.len(),
        )
    }
}

/// One item as compared: its key and its fields in order, blank fields as empty text.
type Item = (String, Vec<(String, String)>);

/// What changed from `before` to `after`.
pub fn diff(before: &FrameworkBundle, after: &FrameworkBundle) -> FrameworkDiff {
    let mut changes = Vec::new();
    for kind in ItemKind::ALL {
        compare(
            kind,
            &items(kind, before),
            &items(kind, after),
            &mut changes,
        );
    }
    FrameworkDiff {
        framework: after.framework.key.clone(),
        from: before.framework.version.clone(),
        to: after.framework.version.clone(),
        changes,
    }
}

fn compare(kind: ItemKind, before: &[Item], after: &[Item], changes: &mut Vec<Change>) {
    let old: HashMap<&str, &Vec<(String, String)>> =
        before.iter().map(|(k, f)| (k.as_str(), f)).collect();
    let new: HashMap<&str, &Vec<(String, String)>> =
        after.iter().map(|(k, f)| (k.as_str(), f)).collect();
    for (key, fields) in after {
        let Some(old_fields) = old.get(key.as_str()) else {
            changes.push(Change {
                item: kind,
                key: key.clone(),
                change: ChangeKind::Added,
                field: None,
                before: None,
                after: Some(described(fields)),
            });
            continue;
        };
        let old_value: HashMap<&str, &str> = old_fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let mut names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        // Fields only the old version has (a grade's level left out of the new one).
        names.extend(
            old_fields
                .iter()
                .map(|(n, _)| n.as_str())
                .filter(|n| !fields.iter().any(|(m, _)| m.as_str() == *n)),
        );
        let new_value: HashMap<&str, &str> = fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        for name in names {
            let was = old_value.get(name).copied().unwrap_or_default();
            let is = new_value.get(name).copied().unwrap_or_default();
            if was != is {
                changes.push(Change {
                    item: kind,
                    key: key.clone(),
                    change: ChangeKind::Changed,
                    field: Some(name.to_owned()),
                    before: (!was.is_empty()).then(|| was.to_owned()),
                    after: (!is.is_empty()).then(|| is.to_owned()),
                });
            }
        }
    }
    for (key, fields) in before {
        if !new.contains_key(key.as_str()) {
            changes.push(Change {
                item: kind,
                key: key.clone(),
                change: ChangeKind::Removed,
                field: None,
                before: Some(described(fields)),
                after: None,
            });
        }
    }
}

/// An added or removed item's fields, blank ones left out.
fn described(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(n, v)| format!("{n}: {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn field(name: &str, value: impl Into<String>) -> (String, String) {
    (name.to_owned(), value.into())
}

fn list(values: &[String]) -> String {
    values.join("; ")
}

fn items(kind: ItemKind, bundle: &FrameworkBundle) -> Vec<Item> {
    match kind {
        ItemKind::Framework => {
            let f = &bundle.framework;
            vec![(
                f.key.clone(),
                vec![
                    field("name", f.name.as_str()),
                    field("source", f.source.as_str()),
                    field("licence", f.licence.as_str()),
                    field("attribution", f.attribution.as_str()),
                    field("description", f.description.as_str()),
                ],
            )]
        }
        ItemKind::Scale => bundle
            .scales
            .iter()
            .map(|s| (s.key().to_owned(), vec![field("name", s.name())]))
            .collect(),
        ItemKind::Level => bundle
            .scales
            .iter()
            .flat_map(|s| {
                s.levels().iter().enumerate().map(move |(rank, l)| {
                    (
                        format!("{}/{}", s.key(), l.code),
                        vec![
                            field("rank", (rank + 1).to_string()),
                            field("name", l.name.as_str()),
                            field("descriptor", l.descriptor.as_str()),
                        ],
                    )
                })
            })
            .collect(),
        ItemKind::GradeLadder => bundle
            .ladders
            .iter()
            .map(|l| (l.key.clone(), vec![field("name", l.name.as_str())]))
            .collect(),
        ItemKind::Grade => bundle
            .ladders
            .iter()
            .flat_map(|l| {
                l.grades.iter().enumerate().map(move |(position, g)| {
                    (
                        format!("{}/{}", l.key, g.code),
                        vec![
                            field("position", (position + 1).to_string()),
                            field("name", g.name.as_str()),
                        ],
                    )
                })
            })
            .collect(),
        ItemKind::Family => bundle
            .families
            .iter()
            .map(|f| {
                (
                    f.key.clone(),
                    vec![
                        field("name", f.name.as_str()),
                        field("description", f.description.as_str()),
                    ],
                )
            })
            .collect(),
        ItemKind::Skill => bundle.skills.iter().map(skill).collect(),
        ItemKind::Role => bundle.roles.iter().map(role).collect(),
        ItemKind::Requirement => bundle
            .roles
            .iter()
            .flat_map(|r| r.requirements.iter().map(move |q| requirement(r, q)))
            .collect(),
        ItemKind::Link => bundle.links.iter().map(link).collect(),
    }
}

fn skill(s: &SkillDef) -> Item {
    (
        s.key.clone(),
        vec![
            field("label", s.label.as_str()),
            field("alt_labels", list(&s.alt_labels)),
            field("description", s.description.as_str()),
            field("kind", s.kind.as_str()),
            field(
                "reuse_level",
                s.reuse.map(|r| r.as_str()).unwrap_or_default(),
            ),
            field("tags", list(&s.tags)),
            field("scale", s.scale.clone().unwrap_or_default()),
        ],
    )
}

fn role(r: &RoleDef) -> Item {
    let duties: Vec<String> = r.duties.iter().map(|d| d.text.clone()).collect();
    let codes: Vec<String> = r
        .codes
        .iter()
        .map(|c| format!("{} {}", c.scheme, c.value))
        .collect();
    let mut fields = vec![
        field("title", r.title.as_str()),
        field("alt_titles", list(&r.alt_titles)),
        field("typical_titles", list(&r.typical_titles)),
        field("summary", r.summary.as_str()),
        field("description", r.description.as_str()),
        field("family", r.family.clone().unwrap_or_default()),
        field("level", r.level.map(|l| l.to_string()).unwrap_or_default()),
        field("grade_ladder", r.ladder.clone().unwrap_or_default()),
        field("grades", list(&r.grades)),
        field("codes", list(&codes)),
        field("duties", duties.join("\n")),
        field("responsibilities", r.responsibilities.join("\n")),
        field("routes_in", r.routes_in.as_str()),
        field("transferable_skills", r.transferable_skills.as_str()),
        field("typical_employers", r.typical_employers.as_str()),
        field("duration", r.duration.as_str()),
    ];
    // Each dimension a field of its own, so a changed text reads as that dimension's change.
    fields.extend(r.dimensions.iter().map(|d| {
        (
            format!("dimensions.{}", d.key),
            format!("{}: {}", d.name, d.text),
        )
    }));
    (r.key.clone(), fields)
}

fn requirement(r: &RoleDef, q: &RequirementDef) -> Item {
    let mut fields = vec![
        field("importance", q.importance.as_str()),
        field("emphasis", if q.emphasis { "yes" } else { "" }),
        field("level", q.level.clone().unwrap_or_default()),
    ];
    fields.extend(
        q.levels
            .iter()
            .map(|(grade, code)| (format!("levels.{grade}"), code.clone().unwrap_or_default())),
    );
    fields.push(field("note", q.note.as_str()));
    (format!("{}/{}", r.key, q.skill), fields)
}

fn link(l: &LinkDef) -> Item {
    (
        format!("{} > {} ({})", l.from, l.to, l.kind.as_str()),
        vec![field("note", l.note.as_str())],
    )
}

#[cfg(test)]
mod tests {
    use super::{ChangeKind, ItemKind, diff};
    use crate::bundle::{FrameworkBundle, FrameworkMeta, RequirementDef, RoleDef, SkillDef};
    use crate::role::{Importance, SkillKind};
    use crate::{LevelDef, Scale};

    fn skill(key: &str, label: &str) -> SkillDef {
        SkillDef {
            key: key.into(),
            label: label.into(),
            alt_labels: Vec::new(),
            description: String::new(),
            kind: SkillKind::Skill,
            reuse: None,
            tags: Vec::new(),
            scale: Some("s".into()),
        }
    }

    fn requirement(skill: &str, levels: &[(&str, Option<&str>)]) -> RequirementDef {
        RequirementDef {
            skill: skill.into(),
            importance: Importance::Essential,
            emphasis: false,
            levels: levels
                .iter()
                .map(|(g, c)| ((*g).to_owned(), c.map(str::to_owned)))
                .collect(),
            level: None,
            note: String::new(),
        }
    }

    fn bundle(
        version: &str,
        skills: Vec<SkillDef>,
        requirements: Vec<RequirementDef>,
    ) -> FrameworkBundle {
        let level = |code: &str, name: &str| LevelDef {
            code: code.into(),
            name: name.into(),
            descriptor: String::new(),
        };
        FrameworkBundle {
            framework: FrameworkMeta {
                key: "f".into(),
                name: "F".into(),
                version: version.into(),
                source: String::new(),
                licence: String::new(),
                attribution: String::new(),
                description: String::new(),
            },
            scales: vec![
                Scale::new(
                    "s",
                    "Scale",
                    vec![level("A", "Aware"), level("W", "Working")],
                )
                .unwrap_or_else(|e| panic!("{e}")),
            ],
            ladders: Vec::new(),
            families: Vec::new(),
            skills,
            roles: vec![RoleDef {
                key: "lead".into(),
                title: "Lead".into(),
                alt_titles: Vec::new(),
                typical_titles: Vec::new(),
                summary: String::new(),
                description: String::new(),
                family: None,
                level: None,
                ladder: None,
                grades: vec!["EO".into(), "HEO".into()],
                codes: Vec::new(),
                duties: Vec::new(),
                responsibilities: Vec::new(),
                routes_in: String::new(),
                transferable_skills: String::new(),
                typical_employers: String::new(),
                duration: String::new(),
                dimensions: Vec::new(),
                requirements,
            }],
            links: Vec::new(),
        }
    }

    #[test]
    fn the_same_version_has_no_changes() {
        let one = bundle(
            "1",
            vec![skill("a", "A")],
            vec![requirement("a", &[("EO", Some("A"))])],
        );
        let d = diff(&one, &one);
        assert!(d.changes.is_empty(), "{:?}", d.changes);
        assert_eq!((d.from.as_str(), d.to.as_str()), ("1", "1"));
    }

    /// A change as the test compares it: item, key, change, field, before and after.
    type Seen<'a> = (
        ItemKind,
        &'a str,
        ChangeKind,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    );

    #[test]
    fn a_raised_level_an_added_and_a_removed_skill_each_read_as_one_change() {
        let old = bundle(
            "1",
            vec![skill("a", "A"), skill("b", "B")],
            vec![
                requirement("a", &[("EO", Some("A")), ("HEO", None)]),
                requirement("b", &[("EO", None), ("HEO", Some("A"))]),
            ],
        );
        let new = bundle(
            "2",
            vec![skill("a", "A, renamed"), skill("c", "C")],
            vec![
                requirement("a", &[("EO", Some("W")), ("HEO", None)]),
                requirement("c", &[("EO", None), ("HEO", Some("W"))]),
            ],
        );
        let d = diff(&old, &new);
        let got: Vec<Seen<'_>> = d
            .changes
            .iter()
            .map(|c| {
                (
                    c.item,
                    c.key.as_str(),
                    c.change,
                    c.field.as_deref(),
                    if c.field.is_some() {
                        c.before.as_deref()
                    } else {
                        None
                    },
                    if c.field.is_some() {
                        c.after.as_deref()
                    } else {
                        None
                    },
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    ItemKind::Skill,
                    "a",
                    ChangeKind::Changed,
                    Some("label"),
                    Some("A"),
                    Some("A, renamed")
                ),
                (ItemKind::Skill, "c", ChangeKind::Added, None, None, None),
                (ItemKind::Skill, "b", ChangeKind::Removed, None, None, None),
                (
                    ItemKind::Requirement,
                    "lead/a",
                    ChangeKind::Changed,
                    Some("levels.EO"),
                    Some("A"),
                    Some("W")
                ),
                (
                    ItemKind::Requirement,
                    "lead/c",
                    ChangeKind::Added,
                    None,
                    None,
                    None
                ),
                (
                    ItemKind::Requirement,
                    "lead/b",
                    ChangeKind::Removed,
                    None,
                    None,
                    None
                ),
            ]
        );
        assert_eq!(d.counts(), (2, 2, 2));
        let added = d.of(ItemKind::Requirement).find(|c| c.key == "lead/c");
        assert_eq!(
            added.and_then(|c| c.after.as_deref()),
            Some("importance: essential\nlevels.HEO: W")
        );
    }

    #[test]
    fn a_level_descriptor_changed_names_its_scale_and_code() {
        let old = bundle("1", Vec::new(), Vec::new());
        let mut new = bundle("2", Vec::new(), Vec::new());
        let mut levels = new.scales[0].levels().to_vec();
        levels[1].descriptor = "Works alone".into();
        new.scales[0] = Scale::new("s", "Scale", levels).unwrap_or_else(|e| panic!("{e}"));
        let d = diff(&old, &new);
        assert_eq!(d.changes.len(), 1, "{:?}", d.changes);
        let change = &d.changes[0];
        assert_eq!(change.item, ItemKind::Level);
        assert_eq!(change.key, "s/W");
        assert_eq!(change.field.as_deref(), Some("descriptor"));
        assert_eq!(
            (change.before.as_deref(), change.after.as_deref()),
            (None, Some("Works alone"))
        );
    }
}
