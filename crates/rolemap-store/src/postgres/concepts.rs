//! Reading roles and skills as texts for the search index, and ESCO's own structure around an
//! occupation or skill (migration 0003's tables).

use std::collections::{HashMap, HashSet};

use sqlx::{PgConnection, PgPool};

use rolemap_core::seniority::Band;

use crate::{
    ConceptKind, ConceptText, EscoDetail, EscoLink, EscoRelated, RequirementLevels, Result,
};

/// The latest stored version of each framework (of only one when `$1` names it).
const LATEST: &str = "WITH latest AS (SELECT max(id) AS id FROM frameworks \
     WHERE ($1 IS NULL OR key = $1) GROUP BY key) ";

/// How far up a broader path is followed; ESCO's deepest is well under this.
pub(super) const MAX_PATH: usize = 16;

pub(super) async fn concept_texts(pool: &PgPool) -> Result<Vec<ConceptText>> {
    texts(pool, &[ConceptKind::Role, ConceptKind::Skill], None).await
}

pub(super) async fn role_texts(pool: &PgPool, framework: &str) -> Result<Vec<ConceptText>> {
    texts(pool, &[ConceptKind::Role], Some(framework)).await
}

async fn texts(
    pool: &PgPool,
    kinds: &[ConceptKind],
    framework: Option<&str>,
) -> Result<Vec<ConceptText>> {
    let mut conn = pool.acquire().await?;
    let mut out = Vec::new();
    for &kind in kinds {
        let (concepts, description, alternative) = match kind {
            ConceptKind::Role => (
                "roles",
                "CASE WHEN x.description <> '' THEN x.description ELSE x.summary END",
                "SELECT t.role_id, t.title FROM role_titles t JOIN roles x ON x.id = t.role_id \
                 WHERE x.framework_id IN (SELECT id FROM latest) ORDER BY t.role_id, t.position",
            ),
            ConceptKind::Skill => (
                "skills",
                "x.description",
                "SELECT l.skill_id, l.label FROM skill_labels l JOIN skills x ON x.id = l.skill_id \
                 WHERE x.framework_id IN (SELECT id FROM latest) ORDER BY l.skill_id, l.position",
            ),
        };
        let (label, reuse) = match kind {
            ConceptKind::Role => ("x.title", "NULL"),
            ConceptKind::Skill => ("x.label", "x.reuse"),
        };
        let rows: Vec<(i64, String, String, String, String, Option<String>)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{LATEST}SELECT x.id, f.key, x.key, {label}, {description}, {reuse} \
                 FROM {concepts} x \
                 JOIN frameworks f ON f.id = x.framework_id \
                 WHERE x.framework_id IN (SELECT id FROM latest) ORDER BY x.id"
            )))
            .bind(framework)
            .fetch_all(&mut *conn)
            .await?;
        let first = out.len();
        let mut position = HashMap::with_capacity(rows.len());
        for (id, framework_key, key, label, description, reuse) in rows {
            position.insert(id, out.len());
            out.push(ConceptText {
                kind,
                id,
                framework_key,
                key,
                label,
                alternative: Vec::new(),
                hidden: Vec::new(),
                description,
                reuse: reuse.as_deref().and_then(rolemap_core::ReuseLevel::parse),
            });
        }
        let alternatives: Vec<(i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{LATEST}{alternative}")))
                .bind(framework)
                .fetch_all(&mut *conn)
                .await?;
        for (id, label) in alternatives {
            if let Some(&at) = position.get(&id) {
                out[at].alternative.push(label);
            }
        }
        let esco_kind = match kind {
            ConceptKind::Role => "occupation",
            ConceptKind::Skill => "skill",
        };
        let hidden: Vec<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{LATEST}SELECT x.id, l.label FROM esco_labels l \
             JOIN esco_concepts c ON c.id = l.concept_id \
             JOIN {concepts} x ON x.framework_id = c.framework_id AND x.key = c.uri \
             WHERE l.kind = 'hidden' AND c.kind = '{esco_kind}' \
             AND x.framework_id IN (SELECT id FROM latest) ORDER BY x.id, l.position"
        )))
        .bind(framework)
        .fetch_all(&mut *conn)
        .await?;
        for (id, label) in hidden {
            if let Some(&at) = position.get(&id) {
                out[at].hidden.push(label);
            }
        }
        debug_assert!(out[first..].windows(2).all(|w| w[0].id < w[1].id));
    }
    Ok(out)
}

pub(super) async fn skill_by_key(
    pool: &PgPool,
    framework: &str,
    key: &str,
) -> Result<Option<rolemap_core::SkillId>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT s.id FROM skills s JOIN frameworks f ON f.id = s.framework_id \
         WHERE f.key = $1 AND lower(s.key) = lower($2) ORDER BY f.id DESC LIMIT 1",
    )
    .bind(framework)
    .bind(key)
    .fetch_optional(pool)
    .await?;
    Ok(id.map(rolemap_core::SkillId))
}

pub(super) async fn requirement_pairs(
    pool: &PgPool,
    framework: &str,
) -> Result<Vec<(rolemap_core::RoleId, rolemap_core::SkillId, bool)>> {
    let rows: Vec<(i64, i64, bool)> = sqlx::query_as(
        "SELECT q.role_id, q.skill_id, q.importance = 'essential' FROM requirements q \
         JOIN roles r ON r.id = q.role_id \
         WHERE r.framework_id = (SELECT max(id) FROM frameworks WHERE key = $1) \
         ORDER BY q.role_id, q.skill_id",
    )
    .bind(framework)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(role, skill, essential)| {
            (
                rolemap_core::RoleId(role),
                rolemap_core::SkillId(skill),
                essential,
            )
        })
        .collect())
}

/// Where each role of a framework's latest version sits: its band from its grades, level or
/// ISCO code (see [`rolemap_core::seniority`]).
pub(super) async fn role_bands(
    pool: &PgPool,
    framework: &str,
) -> Result<Vec<(rolemap_core::RoleId, Option<Band>)>> {
    // (role, level, ISCO code, ladder key, lowest and highest grade position).
    type BandRow = (
        i64,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<i64>,
    );
    let rows: Vec<BandRow> =
        sqlx::query_as(
            "SELECT r.id, r.level, \
             (SELECT c.value FROM role_codes c WHERE c.role_id = r.id AND upper(c.scheme) = 'ISCO' \
              ORDER BY c.position LIMIT 1), \
             l.key, \
             (SELECT min(g.position) FROM role_grades rg JOIN grades g \
              ON g.ladder_id = r.ladder_id AND lower(g.code) = lower(rg.grade) WHERE rg.role_id = r.id), \
             (SELECT max(g.position) FROM role_grades rg JOIN grades g \
              ON g.ladder_id = r.ladder_id AND lower(g.code) = lower(rg.grade) WHERE rg.role_id = r.id) \
             FROM roles r LEFT JOIN grade_ladders l ON l.id = r.ladder_id \
             WHERE r.framework_id = (SELECT max(id) FROM frameworks WHERE key = $1) \
             ORDER BY r.id",
        )
        .bind(framework)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, level, isco, ladder, low, high)| {
            let grades = match (&ladder, low, high) {
                (Some(ladder), Some(low), Some(high)) => {
                    Some((ladder.as_str(), low as f32, high as f32))
                }
                _ => None,
            };
            let level = level.and_then(|l| u8::try_from(l).ok());
            (
                rolemap_core::RoleId(id),
                Band::from_parts(grades, level, isco.as_deref()),
            )
        })
        .collect())
}

/// The levels the roles of a framework's latest version require, where its skills have a scale:
/// (role, skill, lowest rank over the role's grades, highest rank, ranks on the scale).
pub(super) async fn requirement_levels(
    pool: &PgPool,
    framework: &str,
) -> Result<Vec<RequirementLevels>> {
    // Most large frameworks (ESCO) set no levels at all: a look at their skills says so at once.
    let scaled: Option<i64> = sqlx::query_scalar(
        "SELECT 1::int8 FROM skills WHERE framework_id = (SELECT max(id) FROM frameworks WHERE key = $1) \
         AND scale_id IS NOT NULL LIMIT 1",
    )
    .bind(framework)
    .fetch_optional(pool)
    .await?;
    if scaled.is_none() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT q.role_id, q.skill_id, min(sl.rank), max(sl.rank), \
         (SELECT max(rank) FROM scale_levels WHERE scale_id = s.scale_id) \
         FROM requirements q JOIN roles r ON r.id = q.role_id \
         JOIN skills s ON s.id = q.skill_id \
         LEFT JOIN requirement_levels rl ON rl.requirement_id = q.id \
         JOIN scale_levels sl ON sl.scale_id = s.scale_id \
          AND lower(sl.code) = lower(coalesce(rl.level_code, q.level_code)) \
         WHERE r.framework_id = (SELECT max(id) FROM frameworks WHERE key = $1) \
         GROUP BY q.id, s.scale_id ORDER BY q.role_id, q.skill_id",
    )
    .bind(framework)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(role, skill, low, high, ranks)| RequirementLevels {
            role: rolemap_core::RoleId(role),
            skill: rolemap_core::SkillId(skill),
            low: u8::try_from(low).unwrap_or(u8::MAX),
            high: u8::try_from(high).unwrap_or(u8::MAX),
            ranks: u8::try_from(ranks).unwrap_or(u8::MAX),
        })
        .collect())
}

/// The links the framework's latest version or another framework sets between its roles and
/// any other role: (from, to, kind), ordered.
pub(super) async fn role_links(
    pool: &PgPool,
    framework: &str,
) -> Result<
    Vec<(
        rolemap_core::RoleId,
        rolemap_core::RoleId,
        rolemap_core::LinkKind,
    )>,
> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "WITH ours AS (SELECT id FROM roles \
          WHERE framework_id = (SELECT max(id) FROM frameworks WHERE key = $1)) \
         SELECT from_role, to_role, kind FROM role_links \
         WHERE from_role IN (SELECT id FROM ours) OR to_role IN (SELECT id FROM ours) \
         ORDER BY from_role, to_role, kind",
    )
    .bind(framework)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(from, to, kind)| {
            Some((
                rolemap_core::RoleId(from),
                rolemap_core::RoleId(to),
                rolemap_core::LinkKind::parse(&kind)?,
            ))
        })
        .collect())
}

/// The groups each skill of a framework's latest version sits under in its skills hierarchy
/// (ESCO's broader skill groups and skills): (skill, group number), ordered. Empty for
/// frameworks without a hierarchy.
pub(super) async fn skill_groups(
    pool: &PgPool,
    framework: &str,
) -> Result<Vec<(rolemap_core::SkillId, i64)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "WITH latest AS (SELECT max(id) AS id FROM frameworks WHERE key = $1) \
         SELECT s.id, l.broader FROM esco_broader_links l \
         JOIN esco_concept_fields n ON n.id = l.narrower \
         JOIN skills s ON s.framework_id = n.framework_id AND s.key = n.uri \
         WHERE l.pillar = 'skills' AND n.framework_id = (SELECT id FROM latest) \
         ORDER BY s.id, l.broader",
    )
    .bind(framework)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(skill, group)| (rolemap_core::SkillId(skill), group))
        .collect())
}

/// The preferred label of every skill of a framework's latest version, by id.
pub(super) async fn skill_labels(
    pool: &PgPool,
    framework: &str,
) -> Result<Vec<(rolemap_core::SkillId, String)>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, label FROM skills \
         WHERE framework_id = (SELECT max(id) FROM frameworks WHERE key = $1) ORDER BY id",
    )
    .bind(framework)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, label)| (rolemap_core::SkillId(id), label))
        .collect())
}

pub(super) async fn concept_keys(
    pool: &PgPool,
    framework: &str,
) -> Result<Vec<(ConceptKind, i64, String)>> {
    let rows: Vec<(bool, i64, String)> = sqlx::query_as(
        "WITH latest AS (SELECT max(id) AS id FROM frameworks WHERE key = $1) \
         SELECT false, id, key FROM roles WHERE framework_id = (SELECT id FROM latest) \
         UNION ALL SELECT true, id, key FROM skills WHERE framework_id = (SELECT id FROM latest)",
    )
    .bind(framework)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(skill, id, key)| {
            let kind = if skill {
                ConceptKind::Skill
            } else {
                ConceptKind::Role
            };
            (kind, id, key)
        })
        .collect())
}

type DetailRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

pub(super) async fn esco_detail(
    pool: &PgPool,
    kind: ConceptKind,
    id: i64,
) -> Result<Option<EscoDetail>> {
    let table = match kind {
        ConceptKind::Role => "roles",
        ConceptKind::Skill => "skills",
    };
    let mut conn = pool.acquire().await?;
    let row: Option<DetailRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT c.id, c.framework_id, c.uri, c.kind, c.code, c.definition, c.scope_note, c.status, \
         c.skill_type, c.regulated, c.modified FROM esco_concepts c \
         JOIN {table} x ON x.framework_id = c.framework_id AND x.key = c.uri WHERE x.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((
        concept,
        framework,
        uri,
        kind,
        code,
        definition,
        scope_note,
        status,
        skill_type,
        regulated,
        modified,
    )) = row
    else {
        return Ok(None);
    };
    let hidden_labels: Vec<(String,)> = sqlx::query_as(
        "SELECT label FROM esco_labels WHERE concept_id = $1 AND kind = 'hidden' ORDER BY position",
    )
    .bind(concept)
    .fetch_all(&mut *conn)
    .await?;
    let broader = broader(&mut conn, framework, &uri).await?;

    // Up the first broader concept at each step, groups before concepts of the concept's own kind.
    let mut path = Vec::new();
    let mut seen = HashSet::from([uri.clone()]);
    let mut next = broader.first().cloned();
    while let Some(link) = next.take() {
        if !seen.insert(link.uri.clone()) || path.len() == MAX_PATH {
            break;
        }
        next = self::broader(&mut conn, framework, &link.uri)
            .await?
            .into_iter()
            .next();
        path.push(link);
    }
    path.reverse();

    let mut related = Vec::new();
    if kind == "skill" {
        let rows: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT related, importance, false FROM esco_skill_relations WHERE framework_id = $1 AND skill = $2 \
             UNION ALL SELECT skill, importance, true FROM esco_skill_relations WHERE framework_id = $1 AND related = $2",
        )
        .bind(framework)
        .bind(&uri)
        .fetch_all(&mut *conn)
        .await?;
        for (other, importance, inbound) in rows {
            related.push(EscoRelated {
                skill: link(&mut conn, framework, &other).await?,
                importance,
                inbound,
            });
        }
        related.sort_by(|a, b| {
            (
                a.importance.as_str(),
                a.inbound,
                a.skill.label.to_lowercase(),
            )
                .cmp(&(
                    b.importance.as_str(),
                    b.inbound,
                    b.skill.label.to_lowercase(),
                ))
        });
    }
    Ok(Some(EscoDetail {
        uri,
        kind,
        code,
        definition,
        scope_note,
        status,
        skill_type,
        regulated,
        modified,
        hidden_labels: hidden_labels.into_iter().map(|(l,)| l).collect(),
        broader,
        path,
        related,
    }))
}

pub(super) type LinkRow = (String, String, String, String, Option<i64>, Option<i64>);

pub(super) const LINK_COLUMNS: &str = "coalesce(c.kind, ''), coalesce(c.code, ''), \
     coalesce(c.label, r.title, s.label, ''), r.id, s.id";

pub(super) fn link_from((uri, kind, code, label, role, skill): LinkRow) -> EscoLink {
    EscoLink {
        uri,
        kind,
        code,
        label,
        role: role.map(rolemap_core::RoleId),
        skill: skill.map(rolemap_core::SkillId),
    }
}

/// The concepts directly above `uri`: groups first, then by code and label.
pub(super) async fn broader(
    conn: &mut PgConnection,
    framework: i64,
    uri: &str,
) -> Result<Vec<EscoLink>> {
    let rows: Vec<LinkRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT b.broader, {LINK_COLUMNS} FROM esco_broader b \
         LEFT JOIN esco_concepts c ON c.framework_id = b.framework_id AND c.uri = b.broader \
         LEFT JOIN roles r ON r.framework_id = b.framework_id AND r.key = b.broader \
         LEFT JOIN skills s ON s.framework_id = b.framework_id AND s.key = b.broader \
         WHERE b.framework_id = $1 AND b.narrower = $2"
    )))
    .bind(framework)
    .bind(uri)
    .fetch_all(&mut *conn)
    .await?;
    let mut links: Vec<EscoLink> = rows.into_iter().map(link_from).collect();
    links.sort_by(|a, b| {
        let group = |l: &EscoLink| !l.kind.ends_with("group");
        (group(a), &a.code, a.label.to_lowercase(), &a.uri).cmp(&(
            group(b),
            &b.code,
            b.label.to_lowercase(),
            &b.uri,
        ))
    });
    Ok(links)
}

/// One concept by URI, whatever it is (a bare URI when ESCO never defined it).
pub(super) async fn link(conn: &mut PgConnection, framework: i64, uri: &str) -> Result<EscoLink> {
    let row: Option<LinkRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT $2, {LINK_COLUMNS} FROM (SELECT $1 AS framework_id, $2 AS uri) u \
         LEFT JOIN esco_concepts c ON c.framework_id = u.framework_id AND c.uri = u.uri \
         LEFT JOIN roles r ON r.framework_id = u.framework_id AND r.key = u.uri \
         LEFT JOIN skills s ON s.framework_id = u.framework_id AND s.key = u.uri"
    )))
    .bind(framework)
    .bind(uri)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(link_from).unwrap_or_else(|| EscoLink {
        uri: uri.to_owned(),
        kind: String::new(),
        code: String::new(),
        label: String::new(),
        role: None,
        skill: None,
    }))
}
