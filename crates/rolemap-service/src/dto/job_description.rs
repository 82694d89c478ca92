//! The JSON shape of a job description for a role at a grade.

use rolemap_core::jd::{Criterion, JobDescription};
use serde::Serialize;
use utoipa::ToSchema;

use super::{CodeDto, DimensionDto, LevelDto};

#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionDto {
    pub skill: String,
    pub description: String,
    pub level: Option<LevelDto>,
    pub wording: Option<String>,
    pub emphasis: bool,
}

impl From<&Criterion> for CriterionDto {
    fn from(c: &Criterion) -> CriterionDto {
        CriterionDto {
            skill: c.skill.label.clone(),
            description: c.skill.description.clone(),
            level: c.level.as_ref().map(LevelDto::from),
            wording: c.wording.clone(),
            emphasis: c.emphasis,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobDescriptionDto {
    pub title: String,
    pub framework: String,
    pub attribution: String,
    pub grade: Option<String>,
    pub family: Option<String>,
    pub level: Option<u8>,
    pub codes: Vec<CodeDto>,
    pub summary: String,
    pub description: String,
    /// What the role is like, aspect by aspect, where its framework describes it that way.
    pub dimensions: Vec<DimensionDto>,
    pub responsibilities: Vec<String>,
    pub duties: Vec<String>,
    pub essential: Vec<CriterionDto>,
    pub desirable: Vec<CriterionDto>,
    pub routes_in: String,
    pub transferable_skills: String,
    pub typical_titles: Vec<String>,
}

impl From<&JobDescription> for JobDescriptionDto {
    fn from(j: &JobDescription) -> JobDescriptionDto {
        JobDescriptionDto {
            title: j.title.clone(),
            framework: j.framework.clone(),
            attribution: j.attribution.clone(),
            grade: j.grade.clone(),
            family: j.family.clone(),
            level: j.level,
            codes: j
                .codes
                .iter()
                .map(|c| CodeDto {
                    scheme: c.scheme.clone(),
                    value: c.value.clone(),
                })
                .collect(),
            summary: j.summary.clone(),
            description: j.description.clone(),
            dimensions: j
                .dimensions
                .iter()
                .map(|d| DimensionDto {
                    key: d.key.clone(),
                    name: d.name.clone(),
                    text: d.text.clone(),
                })
                .collect(),
            responsibilities: j.responsibilities.clone(),
            duties: j.duties.clone(),
            essential: j.essential.iter().map(CriterionDto::from).collect(),
            desirable: j.desirable.iter().map(CriterionDto::from).collect(),
            routes_in: j.routes_in.clone(),
            transferable_skills: j.transferable_skills.clone(),
            typical_titles: j.typical_titles.clone(),
        }
    }
}
