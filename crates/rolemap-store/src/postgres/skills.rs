//! Skills and the scales their levels are read on: listing, one skill, names for resolution.

use std::collections::HashMap;

use rolemap_core::{Level, LevelDef, RequiredLevel, ReuseLevel, Scale, Skill, SkillId, SkillKind};
use sqlx::PgPool;

use super::PgStore;
use crate::{NameEntry, Result, SkillFilter, StoreError};

/// Scales loaded once per call, by id.
#[derive(Default)]
pub(super) struct ScaleCache(HashMap<i64, Scale>);

impl ScaleCache {
    pub(super) async fn get(
        &mut self,
        tx: &mut sqlx::PgConnection,
        id: Option<i64>,
    ) -> Result<Option<Scale>> {
        let Some(id) = id else { return Ok(None) };
        if let Some(scale) = self.0.get(&id) {
            return Ok(Some(scale.clone()));
        }
        let (key, name): (String, String) =
            sqlx::query_as("SELECT key, name FROM scales WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        let levels: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT code, name, descriptor FROM scale_levels WHERE scale_id = $1 ORDER BY rank",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let levels = levels
            .into_iter()
            .map(|(code, name, descriptor)| LevelDef {
                code,
                name,
                descriptor,
            })
            .collect();
        let scale =
            Scale::new(key, name, levels).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.0.insert(id, scale.clone());
        Ok(Some(scale))
    }
}

pub(super) fn parse_level(scale: Option<&Scale>, code: &str) -> Result<Level> {
    let scale = scale.cloned().unwrap_or_else(Scale::presence);
    scale
        .parse(code)
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(super) fn required(scale: Option<&Scale>, code: Option<&str>) -> Result<RequiredLevel> {
    match code {
        Some(code) => parse_level(scale, code).map(RequiredLevel::Specified),
        None => Ok(RequiredLevel::NotSpecified),
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct SkillRow {
    id: i64,
    framework_key: String,
    key: String,
    label: String,
    description: String,
    kind: String,
    reuse: Option<String>,
    scale_id: Option<i64>,
}

pub(super) const SKILL_COLUMNS: &str =
    "s.id, f.key AS framework_key, s.key, s.label, s.description, s.kind, s.reuse, s.scale_id";

/// Finds a stored skill by framework key and skill key (latest framework version), with its scale.
pub(super) async fn stored_skill(
    conn: &mut sqlx::PgConnection,
    scales: &mut ScaleCache,
    framework: &str,
    key: &str,
) -> Result<Option<(i64, Option<Scale>)>> {
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT s.id, s.scale_id FROM skills s JOIN frameworks f ON f.id = s.framework_id \
         WHERE f.key = $1 AND lower(s.key) = lower($2) ORDER BY f.id DESC LIMIT 1",
    )
    .bind(framework)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some((id, scale_id)) => Ok(Some((id, scales.get(conn, scale_id).await?))),
        None => Ok(None),
    }
}

impl PgStore {
    pub(super) async fn skills_from_rows(
        &self,
        conn: &mut sqlx::PgConnection,
        rows: Vec<SkillRow>,
    ) -> Result<Vec<Skill>> {
        let mut scales = ScaleCache::default();
        let mut skills = Vec::with_capacity(rows.len());
        let want_extras = rows.len() < 2000;
        let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
        let mut labels: HashMap<i64, Vec<String>> = HashMap::new();
        if !rows.is_empty() {
            // Only these skills' tags and labels, in one query each: the ids go in as an array.
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let some_tags: Vec<(i64, String)> = sqlx::query_as(
                "SELECT skill_id, tag FROM skill_tags \
                 WHERE skill_id = ANY($1) ORDER BY skill_id, tag",
            )
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await?;
            for (id, tag) in some_tags {
                tags.entry(id).or_default().push(tag);
            }
            if want_extras {
                let alt: Vec<(i64, String)> = sqlx::query_as(
                    "SELECT skill_id, label FROM skill_labels \
                     WHERE skill_id = ANY($1) AND kind = 'alt' \
                     ORDER BY skill_id, position",
                )
                .bind(&ids)
                .fetch_all(&mut *conn)
                .await?;
                for (id, label) in alt {
                    labels.entry(id).or_default().push(label);
                }
            }
        }
        for row in rows {
            let scale = scales.get(conn, row.scale_id).await?;
            skills.push(Skill {
                id: SkillId(row.id),
                framework_key: row.framework_key,
                key: row.key,
                label: row.label,
                alt_labels: labels.remove(&row.id).unwrap_or_default(),
                description: row.description,
                kind: SkillKind::parse(&row.kind).ok_or_else(|| {
                    StoreError::Corrupt(format!("unknown skill kind '{}'", row.kind))
                })?,
                reuse: row.reuse.as_deref().and_then(ReuseLevel::parse),
                tags: tags.remove(&row.id).unwrap_or_default(),
                scale,
            });
        }
        Ok(skills)
    }
}

pub(super) async fn skills(store: &PgStore, filter: &SkillFilter) -> Result<Vec<Skill>> {
    let sql = format!(
        "SELECT {SKILL_COLUMNS} FROM skills s JOIN frameworks f ON f.id = s.framework_id \
         WHERE ($1 IS NULL OR f.key = $1) AND ($2 IS NULL OR s.kind = lower($2)) \
         AND ($3 IS NULL OR EXISTS (SELECT 1 FROM skill_tags t WHERE t.skill_id = s.id AND lower(t.tag) = lower($3))) \
         AND ($4 IS NULL OR strpos(lower(s.label), lower($4)) > 0 \
              OR EXISTS (SELECT 1 FROM skill_labels l WHERE l.skill_id = s.id AND strpos(lower(l.label), lower($4)) > 0)) \
         ORDER BY f.key, f.id, lower(s.label), s.id"
    );
    let mut conn = store.pool.acquire().await?;
    let rows: Vec<SkillRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&filter.framework)
        .bind(&filter.kind)
        .bind(&filter.tag)
        .bind(&filter.text)
        .fetch_all(&mut *conn)
        .await?;
    store.skills_from_rows(&mut conn, rows).await
}

pub(super) async fn skill(store: &PgStore, id: SkillId) -> Result<Skill> {
    let sql = format!(
        "SELECT {SKILL_COLUMNS} FROM skills s JOIN frameworks f ON f.id = s.framework_id WHERE s.id = $1"
    );
    let mut conn = store.pool.acquire().await?;
    let rows: Vec<SkillRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    store
        .skills_from_rows(&mut conn, rows)
        .await?
        .pop()
        .ok_or(StoreError::NotFound {
            what: "skill",
            id: id.to_string(),
        })
}

pub(super) async fn skills_sharing_labels(store: &PgStore) -> Result<Vec<Skill>> {
    // One pass grouping every skill by framework and label, then the few rows: 30-40 ms with
    // ESCO's 14,000 skills stored (a busy machine), once per process and frameworks generation.
    let sql = format!(
        "SELECT {SKILL_COLUMNS} FROM skills s JOIN frameworks f ON f.id = s.framework_id \
         WHERE (s.framework_id, lower(s.label)) IN \
           (SELECT framework_id, lower(label) FROM skills GROUP BY 1, 2 HAVING count(*) > 1) \
         ORDER BY s.id"
    );
    let mut conn = store.pool.acquire().await?;
    let rows: Vec<SkillRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    store.skills_from_rows(&mut conn, rows).await
}

pub(super) async fn skill_names(
    pool: &PgPool,
    framework: Option<&str>,
) -> Result<Vec<NameEntry<SkillId>>> {
    super::name_entries(pool, framework, SkillId,
        "SELECT s.id, f.key, s.key, s.label, 0::int8 FROM skills s JOIN frameworks f ON f.id = s.framework_id WHERE ($1 IS NULL OR f.key = $1) \
         UNION ALL SELECT s.id, f.key, s.key, l.label, 1::int8 FROM skill_labels l JOIN skills s ON s.id = l.skill_id \
         JOIN frameworks f ON f.id = s.framework_id WHERE ($1 IS NULL OR f.key = $1) \
         UNION ALL SELECT s.id, f.key, s.key, l.label, 2::int8 FROM esco_labels l \
         JOIN esco_concepts c ON c.id = l.concept_id AND c.kind = 'skill' \
         JOIN skills s ON s.framework_id = c.framework_id AND s.key = c.uri \
         JOIN frameworks f ON f.id = s.framework_id WHERE l.kind = 'hidden' AND ($1 IS NULL OR f.key = $1) ORDER BY 1, 5",
    )
    .await
}
