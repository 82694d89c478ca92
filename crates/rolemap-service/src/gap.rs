//! A person's gap to a role, their assessments of mapped skills standing in for unassessed ones,
//! and the grade an analysis is made at.

use rolemap_core::gap::{self, GapReport};
use rolemap_core::person::{Held, current_levels};
use rolemap_core::{Assessment, Person, Role};

use crate::{Result, Service, ServiceError};

impl Service {
    /// The gap between a person and a role. The grade defaults to the person's own grade when the
    /// target role has it, else to the role's lowest grade.
    pub async fn gap(
        &self,
        person: &str,
        target: Option<&str>,
        grade: Option<&str>,
    ) -> Result<GapReport> {
        let person = self.person(person).await?;
        let role = match (target, &person.role) {
            (Some(target), _) => self.role(target, None).await?,
            (None, Some(own)) => Role::clone(&*self.role_by_id(own.id).await?),
            (None, None) => {
                return Err(ServiceError::invalid(
                    "target",
                    format!("{} holds no role; name a target role", person.name),
                ));
            }
        };
        let assessments = self.assessments_shared(person.id).await?;
        self.gap_report(&person, &role, grade, &assessments, None)
            .await
    }

    /// The gap report, and so the readiness, of a person against a role: the one place both are
    /// worked out (the gap, routes with a person). The grade is the one asked for, else the
    /// person's own when the role has it, else the role's lowest; `mappings`, when the caller
    /// has read them already.
    pub(crate) async fn gap_report(
        &self,
        person: &Person,
        role: &Role,
        grade: Option<&str>,
        assessments: &[Assessment],
        mappings: Option<&[rolemap_core::Mapping]>,
    ) -> Result<GapReport> {
        let grade = pick_grade(role, grade, person.grade.as_deref())?;
        let held = self.held_for(role, assessments, mappings).await?;
        Ok(gap::analyse_with(role, grade.as_deref(), &held))
    }

    /// A person's current levels for a role's requirements: their own assessments, and for a
    /// required skill they have no assessment of, their assessment of a skill an accepted exact
    /// or close mapping makes the same (exact first, then the higher level), read on the
    /// required skill's scale where the scales differ.
    pub(crate) async fn held_for(
        &self,
        role: &Role,
        assessments: &[Assessment],
        mappings: Option<&[rolemap_core::Mapping]>,
    ) -> Result<std::collections::BTreeMap<rolemap_core::SkillId, Held>> {
        let mut held = current_levels(assessments);
        self.carry_across_versions(role, &mut held).await?;
        let unassessed: Vec<&rolemap_core::Requirement> = role
            .requirements
            .iter()
            .filter(|r| !held.contains_key(&r.skill.id))
            .collect();
        if unassessed.is_empty() || held.is_empty() {
            return Ok(held);
        }
        let read;
        let mappings = match mappings {
            Some(mappings) => mappings,
            None => {
                read = self.mappings_shared().await?;
                &read[..]
            }
        };
        let mut scales: std::collections::HashMap<rolemap_core::SkillId, rolemap_core::Scale> =
            std::collections::HashMap::new();
        for requirement in unassessed {
            let id = requirement.skill.id;
            let best = mappings
                .iter()
                .filter(|m| m.kind.same_skill())
                .filter_map(|m| held.get(&m.other_end(id)?).map(|h| (m.kind, h)))
                .min_by(|(ka, ha), (kb, hb)| {
                    ka.cmp(kb)
                        .then(hb.current.level.rank().cmp(&ha.current.level.rank()))
                        .then(ha.current.skill.cmp(&hb.current.skill))
                });
            let Some((kind, found)) = best else {
                continue;
            };
            let mut stands = found.clone();
            let mut assessed = None;
            if let Some(to) = &requirement.skill.scale {
                let other = found.current.skill;
                let from = match scales.get(&other) {
                    Some(scale) => scale.clone(),
                    None => {
                        let scale = self.store.skill(other).await?.assessment_scale();
                        scales.insert(other, scale.clone());
                        scale
                    }
                };
                if from.key() != to.key()
                    && let Some(level) = to.rescale(&found.current.level, &from)
                {
                    assessed = Some(std::mem::replace(&mut stands.current.level, level));
                }
            }
            stands.via = Some(rolemap_core::person::Via { kind, assessed });
            held.insert(id, stands);
        }
        Ok(held)
    }
}

impl Service {
    /// Assessments stay with a skill across versions of its framework: for a required skill not
    /// assessed itself, an assessment of the skill with the same key in another version of the
    /// role's framework stands for it, read on the required skill's scale (left out where that
    /// scale has no such level). Only looked at where the framework has several versions.
    async fn carry_across_versions(
        &self,
        role: &Role,
        held: &mut std::collections::BTreeMap<rolemap_core::SkillId, Held>,
    ) -> Result<()> {
        if held.is_empty()
            || role
                .requirements
                .iter()
                .all(|r| held.contains_key(&r.skill.id))
        {
            return Ok(());
        }
        let versions = self
            .store
            .frameworks()
            .await?
            .iter()
            .filter(|f| f.key == role.framework_key)
            .count();
        if versions < 2 {
            return Ok(());
        }
        let mut by_key: std::collections::HashMap<String, rolemap_core::SkillId> =
            std::collections::HashMap::new();
        for id in held.keys() {
            let skill = self.store.skill(*id).await?;
            if skill.framework_key == role.framework_key {
                // The latest assessed version's skill, if several versions were assessed.
                let slot = by_key.entry(skill.key).or_insert(*id);
                if id.0 > slot.0 {
                    *slot = *id;
                }
            }
        }
        for requirement in &role.requirements {
            let id = requirement.skill.id;
            if held.contains_key(&id) {
                continue;
            }
            let Some(other) = by_key.get(&requirement.skill.key) else {
                continue;
            };
            let Some(found) = held.get(other) else {
                continue;
            };
            let mut stands = found.clone();
            let scale = requirement
                .skill
                .scale
                .clone()
                .unwrap_or_else(rolemap_core::Scale::presence);
            if !stands.current.level.is_none() {
                match scale.parse(stands.current.level.code()) {
                    Ok(level) => stands.current.level = level,
                    Err(_) => continue,
                }
            }
            stands.current.skill = id;
            held.insert(id, stands);
        }
        Ok(())
    }
}

/// Chooses the grade for an analysis: the one asked for (checked), else the person's own if the
/// role has it, else the role's lowest grade, else none.
pub(crate) fn pick_grade(
    role: &Role,
    asked: Option<&str>,
    own: Option<&str>,
) -> Result<Option<String>> {
    if let Some(grade) = asked {
        return role
            .check_grade(grade)
            .map(Some)
            .map_err(|message| ServiceError::invalid("grade", message));
    }
    Ok(role.default_grade(own))
}
