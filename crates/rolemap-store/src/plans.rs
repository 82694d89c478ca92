//! Manager reviews of self-ratings, review cycles and development goals as the store keeps them
//! (migration 0019). What is worked out from them (which self-ratings wait, a goal's progress)
//! is the service's.

use rolemap_core::{Level, PersonId, SkillId};

use crate::UserId;

/// Whose reviews or goals to read: one person's, or everyone's below a manager (directly or
/// through others; the manager's own left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeopleScope {
    Person(PersonId),
    Below(PersonId),
}

/// What a manager made of a self-rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    /// A manager rating at the self-rating's level.
    Agreed,
    /// A manager rating at another level, with a note.
    Changed,
}

impl ReviewOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewOutcome::Agreed => "agreed",
            ReviewOutcome::Changed => "changed",
        }
    }

    pub fn parse(text: &str) -> Option<ReviewOutcome> {
        match text {
            "agreed" => Some(ReviewOutcome::Agreed),
            "changed" => Some(ReviewOutcome::Changed),
            _ => None,
        }
    }
}

/// A review to record: the manager rating it makes, checked against the skill's scale.
#[derive(Debug, Clone)]
pub struct NewReview {
    pub person: PersonId,
    /// The self-rating (an assessment id) it answers.
    pub self_rating: i64,
    pub level: Level,
    pub outcome: ReviewOutcome,
    /// Kept as the manager rating's note.
    pub note: String,
    /// The manager's user, kept as the rating's `recorded_by`.
    pub reviewed_by: Option<UserId>,
}

/// A review as stored: the self-rating it answers and the manager rating it recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReview {
    pub id: i64,
    pub person: PersonId,
    pub skill: SkillId,
    pub self_rating: i64,
    pub manager_rating: i64,
    pub outcome: ReviewOutcome,
    pub at: String,
}

/// A development goal to record, the level checked against the skill's scale.
#[derive(Debug, Clone)]
pub struct NewGoal {
    pub person: PersonId,
    pub skill: SkillId,
    pub target: Level,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub note: String,
    pub created_by: Option<UserId>,
}

/// What to change of a goal; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct GoalChange {
    pub target: Option<Level>,
    pub due: Option<String>,
    pub note: Option<String>,
    pub dropped: Option<bool>,
}

/// A development goal as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub id: i64,
    pub person: PersonId,
    pub skill: SkillId,
    pub skill_label: String,
    pub target: Level,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub note: String,
    /// Set aside by the person or their manager; kept, not deleted.
    pub dropped: bool,
    /// The display name of the user who set it; `None` from the command line.
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// Who a review cycle takes in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CycleScope {
    Everyone,
    /// Everyone below this manager, directly or through others, as the tree stands when asked.
    Team(PersonId),
    /// These people, by id order.
    List(Vec<PersonId>),
}

impl CycleScope {
    pub fn as_str(&self) -> &'static str {
        match self {
            CycleScope::Everyone => "everyone",
            CycleScope::Team(_) => "team",
            CycleScope::List(_) => "list",
        }
    }
}

/// A review cycle to open.
#[derive(Debug, Clone)]
pub struct NewCycle {
    pub name: String,
    /// `YYYY-MM-DD`, the first day.
    pub starts: String,
    /// `YYYY-MM-DD`, the last day (inclusive).
    pub ends: String,
    pub scope: CycleScope,
    pub opened_by: Option<UserId>,
}

/// A review cycle as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    pub id: i64,
    pub name: String,
    pub starts: String,
    pub ends: String,
    pub scope: CycleScope,
    pub opened_at: String,
    /// Set once an admin closes it; a closed cycle is never the current one.
    pub closed_at: Option<String>,
}
