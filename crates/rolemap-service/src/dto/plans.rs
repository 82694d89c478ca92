//! The JSON shapes of reviews of self-ratings, development goals and review cycles.

use rolemap_store::{Cycle, CycleScope};
use serde::Serialize;
use utoipa::ToSchema;

use super::{AssessmentDto, LevelDto, PersonDto};
use crate::{CycleState, GoalProgress, PersonReviews, RatingReview};

/// A self-rating and what its review made of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDto {
    /// "pending" (waiting for review), "agreed" or "changed".
    pub state: &'static str,
    pub skill: String,
    pub skill_id: i64,
    pub self_rating: AssessmentDto,
    /// The manager rating the review recorded (its note says why, when changed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager_rating: Option<AssessmentDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed_at: Option<String>,
}

impl From<&RatingReview> for ReviewDto {
    fn from(r: &RatingReview) -> ReviewDto {
        ReviewDto {
            state: r.done.as_ref().map_or("pending", |d| d.outcome.as_str()),
            skill: r.self_rating.skill_label.clone(),
            skill_id: r.self_rating.skill.0,
            self_rating: AssessmentDto::from(&r.self_rating),
            manager_rating: r
                .done
                .as_ref()
                .map(|d| AssessmentDto::from(&d.manager_rating)),
            reviewed_at: r.done.as_ref().map(|d| d.at.clone()),
        }
    }
}

/// A person's self-ratings waiting for review and those reviewed, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonReviewsDto {
    pub person: PersonDto,
    pub pending: Vec<ReviewDto>,
    pub done: Vec<ReviewDto>,
}

impl From<&PersonReviews> for PersonReviewsDto {
    fn from(r: &PersonReviews) -> PersonReviewsDto {
        PersonReviewsDto {
            person: PersonDto::from(&r.person),
            pending: r.pending.iter().map(ReviewDto::from).collect(),
            done: r.done.iter().map(ReviewDto::from).collect(),
        }
    }
}

/// The level that counted after one assessment of a goal's skill.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalPointDto {
    pub at: String,
    pub level: LevelDto,
}

/// A development goal and where the person stands on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalDto {
    pub id: i64,
    pub skill: String,
    pub skill_id: i64,
    pub target: LevelDto,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub note: String,
    /// "met", "on track", "overdue" or "dropped".
    pub status: &'static str,
    /// The level that counts now; absent when the skill is not assessed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<LevelDto>,
    /// The level that counted after each assessment of the skill, oldest first.
    pub progress: Vec<GoalPointDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&GoalProgress> for GoalDto {
    fn from(p: &GoalProgress) -> GoalDto {
        let g = &p.goal;
        GoalDto {
            id: g.id,
            skill: g.skill_label.clone(),
            skill_id: g.skill.0,
            target: LevelDto::from(&g.target),
            due: g.due.clone(),
            note: g.note.clone(),
            status: p.status.as_str(),
            current: p.current.as_ref().map(LevelDto::from),
            progress: p
                .points
                .iter()
                .map(|(at, level)| GoalPointDto {
                    at: at.clone(),
                    level: LevelDto::from(level),
                })
                .collect(),
            created_by: g.created_by.clone(),
            created_at: g.created_at.clone(),
            updated_at: g.updated_at.clone(),
        }
    }
}

/// A review cycle.
#[derive(Debug, Serialize, ToSchema)]
pub struct CycleDto {
    pub id: i64,
    pub name: String,
    /// `YYYY-MM-DD`, the first day.
    pub starts: String,
    /// `YYYY-MM-DD`, the last day.
    pub ends: String,
    /// "everyone", "team" or "list".
    pub scope: &'static str,
    /// For "team": the id of the manager whose team it takes in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager_id: Option<i64>,
    /// For "list": the ids of the people in it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<i64>,
    pub opened_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
}

impl From<&Cycle> for CycleDto {
    fn from(c: &Cycle) -> CycleDto {
        let (manager_id, people) = match &c.scope {
            CycleScope::Everyone => (None, Vec::new()),
            CycleScope::Team(m) => (Some(m.0), Vec::new()),
            CycleScope::List(ids) => (None, ids.iter().map(|p| p.0).collect()),
        };
        CycleDto {
            id: c.id,
            name: c.name.clone(),
            starts: c.starts.clone(),
            ends: c.ends.clone(),
            scope: c.scope.as_str(),
            manager_id,
            people,
            opened_at: c.opened_at.clone(),
            closed_at: c.closed_at.clone(),
        }
    }
}

/// One person of a manager's team in the current cycle.
#[derive(Debug, Serialize, ToSchema)]
pub struct CycleMemberDto {
    pub person: PersonDto,
    /// The time of their latest self-rating within the cycle; absent if none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_assessed_at: Option<String>,
    /// The time of their latest review within the cycle; absent if none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed_at: Option<String>,
    /// Self-ratings waiting for review now.
    pub waiting: usize,
}

/// The current review cycle as it stands for a manager's team.
#[derive(Debug, Serialize, ToSchema)]
pub struct CycleStateDto {
    pub cycle: CycleDto,
    pub manager: PersonDto,
    pub people: Vec<CycleMemberDto>,
}

impl From<&CycleState> for CycleStateDto {
    fn from(s: &CycleState) -> CycleStateDto {
        CycleStateDto {
            cycle: CycleDto::from(&s.cycle),
            manager: PersonDto::from(&s.manager),
            people: s
                .members
                .iter()
                .map(|m| CycleMemberDto {
                    person: PersonDto::from(&m.person),
                    self_assessed_at: m.self_assessed.clone(),
                    reviewed_at: m.reviewed.clone(),
                    waiting: m.waiting,
                })
                .collect(),
        }
    }
}

impl CycleStateDto {
    /// The CSV table of the cycle's state: one row per person.
    pub fn csv_table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let header = [
            "cycle",
            "starts",
            "ends",
            "person_key",
            "person",
            "self_assessed",
            "self_assessed_at",
            "reviewed",
            "reviewed_at",
            "waiting_for_review",
        ]
        .map(str::to_owned)
        .to_vec();
        let yes = |v: &Option<String>| if v.is_some() { "yes" } else { "no" }.to_owned();
        let rows = self
            .people
            .iter()
            .map(|m| {
                vec![
                    self.cycle.name.clone(),
                    self.cycle.starts.clone(),
                    self.cycle.ends.clone(),
                    m.person.key.clone(),
                    m.person.name.clone(),
                    yes(&m.self_assessed_at),
                    m.self_assessed_at.clone().unwrap_or_default(),
                    yes(&m.reviewed_at),
                    m.reviewed_at.clone().unwrap_or_default(),
                    m.waiting.to_string(),
                ]
            })
            .collect();
        (header, rows)
    }
}
