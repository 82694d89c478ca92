//! The demo team's reviews and development plans, added by `init --demo` once the demo people
//! are stored: a few newer self-ratings, some waiting for review and some reviewed (one agreed,
//! one changed with a note), and goals due soon, overdue and on track. Times are counted back
//! and forward from the moment of the install, so the team pages show each case whenever the
//! demo is made. None of it changes a level that counts: the reviewed ratings land on the level
//! the manager had already given.

use rolemap_core::PersonId;
use rolemap_store::{Actor, NewAssessment, NewGoal, NewReview, ReviewOutcome};

use crate::goals::{add_days, day_of};
use crate::{Result, Service, ServiceError};

/// Newer self-ratings: (person, skill key in `odp`, level, days before the install, note).
const SELF_RATINGS: &[(&str, &str, &str, i64, &str)] = &[
    (
        "raj-patel",
        "data-and-insight",
        "P",
        3,
        "Built the queue dashboard the team now uses every morning.",
    ),
    (
        "hannah-kowalski",
        "connections-and-communication",
        "P",
        5,
        "Ran this month's induction sessions for new starters.",
    ),
    (
        "mei-chen",
        "adaptability-to-change",
        "P",
        9,
        "Led the switch to the new rota tool.",
    ),
    ("owen-price", "data-and-insight", "W", 8, ""),
];

/// A review in the demo: (person, skill key, the manager's level and note when changed, days
/// before the install).
type DemoReview = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
    i64,
);

/// Reviews of some of those self-ratings. The others wait.
const REVIEWS: &[DemoReview] = &[
    (
        "mei-chen",
        "adaptability-to-change",
        Some((
            "W",
            "Good work on the rota tool; lead a change through on your own next.",
        )),
        6,
    ),
    ("owen-price", "data-and-insight", None, 7),
];

/// Goals: (person, skill key, target, days from the install to the due date, note).
const GOALS: &[(&str, &str, &str, i64, &str)] = &[
    (
        "daniel-mensah",
        "adaptability-to-change",
        "W",
        20,
        "Pair with Raj on the new case system until it feels routine.",
    ),
    (
        "liam-doyle",
        "data-and-insight",
        "W",
        -7,
        "Take over the weekly demand report from Aisha.",
    ),
    (
        "mei-chen",
        "operational-leadership-and-management",
        "W",
        75,
        "Shadow Liam's morning briefings, then run them for a week.",
    ),
    (
        "aisha-rahman",
        "operational-leadership-and-management",
        "E",
        120,
        "Act up as Operations Manager while Grace is on leave.",
    ),
];

/// `now` moved by whole days, as an RFC 3339 time.
fn shifted(now: &str, days: i64) -> String {
    format!(
        "{}{}",
        add_days(day_of(now), days),
        now.get(10..).unwrap_or("")
    )
}

impl Service {
    /// Adds the demo's reviews and plans; called once, right after the demo people are stored.
    pub(crate) async fn add_demo_plans(&self, actor: &Actor, now: &str) -> Result<()> {
        let person = |key: &'static str| async move { self.resolve_person(key).await };
        let skill_id = |key: &'static str| async move {
            self.store.skill_by_key("odp", key).await?.ok_or_else(|| {
                ServiceError::Internal(format!("the demo's skill odp:{key} is not stored"))
            })
        };
        for &(who, key, level, ago, note) in SELF_RATINGS {
            let skill = self.store.skill(skill_id(key).await?).await?;
            let level = skill
                .assessment_scale()
                .parse_held(level)
                .map_err(|e| ServiceError::Internal(format!("the demo's level: {e}")))?;
            self.store
                .add_assessments(
                    &[NewAssessment {
                        person: person(who).await?,
                        skill: skill.id,
                        level,
                        source: rolemap_core::Source::SelfAssessed,
                        at: shifted(now, -ago),
                        note: note.to_owned(),
                        recorded_by: None,
                    }],
                    actor,
                    now,
                )
                .await?;
        }
        for &(who, key, change, ago) in REVIEWS {
            let id: PersonId = person(who).await?;
            let skill = self.store.skill(skill_id(key).await?).await?;
            let history = self.store.assessments(id).await?;
            let Some(own) = history
                .iter()
                .rev()
                .find(|a| a.skill == skill.id && a.source == rolemap_core::Source::SelfAssessed)
            else {
                continue;
            };
            let (level, outcome, note) = match change {
                Some((level, note)) => (
                    skill
                        .assessment_scale()
                        .parse_held(level)
                        .map_err(|e| ServiceError::Internal(format!("the demo's level: {e}")))?,
                    ReviewOutcome::Changed,
                    note.to_owned(),
                ),
                None => (own.level.clone(), ReviewOutcome::Agreed, String::new()),
            };
            self.store
                .add_review(
                    &NewReview {
                        person: id,
                        self_rating: own.id,
                        level,
                        outcome,
                        note,
                        reviewed_by: None,
                    },
                    actor,
                    &shifted(now, -ago),
                )
                .await?;
        }
        for &(who, key, target, days, note) in GOALS {
            let skill = self.store.skill(skill_id(key).await?).await?;
            let target = skill
                .assessment_scale()
                .parse(target)
                .map_err(|e| ServiceError::Internal(format!("the demo's level: {e}")))?;
            self.store
                .add_goal(
                    &NewGoal {
                        person: person(who).await?,
                        skill: skill.id,
                        target,
                        due: add_days(day_of(now), days),
                        note: note.to_owned(),
                        created_by: None,
                    },
                    actor,
                    now,
                )
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::shifted;

    #[test]
    fn times_move_by_days_keeping_the_time_of_day() {
        assert_eq!(shifted("2026-03-01T10:20:30Z", -1), "2026-02-28T10:20:30Z");
    }
}
