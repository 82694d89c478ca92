//! Skill names that clash within a framework, and what tells them apart.
//!
//! A framework may publish two different skills under one label: the Operational Delivery
//! Profession has a core skill "Data and insight" and a Senior Civil Service capability "Data and
//! insight". Shown bare, the two read as one skill, so wherever a skill is named, a label shared
//! with another skill of the same framework carries what tells it apart, in brackets. The first of
//! these that differs between every pair of the skills sharing the label is used:
//! 1. their tags, as words ("core-skill" reads "core skill"; a tag word without a vowel is an
//!    abbreviation and is written in capitals: "scs-capability" reads "SCS capability");
//! 2. their kind ("knowledge", "skill", "capability" ...);
//! 3. their key, when it is readable (not a URI), else "no. " and the id, which always tells them
//!    apart.
//!
//! Several versions of one framework share keys: the same key in two versions is the same skill,
//! not a clash.

use std::collections::{BTreeMap, BTreeSet};

use crate::id::SkillId;
use crate::role::Skill;

/// For each skill among `skills` whose label (case aside) another skill of its framework with a
/// different key shares, what tells it apart ("core skill"); [`shown`] puts it after the label.
/// Skills whose label is their own are left out. Deterministic: by skill id.
pub fn qualifiers(skills: &[Skill]) -> BTreeMap<SkillId, String> {
    let mut groups: BTreeMap<(&str, String), Vec<&Skill>> = BTreeMap::new();
    for skill in skills {
        groups
            .entry((skill.framework_key.as_str(), skill.label.to_lowercase()))
            .or_default()
            .push(skill);
    }
    let mut labels = BTreeMap::new();
    for group in groups.values() {
        // One entry per key: versions of a framework repeat their keys.
        let mut by_key: BTreeMap<&str, &Skill> = BTreeMap::new();
        for skill in group {
            by_key.entry(skill.key.as_str()).or_insert(skill);
        }
        if by_key.len() < 2 {
            continue;
        }
        let distinct: Vec<&Skill> = by_key.into_values().collect();
        let tags: Vec<String> = distinct.iter().map(|s| tag_words(&s.tags)).collect();
        let kinds: Vec<&str> = distinct.iter().map(|s| s.kind.as_str()).collect();
        let qualifier = |skill: &Skill| -> String {
            if all_differ(&tags) && tags.iter().all(|t| !t.is_empty()) {
                tag_words(&skill.tags)
            } else if all_differ(&kinds) {
                skill.kind.as_str().to_owned()
            } else if readable_key(&skill.key) {
                skill.key.clone()
            } else {
                format!("no. {}", skill.id.0)
            }
        };
        for skill in group {
            labels.insert(skill.id, qualifier(skill));
        }
    }
    labels
}

/// A label with what tells it apart: `Data and insight (core skill)`.
pub fn shown(label: &str, qualifier: &str) -> String {
    format!("{label} ({qualifier})")
}

/// True when a key can be shown to people: a URI (ESCO's keys) cannot.
pub fn readable_key(key: &str) -> bool {
    !key.contains("://")
}

fn all_differ<T: Ord>(values: &[T]) -> bool {
    values.iter().collect::<BTreeSet<_>>().len() == values.len()
}

/// Tags as words: "core-skill, scs" reads "core skill, SCS".
fn tag_words(tags: &[String]) -> String {
    tags.iter()
        .map(|tag| {
            tag.split(['-', '_'])
                .filter(|w| !w.is_empty())
                .map(|w| {
                    if w.chars().any(|c| "aeiouyAEIOUY".contains(c)) {
                        w.to_owned()
                    } else {
                        w.to_uppercase()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::SkillKind;

    fn skill(id: i64, framework: &str, key: &str, label: &str, kind: SkillKind) -> Skill {
        Skill {
            id: SkillId(id),
            framework_key: framework.to_owned(),
            key: key.to_owned(),
            label: label.to_owned(),
            alt_labels: Vec::new(),
            description: String::new(),
            kind,
            reuse: None,
            tags: Vec::new(),
            scale: None,
        }
    }

    fn tagged(mut skill: Skill, tags: &[&str]) -> Skill {
        skill.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        skill
    }

    #[test]
    fn clashing_labels_carry_their_tags() {
        let skills = [
            tagged(
                skill(
                    4,
                    "odp",
                    "data-and-insight",
                    "Data and insight",
                    SkillKind::Skill,
                ),
                &["core-skill"],
            ),
            tagged(
                skill(
                    10,
                    "odp",
                    "scs-data-and-insight",
                    "Data and insight",
                    SkillKind::Capability,
                ),
                &["scs-capability"],
            ),
            skill(
                11,
                "odp",
                "decisions-at-pace",
                "Decisions at pace",
                SkillKind::Skill,
            ),
        ];
        let labels = qualifiers(&skills);
        assert_eq!(
            labels.into_iter().collect::<Vec<_>>(),
            vec![
                (SkillId(4), "core skill".to_owned()),
                (SkillId(10), "SCS capability".to_owned()),
            ]
        );
        assert_eq!(
            shown("Data and insight", "core skill"),
            "Data and insight (core skill)"
        );
    }

    #[test]
    fn same_tags_fall_back_to_kind_then_key_then_number() {
        let kinds = [
            skill(1, "f", "a", "Python", SkillKind::Knowledge),
            skill(2, "f", "b", "python", SkillKind::Skill),
        ];
        assert_eq!(qualifiers(&kinds)[&SkillId(2)], "skill");
        let keys = [
            skill(1, "f", "python-lang", "Python", SkillKind::Skill),
            skill(2, "f", "python-snake", "Python", SkillKind::Skill),
        ];
        assert_eq!(qualifiers(&keys)[&SkillId(1)], "python-lang");
        let uris = [
            skill(7, "esco", "http://e/skill/1", "Python", SkillKind::Skill),
            skill(8, "esco", "http://e/skill/2", "Python", SkillKind::Skill),
        ];
        assert_eq!(qualifiers(&uris)[&SkillId(8)], "no. 8");
    }

    #[test]
    fn versions_and_other_frameworks_do_not_clash() {
        let skills = [
            skill(1, "odp", "data", "Data", SkillKind::Skill),
            skill(20, "odp", "data", "Data", SkillKind::Skill),
            skill(3, "esco", "data", "Data", SkillKind::Knowledge),
        ];
        assert!(qualifiers(&skills).is_empty());
    }
}
