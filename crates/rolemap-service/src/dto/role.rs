//! The JSON shapes of frameworks, their levels and roles: a role's profile with its requirements,
//! codes, duties and links.

use rolemap_core::{Framework, Level, Requirement, Role, RoleSummary, SkillRef};
use serde::Serialize;
use utoipa::ToSchema;

use super::{EscoDto, GradeLevelsMap, code};

#[derive(Debug, Serialize, ToSchema)]
pub struct LevelDto {
    pub code: String,
    pub name: String,
    /// 1 for a scale's lowest level; 0 for the held level "none" (assessed as not held).
    pub rank: u8,
}

impl From<&Level> for LevelDto {
    fn from(level: &Level) -> LevelDto {
        LevelDto {
            code: level.code().to_owned(),
            name: level.name().to_owned(),
            rank: level.rank(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkDto {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub version: String,
    pub source: String,
    pub licence: String,
    pub attribution: String,
    pub roles: u64,
    pub skills: u64,
}

impl From<&Framework> for FrameworkDto {
    fn from(f: &Framework) -> FrameworkDto {
        FrameworkDto {
            id: f.id.0,
            key: f.key.clone(),
            name: f.name.clone(),
            version: f.version.clone(),
            source: f.source.clone(),
            licence: f.licence.clone(),
            attribution: f.attribution.clone(),
            roles: f.role_count,
            skills: f.skill_count,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleSummaryDto {
    pub id: i64,
    pub framework: String,
    pub key: String,
    pub title: String,
    pub family: Option<String>,
    pub level: Option<u8>,
    pub grades: Vec<String>,
}

impl From<&RoleSummary> for RoleSummaryDto {
    fn from(r: &RoleSummary) -> RoleSummaryDto {
        RoleSummaryDto {
            id: r.id.0,
            framework: r.framework_key.clone(),
            key: r.key.clone(),
            title: r.title.clone(),
            family: r.family.clone(),
            level: r.level,
            grades: r.grades.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillRefDto {
    pub id: i64,
    pub key: String,
    pub label: String,
    pub kind: &'static str,
    pub reuse_level: Option<&'static str>,
    pub tags: Vec<String>,
}

impl From<&SkillRef> for SkillRefDto {
    fn from(s: &SkillRef) -> SkillRefDto {
        SkillRefDto {
            id: s.id.0,
            key: s.key.clone(),
            label: s.label.clone(),
            kind: s.kind.as_str(),
            reuse_level: s.reuse.map(|r| r.as_str()),
            tags: s.tags.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequirementDto {
    /// The skill's preferred label.
    pub skill: String,
    pub skill_id: i64,
    pub skill_key: String,
    pub kind: &'static str,
    pub reuse_level: Option<&'static str>,
    pub tags: Vec<String>,
    pub importance: &'static str,
    pub emphasis: bool,
    /// Grade -> minimum level code; null where the source gives none.
    #[schema(value_type = BTreeMap<String, Option<String>>)]
    pub levels: GradeLevelsMap,
    /// For roles without grades.
    pub level: Option<String>,
    pub note: String,
}

impl From<&Requirement> for RequirementDto {
    fn from(r: &Requirement) -> RequirementDto {
        RequirementDto {
            skill: r.skill.label.clone(),
            skill_id: r.skill.id.0,
            skill_key: r.skill.key.clone(),
            kind: r.skill.kind.as_str(),
            reuse_level: r.skill.reuse.map(|x| x.as_str()),
            tags: r.skill.tags.clone(),
            importance: r.importance.as_str(),
            emphasis: r.emphasis,
            levels: GradeLevelsMap(r.levels.iter().map(|(g, l)| (g.clone(), code(l))).collect()),
            level: code(&r.level),
            note: r.note.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CodeDto {
    pub scheme: String,
    pub value: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DutyDto {
    pub number: u32,
    pub text: String,
    /// What sort of duty the source says it is (O*NET: `core` or `supplemental`); empty where
    /// it does not say.
    pub category: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DimensionDto {
    pub key: String,
    pub name: String,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkDto {
    pub kind: &'static str,
    /// "in" when the other role leads to this one, "out" when this one leads to it.
    pub direction: &'static str,
    pub role: RoleSummaryDto,
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleDto {
    pub id: i64,
    pub framework: String,
    pub framework_name: String,
    pub attribution: String,
    pub key: String,
    pub title: String,
    pub alt_titles: Vec<String>,
    pub typical_titles: Vec<String>,
    pub summary: String,
    pub description: String,
    pub family: Option<String>,
    pub level: Option<u8>,
    pub grades: Vec<String>,
    pub codes: Vec<CodeDto>,
    pub duties: Vec<DutyDto>,
    pub responsibilities: Vec<String>,
    pub routes_in: String,
    pub transferable_skills: String,
    pub typical_employers: String,
    pub duration: String,
    pub dimensions: Vec<DimensionDto>,
    pub requirements: Vec<RequirementDto>,
    pub links: Vec<LinkDto>,
    /// For an ESCO occupation: ESCO's own fields and the ISCO path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub esco: Option<EscoDto>,
}

impl From<&Role> for RoleDto {
    fn from(r: &Role) -> RoleDto {
        RoleDto {
            id: r.id.0,
            framework: r.framework_key.clone(),
            framework_name: r.framework_name.clone(),
            attribution: r.attribution.clone(),
            key: r.key.clone(),
            title: r.title.clone(),
            alt_titles: r.alt_titles.clone(),
            typical_titles: r.typical_titles.clone(),
            summary: r.summary.clone(),
            description: r.description.clone(),
            family: r.family.as_ref().map(|f| f.name.clone()),
            level: r.level,
            grades: r.grades.clone(),
            codes: r
                .codes
                .iter()
                .map(|c| CodeDto {
                    scheme: c.scheme.clone(),
                    value: c.value.clone(),
                })
                .collect(),
            duties: r
                .duties
                .iter()
                .map(|d| DutyDto {
                    number: d.number,
                    text: d.text.clone(),
                    category: d.category.clone(),
                })
                .collect(),
            responsibilities: r.responsibilities.clone(),
            routes_in: r.routes_in.clone(),
            transferable_skills: r.transferable_skills.clone(),
            typical_employers: r.typical_employers.clone(),
            duration: r.duration.clone(),
            dimensions: r
                .dimensions
                .iter()
                .map(|d| DimensionDto {
                    key: d.key.clone(),
                    name: d.name.clone(),
                    text: d.text.clone(),
                })
                .collect(),
            requirements: r.requirements.iter().map(RequirementDto::from).collect(),
            links: r
                .links
                .iter()
                .map(|l| LinkDto {
                    kind: l.kind.as_str(),
                    direction: if l.incoming { "in" } else { "out" },
                    role: RoleSummaryDto::from(&l.other),
                    note: l.note.clone(),
                })
                .collect(),
            esco: None,
        }
    }
}
