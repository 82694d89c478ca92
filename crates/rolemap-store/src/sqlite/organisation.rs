//! Storing a generated organisation through SQLite's C API (see `bulk`): people with the ids
//! given here (so managers are known before their reports are written), then assessments, in
//! one write transaction; on any error it is dropped and nothing is written.

use super::bulk::{Bulk, Val};
use super::people::{bump_people_generation, forget_seen_generation};
use super::{SqliteStore, audit};
use crate::{Actor, Organisation, PeopleOutcome, Result};

pub(super) async fn load_organisation(
    store: &SqliteStore,
    org: &Organisation,
    actor: &Actor,
    now: &str,
) -> Result<PeopleOutcome> {
    org.check()?;
    let mut tx = super::begin_write(&store.pool).await?;
    let first: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM people")
        .fetch_one(&mut *tx)
        .await?;
    let id = |position: u32| first + i64::from(position);
    {
        let mut handle = tx.lock_handle().await?;
        let bulk = Bulk::new(&mut handle);
        let mut people = bulk.batch(
            "people (id, key, name, role_id, grade, manager_id, team, demo, created_at)",
            "(?, ?, ?, ?, ?, ?, ?, 1, ?)",
            "",
        )?;
        for (position, p) in (0u32..).zip(&org.people) {
            people.row(&[
                Val::Int(id(position)),
                Val::Text(&p.key),
                Val::Text(&p.name),
                Val::Int(p.role.0),
                Val::Text(&p.grade),
                Val::OptInt(p.manager.map(id)),
                Val::Text(&p.team),
                Val::Text(now),
            ])?;
        }
        people.finish()?;
        let mut assessments = bulk.batch(
            "assessments (person_id, skill_id, level_code, source, at, note)",
            "(?, ?, ?, ?, ?, '')",
            "",
        )?;
        for a in &org.assessments {
            let (level, at) = org.texts(a);
            assessments.row(&[
                Val::Int(id(a.person)),
                Val::Int(a.skill.0),
                Val::Text(level),
                Val::Text(a.source.as_str()),
                Val::Text(at),
            ])?;
        }
        assessments.finish()?;
    }
    audit::record(&mut tx, actor, now, &org.change()).await?;
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    forget_seen_generation(store);
    Ok(PeopleOutcome {
        people: org.people.len(),
        assessments: org.assessments.len(),
    })
}
