//! Reviews, goals and review cycles: each write keeps its rules (one review per self-rating, only
//! a self-rating reviewed, another person's goal not found, a cycle closed once) and records its
//! audit entries in its own transaction.

use rolemap_core::bundle::PeopleBundle;
use rolemap_core::{PersonId, Source};
use rolemap_store::{
    Actor, AuditFilter, CycleScope, GoalChange, NewCycle, NewGoal, NewReview, PeopleScope,
    ReviewOutcome, Store, StoreError,
};

use std::sync::Arc;

use super::{NOW, TestDb, assessment, person, with_builtin};

const LATER: &str = "2026-02-01T00:00:00Z";

/// Boss with Lead below them; Lead has rated themselves on one skill.
async fn team(db: &TestDb) -> (Arc<dyn Store>, PersonId, i64) {
    let store = with_builtin(db).await;
    let bundle = PeopleBundle {
        demo: false,
        people: vec![
            person("boss", Some("odp:operations-manager"), Some("G7"), None),
            person("lead", Some("odp:team-leader"), Some("HEO"), Some("boss")),
        ],
        assessments: vec![assessment("lead", "odp:data-and-insight", "W", NOW)],
    };
    store
        .import_people(&bundle, &Actor::cli(), NOW)
        .await
        .expect("people");
    let lead = store
        .people()
        .await
        .expect("people")
        .into_iter()
        .find(|p| p.key == "lead")
        .expect("lead")
        .id;
    let own = store.assessments(lead).await.expect("history")[0].id;
    (store, lead, own)
}

both! {
    async fn a_review_records_a_manager_rating_once_and_only_for_a_self_rating(db: &TestDb) {
        let (store, lead, own) = team(db).await;
        let history = store.assessments(lead).await.expect("history");
        let level = history[0].level.clone();
        let review = |self_rating: i64, person: PersonId| NewReview {
            person,
            self_rating,
            level: level.clone(),
            outcome: ReviewOutcome::Agreed,
            note: "Agreed in our one-to-one".to_owned(),
            reviewed_by: None,
        };
        let stored = store
            .add_review(&review(own, lead), &Actor::cli(), LATER)
            .await
            .expect("review");
        assert_eq!(stored.self_rating, own);
        let history = store.assessments(lead).await.expect("history");
        let made = history
            .iter()
            .find(|a| a.id == stored.manager_rating)
            .expect("the manager rating");
        assert_eq!(made.source, Source::Manager);
        assert_eq!(made.note, "Agreed in our one-to-one");
        assert_eq!(made.at, LATER);

        let again = store
            .add_review(&review(own, lead), &Actor::cli(), LATER)
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        let of_manager = store
            .add_review(&review(stored.manager_rating, lead), &Actor::cli(), LATER)
            .await;
        assert!(
            matches!(of_manager, Err(StoreError::Conflict(_))),
            "{of_manager:?}"
        );
        let other = PersonId(lead.0 + 1000);
        let elsewhere = store
            .add_review(&review(own, other), &Actor::cli(), LATER)
            .await;
        assert!(
            matches!(elsewhere, Err(StoreError::NotFound { .. })),
            "{elsewhere:?}"
        );

        let reviews = store
            .reviews(PeopleScope::Person(lead))
            .await
            .expect("reviews");
        assert_eq!(reviews, std::slice::from_ref(&stored));
        let boss = store
            .people()
            .await
            .expect("people")
            .into_iter()
            .find(|p| p.key == "boss")
            .expect("boss")
            .id;
        assert_eq!(
            store.reviews(PeopleScope::Below(boss)).await.expect("team"),
            [stored]
        );
        assert!(
            store
                .reviews(PeopleScope::Below(lead))
                .await
                .expect("none")
                .is_empty()
        );

        // The review's two changes are in the audit log, about the person reviewed.
        let entries = store
            .audit_entries(&AuditFilter {
                person: Some(lead),
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions[..2],
            ["review.add", "assessment.add"],
            "{entries:?}"
        );
    }
}

both! {
    async fn goals_change_only_for_their_person_and_cycles_close_once(db: &TestDb) {
        let (store, lead, _) = team(db).await;
        let skill = store
            .skill_by_key("odp", "data-and-insight")
            .await
            .expect("skill")
            .expect("stored");
        let target = store
            .skill(skill)
            .await
            .expect("skill")
            .assessment_scale()
            .parse("P")
            .expect("level");
        let goal = store
            .add_goal(
                &NewGoal {
                    person: lead,
                    skill,
                    target,
                    due: "2026-06-30".to_owned(),
                    note: String::new(),
                    created_by: None,
                },
                &Actor::cli(),
                NOW,
            )
            .await
            .expect("goal");
        assert_eq!(goal.target.code(), "P");
        let change = GoalChange {
            dropped: Some(true),
            ..GoalChange::default()
        };
        let other = PersonId(lead.0 + 1000);
        let refused = store
            .update_goal(other, goal.id, &change, &Actor::cli(), LATER)
            .await;
        assert!(
            matches!(refused, Err(StoreError::NotFound { .. })),
            "{refused:?}"
        );
        let dropped = store
            .update_goal(lead, goal.id, &change, &Actor::cli(), LATER)
            .await
            .expect("dropped");
        assert!(dropped.dropped);
        assert_eq!(dropped.due, "2026-06-30", "what was not asked stays");

        let cycle = store
            .open_cycle(
                &NewCycle {
                    name: "Spring".to_owned(),
                    starts: "2026-03-01".to_owned(),
                    ends: "2026-03-31".to_owned(),
                    scope: CycleScope::List(vec![lead]),
                    opened_by: None,
                },
                &Actor::cli(),
                NOW,
            )
            .await
            .expect("cycle");
        assert_eq!(cycle.scope, CycleScope::List(vec![lead]));
        store
            .close_cycle(cycle.id, &Actor::cli(), LATER)
            .await
            .expect("closed");
        let twice = store.close_cycle(cycle.id, &Actor::cli(), LATER).await;
        assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
        let listed = store.cycles().await.expect("cycles");
        assert_eq!(listed[0].closed_at.as_deref(), Some(LATER));
    }
}

both! {
    async fn every_review_goal_and_cycle_written_moves_the_people_generation_on(db: &TestDb) {
        // What is kept per people generation (a team's waiting reviews, goals due, the current
        // cycle) must be worked out again after any of these writes.
        let (store, lead, own) = team(db).await;
        let generation = || async { store.people_generation().await.expect("generation") };
        let skill = store
            .skill_by_key("odp", "data-and-insight")
            .await
            .expect("skill")
            .expect("stored");
        let target = store
            .skill(skill)
            .await
            .expect("skill")
            .assessment_scale()
            .parse("P")
            .expect("level");
        let mut seen = generation().await;
        let mut moved = |now: i64, what: &str| {
            assert!(now > seen, "{what} left the people generation at {seen}");
            seen = now;
        };
        let goal = store
            .add_goal(
                &NewGoal {
                    person: lead,
                    skill,
                    target,
                    due: "2026-06-30".to_owned(),
                    note: String::new(),
                    created_by: None,
                },
                &Actor::cli(),
                NOW,
            )
            .await
            .expect("goal");
        moved(generation().await, "adding a goal");
        let change = GoalChange {
            note: Some("Shadow the weekly report".to_owned()),
            ..GoalChange::default()
        };
        store
            .update_goal(lead, goal.id, &change, &Actor::cli(), LATER)
            .await
            .expect("changed");
        moved(generation().await, "changing a goal");
        let cycle = store
            .open_cycle(
                &NewCycle {
                    name: "Spring".to_owned(),
                    starts: "2026-03-01".to_owned(),
                    ends: "2026-03-31".to_owned(),
                    scope: CycleScope::Everyone,
                    opened_by: None,
                },
                &Actor::cli(),
                NOW,
            )
            .await
            .expect("cycle");
        moved(generation().await, "opening a cycle");
        store
            .close_cycle(cycle.id, &Actor::cli(), LATER)
            .await
            .expect("closed");
        moved(generation().await, "closing a cycle");
        let level = store.assessments(lead).await.expect("history")[0].level.clone();
        store
            .add_review(
                &NewReview {
                    person: lead,
                    self_rating: own,
                    level,
                    outcome: ReviewOutcome::Agreed,
                    note: String::new(),
                    reviewed_by: None,
                },
                &Actor::cli(),
                LATER,
            )
            .await
            .expect("review");
        moved(generation().await, "a review");
    }
}

both! {
    async fn erasure_takes_reviews_and_goals_and_keeps_a_team_cycle_as_its_people(db: &TestDb) {
        let (store, lead, own) = team(db).await;
        let boss = store
            .people()
            .await
            .expect("people")
            .into_iter()
            .find(|p| p.key == "boss")
            .expect("boss")
            .id;
        let level = store.assessments(lead).await.expect("history")[0]
            .level
            .clone();
        store
            .add_review(
                &NewReview {
                    person: lead,
                    self_rating: own,
                    level: level.clone(),
                    outcome: ReviewOutcome::Agreed,
                    note: String::new(),
                    reviewed_by: None,
                },
                &Actor::cli(),
                LATER,
            )
            .await
            .expect("review");
        let skill = store
            .skill_by_key("odp", "data-and-insight")
            .await
            .expect("skill")
            .expect("stored");
        store
            .add_goal(
                &NewGoal {
                    person: lead,
                    skill,
                    target: level,
                    due: "2026-06-30".to_owned(),
                    note: "Lead the weekly report".to_owned(),
                    created_by: None,
                },
                &Actor::cli(),
                NOW,
            )
            .await
            .expect("goal");
        let cycle = store
            .open_cycle(
                &NewCycle {
                    name: "Spring".to_owned(),
                    starts: "2026-03-01".to_owned(),
                    ends: "2026-03-31".to_owned(),
                    scope: CycleScope::Team(boss),
                    opened_by: None,
                },
                &Actor::cli(),
                NOW,
            )
            .await
            .expect("cycle");

        store
            .erase_person(lead, "erased-one", &Actor::cli(), LATER)
            .await
            .expect("erase lead");
        let scope = PeopleScope::Below(boss);
        assert!(store.reviews(scope).await.expect("reviews").is_empty());
        assert!(store.goals(scope).await.expect("goals").is_empty());

        // Erasing the head of a team cycle leaves the cycle over the people who were below them.
        let bundle = PeopleBundle {
            demo: false,
            people: vec![person(
                "new-lead",
                Some("odp:team-leader"),
                Some("HEO"),
                Some("boss"),
            )],
            assessments: vec![],
        };
        store
            .import_people(&bundle, &Actor::cli(), LATER)
            .await
            .expect("new lead");
        let new_lead = store
            .people()
            .await
            .expect("people")
            .into_iter()
            .find(|p| p.key == "new-lead")
            .expect("new lead")
            .id;
        store
            .erase_person(boss, "erased-two", &Actor::cli(), LATER)
            .await
            .expect("erase boss");
        let kept = store
            .cycles()
            .await
            .expect("cycles")
            .into_iter()
            .find(|c| c.id == cycle.id)
            .expect("the cycle stays");
        assert_eq!(kept.scope, CycleScope::List(vec![new_lead]));
    }
}
