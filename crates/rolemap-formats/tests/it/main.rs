//! Integration tests for rolemap-formats: one test binary, one module per concern.
//!
//! Helpers here look frameworks up by key, roles by exact title and skills by exact label, so the
//! tests check the built-in data independently of the keys the data files happen to use.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod case;
mod esco;
mod seeds;

use std::sync::OnceLock;

use rolemap_core::bundle::{FrameworkBundle, RequirementDef, RoleDef, SkillDef};

/// Every built-in framework, read once for the whole test binary.
fn frameworks() -> &'static [FrameworkBundle] {
    static FRAMEWORKS: OnceLock<Vec<FrameworkBundle>> = OnceLock::new();
    FRAMEWORKS.get_or_init(|| match rolemap_formats::builtin::frameworks() {
        Ok(bundles) => bundles,
        Err(problems) => panic!("built-in frameworks do not read cleanly:\n{problems}"),
    })
}

/// The built-in framework with this key.
fn framework(key: &str) -> &'static FrameworkBundle {
    let found: Vec<_> = frameworks()
        .iter()
        .filter(|b| b.framework.key == key)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one built-in framework with key '{key}'"
    );
    found[0]
}

/// The role with exactly this title.
fn role<'a>(fw: &'a FrameworkBundle, title: &str) -> &'a RoleDef {
    let found: Vec<_> = fw.roles.iter().filter(|r| r.title == title).collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one role titled '{title}' in framework '{}'",
        fw.framework.key
    );
    found[0]
}

/// The skill with this key (as a requirement names it).
fn skill<'a>(fw: &'a FrameworkBundle, key: &str) -> &'a SkillDef {
    fw.skills.iter().find(|s| s.key == key).unwrap_or_else(|| {
        panic!(
            "no skill with key '{key}' in framework '{}'",
            fw.framework.key
        )
    })
}

/// The label of the skill with this key.
fn skill_label<'a>(fw: &'a FrameworkBundle, key: &str) -> &'a str {
    &skill(fw, key).label
}

/// The skill with exactly this label.
fn skill_by_label<'a>(fw: &'a FrameworkBundle, label: &str) -> &'a SkillDef {
    let found: Vec<_> = fw.skills.iter().filter(|s| s.label == label).collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one skill labelled '{label}' in framework '{}'",
        fw.framework.key
    );
    found[0]
}

/// The role's requirement for the skill with exactly this label.
fn requirement<'a>(fw: &FrameworkBundle, role: &'a RoleDef, label: &str) -> &'a RequirementDef {
    let found: Vec<_> = role
        .requirements
        .iter()
        .filter(|r| skill_label(fw, &r.skill) == label)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one requirement for '{label}' in role '{}'",
        role.title
    );
    found[0]
}
