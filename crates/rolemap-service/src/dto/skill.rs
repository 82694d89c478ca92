//! The JSON shapes of skills, their scales, and the roles that require them.

use rolemap_core::Skill;
use serde::Serialize;
use utoipa::ToSchema;

use super::{EscoDto, RoleSummaryDto};
use crate::SkillDetail;

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillDto {
    pub id: i64,
    pub framework: String,
    pub key: String,
    pub label: String,
    pub alt_labels: Vec<String>,
    pub description: String,
    pub kind: &'static str,
    pub reuse_level: Option<&'static str>,
    pub tags: Vec<String>,
    pub scale: Option<Vec<ScaleLevelDto>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScaleLevelDto {
    pub code: String,
    pub name: String,
    pub descriptor: String,
}

impl From<&Skill> for SkillDto {
    fn from(s: &Skill) -> SkillDto {
        SkillDto {
            id: s.id.0,
            framework: s.framework_key.clone(),
            key: s.key.clone(),
            label: s.label.clone(),
            alt_labels: s.alt_labels.clone(),
            description: s.description.clone(),
            kind: s.kind.as_str(),
            reuse_level: s.reuse.map(|r| r.as_str()),
            tags: s.tags.clone(),
            scale: s.scale.as_ref().map(|scale| {
                scale
                    .levels()
                    .iter()
                    .map(|l| ScaleLevelDto {
                        code: l.code.clone(),
                        name: l.name.clone(),
                        descriptor: l.descriptor.clone(),
                    })
                    .collect()
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillDetailDto {
    #[serde(flatten)]
    pub skill: SkillDto,
    pub attribution: Option<String>,
    /// How many roles require the skill as essential.
    pub essential_for: usize,
    /// How many roles require it as optional.
    pub optional_for: usize,
    pub required_by: Vec<RequiredByDto>,
    /// For an ESCO skill: ESCO's own fields, broader groups and related skills.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub esco: Option<EscoDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequiredByDto {
    pub role: RoleSummaryDto,
    pub importance: &'static str,
}

impl From<&SkillDetail> for SkillDetailDto {
    fn from(d: &SkillDetail) -> SkillDetailDto {
        let (essential_for, optional_for) = d.requirement_counts();
        SkillDetailDto {
            skill: SkillDto::from(&d.skill),
            attribution: d.framework.as_ref().map(|f| f.attribution.clone()),
            essential_for,
            optional_for,
            esco: d.esco.as_ref().map(EscoDto::from),
            required_by: d
                .required_by
                .iter()
                .map(|(role, essential)| RequiredByDto {
                    role: RoleSummaryDto::from(role),
                    importance: if *essential { "essential" } else { "optional" },
                })
                .collect(),
        }
    }
}
