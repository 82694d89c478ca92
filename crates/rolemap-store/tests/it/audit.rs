//! The audit log through the Store trait: every kind of write leaves one entry with who, when,
//! from where, what and the fields before and after, in the write's own transaction; the log
//! and assessments refuse changes outside erasure and the retention purge; and erasure leaves
//! nothing personal behind.

use rolemap_core::bundle::PeopleBundle;
use rolemap_core::{Level, PersonId, Source};
use rolemap_store::{
    Actor, AuditEntry, AuditFilter, NewAssessment, NewPerson, NewUser, Store, StoredSession,
    UserId, UserRole, Via,
};

use std::sync::Arc;

use super::{NOW, TestDb, assessment, person, with_builtin};

const LATER: &str = "2026-02-01T00:00:00Z";

fn admin_at(address: &str) -> Actor {
    Actor {
        user: Some(UserId(1)),
        username: Some("root".to_owned()),
        address: Some(address.to_owned()),
        via: Via::Api,
    }
}

/// The newest entry of `action`, which must exist.
async fn last(store: &Arc<dyn Store>, action: &str) -> AuditEntry {
    store
        .audit_entries(&AuditFilter {
            action: Some(action.to_owned()),
            ..AuditFilter::default()
        })
        .await
        .expect("audit entries")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {action} entry"))
}

fn json(text: &Option<String>) -> serde_json::Value {
    serde_json::from_str(text.as_deref().expect("a JSON value")).expect("JSON")
}

/// The built-in frameworks, the user `root` (id 1, an admin) and two people: `boss` and
/// `agent` reporting to them, with one assessment of the agent.
async fn store(db: &TestDb) -> Arc<dyn Store> {
    let store = with_builtin(db).await;
    let root = NewUser {
        username: "root".to_owned(),
        display_name: "Root".to_owned(),
        email: String::new(),
        role: UserRole::Admin,
        person: None,
        password_hash: "hash".to_owned(),
        demo: false,
    };
    store
        .add_user(&root, &Actor::cli(), NOW)
        .await
        .expect("root");
    let bundle = PeopleBundle {
        demo: false,
        people: vec![
            person("boss", Some("odp:operations-manager"), Some("G7"), None),
            person("agent", Some("odp:team-leader"), Some("heo"), Some("boss")),
        ],
        assessments: vec![assessment("agent", "odp:data-and-insight", "W", NOW)],
    };
    store
        .import_people(&bundle, &admin_at("192.0.2.1"), NOW)
        .await
        .expect("people");
    store
}

async fn id_of(store: &Arc<dyn Store>, key: &str) -> PersonId {
    store
        .people()
        .await
        .expect("people")
        .into_iter()
        .find(|p| p.key == key)
        .expect("person")
        .id
}

both! {
    async fn imports_record_one_entry_per_framework_and_one_per_person_and_assessment(db: &TestDb) {
        let store = store(db).await;
        // The built-in frameworks went in from the command line: one entry each, no rows.
        let frameworks = store
            .audit_entries(&AuditFilter {
                action: Some("framework".to_owned()),
                ..AuditFilter::default()
            })
            .await
            .expect("entries");
        let stored = store.frameworks().await.expect("frameworks");
        assert_eq!(frameworks.len(), stored.len(), "{frameworks:?}");
        let odp = frameworks
            .iter()
            .find(|e| e.subject.starts_with("odp@"))
            .expect("odp entry");
        assert_eq!(
            (odp.via, odp.user, odp.username.as_deref()),
            (Via::Cli, None, None)
        );
        assert!(
            json(&odp.after)["skills"].as_u64().unwrap_or(0) > 0,
            "{odp:?}"
        );

        let agent = id_of(&store, "agent").await;
        let added = last(&store, "person.add").await;
        assert_eq!(added.subject, "agent", "people are recorded in id order");
        assert_eq!(added.person, Some(agent));
        assert_eq!(added.username.as_deref(), Some("root"));
        assert_eq!(added.address.as_deref(), Some("192.0.2.1"));
        assert_eq!(added.at, NOW);
        assert_eq!(added.before, None);
        let after = json(&added.after);
        assert_eq!(
            after["manager"], "boss",
            "the manager set later in the import"
        );
        assert_eq!(after["role"], "odp:team-leader");
        assert_eq!(after["grade"], "HEO");
        let assessed = last(&store, "assessment.add").await;
        assert_eq!(assessed.person, Some(agent));
        let after = json(&assessed.after);
        assert_eq!(
            (
                after["person"].as_str(),
                after["skill"].as_str(),
                after["level"].as_str()
            ),
            (Some("agent"), Some("odp:data-and-insight"), Some("W"))
        );
    }
}

both! {
    async fn adding_people_and_assessments_is_audited_in_their_transaction(db: &TestDb) {
        let store = store(db).await;
        let skill = store
            .skill_by_key("odp", "data-and-insight")
            .await
            .expect("skill")
            .expect("stored");
        let new = NewPerson {
            email: None,
            key: "new".to_owned(),
            name: "New Person".to_owned(),
            role: None,
            grade: None,
            manager: Some(id_of(&store, "boss").await),
            team: "Ops".to_owned(),
        };
        let first = NewAssessment {
            person: PersonId(0),
            skill,
            level: Level::none(),
            source: Source::SelfAssessed,
            at: LATER.to_owned(),
            note: "first".to_owned(),
            recorded_by: None,
        };
        let (added, _) = store
            .add_person(
                &new,
                std::slice::from_ref(&first),
                &admin_at("192.0.2.2"),
                LATER,
            )
            .await
            .expect("add");
        let entry = last(&store, "person.add").await;
        assert_eq!(
            (entry.subject.as_str(), entry.person),
            ("new", Some(added.id))
        );
        assert_eq!(entry.address.as_deref(), Some("192.0.2.2"));
        assert_eq!(json(&entry.after)["manager"], "boss");
        let entry = last(&store, "assessment.add").await;
        assert_eq!(json(&entry.after)["note"], "first");

        let again = NewAssessment {
            person: added.id,
            note: "again".to_owned(),
            ..first
        };
        let stored = store
            .add_assessments(&[again], &admin_at("192.0.2.3"), LATER)
            .await
            .expect("assess");
        let entry = last(&store, "assessment.add").await;
        assert_eq!(entry.subject, format!("assessment:{}", stored[0].id));
        assert_eq!(entry.address.as_deref(), Some("192.0.2.3"));
        assert_eq!(json(&entry.after)["level"], "none");
    }
}

both! {
    async fn a_write_that_fails_leaves_no_entry(db: &TestDb) {
        let store = store(db).await;
        let before = store
            .audit_entries(&AuditFilter::default())
            .await
            .expect("entries")
            .len();
        let taken = NewPerson {
            email: None,
            key: "agent".to_owned(),
            name: "Someone".to_owned(),
            role: None,
            grade: None,
            manager: None,
            team: String::new(),
        };
        store
            .add_person(&taken, &[], &Actor::cli(), LATER)
            .await
            .expect_err("key taken");
        let after = store
            .audit_entries(&AuditFilter::default())
            .await
            .expect("entries");
        assert_eq!(after.len(), before);
    }
}

both! {
    async fn account_writes_are_audited_without_hashes_or_tokens(db: &TestDb) {
        let store = store(db).await;
        let agent = id_of(&store, "agent").await;
        let actor = admin_at("198.51.100.4");
        let ann = NewUser {
            username: "ann".to_owned(),
            display_name: "Ann".to_owned(),
            email: "ann@example.org".to_owned(),
            role: UserRole::Employee,
            person: Some(agent),
            password_hash: "secret-hash".to_owned(),
            demo: false,
        };
        let ann = store.add_user(&ann, &actor, LATER).await.expect("ann");
        let entry = last(&store, "user.add").await;
        assert_eq!((entry.subject.as_str(), entry.person), ("ann", Some(agent)));
        let after = json(&entry.after);
        assert_eq!(
            (after["role"].as_str(), after["person"].as_str()),
            (Some("employee"), Some("agent"))
        );

        store
            .set_user_role(ann.id, UserRole::Manager, &actor, LATER)
            .await
            .expect("role");
        let entry = last(&store, "user.role").await;
        assert_eq!(json(&entry.before)["role"], "employee");
        assert_eq!(json(&entry.after)["role"], "manager");

        store
            .set_user_disabled(ann.id, true, &actor, LATER)
            .await
            .expect("disable");
        let entry = last(&store, "user.disable").await;
        assert_eq!(
            (
                json(&entry.before)["disabled"].as_bool(),
                json(&entry.after)["disabled"].as_bool()
            ),
            (Some(false), Some(true))
        );
        store
            .set_user_disabled(ann.id, false, &actor, LATER)
            .await
            .expect("enable");
        last(&store, "user.enable").await;

        store
            .set_password(ann.id, "another-secret-hash", &actor, LATER)
            .await
            .expect("password");
        let entry = last(&store, "user.password").await;
        assert_eq!((entry.before, entry.after), (None, None));

        let signing_in = Actor {
            user: Some(ann.id),
            username: Some("ann".to_owned()),
            address: Some("203.0.113.9".to_owned()),
            via: Via::Web,
        };
        let session = StoredSession {
            user: ann.id,
            created_at: LATER.to_owned(),
            last_seen_at: LATER.to_owned(),
            expires_at: "2026-02-08T00:00:00Z".to_owned(),
        };
        store
            .add_session(b"session-hash", &session, &signing_in)
            .await
            .expect("session");
        let entry = last(&store, "session.start").await;
        assert_eq!(
            (
                entry.username.as_deref(),
                entry.address.as_deref(),
                entry.at.as_str()
            ),
            (Some("ann"), Some("203.0.113.9"), LATER)
        );
        store
            .delete_session(b"session-hash", Some(&signing_in), LATER)
            .await
            .expect("sign out");
        last(&store, "session.end").await;

        let token = store
            .add_api_token(ann.id, "ci", b"token-hash", &signing_in, LATER)
            .await
            .expect("token");
        let entry = last(&store, "token.create").await;
        assert_eq!(entry.subject, format!("token:{}", token.id));
        assert_eq!(json(&entry.after)["name"], "ci");
        store
            .revoke_api_token(ann.id, token.id, &signing_in, LATER)
            .await
            .expect("revoke");
        let entry = last(&store, "token.revoke").await;
        assert_eq!(json(&entry.before)["revoked_at"], serde_json::Value::Null);
        assert_eq!(json(&entry.after)["revoked_at"], LATER);

        let everything = store
            .audit_entries(&AuditFilter::default())
            .await
            .expect("entries");
        for entry in &everything {
            let text = format!("{:?} {:?}", entry.before, entry.after);
            assert!(!text.contains("hash"), "a hash in the log: {entry:?}");
        }
    }
}

both! {
    async fn mappings_and_transitions_are_one_entry_per_file(db: &TestDb) {
        let store = store(db).await;
        let lead = store
            .role_by_key("odp", "team-leader")
            .await
            .expect("role")
            .expect("stored");
        let manager = store
            .role_by_key("odp", "operations-manager")
            .await
            .expect("role")
            .expect("stored");
        let rows = vec![
            (lead, manager, 3, "survey".to_owned()),
            (manager, lead, 1, "survey".to_owned()),
        ];
        store
            .import_transitions(&rows, &admin_at("192.0.2.5"), LATER)
            .await
            .expect("transitions");
        let entry = last(&store, "transitions.import").await;
        assert_eq!(entry.subject, "survey");
        assert_eq!(json(&entry.after)["movements"], 2);
        assert_eq!(json(&entry.after)["people"], 4);

        let skills = store.skill_texts("odp").await.expect("skills");
        let mapping = rolemap_core::Mapping {
            from: skills[0].0,
            to: skills[1].0,
            kind: rolemap_core::MappingKind::Close,
            confidence: 0.8,
        };
        store
            .apply_mappings(&[mapping], "reviewed.csv", &admin_at("192.0.2.6"), LATER)
            .await
            .expect("mappings");
        let entry = last(&store, "mappings.import").await;
        assert_eq!(entry.subject, "reviewed.csv");
        assert_eq!(json(&entry.after)["mappings"], 1);
    }
}

both! {
    async fn the_log_and_assessments_refuse_changes_outside_the_erasure_path(db: &TestDb) {
        let store = with_builtin(db).await;
        drop(store);
        for sql in [
            "UPDATE audit_log SET subject = 'x'",
            "DELETE FROM audit_log",
        ] {
            let refused = db.execute_raw(sql).await.expect_err(sql);
            assert!(
                refused.to_string().contains("append-only"),
                "{sql}: {refused}"
            );
        }
    }
}

both! {
    async fn erasing_a_person_leaves_a_tombstone_and_nothing_personal(db: &TestDb) {
        let store = store(db).await;
        let boss = id_of(&store, "boss").await;
        let agent = id_of(&store, "agent").await;
        let skill = store
            .skill_by_key("odp", "data-and-insight")
            .await
            .expect("skill")
            .expect("stored");
        // A report of the agent, so the agent's key is quoted in someone else's entry.
        let report = NewPerson {
            email: None,
            key: "junior".to_owned(),
            name: "Junior".to_owned(),
            role: None,
            grade: None,
            manager: Some(agent),
            team: String::new(),
        };
        let (junior, _) = store
            .add_person(&report, &[], &Actor::cli(), LATER)
            .await
            .expect("junior");
        let user = NewUser {
            username: "agent.user".to_owned(),
            display_name: "AGENT".to_owned(),
            email: "agent@example.org".to_owned(),
            role: UserRole::Employee,
            person: Some(agent),
            password_hash: "hash".to_owned(),
            demo: false,
        };
        let user = store
            .add_user(&user, &Actor::cli(), LATER)
            .await
            .expect("user");
        let as_agent = Actor {
            user: Some(user.id),
            username: Some("agent.user".to_owned()),
            address: Some("203.0.113.50".to_owned()),
            via: Via::Web,
        };
        // Something the agent did to someone else.
        let rated = NewAssessment {
            person: junior.id,
            skill,
            level: Level::none(),
            source: Source::Manager,
            at: LATER.to_owned(),
            note: String::new(),
            recorded_by: Some(user.id),
        };
        store
            .add_assessments(&[rated], &as_agent, LATER)
            .await
            .expect("rate junior");

        let erased = store
            .erase_person(
                agent,
                "erased-0123456789abcdef",
                &admin_at("192.0.2.9"),
                LATER,
            )
            .await
            .expect("erase");
        assert_eq!(erased.assessments, 1);
        assert_eq!(erased.reports_moved, 1);
        assert!(erased.user_disabled);
        assert!(erased.audit_entries_scrubbed >= 3, "{erased:?}");

        assert!(store.person(agent).await.is_err(), "the person is gone");
        assert!(store.assessments(agent).await.expect("none").is_empty());
        let junior = store.person(junior.id).await.expect("junior");
        assert_eq!(junior.manager.map(|m| m.0), Some(boss), "moved up");
        let user = store.user(user.id).await.expect("user kept");
        assert!(user.disabled);
        assert_eq!(user.person, None);
        assert_eq!(user.username, "erased-0123456789abcdef");
        assert_eq!(user.email, "");

        let tomb = last(&store, "person.erase").await;
        assert_eq!(tomb.subject, "erased-0123456789abcdef");
        assert_eq!(tomb.person, None);
        assert_eq!(tomb.username.as_deref(), Some("root"));
        let everything = store
            .audit_entries(&AuditFilter::default())
            .await
            .expect("entries");
        for entry in &everything {
            let text = [
                Some(entry.subject.clone()),
                entry.username.clone(),
                entry.address.clone(),
                entry.before.clone(),
                entry.after.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
            for personal in [
                "\"agent\"",
                "agent.user",
                "agent@example.org",
                "203.0.113.50",
            ] {
                assert!(!text.contains(personal), "{personal} is still in {entry:?}");
            }
            assert_ne!(entry.subject, "agent", "{entry:?}");
            assert_ne!(entry.person, Some(agent), "{entry:?}");
        }
        // The junior's history still says a manager changed, not who they were.
        let moved = last(&store, "person.update").await;
        assert_eq!(moved.person, Some(junior.id));
        assert_eq!(json(&moved.after)["manager"], "boss");
        // The erasure path closes behind it.
        assert!(
            store
                .audit_entries(&AuditFilter::default())
                .await
                .expect("entries")
                .iter()
                .all(|e| e.person != Some(agent))
        );
    }
}

both! {
    async fn erasing_someone_not_stored_is_not_found_and_changes_nothing(db: &TestDb) {
        let store = store(db).await;
        let before = store
            .audit_entries(&AuditFilter::default())
            .await
            .expect("entries");
        let missing = store
            .erase_person(PersonId(9999), "erased-x", &Actor::cli(), LATER)
            .await
            .expect_err("nobody");
        assert!(missing.is_user_error(), "{missing}");
        let after = store
            .audit_entries(&AuditFilter::default())
            .await
            .expect("entries");
        assert_eq!(before, after);
    }
}

both! {
    async fn the_retention_purge_deletes_only_older_assessments_and_records_the_count(db: &TestDb) {
        let store = store(db).await;
        let agent = id_of(&store, "agent").await;
        let skill = store
            .skill_by_key("odp", "data-and-insight")
            .await
            .expect("skill")
            .expect("stored");
        let newer = NewAssessment {
            person: agent,
            skill,
            level: Level::none(),
            source: Source::SelfAssessed,
            at: LATER.to_owned(),
            note: String::new(),
            recorded_by: None,
        };
        store
            .add_assessments(&[newer], &Actor::cli(), LATER)
            .await
            .expect("newer");
        let purged = store
            .purge_assessments("2026-01-15T00:00:00Z", &Actor::cli(), LATER)
            .await
            .expect("purge");
        assert_eq!(purged, 1);
        let left = store.assessments(agent).await.expect("left");
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].at, LATER);
        let entry = last(&store, "assessment.purge").await;
        assert_eq!(json(&entry.after)["assessments"], 1);
        assert_eq!(json(&entry.after)["before"], "2026-01-15T00:00:00Z");
    }
}
