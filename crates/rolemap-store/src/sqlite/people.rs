//! People and their assessments: adding and listing them, a manager's reports, and importing a
//! people document (people, managers, assessments) in one transaction.

use std::collections::HashMap;

use rolemap_core::bundle::PeopleBundle;
use rolemap_core::{Assessment, Level, Person, PersonId, Scale, SkillId, Source};
use rolemap_formats::Diagnostics;
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::roles::stored_role;
use super::skills::{ScaleCache, parse_level, stored_skill};
use super::{SqliteStore, audit, bool_int, changes, problem};
use crate::{Actor, NewAssessment, NewPerson, PeopleOutcome, Result, Store, StoreError};

#[derive(sqlx::FromRow)]
pub(super) struct PersonRow {
    id: i64,
    key: String,
    name: String,
    role_id: Option<i64>,
    grade: Option<String>,
    manager_id: Option<i64>,
    manager_name: Option<String>,
    team: String,
    demo: i64,
    email: Option<String>,
    archived_at: Option<String>,
}

pub(super) const PERSON_SELECT: &str = "SELECT p.id, p.key, p.name, p.role_id, p.grade, p.manager_id, m.name AS manager_name, p.team, p.demo, p.email, p.archived_at \
     FROM people p LEFT JOIN people m ON m.id = p.manager_id";

#[derive(sqlx::FromRow)]
struct AssessmentRow {
    id: i64,
    person_id: i64,
    skill_id: i64,
    label: String,
    level_code: String,
    rank: Option<i64>,
    level_name: Option<String>,
    source: String,
    at: String,
    note: String,
    recorded_by: Option<String>,
}

const ASSESSMENT_SELECT: &str = "SELECT a.id, a.person_id, a.skill_id, s.label, a.level_code, sl.rank, sl.name AS level_name, a.source, a.at, a.note, u.display_name AS recorded_by \
     FROM assessments a JOIN skills s ON s.id = a.skill_id \
     LEFT JOIN scale_levels sl ON sl.scale_id = s.scale_id AND sl.code = a.level_code \
     LEFT JOIN users u ON u.id = a.recorded_by";

fn assessment_from(row: AssessmentRow) -> Result<Assessment> {
    let level = match (row.rank, row.level_name) {
        // "none" is no scale's level: assessed as not holding the skill.
        _ if row.level_code == rolemap_core::level::NONE_CODE => Level::none(),
        (Some(rank), Some(name)) => Level::from_parts(rank_u8(rank)?, row.level_code, name),
        // Skills without a scale are held or not.
        _ => parse_level(None, &row.level_code)?,
    };
    Ok(Assessment {
        id: row.id,
        person: PersonId(row.person_id),
        skill: SkillId(row.skill_id),
        skill_label: row.label,
        level,
        source: Source::parse(&row.source)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown source '{}'", row.source)))?,
        at: row.at,
        note: row.note,
        recorded_by: row.recorded_by,
    })
}

pub(super) fn rank_u8(rank: i64) -> Result<u8> {
    u8::try_from(rank).map_err(|_| StoreError::Corrupt(format!("level rank {rank} out of range")))
}

/// Moves the people generation on inside a transaction that writes people or assessments.
pub(super) async fn bump_people_generation(tx: &mut Transaction<'_, Sqlite>) -> Result<()> {
    sqlx::query("UPDATE meta SET value = value + 1 WHERE key = 'people_generation'")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What this process read of the generations is stale once it commits a write.
pub(super) fn forget_seen_generation(store: &SqliteStore) {
    store.generation.forget();
}

/// Inserts assessments of one person; returns their ids.
async fn insert_assessments(
    tx: &mut Transaction<'_, Sqlite>,
    person: PersonId,
    assessments: &[NewAssessment],
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(assessments.len());
    for a in assessments {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assessments (person_id, skill_id, level_code, source, at, note, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(person.0)
        .bind(a.skill.0)
        .bind(a.level.code())
        .bind(a.source.as_str())
        .bind(&a.at)
        .bind(&a.note)
        .bind(a.recorded_by.map(|u| u.0))
        .fetch_one(&mut **tx)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

impl SqliteStore {
    async fn assessments_by_id(&self, ids: &[i64]) -> Result<Vec<Assessment>> {
        let sql = format!("{ASSESSMENT_SELECT} WHERE a.id = $1");
        let mut stored = Vec::with_capacity(ids.len());
        for id in ids {
            let row: AssessmentRow = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
            stored.push(assessment_from(row)?);
        }
        Ok(stored)
    }

    pub(super) async fn person_from(
        &self,
        conn: &mut sqlx::SqliteConnection,
        row: PersonRow,
    ) -> Result<Person> {
        let role = match row.role_id {
            Some(id) => Some(self.summary(conn, id).await?),
            None => None,
        };
        Ok(Person {
            id: PersonId(row.id),
            key: row.key,
            name: row.name,
            role,
            grade: row.grade,
            manager: row
                .manager_id
                .map(|id| (PersonId(id), row.manager_name.unwrap_or_default())),
            team: row.team,
            demo: row.demo != 0,
            email: row.email,
            archived_at: row.archived_at,
        })
    }

    async fn people_from(&self, rows: Vec<PersonRow>) -> Result<Vec<Person>> {
        let mut conn = self.pool.acquire().await?;
        let mut people = Vec::with_capacity(rows.len());
        for row in rows {
            people.push(self.person_from(&mut conn, row).await?);
        }
        Ok(people)
    }
}

/// Stores people and their assessments, checking every reference, in one transaction that is
/// committed only when `keep` is set and no problem was found.
pub(super) async fn import_people(
    pool: &SqlitePool,
    bundle: &PeopleBundle,
    actor: &Actor,
    now: &str,
    keep: bool,
) -> Result<PeopleOutcome> {
    let mut tx = super::begin_write(pool).await?;
    let mut problems = Vec::new();
    let mut person_ids: HashMap<String, i64> = HashMap::new();
    let mut scales = ScaleCache::default();

    for def in &bundle.people {
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE key = $1")
            .bind(&def.key)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            problems.push(problem(
                &def.origin,
                "duplicate-person",
                format!("a person with key '{}' is already stored", def.key),
            ));
            continue;
        }
        let mut role_id = None;
        let mut grade = def.grade.clone();
        if let Some(role) = &def.role {
            let Some(framework) = role.framework.as_deref() else {
                problems.push(problem(
                    &def.origin,
                    "unqualified-role",
                    format!("write the role as framework:key, e.g. odp:{}", role.key),
                ));
                continue;
            };
            match stored_role(&mut tx, framework, &role.key).await? {
                None => problems.push(problem(
                    &def.origin,
                    "unknown-role",
                    format!("no role '{role}' is stored"),
                )),
                Some((id, grades)) => {
                    role_id = Some(id);
                    if let Some(g) = &def.grade {
                        match grades.iter().find(|x| x.eq_ignore_ascii_case(g)) {
                            Some(canonical) => grade = Some(canonical.clone()),
                            None if grades.is_empty() => {}
                            None => problems.push(problem(
                                &def.origin,
                                "unknown-grade",
                                format!(
                                    "role '{role}' has no grade '{g}'; its grades are {}",
                                    grades.join(", ")
                                ),
                            )),
                        }
                    }
                }
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO people (key, name, role_id, grade, manager_id, team, demo, created_at) \
             VALUES ($1, $2, $3, $4, NULL, $5, $6, $7) RETURNING id",
        )
        .bind(&def.key)
        .bind(&def.name)
        .bind(role_id)
        .bind(&grade)
        .bind(&def.team)
        .bind(bool_int(bundle.demo))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        person_ids.insert(def.key.clone(), id);
    }

    async fn person_id(
        tx: &mut sqlx::SqliteConnection,
        batch: &HashMap<String, i64>,
        key: &str,
    ) -> Result<Option<i64>> {
        if let Some(id) = batch.get(key) {
            return Ok(Some(*id));
        }
        Ok(sqlx::query_scalar("SELECT id FROM people WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?)
    }

    for def in &bundle.people {
        let (Some(manager), Some(id)) = (&def.manager, person_ids.get(&def.key)) else {
            continue;
        };
        match person_id(&mut tx, &person_ids, manager).await? {
            Some(manager_id) if manager_id == *id => problems.push(problem(
                &def.origin,
                "self-manager",
                "a person cannot manage themselves".into(),
            )),
            Some(manager_id) => {
                sqlx::query("UPDATE people SET manager_id = $1 WHERE id = $2")
                    .bind(manager_id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => problems.push(problem(
                &def.origin,
                "unknown-person",
                format!("no person '{manager}' to be the manager"),
            )),
        }
    }

    let mut count = 0;
    let mut assessment_ids = Vec::new();
    for def in &bundle.assessments {
        let person = person_id(&mut tx, &person_ids, &def.person).await?;
        if person.is_none() {
            problems.push(problem(
                &def.origin,
                "unknown-person",
                format!("no person '{}'", def.person),
            ));
        }
        let Some(framework) = def.skill.framework.as_deref() else {
            problems.push(problem(
                &def.origin,
                "unqualified-skill",
                format!(
                    "write the skill as framework:key, e.g. odp:{}",
                    def.skill.key
                ),
            ));
            continue;
        };
        let Some((skill_id, scale)) =
            stored_skill(&mut tx, &mut scales, framework, &def.skill.key).await?
        else {
            problems.push(problem(
                &def.origin,
                "unknown-skill",
                format!("no skill '{}' is stored", def.skill),
            ));
            continue;
        };
        let level = match scale.unwrap_or_else(Scale::presence).parse_held(&def.level) {
            Ok(level) => level,
            Err(e) => {
                problems.push(problem(&def.origin, "invalid-level", e.to_string()));
                continue;
            }
        };
        let Some(person) = person else { continue };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assessments (person_id, skill_id, level_code, source, at, note) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(person)
        .bind(skill_id)
        .bind(level.code())
        .bind(def.source.as_str())
        .bind(&def.at)
        .bind(&def.note)
        .fetch_one(&mut *tx)
        .await?;
        assessment_ids.push(id);
        count += 1;
    }

    if !problems.is_empty() {
        tx.rollback().await?;
        return Err(StoreError::Invalid(Diagnostics(problems)));
    }
    if keep {
        // Each person and assessment gets its entry, so that it goes with them on erasure.
        let mut added: Vec<i64> = person_ids.values().copied().collect();
        added.sort_unstable();
        for id in added {
            let change = changes::person_added(&mut tx, PersonId(id)).await?;
            audit::record(&mut tx, actor, now, &change).await?;
        }
        for id in assessment_ids {
            let change = changes::assessment_added(&mut tx, id).await?;
            audit::record(&mut tx, actor, now, &change).await?;
        }
        bump_people_generation(&mut tx).await?;
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(PeopleOutcome {
        people: person_ids.len(),
        assessments: count,
    })
}

pub(super) async fn add_person(
    store: &SqliteStore,
    person: &NewPerson,
    assessments: &[NewAssessment],
    actor: &Actor,
    now: &str,
) -> Result<(Person, Vec<Assessment>)> {
    let mut tx = super::begin_write(&store.pool).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE key = $1")
        .bind(&person.key)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict(format!(
            "a person with key '{}' already exists",
            person.key
        )));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO people (key, name, role_id, grade, manager_id, team, demo, created_at, email) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8) RETURNING id",
    )
    .bind(&person.key)
    .bind(&person.name)
    .bind(person.role.map(|r| r.0))
    .bind(&person.grade)
    .bind(person.manager.map(|m| m.0))
    .bind(&person.team)
    .bind(now)
    .bind(&person.email)
    .fetch_one(&mut *tx)
    .await?;
    let change = changes::person_added(&mut tx, PersonId(id)).await?;
    audit::record(&mut tx, actor, now, &change).await?;
    let ids = insert_assessments(&mut tx, PersonId(id), assessments).await?;
    for assessment in &ids {
        let change = changes::assessment_added(&mut tx, *assessment).await?;
        audit::record(&mut tx, actor, now, &change).await?;
    }
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    forget_seen_generation(store);
    let person = store.person(PersonId(id)).await?;
    Ok((person, store.assessments_by_id(&ids).await?))
}

pub(super) async fn person(store: &SqliteStore, id: PersonId) -> Result<Person> {
    let sql = format!("{PERSON_SELECT} WHERE p.id = $1");
    let rows: Vec<PersonRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_all(&store.pool)
        .await?;
    store
        .people_from(rows)
        .await?
        .pop()
        .ok_or(StoreError::NotFound {
            what: "person",
            id: id.to_string(),
        })
}

pub(super) async fn people(store: &SqliteStore) -> Result<Vec<Person>> {
    let sql = format!("{PERSON_SELECT} ORDER BY lower(p.name), p.id");
    let rows: Vec<PersonRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(&store.pool)
        .await?;
    store.people_from(rows).await
}

pub(super) async fn reports(store: &SqliteStore, manager: PersonId) -> Result<Vec<Person>> {
    let sql = format!(
        "WITH RECURSIVE team(id) AS (SELECT id FROM people WHERE manager_id = $1 \
         UNION SELECT p.id FROM people p JOIN team t ON p.manager_id = t.id) \
         {PERSON_SELECT} WHERE p.id IN (SELECT id FROM team) AND p.id <> $1 AND p.archived_at IS NULL \
         ORDER BY lower(p.name), p.id"
    );
    let rows: Vec<PersonRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(manager.0)
        .fetch_all(&store.pool)
        .await?;
    store.people_from(rows).await
}

/// Walks up from `person` through each manager in turn; `UNION` drops a manager met twice, so a
/// cycle in the chain ends the walk instead of looping.
pub(super) async fn manages(
    store: &SqliteStore,
    manager: PersonId,
    person: PersonId,
) -> Result<bool> {
    let found: i64 = sqlx::query_scalar(
        "WITH RECURSIVE chain(id) AS (SELECT manager_id FROM people WHERE id = $2 \
         UNION SELECT p.manager_id FROM people p JOIN chain c ON p.id = c.id) \
         SELECT EXISTS (SELECT 1 FROM chain WHERE id = $1)",
    )
    .bind(manager.0)
    .bind(person.0)
    .fetch_one(&store.pool)
    .await?;
    Ok(found != 0)
}

pub(super) async fn add_assessments(
    store: &SqliteStore,
    assessments: &[NewAssessment],
    actor: &Actor,
    now: &str,
) -> Result<Vec<Assessment>> {
    let mut tx = super::begin_write(&store.pool).await?;
    let mut ids = Vec::with_capacity(assessments.len());
    for a in assessments {
        ids.extend(insert_assessments(&mut tx, a.person, std::slice::from_ref(a)).await?);
    }
    for id in &ids {
        let change = changes::assessment_added(&mut tx, *id).await?;
        audit::record(&mut tx, actor, now, &change).await?;
    }
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    forget_seen_generation(store);
    store.assessments_by_id(&ids).await
}

pub(super) async fn assessments(pool: &SqlitePool, person: PersonId) -> Result<Vec<Assessment>> {
    let sql = format!("{ASSESSMENT_SELECT} WHERE a.person_id = $1 ORDER BY a.at, a.id");
    let rows: Vec<AssessmentRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(person.0)
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(assessment_from).collect()
}
