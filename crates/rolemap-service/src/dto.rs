//! The JSON shapes of rolemap's answers, shared by `--format json` on the command line and the
//! HTTP API. Field names here are a public contract: change them only with a new API version.

use std::collections::BTreeMap;

use rolemap_core::compare::{Comparison, GradeLevels, OneSided, SideBySide};
use rolemap_core::gap::{GapLine, GapReport};
use rolemap_core::jd::{Criterion, JobDescription};
use rolemap_core::matrix::TeamMatrix;
use rolemap_core::person::Held;
use rolemap_core::{
    Assessment, Framework, Level, Person, RequiredLevel, Requirement, Role, RoleSummary, Skill,
    SkillRef,
};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use utoipa::ToSchema;

use crate::{PersonDetail, SkillDetail};

/// Grade -> level code, in ladder order; `null` where the source gives no level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeLevelsMap(pub Vec<(String, Option<String>)>);

impl Serialize for GradeLevelsMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (grade, code) in &self.0 {
            map.serialize_entry(grade, code)?;
        }
        map.end()
    }
}

fn code(level: &RequiredLevel) -> Option<String> {
    level.level().map(|l| l.code().to_owned())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LevelDto {
    pub code: String,
    pub name: String,
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

/// One of ESCO's concepts as another refers to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EscoLinkDto {
    pub uri: String,
    /// "occupation", "skill", "isco-group" or "skill-group" (empty when ESCO never defined it).
    pub kind: String,
    pub code: String,
    pub label: String,
    /// The role this occupation is stored as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_id: Option<i64>,
    /// The skill this skill is stored as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill_id: Option<i64>,
}

impl From<&rolemap_store::EscoLink> for EscoLinkDto {
    fn from(l: &rolemap_store::EscoLink) -> EscoLinkDto {
        EscoLinkDto {
            uri: l.uri.clone(),
            kind: l.kind.clone(),
            code: l.code.clone(),
            label: l.label.clone(),
            role_id: l.role.map(|r| r.0),
            skill_id: l.skill.map(|s| s.0),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EscoRelatedDto {
    pub skill: EscoLinkDto,
    /// "essential" or "optional", as ESCO states it.
    pub importance: String,
    /// "out" when ESCO states the relation from this skill, "in" when from the other.
    pub direction: &'static str,
}

/// What ESCO holds about one of its occupations or skills beyond the role or skill itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct EscoDto {
    pub uri: String,
    pub code: String,
    pub status: String,
    pub definition: String,
    pub scope_note: String,
    /// Skills: "skill/competence" or "knowledge".
    pub skill_type: String,
    /// Occupations: the regulated profession note.
    pub regulated: String,
    pub modified: String,
    pub hidden_labels: Vec<String>,
    /// The concepts directly above this one.
    pub broader: Vec<EscoLinkDto>,
    /// From the top of the hierarchy down to the first broader concept (for an occupation, its
    /// ISCO path).
    pub path: Vec<EscoLinkDto>,
    /// Skills: the skills ESCO relates to this one.
    pub related: Vec<EscoRelatedDto>,
}

impl From<&rolemap_store::EscoDetail> for EscoDto {
    fn from(d: &rolemap_store::EscoDetail) -> EscoDto {
        EscoDto {
            uri: d.uri.clone(),
            code: d.code.clone(),
            status: d.status.clone(),
            definition: d.definition.clone(),
            scope_note: d.scope_note.clone(),
            skill_type: d.skill_type.clone(),
            regulated: d.regulated.clone(),
            modified: d.modified.clone(),
            hidden_labels: d.hidden_labels.clone(),
            broader: d.broader.iter().map(EscoLinkDto::from).collect(),
            path: d.path.iter().map(EscoLinkDto::from).collect(),
            related: d
                .related
                .iter()
                .map(|r| EscoRelatedDto {
                    skill: EscoLinkDto::from(&r.skill),
                    importance: r.importance.clone(),
                    direction: if r.inbound { "in" } else { "out" },
                })
                .collect(),
        }
    }
}

/// One role or skill a search found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResultDto {
    /// "role" or "skill".
    pub kind: &'static str,
    pub id: i64,
    pub framework: String,
    pub framework_name: String,
    pub key: String,
    /// The preferred title or label.
    pub label: String,
    /// The label that matched, or an excerpt of the description around the first matched word.
    pub matched: String,
    /// Which text matched: "preferred", "alternative", "hidden" or "description".
    pub field: &'static str,
    /// In (0, 1]; higher is better.
    pub score: f32,
}

impl From<&crate::SearchResult> for SearchResultDto {
    fn from(r: &crate::SearchResult) -> SearchResultDto {
        SearchResultDto {
            kind: r.kind.as_str(),
            id: r.id,
            framework: r.framework.clone(),
            framework_name: r.framework_name.clone(),
            key: r.key.clone(),
            label: r.label.clone(),
            matched: r.matched.clone(),
            field: r.field,
            // Three decimals: enough to rank by, and stable to read.
            score: (r.score * 1000.0).round() / 1000.0,
        }
    }
}

/// One role a job title was coded to.
#[derive(Debug, Serialize, ToSchema)]
pub struct TitleCodeDto {
    pub role_id: i64,
    pub framework: String,
    pub framework_name: String,
    pub key: String,
    /// The role's title.
    pub title: String,
    /// The role's title that matched best.
    pub matched: String,
    /// Which title matched: "preferred", "alternative" or "hidden".
    pub field: &'static str,
    /// In [0, 1]; higher is better.
    pub score: f32,
    /// How well the words match the words of all the role's titles, in [0, 1].
    pub words: f32,
    /// How well the matched title is spelt like the one coded, in [0, 1].
    pub spelling: f32,
}

impl From<&crate::TitleCode> for TitleCodeDto {
    fn from(c: &crate::TitleCode) -> TitleCodeDto {
        // Three decimals: enough to rank by, and stable to read.
        let round = |x: f32| (x * 1000.0).round() / 1000.0;
        TitleCodeDto {
            role_id: c.role_id,
            framework: c.framework.clone(),
            framework_name: c.framework_name.clone(),
            key: c.key.clone(),
            title: c.title.clone(),
            matched: c.matched.clone(),
            field: c.field,
            score: round(c.score),
            words: round(c.words),
            spelling: round(c.spelling),
        }
    }
}

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

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDto {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub role: Option<RoleSummaryDto>,
    pub grade: Option<String>,
    pub manager: Option<String>,
    pub manager_id: Option<i64>,
    pub team: String,
    pub demo: bool,
}

impl From<&Person> for PersonDto {
    fn from(p: &Person) -> PersonDto {
        PersonDto {
            id: p.id.0,
            key: p.key.clone(),
            name: p.name.clone(),
            role: p.role.as_ref().map(RoleSummaryDto::from),
            grade: p.grade.clone(),
            manager: p.manager.as_ref().map(|(_, name)| name.clone()),
            manager_id: p.manager.as_ref().map(|(id, _)| id.0),
            team: p.team.clone(),
            demo: p.demo,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentDto {
    pub id: i64,
    pub skill: String,
    pub skill_id: i64,
    pub level: LevelDto,
    pub source: &'static str,
    pub at: String,
    pub note: String,
}

impl From<&Assessment> for AssessmentDto {
    fn from(a: &Assessment) -> AssessmentDto {
        AssessmentDto {
            id: a.id,
            skill: a.skill_label.clone(),
            skill_id: a.skill.0,
            level: LevelDto::from(&a.level),
            source: a.source.as_str(),
            at: a.at.clone(),
            note: a.note.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeldDto {
    pub skill: String,
    pub skill_id: i64,
    pub level: LevelDto,
    pub source: &'static str,
    pub at: String,
    /// The latest view of each other source, most trusted first.
    pub other_views: Vec<AssessmentDto>,
    /// Set when the assessment is of another skill, which an accepted mapping makes the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapped: Option<MappedDto>,
}

/// How an assessment of another skill stands for the required one.
#[derive(Debug, Serialize, ToSchema)]
pub struct MappedDto {
    /// "exact" or "close".
    pub kind: &'static str,
    /// The level as assessed on the other skill's own scale, when `level` is it read on the
    /// required skill's scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessed: Option<LevelDto>,
}

impl From<&Held> for HeldDto {
    fn from(h: &Held) -> HeldDto {
        HeldDto {
            skill: h.current.skill_label.clone(),
            skill_id: h.current.skill.0,
            level: LevelDto::from(&h.current.level),
            source: h.current.source.as_str(),
            at: h.current.at.clone(),
            other_views: h.others.iter().map(AssessmentDto::from).collect(),
            mapped: h.via.as_ref().map(|via| MappedDto {
                kind: via.kind.as_str(),
                assessed: via.assessed.as_ref().map(LevelDto::from),
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDetailDto {
    #[serde(flatten)]
    pub person: PersonDto,
    pub current: Vec<HeldDto>,
    pub history: Vec<AssessmentDto>,
}

impl From<&PersonDetail> for PersonDetailDto {
    fn from(d: &PersonDetail) -> PersonDetailDto {
        PersonDetailDto {
            person: PersonDto::from(&d.person),
            current: d.current.iter().map(HeldDto::from).collect(),
            history: d.history.iter().map(AssessmentDto::from).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GapLineDto {
    pub skill: SkillRefDto,
    pub importance: &'static str,
    pub emphasis: bool,
    /// Null where the source gives no minimum level.
    pub required: Option<LevelDto>,
    pub held: Option<HeldDto>,
    pub status: &'static str,
    pub steps: u8,
    pub why: String,
}

impl From<&GapLine> for GapLineDto {
    fn from(l: &GapLine) -> GapLineDto {
        GapLineDto {
            skill: SkillRefDto::from(&l.skill),
            importance: l.importance.as_str(),
            emphasis: l.emphasis,
            required: l.required.level().map(LevelDto::from),
            held: l.held.as_ref().map(HeldDto::from),
            status: l.status.as_str(),
            steps: l.steps,
            why: l.why.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GapDto {
    pub role: RoleSummaryDto,
    pub attribution: String,
    pub grade: Option<String>,
    pub readiness: f64,
    pub counts: BTreeMap<&'static str, usize>,
    pub lines: Vec<GapLineDto>,
    /// What to develop, most pressing first.
    pub development: Vec<GapLineDto>,
}

impl From<&GapReport> for GapDto {
    fn from(g: &GapReport) -> GapDto {
        use rolemap_core::gap::Status;
        GapDto {
            role: RoleSummaryDto::from(&g.role),
            attribution: g.attribution.clone(),
            grade: g.grade.clone(),
            readiness: g.readiness,
            counts: [
                Status::Met,
                Status::Above,
                Status::Below,
                Status::Unassessed,
            ]
            .into_iter()
            .map(|s| (s.as_str(), g.count(s)))
            .collect(),
            lines: g.lines.iter().map(GapLineDto::from).collect(),
            development: g.development_lines().map(GapLineDto::from).collect(),
        }
    }
}

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
    pub readiness: f64,
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportOutcomeDto {
    pub key: String,
    pub version: String,
    /// False when that key and version were already stored: nothing changed.
    pub created: bool,
    pub roles: usize,
    pub skills: usize,
    pub links: usize,
}

impl From<&rolemap_store::ImportOutcome> for ImportOutcomeDto {
    fn from(o: &rolemap_store::ImportOutcome) -> ImportOutcomeDto {
        ImportOutcomeDto {
            key: o.key.clone(),
            version: o.version.clone(),
            created: o.created,
            roles: o.roles,
            skills: o.skills,
            links: o.links,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleOutcomeDto {
    pub people: usize,
    pub assessments: usize,
}

impl From<&rolemap_store::PeopleOutcome> for PeopleOutcomeDto {
    fn from(o: &rolemap_store::PeopleOutcome) -> PeopleOutcomeDto {
        PeopleOutcomeDto {
            people: o.people,
            assessments: o.assessments,
        }
    }
}

/// One problem an import found, where it is and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemDto {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl From<&rolemap_formats::Diagnostic> for ProblemDto {
    fn from(d: &rolemap_formats::Diagnostic) -> ProblemDto {
        ProblemDto {
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            field: d.field.clone(),
            code: d.code,
            message: d.message.clone(),
        }
    }
}

/// A skill a move to another role would mean gaining.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillToGainDto {
    pub skill: String,
    /// "essential" or "optional" in the other role.
    pub importance: &'static str,
}

/// A role like the origin, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeighbourDto {
    pub role: RoleSummaryDto,
    /// 0.8 × skills + 0.2 × text; where people have been seen moving on from the origin,
    /// 0.75 × that + 0.25 × moved. In [0, 1].
    pub score: f32,
    /// From the skills: 0.5 × cosine + 0.2 × jaccard + 0.3 × coverage.
    pub skills: f32,
    /// Cosine of the weighted skill vectors (essential 1.0, optional 0.5).
    pub cosine: f32,
    /// Shared skills over the skills of either.
    pub jaccard: f32,
    /// Share of this role's essential skills that the origin requires; where the framework sets
    /// levels, a skill whose level the origin reaches only in part counts in part.
    pub coverage: f32,
    /// Where both roles set levels for skills they share: how well the origin's highest levels
    /// meet this role's entry levels (1: all met; one scale step short of four costs 0.25).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub levels: Option<f32>,
    /// With the skills hierarchy (`hierarchy=true`): the cosine of the groups the two roles'
    /// skills sit under; it makes a tenth of `skills`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<f32>,
    /// For a role of another framework (`across=true`): the same-role link it came through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub through: Option<String>,
    /// Cosine of the roles' texts (TF-IDF of titles and description).
    pub text: f32,
    /// Of the people seen moving on from the origin, the share who moved to this role.
    pub moved: f32,
    /// How many people were seen moving from the origin to this role.
    pub moved_people: u64,
    /// "above", "same level", "below" or "level unknown": by grades on the ladder, else the
    /// stated level, else ISCO's skill level.
    pub level: &'static str,
    /// How the framework links the two roles, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Skills both require: what transfers.
    pub shared: Vec<String>,
    /// Skills this role requires and the origin does not, essential first.
    pub to_gain: Vec<SkillToGainDto>,
    /// On a progression map: the cheapest route from the origin to this role (at most 4
    /// steps; see `/api/v1/routes`), absent where none reaches. A step up costs least, so
    /// this is what the map's line weights show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<ReachDto>,
}

/// The cheapest route to a role: its cost and its number of steps.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReachDto {
    pub cost: f32,
    pub steps: u32,
}

/// The roles most like one role.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarDto {
    pub role: RoleSummaryDto,
    /// How the score is made.
    pub formula: String,
    pub neighbours: Vec<NeighbourDto>,
}

/// Three decimals: enough to rank by, and stable to read.
fn rounded(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

fn formula(s: &crate::SimilarRoles) -> String {
    let mut formula = String::from(
        "score = 0.8 × skills + 0.2 × text, or, where people have been seen moving on from this role, 0.75 × that + 0.25 × moved; skills = 0.5 × cosine + 0.2 × jaccard + 0.3 × coverage (essential 1.0, optional 0.5); where the framework sets levels, coverage counts a skill in part when the origin's highest level is below this role's entry level",
    );
    if s.hierarchy {
        formula.push_str(
            "; with the skills hierarchy, skills = 0.9 × that + 0.1 × groups, the cosine of the groups the roles' skills sit under",
        );
    }
    if s.across {
        formula.push_str(
            "; a role of another framework linked as the same kind of role scores 0.9, and the roles nearest it 0.9 × their score; a role of another framework that shares skills by label scores 0.8 × skills (text not compared)",
        );
    }
    formula
}

impl From<&crate::SimilarRoles> for SimilarDto {
    fn from(s: &crate::SimilarRoles) -> SimilarDto {
        SimilarDto {
            role: RoleSummaryDto::from(&s.role.summary_view()),
            formula: formula(s),
            neighbours: s
                .neighbours
                .iter()
                .map(|n| NeighbourDto {
                    role: RoleSummaryDto::from(&n.role.summary_view()),
                    score: rounded(n.score),
                    skills: rounded(n.skills),
                    cosine: rounded(n.cosine),
                    jaccard: rounded(n.jaccard),
                    coverage: rounded(n.coverage),
                    levels: n.levels.map(rounded),
                    groups: n.groups.map(rounded),
                    through: n.through.clone(),
                    text: rounded(n.text),
                    moved: rounded(n.moved),
                    moved_people: n.moved_people,
                    level: n.change.as_str(),
                    link: n.link.clone(),
                    shared: n.shared.clone(),
                    to_gain: n
                        .to_gain
                        .iter()
                        .map(|(skill, essential)| SkillToGainDto {
                            skill: skill.clone(),
                            importance: if *essential { "essential" } else { "optional" },
                        })
                        .collect(),
                    route: n.route.map(|r| ReachDto {
                        cost: rounded(r.cost),
                        steps: r.steps,
                    }),
                })
                .collect(),
        }
    }
}

/// A skill a step asks to raise: the level held so far and the level the role asks for.
#[derive(Debug, Serialize, ToSchema)]
pub struct LevelRaiseDto {
    pub skill: String,
    pub from: String,
    pub to: String,
}

/// A skill a step's role requires that is not met on the way but shares its name with a skill
/// that is (held by the person, or required by a role before): another skill of that name.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamesakeDto {
    /// The required skill's label and kind ("skill", "capability", ...).
    pub skill: String,
    pub kind: &'static str,
    /// "essential" or "optional".
    pub importance: &'static str,
    /// The kind of the skill of that name met on the way.
    pub met_kind: &'static str,
    /// With a person: the level they hold in the skill of that name, by code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met_level: Option<String>,
}

/// One step of a route, and why it is feasible.
#[derive(Debug, Serialize, ToSchema)]
pub struct RouteStepDto {
    pub role: RoleSummaryDto,
    /// The step's score: the similarity of this role to the one before, at least 0.8 along a
    /// route the framework names, 0.9 to the same kind of role, 0.5 to a related one.
    pub similarity: f32,
    /// With a person: the share of this role's requirements (essential 1.0, optional 0.5) they
    /// have been assessed at, a level short of the entry level counting in part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness: Option<f32>,
    /// "above", "same level", "below" or "level unknown", against the role before.
    pub level: &'static str,
    /// Why the step is there, in its numbers: the skills in common with the role before, how
    /// alike their texts are, a link the framework names, why a step down is shown.
    pub via: Vec<String>,
    /// This role's skills already met on the way (the start role's, or the person's).
    pub shared: Vec<String>,
    /// This role's skills not yet met on the way, essential first; a skill named as one met is
    /// under `namesakes` instead.
    pub to_gain: Vec<SkillToGainDto>,
    /// This role's skills not met on the way that share their names with skills met.
    pub namesakes: Vec<NamesakeDto>,
    /// Skills met on the way at a lower level than this role asks for at entry.
    pub raise: Vec<LevelRaiseDto>,
    /// What the step adds to the route's cost.
    pub cost: f32,
}

/// One route: the steps after the start.
#[derive(Debug, Serialize, ToSchema)]
pub struct RouteDto {
    pub cost: f32,
    pub steps: Vec<RouteStepDto>,
}

/// The role nearest the destination that a route question can reach, when no route arrives.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosestDto {
    pub role: RoleSummaryDto,
    /// Its score as one of the destination's nearest roles.
    pub similarity: f32,
    /// The fewest steps it takes to reach it.
    pub steps: u32,
}

/// The best routes from one role to another.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoutesDto {
    pub from: RoleSummaryDto,
    pub to: RoleSummaryDto,
    /// With a person: whose skills weighed the steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonDto>,
    pub max_steps: usize,
    pub min_similarity: f32,
    /// How a step's cost is made.
    pub formula: &'static str,
    /// Cheapest first; empty when no route arrives within the limits.
    pub routes: Vec<RouteDto>,
    /// When there is no route: how many roles can be reached at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reachable: Option<usize>,
    /// When there is no route: the reachable role nearest the destination, if any is among its
    /// nearest roles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closest: Option<ClosestDto>,
}

pub const ROUTE_FORMULA: &str = "step cost = (1 - score) + 0.2 per step + 0 up, 0.1 sideways, 0.15 level unknown, 0.6 down; score = the similarity of the two roles (at least 0.8 along a named route, 0.9 to the same kind of role, 0.5 to a related one), or with a person 0.5 × that + 0.5 × their readiness for the role; routes that never step down come first";

fn gains(to_gain: &[(String, bool)]) -> Vec<SkillToGainDto> {
    to_gain
        .iter()
        .map(|(skill, essential)| SkillToGainDto {
            skill: skill.clone(),
            importance: if *essential { "essential" } else { "optional" },
        })
        .collect()
}

impl From<&crate::Routes> for RoutesDto {
    fn from(r: &crate::Routes) -> RoutesDto {
        RoutesDto {
            from: RoleSummaryDto::from(&r.from.summary_view()),
            to: RoleSummaryDto::from(&r.to.summary_view()),
            person: r.person.as_ref().map(PersonDto::from),
            max_steps: r.max_steps,
            min_similarity: r.min_similarity,
            formula: ROUTE_FORMULA,
            routes: r
                .routes
                .iter()
                .map(|route| RouteDto {
                    cost: rounded(route.cost),
                    steps: route
                        .steps
                        .iter()
                        .map(|s| RouteStepDto {
                            role: RoleSummaryDto::from(&s.role.summary_view()),
                            similarity: rounded(s.similarity),
                            readiness: s.readiness.map(rounded),
                            level: s.change.as_str(),
                            via: s.via.clone(),
                            shared: s.shared.clone(),
                            to_gain: gains(&s.to_gain),
                            namesakes: s
                                .namesakes
                                .iter()
                                .map(|n| NamesakeDto {
                                    skill: n.skill.clone(),
                                    kind: n.kind,
                                    importance: if n.essential { "essential" } else { "optional" },
                                    met_kind: n.met_kind,
                                    met_level: n.met_level.clone(),
                                })
                                .collect(),
                            raise: s
                                .raise
                                .iter()
                                .map(|l| LevelRaiseDto {
                                    skill: l.skill.clone(),
                                    from: l.from.clone(),
                                    to: l.to.clone(),
                                })
                                .collect(),
                            cost: rounded(s.cost),
                        })
                        .collect(),
                })
                .collect(),
            reachable: r.routes.is_empty().then_some(r.reachable),
            closest: r.closest.as_ref().map(|c| ClosestDto {
                role: RoleSummaryDto::from(&c.role.summary_view()),
                similarity: rounded(c.similarity),
                steps: c.steps,
            }),
        }
    }
}
/// A stored skill as extraction names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractSkillRefDto {
    pub id: i64,
    pub framework: String,
    pub key: String,
    pub label: String,
}

impl From<&crate::SkillInfo> for ExtractSkillRefDto {
    fn from(s: &crate::SkillInfo) -> ExtractSkillRefDto {
        ExtractSkillRefDto {
            id: s.id.0,
            framework: s.framework.clone(),
            key: s.key.clone(),
            label: s.label.clone(),
        }
    }
}

/// One mention of a skill in a text.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillMentionDto {
    pub skill: ExtractSkillRefDto,
    /// Character offsets into the text (end exclusive).
    pub start: usize,
    pub end: usize,
    /// The text at those offsets.
    pub text: String,
    /// The label matched, or for a paraphrase the label its words cover.
    pub matched: String,
    /// "preferred", "alternative" or "hidden".
    pub label_kind: &'static str,
    /// "label" (the label is in the text, up to stems), "phrase" (the label's words after its
    /// verb, or a noun label's words before its last, are in the text) or "paraphrase" (the
    /// words of a clause cover most of the label's words).
    pub signal: &'static str,
    /// For a paraphrase, the words that led to it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
    /// Inside a negation ("no budget responsibility"): reported, not counted.
    pub negated: bool,
    pub confidence: f32,
    /// In a text gap, "exact" or "close" when the mention is of another skill that an accepted
    /// mapping makes the required one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapped: Option<&'static str>,
}

impl From<&crate::SkillMention> for SkillMentionDto {
    fn from(m: &crate::SkillMention) -> SkillMentionDto {
        SkillMentionDto {
            skill: ExtractSkillRefDto::from(&*m.skill),
            start: m.start,
            end: m.end,
            text: m.text.clone(),
            matched: m.matched.clone(),
            label_kind: m.label_kind,
            signal: m.signal,
            words: m.words.clone(),
            negated: m.negated,
            confidence: rounded(m.confidence),
            mapped: m.mapped,
        }
    }
}

/// A skill the text evidences.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractedSkillDto {
    pub skill: ExtractSkillRefDto,
    /// Mentions not negated.
    pub mentions: usize,
    /// The highest confidence of its mentions.
    pub confidence: f32,
    /// The signals that found it.
    pub signals: Vec<&'static str>,
}

/// The skills a text mentions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractDto {
    /// Every skill the text evidences (negated mentions not counted), most confident first.
    pub skills: Vec<ExtractedSkillDto>,
    /// Every mention in text order, negated ones included.
    pub mentions: Vec<SkillMentionDto>,
}

impl From<&crate::ExtractReport> for ExtractDto {
    fn from(r: &crate::ExtractReport) -> ExtractDto {
        ExtractDto {
            skills: r
                .skills
                .iter()
                .map(|s| ExtractedSkillDto {
                    skill: ExtractSkillRefDto::from(&*s.skill),
                    mentions: s.mentions,
                    confidence: rounded(s.confidence),
                    signals: s.signals.clone(),
                })
                .collect(),
            mentions: r.mentions.iter().map(SkillMentionDto::from).collect(),
        }
    }
}

/// One requirement of a role and what a text says of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextGapLineDto {
    pub skill: i64,
    pub key: String,
    pub label: String,
    pub importance: &'static str,
    pub evidenced: bool,
    /// The mentions that evidence it.
    pub evidence: Vec<SkillMentionDto>,
    /// Mentions inside a negation, which do not count.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub negated: Vec<SkillMentionDto>,
}

/// A text against a role: the requirements it evidences and those it does not.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextGapDto {
    pub role: RoleSummaryDto,
    pub source: String,
    /// Essential requirements evidenced, of all essential requirements.
    pub essential_evidenced: usize,
    pub essential: usize,
    pub optional_evidenced: usize,
    pub optional: usize,
    pub lines: Vec<TextGapLineDto>,
}

impl From<&crate::TextGap> for TextGapDto {
    fn from(g: &crate::TextGap) -> TextGapDto {
        let ((essential_evidenced, essential), (optional_evidenced, optional)) = g.coverage();
        TextGapDto {
            role: RoleSummaryDto::from(&g.role.summary_view()),
            source: g.source.clone(),
            essential_evidenced,
            essential,
            optional_evidenced,
            optional,
            lines: g
                .lines
                .iter()
                .map(|l| TextGapLineDto {
                    skill: l.skill.0,
                    key: l.key.clone(),
                    label: l.label.clone(),
                    importance: l.importance.as_str(),
                    evidenced: !l.evidence.is_empty(),
                    evidence: l.evidence.iter().map(SkillMentionDto::from).collect(),
                    negated: l.negated.iter().map(SkillMentionDto::from).collect(),
                })
                .collect(),
        }
    }
}

/// One line of `rolemap extract --jsonl` output: the document's id as given, and what it mentions.
#[derive(Debug, Serialize)]
pub struct ExtractLineDto<'a> {
    pub id: &'a serde_json::Value,
    #[serde(flatten)]
    pub extract: ExtractDto,
}

/// A suggested mapping between a concept of one framework and a skill of another, to review.
#[derive(Debug, Serialize, ToSchema)]
pub struct MappingSuggestionDto {
    pub from_framework: String,
    /// A skill's key, or `role-key#duty-number` for a duty statement.
    pub from_key: String,
    /// A skill's preferred label, or the duty statement.
    pub from_label: String,
    pub to_framework: String,
    pub to_key: String,
    pub to_label: String,
    /// "exact", "close" or "related".
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// 0 to 1.
    pub confidence: f32,
    /// The words the suggestion rests on, rarest first.
    pub why: Vec<String>,
}

impl From<&crate::MappingSuggestion> for MappingSuggestionDto {
    fn from(s: &crate::MappingSuggestion) -> MappingSuggestionDto {
        MappingSuggestionDto {
            from_framework: s.from_framework.clone(),
            from_key: s.from_key.clone(),
            from_label: s.from_label.clone(),
            to_framework: s.to_framework.clone(),
            to_key: s.to_key.clone(),
            to_label: s.to_label.clone(),
            kind: s.kind.as_str(),
            confidence: rounded(s.confidence),
            why: s.why.clone(),
        }
    }
}

/// What storing a reviewed mappings file did.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedMappingsDto {
    /// Accepted rows stored (new or restated).
    pub applied: usize,
    /// Rows without an accepting decision, left out.
    pub ignored: usize,
}

impl From<&crate::AppliedMappings> for AppliedMappingsDto {
    fn from(a: &crate::AppliedMappings) -> AppliedMappingsDto {
        AppliedMappingsDto {
            applied: a.applied,
            ignored: a.ignored,
        }
    }
}
