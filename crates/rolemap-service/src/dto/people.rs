//! The JSON shapes of people, their assessments and current levels, and a person's gap to a role.

use std::collections::BTreeMap;

use rolemap_core::gap::{GapLine, GapReport};
use rolemap_core::person::Held;
use rolemap_core::{Assessment, Person};
use serde::Serialize;
use utoipa::ToSchema;

use super::{LevelDto, RoleSummaryDto, SkillRefDto};
use crate::PersonDetail;

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
    pub email: Option<String>,
    /// When they were archived; null while active. Archived people are listed only on request.
    pub archived_at: Option<String>,
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
            email: p.email.clone(),
            archived_at: p.archived_at.clone(),
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
    /// The display name of the signed-in user who recorded it; absent for imports and the
    /// command line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
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
            recorded_by: a.recorded_by.clone(),
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
    /// 0 to 100, one decimal; null when the role lists no skill requirements (nothing to be
    /// ready in).
    pub readiness: Option<f64>,
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

/// One person a people import wrote or found unchanged, with the line of their row.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncedPersonDto {
    pub line: usize,
    #[serde(flatten)]
    pub person: PersonDto,
}

impl From<&crate::SyncedPerson> for SyncedPersonDto {
    fn from(s: &crate::SyncedPerson) -> SyncedPersonDto {
        SyncedPersonDto {
            line: s.line,
            person: PersonDto::from(&s.person),
        }
    }
}

/// What a CSV people import did: who was created, updated and left as they were.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleSyncDto {
    pub created: Vec<SyncedPersonDto>,
    pub updated: Vec<SyncedPersonDto>,
    pub unchanged: Vec<SyncedPersonDto>,
}

impl From<&crate::PeopleSync> for PeopleSyncDto {
    fn from(s: &crate::PeopleSync) -> PeopleSyncDto {
        let list = |l: &[crate::SyncedPerson]| l.iter().map(SyncedPersonDto::from).collect();
        PeopleSyncDto {
            created: list(&s.created),
            updated: list(&s.updated),
            unchanged: list(&s.unchanged),
        }
    }
}

/// A named team and its active members.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedTeamDto {
    pub name: String,
    pub members: Vec<PersonDto>,
}

impl From<&crate::NamedTeam> for NamedTeamDto {
    fn from(t: &crate::NamedTeam) -> NamedTeamDto {
        NamedTeamDto {
            name: t.name.clone(),
            members: t.members.iter().map(PersonDto::from).collect(),
        }
    }
}
