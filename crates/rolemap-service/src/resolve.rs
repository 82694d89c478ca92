//! Turning what people type into records: an id, `framework:key`, a key, or a name in any case.
//! Nothing found gives "did you mean" suggestions; several found gives the ways to name each.

use std::collections::BTreeMap;

use rolemap_core::bundle::ConceptRef;
use rolemap_core::suggest::did_you_mean;
use rolemap_core::{PersonId, Role, RoleId, SkillId};
use rolemap_store::NameEntry;

use crate::{Result, Service, ServiceError};

/// What a typed name found: one record, or several, each with the entry naming it.
enum Found<'a, I> {
    One(I),
    Several(Vec<&'a NameEntry<I>>),
}

/// Finds the records a typed name means in a list of name entries. A concept's own title or
/// preferred label outranks the other titles and alternative labels of other concepts: typed
/// exactly, it names that concept alone (ESCO's "manage staff" is one skill's preferred label and
/// another's alternative label).
fn find<'a, I: Copy + Ord>(
    what: &'static str,
    typed: &str,
    entries: &'a [NameEntry<I>],
    id_of: impl Fn(i64) -> I,
) -> Result<Found<'a, I>> {
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
            return Ok(Found::One(id));
        }
    }
    let reference = ConceptRef::parse(text);
    // Each record found, with the first entry that named it and whether a preferred name (or
    // its key) did.
    let mut hits: BTreeMap<I, (&NameEntry<I>, bool)> = BTreeMap::new();
    fn hit<'a, I: Copy + Ord>(
        hits: &mut BTreeMap<I, (&'a NameEntry<I>, bool)>,
        e: &'a NameEntry<I>,
        preferred: bool,
    ) {
        hits.entry(e.id)
            .and_modify(|h| h.1 |= preferred)
            .or_insert((e, preferred));
    }
    if let Some(framework) = &reference.framework {
        for e in entries.iter().filter(|e| &e.framework_key == framework) {
            let by_key = e.key.eq_ignore_ascii_case(&reference.key);
            if by_key || e.name.eq_ignore_ascii_case(&reference.key) {
                hit(&mut hits, e, by_key || e.preferred);
            }
        }
    }
    if hits.is_empty() {
        for e in entries {
            if e.key.eq_ignore_ascii_case(text) {
                hit(&mut hits, e, true);
            }
        }
    }
    if hits.is_empty() {
        let lower = text.to_lowercase();
        for e in entries {
            if e.name.to_lowercase() == lower {
                hit(&mut hits, e, e.preferred);
            }
        }
    }
    // Concepts whose own title or preferred label it is outrank those that list it among their
    // other names, however many of either there are.
    if hits.values().any(|h| h.1) {
        hits.retain(|_, h| h.1);
    }
    // Several versions of one framework share its keys: one `framework:key` in several versions
    // means the latest stored (the highest id), as references in imported files do.
    if let Some((&latest, _)) = hits.iter().next_back()
        && one_concept(hits.values().map(|h| h.0))
    {
        return Ok(Found::One(latest));
    }
    if hits.is_empty() {
        return Err(ServiceError::NotFound {
            what,
            name: text.to_owned(),
            suggestions: did_you_mean(text, entries.iter().map(|e| e.name.as_str()), 3),
        });
    }
    Ok(Found::Several(hits.into_values().map(|h| h.0).collect()))
}

/// True when the entries all name one concept (one framework and key, in any version); false
/// for none.
fn one_concept<'a, I: 'a>(mut entries: impl Iterator<Item = &'a NameEntry<I>>) -> bool {
    let Some(first) = entries.next() else {
        return false;
    };
    entries
        .all(|e| e.framework_key == first.framework_key && e.key.eq_ignore_ascii_case(&first.key))
}

/// Picks the record a typed name means, or says which records it could mean.
fn resolve<I: Copy + Ord + std::fmt::Display>(
    what: &'static str,
    typed: &str,
    entries: &[NameEntry<I>],
    id_of: impl Fn(i64) -> I,
) -> Result<I> {
    match find(what, typed, entries, id_of)? {
        Found::One(id) => Ok(id),
        Found::Several(several) => Err(ambiguous(
            what,
            typed,
            several
                .iter()
                .map(|e| match what {
                    "person" => format!("{} ({})", e.key, e.name),
                    _ => candidate(e, first_name(entries, e.id), &[]),
                })
                .collect(),
        )),
    }
}

/// The first name listed for an id (its title or preferred label).
fn first_name<I: Copy + PartialEq>(entries: &[NameEntry<I>], id: I) -> &str {
    entries
        .iter()
        .find(|e| e.id == id)
        .map_or("", |e| e.name.as_str())
}

fn ambiguous(what: &'static str, typed: &str, candidates: Vec<String>) -> ServiceError {
    ServiceError::Ambiguous {
        what,
        name: typed.trim().to_owned(),
        candidates,
    }
}

/// One of several records a name could mean, as the ambiguity list shows it: the exact name to
/// type first (`framework:key`, or the id where the key is a URI, which is no name for people),
/// then its title and whatever else tells it apart (`2231 (operations manager, ESCO 1321.1)`).
fn candidate<I: std::fmt::Display>(e: &NameEntry<I>, title: &str, details: &[String]) -> String {
    let mut about = vec![title.to_owned()];
    let exact = if rolemap_core::label::readable_key(&e.key) {
        format!("{}:{}", e.framework_key, e.key)
    } else {
        if details.is_empty() {
            about.push(e.framework_key.clone());
        }
        e.id.to_string()
    };
    about.extend(details.iter().cloned());
    format!("{exact} ({})", about.join(", "))
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
        let filtered: Vec<NameEntry<RoleId>>;
        let entries: &[NameEntry<RoleId>] = match framework {
            Some(fw) => {
                filtered = roles
                    .iter()
                    .filter(|e| e.framework_key == fw)
                    .cloned()
                    .collect();
                &filtered
            }
            None => &roles,
        };
        match find("role", typed, entries, RoleId)? {
            Found::One(id) => Ok(id),
            Found::Several(several) => {
                let mut candidates = Vec::with_capacity(several.len());
                for e in several {
                    // A role's code names it where its key cannot: its framework's own (ESCO
                    // 1321.2.3), else the first it has, after the framework (esco, ISCO 1330).
                    let role = self.role_by_id(e.id).await?;
                    let own = role
                        .codes
                        .iter()
                        .find(|c| c.scheme.eq_ignore_ascii_case(&e.framework_key));
                    let details: Vec<String> = match (own, role.codes.first()) {
                        _ if rolemap_core::label::readable_key(&e.key) => Vec::new(),
                        (Some(code), _) => vec![format!("{} {}", code.scheme, code.value)],
                        (None, Some(code)) => vec![
                            e.framework_key.clone(),
                            format!("{} {}", code.scheme, code.value),
                        ],
                        (None, None) => Vec::new(),
                    };
                    candidates.push(candidate(e, &role.title, &details));
                }
                Err(ambiguous("role", typed, candidates))
            }
        }
    }

    /// Resolves a skill. A name several skills share is never settled by guessing, not even by
    /// the skills a person's role requires: the answer lists them with what tells them apart.
    /// `context` only picks, among the versions of one skill, the one that role requires.
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
        // A label shown with what tells it apart ("Data and insight (core skill)") names that
        // skill, so whatever a page or a table shows can be typed back.
        let qualifiers = self.qualifiers().await?;
        let wanted = typed.trim().to_lowercase();
        let exact = entries
            .iter()
            .filter(|e| e.preferred)
            .find(|e| {
                qualifiers.get(&e.id).is_some_and(|q| {
                    rolemap_core::label::shown(&e.name, q).to_lowercase() == wanted
                })
            })
            .map(|e| format!("{}:{}", e.framework_key, e.key));
        let typed = exact.as_deref().unwrap_or(typed);
        match find("skill", typed, entries, SkillId)? {
            Found::Several(several) => {
                let candidates = several
                    .iter()
                    .map(|e| {
                        let details: Vec<String> =
                            qualifiers.get(&e.id).cloned().into_iter().collect();
                        candidate(e, first_name(entries, e.id), &details)
                    })
                    .collect();
                Err(ambiguous("skill", typed, candidates))
            }
            // A role in an older version requires that version's skill, not the latest one.
            Found::One(id) => {
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
        }
    }

    pub async fn resolve_person(&self, typed: &str) -> Result<PersonId> {
        let people = self.people_index().await?;
        resolve("person", typed, &people.names, PersonId)
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
            preferred: true,
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

    /// ESCO's "manage staff" is one skill's preferred label and another's alternative label;
    /// "operations manager" likewise for occupations.
    fn esco_like() -> Vec<NameEntry<RoleId>> {
        let e = |id, key: &str, name: &str, preferred| NameEntry {
            id: RoleId(id),
            framework_key: "esco".to_owned(),
            key: format!("http://data.europa.eu/esco/occupation/{key}"),
            name: name.to_owned(),
            preferred,
        };
        vec![
            e(7, "c6bd", "operations manager", true),
            e(8, "0368", "metal production manager", true),
            e(8, "0368", "operations manager", false),
            e(9, "544c", "business manager", true),
            e(9, "544c", "Operations Manager", false),
            e(10, "aaaa", "data officer", true),
            e(11, "bbbb", "data officer", true),
        ]
    }

    #[test]
    fn an_exact_preferred_label_wins_over_alternative_labels() {
        let list = esco_like();
        assert_eq!(
            resolve("role", "Operations manager", &list, RoleId).ok(),
            Some(RoleId(7))
        );
        assert_eq!(
            resolve("role", "esco:operations manager", &list, RoleId).ok(),
            Some(RoleId(7))
        );
    }

    #[test]
    fn several_preferred_labels_list_only_those() {
        let mut list = esco_like();
        list.push(NameEntry {
            id: RoleId(12),
            framework_key: "odp".to_owned(),
            key: "operations-manager".to_owned(),
            name: "Operations Manager".to_owned(),
            preferred: true,
        });
        let err = resolve("role", "operations manager", &list, RoleId).unwrap_err();
        assert_eq!(
            err.to_string(),
            "'operations manager' could be any of 2 roles: 7 (operations manager, esco), \
             odp:operations-manager (Operations Manager); name one by id or framework:key"
        );
    }

    #[test]
    fn ambiguity_lists_uri_keyed_concepts_by_id_and_title_never_by_uri() {
        let err = resolve("role", "data officer", &esco_like(), RoleId).unwrap_err();
        let message = err.to_string();
        assert_eq!(
            message,
            "'data officer' could be any of 2 roles: 10 (data officer, esco), 11 (data officer, \
             esco); name one by id or framework:key"
        );
        assert!(!message.contains("http"), "{message}");
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
