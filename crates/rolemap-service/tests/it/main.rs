//! Services over a real store: behaviour that spans resolution, caching and analyses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

mod extract;
mod mapped;

use rolemap_service::{InputFile, Service};
use rolemap_store::SqliteStore;

const NOW: &str = "2026-04-01T00:00:00Z";

pub(crate) async fn service() -> Service {
    let store = SqliteStore::in_memory().await.expect("store");
    let service = Service::new(Arc::new(store));
    service
        .init(true, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("init");
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
        .import_frameworks(&[file], &rolemap_store::Actor::cli(), NOW)
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
        recorded_by: None,
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
        .add_person_assessed(&input, &bad, &rolemap_store::Actor::cli(), NOW)
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
        .add_person_assessed(
            &input,
            &[item(&skill, "P")],
            &rolemap_store::Actor::cli(),
            NOW,
        )
        .await
        .expect("stored");
    assert_eq!(person.name, "Robin New");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].person, person.id);
}

const QUERIES: &[&str] = &[
    "opertions manger",
    "manager ICT operations",
    "ops boss",
    "manage a team",
    "staff management",
    "python",
    "team leader",
    "data and insight",
    "infrastructure components",
    "ict",
];

fn esco_fixture() -> rolemap_formats::esco::EscoData {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rolemap-formats/tests/fixtures/esco");
    rolemap_formats::esco::open(
        &[
            fixtures.join("esco-v1.1.1-classification"),
            fixtures.join("esco-v1.1.1-relations"),
        ],
        rolemap_formats::esco::EscoOptions::default(),
        &mut |_, _| {},
    )
    .expect("fixture reads")
}

async fn answers(service: &Service) -> Vec<Vec<rolemap_service::SearchResult>> {
    let mut all = Vec::new();
    for text in QUERIES {
        all.push(
            service
                .search(&rolemap_service::SearchInput {
                    text: (*text).to_owned(),
                    kind: None,
                    framework: None,
                    limit: 20,
                })
                .await
                .expect("search"),
        );
    }
    all
}

/// The index an ESCO import builds beside its transaction is kept, and answers exactly as one
/// built afterwards from what was stored.
#[tokio::test]
async fn the_index_built_on_import_is_kept_and_equals_one_built_from_the_store() {
    let store = Arc::new(SqliteStore::in_memory().await.expect("store"));
    let service = Service::new(store.clone());
    service
        .init(false, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("init");
    let outcome = service
        .import_esco(
            std::sync::Arc::new(esco_fixture()),
            &rolemap_store::Actor::cli(),
            NOW,
        )
        .await
        .expect("import");
    assert!(outcome.created);
    let generation = service.frameworks_generation().await.expect("generation");
    let kept = rolemap_store::Store::search_index_files(&*store, generation)
        .await
        .expect("read kept");
    assert!(kept.is_some(), "the import keeps the index");
    let from_import = answers(&service).await;
    assert!(from_import.iter().all(|a| !a.is_empty()));
    assert_eq!(from_import[2][0].label, "ICT operations manager");
    assert_eq!(from_import[2][0].field, "hidden");

    // A new process opens what was kept.
    let reopened = Service::new(store.clone());
    assert_eq!(answers(&reopened).await, from_import);

    // And an index built from the store, as after any other change, answers the same.
    let texts = rolemap_store::Store::concept_texts(&*store)
        .await
        .expect("texts");
    let rebuilt =
        rolemap_search::SearchIndex::build(texts.into_iter().map(|t| rolemap_search::SearchDoc {
            kind: match t.kind {
                rolemap_store::ConceptKind::Role => rolemap_search::Kind::Role,
                rolemap_store::ConceptKind::Skill => rolemap_search::Kind::Skill,
            },
            id: t.id,
            framework: t.framework_key,
            key: t.key,
            preferred: t.label,
            alternative: t.alternative,
            hidden: t.hidden,
            description: t.description,
        }))
        .expect("build");
    for (text, expected) in QUERIES.iter().zip(&from_import) {
        let hits = rebuilt
            .search(&rolemap_search::Query::new(*text).limit(20))
            .expect("search");
        let got: Vec<(i64, &str, &str, f32)> = hits
            .iter()
            .map(|h| (h.id, h.key.as_str(), h.matched.as_str(), h.score))
            .collect();
        let want: Vec<(i64, &str, &str, f32)> = expected
            .iter()
            .map(|r| (r.id, r.key.as_str(), r.matched.as_str(), r.score))
            .collect();
        assert_eq!(got, want, "{text}");
    }

    // Once another framework is imported, the kept index no longer answers for it.
    service
        .import_frameworks(
            &[InputFile {
                name: "mine.toml".into(),
                text: "[framework]\nkey = \"mine\"\nname = \"Mine\"\nversion = \"1\"\nsource = \"t\"\nlicence = \"none\"\nattribution = \"t\"\n\n[[roles]]\nkey = \"ops-boss\"\ntitle = \"Night shift supervisor\"\n".into(),
            }], &rolemap_store::Actor::cli(),
            NOW)
        .await
        .expect("import mine");
    let night = service
        .search(&rolemap_service::SearchInput {
            text: "nigth shift".into(),
            kind: None,
            framework: None,
            limit: 5,
        })
        .await
        .expect("search");
    assert_eq!(night[0].label, "Night shift supervisor");
}

#[tokio::test]
async fn neighbour_lists_are_kept_for_new_processes_and_never_served_stale() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.db");
    let store = Arc::new(SqliteStore::open(&path).await.expect("store"));
    let service = Service::new(store.clone());
    service
        .init(false, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("init");
    let summary = |s: &rolemap_service::SimilarRoles| {
        s.neighbours
            .iter()
            .map(|n| (n.role.id, (n.score * 1000.0).round() as i64, n.moved_people))
            .collect::<Vec<_>>()
    };
    let before = service
        .similar("odp:team-leader", None, 5)
        .await
        .expect("similar");
    use rolemap_store::Store;
    let generation = store.frameworks_generation().await.expect("generation");
    assert!(
        store
            .neighbour_lists("odp", generation)
            .await
            .expect("lists")
            .is_some()
    );
    // A new process reads the kept lists and answers the same.
    let other = Service::new(Arc::new(SqliteStore::open(&path).await.expect("reopen")));
    let again = other
        .similar("odp:team-leader", None, 5)
        .await
        .expect("similar");
    assert_eq!(summary(&again), summary(&before));

    // Observed movements change the frameworks generation: the kept lists no longer answer, and
    // the next question computes (and keeps) lists that count the movements.
    let moves = InputFile {
        name: "moves.csv".into(),
        text: "from,to,count\nodp:team-leader,odp:business-management,30\n".into(),
    };
    service
        .import_transitions(&moves, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("transitions");
    let after = store.frameworks_generation().await.expect("generation");
    assert_ne!(after, generation);
    for g in [generation, after] {
        assert!(
            store
                .neighbour_lists("odp", g)
                .await
                .expect("lists")
                .is_none()
        );
    }
    // Both services, the one that held the old lists in memory included.
    for s in [&service, &other] {
        let now = s
            .similar("odp:team-leader", None, 5)
            .await
            .expect("similar");
        assert_eq!(now.neighbours[0].role.key, "business-management");
        assert_eq!(now.neighbours[0].moved_people, 30);
    }
    assert!(
        store
            .neighbour_lists("odp", after)
            .await
            .expect("lists")
            .is_some()
    );
}

#[tokio::test]
async fn routes_are_answered_from_the_kept_lists_and_explained() {
    let service = service().await;
    let input = rolemap_service::RouteInput {
        from: Some("odp:team-leader"),
        person: None,
        to: "odp:operations-manager",
        framework: None,
        max_steps: 4,
        min_similarity: 0.15,
        k: 3,
    };
    let answer = service.routes(&input).await.expect("routes");
    assert_eq!(answer.routes[0].steps.len(), 1);
    let step = &answer.routes[0].steps[0];
    assert_eq!(step.role.key, "operations-manager");
    assert_eq!(step.change, rolemap_core::seniority::Change::Up);
    assert!(step.cost > 0.0);
    assert!((answer.routes[0].cost - step.cost).abs() < 1e-6);
    // Deterministic: asked again, the same routes.
    let again = service.routes(&input).await.expect("routes");
    let keys = |r: &rolemap_service::Routes| {
        r.routes
            .iter()
            .map(|x| x.steps.iter().map(|s| s.role.id).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&again), keys(&answer));
    for bad in [
        rolemap_service::RouteInput {
            max_steps: 0,
            ..input.clone()
        },
        rolemap_service::RouteInput {
            k: 0,
            ..input.clone()
        },
        rolemap_service::RouteInput {
            min_similarity: -0.5,
            ..input.clone()
        },
        rolemap_service::RouteInput {
            from: None,
            ..input.clone()
        },
    ] {
        assert!(service.routes(&bad).await.is_err(), "{bad:?}");
    }
}

#[tokio::test]
async fn title_codes_follow_imports() {
    let service = service().await;
    let codes = service
        .code_title("sous chef", None, 3)
        .await
        .expect("code");
    assert!(codes.iter().all(|c| c.framework != "kitchen"), "{codes:?}");
    let file = InputFile {
        name: "kitchen.toml".into(),
        text: r#"
[framework]
key = "kitchen"
name = "Kitchen"
version = "1"
source = "test"
licence = "none"
attribution = "test"

[[roles]]
key = "sous-chef"
title = "Sous chef"
alt_titles = ["Second chef"]
"#
        .into(),
    };
    service
        .import_frameworks(&[file], &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("import");
    let codes = service
        .code_title("2nd chef sous", Some("kitchen"), 3)
        .await
        .expect("code");
    assert_eq!(codes[0].key, "sous-chef", "{codes:?}");
    let batch = service
        .code_titles(vec!["second chef".into(), "sous chef".into()], None, 1)
        .await
        .expect("codes");
    assert_eq!(batch.len(), 2);
    assert_eq!(batch[0][0].matched, "Second chef", "{batch:?}");
    assert_eq!(batch[0][0].field, "alternative");
    assert_eq!(batch[1][0].framework, "kitchen");
    let error = service
        .code_title(" ", None, 3)
        .await
        .expect_err("an empty title");
    assert!(error.to_string().starts_with("title:"), "{error}");
}

#[tokio::test]
async fn who_manages_whom_from_memory_is_what_the_store_says() {
    let service = service().await;
    let people = service.store().people().await.expect("people");
    assert!(people.len() > 3, "the demo team is loaded");
    let mut managed = 0;
    for manager in &people {
        for person in &people {
            let kept = service.manages(manager.id, person.id).await.expect("kept");
            let stored = service
                .store()
                .manages(manager.id, person.id)
                .await
                .expect("stored");
            assert_eq!(kept, stored, "{} manages {}", manager.key, person.key);
            managed += usize::from(kept);
        }
    }
    // Through others too: the demo's top manager reaches people two levels down.
    assert!(managed > people.len(), "{managed} pairs");
}
