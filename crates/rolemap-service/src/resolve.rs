//! Turning what people type into records: an id, `framework:key`, a key, or a name in any case.
//! Nothing found gives "did you mean" suggestions; several found gives the ways to name each.

use std::collections::BTreeMap;

use rolemap_core::bundle::ConceptRef;
use rolemap_core::suggest::did_you_mean;
use rolemap_core::{PersonId, Role, RoleId, SkillId};
use rolemap_store::NameEntry;

use crate::{Result, Service, ServiceError};

/// Picks the records a typed name means from a list of name entries.
fn resolve<I: Copy + Ord>(
    what: &'static str,
    typed: &str,
    entries: &[NameEntry<I>],
    id_of: impl Fn(i64) -> I,
) -> Result<I> {
    let text = typed.trim();
    if text.is_empty() {
        return Err(ServiceError::invalid(
            what,
            format!("a {what} name is needed"),
        ));
    }
    if let Ok(number) = text.parse::<i64>() {
        let id = id_of(number);
        if entries.iter().any(|e| e.id == id) {
            return Ok(id);
        }
    }
    let reference = ConceptRef::parse(text);
    let mut hits: BTreeMap<I, &NameEntry<I>> = BTreeMap::new();
    if let Some(framework) = &reference.framework {
        for e in entries.iter().filter(|e| &e.framework_key == framework) {
            if e.key.eq_ignore_ascii_case(&reference.key)
                || e.name.eq_ignore_ascii_case(&reference.key)
            {
                hits.entry(e.id).or_insert(e);
            }
        }
    }
    if hits.is_empty() {
        for e in entries {
            if e.key.eq_ignore_ascii_case(text) {
                hits.entry(e.id).or_insert(e);
            }
        }
    }
    if hits.is_empty() {
        let lower = text.to_lowercase();
        for e in entries {
            if e.name.to_lowercase() == lower {
                hits.entry(e.id).or_insert(e);
            }
        }
    }
    // Several versions of one framework share its keys: one `framework:key` in several versions
    // means the latest stored (the highest id), as references in imported files do.
    if let Some(first) = hits.values().next()
        && hits.values().all(|e| {
            e.framework_key == first.framework_key && e.key.eq_ignore_ascii_case(&first.key)
        })
    {
        return Ok(*hits.keys().next_back().unwrap_or_else(|| unreachable!()));
    }
    match hits.len() {
        0 => Err(ServiceError::NotFound {
            what,
            name: text.to_owned(),
            suggestions: did_you_mean(text, entries.iter().map(|e| e.name.as_str()), 3),
        }),
        _ => Err(ServiceError::Ambiguous {
            what,
            name: text.to_owned(),
            candidates: hits
                .values()
                .map(|e| match what {
                    "person" => format!("{} ({})", e.key, e.name),
                    _ => format!(
                        "{}:{} ({})",
                        e.framework_key,
                        e.key,
                        first_name(entries, e.id)
                    ),
                })
                .collect(),
        }),
    }
}

/// The first name listed for an id (its title or preferred label).
fn first_name<I: Copy + PartialEq>(entries: &[NameEntry<I>], id: I) -> &str {
    entries
        .iter()
        .find(|e| e.id == id)
        .map_or("", |e| e.name.as_str())
}

impl Service {
    pub async fn resolve_role(&self, typed: &str, framework: Option<&str>) -> Result<RoleId> {
        // Ids and framework:key resolve without reading every name.
        let text = typed.trim();
        if let Ok(number) = text.parse::<i64>()
            && self.role_by_id(RoleId(number)).await.is_ok()
        {
            return Ok(RoleId(number));
        }
        let reference = ConceptRef::parse(text);
        if let Some(fw) = reference.framework.as_deref().or(framework)
            && let Some(id) = self.store().role_by_key(fw, &reference.key).await?
        {
            return Ok(id);
        }
        let roles = self.role_names().await?;
        match framework {
            Some(fw) => {
                let entries: Vec<NameEntry<RoleId>> = roles
                    .iter()
                    .filter(|e| e.framework_key == fw)
                    .cloned()
                    .collect();
                resolve("role", typed, &entries, RoleId)
            }
            None => resolve("role", typed, &roles, RoleId),
        }
    }

    /// Resolves a skill; where a name fits several skills and `context` is given, the skills that
    /// role requires win.
    pub async fn resolve_skill(
        &self,
        typed: &str,
        framework: Option<&str>,
        context: Option<&Role>,
    ) -> Result<SkillId> {
        let skills = self.skill_names().await?;
        let filtered: Vec<NameEntry<SkillId>>;
        let entries: &[NameEntry<SkillId>] = match framework {
            Some(fw) => {
                filtered = skills
                    .iter()
                    .filter(|e| e.framework_key == fw)
                    .cloned()
                    .collect();
                &filtered
            }
            None => &skills,
        };
        match resolve("skill", typed, entries, SkillId) {
            Err(ServiceError::Ambiguous {
                what,
                name,
                candidates,
            }) => {
                let Some(role) = context else {
                    return Err(ServiceError::Ambiguous {
                        what,
                        name,
                        candidates,
                    });
                };
                let lower = typed.trim().to_lowercase();
                let mut required: Vec<SkillId> = entries
                    .iter()
                    .filter(|e| {
                        e.name.to_lowercase() == lower || e.key.eq_ignore_ascii_case(typed.trim())
                    })
                    .map(|e| e.id)
                    .filter(|id| role.requirement(*id).is_some())
                    .collect();
                required.dedup();
                match required.as_slice() {
                    [one] => Ok(*one),
                    _ => Err(ServiceError::Ambiguous {
                        what,
                        name,
                        candidates,
                    }),
                }
            }
            // A role in an older version requires that version's skill, not the latest one.
            Ok(id) => {
                let Some(role) = context else { return Ok(id) };
                let Some(hit) = entries.iter().find(|e| e.id == id) else {
                    return Ok(id);
                };
                Ok(entries
                    .iter()
                    .find(|e| {
                        e.framework_key == hit.framework_key
                            && e.key.eq_ignore_ascii_case(&hit.key)
                            && role.requirement(e.id).is_some()
                    })
                    .map_or(id, |e| e.id))
            }
            other => other,
        }
    }

    pub async fn resolve_person(&self, typed: &str) -> Result<PersonId> {
        let people = self.store().people().await?;
        let entries: Vec<NameEntry<PersonId>> = people
            .iter()
            .map(|p| NameEntry {
                id: p.id,
                framework_key: "person".to_owned(),
                key: p.key.clone(),
                name: p.name.clone(),
            })
            .collect();
        resolve("person", typed, &entries, PersonId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<NameEntry<RoleId>> {
        let e = |id, fw: &str, key: &str, name: &str| NameEntry {
            id: RoleId(id),
            framework_key: fw.to_owned(),
            key: key.to_owned(),
            name: name.to_owned(),
        };
        vec![
            e(1, "odp", "team-leader", "Team Leader"),
            e(2, "odp", "operations-manager", "Operations Manager"),
            e(
                3,
                "ops-compared",
                "operations-manager",
                "Operations Manager",
            ),
            e(4, "standards", "senior-leader", "Senior leader"),
            e(4, "standards", "senior-leader", "Chief operating officer"),
        ]
    }

    #[test]
    fn resolves_ids_keys_titles_and_qualified_keys() {
        let list = entries();
        assert_eq!(resolve("role", "1", &list, RoleId).ok(), Some(RoleId(1)));
        assert_eq!(
            resolve("role", "TEAM LEADER", &list, RoleId).ok(),
            Some(RoleId(1))
        );
        assert_eq!(
            resolve("role", "ops-compared:operations-manager", &list, RoleId).ok(),
            Some(RoleId(3))
        );
        assert_eq!(
            resolve("role", "chief operating officer", &list, RoleId).ok(),
            Some(RoleId(4))
        );
    }

    #[test]
    fn shared_titles_are_ambiguous_and_say_how_to_choose() {
        let err = resolve("role", "operations manager", &entries(), RoleId).unwrap_err();
        assert_eq!(
            err.to_string(),
            "'operations manager' could be any of 2 roles: odp:operations-manager (Operations Manager), \
             ops-compared:operations-manager (Operations Manager); name one by id or framework:key"
        );
    }

    #[test]
    fn unknown_names_suggest_close_ones() {
        let err = resolve("role", "team leadr", &entries(), RoleId).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no role named 'team leadr'; did you mean 'Team Leader'?"
        );
    }
}
