//! Keeping people in the store: the reporting lines stay a tree inside the transaction, whatever
//! the caller checked; archiving leaves someone out of `reports` but not out of `person`.

use rolemap_core::bundle::PeopleBundle;
use rolemap_store::{Actor, ManagerRef, PersonFields, PersonWrite, Store, StoreError};

use std::sync::Arc;

use crate::{NOW, TestDb, person, with_builtin};

fn fields_of(p: &rolemap_core::Person) -> PersonFields {
    PersonFields {
        name: p.name.clone(),
        email: p.email.clone(),
        role: p.role.as_ref().map(|r| r.id),
        grade: p.grade.clone(),
        manager: p.manager.as_ref().map(|(id, _)| *id),
        team: p.team.clone(),
    }
}

/// boss > mid > low, stored.
async fn chain(db: &TestDb) -> (Arc<dyn Store>, [rolemap_core::Person; 3]) {
    let store = with_builtin(db).await;
    let bundle = PeopleBundle {
        demo: false,
        people: vec![
            person("boss", None, None, None),
            person("mid", None, None, Some("boss")),
            person("low", None, None, Some("mid")),
        ],
        assessments: Vec::new(),
    };
    store
        .import_people(&bundle, &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("people");
    let people = store.people().await.expect("people");
    let get = |key: &str| people.iter().find(|p| p.key == key).cloned().expect(key);
    let trio = [get("boss"), get("mid"), get("low")];
    (store, trio)
}

both! {
    async fn update_person_refuses_a_manager_below_them_or_themselves(db: &TestDb) {
        let (store, [boss, _mid, low]) = chain(db).await;
        let mut fields = fields_of(&boss);
        fields.manager = Some(low.id);
        let looped = store
            .update_person(boss.id, &fields, &Actor::cli(), NOW)
            .await;
        assert!(
            matches!(looped, Err(StoreError::Conflict(ref m)) if m.contains("loop")),
            "{looped:?}"
        );
        fields.manager = Some(boss.id);
        let own = store
            .update_person(boss.id, &fields, &Actor::cli(), NOW)
            .await;
        assert!(matches!(own, Err(StoreError::Conflict(_))), "{own:?}");
        // Nothing was written.
        assert_eq!(store.person(boss.id).await.expect("boss").manager, None);

        let mut moved = fields_of(&low);
        moved.manager = Some(boss.id);
        moved.email = Some("low@example.org".into());
        let low = store
            .update_person(low.id, &moved, &Actor::cli(), NOW)
            .await
            .expect("move");
        assert_eq!(low.manager.map(|(id, _)| id), Some(boss.id));
        assert_eq!(low.email.as_deref(), Some("low@example.org"));

        // The edit is in the audit log with before and after; the refused ones are not.
        let entries = store
            .audit_entries(&rolemap_store::AuditFilter {
                person: Some(low.id),
                ..rolemap_store::AuditFilter::default()
            })
            .await
            .expect("audit");
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        // Newest first: the edit, then the import that added them.
        assert_eq!(actions, ["person.update", "person.add"]);
        assert!(
            entries[0]
                .after
                .as_deref()
                .is_some_and(|a| a.contains("low@example.org"))
        );
        assert!(
            entries[0]
                .before
                .as_deref()
                .is_some_and(|b| b.contains("MID"))
        );
        let boss_entries = store
            .audit_entries(&rolemap_store::AuditFilter {
                person: Some(boss.id),
                ..rolemap_store::AuditFilter::default()
            })
            .await
            .expect("audit");
        // The refused moves of the boss left nothing: only the import's entry is there.
        let boss_actions: Vec<&str> = boss_entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(boss_actions, ["person.add"], "{boss_entries:?}");
    }
}

both! {
    async fn archived_people_leave_reports_and_managers_are_archived_last(db: &TestDb) {
        let (store, [boss, mid, low]) = chain(db).await;
        let refused = store.set_archived(mid.id, true, &Actor::cli(), NOW).await;
        assert!(
            matches!(refused, Err(StoreError::Conflict(ref m)) if m.contains("LOW")),
            "{refused:?}"
        );
        let archived = store
            .set_archived(low.id, true, &Actor::cli(), NOW)
            .await
            .expect("archive");
        assert_eq!(archived.archived_at.as_deref(), Some(NOW));
        let reports: Vec<String> = store
            .reports(boss.id)
            .await
            .expect("reports")
            .into_iter()
            .map(|p| p.key)
            .collect();
        assert_eq!(reports, ["mid"]);
        assert!(
            store
                .person(low.id)
                .await
                .expect("still there")
                .is_archived()
        );
        // Nobody goes under someone archived.
        let mut under = fields_of(&boss);
        under.manager = Some(low.id);
        assert!(
            store
                .update_person(boss.id, &under, &Actor::cli(), NOW)
                .await
                .is_err()
        );
        let back = store
            .set_archived(low.id, false, &Actor::cli(), NOW)
            .await
            .expect("back");
        assert!(!back.is_archived());
    }
}

both! {
    async fn write_people_adds_with_managers_among_themselves_and_refuses_a_loop(db: &TestDb) {
        let (store, [boss, mid, _low]) = chain(db).await;
        let new = |key: &str, manager: ManagerRef| PersonWrite {
            existing: None,
            key: key.to_owned(),
            fields: PersonFields {
                name: key.to_uppercase(),
                email: None,
                role: None,
                grade: None,
                manager: None,
                team: "Billing".into(),
            },
            manager,
        };
        let written = store
            .write_people(
                &[
                    new("ann", ManagerRef::Stored(boss.id)),
                    new("bo", ManagerRef::New("ann".into())),
                ],
                &Actor::cli(),
                NOW,
            )
            .await
            .expect("write");
        assert_eq!(
            written[1].manager.as_ref().map(|(_, n)| n.as_str()),
            Some("ANN")
        );

        // boss under mid, who is under boss: refused, and nothing of the call is kept.
        let mut boss_fields = fields_of(&boss);
        boss_fields.manager = Some(mid.id);
        let looped = store
            .write_people(
                &[
                    new("cy", ManagerRef::None),
                    PersonWrite {
                        existing: Some(boss.id),
                        key: boss.key.clone(),
                        fields: boss_fields,
                        manager: ManagerRef::Stored(mid.id),
                    },
                ],
                &Actor::cli(),
                NOW,
            )
            .await;
        assert!(matches!(looped, Err(StoreError::Conflict(_))), "{looped:?}");
        assert!(
            !store
                .people()
                .await
                .expect("people")
                .iter()
                .any(|p| p.key == "cy")
        );
    }
}
