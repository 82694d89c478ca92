//! Writing an ESCO release: its occupations as roles, skills as skills, occupation-skill
//! relations as requirements (the rows `insert_bundle` would write for `esco::to_bundle`), and
//! ESCO's own structure in the `esco_*` tables, straight from the model without copying its text.

use rolemap_core::{Importance, ReuseLevel, SkillKind};
use rolemap_formats::esco::{EscoData, Pillar};
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::copy::{Bulk, Val};
use crate::{Result, StoreError};

/// The ids the store gave ESCO's occupations (as roles) and skills, by URI.
#[derive(Debug, Default)]
pub(super) struct EscoIds<'a> {
    pub(super) roles: FxHashMap<&'a str, i64>,
    pub(super) skills: FxHashMap<&'a str, i64>,
}

/// The ids the next rows of skills, roles and ESCO's concepts get: one more than the largest in
/// each table (the tables are locked meanwhile). Given in the rows, so that rows pointing at them
/// can go in the same COPY stream.
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
    bulk: &Bulk,
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
    bulk: &Bulk,
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
