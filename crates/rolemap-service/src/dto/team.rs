//! The JSON shape of a team matrix: everyone below a manager, coverage, training and succession.

use rolemap_core::matrix::TeamMatrix;
use serde::Serialize;
use utoipa::ToSchema;

use super::{PersonDto, RoleSummaryDto, SkillRefDto, code};

#[derive(Debug, Serialize, ToSchema)]
pub struct CellDto {
    pub skill_id: i64,
    pub required: Option<String>,
    pub held: Option<String>,
    pub source: Option<&'static str>,
    /// Null where the person's role does not require the skill.
    pub status: Option<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixRowDto {
    pub person: PersonDto,
    pub readiness: Option<f64>,
    pub cells: Vec<CellDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageDto {
    pub skill: SkillRefDto,
    pub bar: Option<String>,
    pub holders: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingDto {
    pub skill: SkillRefDto,
    pub people: Vec<TrainingPersonDto>,
    pub total_steps: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingPersonDto {
    pub name: String,
    pub held: Option<String>,
    pub required: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateDto {
    pub person: PersonDto,
    /// Null when the role lists no skill requirements.
    pub readiness: Option<f64>,
    pub gaps: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuccessionDto {
    pub role: RoleSummaryDto,
    pub grade: Option<String>,
    pub candidates: Vec<CandidateDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMatrixDto {
    pub manager: PersonDto,
    pub skills: Vec<SkillRefDto>,
    pub rows: Vec<MatrixRowDto>,
    pub single_points_of_failure: Vec<CoverageDto>,
    pub uncovered: Vec<CoverageDto>,
    pub training_needs: Vec<TrainingDto>,
    pub succession: Option<SuccessionDto>,
}

fn coverage(c: &rolemap_core::matrix::Coverage) -> CoverageDto {
    CoverageDto {
        skill: SkillRefDto::from(&c.skill),
        bar: c.bar.as_ref().map(|l| l.code().to_owned()),
        holders: c.holders.clone(),
    }
}

impl From<&TeamMatrix> for TeamMatrixDto {
    fn from(m: &TeamMatrix) -> TeamMatrixDto {
        TeamMatrixDto {
            manager: PersonDto::from(&m.manager),
            skills: m.skills.iter().map(SkillRefDto::from).collect(),
            rows: m
                .rows
                .iter()
                .map(|row| MatrixRowDto {
                    person: PersonDto::from(&row.person),
                    readiness: row.readiness,
                    cells: row
                        .cells
                        .iter()
                        .zip(&m.skills)
                        .map(|(cell, skill)| CellDto {
                            skill_id: skill.id.0,
                            required: cell.required.as_ref().and_then(code),
                            held: cell
                                .held
                                .as_ref()
                                .map(|h| h.current.level.code().to_owned()),
                            source: cell.held.as_ref().map(|h| h.current.source.as_str()),
                            status: cell.status.map(|s| s.as_str()),
                        })
                        .collect(),
                })
                .collect(),
            single_points_of_failure: m.single_points().map(coverage).collect(),
            uncovered: m.uncovered().map(coverage).collect(),
            training_needs: m
                .training
                .iter()
                .map(|t| TrainingDto {
                    skill: SkillRefDto::from(&t.skill),
                    people: t
                        .people
                        .iter()
                        .map(|(name, held, required)| TrainingPersonDto {
                            name: name.clone(),
                            held: held.as_ref().map(|l| l.code().to_owned()),
                            required: required.as_ref().map(|l| l.code().to_owned()),
                        })
                        .collect(),
                    total_steps: t.total_steps,
                })
                .collect(),
            succession: m.succession.as_ref().map(|s| SuccessionDto {
                role: RoleSummaryDto::from(&s.role),
                grade: s.grade.clone(),
                candidates: s
                    .candidates
                    .iter()
                    .map(|c| CandidateDto {
                        person: PersonDto::from(&c.person),
                        readiness: c.report.readiness,
                        gaps: c
                            .report
                            .development_lines()
                            .map(|l| l.skill.label.clone())
                            .collect(),
                    })
                    .collect(),
            }),
        }
    }
}
