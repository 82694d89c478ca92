//! Browsing the latest ESCO release's hierarchies a page at a time: the concepts directly below
//! one (ISCO groups and occupations, skill groups and skills), with how many lie below each; and
//! its collections of skills (digital, green, transversal, ...), kept as the skills' tags.

use std::collections::HashSet;

use sqlx::PgPool;

use super::concepts::{LINK_COLUMNS, LinkRow, MAX_PATH, broader, link, link_from};
use crate::{EscoBranch, EscoLink, EscoNode, EscoPillar, Result};

/// The latest stored ESCO release, if any.
async fn release(conn: &mut sqlx::PgConnection) -> Result<Option<i64>> {
    let (id,): (Option<i64>,) = sqlx::query_as("SELECT max(id) FROM frameworks WHERE key = $1")
        .bind(rolemap_formats::esco::FRAMEWORK_KEY)
        .fetch_one(&mut *conn)
        .await?;
    Ok(id)
}

/// A child row: the link's columns, then how many concepts lie directly below it.
type NodeRow = (
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    i64,
);

/// The link's columns over `c` (the concept's fields) and the role or skill it became.
const JOINS: &str = "LEFT JOIN roles r ON c.kind = 'occupation' \
     AND r.framework_id = c.framework_id AND r.key = c.uri \
     LEFT JOIN skills s ON c.kind = 'skill' AND s.framework_id = c.framework_id AND s.key = c.uri";

/// Groups first, then by code, label and URI, so pages never shift between calls.
const ORDER: &str = "ORDER BY c.kind NOT LIKE '%group', c.code, \
     lower(coalesce(c.label, r.title, s.label, '')), c.uri";

pub(super) async fn branch(
    pool: &PgPool,
    pillar: EscoPillar,
    parent: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<Option<EscoBranch>> {
    let mut conn = pool.acquire().await?;
    let Some(framework) = release(&mut conn).await? else {
        return Ok(None);
    };
    let below = "(SELECT count(*) FROM esco_broader_links k WHERE k.broader = c.id)";
    let (total, rows): (i64, Vec<NodeRow>) = match parent {
        None => {
            // The top: the groups of the pillar that nothing is above.
            let (total,): (i64,) = sqlx::query_as(
                "SELECT count(*) FROM esco_concept_fields c WHERE c.framework_id = $1 \
                 AND c.kind = $2 AND NOT EXISTS \
                 (SELECT 1 FROM esco_broader_links b WHERE b.narrower = c.id)",
            )
            .bind(framework)
            .bind(pillar.group_kind())
            .fetch_one(&mut *conn)
            .await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT c.uri, {LINK_COLUMNS}, {below} FROM esco_concept_fields c {JOINS} \
                 WHERE c.framework_id = $1 AND c.kind = $2 AND NOT EXISTS \
                 (SELECT 1 FROM esco_broader_links b WHERE b.narrower = c.id) \
                 {ORDER} LIMIT $3 OFFSET $4"
            )))
            .bind(framework)
            .bind(pillar.group_kind())
            .bind(limit as i64)
            .bind(offset as i64)
            .fetch_all(&mut *conn)
            .await?;
            (total, rows)
        }
        Some(uri) => {
            let known: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM esco_concept_fields WHERE uri = $1 AND framework_id = $2",
            )
            .bind(uri)
            .bind(framework)
            .fetch_optional(&mut *conn)
            .await?;
            let Some((parent_id,)) = known else {
                return Ok(None);
            };
            let (total,): (i64,) = sqlx::query_as(
                "SELECT count(*) FROM esco_broader_links WHERE broader = $1 AND pillar = $2",
            )
            .bind(parent_id)
            .bind(pillar.as_str())
            .fetch_one(&mut *conn)
            .await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT c.uri, {LINK_COLUMNS}, {below} FROM esco_broader_links l \
                 JOIN esco_concept_fields c ON c.id = l.narrower {JOINS} \
                 WHERE l.broader = $1 AND l.pillar = $2 {ORDER} LIMIT $3 OFFSET $4"
            )))
            .bind(parent_id)
            .bind(pillar.as_str())
            .bind(limit as i64)
            .bind(offset as i64)
            .fetch_all(&mut *conn)
            .await?;
            (total, rows)
        }
    };
    let children = rows
        .into_iter()
        .map(|(uri, kind, code, label, role, skill, narrower)| EscoNode {
            link: link_from((uri, kind, code, label, role, skill)),
            narrower: narrower.max(0) as u64,
        })
        .collect();
    let (parent, path) = match parent {
        None => (None, Vec::new()),
        Some(uri) => {
            let here = link(&mut conn, framework, uri).await?;
            // Up the first broader concept at each step, as a concept's page shows it.
            let mut path: Vec<EscoLink> = Vec::new();
            let mut seen = HashSet::from([uri.to_owned()]);
            let mut next = broader(&mut conn, framework, uri).await?.into_iter().next();
            while let Some(up) = next.take() {
                if !seen.insert(up.uri.clone()) || path.len() == MAX_PATH {
                    break;
                }
                next = broader(&mut conn, framework, &up.uri)
                    .await?
                    .into_iter()
                    .next();
                path.push(up);
            }
            path.reverse();
            (Some(here), path)
        }
    };
    Ok(Some(EscoBranch {
        parent,
        path,
        total: total.max(0) as u64,
        children,
    }))
}

/// The skills' tags of the latest ESCO release, with how many skills hold each.
pub(super) async fn collections(pool: &PgPool) -> Result<Vec<(String, u64)>> {
    let mut conn = pool.acquire().await?;
    let Some(framework) = release(&mut conn).await? else {
        return Ok(Vec::new());
    };
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.tag, count(*) FROM skill_tags t JOIN skills s ON s.id = t.skill_id \
         WHERE s.framework_id = $1 GROUP BY t.tag ORDER BY t.tag",
    )
    .bind(framework)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(tag, n)| (tag, n.max(0) as u64))
        .collect())
}

/// A page of one collection's skills, by label, and how many it holds.
pub(super) async fn collection(
    pool: &PgPool,
    tag: &str,
    offset: u64,
    limit: u64,
) -> Result<(u64, Vec<EscoLink>)> {
    let mut conn = pool.acquire().await?;
    let Some(framework) = release(&mut conn).await? else {
        return Ok((0, Vec::new()));
    };
    let (total,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM skill_tags t JOIN skills s ON s.id = t.skill_id \
         WHERE s.framework_id = $1 AND t.tag = $2",
    )
    .bind(framework)
    .bind(tag)
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<LinkRow> = sqlx::query_as(
        "SELECT s.key, 'skill', coalesce(c.code, ''), s.label, NULL, s.id \
         FROM skill_tags t JOIN skills s ON s.id = t.skill_id \
         LEFT JOIN esco_concept_fields c ON c.framework_id = s.framework_id AND c.uri = s.key \
         WHERE s.framework_id = $1 AND t.tag = $2 ORDER BY lower(s.label), s.id \
         LIMIT $3 OFFSET $4",
    )
    .bind(framework)
    .bind(tag)
    .bind(limit as i64)
    .bind(offset as i64)
    .fetch_all(&mut *conn)
    .await?;
    Ok((
        total.max(0) as u64,
        rows.into_iter().map(link_from).collect(),
    ))
}
