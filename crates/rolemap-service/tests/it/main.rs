//! Services over a real store: behaviour that spans resolution, caching and analyses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use rolemap_service::{InputFile, Service};
use rolemap_store::SqliteStore;

const NOW: &str = "2026-04-01T00:00:00Z";

async fn service() -> Service {
    let store = SqliteStore::in_memory().await.expect("store");
    let service = Service::new(Arc::new(store));
    service.init(true, NOW).await.expect("init");
    service
}

#[tokio::test]
async fn cached_roles_are_never_served_stale() {
    let service = service().await;
    let before = service.role("odp:team-leader", None).await.expect("role");
    let linked =
        |role: &rolemap_core::Role| role.links.iter().any(|l| l.other.framework_key == "mine");
    assert!(!linked(&before));

    let file = InputFile {
        name: "mine.toml".into(),
        text: r#"
[framework]
key = "mine"
name = "Mine"
version = "1"
source = "test"
licence = "none"
attribution = "test"

[[roles]]
key = "supervisor"
title = "Supervisor"

[[links]]
from = "supervisor"
to = "odp:team-leader"
kind = "route"
"#
        .into(),
    };
    service
        .import_frameworks(&[file], NOW)
        .await
        .expect("import");
    let after = service.role("odp:team-leader", None).await.expect("role");
    assert!(
        linked(&after),
        "the new route in must show at once: {:?}",
        after.links
    );
}

#[tokio::test]
async fn ids_keys_and_titles_resolve_to_the_same_role() {
    let service = service().await;
    let by_key = service.role("odp:team-leader", None).await.expect("key");
    let by_id = service
        .role(&by_key.id.to_string(), None)
        .await
        .expect("id");
    let by_title = service.role("TEAM LEADER", None).await.expect("title");
    let in_framework = service
        .role("team-leader", Some("odp"))
        .await
        .expect("framework");
    assert_eq!(by_id.id, by_key.id);
    assert_eq!(by_title.id, by_key.id);
    assert_eq!(in_framework.id, by_key.id);
}

#[tokio::test]
async fn a_newcomer_and_their_ratings_are_stored_together_or_not_at_all() {
    use rolemap_core::Source;
    use rolemap_service::{AssessmentInput, PersonInput};
    let service = service().await;
    let input = PersonInput {
        name: "Robin New".into(),
        ..PersonInput::default()
    };
    let item = |skill: &str, level: &str| AssessmentInput {
        skill: skill.into(),
        level: level.into(),
        source: Source::SelfAssessed,
        note: String::new(),
    };
    let skill = service
        .skill("odp:adaptability-to-change", None)
        .await
        .expect("skill")
        .skill
        .id
        .to_string();
    let bad = [item(&skill, "W"), item(&skill, "Z")];
    let err = service
        .add_person_assessed(&input, &bad, NOW)
        .await
        .expect_err("bad level");
    assert!(err.to_string().contains("assessments[1].level"), "{err}");
    assert!(
        !service
            .people()
            .await
            .expect("people")
            .iter()
            .any(|p| p.name == "Robin New"),
        "nobody stored"
    );

    let (person, stored) = service
        .add_person_assessed(&input, &[item(&skill, "P")], NOW)
        .await
        .expect("stored");
    assert_eq!(person.name, "Robin New");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].person, person.id);
}
