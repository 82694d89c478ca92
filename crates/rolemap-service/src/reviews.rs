//! A manager's review of self-ratings: which wait for review, agreeing with one or setting
//! another level with a note, and what came of those reviewed.
//!
//! The rule: a person's latest self-rating of a skill waits for review when no review answers
//! it and no manager rating of that skill was recorded after it (by time, then by the order
//! recorded, as `current_levels` breaks ties). A review records a manager rating (at the
//! self-rating's level when agreed; at another, with the manager's note, when changed) and the
//! link to the self-rating it answers, so what was reviewed is stored, not guessed by time.

use std::collections::{BTreeMap, HashSet};

use rolemap_core::{Assessment, Person, PersonId, SkillId, Source};
use rolemap_store::{Actor, NewReview, PeopleScope, ReviewOutcome, StoredReview, UserId};

use crate::fields::check_note;
use crate::{Result, Service, ServiceError};

/// One self-rating and, once reviewed, what the manager made of it.
#[derive(Debug, Clone)]
pub struct RatingReview {
    pub self_rating: Assessment,
    pub done: Option<ReviewDone>,
}

/// A review recorded: the outcome and the manager rating it made.
#[derive(Debug, Clone)]
pub struct ReviewDone {
    pub id: i64,
    pub outcome: ReviewOutcome,
    pub manager_rating: Assessment,
    pub at: String,
}

/// A person's self-ratings waiting for review, and those reviewed (newest first).
#[derive(Debug, Clone)]
pub struct PersonReviews {
    pub person: Person,
    pub pending: Vec<RatingReview>,
    pub done: Vec<RatingReview>,
}

/// What a manager decides about a self-rating.
#[derive(Debug, Clone)]
pub enum ReviewDecision {
    /// A manager rating at the self-rating's level; the note is optional.
    Agree { note: String },
    /// A manager rating at another level; the note says why and is required.
    Change { level: String, note: String },
}

/// The self-ratings in `history` (oldest first) waiting for review, by skill label.
pub(crate) fn waiting<'a>(
    history: &'a [Assessment],
    reviewed: &HashSet<i64>,
) -> Vec<&'a Assessment> {
    let mut latest: BTreeMap<(SkillId, Source), &Assessment> = BTreeMap::new();
    for a in history {
        let slot = latest.entry((a.skill, a.source)).or_insert(a);
        if (a.at.as_str(), a.id) >= (slot.at.as_str(), slot.id) {
            *slot = a;
        }
    }
    let mut out: Vec<&Assessment> = latest
        .iter()
        .filter(|((_, source), _)| *source == Source::SelfAssessed)
        .map(|(_, a)| *a)
        .filter(|own| !reviewed.contains(&own.id))
        .filter(|own| {
            latest
                .get(&(own.skill, Source::Manager))
                .is_none_or(|m| (own.at.as_str(), own.id) > (m.at.as_str(), m.id))
        })
        .collect();
    out.sort_by(|a, b| {
        (a.skill_label.to_lowercase(), a.skill.0).cmp(&(b.skill_label.to_lowercase(), b.skill.0))
    });
    out
}

/// A person's reviews from their history and the reviews stored of them.
pub(crate) fn person_reviews(
    person: Person,
    history: &[Assessment],
    stored: &[&StoredReview],
) -> PersonReviews {
    let reviewed: HashSet<i64> = stored.iter().map(|r| r.self_rating).collect();
    let pending = waiting(history, &reviewed)
        .into_iter()
        .map(|a| RatingReview {
            self_rating: a.clone(),
            done: None,
        })
        .collect();
    let by_id = |id: i64| history.iter().find(|a| a.id == id);
    let mut done: Vec<RatingReview> = stored
        .iter()
        .filter_map(|r| {
            Some(RatingReview {
                self_rating: by_id(r.self_rating)?.clone(),
                done: Some(ReviewDone {
                    id: r.id,
                    outcome: r.outcome,
                    manager_rating: by_id(r.manager_rating)?.clone(),
                    at: r.at.clone(),
                }),
            })
        })
        .collect();
    done.reverse();
    PersonReviews {
        person,
        pending,
        done,
    }
}

impl Service {
    /// A person's self-ratings waiting for review and those reviewed.
    pub async fn reviews_of(&self, person: &str) -> Result<PersonReviews> {
        let person = self.person(person).await?;
        let history = self.assessments_shared(person.id).await?;
        let stored = self.store.reviews(PeopleScope::Person(person.id)).await?;
        let stored: Vec<&StoredReview> = stored.iter().collect();
        Ok(person_reviews(person, &history, &stored))
    }

    /// Records a manager's review of one of `person`'s self-ratings (an assessment id) that is
    /// waiting for review. `reviewer` is the manager's user, kept as the rating's recorder.
    pub async fn review(
        &self,
        person: &str,
        self_rating: i64,
        decision: &ReviewDecision,
        reviewer: Option<UserId>,
        actor: &Actor,
        now: &str,
    ) -> Result<RatingReview> {
        let reviews = self.reviews_of(person).await?;
        let person_id: PersonId = reviews.person.id;
        let Some(own) = reviews
            .pending
            .iter()
            .map(|r| &r.self_rating)
            .find(|a| a.id == self_rating)
        else {
            let known = self
                .assessments_shared(person_id)
                .await?
                .iter()
                .any(|a| a.id == self_rating && a.source == Source::SelfAssessed);
            return Err(ServiceError::invalid(
                "self_rating",
                if known {
                    format!(
                        "self-rating {self_rating} is not waiting for review: it has been \
                         reviewed, or a later rating stands in its place"
                    )
                } else {
                    format!("{} has no self-rating {self_rating}", reviews.person.name)
                },
            ));
        };
        let skill = self.store.skill(own.skill).await?;
        let (level, outcome, note) = match decision {
            ReviewDecision::Agree { note } => {
                check_note("note", note)?;
                (
                    own.level.clone(),
                    ReviewOutcome::Agreed,
                    note.trim().to_owned(),
                )
            }
            ReviewDecision::Change { level, note } => {
                check_note("note", note)?;
                let level = skill
                    .assessment_scale()
                    .parse_held(level)
                    .map_err(|e| ServiceError::invalid("level", e))?;
                if note.trim().is_empty() {
                    return Err(ServiceError::invalid(
                        "note",
                        "say why the level differs from the self-rating",
                    ));
                }
                // The same level as the self-rating is an agreement, whatever the form said.
                let outcome = if level.code() == own.level.code() {
                    ReviewOutcome::Agreed
                } else {
                    ReviewOutcome::Changed
                };
                (level, outcome, note.trim().to_owned())
            }
        };
        let stored = self
            .store
            .add_review(
                &NewReview {
                    person: person_id,
                    self_rating,
                    level,
                    outcome,
                    note,
                    reviewed_by: reviewer,
                },
                actor,
                now,
            )
            .await?;
        let history = self.assessments_shared(person_id).await?;
        let manager_rating = history
            .iter()
            .find(|a| a.id == stored.manager_rating)
            .cloned()
            .ok_or_else(|| ServiceError::Internal("the review's rating was not stored".into()))?;
        Ok(RatingReview {
            self_rating: own.clone(),
            done: Some(ReviewDone {
                id: stored.id,
                outcome: stored.outcome,
                manager_rating,
                at: stored.at,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use rolemap_core::Level;

    use super::*;

    fn rating(id: i64, skill: i64, source: Source, at: &str) -> Assessment {
        Assessment {
            id,
            person: PersonId(1),
            skill: SkillId(skill),
            skill_label: format!("skill {skill}"),
            level: Level::from_parts(2, "W", "Working"),
            source,
            at: at.to_owned(),
            note: String::new(),
            recorded_by: None,
        }
    }

    fn ids(found: &[&Assessment]) -> Vec<i64> {
        found.iter().map(|a| a.id).collect()
    }

    #[test]
    fn a_self_rating_after_the_latest_manager_rating_waits() {
        let history = [
            rating(1, 7, Source::SelfAssessed, "2026-01-01T00:00:00Z"),
            rating(2, 7, Source::Manager, "2026-02-01T00:00:00Z"),
            rating(3, 7, Source::SelfAssessed, "2026-03-01T00:00:00Z"),
            // Another skill, rated by the manager since: nothing waits.
            rating(4, 8, Source::SelfAssessed, "2026-01-01T00:00:00Z"),
            rating(5, 8, Source::Manager, "2026-01-02T00:00:00Z"),
            // Never rated by a manager: waits.
            rating(6, 9, Source::SelfAssessed, "2026-01-01T00:00:00Z"),
        ];
        assert_eq!(ids(&waiting(&history, &HashSet::new())), [3, 6]);
    }

    #[test]
    fn a_reviewed_self_rating_no_longer_waits_even_at_the_same_second() {
        let history = [
            rating(1, 7, Source::SelfAssessed, "2026-03-01T00:00:00Z"),
            // Recorded after, in the same second: later by the order recorded.
            rating(2, 7, Source::Manager, "2026-03-01T00:00:00Z"),
            rating(3, 8, Source::SelfAssessed, "2026-03-01T00:00:00Z"),
        ];
        assert_eq!(ids(&waiting(&history, &HashSet::new())), [3]);
        assert!(waiting(&history, &HashSet::from([3])).is_empty());
    }

    #[test]
    fn only_the_latest_self_rating_of_a_skill_waits() {
        let history = [
            rating(1, 7, Source::SelfAssessed, "2026-03-01T00:00:00Z"),
            rating(2, 7, Source::SelfAssessed, "2026-03-02T00:00:00Z"),
        ];
        assert_eq!(ids(&waiting(&history, &HashSet::new())), [2]);
    }
}
