//! Storing a generated organisation through COPY (see `copy`): people with the ids given here
//! (so managers are known before their reports are written), then assessments in slices, so
//! the COPY text of five million rows is never held at once; one transaction, all or nothing.

use super::copy::{Bulk, Val};
use super::people::bump_people_generation;
use super::{PgStore, audit};
use crate::{Actor, Organisation, PeopleOutcome, Result};

/// Assessments sent per COPY: about 50 MB of text.
const SLICE: usize = 1_000_000;

pub(super) async fn load_organisation(
    store: &PgStore,
    org: &Organisation,
    actor: &Actor,
    now: &str,
) -> Result<PeopleOutcome> {
    org.check()?;
    let mut tx = store.pool.begin().await?;
    // Two loads at once would pick the same ids; the second waits for the first here.
    sqlx::query("LOCK TABLE people IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let first: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM people")
        .fetch_one(&mut *tx)
        .await?;
    let id = |position: u32| first + i64::from(position);
    let bulk = Bulk::new();
    {
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
    }
    bulk.send(&mut tx).await?;
    // The identity moves past the ids given here, so people added later do not collide.
    sqlx::query(
        "SELECT setval(pg_get_serial_sequence('people', 'id'), \
         (SELECT coalesce(max(id), 0) + 1 FROM people), false)",
    )
    .execute(&mut *tx)
    .await?;
    for slice in org.assessments.chunks(SLICE) {
        let bulk = Bulk::new();
        {
            let mut assessments = bulk.batch(
                "assessments (person_id, skill_id, level_code, source, at, note)",
                "(?, ?, ?, ?, ?, '')",
                "",
            )?;
            for a in slice {
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
        bulk.send(&mut tx).await?;
    }
    audit::record(&mut tx, actor, now, &org.change()).await?;
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    Ok(PeopleOutcome {
        people: org.people.len(),
        assessments: org.assessments.len(),
    })
}
