//! Keeping people: editing and moving them, archiving them and bringing them back, and the
//! writes of an import that adds some and updates others. Each call is one transaction that also
//! records an audit change per person changed, so the log and the people agree.
//!
//! The reporting lines stay a tree: a manager who is the person, reports to them (directly or
//! through others) or is archived is refused here, inside the transaction, whatever the caller
//! checked before.

use std::collections::HashMap;

use rolemap_core::{Person, PersonId};
use serde_json::json;

use super::PgStore;
use super::audit;
use super::people::{PERSON_SELECT, PersonRow, bump_people_generation};
use crate::{Actor, Change, ManagerRef, PersonFields, PersonWrite, Result, StoreError};

/// A person as read inside a transaction.
async fn load(store: &PgStore, conn: &mut sqlx::PgConnection, id: i64) -> Result<Person> {
    let sql = format!("{PERSON_SELECT} WHERE p.id = $1");
    let row: Option<PersonRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => store.person_from(conn, row).await,
        None => Err(StoreError::NotFound {
            what: "person",
            id: id.to_string(),
        }),
    }
}

/// The fields of a person that an audit entry shows: what can be edited, and whether they are
/// archived. Never anything from their account.
pub(crate) fn person_json(p: &Person) -> serde_json::Value {
    json!({
        "key": p.key,
        "name": p.name,
        "email": p.email,
        "role": p.role.as_ref().map(|r| format!("{}:{}", r.framework_key, r.key)),
        "grade": p.grade,
        "manager": p.manager.as_ref().map(|(_, name)| name),
        "manager_id": p.manager.as_ref().map(|(id, _)| id.0),
        "team": p.team,
        "archived_at": p.archived_at,
    })
}

/// The action an edit records: a move when only the manager changed.
fn edit_action(before: &Person, after: &Person) -> &'static str {
    let moved = before.manager != after.manager;
    let same_otherwise = Person {
        manager: after.manager.clone(),
        ..before.clone()
    } == *after;
    if moved && same_otherwise {
        "person.move"
    } else {
        "person.update"
    }
}

/// Refuses a manager who would break the tree: the person themselves, someone below them, or
/// someone archived.
async fn check_manager(conn: &mut sqlx::PgConnection, person: i64, manager: i64) -> Result<()> {
    if manager == person {
        return Err(StoreError::Conflict(
            "a person cannot manage themselves".to_owned(),
        ));
    }
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT name, archived_at FROM people WHERE id = $1")
            .bind(manager)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((name, archived)) = row else {
        return Err(StoreError::NotFound {
            what: "person",
            id: manager.to_string(),
        });
    };
    if archived.is_some() {
        return Err(StoreError::Conflict(format!(
            "{name} is archived and cannot be anyone's manager"
        )));
    }
    if in_chain_above(conn, manager, person).await? {
        return Err(StoreError::Conflict(format!(
            "{name} reports to this person, directly or through others, so cannot be their \
             manager: that would make a loop"
        )));
    }
    Ok(())
}

/// Whether `wanted` is above `start` in the manager chain. `UNION` drops a manager met twice, so
/// a loop ends the walk.
async fn in_chain_above(conn: &mut sqlx::PgConnection, start: i64, wanted: i64) -> Result<bool> {
    let found: bool = sqlx::query_scalar(
        "WITH RECURSIVE chain(id) AS (SELECT manager_id FROM people WHERE id = $1 \
         UNION SELECT p.manager_id FROM people p JOIN chain c ON p.id = c.id) \
         SELECT EXISTS (SELECT 1 FROM chain WHERE id = $2)",
    )
    .bind(start)
    .bind(wanted)
    .fetch_one(&mut *conn)
    .await?;
    Ok(found)
}

/// Refuses an email address another person has (case aside).
async fn check_email(
    conn: &mut sqlx::PgConnection,
    person: Option<i64>,
    email: Option<&str>,
) -> Result<()> {
    let Some(email) = email else { return Ok(()) };
    let holder: Option<String> = sqlx::query_scalar(
        "SELECT key FROM people WHERE lower(email) = lower($1) AND id IS DISTINCT FROM $2",
    )
    .bind(email)
    .bind(person)
    .fetch_optional(&mut *conn)
    .await?;
    match holder {
        Some(key) => Err(StoreError::Conflict(format!(
            "the email {email} is already {key}'s"
        ))),
        None => Ok(()),
    }
}

async fn set_fields(
    conn: &mut sqlx::PgConnection,
    id: i64,
    fields: &PersonFields,
    manager: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "UPDATE people SET name = $1, email = $2, role_id = $3, grade = $4, manager_id = $5, \
         team = $6 WHERE id = $7",
    )
    .bind(&fields.name)
    .bind(&fields.email)
    .bind(fields.role.map(|r| r.0))
    .bind(&fields.grade)
    .bind(manager)
    .bind(&fields.team)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn update_person(
    store: &PgStore,
    id: PersonId,
    fields: &PersonFields,
    actor: &Actor,
    now: &str,
) -> Result<Person> {
    let mut tx = super::begin_write(&store.pool).await?;
    let before = load(store, &mut tx, id.0).await?;
    if let Some(manager) = fields.manager
        && before.manager.as_ref().map(|(m, _)| *m) != Some(manager)
    {
        check_manager(&mut tx, id.0, manager.0).await?;
    }
    check_email(&mut tx, Some(id.0), fields.email.as_deref()).await?;
    set_fields(&mut tx, id.0, fields, fields.manager.map(|m| m.0)).await?;
    let after = load(store, &mut tx, id.0).await?;
    if after == before {
        // Nothing changed: nothing to record, and what is kept of people stays valid.
        tx.rollback().await?;
        return Ok(after);
    }
    let change = Change {
        action: edit_action(&before, &after),
        subject: after.key.clone(),
        person: Some(id),
        before: Some(person_json(&before)),
        after: Some(person_json(&after)),
    };
    audit::record(&mut tx, actor, now, &change).await?;
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    Ok(after)
}

pub(super) async fn set_archived(
    store: &PgStore,
    id: PersonId,
    archived: bool,
    actor: &Actor,
    now: &str,
) -> Result<Person> {
    let mut tx = super::begin_write(&store.pool).await?;
    let before = load(store, &mut tx, id.0).await?;
    if before.is_archived() == archived {
        tx.rollback().await?;
        return Ok(before);
    }
    if archived {
        let reports: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM people WHERE manager_id = $1 AND archived_at IS NULL \
             ORDER BY lower(name), id",
        )
        .bind(id.0)
        .fetch_all(&mut *tx)
        .await?;
        if !reports.is_empty() {
            return Err(StoreError::Conflict(format!(
                "{} manages {} ({}): move {} to another manager first",
                before.name,
                if reports.len() == 1 {
                    "1 person".to_owned()
                } else {
                    format!("{} people", reports.len())
                },
                reports.join(", "),
                if reports.len() == 1 { "them" } else { "each" },
            )));
        }
    } else if let Some((manager, name)) = &before.manager {
        // Back under an archived manager would hide them from every team page.
        let gone: Option<String> =
            sqlx::query_scalar("SELECT archived_at FROM people WHERE id = $1")
                .bind(manager.0)
                .fetch_one(&mut *tx)
                .await?;
        if gone.is_some() {
            return Err(StoreError::Conflict(format!(
                "their manager {name} is archived: give them another manager first"
            )));
        }
    }
    sqlx::query("UPDATE people SET archived_at = $1 WHERE id = $2")
        .bind(archived.then_some(now))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    let after = load(store, &mut tx, id.0).await?;
    let change = Change {
        action: if archived {
            "person.archive"
        } else {
            "person.unarchive"
        },
        subject: after.key.clone(),
        person: Some(id),
        before: Some(person_json(&before)),
        after: Some(person_json(&after)),
    };
    audit::record(&mut tx, actor, now, &change).await?;
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    Ok(after)
}

pub(super) async fn write_people(
    store: &PgStore,
    writes: &[PersonWrite],
    actor: &Actor,
    now: &str,
) -> Result<Vec<Person>> {
    let mut tx = super::begin_write(&store.pool).await?;
    let mut ids: Vec<i64> = Vec::with_capacity(writes.len());
    let mut before: HashMap<i64, Person> = HashMap::new();
    let mut by_key: HashMap<&str, i64> = HashMap::new();
    // Everyone new first, without a manager, so that managers can name them.
    for write in writes {
        let id = match write.existing {
            Some(id) => {
                before.insert(id.0, load(store, &mut tx, id.0).await?);
                id.0
            }
            None => {
                let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE key = $1")
                    .bind(&write.key)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err(StoreError::Conflict(format!(
                        "a person with key '{}' already exists",
                        write.key
                    )));
                }
                sqlx::query_scalar(
                    "INSERT INTO people (key, name, team, demo, created_at) \
                     VALUES ($1, $2, '', 0, $3) RETURNING id",
                )
                .bind(&write.key)
                .bind(&write.fields.name)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        ids.push(id);
        by_key.insert(write.key.as_str(), id);
    }
    for (write, &id) in writes.iter().zip(&ids) {
        let manager = match &write.manager {
            ManagerRef::None => None,
            ManagerRef::Stored(m) => Some(m.0),
            ManagerRef::New(key) => match by_key.get(key.as_str()) {
                Some(m) => Some(*m),
                None => {
                    return Err(StoreError::NotFound {
                        what: "person",
                        id: key.clone(),
                    });
                }
            },
        };
        check_email(&mut tx, Some(id), write.fields.email.as_deref()).await?;
        set_fields(&mut tx, id, &write.fields, manager).await?;
    }
    // With every line written, each changed one must still lead up to the top.
    for (write, &id) in writes.iter().zip(&ids) {
        if write.manager != ManagerRef::None {
            let manager: Option<i64> =
                sqlx::query_scalar("SELECT manager_id FROM people WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            if let Some(manager) = manager {
                check_manager(&mut tx, id, manager).await?;
            }
        }
    }
    let mut written = Vec::with_capacity(ids.len());
    let mut changed = false;
    for &id in &ids {
        let after = load(store, &mut tx, id).await?;
        let change = match before.get(&id) {
            Some(old) if *old == after => None,
            Some(old) => Some(Change {
                action: edit_action(old, &after),
                subject: after.key.clone(),
                person: Some(after.id),
                before: Some(person_json(old)),
                after: Some(person_json(&after)),
            }),
            None => Some(Change {
                action: "person.add",
                subject: after.key.clone(),
                person: Some(after.id),
                before: None,
                after: Some(person_json(&after)),
            }),
        };
        if let Some(change) = change {
            audit::record(&mut tx, actor, now, &change).await?;
            changed = true;
        }
        written.push(after);
    }
    if !changed {
        tx.rollback().await?;
        return Ok(written);
    }
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    Ok(written)
}
