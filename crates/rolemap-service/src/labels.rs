//! Skill names as the service hands them out: a label that another skill of the same framework
//! shares carries what tells the two apart (`rolemap_core::label`), in roles' requirements,
//! skills, assessments and search hits alike, so no front end shows two skills as one.

use std::collections::BTreeMap;
use std::sync::Arc;

use rolemap_core::{Assessment, Role, Skill, SkillId};

use crate::{Result, Service};

/// What tells each skill whose label clashes apart from the others; skills not in it show their
/// own label.
pub(crate) type Qualifiers = Arc<BTreeMap<SkillId, String>>;

/// A skill's label as shown.
fn shown(labels: &Qualifiers, skill: SkillId, label: &str) -> Option<String> {
    labels
        .get(&skill)
        .map(|qualifier| rolemap_core::label::shown(label, qualifier))
}

/// Gives a role's requirements their shown labels.
pub(crate) fn relabel_role(labels: &Qualifiers, role: &mut Role) {
    for requirement in &mut role.requirements {
        if let Some(shown) = shown(labels, requirement.skill.id, &requirement.skill.label) {
            requirement.skill.label = shown;
        }
    }
}

/// Gives skills their shown labels.
pub(crate) fn relabel_skills(labels: &Qualifiers, skills: &mut [Skill]) {
    for skill in skills {
        if let Some(shown) = shown(labels, skill.id, &skill.label) {
            skill.label = shown;
        }
    }
}

/// Gives assessments their skills' shown labels.
pub(crate) fn relabel_assessments(labels: &Qualifiers, assessments: &mut [Assessment]) {
    for assessment in assessments {
        if let Some(shown) = shown(labels, assessment.skill, &assessment.skill_label) {
            assessment.skill_label = shown;
        }
    }
}

impl Service {
    /// A person's assessments, oldest first, with their skills' shown labels.
    pub(crate) async fn assessments_of(
        &self,
        person: rolemap_core::PersonId,
    ) -> Result<Vec<Assessment>> {
        Ok(Vec::clone(&*self.assessments_shared(person).await?))
    }
}

/// A skill's label as its framework publishes it: the shown label without what tells it apart
/// (a namesake is listed as what it is, "Data and insight, the capability").
pub(crate) fn published_label(qualifiers: &Qualifiers, skill: SkillId, label: &str) -> String {
    let suffix = qualifiers.get(&skill).map(|q| format!(" ({q})"));
    suffix
        .as_deref()
        .and_then(|s| label.strip_suffix(s))
        .unwrap_or(label)
        .to_owned()
}

/// As [`published_label`], in lower case, for matching by name (routes find namesakes by it).
pub(crate) fn published_name(qualifiers: &Qualifiers, skill: SkillId, label: &str) -> String {
    published_label(qualifiers, skill, label)
        .trim()
        .to_lowercase()
}
