//! Reviews of self-ratings, review cycles and development goals (migration 0019). Every write
//! records its changes in the audit log inside its own transaction.

use rolemap_core::{Level, PersonId, SkillId, Source};
use serde_json::json;
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::people::{bump_people_generation, forget_seen_generation, rank_u8};
use super::skills::parse_level;
use super::{SqliteStore, audit};
use crate::audit::{Actor, Change};
use crate::plans::{
    Cycle, CycleScope, Goal, GoalChange, NewCycle, NewGoal, NewReview, PeopleScope, ReviewOutcome,
    StoredReview,
};
use crate::{Result, StoreError};

/// The ids of everyone below `$1`, directly or through others (`UNION` ends a cycle in the tree).
const BELOW: &str = "WITH RECURSIVE team(id) AS (SELECT id FROM people WHERE manager_id = $1 \
     UNION SELECT p.id FROM people p JOIN team t ON p.manager_id = t.id) ";

/// The `WITH` prefix and the condition on a person id column for a scope; `$1` is the person.
fn scoped(scope: PeopleScope, column: &str) -> (&'static str, String, i64) {
    match scope {
        PeopleScope::Person(id) => ("", format!("{column} = $1"), id.0),
        PeopleScope::Below(manager) => (
            BELOW,
            format!("{column} IN (SELECT id FROM team) AND {column} <> $1"),
            manager.0,
        ),
    }
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: i64,
    person_id: i64,
    skill_id: i64,
    self_rating: i64,
    manager_rating: i64,
    outcome: String,
    at: String,
}

fn review_from(row: ReviewRow) -> Result<StoredReview> {
    Ok(StoredReview {
        outcome: ReviewOutcome::parse(&row.outcome).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "review {}: unknown outcome '{}'",
                row.id, row.outcome
            ))
        })?,
        id: row.id,
        person: PersonId(row.person_id),
        skill: SkillId(row.skill_id),
        self_rating: row.self_rating,
        manager_rating: row.manager_rating,
        at: row.at,
    })
}

/// Records the manager rating a review makes and the review itself, in one transaction.
pub(super) async fn add_review(
    store: &SqliteStore,
    review: &NewReview,
    actor: &Actor,
    now: &str,
) -> Result<StoredReview> {
    let mut tx = store.pool.begin().await?;
    let found: Option<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT person_id, skill_id, source, level_code FROM assessments WHERE id = $1",
    )
    .bind(review.self_rating)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((_, skill, source, self_level)) =
        found.filter(|(person, ..)| *person == review.person.0)
    else {
        return Err(StoreError::NotFound {
            what: "self-rating",
            id: review.self_rating.to_string(),
        });
    };
    if source != Source::SelfAssessed.as_str() {
        return Err(StoreError::Conflict(format!(
            "assessment {} is a {source} rating, not a self-rating",
            review.self_rating
        )));
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM reviews WHERE self_rating = $1")
        .bind(review.self_rating)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict(format!(
            "self-rating {} has already been reviewed",
            review.self_rating
        )));
    }
    let manager_rating: i64 = sqlx::query_scalar(
        "INSERT INTO assessments (person_id, skill_id, level_code, source, at, note, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(review.person.0)
    .bind(skill)
    .bind(review.level.code())
    .bind(Source::Manager.as_str())
    .bind(now)
    .bind(&review.note)
    .bind(review.reviewed_by.map(|u| u.0))
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reviews (person_id, self_rating, manager_rating, outcome, reviewed_by, at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(review.person.0)
    .bind(review.self_rating)
    .bind(manager_rating)
    .bind(review.outcome.as_str())
    .bind(review.reviewed_by.map(|u| u.0))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        now,
        &Change {
            action: "assessment.add",
            subject: format!("assessment:{manager_rating}"),
            person: Some(review.person),
            before: None,
            after: Some(json!({
                "skill": skill,
                "level": review.level.code(),
                "source": Source::Manager.as_str(),
                "note": review.note,
            })),
        },
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        now,
        &Change {
            action: "review.add",
            subject: format!("review:{id}"),
            person: Some(review.person),
            before: None,
            after: Some(json!({
                "skill": skill,
                "self_rating": review.self_rating,
                "self_level": self_level,
                "manager_rating": manager_rating,
                "level": review.level.code(),
                "outcome": review.outcome.as_str(),
            })),
        },
    )
    .await?;
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    forget_seen_generation(store);
    Ok(StoredReview {
        id,
        person: review.person,
        skill: SkillId(skill),
        self_rating: review.self_rating,
        manager_rating,
        outcome: review.outcome,
        at: now.to_owned(),
    })
}

pub(super) async fn reviews(pool: &SqlitePool, scope: PeopleScope) -> Result<Vec<StoredReview>> {
    let (with, condition, id) = scoped(scope, "r.person_id");
    let sql = format!(
        "{with}SELECT r.id, r.person_id, a.skill_id, r.self_rating, r.manager_rating, r.outcome, \
         r.at FROM reviews r JOIN assessments a ON a.id = r.self_rating \
         WHERE {condition} ORDER BY r.at, r.id"
    );
    let rows: Vec<ReviewRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(review_from).collect()
}

#[derive(sqlx::FromRow)]
struct GoalRow {
    id: i64,
    person_id: i64,
    skill_id: i64,
    label: String,
    target_level: String,
    rank: Option<i64>,
    level_name: Option<String>,
    due: String,
    note: String,
    dropped: i64,
    created_by: Option<String>,
    created_at: String,
    updated_at: String,
}

const GOAL_SELECT: &str = "SELECT g.id, g.person_id, g.skill_id, s.label, g.target_level, sl.rank, \
     sl.name AS level_name, g.due, g.note, g.dropped, u.display_name AS created_by, g.created_at, \
     g.updated_at FROM goals g JOIN skills s ON s.id = g.skill_id \
     LEFT JOIN scale_levels sl ON sl.scale_id = s.scale_id AND sl.code = g.target_level \
     LEFT JOIN users u ON u.id = g.created_by";

fn goal_from(row: GoalRow) -> Result<Goal> {
    let target = match (row.rank, row.level_name) {
        (Some(rank), Some(name)) => Level::from_parts(rank_u8(rank)?, row.target_level, name),
        // A skill without a scale is held or not.
        _ => parse_level(None, &row.target_level)?,
    };
    Ok(Goal {
        id: row.id,
        person: PersonId(row.person_id),
        skill: SkillId(row.skill_id),
        skill_label: row.label,
        target,
        due: row.due,
        note: row.note,
        dropped: row.dropped != 0,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The fields of a goal that matter to the audit log.
fn goal_json(goal: &Goal) -> serde_json::Value {
    json!({
        "skill": goal.skill.0,
        "target": goal.target.code(),
        "due": goal.due,
        "note": goal.note,
        "dropped": goal.dropped,
    })
}

async fn goal_in(tx: &mut Transaction<'_, Sqlite>, id: i64) -> Result<Option<Goal>> {
    let sql = format!("{GOAL_SELECT} WHERE g.id = $1");
    let row: Option<GoalRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(goal_from).transpose()
}

pub(super) async fn add_goal(
    store: &SqliteStore,
    goal: &NewGoal,
    actor: &Actor,
    now: &str,
) -> Result<Goal> {
    let mut tx = store.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO goals (person_id, skill_id, target_level, due, note, created_by, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(goal.person.0)
    .bind(goal.skill.0)
    .bind(goal.target.code())
    .bind(&goal.due)
    .bind(&goal.note)
    .bind(goal.created_by.map(|u| u.0))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let stored = goal_in(&mut tx, id).await?.ok_or(StoreError::NotFound {
        what: "goal",
        id: id.to_string(),
    })?;
    audit::record(
        &mut tx,
        actor,
        now,
        &Change {
            action: "goal.add",
            subject: format!("goal:{id}"),
            person: Some(goal.person),
            before: None,
            after: Some(goal_json(&stored)),
        },
    )
    .await?;
    // Goals and cycles are part of what the team page keeps per people generation.
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    forget_seen_generation(store);
    Ok(stored)
}

pub(super) async fn update_goal(
    store: &SqliteStore,
    person: PersonId,
    id: i64,
    change: &GoalChange,
    actor: &Actor,
    now: &str,
) -> Result<Goal> {
    let mut tx = store.pool.begin().await?;
    // Another person's goal is not found, as one that does not exist.
    let Some(before) = goal_in(&mut tx, id).await?.filter(|g| g.person == person) else {
        return Err(StoreError::NotFound {
            what: "goal",
            id: id.to_string(),
        });
    };
    sqlx::query(
        "UPDATE goals SET target_level = coalesce($2, target_level), due = coalesce($3, due), \
         note = coalesce($4, note), dropped = coalesce($5, dropped), updated_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(change.target.as_ref().map(Level::code))
    .bind(change.due.as_deref())
    .bind(change.note.as_deref())
    .bind(change.dropped.map(i64::from))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let after = goal_in(&mut tx, id).await?.ok_or(StoreError::NotFound {
        what: "goal",
        id: id.to_string(),
    })?;
    audit::record(
        &mut tx,
        actor,
        now,
        &Change {
            action: "goal.update",
            subject: format!("goal:{id}"),
            person: Some(person),
            before: Some(goal_json(&before)),
            after: Some(goal_json(&after)),
        },
    )
    .await?;
    // Goals and cycles are part of what the team page keeps per people generation.
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    forget_seen_generation(store);
    Ok(after)
}

pub(super) async fn goals(pool: &SqlitePool, scope: PeopleScope) -> Result<Vec<Goal>> {
    let (with, condition, id) = scoped(scope, "g.person_id");
    let sql = format!("{with}{GOAL_SELECT} WHERE {condition} ORDER BY g.due, g.id");
    let rows: Vec<GoalRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(goal_from).collect()
}

#[derive(sqlx::FromRow)]
struct CycleRow {
    id: i64,
    name: String,
    starts: String,
    ends: String,
    scope: String,
    manager_id: Option<i64>,
    opened_at: String,
    closed_at: Option<String>,
}

const CYCLE_SELECT: &str =
    "SELECT id, name, starts, ends, scope, manager_id, opened_at, closed_at FROM review_cycles";

async fn cycle_from(conn: &mut sqlx::SqliteConnection, row: CycleRow) -> Result<Cycle> {
    let scope = match (row.scope.as_str(), row.manager_id) {
        ("everyone", _) => CycleScope::Everyone,
        ("team", Some(manager)) => CycleScope::Team(PersonId(manager)),
        ("list", _) => {
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT person_id FROM review_cycle_people WHERE cycle_id = $1 ORDER BY person_id",
            )
            .bind(row.id)
            .fetch_all(&mut *conn)
            .await?;
            CycleScope::List(ids.into_iter().map(PersonId).collect())
        }
        (other, _) => {
            return Err(StoreError::Corrupt(format!(
                "review cycle {}: unknown scope '{other}'",
                row.id
            )));
        }
    };
    Ok(Cycle {
        id: row.id,
        name: row.name,
        starts: row.starts,
        ends: row.ends,
        scope,
        opened_at: row.opened_at,
        closed_at: row.closed_at,
    })
}

async fn cycle_in(conn: &mut sqlx::SqliteConnection, id: i64) -> Result<Option<Cycle>> {
    let sql = format!("{CYCLE_SELECT} WHERE id = $1");
    let row: Option<CycleRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => Ok(Some(cycle_from(conn, row).await?)),
        None => Ok(None),
    }
}

fn cycle_json(cycle: &Cycle) -> serde_json::Value {
    let (manager, people) = match &cycle.scope {
        CycleScope::Everyone => (None, Vec::new()),
        CycleScope::Team(manager) => (Some(manager.0), Vec::new()),
        CycleScope::List(people) => (None, people.iter().map(|p| p.0).collect()),
    };
    json!({
        "name": cycle.name,
        "starts": cycle.starts,
        "ends": cycle.ends,
        "scope": cycle.scope.as_str(),
        "manager": manager,
        "people": people,
        "closed_at": cycle.closed_at,
    })
}

pub(super) async fn open_cycle(
    store: &SqliteStore,
    cycle: &NewCycle,
    actor: &Actor,
    now: &str,
) -> Result<Cycle> {
    let mut tx = store.pool.begin().await?;
    let manager = match &cycle.scope {
        CycleScope::Team(manager) => Some(manager.0),
        _ => None,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO review_cycles (name, starts, ends, scope, manager_id, opened_by, opened_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&cycle.name)
    .bind(&cycle.starts)
    .bind(&cycle.ends)
    .bind(cycle.scope.as_str())
    .bind(manager)
    .bind(cycle.opened_by.map(|u| u.0))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    if let CycleScope::List(people) = &cycle.scope {
        for person in people {
            sqlx::query(
                "INSERT OR IGNORE INTO review_cycle_people (cycle_id, person_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(person.0)
            .execute(&mut *tx)
            .await?;
        }
    }
    let stored = cycle_in(&mut tx, id).await?.ok_or(StoreError::NotFound {
        what: "review cycle",
        id: id.to_string(),
    })?;
    audit::record(
        &mut tx,
        actor,
        now,
        &Change {
            action: "cycle.open",
            subject: format!("cycle:{id}"),
            person: None,
            before: None,
            after: Some(cycle_json(&stored)),
        },
    )
    .await?;
    // Goals and cycles are part of what the team page keeps per people generation.
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    forget_seen_generation(store);
    Ok(stored)
}

pub(super) async fn close_cycle(
    store: &SqliteStore,
    id: i64,
    actor: &Actor,
    now: &str,
) -> Result<Cycle> {
    let mut tx = store.pool.begin().await?;
    let Some(before) = cycle_in(&mut tx, id).await? else {
        return Err(StoreError::NotFound {
            what: "review cycle",
            id: id.to_string(),
        });
    };
    if before.closed_at.is_some() {
        return Err(StoreError::Conflict(format!(
            "review cycle '{}' is already closed",
            before.name
        )));
    }
    sqlx::query("UPDATE review_cycles SET closed_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let after = cycle_in(&mut tx, id).await?.ok_or(StoreError::NotFound {
        what: "review cycle",
        id: id.to_string(),
    })?;
    audit::record(
        &mut tx,
        actor,
        now,
        &Change {
            action: "cycle.close",
            subject: format!("cycle:{id}"),
            person: None,
            before: Some(cycle_json(&before)),
            after: Some(cycle_json(&after)),
        },
    )
    .await?;
    // Goals and cycles are part of what the team page keeps per people generation.
    bump_people_generation(&mut tx).await?;
    tx.commit().await?;
    forget_seen_generation(store);
    Ok(after)
}

/// Every review cycle, the latest start first.
pub(super) async fn cycles(pool: &SqlitePool) -> Result<Vec<Cycle>> {
    let mut conn = pool.acquire().await?;
    let sql = format!("{CYCLE_SELECT} ORDER BY starts DESC, id DESC");
    let rows: Vec<CycleRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(cycle_from(&mut conn, row).await?);
    }
    Ok(out)
}
