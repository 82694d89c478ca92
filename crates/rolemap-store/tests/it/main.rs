//! The store's story: one sequence of imports, reads and failed writes, checked against the SQLite
//! backend. Any backend added later must pass the same story.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::Path;

use rolemap_core::bundle::{AssessmentDef, ConceptRef, Origin, PeopleBundle, PersonDef};
use rolemap_core::{RequiredLevel, Source};
use rolemap_formats::{builtin, read_framework};
use rolemap_store::{RoleFilter, SqliteStore, Store, StoreError};

mod accounts;
mod audit;
mod people_admin;
mod plans;

const NOW: &str = "2026-01-01T00:00:00Z";

async fn open(path: &Path) -> SqliteStore {
    SqliteStore::open(path).await.expect("open store")
}

async fn with_builtin(path: &Path) -> SqliteStore {
    let store = open(path).await;
    let bundles = builtin::frameworks().expect("built-in frameworks read");
    store
        .import_frameworks(&bundles, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("import built-in");
    store
}

fn person(key: &str, role: Option<&str>, grade: Option<&str>, manager: Option<&str>) -> PersonDef {
    PersonDef {
        key: key.to_owned(),
        name: key.to_uppercase(),
        role: role.map(ConceptRef::parse),
        grade: grade.map(str::to_owned),
        manager: manager.map(str::to_owned),
        team: String::new(),
        origin: Origin {
            file: "people.toml".into(),
            line: 3,
            field: format!("people[{key}]"),
        },
    }
}

fn assessment(person: &str, skill: &str, level: &str, at: &str) -> AssessmentDef {
    AssessmentDef {
        person: person.to_owned(),
        skill: ConceptRef::parse(skill),
        level: level.to_owned(),
        source: Source::SelfAssessed,
        at: at.to_owned(),
        note: String::new(),
        origin: Origin {
            file: "people.toml".into(),
            line: 9,
            field: "assessments[0]".into(),
        },
    }
}

#[tokio::test]
async fn builtin_import_survives_reopening_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("rolemap.db");
    {
        let store = with_builtin(&path).await;
        let again = store
            .import_frameworks(
                &builtin::frameworks().expect("read"),
                &rolemap_store::Actor::cli(),
                NOW,
            )
            .await
            .expect("second import");
        assert!(again.iter().all(|o| !o.created), "{again:?}");
    }
    let store = open(&path).await;
    let frameworks = store.frameworks().await.expect("frameworks");
    let keys: Vec<&str> = frameworks.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(
        keys,
        vec!["esco-extract", "odp", "ops-compared", "standards"]
    );
    let odp = frameworks.iter().find(|f| f.key == "odp").expect("odp");
    assert_eq!((odp.role_count, odp.skill_count), (13, 12));
}

#[tokio::test]
async fn roles_round_trip_with_blank_cells_and_links() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = with_builtin(&dir.path().join("r.db")).await;
    let roles = store
        .roles(&RoleFilter {
            framework: Some("odp".into()),
            family: None,
        })
        .await
        .expect("roles");
    let id = roles
        .iter()
        .find(|r| r.key == "business-management")
        .expect("role")
        .id;
    let role = store.role(id).await.expect("role");
    assert_eq!(role.grades, vec!["EO", "HEO", "SEO", "G7"]);
    let comms = role
        .requirements
        .iter()
        .find(|r| r.skill.label == "Connections and communication")
        .expect("requirement");
    let codes: Vec<Option<&str>> = comms
        .levels
        .iter()
        .map(|(_, l)| l.level().map(|l| l.code()))
        .collect();
    assert_eq!(codes, vec![Some("W"), Some("P"), None, None]);
    assert_eq!(comms.required_at(Some("G7")), RequiredLevel::NotSpecified);

    let team_leader = roles
        .iter()
        .find(|r| r.key == "team-leader")
        .expect("team leader")
        .id;
    let ops = roles
        .iter()
        .find(|r| r.key == "operations-manager")
        .expect("ops")
        .id;
    let ops = store.role(ops).await.expect("ops manager");
    assert!(
        ops.links
            .iter()
            .any(|l| l.incoming && l.other.id == team_leader),
        "Team Leader is a route into Operations Manager: {:?}",
        ops.links
    );
    assert!(
        ops.links
            .iter()
            .any(|l| l.other.framework_key == "standards")
    );
}

#[tokio::test]
async fn a_bad_link_rolls_back_the_whole_batch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(&dir.path().join("b.db")).await;
    let text = r#"
[framework]
key = "mine"
name = "Mine"
version = "1"
source = "test"
licence = "none"
attribution = "test"

[[roles]]
key = "a"
title = "A"

[[links]]
from = "a"
to = "odp:team-leader"
kind = "route"
"#;
    let bundle = read_framework(text, "mine.toml").expect("reads");
    let err = store
        .import_frameworks(&[bundle], &rolemap_store::Actor::cli(), NOW)
        .await
        .expect_err("link target is missing");
    let StoreError::Invalid(problems) = err else {
        panic!("expected invalid, got {err:?}")
    };
    assert_eq!(problems.0.len(), 1);
    assert_eq!(problems.0[0].file, "mine.toml");
    assert_eq!(problems.0[0].line, 15);
    assert!(
        problems.0[0]
            .message
            .contains("no role 'team-leader' in framework 'odp'")
    );
    assert!(
        store.frameworks().await.expect("frameworks").is_empty(),
        "nothing stored"
    );

    // With the other framework in the same batch the link resolves.
    let mut bundles = builtin::frameworks().expect("read");
    bundles.push(read_framework(text, "mine.toml").expect("reads"));
    store
        .import_frameworks(&bundles, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("batch with both ends");
    assert_eq!(store.frameworks().await.expect("frameworks").len(), 5);
}

#[tokio::test]
async fn people_import_is_all_or_nothing_and_reports_every_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = with_builtin(&dir.path().join("p.db")).await;
    let bundle = PeopleBundle {
        demo: false,
        people: vec![
            person("boss", Some("odp:operations-manager"), Some("G7"), None),
            person("lead", Some("odp:team-leader"), Some("G6"), Some("boss")),
            person("ghost", Some("odp:no-such-role"), None, Some("nobody")),
        ],
        assessments: vec![
            assessment("boss", "odp:data-and-insight", "E", NOW),
            assessment("boss", "odp:data-and-insight", "Z", NOW),
        ],
    };
    let err = store
        .import_people(&bundle, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect_err("invalid");
    let StoreError::Invalid(problems) = err else {
        panic!("expected invalid, got {err:?}")
    };
    let codes: Vec<&str> = problems.0.iter().map(|p| p.code).collect();
    assert_eq!(
        codes,
        vec![
            "unknown-grade",
            "unknown-role",
            "unknown-person",
            "invalid-level"
        ]
    );
    assert!(
        store.people().await.expect("people").is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn reports_follow_the_hierarchy_and_assessments_are_append_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("h.db");
    let store = with_builtin(&path).await;
    let bundle = PeopleBundle {
        demo: true,
        people: vec![
            person("boss", Some("odp:operations-manager"), Some("G7"), None),
            person("lead", Some("odp:team-leader"), Some("heo"), Some("boss")),
            person(
                "agent",
                Some("odp:front-line-help-and-advice"),
                Some("AO"),
                Some("lead"),
            ),
        ],
        assessments: vec![
            assessment("agent", "odp:data-and-insight", "a", "2026-01-01T00:00:00Z"),
            assessment("agent", "odp:data-and-insight", "W", "2026-02-01T00:00:00Z"),
        ],
    };
    let outcome = store
        .import_people(&bundle, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("import");
    assert_eq!((outcome.people, outcome.assessments), (3, 2));

    let people = store.people().await.expect("people");
    let boss = people.iter().find(|p| p.key == "boss").expect("boss");
    let lead = people.iter().find(|p| p.key == "lead").expect("lead");
    assert_eq!(
        lead.grade.as_deref(),
        Some("HEO"),
        "grade stored in the ladder's spelling"
    );
    assert!(lead.demo);
    let reports: Vec<String> = store
        .reports(boss.id)
        .await
        .expect("reports")
        .into_iter()
        .map(|p| p.key)
        .collect();
    assert_eq!(reports, vec!["agent", "lead"]);
    let agent_id = people.iter().find(|p| p.key == "agent").expect("agent").id;
    // `manages` walks the same chain upwards: through others, and never sideways or down.
    for (manager, person, expected) in [
        (boss.id, agent_id, true),
        (lead.id, agent_id, true),
        (boss.id, lead.id, true),
        (agent_id, lead.id, false),
        (lead.id, boss.id, false),
        (lead.id, lead.id, false),
    ] {
        assert_eq!(
            store.manages(manager, person).await.expect("manages"),
            expected,
            "{manager:?} above {person:?}"
        );
    }

    let agent = people.iter().find(|p| p.key == "agent").expect("agent");
    let history = store.assessments(agent.id).await.expect("history");
    let levels: Vec<(&str, u8)> = history
        .iter()
        .map(|a| (a.level.code(), a.level.rank()))
        .collect();
    assert_eq!(levels, vec![("A", 1), ("W", 2)]);

    // The schema itself refuses to rewrite history.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("raw connection");
    let update = sqlx::query("UPDATE assessments SET level_code = 'E'")
        .execute(&pool)
        .await;
    assert!(update.is_err(), "assessments must be append-only");
    let delete = sqlx::query("DELETE FROM assessments").execute(&pool).await;
    assert!(delete.is_err(), "assessments must be append-only");
}

#[tokio::test]
async fn a_commit_by_another_process_changes_the_generation_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("g.db");
    let reader = open(&path).await;
    let writer = open(&path).await;
    let before = reader.frameworks_generation().await.expect("generation");
    assert_eq!(
        reader.frameworks_generation().await.expect("generation"),
        before,
        "stable while nothing changes"
    );
    let bundles = builtin::frameworks().expect("read");
    writer
        .import_frameworks(&bundles, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("import");
    let after = reader.frameworks_generation().await.expect("generation");
    assert_ne!(
        before, after,
        "the reader must see the writer's import at once"
    );
    // Another writer commit of something else (people) leaves the generation as it is.
    let bundle = PeopleBundle {
        demo: false,
        people: vec![person("solo", None, None, None)],
        assessments: Vec::new(),
    };
    writer
        .import_people(&bundle, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("people");
    assert_eq!(
        reader.frameworks_generation().await.expect("generation"),
        after
    );
}

#[tokio::test]
async fn bands_levels_and_neighbour_lists_of_the_builtin_framework() {
    use rolemap_core::seniority::{Basis, Change, change};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = with_builtin(&dir.path().join("r.db")).await;
    let roles = store.roles(&RoleFilter::default()).await.expect("roles");
    let id = |key: &str| {
        roles
            .iter()
            .find(|r| format!("{}:{}", r.framework_key, r.key) == key)
            .unwrap_or_else(|| panic!("no {key}"))
            .id
    };
    let bands = store.role_bands("odp").await.expect("bands");
    let band = |key: &str| {
        bands
            .iter()
            .find(|(r, _)| *r == id(key))
            .and_then(|(_, b)| b.clone())
            .unwrap_or_else(|| panic!("no band for {key}"))
    };
    let leader = band("odp:team-leader");
    assert!(matches!(leader.basis, Basis::Grades(_)), "{leader:?}");
    let manager = band("odp:operations-manager");
    assert_eq!(leader.change_to(&manager), Change::Up);
    assert_eq!(change(Some(&manager), Some(&leader)), Change::Down);
    let standards = store.role_bands("standards").await.expect("bands");
    assert!(
        standards
            .iter()
            .all(|(_, b)| b.as_ref().is_some_and(|b| b.basis == Basis::Level))
    );

    // ODP sets a level per grade: a Team Leader's levels rise from EO to SEO.
    let levels = store.requirement_levels("odp").await.expect("levels");
    let leader_levels: Vec<_> = levels
        .iter()
        .filter(|l| l.role == id("odp:team-leader"))
        .collect();
    assert_eq!(leader_levels.len(), 5, "{leader_levels:?}");
    assert!(
        leader_levels
            .iter()
            .all(|l| l.low <= l.high && l.high <= l.ranks)
    );
    assert!(
        store
            .requirement_levels("esco-extract")
            .await
            .expect("levels")
            .is_empty()
    );

    // Neighbour lists stand for one frameworks generation only.
    let generation = store.frameworks_generation().await.expect("generation");
    assert!(
        store
            .neighbour_lists("odp", generation)
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        !store
            .keep_neighbour_lists("odp", generation + 1, b"x")
            .await
            .expect("keep")
    );
    assert!(
        store
            .keep_neighbour_lists("odp", generation, b"lists")
            .await
            .expect("keep")
    );
    assert!(
        !store
            .keep_neighbour_lists("nope", generation, b"x")
            .await
            .expect("keep")
    );
    assert_eq!(
        store
            .neighbour_lists("odp", generation)
            .await
            .expect("read")
            .as_deref(),
        Some(&b"lists"[..])
    );
    assert!(
        store
            .neighbour_lists("standards", generation)
            .await
            .expect("read")
            .is_none()
    );
    let bundles = vec![
        read_framework(
            "[framework]\nkey = \"extra\"\nname = \"Extra\"\nversion = \"1\"\nsource = \"s\"\n\
             licence = \"l\"\nattribution = \"a\"\ndescription = \"d\"\n",
            "extra.toml",
        )
        .expect("framework"),
    ];
    store
        .import_frameworks(&bundles, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("import");
    let after = store.frameworks_generation().await.expect("generation");
    assert_ne!(after, generation);
    for g in [generation, after] {
        assert!(
            store
                .neighbour_lists("odp", g)
                .await
                .expect("read")
                .is_none()
        );
    }
}

#[tokio::test]
async fn mappings_are_one_per_pair_restated_on_reapply_and_move_the_generation_on() {
    use rolemap_core::{Mapping, MappingKind};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = with_builtin(&dir.path().join("m.db")).await;
    let odp = store.skill_texts("odp").await.expect("odp skills");
    let esco = store
        .skill_texts("esco-extract")
        .await
        .expect("extract skills");
    assert!(odp.windows(2).all(|w| w[0].1 <= w[1].1), "ordered by key");
    let mapping = |kind, confidence| Mapping {
        from: odp[0].0,
        to: esco[0].0,
        kind,
        confidence,
    };
    let before = store.frameworks_generation().await.expect("generation");
    let stored = store
        .apply_mappings(
            &[mapping(MappingKind::Related, 0.3)],
            "a.csv",
            &rolemap_store::Actor::cli(),
            NOW,
        )
        .await
        .expect("apply");
    assert_eq!(stored, 1);
    let after = store.frameworks_generation().await.expect("generation");
    assert_ne!(before, after);
    store
        .apply_mappings(
            &[mapping(MappingKind::Close, 0.75)],
            "b.csv",
            &rolemap_store::Actor::cli(),
            NOW,
        )
        .await
        .expect("apply again");
    assert_eq!(
        store.mappings().await.expect("mappings"),
        [mapping(MappingKind::Close, 0.75)]
    );
    // A skill mapped to itself is refused by the schema, and nothing of the batch is kept.
    let itself = Mapping {
        to: odp[0].0,
        ..mapping(MappingKind::Exact, 1.0)
    };
    let second = Mapping {
        from: odp[1].0,
        ..mapping(MappingKind::Exact, 1.0)
    };
    assert!(
        store
            .apply_mappings(
                &[second, itself],
                "c.csv",
                &rolemap_store::Actor::cli(),
                NOW
            )
            .await
            .is_err()
    );
    assert_eq!(store.mappings().await.expect("mappings").len(), 1);
}
