//! A stored framework read back as a framework bundle (meta, scales, ladders, families, skills,
//! roles with their requirements, links), for exporting frameworks that came from no file a
//! format keeps: ESCO, O*NET, framework documents.
//!
//! What the store does not hold is not invented: ladders and families that no role names, and
//! links that start in another framework, are not in the bundle.

use rolemap_core::bundle::{
    ConceptRef, FrameworkBundle, FrameworkMeta, LinkDef, Origin, RequirementDef, RoleDef, SkillDef,
};
use rolemap_core::{GradeLadder, JobFamily, Scale};
use rolemap_store::{RoleFilter, SkillFilter};

use crate::{Result, Service, ServiceError};

impl Service {
    /// The latest version of `framework` as stored; its roles (and so its ladders, families
    /// and links) only when `with_roles` (each role is one more read: ESCO has 3,007).
    pub async fn stored_bundle(
        &self,
        framework: &str,
        with_roles: bool,
    ) -> Result<FrameworkBundle> {
        let frameworks = self.store.frameworks().await?;
        let Some(meta) = frameworks.iter().rev().find(|f| f.key == framework) else {
            return Err(ServiceError::NotFound {
                what: "framework",
                name: framework.to_owned(),
                suggestions: Vec::new(),
            });
        };
        let skills = self
            .store
            .skills(&SkillFilter {
                framework: Some(framework.to_owned()),
                ..SkillFilter::default()
            })
            .await?;
        let mut scales: Vec<Scale> = Vec::new();
        for skill in &skills {
            if let Some(scale) = &skill.scale
                && !scales.iter().any(|s| s.key() == scale.key())
            {
                scales.push(scale.clone());
            }
        }
        let skills = skills
            .into_iter()
            .map(|s| SkillDef {
                key: s.key,
                label: s.label,
                alt_labels: s.alt_labels,
                description: s.description,
                kind: s.kind,
                reuse: s.reuse,
                tags: s.tags,
                scale: s.scale.map(|scale| scale.key().to_owned()),
            })
            .collect();
        let summaries = if with_roles {
            self.store
                .roles(&RoleFilter {
                    framework: Some(framework.to_owned()),
                    ..RoleFilter::default()
                })
                .await?
        } else {
            Vec::new()
        };
        let mut ladders: Vec<GradeLadder> = Vec::new();
        let mut families: Vec<JobFamily> = Vec::new();
        let mut roles = Vec::with_capacity(summaries.len());
        let mut links = Vec::new();
        for summary in summaries {
            let role = self.store.role(summary.id).await?;
            if let Some(ladder) = &role.ladder
                && !ladders.iter().any(|l| l.key == ladder.key)
            {
                ladders.push(ladder.clone());
            }
            if let Some(family) = &role.family
                && !families.iter().any(|f| f.key == family.key)
            {
                families.push(family.clone());
            }
            for link in role.links.iter().filter(|l| !l.incoming) {
                let other = &link.other;
                links.push(LinkDef {
                    from: ConceptRef {
                        framework: None,
                        key: role.key.clone(),
                    },
                    to: ConceptRef {
                        framework: (other.framework_key != framework)
                            .then(|| other.framework_key.clone()),
                        key: other.key.clone(),
                    },
                    kind: link.kind,
                    note: link.note.clone(),
                    origin: Origin::default(),
                });
            }
            let requirements = role
                .requirements
                .iter()
                .map(|q| RequirementDef {
                    skill: q.skill.key.clone(),
                    importance: q.importance,
                    emphasis: q.emphasis,
                    levels: q
                        .levels
                        .iter()
                        .map(|(grade, level)| {
                            (grade.clone(), level.level().map(|l| l.code().to_owned()))
                        })
                        .collect(),
                    level: q.level.level().map(|l| l.code().to_owned()),
                    note: q.note.clone(),
                })
                .collect();
            roles.push(RoleDef {
                key: role.key,
                title: role.title,
                alt_titles: role.alt_titles,
                typical_titles: role.typical_titles,
                summary: role.summary,
                description: role.description,
                family: role.family.map(|f| f.key),
                level: role.level,
                ladder: role.ladder.map(|l| l.key),
                grades: role.grades,
                codes: role.codes,
                duties: role.duties,
                responsibilities: role.responsibilities,
                routes_in: role.routes_in,
                transferable_skills: role.transferable_skills,
                typical_employers: role.typical_employers,
                duration: role.duration,
                dimensions: role.dimensions,
                requirements,
            });
        }
        Ok(FrameworkBundle {
            framework: FrameworkMeta {
                key: meta.key.clone(),
                name: meta.name.clone(),
                version: meta.version.clone(),
                source: meta.source.clone(),
                licence: meta.licence.clone(),
                attribution: meta.attribution.clone(),
                description: meta.description.clone(),
            },
            scales,
            ladders,
            families,
            skills,
            roles,
            links,
        })
    }
}
