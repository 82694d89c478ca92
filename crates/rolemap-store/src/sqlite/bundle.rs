//! Writing one framework bundle's rows (scales, ladders, families, skills, roles and what hangs
//! off them) with multi-row INSERTs.

use std::collections::HashMap;

use rolemap_core::ReuseLevel;
use rolemap_core::bundle::FrameworkBundle;
use sqlx::{Sqlite, Transaction};

use super::bool_int;
use super::bulk::{Bulk, Val};
use super::frameworks::insert_framework;
use crate::{Result, StoreError};

/// Inserts `values` (row after row, `width` values each) into `target` (`table (columns)`)
/// through SQLite's C API, [`super::bulk::BATCH_ROWS`] rows a statement (see `bulk`: sqlx
/// copied every value into an argument buffer and sent each statement to its worker thread,
/// which cost an O*NET import more than SQLite's own work). `tail` is appended to each
/// statement (`ON CONFLICT DO NOTHING` skips repeats). On an error the caller drops the
/// transaction, so none of the rows stay.
pub(super) async fn insert_many(
    tx: &mut Transaction<'_, Sqlite>,
    target: &str,
    width: usize,
    values: &[Val<'_>],
    tail: &str,
) -> Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    let mut handle = tx.lock_handle().await?;
    let bulk = Bulk::new(&mut handle);
    let mut batch = bulk.batch(target, &placeholders(width), tail)?;
    for row in values.chunks(width) {
        batch.row(row)?;
    }
    batch.finish()
}

/// As [`insert_many`], one row a statement, returning the id SQLite gave each row, in order.
pub(super) async fn insert_returning_ids(
    tx: &mut Transaction<'_, Sqlite>,
    target: &str,
    width: usize,
    values: &[Val<'_>],
) -> Result<Vec<i64>> {
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let mut handle = tx.lock_handle().await?;
    let bulk = Bulk::new(&mut handle);
    let mut insert = bulk.insert(&format!(
        "INSERT INTO {target} VALUES {}",
        placeholders(width)
    ))?;
    values.chunks(width).map(|row| insert.row(row)).collect()
}

/// `(?, ?, ...)` for a row of `width` values. Anonymous `?` parameters: SQLite looks a numbered
/// `$n` up by name in a list, which costs time proportional to the statement's parameters.
fn placeholders(width: usize) -> String {
    format!("({})", vec!["?"; width].join(", "))
}

/// Inserts one framework bundle; returns role ids by lower-cased key.
pub(super) async fn insert_bundle(
    tx: &mut Transaction<'_, Sqlite>,
    bundle: &FrameworkBundle,
    now: &str,
) -> Result<(i64, HashMap<String, i64>)> {
    let framework_id = insert_framework(tx, &bundle.framework, now).await?;

    let mut scale_ids = HashMap::new();
    for scale in &bundle.scales {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO scales (framework_id, key, name) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(framework_id)
        .bind(scale.key())
        .bind(scale.name())
        .fetch_one(&mut **tx)
        .await?;
        for (rank, level) in scale.levels().iter().enumerate() {
            sqlx::query("INSERT INTO scale_levels (scale_id, rank, code, name, descriptor) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(rank as i64 + 1)
                .bind(&level.code)
                .bind(&level.name)
                .bind(&level.descriptor)
                .execute(&mut **tx)
                .await?;
        }
        scale_ids.insert(scale.key().to_owned(), id);
    }

    let mut ladder_ids = HashMap::new();
    for ladder in &bundle.ladders {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO grade_ladders (framework_id, key, name) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(framework_id)
        .bind(&ladder.key)
        .bind(&ladder.name)
        .fetch_one(&mut **tx)
        .await?;
        for (position, grade) in ladder.grades.iter().enumerate() {
            sqlx::query(
                "INSERT INTO grades (ladder_id, position, code, name) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&grade.code)
            .bind(&grade.name)
            .execute(&mut **tx)
            .await?;
        }
        ladder_ids.insert(ladder.key.clone(), id);
    }

    let mut family_ids = HashMap::new();
    for family in &bundle.families {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO families (framework_id, key, name, description) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(framework_id)
        .bind(&family.key)
        .bind(&family.name)
        .bind(&family.description)
        .fetch_one(&mut **tx)
        .await?;
        family_ids.insert(family.key.clone(), id);
    }

    // Skills, roles and what hangs off them go in as multi-row INSERTs: ESCO has about 14,000
    // skills, 3,000 roles and 124,000 requirements, and one statement per row costs seconds.
    let mut values = Vec::with_capacity(bundle.skills.len() * 7);
    for skill in &bundle.skills {
        values.extend([
            Val::Int(framework_id),
            Val::Text(&skill.key),
            Val::Text(&skill.label),
            Val::Text(&skill.description),
            Val::Text(skill.kind.as_str()),
            Val::OptText(skill.reuse.map(ReuseLevel::as_str)),
            Val::OptInt(skill.scale.as_ref().and_then(|k| scale_ids.get(k)).copied()),
        ]);
    }
    let skill_ids: HashMap<&str, i64> = insert_returning_ids(
        tx,
        "skills (framework_id, key, label, description, kind, reuse, scale_id)",
        7,
        &values,
    )
    .await?
    .into_iter()
    .zip(&bundle.skills)
    .map(|(id, skill)| (skill.key.as_str(), id))
    .collect();
    let mut labels = Vec::new();
    let mut tag_values = Vec::new();
    let mut all_tags: Vec<Vec<String>> = Vec::with_capacity(bundle.skills.len());
    for skill in &bundle.skills {
        let mut tags = skill.tags.clone();
        tags.sort();
        tags.dedup();
        all_tags.push(tags);
    }
    for (skill, tags) in bundle.skills.iter().zip(&all_tags) {
        let id = skill_ids[skill.key.as_str()];
        for (position, label) in skill.alt_labels.iter().enumerate() {
            labels.extend([
                Val::Int(id),
                Val::Int(position as i64),
                Val::Text("alt"),
                Val::Text(label),
            ]);
        }
        for tag in tags {
            tag_values.extend([Val::Int(id), Val::Text(tag)]);
        }
    }
    insert_many(
        tx,
        "skill_labels (skill_id, position, kind, label)",
        4,
        &labels,
        "",
    )
    .await?;
    insert_many(tx, "skill_tags (skill_id, tag)", 2, &tag_values, "").await?;

    let mut values = Vec::with_capacity(bundle.roles.len() * 12);
    for role in &bundle.roles {
        values.extend([
            Val::Int(framework_id),
            Val::Text(&role.key),
            Val::Text(&role.title),
            Val::Text(&role.summary),
            Val::Text(&role.description),
            Val::OptInt(
                role.family
                    .as_ref()
                    .and_then(|k| family_ids.get(k))
                    .copied(),
            ),
            Val::OptInt(role.level.map(i64::from)),
            Val::OptInt(
                role.ladder
                    .as_ref()
                    .and_then(|k| ladder_ids.get(k))
                    .copied(),
            ),
            Val::Text(&role.routes_in),
            Val::Text(&role.transferable_skills),
            Val::Text(&role.typical_employers),
            Val::Text(&role.duration),
        ]);
    }
    let role_row_ids = insert_returning_ids(
        tx,
        "roles (framework_id, key, title, summary, description, family_id, level, ladder_id, routes_in, \
         transferable_skills, typical_employers, duration)",
        12,
        &values,
    )
    .await?;

    let mut titles = Vec::new();
    let mut grades = Vec::new();
    let mut codes = Vec::new();
    let mut texts = Vec::new();
    let mut dimensions = Vec::new();
    let mut requirements = Vec::new();
    let mut role_ids = HashMap::new();
    // A duty's category rides in its kind (`duty:core`), so that the table holds it without a
    // column of its own; `roles.rs` reads it back.
    let duty_kinds: Vec<Vec<String>> = bundle
        .roles
        .iter()
        .map(|role| {
            role.duties
                .iter()
                .map(|d| {
                    if d.category.is_empty() {
                        "duty".to_owned()
                    } else {
                        format!("duty:{}", d.category)
                    }
                })
                .collect()
        })
        .collect();
    for (role_index, role) in bundle.roles.iter().enumerate() {
        let id = role_row_ids[role_index];
        let all_titles = role
            .alt_titles
            .iter()
            .map(|t| ("alt", t))
            .chain(role.typical_titles.iter().map(|t| ("typical", t)));
        for (position, (kind, title)) in all_titles.enumerate() {
            titles.extend([
                Val::Int(id),
                Val::Int(position as i64),
                Val::Text(kind),
                Val::Text(title),
            ]);
        }
        for (position, grade) in role.grades.iter().enumerate() {
            grades.extend([Val::Int(id), Val::Int(position as i64), Val::Text(grade)]);
        }
        for (position, code) in role.codes.iter().enumerate() {
            codes.extend([
                Val::Int(id),
                Val::Int(position as i64),
                Val::Text(&code.scheme),
                Val::Text(&code.value),
            ]);
        }
        let role_texts = role
            .duties
            .iter()
            .zip(&duty_kinds[role_index])
            .map(|(d, kind)| (kind.as_str(), i64::from(d.number), &d.text))
            .chain(
                role.responsibilities
                    .iter()
                    .enumerate()
                    .map(|(i, t)| ("responsibility", i as i64, t)),
            );
        for (kind, position, text) in role_texts {
            texts.extend([
                Val::Int(id),
                Val::Text(kind),
                Val::Int(position),
                Val::Text(text),
            ]);
        }
        for (position, dimension) in role.dimensions.iter().enumerate() {
            dimensions.extend([
                Val::Int(id),
                Val::Int(position as i64),
                Val::Text(&dimension.key),
                Val::Text(&dimension.name),
                Val::Text(&dimension.text),
            ]);
        }
        for (position, req) in role.requirements.iter().enumerate() {
            let skill_id = *skill_ids.get(req.skill.as_str()).ok_or_else(|| {
                StoreError::Corrupt(format!("requirement names unknown skill '{}'", req.skill))
            })?;
            if req.levels.is_empty() {
                requirements.extend([
                    Val::Int(id),
                    Val::Int(skill_id),
                    Val::Int(position as i64),
                    Val::Text(req.importance.as_str()),
                    Val::Int(bool_int(req.emphasis)),
                    Val::OptText(req.level.as_deref()),
                    Val::Text(&req.note),
                ]);
                continue;
            }
            // Levels per grade need the requirement's id: one at a time (frameworks with grades
            // are small).
            let req_id: i64 = sqlx::query_scalar(
                "INSERT INTO requirements (role_id, skill_id, position, importance, emphasis, level_code, note) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(id)
            .bind(skill_id)
            .bind(position as i64)
            .bind(req.importance.as_str())
            .bind(bool_int(req.emphasis))
            .bind(&req.level)
            .bind(&req.note)
            .fetch_one(&mut **tx)
            .await?;
            let mut levels = Vec::with_capacity(req.levels.len() * 4);
            for (position, (grade, code)) in req.levels.iter().enumerate() {
                levels.extend([
                    Val::Int(req_id),
                    Val::Int(position as i64),
                    Val::Text(grade),
                    Val::OptText(code.as_deref()),
                ]);
            }
            insert_many(
                tx,
                "requirement_levels (requirement_id, position, grade, level_code)",
                4,
                &levels,
                "",
            )
            .await?;
        }
        role_ids.insert(role.key.to_lowercase(), id);
    }
    insert_many(
        tx,
        "role_titles (role_id, position, kind, title)",
        4,
        &titles,
        "",
    )
    .await?;
    insert_many(tx, "role_grades (role_id, position, grade)", 3, &grades, "").await?;
    insert_many(
        tx,
        "role_codes (role_id, position, scheme, value)",
        4,
        &codes,
        "",
    )
    .await?;
    insert_many(
        tx,
        "role_texts (role_id, kind, position, text)",
        4,
        &texts,
        "",
    )
    .await?;
    insert_many(
        tx,
        "role_dimensions (role_id, position, key, name, text)",
        5,
        &dimensions,
        "",
    )
    .await?;
    insert_many(
        tx,
        "requirements (role_id, skill_id, position, importance, emphasis, level_code, note)",
        7,
        &requirements,
        "",
    )
    .await?;
    Ok((framework_id, role_ids))
}
