//! Writing an ESCO release: its occupations as roles, skills as skills, occupation-skill
//! relations as requirements (the rows `insert_bundle` would write for `esco::to_bundle`), and
//! ESCO's own structure in the `esco_*` tables, straight from the model without copying its text.

use rolemap_core::{Importance, ReuseLevel, SkillKind};
use rolemap_formats::esco::{EscoData, Pillar};
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::bulk::{Bulk, Val};
use crate::{Result, StoreError};

/// The ids the store gave ESCO's occupations (as roles) and skills, by URI.
#[derive(Debug, Default)]
pub(super) struct EscoIds<'a> {
    pub(super) roles: FxHashMap<&'a str, i64>,
    pub(super) skills: FxHashMap<&'a str, i64>,
}

/// The ids the next rows of skills, roles and ESCO's concepts get: one more than the largest in
/// each table, as SQLite would give them. Given in the INSERTs, so that those rows can go in
/// batches too.
#[derive(Debug, Clone, Copy)]
pub(super) struct NextIds {
    pub(super) skill: i64,
    pub(super) role: i64,
    pub(super) concept: i64,
}

/// Hands out `*next` and moves it on.
fn take(next: &mut i64) -> Result<i64> {
    let id = *next;
    *next = id
        .checked_add(1)
        .ok_or_else(|| StoreError::Corrupt("no row id left".to_owned()))?;
    Ok(id)
}

/// Stores `data` under the framework row `framework_id` (already inserted).
pub(super) fn write<'a>(
    bulk: &Bulk<'_>,
    framework_id: i64,
    data: &'a EscoData,
    next: NextIds,
) -> Result<EscoIds<'a>> {
    let fw = Val::Int(framework_id);
    let mut next = next;

    // Skills, with their alternative labels and their collections as tags.
    let mut tags: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    for collection in data.collections.iter().filter(|c| !c.occupations) {
        for member in &collection.members {
            tags.entry(member.as_str())
                .or_default()
                .push(collection.tag.as_str());
        }
    }
    let mut skill_ids: FxHashMap<&str, i64> =
        FxHashMap::with_capacity_and_hasher(data.skills.len(), FxBuildHasher);
    {
        let mut skill = bulk.batch(
            "skills (id, framework_id, key, label, description, kind, reuse, scale_id)",
            "(?, ?, ?, ?, ?, ?, ?, NULL)",
            "",
        )?;
        let mut label = bulk.batch(
            "skill_labels (skill_id, position, kind, label)",
            "(?, ?, 'alt', ?)",
            "",
        )?;
        let mut tag = bulk.batch("skill_tags (skill_id, tag)", "(?, ?)", "")?;
        for s in &data.skills {
            let kind = if s.skill_type == "knowledge" {
                SkillKind::Knowledge
            } else {
                SkillKind::Skill
            };
            let id = take(&mut next.skill)?;
            skill.row(&[
                Val::Int(id),
                fw,
                Val::Text(&s.uri),
                Val::Text(&s.preferred_label),
                Val::Text(&s.description),
                Val::Text(kind.as_str()),
                Val::OptText(s.reuse.map(ReuseLevel::as_str)),
            ])?;
            skill_ids.insert(&s.uri, id);
            for (position, alt) in s.alt_labels.iter().enumerate() {
                label.row(&[Val::Int(id), Val::Int(position as i64), Val::Text(alt)])?;
            }
            if let Some(mut own) = tags.remove(s.uri.as_str()) {
                own.sort_unstable();
                own.dedup();
                for t in own {
                    tag.row(&[Val::Int(id), Val::Text(t)])?;
                }
            }
        }
        skill.finish()?;
        label.finish()?;
        tag.finish()?;
    }

    // Occupations, with their alternative titles, codes and requirements (in file order).
    let mut by_occupation: FxHashMap<&str, Vec<(i64, Importance)>> =
        FxHashMap::with_capacity_and_hasher(data.occupations.len(), FxBuildHasher);
    for relation in &data.occupation_skills {
        let skill = *skill_ids.get(&*relation.skill).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "requirement names unknown skill '{}'",
                relation.skill
            ))
        })?;
        by_occupation
            .entry(&*relation.occupation)
            .or_default()
            .push((skill, relation.importance));
    }
    let mut role_ids: FxHashMap<&str, i64> =
        FxHashMap::with_capacity_and_hasher(data.occupations.len(), FxBuildHasher);
    {
        let mut role = bulk.batch(
            "roles (id, framework_id, key, title, summary, description, family_id, level, \
             ladder_id, routes_in, transferable_skills, typical_employers, duration)",
            "(?, ?, ?, ?, '', ?, NULL, NULL, NULL, '', '', '', '')",
            "",
        )?;
        let mut title = bulk.batch(
            "role_titles (role_id, position, kind, title)",
            "(?, ?, 'alt', ?)",
            "",
        )?;
        let mut code = bulk.batch(
            "role_codes (role_id, position, scheme, value)",
            "(?, ?, ?, ?)",
            "",
        )?;
        let mut requirement = bulk.batch(
            "requirements (role_id, skill_id, position, importance, emphasis, level_code, note)",
            "(?, ?, ?, ?, 0, NULL, '')",
            "",
        )?;
        for o in &data.occupations {
            let id = take(&mut next.role)?;
            role.row(&[
                Val::Int(id),
                fw,
                Val::Text(&o.uri),
                Val::Text(&o.preferred_label),
                Val::Text(&o.description),
            ])?;
            role_ids.insert(&o.uri, id);
            for (position, alt) in o.alt_labels.iter().enumerate() {
                title.row(&[Val::Int(id), Val::Int(position as i64), Val::Text(alt)])?;
            }
            let codes = [("ESCO", &o.code), ("ISCO", &o.isco_group)];
            let codes = codes.iter().filter(|(_, value)| !value.is_empty());
            for (position, (scheme, value)) in codes.enumerate() {
                code.row(&[
                    Val::Int(id),
                    Val::Int(position as i64),
                    Val::Text(scheme),
                    Val::Text(value),
                ])?;
            }
            for (position, (skill, importance)) in by_occupation
                .remove(o.uri.as_str())
                .unwrap_or_default()
                .into_iter()
                .enumerate()
            {
                requirement.row(&[
                    Val::Int(id),
                    Val::Int(skill),
                    Val::Int(position as i64),
                    Val::Text(importance.as_str()),
                ])?;
            }
        }
        role.finish()?;
        title.finish()?;
        code.finish()?;
        requirement.finish()?;
    }

    write_structure(bulk, fw, data, &mut next.concept)?;
    Ok(EscoIds {
        roles: role_ids,
        skills: skill_ids,
    })
}

/// ESCO's own structure (migrations 0003 and 0004): every concept's fields, hidden labels,
/// groups, broader relations, skill-skill relations, the hierarchy and occupation collections.
fn write_structure(
    bulk: &Bulk<'_>,
    fw: Val<'_>,
    data: &EscoData,
    next_concept: &mut i64,
) -> Result<()> {
    let concepts = data.occupations.len()
        + data.skills.len()
        + data.isco_groups.len()
        + data.skill_groups.len();
    let mut concept_ids: FxHashMap<&str, i64> =
        FxHashMap::with_capacity_and_hasher(concepts, FxBuildHasher);
    {
        let mut concept = bulk.batch(
            "esco_concept_fields (id, framework_id, uri, kind, code, label, description, \
             definition, scope_note, status, skill_type, regulated, modified)",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "",
        )?;
        let mut label = bulk.insert(
            "INSERT INTO esco_labels (concept_id, kind, position, label) VALUES (?, ?, ?, ?) \
             ON CONFLICT DO NOTHING",
        )?;
        let mut labels = |id: i64, kind: &str, list: &[String]| -> Result<()> {
            for (position, text) in list.iter().enumerate() {
                label.row(&[
                    Val::Int(id),
                    Val::Text(kind),
                    Val::Int(position as i64),
                    Val::Text(text),
                ])?;
            }
            Ok(())
        };
        // Label and description NULL: those of the role or skill (see migration 0004).
        for o in &data.occupations {
            let id = take(next_concept)?;
            concept.row(&[
                Val::Int(id),
                fw,
                Val::Text(&o.uri),
                Val::Text("occupation"),
                Val::Text(&o.code),
                Val::OptText(None),
                Val::OptText(None),
                Val::Text(&o.definition),
                Val::Text(&o.scope_note),
                Val::Text(&o.status),
                Val::Text(""),
                Val::Text(&o.regulated_profession_note),
                Val::Text(&o.modified),
            ])?;
            concept_ids.insert(&o.uri, id);
            // Alternative labels are the role's titles.
            labels(id, "hidden", &o.hidden_labels)?;
        }
        for s in &data.skills {
            let id = take(next_concept)?;
            concept.row(&[
                Val::Int(id),
                fw,
                Val::Text(&s.uri),
                Val::Text("skill"),
                Val::Text(""),
                Val::OptText(None),
                Val::OptText(None),
                Val::Text(&s.definition),
                Val::Text(&s.scope_note),
                Val::Text(&s.status),
                Val::Text(&s.skill_type),
                Val::Text(""),
                Val::Text(&s.modified),
            ])?;
            concept_ids.insert(&s.uri, id);
            // Alternative labels are the skill's labels.
            labels(id, "hidden", &s.hidden_labels)?;
        }
        for g in &data.isco_groups {
            let id = take(next_concept)?;
            concept.row(&[
                Val::Int(id),
                fw,
                Val::Text(&g.uri),
                Val::Text("isco-group"),
                Val::Text(&g.code),
                Val::Text(&g.preferred_label),
                Val::Text(&g.description),
                Val::Text(""),
                Val::Text(""),
                Val::Text(&g.status),
                Val::Text(""),
                Val::Text(""),
                Val::Text(""),
            ])?;
            concept_ids.insert(&g.uri, id);
            labels(id, "alt", &g.alt_labels)?;
        }
        for g in &data.skill_groups {
            let id = take(next_concept)?;
            concept.row(&[
                Val::Int(id),
                fw,
                Val::Text(&g.uri),
                Val::Text("skill-group"),
                Val::Text(&g.code),
                Val::Text(&g.preferred_label),
                Val::Text(&g.description),
                Val::Text(""),
                Val::Text(&g.scope_note),
                Val::Text(&g.status),
                Val::Text(""),
                Val::Text(""),
                Val::Text(&g.modified),
            ])?;
            concept_ids.insert(&g.uri, id);
            labels(id, "alt", &g.alt_labels)?;
            labels(id, "hidden", &g.hidden_labels)?;
        }
        concept.finish()?;
    }
    // Relations name concepts by number; the reader has checked that every end is one.
    let concept = |uri: &str| {
        concept_ids.get(uri).copied().ok_or_else(|| {
            StoreError::Corrupt(format!("a relation names {uri}, which is not a concept"))
        })
    };
    // Both relation tables are WITHOUT ROWID, kept in key order whatever the order of the
    // inserts: in that order each row goes at the end of its B-tree rather than somewhere in
    // it. The sort is stable, so of two rows with one key the file's first is kept, as before.
    let mut broader_rows = Vec::with_capacity(data.broader.len());
    for b in &data.broader {
        let pillar = match b.pillar {
            Pillar::Occupations => "occupations",
            Pillar::Skills => "skills",
        };
        broader_rows.push((concept(&b.narrower)?, concept(&b.broader)?, pillar));
    }
    broader_rows.sort_by_key(|&(narrower, broader, _)| (narrower, broader));
    let mut broader = bulk.batch(
        "esco_broader_links (narrower, broader, pillar)",
        "(?, ?, ?)",
        "ON CONFLICT DO NOTHING",
    )?;
    for (narrower, wider, pillar) in broader_rows {
        broader.row(&[Val::Int(narrower), Val::Int(wider), Val::Text(pillar)])?;
    }
    broader.finish()?;

    let mut related_rows = Vec::with_capacity(data.skill_skills.len());
    for r in &data.skill_skills {
        related_rows.push((
            concept(&r.skill)?,
            concept(&r.related)?,
            r.importance.as_str(),
        ));
    }
    related_rows.sort_by_key(|&(skill, related, _)| (skill, related));
    let mut related = bulk.batch(
        "esco_skill_links (skill, related, importance)",
        "(?, ?, ?)",
        "ON CONFLICT DO NOTHING",
    )?;
    for (skill, other, importance) in related_rows {
        related.row(&[Val::Int(skill), Val::Int(other), Val::Text(importance)])?;
    }
    related.finish()?;

    let mut hierarchy = bulk.insert(
        "INSERT INTO esco_hierarchy (framework_id, position, level0, level1, level2, level3) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )?;
    for (position, row) in data.hierarchy.iter().enumerate() {
        let level = |i: usize| Val::OptText(row.levels.get(i).map(|(uri, _, _)| uri.as_str()));
        hierarchy.row(&[
            fw,
            Val::Int(position as i64),
            level(0),
            level(1),
            level(2),
            level(3),
        ])?;
    }

    let mut tag = bulk.insert(
        "INSERT INTO esco_occupation_tags (framework_id, occupation, tag) VALUES (?, ?, ?) \
         ON CONFLICT DO NOTHING",
    )?;
    for collection in data.collections.iter().filter(|c| c.occupations) {
        for member in &collection.members {
            tag.row(&[fw, Val::Text(member), Val::Text(&collection.tag)])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rolemap_formats::esco::{self, EscoData};
    use sqlx::SqlitePool;
    use sqlx::sqlite::SqlitePoolOptions;

    use crate::sqlite::esco_fixture as fixtures;
    use crate::{SqliteStore, Store};

    /// The tables (or, from migration 0004, views) of 0003 and their columns.
    const ESCO_0003: [(&str, &str); 6] = [
        (
            "esco_concepts",
            "id, framework_id, uri, kind, code, label, description, definition, scope_note, \
             status, skill_type, regulated, modified",
        ),
        ("esco_labels", "concept_id, kind, position, label"),
        ("esco_broader", "framework_id, pillar, narrower, broader"),
        (
            "esco_skill_relations",
            "framework_id, skill, related, importance",
        ),
        (
            "esco_hierarchy",
            "framework_id, position, level0, level1, level2, level3",
        ),
        ("esco_occupation_tags", "framework_id, occupation, tag"),
    ];

    /// Every row of `table` (its `columns`), ordered, as one JSON array.
    async fn rows_of(pool: &SqlitePool, table: &str, columns: &str) -> String {
        let sql = format!(
            "SELECT json_group_array(json_array({columns})) FROM \
             (SELECT {columns} FROM {table} ORDER BY {columns})"
        );
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(pool)
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"))
    }

    /// A database holding `data` as the code of migration 0003 stored it.
    async fn esco_as_of_0003(data: &EscoData, rows: &[(&str, String)]) -> SqlitePool {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        super::super::MIGRATOR
            .run_to(3, &pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut tx = pool.begin().await.unwrap_or_else(|e| panic!("{e}"));
        super::super::bundle::insert_bundle(
            &mut tx,
            &esco::to_bundle(data),
            "2026-01-01T00:00:00Z",
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        for ((table, columns), (_, json)) in ESCO_0003.iter().zip(rows) {
            let values: Vec<String> = (0..columns.split(',').count())
                .map(|i| format!("value ->> {i}"))
                .collect();
            let sql = format!(
                "INSERT INTO {table} ({columns}) SELECT {} FROM json_each($1)",
                values.join(", ")
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(json)
                .execute(&mut *tx)
                .await
                .unwrap_or_else(|e| panic!("{table}: {e}"));
        }
        tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
        pool
    }

    /// Every index of the schema, with its definition.
    async fn indexes(pool: &SqlitePool) -> Vec<(String, Option<String>)> {
        sqlx::query_as("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name")
            .fetch_all(pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[tokio::test]
    async fn the_indexes_rebuilt_after_an_import_are_those_of_the_schema() {
        let store = SqliteStore::in_memory()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let before = indexes(&store.pool).await;
        assert!(before.iter().any(|(name, _)| name == "requirements_skill"));
        store
            .import_esco(&fixtures(), &crate::Actor::cli(), "2026-01-01T00:00:00Z")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(indexes(&store.pool).await, before);
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&store.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check, "ok");
    }

    #[tokio::test]
    async fn a_failed_import_writes_nothing_and_leaves_foreign_keys_checked() {
        let mut data = fixtures();
        let mut broken = data.occupation_skills[0].clone();
        broken.skill = "http://data.europa.eu/esco/skill/none".into();
        data.occupation_skills.push(broken);
        // A single connection: the one the import used.
        let store = SqliteStore::in_memory()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let failed = store
            .import_esco(&data, &crate::Actor::cli(), "2026-01-01T00:00:00Z")
            .await;
        assert!(
            matches!(failed, Err(crate::StoreError::Corrupt(_))),
            "{failed:?}"
        );
        let count = |sql: &'static str| {
            let pool = store.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
        };
        assert_eq!(count("SELECT count(*) FROM frameworks").await, 0);
        assert_eq!(count("SELECT count(*) FROM skills").await, 0);
        assert_eq!(
            count("SELECT count(*) FROM sqlite_schema WHERE name = 'requirements_skill'").await,
            1
        );
        assert_eq!(count("PRAGMA foreign_keys").await, 1);
        // And the store still imports.
        data.occupation_skills.pop();
        let outcome = store
            .import_esco(&data, &crate::Actor::cli(), "2026-01-01T00:00:00Z")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(outcome.created);
        assert_eq!(count("PRAGMA foreign_keys").await, 1);
        // What was written without the checks passes them.
        assert_eq!(
            count("SELECT count(*) FROM pragma_foreign_key_check").await,
            0
        );
    }

    #[tokio::test]
    async fn migration_0004_keeps_every_row_esco_stored_before_it() {
        let data = fixtures();
        let store = SqliteStore::in_memory()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store
            .import_esco(&data, &crate::Actor::cli(), "2026-01-01T00:00:00Z")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut rows = Vec::new();
        for (table, columns) in ESCO_0003 {
            rows.push((table, rows_of(&store.pool, table, columns).await));
        }
        assert!(rows.iter().all(|(_, json)| json.len() > 2), "{rows:?}");
        // The same rows written to the 0003 tables, then migrated.
        let old = esco_as_of_0003(&data, &rows).await;
        super::super::MIGRATOR
            .run(&old)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for (table, columns) in ESCO_0003 {
            let migrated = rows_of(&old, table, columns).await;
            let stored = rows.iter().find(|(t, _)| *t == table).map(|(_, r)| r);
            assert_eq!(Some(&migrated), stored, "{table}");
        }
        // Occupations and skills keep no copy of their role's or skill's text.
        let copies: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM esco_concept_fields \
             WHERE kind IN ('occupation', 'skill') AND (label IS NOT NULL OR description IS NOT NULL)",
        )
        .fetch_one(&old)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(copies, 0);
    }

    /// Every row of the tables a framework bundle fills, in a fixed order, as text.
    async fn bundle_rows(store: &SqliteStore) -> Vec<String> {
        let mut rows = Vec::new();
        for (table, columns) in [
            (
                "skills",
                "id, framework_id, key, label, description, kind, reuse, scale_id",
            ),
            ("skill_labels", "skill_id, position, kind, label"),
            ("skill_tags", "skill_id, tag"),
            (
                "roles",
                "id, framework_id, key, title, summary, description, family_id, level, ladder_id, \
                 routes_in, transferable_skills, typical_employers, duration",
            ),
            ("role_titles", "role_id, position, kind, title"),
            ("role_codes", "role_id, position, scheme, value"),
            (
                "requirements",
                "id, role_id, skill_id, position, importance, emphasis, level_code, note",
            ),
        ] {
            let sql = format!(
                "SELECT '{table}' || ': ' || json_array({columns}) FROM {table} ORDER BY {columns}"
            );
            let table_rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_all(&store.pool)
                .await
                .unwrap_or_else(|e| panic!("{table}: {e}"));
            rows.extend(table_rows.into_iter().map(|(row,)| row));
        }
        rows
    }

    #[tokio::test]
    async fn esco_rows_are_the_rows_of_its_framework_bundle() {
        let data = fixtures();
        let direct = SqliteStore::in_memory()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        direct
            .import_esco(&data, &crate::Actor::cli(), "2026-01-01T00:00:00Z")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let bundled = SqliteStore::in_memory()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        bundled
            .import_frameworks(
                &[esco::to_bundle(&data)],
                &crate::Actor::cli(),
                "2026-01-01T00:00:00Z",
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let rows = bundle_rows(&direct).await;
        assert!(rows.iter().any(|r| r.starts_with("skill_tags")), "{rows:?}");
        assert!(
            rows.iter().any(|r| r.starts_with("requirements")),
            "{rows:?}"
        );
        assert_eq!(rows, bundle_rows(&bundled).await);
    }
}
