//! Reviewed mappings between skills of two frameworks (migration 0008), the suggestions a
//! reviewer rejected (0024), and the skill texts a crosswalk is suggested from.

use sqlx::PgPool;

use rolemap_core::{Mapping, MappingKind, SkillId};

use crate::{Actor, Change, MappingDecision, Result};

/// Stores `mappings` in one transaction: a (from, to) pair already stored takes the new type,
/// confidence and source. Moves the frameworks generation on, since similarity reads them.
pub(super) async fn apply(
    pool: &PgPool,
    mappings: &[Mapping],
    source: &str,
    actor: &Actor,
    now: &str,
) -> Result<usize> {
    let mut tx = super::begin_write(pool).await?;
    for mapping in mappings {
        sqlx::query(
            "INSERT INTO mappings (from_skill, to_skill, type, confidence, source, applied_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (from_skill, to_skill) \
             DO UPDATE SET type = excluded.type, confidence = excluded.confidence, \
             source = excluded.source, applied_at = excluded.applied_at",
        )
        .bind(mapping.from.0)
        .bind(mapping.to.0)
        .bind(mapping.kind.as_str())
        .bind(f64::from(mapping.confidence))
        .bind(source)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE meta SET value = value + 1 WHERE key = 'frameworks_generation'")
        .execute(&mut *tx)
        .await?;
    // One entry for the file, not one per mapping.
    let change = Change {
        action: "mappings.import",
        subject: source.to_owned(),
        person: None,
        before: None,
        after: Some(serde_json::json!({ "mappings": mappings.len() })),
    };
    super::audit::record(&mut tx, actor, now, &change).await?;
    tx.commit().await?;
    Ok(mappings.len())
}

/// A pair's review as the audit log keeps it: the mapping stored (type, confidence), a
/// rejection, or `None` for neither; and the pair's name, `framework:key` at both ends.
async fn review_of(
    conn: &mut sqlx::PgConnection,
    from: SkillId,
    to: SkillId,
) -> Result<(String, Option<serde_json::Value>)> {
    let name: Vec<(String,)> = sqlx::query_as(
        "SELECT f.key || ':' || s.key FROM skills s JOIN frameworks f ON f.id = s.framework_id \
         WHERE s.id IN ($1, $2) ORDER BY s.id = $2",
    )
    .bind(from.0)
    .bind(to.0)
    .fetch_all(&mut *conn)
    .await?;
    let subject = format!(
        "mapping:{}",
        name.into_iter()
            .map(|(n,)| n)
            .collect::<Vec<_>>()
            .join(" -> ")
    );
    let mapped: Option<(String, f64)> = sqlx::query_as(
        "SELECT type, confidence FROM mappings WHERE from_skill = $1 AND to_skill = $2",
    )
    .bind(from.0)
    .bind(to.0)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((kind, confidence)) = mapped {
        let state =
            serde_json::json!({"decision": "accept", "type": kind, "confidence": confidence});
        return Ok((subject, Some(state)));
    }
    let rejected: Option<(String,)> = sqlx::query_as(
        "SELECT rejected_at FROM mapping_rejections WHERE from_skill = $1 AND to_skill = $2",
    )
    .bind(from.0)
    .bind(to.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok((
        subject,
        rejected.map(|_| serde_json::json!({"decision": "reject"})),
    ))
}

/// Stores decisions in one transaction: an accepted pair is upserted as a mapping and its
/// rejection dropped; a rejected pair is kept and its mapping (that way round) dropped. Each
/// decision is one audit entry, the pair's review before and after.
pub(super) async fn decide(
    pool: &PgPool,
    decisions: &[MappingDecision],
    source: &str,
    actor: &Actor,
    now: &str,
) -> Result<usize> {
    let mut tx = super::begin_write(pool).await?;
    for decision in decisions {
        let (from, to, action) = match decision {
            MappingDecision::Accept(m) => (m.from, m.to, "mapping.accept"),
            MappingDecision::Reject { from, to } => (*from, *to, "mapping.reject"),
        };
        let (subject, before) = review_of(&mut tx, from, to).await?;
        match decision {
            MappingDecision::Accept(mapping) => {
                sqlx::query(
                    "INSERT INTO mappings (from_skill, to_skill, type, confidence, source, \
                     applied_at) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (from_skill, to_skill) DO UPDATE SET type = excluded.type, \
                     confidence = excluded.confidence, source = excluded.source, \
                     applied_at = excluded.applied_at",
                )
                .bind(mapping.from.0)
                .bind(mapping.to.0)
                .bind(mapping.kind.as_str())
                .bind(f64::from(mapping.confidence))
                .bind(source)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "DELETE FROM mapping_rejections WHERE from_skill = $1 AND to_skill = $2",
                )
                .bind(mapping.from.0)
                .bind(mapping.to.0)
                .execute(&mut *tx)
                .await?;
            }
            MappingDecision::Reject { from, to } => {
                sqlx::query(
                    "INSERT INTO mapping_rejections (from_skill, to_skill, rejected_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (from_skill, to_skill) \
                     DO UPDATE SET rejected_at = excluded.rejected_at",
                )
                .bind(from.0)
                .bind(to.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM mappings WHERE from_skill = $1 AND to_skill = $2")
                    .bind(from.0)
                    .bind(to.0)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let (_, after) = review_of(&mut tx, from, to).await?;
        super::audit::record(
            &mut tx,
            actor,
            now,
            &Change {
                action,
                subject,
                person: None,
                before,
                after,
            },
        )
        .await?;
    }
    sqlx::query("UPDATE meta SET value = value + 1 WHERE key = 'frameworks_generation'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(decisions.len())
}

/// Every rejected pair, ordered by from and to.
pub(super) async fn rejections(pool: &PgPool) -> Result<Vec<(SkillId, SkillId)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT from_skill, to_skill FROM mapping_rejections ORDER BY from_skill, to_skill",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(from, to)| (SkillId(from), SkillId(to)))
        .collect())
}

/// Every stored mapping, ordered by from and to.
pub(super) async fn all(pool: &PgPool) -> Result<Vec<Mapping>> {
    let rows: Vec<(i64, i64, String, f64)> = sqlx::query_as(
        "SELECT from_skill, to_skill, type, confidence FROM mappings \
         ORDER BY from_skill, to_skill",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(from, to, kind, confidence)| {
            Some(Mapping {
                from: SkillId(from),
                to: SkillId(to),
                kind: MappingKind::parse(&kind)?,
                confidence: confidence as f32,
            })
        })
        .collect())
}

/// The skills of a framework's latest version as (id, key, preferred label, description), by
/// key.
pub(super) async fn skill_texts(
    pool: &PgPool,
    framework: &str,
) -> Result<Vec<(SkillId, String, String, String)>> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, key, label, description FROM skills \
         WHERE framework_id = (SELECT max(id) FROM frameworks WHERE key = $1) ORDER BY key, id",
    )
    .bind(framework)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, key, label, description)| (SkillId(id), key, label, description))
        .collect())
}
