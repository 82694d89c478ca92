//! Development plans: goals a person or their manager picks from a gap (a skill, a target level
//! on its scale, a due date, a note), and each goal's progress read from the assessment history.
//!
//! A goal's status: `dropped` when set aside; `met` when the level that counts now (the most
//! trusted source's latest, as `current_levels` says) reaches the target; else `overdue` once
//! the due date has passed, and `on track` until then.

use rolemap_core::person::current_levels;
use rolemap_core::{Assessment, Level};
use rolemap_store::{Actor, Goal, GoalChange, NewGoal, PeopleScope, UserId};

use crate::fields::{check_name, check_note};
use crate::{Result, Service, ServiceError};

/// A goal to set.
#[derive(Debug, Clone, Default)]
pub struct GoalInput {
    /// id, framework:key, key or label.
    pub skill: String,
    /// A level code or name on the skill's scale.
    pub target: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub note: String,
    /// The signed-in user setting it; `None` from the command line.
    pub created_by: Option<UserId>,
}

/// What to change of a goal; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct GoalPatch {
    pub target: Option<String>,
    pub due: Option<String>,
    pub note: Option<String>,
    pub dropped: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalStatus {
    Met,
    OnTrack,
    Overdue,
    Dropped,
}

impl GoalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            GoalStatus::Met => "met",
            GoalStatus::OnTrack => "on track",
            GoalStatus::Overdue => "overdue",
            GoalStatus::Dropped => "dropped",
        }
    }
}

/// A goal with where the person stands on it.
#[derive(Debug, Clone)]
pub struct GoalProgress {
    pub goal: Goal,
    pub status: GoalStatus,
    /// The level that counts now; `None` when the skill is not assessed.
    pub current: Option<Level>,
    /// The level that counted after each assessment of the skill, oldest first: (time, level).
    pub points: Vec<(String, Level)>,
}

/// Checks a `YYYY-MM-DD` date (a real day of the calendar) and gives it back trimmed.
pub fn check_date(field: &str, text: &str) -> Result<String> {
    let text = text.trim();
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format).map_err(|_| {
        ServiceError::invalid(field, format!("'{text}' is not a date as YYYY-MM-DD"))
    })?;
    Ok(text.to_owned())
}

/// The day `days` after (or before) `date` (`YYYY-MM-DD`); the date itself if it does not read.
pub fn add_days(date: &str, days: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(date, &format)
        .ok()
        .and_then(|d| d.checked_add(time::Duration::days(days)))
        .and_then(|d| d.format(&format).ok())
        .unwrap_or_else(|| date.to_owned())
}

/// The calendar day of an RFC 3339 time.
pub fn day_of(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// Where a person stands on a goal, from their history (oldest first), on `today`.
pub(crate) fn progress(goal: Goal, history: &[Assessment], today: &str) -> GoalProgress {
    let mut seen: Vec<Assessment> = Vec::new();
    let mut points = Vec::new();
    for a in history.iter().filter(|a| a.skill == goal.skill) {
        seen.push(a.clone());
        if let Some(held) = current_levels(&seen).remove(&goal.skill) {
            points.push((a.at.clone(), held.current.level));
        }
    }
    let current = points.last().map(|(_, level)| level.clone());
    let met = current
        .as_ref()
        .is_some_and(|level| level.rank() >= goal.target.rank());
    let status = if goal.dropped {
        GoalStatus::Dropped
    } else if met {
        GoalStatus::Met
    } else if goal.due.as_str() < today {
        GoalStatus::Overdue
    } else {
        GoalStatus::OnTrack
    };
    GoalProgress {
        goal,
        status,
        current,
        points,
    }
}

impl Service {
    /// A person's goals by due date, with their progress on `now`'s day.
    pub async fn goals_of(&self, person: &str, now: &str) -> Result<Vec<GoalProgress>> {
        let person = self.person(person).await?;
        let history = self.assessments_shared(person.id).await?;
        let goals = self.store.goals(PeopleScope::Person(person.id)).await?;
        Ok(goals
            .into_iter()
            .map(|g| progress(g, &history, day_of(now)))
            .collect())
    }

    /// Sets a goal for a person. The skill resolves as an assessment's does (narrowed by their
    /// role); the target is a level of its scale; the due date is today or later.
    pub async fn add_goal(
        &self,
        person: &str,
        input: &GoalInput,
        actor: &Actor,
        now: &str,
    ) -> Result<GoalProgress> {
        check_name("skill", &input.skill)?;
        check_name("target", &input.target)?;
        check_note("note", &input.note)?;
        let person = self.person(person).await?;
        let due = check_date("due", &input.due)?;
        if due.as_str() < day_of(now) {
            return Err(ServiceError::invalid(
                "due",
                format!("{due} has passed: give a day from today on"),
            ));
        }
        let role = match &person.role {
            Some(role) => Some(self.role_by_id(role.id).await?),
            None => None,
        };
        let skill_id = self
            .resolve_skill(&input.skill, None, role.as_deref())
            .await?;
        let skill = self.store.skill(skill_id).await?;
        let target = skill
            .assessment_scale()
            .parse(&input.target)
            .map_err(|e| ServiceError::invalid("target", e))?;
        let goal = self
            .store
            .add_goal(
                &NewGoal {
                    person: person.id,
                    skill: skill_id,
                    target,
                    due,
                    note: input.note.trim().to_owned(),
                    created_by: input.created_by,
                },
                actor,
                now,
            )
            .await?;
        let history = self.assessments_shared(person.id).await?;
        Ok(progress(goal, &history, day_of(now)))
    }

    /// Changes one of a person's goals: its target, due date or note, or sets it aside
    /// (`dropped`) or back.
    pub async fn update_goal(
        &self,
        person: &str,
        goal: i64,
        patch: &GoalPatch,
        actor: &Actor,
        now: &str,
    ) -> Result<GoalProgress> {
        let person = self.person(person).await?;
        let goals = self.store.goals(PeopleScope::Person(person.id)).await?;
        let Some(current) = goals.iter().find(|g| g.id == goal) else {
            return Err(ServiceError::NotFound {
                what: "goal",
                name: goal.to_string(),
                suggestions: Vec::new(),
            });
        };
        let target = match &patch.target {
            Some(text) => {
                check_name("target", text)?;
                let skill = self.store.skill(current.skill).await?;
                Some(
                    skill
                        .assessment_scale()
                        .parse(text)
                        .map_err(|e| ServiceError::invalid("target", e))?,
                )
            }
            None => None,
        };
        let due = match &patch.due {
            Some(text) => Some(check_date("due", text)?),
            None => None,
        };
        if let Some(note) = &patch.note {
            check_note("note", note)?;
        }
        let change = GoalChange {
            target,
            due,
            note: patch.note.as_ref().map(|n| n.trim().to_owned()),
            dropped: patch.dropped,
        };
        let stored = self
            .store
            .update_goal(person.id, goal, &change, actor, now)
            .await?;
        let history = self.assessments_shared(person.id).await?;
        Ok(progress(stored, &history, day_of(now)))
    }
}

#[cfg(test)]
mod tests {
    use rolemap_core::{PersonId, SkillId, Source};

    use super::*;

    fn goal(target_rank: u8, due: &str, dropped: bool) -> Goal {
        Goal {
            id: 1,
            person: PersonId(1),
            skill: SkillId(7),
            skill_label: "skill 7".into(),
            target: Level::from_parts(target_rank, "P", "Practitioner"),
            due: due.into(),
            note: String::new(),
            dropped,
            created_by: None,
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    fn rating(id: i64, rank: u8, source: Source, at: &str) -> Assessment {
        Assessment {
            id,
            person: PersonId(1),
            skill: SkillId(7),
            skill_label: "skill 7".into(),
            level: Level::from_parts(rank, format!("L{rank}"), format!("Level {rank}")),
            source,
            at: at.into(),
            note: String::new(),
            recorded_by: None,
        }
    }

    #[test]
    fn progress_follows_the_level_that_counts_and_a_self_rating_does_not_override_a_manager() {
        let history = [
            rating(1, 1, Source::SelfAssessed, "2026-01-01T00:00:00Z"),
            rating(2, 2, Source::Manager, "2026-02-01T00:00:00Z"),
            // A higher self-rating later: the manager's level still counts.
            rating(3, 3, Source::SelfAssessed, "2026-03-01T00:00:00Z"),
        ];
        let p = progress(goal(3, "2026-06-01", false), &history, "2026-04-01");
        let ranks: Vec<u8> = p.points.iter().map(|(_, l)| l.rank()).collect();
        assert_eq!(ranks, [1, 2, 2]);
        assert_eq!(p.status, GoalStatus::OnTrack);
        let late = progress(goal(3, "2026-03-31", false), &history, "2026-04-01");
        assert_eq!(late.status, GoalStatus::Overdue);
        let met = progress(goal(2, "2026-03-31", false), &history, "2026-04-01");
        assert_eq!(met.status, GoalStatus::Met);
        let dropped = progress(goal(2, "2026-03-31", true), &history, "2026-04-01");
        assert_eq!(dropped.status, GoalStatus::Dropped);
    }

    #[test]
    fn a_goal_is_due_through_its_whole_day() {
        let p = progress(goal(3, "2026-04-01", false), &[], "2026-04-01");
        assert_eq!(p.status, GoalStatus::OnTrack);
        assert!(p.points.is_empty() && p.current.is_none());
    }

    #[test]
    fn dates_are_checked_and_counted_on_the_calendar() {
        assert!(check_date("due", "2026-02-30").is_err());
        assert!(check_date("due", "soon").is_err());
        assert_eq!(
            check_date("due", " 2026-02-28 ").ok().as_deref(),
            Some("2026-02-28")
        );
        assert_eq!(add_days("2026-12-20", 30), "2027-01-19");
        assert_eq!(add_days("2026-03-01", -1), "2026-02-28");
    }
}
