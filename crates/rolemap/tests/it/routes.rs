//! Routes whose explanations match their numbers: a step's reasons, the skills a person is told
//! to gain, and where routes that step down stand.

use serde_json::Value;

use crate::{Db, array, json, ok};

fn via(step: &Value) -> Vec<String> {
    array(step, "via")
        .iter()
        .map(|v| v.as_str().expect("via").to_owned())
        .collect()
}

#[test]
fn a_step_with_no_skills_in_common_does_not_claim_similar_skills() {
    let db = Db::init();
    let answer = json(
        &db.path,
        &[
            "routes",
            "odp:team-leader",
            "odp:operations-director",
            "--k",
            "5",
        ],
    );
    let mut director = 0;
    for route in array(&answer, "routes") {
        for step in array(route, "steps") {
            let reasons = via(step).join("; ");
            if step["role"]["key"] == "operations-director" {
                director += 1;
                // The SCS capabilities share no skill with an Operations Manager's.
                assert!(!reasons.contains("similar skills"), "{step}");
                assert!(reasons.contains("no skills in common"), "{step}");
                // The score is the named route's floor, and says so.
                assert!(reasons.contains("the least a named link scores"), "{step}");
            }
            if reasons.contains("similar skills") {
                assert!(!array(step, "shared").is_empty(), "{step}");
            }
        }
    }
    assert!(director > 0, "{answer}");
}

#[test]
fn a_person_rated_expert_in_a_skill_is_not_told_to_gain_it() {
    let db = Db::demo();
    // Aisha Rahman is rated Expert in the core skill "Data and insight"; an Operations Director
    // requires the SCS capability of the same name.
    let answer = json(
        &db.path,
        &[
            "routes",
            "--person",
            "aisha-rahman",
            "--to",
            "odp:operations-director",
        ],
    );
    let last = array(&array(&answer, "routes")[0], "steps")
        .last()
        .expect("a step")
        .clone();
    assert_eq!(last["role"]["key"], "operations-director", "{last}");
    for gain in array(&last, "to_gain") {
        let skill = gain["skill"].as_str().expect("skill");
        assert!(!skill.starts_with("Data and insight"), "{last}");
    }
    let namesakes = array(&last, "namesakes");
    assert_eq!(namesakes.len(), 1, "{last}");
    assert_eq!(namesakes[0]["kind"], "capability", "{last}");
    assert_eq!(namesakes[0]["met_kind"], "skill", "{last}");
    assert_eq!(namesakes[0]["met_level"], "E", "{last}");

    let text = ok(
        &db.path,
        &[
            "routes",
            "--person",
            "aisha-rahman",
            "--to",
            "odp:operations-director",
        ],
    );
    assert!(
        text.contains("Same name, another skill (1): Data and insight (the capability"),
        "{text}"
    );
    assert!(text.contains("is held at E"), "{text}");
    assert!(!text.contains("To gain (7)"), "{text}");
}

#[test]
fn a_step_down_says_why_it_is_shown_after_the_routes_that_climb() {
    let db = Db::init();
    let answer = json(
        &db.path,
        &[
            "routes",
            "odp:team-leader",
            "odp:operations-director",
            "--k",
            "5",
        ],
    );
    let mut stepped_down = false;
    for route in array(&answer, "routes") {
        let down = array(route, "steps").iter().any(|s| s["level"] == "below");
        // Every route that steps down comes after every route that does not.
        assert!(!stepped_down || down, "{answer}");
        stepped_down |= down;
        for step in array(route, "steps")
            .iter()
            .filter(|s| s["level"] == "below")
        {
            assert!(
                via(step)
                    .iter()
                    .any(|v| v.starts_with("a step down: shown after the 2 routes")),
                "{step}"
            );
        }
    }
    assert!(stepped_down, "{answer}");
}
