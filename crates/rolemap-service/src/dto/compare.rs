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
    /// The levels at the step's grades (see `ComparisonDto::step`).
    pub step: StepLevelsDto,
}

/// What A at the step's grade and B at its grade ask for one shared skill.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepLevelsDto {
    /// Level codes; null where none is published.
    pub a: Option<String>,
    pub b: Option<String>,
    /// B's rank minus A's, where both give a level.
    pub difference: Option<i16>,
    /// Levels to raise moving from A to B (0 where B asks no more).
    pub raise: u16,
}

/// The step from A to B: A at one grade (its top unless asked) against B at one grade (its entry
/// unless asked); a grade is null for a role without grades.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepDto {
    pub a_grade: Option<String>,
    pub b_grade: Option<String>,
    /// How many shared skills the step compares (both give a level, on one scale).
    pub skills_compared: usize,
    /// How many shared skills B asks more of at the step's grades.
    pub skills_to_raise: usize,
    /// The levels to raise in all.
    pub levels_to_raise: u32,
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
    pub step: StepDto,
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
                    step: StepLevelsDto {
                        a: code(&s.step.a),
                        b: code(&s.step.b),
                        difference: s.step.difference,
                        raise: s.step.raise(),
                    },
                })
                .collect(),
            only_a: c.only_a.iter().map(OneSidedDto::from).collect(),
            only_b: c.only_b.iter().map(OneSidedDto::from).collect(),
            step: {
                let (skills_to_raise, levels_to_raise) = c.to_raise();
                StepDto {
                    a_grade: c.step.a_grade.clone(),
                    b_grade: c.step.b_grade.clone(),
                    skills_compared: c.step_compared(),
                    skills_to_raise,
                    levels_to_raise,
                }
            },
        }
    }
}
