//! The JSON shape of a comparison of two roles: the skills they share and those only one requires.

use rolemap_core::compare::{Comparison, GradeLevels, OneSided, SideBySide};
use serde::Serialize;
use utoipa::ToSchema;

use super::{GradeLevelsMap, RoleSummaryDto, SkillRefDto, code};

#[derive(Debug, Serialize, ToSchema)]
pub struct SideBySideDto {
    pub key: String,
    pub name: String,
    pub a: String,
    pub b: String,
    pub differs: bool,
}

impl From<&SideBySide> for SideBySideDto {
    fn from(s: &SideBySide) -> SideBySideDto {
        SideBySideDto {
            key: s.key.clone(),
            name: s.name.clone(),
            a: s.a.clone(),
            b: s.b.clone(),
            differs: s.differs(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GradeLevelsDto {
    pub grade: String,
    /// Null where the role is not found at this grade or gives no level.
    pub a: Option<String>,
    pub b: Option<String>,
    pub difference: Option<i16>,
}

impl From<&GradeLevels> for GradeLevelsDto {
    fn from(g: &GradeLevels) -> GradeLevelsDto {
        GradeLevelsDto {
            grade: g.grade.clone(),
            a: g.a.as_ref().and_then(code),
            b: g.b.as_ref().and_then(code),
            difference: g.difference,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SharedSkillDto {
    pub skill: SkillRefDto,
    pub a_importance: &'static str,
    pub b_importance: &'static str,
    pub grades: Vec<GradeLevelsDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OneSidedDto {
    pub skill: SkillRefDto,
    pub importance: &'static str,
    #[schema(value_type = BTreeMap<String, Option<String>>)]
    pub levels: GradeLevelsMap,
}

impl From<&OneSided> for OneSidedDto {
    fn from(o: &OneSided) -> OneSidedDto {
        OneSidedDto {
            skill: SkillRefDto::from(&o.skill),
            importance: o.importance.as_str(),
            levels: GradeLevelsMap(o.levels.iter().map(|(g, l)| (g.clone(), code(l))).collect()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComparisonDto {
    pub a: RoleSummaryDto,
    pub b: RoleSummaryDto,
    pub attributions: Vec<String>,
    pub facts: Vec<SideBySideDto>,
    pub dimensions: Vec<SideBySideDto>,
    pub shared: Vec<SharedSkillDto>,
    pub only_a: Vec<OneSidedDto>,
    pub only_b: Vec<OneSidedDto>,
}

impl From<&Comparison> for ComparisonDto {
    fn from(c: &Comparison) -> ComparisonDto {
        ComparisonDto {
            a: RoleSummaryDto::from(&c.a),
            b: RoleSummaryDto::from(&c.b),
            attributions: c.attributions.clone(),
            facts: c.facts.iter().map(SideBySideDto::from).collect(),
            dimensions: c.dimensions.iter().map(SideBySideDto::from).collect(),
            shared: c
                .shared
                .iter()
                .map(|s| SharedSkillDto {
                    skill: SkillRefDto::from(&s.skill),
                    a_importance: s.a_importance.as_str(),
                    b_importance: s.b_importance.as_str(),
                    grades: s.grades.iter().map(GradeLevelsDto::from).collect(),
                })
                .collect(),
            only_a: c.only_a.iter().map(OneSidedDto::from).collect(),
            only_b: c.only_b.iter().map(OneSidedDto::from).collect(),
        }
    }
}
