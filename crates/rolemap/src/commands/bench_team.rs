//! `rolemap bench-team` (hidden): a large team for the team page's benchmark
//! (`scripts/bench-team.sh`). One head (`bench-head`) with `people` people below them: leads of
//! 49 each, everyone rated on the built-in framework's five core skills by themselves and their
//! manager, half with a newer self-rating waiting for review, a quarter of those reviewed, a goal
//! each (some overdue, some due within 30 days, the rest later) and a review cycle open today.
//! Invented people, marked as demo data.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Context, Result, bail};
use rolemap_core::{PersonId, Source};
use rolemap_service::{GoalInput, GoalPatch, InputFile, Service, add_days, day_of, now};
use rolemap_store::{Actor, CycleScope, NewCycle, NewReview, ReviewOutcome};

/// The built-in framework's core skills, which every role of the team requires.
const SKILLS: [&str; 5] = [
    "connections-and-communication",
    "operational-leadership-and-management",
    "adaptability-to-change",
    "data-and-insight",
    "delivery-and-decision-making-at-pace",
];
const LEVELS: [&str; 4] = ["A", "W", "P", "E"];
/// People under each lead.
const SPAN: usize = 49;

/// The people document of the team: TOML as `rolemap import people` reads it.
fn team_document(people: usize) -> String {
    let leads = people.div_ceil(SPAN + 1).max(1);
    let mut doc = String::from("demo = true\n\n");
    let person = |doc: &mut String,
                  key: &str,
                  name: &str,
                  role: &str,
                  grade: &str,
                  manager: Option<&str>| {
        let _ = write!(
            doc,
            "[[people]]\nkey = \"{key}\"\nname = \"{name}\"\nrole = \"odp:{role}\"\ngrade = \"{grade}\"\nteam = \"Bench (demo)\"\n"
        );
        if let Some(manager) = manager {
            let _ = writeln!(doc, "manager = \"{manager}\"");
        }
        doc.push('\n');
    };
    person(
        &mut doc,
        "bench-head",
        "Bench Head",
        "operations-manager",
        "G7",
        None,
    );
    let mut keys = Vec::with_capacity(people);
    for lead in 0..leads {
        let key = format!("bench-lead-{lead:03}");
        person(
            &mut doc,
            &key,
            &format!("Lead {lead:03}"),
            "team-leader",
            "SEO",
            Some("bench-head"),
        );
        keys.push((key, "bench-head".to_owned()));
    }
    let mut n = 0;
    while keys.len() < people {
        let lead = format!("bench-lead-{:03}", n % leads);
        let key = format!("bench-{n:05}");
        person(
            &mut doc,
            &key,
            &format!("Member {n:05}"),
            "front-line-help-and-advice",
            "EO",
            Some(&lead),
        );
        keys.push((key, lead));
        n += 1;
    }
    for (i, (key, _)) in keys.iter().enumerate() {
        for (s, skill) in SKILLS.iter().enumerate() {
            let level = |k: usize| LEVELS[(i + s + k) % LEVELS.len()];
            for (source, at, l) in [
                ("self", "2026-01-10T09:00:00Z", level(0)),
                ("manager", "2026-02-10T09:00:00Z", level(1)),
            ] {
                let _ = write!(
                    doc,
                    "[[assessments]]\nperson = \"{key}\"\nskill = \"odp:{skill}\"\nlevel = \"{l}\"\nsource = \"{source}\"\nat = \"{at}\"\n\n"
                );
            }
        }
        // Every other person has a newer self-rating, waiting for review.
        if i % 2 == 0 {
            let skill = SKILLS[i % SKILLS.len()];
            let _ = write!(
                doc,
                "[[assessments]]\nperson = \"{key}\"\nskill = \"odp:{skill}\"\nlevel = \"P\"\nsource = \"self\"\nat = \"2026-03-10T09:00:00Z\"\nnote = \"Newer view\"\n\n"
            );
        }
    }
    doc
}

pub(super) async fn run(service: &Service, people: usize, out: &mut dyn Write) -> Result<()> {
    if people == 0 {
        bail!("a bench team needs at least one person");
    }
    if service.person("bench-head").await.is_ok() {
        bail!("the bench team is already in this database");
    }
    let now = now();
    let today = day_of(&now).to_owned();
    let file = InputFile {
        name: "bench-team.toml".to_owned(),
        text: team_document(people),
    };
    let actor = Actor::cli();
    let outcome = service
        .import_people(&file, &actor, &now)
        .await
        .context("importing the bench team")?;
    let store = service.store();
    let team: Vec<(PersonId, String)> = service
        .people()
        .await?
        .into_iter()
        .filter(|p| p.key.starts_with("bench-") && p.key != "bench-head")
        .map(|p| (p.id, p.key))
        .collect();

    // Goals first: reviews move the people generation on, which each goal would read again.
    let mut goals = 0;
    for (i, (_, key)) in team.iter().enumerate() {
        let offset = i64::try_from(i % 90).unwrap_or(0) - 20;
        let input = GoalInput {
            skill: format!("odp:{}", SKILLS[(i + 3) % SKILLS.len()]),
            target: "E".to_owned(),
            due: add_days(&today, offset.max(0) + 1),
            note: "Bench goal".to_owned(),
            created_by: None,
        };
        let added = service.add_goal(key, &input, &actor, &now).await?;
        if offset < 0 {
            let patch = GoalPatch {
                due: Some(add_days(&today, offset)),
                ..GoalPatch::default()
            };
            service
                .update_goal(key, added.goal.id, &patch, &actor, &now)
                .await?;
        }
        goals += 1;
    }

    let mut reviews = 0;
    for (i, (id, _)) in team.iter().enumerate() {
        if i % 8 != 0 {
            continue;
        }
        let history = store.assessments(*id).await?;
        let Some(own) = history
            .iter()
            .rev()
            .find(|a| a.source == Source::SelfAssessed && a.note == "Newer view")
        else {
            continue;
        };
        store
            .add_review(
                &NewReview {
                    person: *id,
                    self_rating: own.id,
                    level: own.level.clone(),
                    outcome: ReviewOutcome::Agreed,
                    note: String::new(),
                    reviewed_by: None,
                },
                &actor,
                &now,
            )
            .await?;
        reviews += 1;
    }
    let head = service.person("bench-head").await?;
    store
        .open_cycle(
            &NewCycle {
                name: "Bench cycle".to_owned(),
                starts: add_days(&today, -30),
                ends: add_days(&today, 30),
                scope: CycleScope::Team(head.id),
                opened_by: None,
            },
            &actor,
            &now,
        )
        .await?;
    writeln!(
        out,
        "Created the bench team below bench-head: {} people, {} assessments, {goals} goals, \
         {reviews} reviews, one open cycle.",
        outcome.people - 1,
        outcome.assessments
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::team_document;

    #[test]
    fn the_team_has_the_size_asked_below_its_head() {
        let doc = team_document(100);
        assert_eq!(doc.matches("[[people]]").count(), 101);
        assert_eq!(doc.matches("manager = \"bench-head\"").count(), 2);
    }
}
