//! Roles: summaries, one role's whole profile (requirements, levels per grade, links), names for
//! resolution, and the roles requiring a skill.

use std::collections::HashMap;

use rolemap_core::framework::Grade;
use rolemap_core::{
    Code, Dimension, Duty, GradeLadder, Importance, JobFamily, LinkKind, Requirement, Role, RoleId,
    RoleLink, RoleSummary, Skill, SkillId,
};
use sqlx::PgPool;

use super::PgStore;
use super::skills::{SKILL_COLUMNS, SkillRow, required};
use crate::{NameEntry, Result, RoleFilter, StoreError};

#[derive(sqlx::FromRow)]
struct RoleRow {
    framework_key: String,
    framework_name: String,
    attribution: String,
    key: String,
    title: String,
    summary: String,
    description: String,
    family_id: Option<i64>,
    level: Option<i64>,
    ladder_id: Option<i64>,
    routes_in: String,
    transferable_skills: String,
    typical_employers: String,
    duration: String,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    framework_key: String,
    framework_version: String,
    key: String,
    title: String,
    family: Option<String>,
    level: Option<i64>,
}

const SUMMARY_COLUMNS: &str = "r.id, f.key AS framework_key, f.version AS framework_version, r.key, r.title, fam.name AS family, r.level";
const SUMMARY_FROM: &str = "roles r JOIN frameworks f ON f.id = r.framework_id LEFT JOIN families fam ON fam.id = r.family_id";

/// Finds a stored role by framework key and role key (latest framework version).
pub(super) async fn stored_role(
    conn: &mut sqlx::PgConnection,
    framework: &str,
    key: &str,
) -> Result<Option<(i64, Vec<String>)>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT r.id FROM roles r JOIN frameworks f ON f.id = r.framework_id \
         WHERE f.key = $1 AND lower(r.key) = lower($2) ORDER BY f.id DESC LIMIT 1",
    )
    .bind(framework)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else { return Ok(None) };
    let grades: Vec<(String,)> =
        sqlx::query_as("SELECT grade FROM role_grades WHERE role_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Some((id, grades.into_iter().map(|(g,)| g).collect())))
}

impl PgStore {
    async fn summaries(
        &self,
        conn: &mut sqlx::PgConnection,
        rows: Vec<SummaryRow>,
    ) -> Result<Vec<RoleSummary>> {
        let mut grades: HashMap<i64, Vec<String>> = HashMap::new();
        if !rows.is_empty() {
            let all: Vec<(i64, String)> =
                sqlx::query_as("SELECT role_id, grade FROM role_grades ORDER BY role_id, position")
                    .fetch_all(&mut *conn)
                    .await?;
            for (role, grade) in all {
                grades.entry(role).or_default().push(grade);
            }
        }
        Ok(rows
            .into_iter()
            .map(|r| RoleSummary {
                id: RoleId(r.id),
                framework_key: r.framework_key,
                framework_version: Some(r.framework_version),
                key: r.key,
                title: r.title,
                family: r.family,
                level: r.level.and_then(|l| u8::try_from(l).ok()),
                grades: grades.remove(&r.id).unwrap_or_default(),
            })
            .collect())
    }

    pub(super) async fn summary(
        &self,
        conn: &mut sqlx::PgConnection,
        id: i64,
    ) -> Result<RoleSummary> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM {SUMMARY_FROM} WHERE r.id = $1");
        let row: Option<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        let row = row.ok_or(StoreError::NotFound {
            what: "role",
            id: id.to_string(),
        })?;
        let grades: Vec<(String,)> =
            sqlx::query_as("SELECT grade FROM role_grades WHERE role_id = $1 ORDER BY position")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
        let mut summaries = self.summaries_without_grades(vec![row]);
        let mut summary = summaries.remove(0);
        summary.grades = grades.into_iter().map(|(g,)| g).collect();
        Ok(summary)
    }

    fn summaries_without_grades(&self, rows: Vec<SummaryRow>) -> Vec<RoleSummary> {
        rows.into_iter()
            .map(|r| RoleSummary {
                id: RoleId(r.id),
                framework_key: r.framework_key,
                framework_version: Some(r.framework_version),
                key: r.key,
                title: r.title,
                family: r.family,
                level: r.level.and_then(|l| u8::try_from(l).ok()),
                grades: Vec::new(),
            })
            .collect()
    }
}

pub(super) async fn role_by_key(
    pool: &PgPool,
    framework: &str,
    key: &str,
) -> Result<Option<RoleId>> {
    let mut conn = pool.acquire().await?;
    Ok(stored_role(&mut conn, framework, key)
        .await?
        .map(|(id, _)| RoleId(id)))
}

pub(super) async fn roles(store: &PgStore, filter: &RoleFilter) -> Result<Vec<RoleSummary>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {SUMMARY_FROM} \
         WHERE ($1 IS NULL OR f.key = $1) AND ($2 IS NULL OR lower(fam.key) = lower($2) OR lower(fam.name) = lower($2)) \
         ORDER BY f.key, f.id, lower(fam.name) NULLS FIRST, lower(r.title), r.id"
    );
    let mut conn = store.pool.acquire().await?;
    let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&filter.framework)
        .bind(&filter.family)
        .fetch_all(&mut *conn)
        .await?;
    store.summaries(&mut conn, rows).await
}

pub(super) async fn role(store: &PgStore, id: RoleId) -> Result<Role> {
    let mut conn = store.pool.acquire().await?;
    let conn = &mut *conn;
    let row: Option<RoleRow> = sqlx::query_as(
        "SELECT f.key AS framework_key, f.name AS framework_name, f.attribution, r.key, r.title, r.summary, \
         r.description, r.family_id, r.level, r.ladder_id, r.routes_in, r.transferable_skills, r.typical_employers, r.duration \
         FROM roles r JOIN frameworks f ON f.id = r.framework_id WHERE r.id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or(StoreError::NotFound {
        what: "role",
        id: id.to_string(),
    })?;

    let family = match row.family_id {
        Some(fid) => {
            let (key, name, description): (String, String, String) =
                sqlx::query_as("SELECT key, name, description FROM families WHERE id = $1")
                    .bind(fid)
                    .fetch_one(&mut *conn)
                    .await?;
            Some(JobFamily {
                key,
                name,
                description,
            })
        }
        None => None,
    };
    let ladder = match row.ladder_id {
        Some(lid) => {
            let (key, name): (String, String) =
                sqlx::query_as("SELECT key, name FROM grade_ladders WHERE id = $1")
                    .bind(lid)
                    .fetch_one(&mut *conn)
                    .await?;
            let grades: Vec<(String, String)> = sqlx::query_as(
                "SELECT code, name FROM grades WHERE ladder_id = $1 ORDER BY position",
            )
            .bind(lid)
            .fetch_all(&mut *conn)
            .await?;
            Some(GradeLadder {
                key,
                name,
                grades: grades
                    .into_iter()
                    .map(|(code, name)| Grade { code, name })
                    .collect(),
            })
        }
        None => None,
    };
    let grades: Vec<(String,)> =
        sqlx::query_as("SELECT grade FROM role_grades WHERE role_id = $1 ORDER BY position")
            .bind(id.0)
            .fetch_all(&mut *conn)
            .await?;
    let titles: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, title FROM role_titles WHERE role_id = $1 ORDER BY position")
            .bind(id.0)
            .fetch_all(&mut *conn)
            .await?;
    let codes: Vec<(String, String)> =
        sqlx::query_as("SELECT scheme, value FROM role_codes WHERE role_id = $1 ORDER BY position")
            .bind(id.0)
            .fetch_all(&mut *conn)
            .await?;
    let texts: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT kind, position, text FROM role_texts WHERE role_id = $1 ORDER BY kind, position",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    let dimensions: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT key, name, text FROM role_dimensions WHERE role_id = $1 ORDER BY position",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;

    let req_rows: Vec<(i64, i64, String, i64, Option<String>, String)> = sqlx::query_as(
        "SELECT id, skill_id, importance, emphasis, level_code, note FROM requirements WHERE role_id = $1 ORDER BY position",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    let level_rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT rl.requirement_id, rl.grade, rl.level_code FROM requirement_levels rl \
         JOIN requirements q ON q.id = rl.requirement_id WHERE q.role_id = $1 ORDER BY rl.requirement_id, rl.position",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut levels_by_req: HashMap<i64, Vec<(String, Option<String>)>> = HashMap::new();
    for (req, grade, code) in level_rows {
        levels_by_req.entry(req).or_default().push((grade, code));
    }
    let skill_sql = format!(
        "SELECT {SKILL_COLUMNS} FROM skills s JOIN frameworks f ON f.id = s.framework_id \
         WHERE s.id IN (SELECT skill_id FROM requirements WHERE role_id = $1)"
    );
    let skill_rows: Vec<SkillRow> = sqlx::query_as(sqlx::AssertSqlSafe(skill_sql))
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    let skills: HashMap<SkillId, Skill> = store
        .skills_from_rows(conn, skill_rows)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();

    let mut requirements = Vec::with_capacity(req_rows.len());
    for (req_id, skill_id, importance, emphasis, level_code, note) in req_rows {
        let skill = skills.get(&SkillId(skill_id)).ok_or_else(|| {
            StoreError::Corrupt(format!("requirement {req_id} names a missing skill"))
        })?;
        let scale = skill.scale.as_ref();
        let mut levels = Vec::new();
        for (grade, code) in levels_by_req.remove(&req_id).unwrap_or_default() {
            levels.push((grade, required(scale, code.as_deref())?));
        }
        requirements.push(Requirement {
            skill: skill.as_ref(),
            importance: Importance::parse(&importance)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown importance '{importance}'")))?,
            emphasis: emphasis != 0,
            levels,
            level: required(scale, level_code.as_deref())?,
            note,
        });
    }

    let link_rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT from_role, to_role, kind, note FROM role_links WHERE from_role = $1 OR to_role = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut links = Vec::new();
    for (from, to, kind, note) in link_rows {
        let incoming = to == id.0;
        let other = store
            .summary(conn, if incoming { from } else { to })
            .await?;
        links.push(RoleLink {
            kind: LinkKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown link kind '{kind}'")))?,
            incoming,
            other,
            note,
        });
    }

    Ok(Role {
        id,
        framework_key: row.framework_key,
        framework_name: row.framework_name,
        attribution: row.attribution,
        key: row.key,
        title: row.title,
        alt_titles: titles
            .iter()
            .filter(|(k, _)| k == "alt")
            .map(|(_, t)| t.clone())
            .collect(),
        typical_titles: titles
            .iter()
            .filter(|(k, _)| k == "typical")
            .map(|(_, t)| t.clone())
            .collect(),
        summary: row.summary,
        description: row.description,
        family,
        level: row.level.and_then(|l| u8::try_from(l).ok()),
        ladder,
        grades: grades.into_iter().map(|(g,)| g).collect(),
        codes: codes
            .into_iter()
            .map(|(scheme, value)| Code { scheme, value })
            .collect(),
        duties: duties(&texts),
        responsibilities: texts
            .iter()
            .filter(|(k, _, _)| k == "responsibility")
            .map(|(_, _, t)| t.clone())
            .collect(),
        routes_in: row.routes_in,
        transferable_skills: row.transferable_skills,
        typical_employers: row.typical_employers,
        duration: row.duration,
        dimensions: dimensions
            .into_iter()
            .map(|(key, name, text)| Dimension { key, name, text })
            .collect(),
        requirements,
        links,
    })
}

pub(super) async fn role_names(
    pool: &PgPool,
    framework: Option<&str>,
) -> Result<Vec<NameEntry<RoleId>>> {
    super::name_entries(pool, framework, RoleId,
        "SELECT r.id, f.key, r.key, r.title, 0::int8 FROM roles r JOIN frameworks f ON f.id = r.framework_id WHERE ($1 IS NULL OR f.key = $1) \
         UNION ALL SELECT r.id, f.key, r.key, t.title, 1::int8 FROM role_titles t JOIN roles r ON r.id = t.role_id \
         JOIN frameworks f ON f.id = r.framework_id WHERE ($1 IS NULL OR f.key = $1) \
         UNION ALL SELECT r.id, f.key, r.key, l.label, 2::int8 FROM esco_labels l \
         JOIN esco_concepts c ON c.id = l.concept_id AND c.kind = 'occupation' \
         JOIN roles r ON r.framework_id = c.framework_id AND r.key = c.uri \
         JOIN frameworks f ON f.id = r.framework_id WHERE l.kind = 'hidden' AND ($1 IS NULL OR f.key = $1) ORDER BY 1, 5",
    )
    .await
}

pub(super) async fn roles_requiring(
    store: &PgStore,
    skill: SkillId,
) -> Result<Vec<(RoleSummary, bool)>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {SUMMARY_FROM} JOIN requirements q ON q.role_id = r.id \
         WHERE q.skill_id = $1 ORDER BY q.importance, lower(r.title), r.id"
    );
    let mut conn = store.pool.acquire().await?;
    let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(skill.0)
        .fetch_all(&mut *conn)
        .await?;
    let essential: Vec<(i64, String)> =
        sqlx::query_as("SELECT role_id, importance FROM requirements WHERE skill_id = $1")
            .bind(skill.0)
            .fetch_all(&mut *conn)
            .await?;
    let essential: HashMap<i64, bool> = essential
        .into_iter()
        .map(|(r, i)| (r, i == "essential"))
        .collect();
    let summaries = store.summaries(&mut conn, rows).await?;
    Ok(summaries
        .into_iter()
        .map(|s| {
            let e = essential.get(&s.id.0).copied().unwrap_or(false);
            (s, e)
        })
        .collect())
}

/// A role's duties from its `role_texts` rows: kind `duty`, or `duty:` and the duty's category
/// (see `bundle.rs`), in the order of their numbers whatever their category.
fn duties(texts: &[(String, i64, String)]) -> Vec<Duty> {
    let mut duties: Vec<Duty> = texts
        .iter()
        .filter_map(|(kind, n, text)| {
            let category = match kind.as_str() {
                "duty" => "",
                other => other.strip_prefix("duty:")?,
            };
            Some(Duty {
                number: u32::try_from(*n).unwrap_or(0),
                text: text.clone(),
                category: category.to_owned(),
            })
        })
        .collect();
    duties.sort_by_key(|d| d.number);
    duties
}
