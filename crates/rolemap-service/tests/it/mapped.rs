//! Accepted mappings in the gap features: a person's assessment of a skill counts for a required
//! skill of another framework that a mapping makes the same (read on the required skill's scale),
//! and a text's mention of one evidences the other.

use rolemap_service::{InputFile, PersonInput, Service};

use crate::{NOW, service};

const FRAMEWORK: &str = r#"
[framework]
key = "mine"
name = "Mine"
version = "1"
source = "test"
licence = "none"
attribution = "test"

[[scales]]
key = "five"
name = "Five levels"

[[scales.levels]]
code = "1"
name = "Novice"
descriptor = "Starting."

[[scales.levels]]
code = "2"
name = "Beginner"
descriptor = "With help."

[[scales.levels]]
code = "3"
name = "Competent"
descriptor = "Alone."

[[scales.levels]]
code = "4"
name = "Proficient"
descriptor = "Guides others."

[[scales.levels]]
code = "5"
name = "Expert"
descriptor = "Sets the standard."

[[skills]]
key = "insight"
label = "Evidence-led decisions"
description = "Choosing on the strength of measured results."
kind = "skill"
scale = "five"

[[roles]]
key = "analyst"
title = "Analyst"

[[roles.requirements]]
skill = "insight"
importance = "essential"
level = "4"
"#;

const MAPPINGS: &str = "from_framework,from_key,to_framework,to_key,type,confidence,decision
odp,data-and-insight,mine,insight,close,0.8,accept
";

async fn setup() -> Service {
    let service = service().await;
    service
        .import_frameworks(
            &[InputFile {
                name: "mine.toml".into(),
                text: FRAMEWORK.into(),
            }],
            &rolemap_store::Actor::cli(),
            NOW,
        )
        .await
        .expect("import");
    service
        .add_person(
            &PersonInput {
                name: "Sam Okafor".into(),
                role: None,
                grade: None,
                manager: None,
                team: None,
                email: None,
                same_name: false,
            },
            &rolemap_store::Actor::cli(),
            NOW,
        )
        .await
        .expect("person");
    service
        .assess(
            "Sam Okafor",
            "odp:data-and-insight",
            "P",
            rolemap_core::Source::Manager,
            "",
            &rolemap_store::Actor::cli(),
            NOW,
        )
        .await
        .expect("assess");
    service
}

async fn apply(service: &Service) {
    service
        .apply_mappings(
            &InputFile {
                name: "reviewed.csv".into(),
                text: MAPPINGS.into(),
            },
            &rolemap_store::Actor::cli(),
            NOW,
        )
        .await
        .expect("mappings");
}

#[tokio::test]
async fn an_assessment_of_a_mapped_skill_counts_read_on_the_required_scale() {
    let service = setup().await;
    let before = service
        .gap("Sam Okafor", Some("mine:analyst"), None)
        .await
        .expect("gap");
    assert_eq!(before.lines[0].status.as_str(), "unassessed");
    assert_eq!(before.readiness, Some(0.0));

    apply(&service).await;
    let after = service
        .gap("Sam Okafor", Some("mine:analyst"), None)
        .await
        .expect("gap");
    let line = &after.lines[0];
    // Practitioner is 3 of 4 on the ODP scale: three quarters of the way up five levels is 4.
    let held = line.held.as_ref().expect("held through the mapping");
    assert_eq!(held.current.level.code(), "4");
    let via = held.via.as_ref().expect("via");
    assert_eq!(via.kind.as_str(), "close");
    assert_eq!(via.assessed.as_ref().map(|l| l.code()), Some("P"));
    assert_eq!(line.status.as_str(), "met");
    assert_eq!(after.readiness, Some(100.0));
    assert!(
        line.why
            .contains("as Data and insight (core skill), mapped close"),
        "{}",
        line.why
    );
    assert!(
        line.why
            .contains("assessed Practitioner (P) on its own scale"),
        "{}",
        line.why
    );
}

#[tokio::test]
async fn a_mention_of_a_mapped_skill_evidences_the_required_one() {
    let service = setup().await;
    let text = "Five years of data and insight work for the board.";
    let before = service
        .text_gap("cv.txt", text, "mine:analyst")
        .await
        .expect("gap");
    assert!(before.lines[0].evidence.is_empty());

    apply(&service).await;
    let after = service
        .text_gap("cv.txt", text, "mine:analyst")
        .await
        .expect("gap");
    let evidence = &after.lines[0].evidence;
    assert_eq!(evidence.len(), 1, "{evidence:?}");
    assert_eq!(evidence[0].text, "data and insight");
    assert_eq!(evidence[0].skill.framework, "odp");
    assert_eq!(evidence[0].mapped, Some("close"));
}
