//! What the web pages read and write beyond the story of `main.rs`: ESCO's hierarchies and
//! collections, framework bundles read back, drafts published as versions, kept objects,
//! rejected mappings and user roles; each body on both backends.

use std::sync::Arc;

use rolemap_core::{Mapping, MappingKind};
use rolemap_formats::{builtin, write_framework};
use rolemap_store::{
    Actor, DraftUpdate, EscoPillar, MappingDecision, NewDraft, NewUser, Store, UserRole,
};

use super::{NOW, TestDb, cross::esco_fixture, with_builtin};

async fn esco_store(db: &TestDb) -> Arc<dyn Store> {
    let store = db.open().await;
    store
        .import_esco(&esco_fixture(), &Actor::cli(), NOW)
        .await
        .expect("esco");
    store
}

both! {
    async fn the_isco_tree_opens_a_level_at_a_time_with_counts_below(db: &TestDb) {
        let store = esco_store(db).await;
        let top = store
            .esco_branch(EscoPillar::Occupations, None, 0, 10)
            .await
            .expect("store")
            .unwrap_or_else(|| panic!("no ESCO"));
        let codes: Vec<&str> = top.children.iter().map(|c| c.link.code.as_str()).collect();
        assert_eq!(codes, ["1", "2"]);
        assert_eq!(top.total, 2);
        assert_eq!(top.children[0].narrower, 1);
        let unit = store
            .esco_branch(
                EscoPillar::Occupations,
                Some("http://data.europa.eu/esco/isco/C1330"),
                0,
                10,
            )
            .await
            .expect("store")
            .unwrap_or_else(|| panic!("no group"));
        assert_eq!(unit.children.len(), 1);
        let manager = &unit.children[0];
        assert_eq!(manager.link.label, "ICT operations manager");
        assert!(manager.link.role.is_some());
        // Its team leader is an occupation below it.
        assert_eq!(manager.narrower, 1);
        let path: Vec<&str> = unit.path.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(path, ["1", "13", "133"]);
        assert_eq!(unit.parent.map(|p| p.code), Some("1330".to_owned()));
        let unknown = store
            .esco_branch(EscoPillar::Occupations, Some("http://nowhere"), 0, 10)
            .await
            .expect("store");
        assert!(unknown.is_none());
    }
}

both! {
    async fn a_skill_group_lists_its_skills_a_page_at_a_time(db: &TestDb) {
        let store = esco_store(db).await;
        let top = store
            .esco_branch(EscoPillar::Skills, None, 0, 10)
            .await
            .expect("store")
            .unwrap_or_else(|| panic!("no ESCO"));
        let codes: Vec<&str> = top.children.iter().map(|c| c.link.code.as_str()).collect();
        assert_eq!(codes, ["K", "S", "T"]);
        let ict = "http://data.europa.eu/esco/skill/K06";
        let first = store
            .esco_branch(EscoPillar::Skills, Some(ict), 0, 1)
            .await
            .expect("store")
            .unwrap_or_else(|| panic!("no group"));
        assert_eq!(first.total, 2);
        let second = store
            .esco_branch(EscoPillar::Skills, Some(ict), 1, 1)
            .await
            .expect("store")
            .unwrap_or_else(|| panic!("no group"));
        let labels: Vec<&str> = first
            .children
            .iter()
            .chain(&second.children)
            .map(|c| c.link.label.as_str())
            .collect();
        assert_eq!(labels, ["ITIL", "Python (computer programming)"]);
        assert!(first.children[0].link.skill.is_some());
    }
}

both! {
    async fn collections_count_and_list_their_skills(db: &TestDb) {
        let store = esco_store(db).await;
        let collections = store
            .esco_collections()
            .await
            .expect("store");
        let digital = collections
            .iter()
            .find(|(tag, _)| tag == "digital")
            .unwrap_or_else(|| panic!("{collections:?}"));
        assert_eq!(digital.1, 2);
        let (total, page) = store
            .esco_collection("digital", 0, 1)
            .await
            .expect("store");
        assert_eq!(total, 2);
        assert_eq!(page.len(), 1);
        assert!(page[0].skill.is_some());
    }
}

both! {
    async fn drafts_publish_as_versions_and_bundles_read_back(db: &TestDb) {
        let store = with_builtin(db).await;
        let odp = store
            .framework_bundle("odp", None)
            .await
            .expect("bundle")
            .expect("odp stored");
        let builtin_odp = builtin::frameworks()
            .expect("read")
            .into_iter()
            .find(|b| b.framework.key == "odp")
            .expect("odp");
        assert_eq!(odp.roles.len(), builtin_odp.roles.len());
        assert_eq!(odp.skills.len(), builtin_odp.skills.len());
        assert!(store.framework_bundle("nope", None).await.expect("read").is_none());

        let mut next = odp.clone();
        next.framework.version = "2099".into();
        let document = write_framework(&next);
        let draft = store
            .add_framework_draft(
                &NewDraft {
                    framework_key: "odp".into(),
                    version: "2099".into(),
                    based_on: "odp 2024".into(),
                    document: document.clone(),
                    created_by: None,
                },
                &Actor::cli(),
                NOW,
            )
            .await
            .expect("draft");
        assert_eq!(
            store.framework_drafts().await.expect("drafts"),
            std::slice::from_ref(&draft)
        );
        let edited = store
            .update_framework_draft(
                &DraftUpdate {
                    id: draft.id,
                    framework_key: "odp",
                    version: "2099",
                    document: &document,
                    changes: &["framework changed (description)".to_owned()],
                },
                &Actor::cli(),
                "2026-01-02T00:00:00Z",
            )
            .await
            .expect("update");
        assert_eq!(edited.updated_at, "2026-01-02T00:00:00Z");
        let outcome = store
            .publish_framework_draft(draft.id, &next, &Actor::cli(), "2026-01-03T00:00:00Z")
            .await
            .expect("publish");
        assert!(outcome.created, "{outcome:?}");
        let published = store.framework_draft(draft.id).await.expect("draft");
        assert_eq!(published.published_at.as_deref(), Some("2026-01-03T00:00:00Z"));
        let latest = store
            .framework_bundle("odp", None)
            .await
            .expect("bundle")
            .expect("odp");
        assert_eq!(latest.framework.version, "2099");
        assert_eq!(latest.roles.len(), odp.roles.len());
    }
}

both! {
    async fn kept_objects_rejections_and_roles_are_stored_as_written(db: &TestDb) {
        use rolemap_formats::kept::KeptObject;
        let store = with_builtin(db).await;
        let mut bundle = builtin::frameworks()
            .expect("read")
            .into_iter()
            .find(|b| b.framework.key == "standards")
            .expect("standards");
        bundle.framework.key = "kept".into();
        let objects = vec![
            KeptObject {
                kind: "collection".into(),
                identifier: "c1".into(),
                json: "{\"name\":\"Caf\u{e9} \\t 😀\"}".into(),
            },
            KeptObject {
                kind: "skill".into(),
                identifier: "s1".into(),
                json: "{}".into(),
            },
        ];
        store
            .import_kept(&bundle, "rsd", &objects, &Actor::cli(), NOW)
            .await
            .expect("import kept");
        assert_eq!(
            store.kept_objects("kept", "rsd").await.expect("kept"),
            Some(objects)
        );
        assert_eq!(store.kept_objects("odp", "rsd").await.expect("kept"), None);

        let odp = store.skill_texts("odp").await.expect("odp skills");
        let (a, b, c) = (odp[0].0, odp[1].0, odp[2].0);
        let stored = store
            .decide_mappings(
                &[
                    MappingDecision::Accept(Mapping {
                        from: a,
                        to: b,
                        kind: MappingKind::Close,
                        confidence: 0.5,
                    }),
                    MappingDecision::Reject { from: a, to: c },
                ],
                "reviewed.csv",
                &Actor::cli(),
                NOW,
            )
            .await
            .expect("decide");
        assert_eq!(stored, 2);
        assert_eq!(store.mapping_rejections().await.expect("rejections"), [(a, c)]);
        // Deciding the other way turns a rejection into a mapping.
        store
            .decide_mappings(
                &[MappingDecision::Accept(Mapping {
                    from: a,
                    to: c,
                    kind: MappingKind::Related,
                    confidence: 0.25,
                })],
                "again.csv",
                &Actor::cli(),
                NOW,
            )
            .await
            .expect("decide again");
        assert!(store.mapping_rejections().await.expect("rejections").is_empty());
        assert_eq!(store.mappings().await.expect("mappings").len(), 2);

        let user = store
            .add_user(
                &NewUser {
                    username: "ann".into(),
                    display_name: "Ann".into(),
                    email: String::new(),
                    role: UserRole::Employee,
                    person: None,
                    password_hash: "h".into(),
                    demo: false,
                },
                &Actor::cli(),
                NOW,
            )
            .await
            .expect("user");
        let promoted = store
            .set_user_role(user.id, UserRole::Manager, &Actor::cli(), NOW)
            .await
            .expect("role");
        assert_eq!(promoted.role, UserRole::Manager);
        assert_eq!(store.user(user.id).await.expect("user").role, UserRole::Manager);
    }
}
