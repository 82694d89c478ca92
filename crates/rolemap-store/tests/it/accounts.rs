//! Users, sessions and API tokens through the Store trait; and the people generation.

use rolemap_core::bundle::PeopleBundle;
use rolemap_store::{NewUser, Store, StoreError, StoredSession, UserRole};

use std::sync::Arc;

use super::{NOW, TestDb, person, with_builtin};

fn new_user(username: &str, role: UserRole) -> NewUser {
    NewUser {
        username: username.to_owned(),
        display_name: username.to_uppercase(),
        email: String::new(),
        role,
        person: None,
        password_hash: format!("hash-of-{username}"),
        demo: false,
    }
}

async fn store_with_people(db: &TestDb) -> Arc<dyn Store> {
    let store = with_builtin(db).await;
    let bundle = PeopleBundle {
        demo: false,
        people: vec![
            person("boss", Some("odp:operations-manager"), Some("G7"), None),
            person("agent", Some("odp:team-leader"), Some("heo"), Some("boss")),
        ],
        assessments: Vec::new(),
    };
    store
        .import_people(&bundle, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("people");
    store
}

both! {
    async fn users_are_unique_by_name_and_person_and_keep_their_hash(db: &TestDb) {
        let store = store_with_people(db).await;
        let people = store.people().await.expect("people");
        let agent = people.iter().find(|p| p.key == "agent").expect("agent").id;

        let mut ann = new_user("ann", UserRole::Employee);
        ann.person = Some(agent);
        ann.email = "ann@example.org".into();
        let ann = store
            .add_user(&ann, &rolemap_store::Actor::cli(), NOW)
            .await
            .expect("add ann");
        assert_eq!(ann.username, "ann");
        assert_eq!(ann.role, UserRole::Employee);
        assert_eq!(ann.person, Some(agent));
        assert_eq!((ann.disabled, ann.demo), (false, false));
        assert_eq!(
            (ann.created_at.as_str(), ann.updated_at.as_str()),
            (NOW, NOW)
        );

        let again = store
            .add_user(
                &new_user("ann", UserRole::Admin),
                &rolemap_store::Actor::cli(),
                NOW,
            )
            .await
            .expect_err("taken");
        assert!(
            matches!(&again, StoreError::Conflict(m) if m.contains("username")),
            "{again}"
        );
        let mut bob = new_user("bob", UserRole::Manager);
        bob.person = Some(agent);
        let linked = store
            .add_user(&bob, &rolemap_store::Actor::cli(), NOW)
            .await
            .expect_err("linked");
        assert!(
            matches!(&linked, StoreError::Conflict(m) if m.contains("'agent'") && m.contains("'ann'")),
            "{linked}"
        );
        bob.person = Some(rolemap_core::PersonId(9999));
        let missing = store
            .add_user(&bob, &rolemap_store::Actor::cli(), NOW)
            .await
            .expect_err("no person");
        assert!(matches!(
            missing,
            StoreError::NotFound { what: "person", .. }
        ));

        store
            .add_user(
                &new_user("adam", UserRole::Admin),
                &rolemap_store::Actor::cli(),
                NOW,
            )
            .await
            .expect("adam");
        let names: Vec<_> = store
            .users()
            .await
            .expect("users")
            .into_iter()
            .map(|u| u.username)
            .collect();
        assert_eq!(
            names,
            ["adam", "ann"],
            "by username; failed adds left nothing"
        );

        let (found, hash) = store
            .user_with_password("ann")
            .await
            .expect("read")
            .expect("ann");
        assert_eq!((found.id, hash.as_str()), (ann.id, "hash-of-ann"));
        assert!(
            store
                .user_with_password("nobody")
                .await
                .expect("read")
                .is_none()
        );
        assert_eq!(
            store
                .user_by_person(agent)
                .await
                .expect("by person")
                .map(|u| u.id),
            Some(ann.id)
        );
    }
}

both! {
    async fn a_password_reset_or_disabling_ends_the_users_sessions(db: &TestDb) {
        let store = store_with_people(db).await;
        let ann = store
            .add_user(
                &new_user("ann", UserRole::Employee),
                &rolemap_store::Actor::cli(),
                NOW,
            )
            .await
            .expect("ann");
        let session = StoredSession {
            user: ann.id,
            created_at: NOW.into(),
            last_seen_at: NOW.into(),
            expires_at: "2026-01-08T00:00:00Z".into(),
        };
        store
            .add_session(b"one", &session, &rolemap_store::Actor::cli())
            .await
            .expect("session");
        let (stored, user) = store.session(b"one").await.expect("read").expect("found");
        assert_eq!((stored, user.id), (session.clone(), ann.id));

        store
            .touch_session(b"one", "2026-01-01T01:00:00Z")
            .await
            .expect("touch");
        let (stored, _) = store.session(b"one").await.expect("read").expect("found");
        assert_eq!(stored.last_seen_at, "2026-01-01T01:00:00Z");

        store
            .set_password(
                ann.id,
                "new-hash",
                &rolemap_store::Actor::cli(),
                "2026-01-02T00:00:00Z",
            )
            .await
            .expect("reset");
        assert!(store.session(b"one").await.expect("read").is_none());
        let (user, hash) = store
            .user_with_password("ann")
            .await
            .expect("read")
            .expect("ann");
        assert_eq!(
            (hash.as_str(), user.updated_at.as_str()),
            ("new-hash", "2026-01-02T00:00:00Z")
        );

        store
            .add_session(b"two", &session, &rolemap_store::Actor::cli())
            .await
            .expect("session");
        let disabled = store
            .set_user_disabled(ann.id, true, &rolemap_store::Actor::cli(), NOW)
            .await
            .expect("disable");
        assert!(disabled.disabled);
        assert!(store.session(b"two").await.expect("read").is_none());
        let enabled = store
            .set_user_disabled(ann.id, false, &rolemap_store::Actor::cli(), NOW)
            .await
            .expect("enable");
        assert!(!enabled.disabled);

        let missing = store
            .set_password(
                rolemap_store::UserId(77),
                "h",
                &rolemap_store::Actor::cli(),
                NOW,
            )
            .await
            .expect_err("no user");
        assert!(matches!(missing, StoreError::NotFound { what: "user", .. }));
    }
}

both! {
    async fn expired_and_idle_sessions_are_deleted_and_sign_out_deletes_one(db: &TestDb) {
        let store = store_with_people(db).await;
        let ann = store
            .add_user(
                &new_user("ann", UserRole::Employee),
                &rolemap_store::Actor::cli(),
                NOW,
            )
            .await
            .expect("ann");
        let at = |last_seen: &str, expires: &str| StoredSession {
            user: ann.id,
            created_at: NOW.into(),
            last_seen_at: last_seen.into(),
            expires_at: expires.into(),
        };
        let live = at("2026-01-05T00:00:00Z", "2026-01-08T00:00:00Z");
        store
            .add_session(b"live", &live, &rolemap_store::Actor::cli())
            .await
            .expect("live");
        let ended = at("2026-01-05T00:00:00Z", "2026-01-05T12:00:00Z");
        store
            .add_session(b"ended", &ended, &rolemap_store::Actor::cli())
            .await
            .expect("ended");
        let idle = at("2026-01-01T00:00:00Z", "2026-01-08T00:00:00Z");
        store
            .add_session(b"idle", &idle, &rolemap_store::Actor::cli())
            .await
            .expect("idle");

        let gone = store
            .delete_expired_sessions("2026-01-06T00:00:00Z", "2026-01-04T00:00:00Z")
            .await
            .expect("sweep");
        assert_eq!(gone, 2);
        assert!(store.session(b"live").await.expect("read").is_some());
        assert!(store.session(b"ended").await.expect("read").is_none());
        assert!(store.session(b"idle").await.expect("read").is_none());

        store
            .delete_session(b"live", Some(&rolemap_store::Actor::cli()), NOW)
            .await
            .expect("sign out");
        assert!(store.session(b"live").await.expect("read").is_none());
        store
            .delete_session(b"live", Some(&rolemap_store::Actor::cli()), NOW)
            .await
            .expect("twice is fine");
    }
}

both! {
    async fn api_tokens_are_revoked_by_their_user_only(db: &TestDb) {
        let store = store_with_people(db).await;
        let ann = store
            .add_user(
                &new_user("ann", UserRole::Employee),
                &rolemap_store::Actor::cli(),
                NOW,
            )
            .await
            .expect("ann");
        let bob = store
            .add_user(
                &new_user("bob", UserRole::Employee),
                &rolemap_store::Actor::cli(),
                NOW,
            )
            .await
            .expect("bob");
        let token = store
            .add_api_token(
                ann.id,
                "ci",
                b"secret-hash",
                &rolemap_store::Actor::cli(),
                NOW,
            )
            .await
            .expect("token");
        assert_eq!(
            (token.name.as_str(), token.revoked_at.as_deref()),
            ("ci", None)
        );
        let found = store.api_token_user(b"secret-hash").await.expect("read");
        assert_eq!(
            found.map(|(t, u)| (t.id, u.id, t.last_used_at)),
            Some((token.id, ann.id, None))
        );
        store
            .touch_api_token(token.id, "2026-01-01T12:00:00Z")
            .await
            .expect("touch");
        let found = store.api_token_user(b"secret-hash").await.expect("read");
        assert_eq!(
            found.and_then(|(t, _)| t.last_used_at).as_deref(),
            Some("2026-01-01T12:00:00Z")
        );

        let foreign = store
            .revoke_api_token(bob.id, token.id, &rolemap_store::Actor::cli(), NOW)
            .await
            .expect_err("not bob's");
        assert!(matches!(
            foreign,
            StoreError::NotFound {
                what: "API token",
                ..
            }
        ));
        assert!(
            store
                .api_token_user(b"secret-hash")
                .await
                .expect("read")
                .is_some()
        );

        let revoked = store
            .revoke_api_token(
                ann.id,
                token.id,
                &rolemap_store::Actor::cli(),
                "2026-01-02T00:00:00Z",
            )
            .await
            .expect("revoke");
        assert_eq!(revoked.revoked_at.as_deref(), Some("2026-01-02T00:00:00Z"));
        let again = store
            .revoke_api_token(
                ann.id,
                token.id,
                &rolemap_store::Actor::cli(),
                "2026-01-03T00:00:00Z",
            )
            .await
            .expect("revoke again");
        assert_eq!(again.revoked_at.as_deref(), Some("2026-01-02T00:00:00Z"));
        assert!(
            store
                .api_token_user(b"secret-hash")
                .await
                .expect("read")
                .is_none()
        );
        assert_eq!(store.api_tokens(ann.id).await.expect("list"), [again]);
        assert!(store.api_tokens(bob.id).await.expect("list").is_empty());
    }
}

both! {
    async fn the_people_generation_moves_on_with_every_write_to_people_or_assessments(db: &TestDb) {
        let store = with_builtin(db).await;
        let other = db.open().await;
        let start = store.people_generation().await.expect("generation");
        let bundle = PeopleBundle {
            demo: false,
            people: vec![person(
                "boss",
                Some("odp:operations-manager"),
                Some("G7"),
                None,
            )],
            assessments: Vec::new(),
        };
        other
            .import_people(&bundle, &rolemap_store::Actor::cli(), NOW)
            .await
            .expect("people");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let imported = store.people_generation().await.expect("generation");
        assert!(imported > start, "an import by another connection is seen");

        let new = rolemap_store::NewPerson {
            key: "new".to_owned(),
            name: "New".to_owned(),
            role: None,
            grade: None,
            manager: None,
            team: String::new(),
            email: None,
        };
        let (added, _) = store
            .add_person(&new, &[], &rolemap_store::Actor::cli(), NOW)
            .await
            .expect("add");
        let after_add = store.people_generation().await.expect("generation");
        assert!(after_add > imported, "adding a person");

        let skill = rolemap_core::SkillId(1);
        let assessment = rolemap_store::NewAssessment {
            person: added.id,
            skill,
            level: rolemap_core::Level::none(),
            source: rolemap_core::Source::SelfAssessed,
            at: NOW.to_owned(),
            note: String::new(),
            recorded_by: None,
        };
        store
            .add_assessments(
                &[assessment],
                &rolemap_store::Actor::cli(),
                "2026-01-01T00:00:00Z",
            )
            .await
            .expect("assessment");
        let after_assess = store.people_generation().await.expect("generation");
        assert!(after_assess > after_add, "adding an assessment");
        assert_eq!(
            store.frameworks_generation().await.ok(),
            other.frameworks_generation().await.ok(),
            "frameworks untouched"
        );
    }
}
