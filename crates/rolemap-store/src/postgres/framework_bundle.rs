//! One stored framework version read back whole, as the bundle its document describes: what
//! `rolemap export framework` writes, what a draft copies and what the diff compares.
//!
//! Rows come back in the order the import wrote them (ids and positions), so the bundle lists
//! scales, skills, roles and links in the document's order. Tags come back sorted, as the import
//! keeps them; a link comes with the version whose document states it (`role_links.framework_id`).

use std::collections::HashMap;

use rolemap_core::bundle::{
    ConceptRef, FrameworkBundle, FrameworkMeta, LinkDef, Origin, RequirementDef, RoleDef, SkillDef,
};
use rolemap_core::framework::Grade;
use rolemap_core::{
    Code, Dimension, Duty, GradeLadder, Importance, JobFamily, LevelDef, LinkKind, ReuseLevel,
    Scale, SkillKind,
};
use sqlx::PgPool;

use crate::{Result, StoreError};

/// A skill's row: id, key, label, description, kind, reuse level and scale.
type SkillRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
);

/// A requirement's row with its role first.
type RoleRequirementRow = (i64, i64, i64, String, i64, Option<String>, String);

type MetaRow = (i64, String, String, String, String, String, String, String);

type RoleRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
    String,
);

fn corrupt(what: String) -> StoreError {
    StoreError::Corrupt(what)
}

/// The version `version` of framework `key` (the latest when `None`); `None` when not stored.
pub(super) async fn framework_bundle(
    pool: &PgPool,
    key: &str,
    version: Option<&str>,
) -> Result<Option<FrameworkBundle>> {
    let mut conn = pool.acquire().await?;
    let meta: Option<MetaRow> = sqlx::query_as(
        "SELECT id, key, name, version, source, licence, attribution, description FROM frameworks \
         WHERE key = $1 AND ($2 IS NULL OR version = $2) ORDER BY id DESC LIMIT 1",
    )
    .bind(key)
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, key, name, version, source, licence, attribution, description)) = meta else {
        return Ok(None);
    };
    let framework = FrameworkMeta {
        key,
        name,
        version,
        source,
        licence,
        attribution,
        description,
    };

    let scale_rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, key, name FROM scales WHERE framework_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let level_rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT l.scale_id, l.code, l.name, l.descriptor FROM scale_levels l \
         JOIN scales s ON s.id = l.scale_id WHERE s.framework_id = $1 ORDER BY l.scale_id, l.rank",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut levels: HashMap<i64, Vec<LevelDef>> = HashMap::new();
    for (scale, code, name, descriptor) in level_rows {
        levels.entry(scale).or_default().push(LevelDef {
            code,
            name,
            descriptor,
        });
    }
    let mut scale_keys = HashMap::new();
    let mut scales = Vec::with_capacity(scale_rows.len());
    for (scale_id, key, name) in scale_rows {
        let scale = Scale::new(
            key.clone(),
            name,
            levels.remove(&scale_id).unwrap_or_default(),
        )
        .map_err(|e| corrupt(e.to_string()))?;
        scale_keys.insert(scale_id, key);
        scales.push(scale);
    }

    let ladder_rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, key, name FROM grade_ladders WHERE framework_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let grade_rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT g.ladder_id, g.code, g.name FROM grades g JOIN grade_ladders l ON l.id = g.ladder_id \
         WHERE l.framework_id = $1 ORDER BY g.ladder_id, g.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut grades: HashMap<i64, Vec<Grade>> = HashMap::new();
    for (ladder, code, name) in grade_rows {
        grades.entry(ladder).or_default().push(Grade { code, name });
    }
    let mut ladder_keys = HashMap::new();
    let ladders: Vec<GradeLadder> = ladder_rows
        .into_iter()
        .map(|(ladder_id, key, name)| {
            ladder_keys.insert(ladder_id, key.clone());
            GradeLadder {
                key,
                name,
                grades: grades.remove(&ladder_id).unwrap_or_default(),
            }
        })
        .collect();

    let family_rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, key, name, description FROM families WHERE framework_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut family_keys = HashMap::new();
    let families: Vec<JobFamily> = family_rows
        .into_iter()
        .map(|(family_id, key, name, description)| {
            family_keys.insert(family_id, key.clone());
            JobFamily {
                key,
                name,
                description,
            }
        })
        .collect();

    let skill_rows: Vec<SkillRow> = sqlx::query_as(
        "SELECT id, key, label, description, kind, reuse, scale_id FROM skills \
             WHERE framework_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let label_rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT l.skill_id, l.label FROM skill_labels l JOIN skills s ON s.id = l.skill_id \
         WHERE s.framework_id = $1 AND l.kind = 'alt' ORDER BY l.skill_id, l.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let tag_rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT t.skill_id, t.tag FROM skill_tags t JOIN skills s ON s.id = t.skill_id \
         WHERE s.framework_id = $1 ORDER BY t.skill_id, t.tag",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut alt_labels: HashMap<i64, Vec<String>> = HashMap::new();
    for (skill, label) in label_rows {
        alt_labels.entry(skill).or_default().push(label);
    }
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for (skill, tag) in tag_rows {
        tags.entry(skill).or_default().push(tag);
    }
    let mut skill_keys = HashMap::new();
    let mut skills = Vec::with_capacity(skill_rows.len());
    for (skill_id, key, label, description, kind, reuse, scale_id) in skill_rows {
        skill_keys.insert(skill_id, key.clone());
        skills.push(SkillDef {
            key,
            label,
            alt_labels: alt_labels.remove(&skill_id).unwrap_or_default(),
            description,
            kind: SkillKind::parse(&kind)
                .ok_or_else(|| corrupt(format!("unknown skill kind '{kind}'")))?,
            reuse: match reuse {
                Some(r) => Some(
                    ReuseLevel::parse(&r)
                        .ok_or_else(|| corrupt(format!("unknown reuse level '{r}'")))?,
                ),
                None => None,
            },
            tags: tags.remove(&skill_id).unwrap_or_default(),
            scale: scale_id.and_then(|s| scale_keys.get(&s).cloned()),
        });
    }

    let role_rows: Vec<RoleRow> = sqlx::query_as(
        "SELECT id, key, title, summary, description, family_id, level, ladder_id, routes_in, \
         transferable_skills, typical_employers, duration FROM roles WHERE framework_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut parts = RoleParts::load(&mut conn, id).await?;
    let mut roles = Vec::with_capacity(role_rows.len());
    for row in role_rows {
        let (role_id, key, title, summary, description, family, level, ladder) =
            (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7);
        let titles = parts.titles.remove(&role_id).unwrap_or_default();
        let texts = parts.texts.remove(&role_id).unwrap_or_default();
        let mut requirements = Vec::new();
        for (req_id, skill_id, importance, emphasis, level_code, note) in
            parts.requirements.remove(&role_id).unwrap_or_default()
        {
            requirements.push(RequirementDef {
                skill: skill_keys.get(&skill_id).cloned().ok_or_else(|| {
                    corrupt(format!("requirement {req_id} names a missing skill"))
                })?,
                importance: Importance::parse(&importance)
                    .ok_or_else(|| corrupt(format!("unknown importance '{importance}'")))?,
                emphasis: emphasis != 0,
                levels: parts.levels.remove(&req_id).unwrap_or_default(),
                level: level_code,
                note,
            });
        }
        let mut duties: Vec<Duty> = texts
            .iter()
            .filter_map(|(kind, number, text)| {
                let category = match kind.as_str() {
                    "duty" => "",
                    other => other.strip_prefix("duty:")?,
                };
                Some(Duty {
                    number: u32::try_from(*number).unwrap_or(0),
                    text: text.clone(),
                    category: category.to_owned(),
                })
            })
            .collect();
        duties.sort_by_key(|d| d.number);
        roles.push(RoleDef {
            key,
            title,
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
            summary,
            description,
            family: family.and_then(|f| family_keys.get(&f).cloned()),
            level: level.and_then(|l| u8::try_from(l).ok()),
            ladder: ladder.and_then(|l| ladder_keys.get(&l).cloned()),
            grades: parts.grades.remove(&role_id).unwrap_or_default(),
            codes: parts.codes.remove(&role_id).unwrap_or_default(),
            duties,
            responsibilities: texts
                .iter()
                .filter(|(k, _, _)| k == "responsibility")
                .map(|(_, _, t)| t.clone())
                .collect(),
            routes_in: row.8,
            transferable_skills: row.9,
            typical_employers: row.10,
            duration: row.11,
            dimensions: parts.dimensions.remove(&role_id).unwrap_or_default(),
            requirements,
        });
    }

    let link_rows: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT ff.key, fr.key, tf.key, tr.key, l.kind, l.note FROM role_links l \
         JOIN roles fr ON fr.id = l.from_role JOIN frameworks ff ON ff.id = fr.framework_id \
         JOIN roles tr ON tr.id = l.to_role JOIN frameworks tf ON tf.id = tr.framework_id \
         WHERE l.framework_id = $1 ORDER BY l.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut links = Vec::with_capacity(link_rows.len());
    for (from_framework, from, to_framework, to, kind, note) in link_rows {
        links.push(LinkDef {
            from: ConceptRef {
                framework: Some(from_framework),
                key: from,
            },
            to: ConceptRef {
                framework: Some(to_framework),
                key: to,
            },
            kind: LinkKind::parse(&kind)
                .ok_or_else(|| corrupt(format!("unknown link kind '{kind}'")))?,
            note,
            origin: Origin::default(),
        });
    }

    Ok(Some(FrameworkBundle {
        framework,
        scales,
        ladders,
        families,
        skills,
        roles,
        links,
    }))
}

type RequirementRow = (i64, i64, String, i64, Option<String>, String);

/// What hangs off the roles of one framework version, by role (and levels by requirement).
struct RoleParts {
    titles: HashMap<i64, Vec<(String, String)>>,
    grades: HashMap<i64, Vec<String>>,
    codes: HashMap<i64, Vec<Code>>,
    texts: HashMap<i64, Vec<(String, i64, String)>>,
    dimensions: HashMap<i64, Vec<Dimension>>,
    requirements: HashMap<i64, Vec<RequirementRow>>,
    levels: HashMap<i64, Vec<(String, Option<String>)>>,
}

impl RoleParts {
    async fn load(conn: &mut sqlx::PgConnection, framework: i64) -> Result<RoleParts> {
        const ROLES: &str = "JOIN roles r ON r.id = x.role_id WHERE r.framework_id = $1";
        let mut parts = RoleParts {
            titles: HashMap::new(),
            grades: HashMap::new(),
            codes: HashMap::new(),
            texts: HashMap::new(),
            dimensions: HashMap::new(),
            requirements: HashMap::new(),
            levels: HashMap::new(),
        };
        let rows: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT x.role_id, x.kind, x.title FROM role_titles x {ROLES} ORDER BY x.role_id, x.position"
        )))
        .bind(framework)
        .fetch_all(&mut *conn)
        .await?;
        for (role, kind, title) in rows {
            parts.titles.entry(role).or_default().push((kind, title));
        }
        let rows: Vec<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT x.role_id, x.grade FROM role_grades x {ROLES} ORDER BY x.role_id, x.position"
        )))
        .bind(framework)
        .fetch_all(&mut *conn)
        .await?;
        for (role, grade) in rows {
            parts.grades.entry(role).or_default().push(grade);
        }
        let rows: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT x.role_id, x.scheme, x.value FROM role_codes x {ROLES} ORDER BY x.role_id, x.position"
        )))
        .bind(framework)
        .fetch_all(&mut *conn)
        .await?;
        for (role, scheme, value) in rows {
            parts
                .codes
                .entry(role)
                .or_default()
                .push(Code { scheme, value });
        }
        let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT x.role_id, x.kind, x.position, x.text FROM role_texts x {ROLES} \
             ORDER BY x.role_id, x.kind, x.position"
        )))
        .bind(framework)
        .fetch_all(&mut *conn)
        .await?;
        for (role, kind, position, text) in rows {
            parts
                .texts
                .entry(role)
                .or_default()
                .push((kind, position, text));
        }
        let rows: Vec<(i64, String, String, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT x.role_id, x.key, x.name, x.text FROM role_dimensions x {ROLES} \
                 ORDER BY x.role_id, x.position"
            )))
            .bind(framework)
            .fetch_all(&mut *conn)
            .await?;
        for (role, key, name, text) in rows {
            parts
                .dimensions
                .entry(role)
                .or_default()
                .push(Dimension { key, name, text });
        }
        let rows: Vec<RoleRequirementRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT x.role_id, x.id, x.skill_id, x.importance, x.emphasis, x.level_code, x.note \
                 FROM requirements x {ROLES} ORDER BY x.role_id, x.position"
        )))
        .bind(framework)
        .fetch_all(&mut *conn)
        .await?;
        for (role, id, skill, importance, emphasis, level, note) in rows {
            parts
                .requirements
                .entry(role)
                .or_default()
                .push((id, skill, importance, emphasis, level, note));
        }
        let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT l.requirement_id, l.grade, l.level_code FROM requirement_levels l \
             JOIN requirements x ON x.id = l.requirement_id JOIN roles r ON r.id = x.role_id \
             WHERE r.framework_id = $1 ORDER BY l.requirement_id, l.position",
        )
        .bind(framework)
        .fetch_all(&mut *conn)
        .await?;
        for (requirement, grade, code) in rows {
            parts
                .levels
                .entry(requirement)
                .or_default()
                .push((grade, code));
        }
        Ok(parts)
    }
}
