//! Reviewed mappings between skills of two frameworks (migration 0008), and the skill texts a
//! crosswalk is suggested from.

use sqlx::PgPool;

use rolemap_core::{Mapping, MappingKind, SkillId};

use crate::Result;

/// Stores `mappings` in one transaction: a (from, to) pair already stored takes the new type,
/// confidence and source. Moves the frameworks generation on, since similarity reads them.
pub(super) async fn apply(
    pool: &PgPool,
    mappings: &[Mapping],
    source: &str,
    now: &str,
) -> Result<usize> {
    let mut tx = pool.begin().await?;
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
    tx.commit().await?;
    Ok(mappings.len())
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
