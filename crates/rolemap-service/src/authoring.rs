//! Framework authoring: a stored version written back as its document, what changed between
//! two versions, and drafts, which are framework documents edited field by field, checked by the
//! framework reader at every edit and published as a new version through the framework import.

use std::collections::{BTreeSet, HashSet};

use rolemap_core::bundle::FrameworkBundle;
use rolemap_core::diff::{self, FrameworkDiff};
use rolemap_formats::framework_edit::{Edit, edit_framework};
use rolemap_formats::{read_framework, write_framework};
use rolemap_store::{Actor, DraftUpdate, FrameworkDraft, ImportOutcome, NewDraft};

use crate::{Result, Service, ServiceError};

/// How a draft starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftStart {
    /// An empty framework with this key and name.
    New { key: String, name: String },
    /// A copy of a stored version (the latest when `version` is `None`), with a new version.
    Copy {
        framework: String,
        version: Option<String>,
    },
    /// A new framework holding copies of some roles of a stored one (by key), with the skills,
    /// scales, grade ladders and job families they use and the links among them.
    Roles {
        framework: String,
        version: Option<String>,
        roles: Vec<String>,
        key: String,
        name: String,
    },
}

/// The name a draft's document goes by in its problems.
fn draft_file(id: i64) -> String {
    format!("draft {id}")
}

/// The version a copy is offered: the next number, or the old version with `-2` after it.
fn next_version(version: &str) -> String {
    match version.trim().parse::<u64>() {
        Ok(n) => (n + 1).to_string(),
        Err(_) => format!("{version}-2"),
    }
}

impl Service {
    /// A stored framework version (the latest when `version` is `None`), read back whole.
    pub async fn framework_bundle(
        &self,
        key: &str,
        version: Option<&str>,
    ) -> Result<FrameworkBundle> {
        if let Some(bundle) = self.store.framework_bundle(key, version).await? {
            return Ok(bundle);
        }
        self.check_framework(key).await?;
        let versions: Vec<String> = self
            .store
            .frameworks()
            .await?
            .into_iter()
            .filter(|f| f.key == key)
            .map(|f| f.version)
            .collect();
        let asked = version.unwrap_or_default();
        Err(ServiceError::NotFound {
            what: "framework version",
            name: format!("{key} {asked}"),
            suggestions: rolemap_core::suggest::did_you_mean(
                asked,
                versions.iter().map(String::as_str),
                3,
            )
            .into_iter()
            .map(|v| format!("{key} {v}"))
            .collect(),
        })
    }

    /// A stored framework version as the framework document that imports back to it, and the
    /// file name to give it (`key-version.toml`).
    pub async fn framework_document(
        &self,
        key: &str,
        version: Option<&str>,
    ) -> Result<(String, String)> {
        let bundle = self.framework_bundle(key, version).await?;
        let name = format!("{}-{}.toml", bundle.framework.key, bundle.framework.version);
        Ok((name, write_framework(&bundle)))
    }

    /// What changed in framework `key` from version `from` to version `to`.
    pub async fn framework_diff(&self, key: &str, from: &str, to: &str) -> Result<FrameworkDiff> {
        let before = self.framework_bundle(key, Some(from)).await?;
        let after = self.framework_bundle(key, Some(to)).await?;
        Ok(diff::diff(&before, &after))
    }

    pub async fn framework_drafts(&self) -> Result<Vec<FrameworkDraft>> {
        Ok(self.store.framework_drafts().await?)
    }

    pub async fn framework_draft(&self, id: i64) -> Result<FrameworkDraft> {
        Ok(self.store.framework_draft(id).await?)
    }

    /// Starts a draft; its document is checked as any framework document is.
    pub async fn start_draft(
        &self,
        start: &DraftStart,
        actor: &Actor,
        now: &str,
    ) -> Result<FrameworkDraft> {
        let (bundle, based_on) = match start {
            DraftStart::New { key, name } => (
                FrameworkBundle {
                    framework: rolemap_core::bundle::FrameworkMeta {
                        key: key.trim().to_owned(),
                        name: name.trim().to_owned(),
                        version: "1".to_owned(),
                        source: String::new(),
                        licence: String::new(),
                        attribution: String::new(),
                        description: String::new(),
                    },
                    scales: Vec::new(),
                    ladders: Vec::new(),
                    families: Vec::new(),
                    skills: Vec::new(),
                    roles: Vec::new(),
                    links: Vec::new(),
                },
                String::new(),
            ),
            DraftStart::Copy { framework, version } => {
                let mut bundle = self.framework_bundle(framework, version.as_deref()).await?;
                let based_on = format!("{} {}", bundle.framework.key, bundle.framework.version);
                bundle.framework.version = self.free_version(&bundle).await?;
                (bundle, based_on)
            }
            DraftStart::Roles {
                framework,
                version,
                roles,
                key,
                name,
            } => {
                let source = self.framework_bundle(framework, version.as_deref()).await?;
                let based_on = format!(
                    "roles of {} {}",
                    source.framework.key, source.framework.version
                );
                let bundle = chosen_roles(&source, roles, key.trim(), name.trim())?;
                (bundle, based_on)
            }
        };
        // Through the writer and the reader, so the draft starts as a document that imports.
        let text = write_framework(&bundle);
        let bundle = read_framework(&text, "draft").map_err(ServiceError::Import)?;
        let draft = NewDraft {
            framework_key: bundle.framework.key.clone(),
            version: bundle.framework.version.clone(),
            based_on,
            document: write_framework(&bundle),
            created_by: actor.user,
        };
        Ok(self.store.add_framework_draft(&draft, actor, now).await?)
    }

    /// A version number no stored version of the framework has, after the one it copies.
    async fn free_version(&self, bundle: &FrameworkBundle) -> Result<String> {
        let stored: HashSet<String> = self
            .store
            .frameworks()
            .await?
            .into_iter()
            .filter(|f| f.key == bundle.framework.key)
            .map(|f| f.version)
            .collect();
        let mut version = next_version(&bundle.framework.version);
        while stored.contains(&version) {
            version = next_version(&version);
        }
        Ok(version)
    }

    /// Applies edits to a draft: kept only when the framework reader accepts the result; else
    /// [`ServiceError::Import`] with every problem, each naming its field by path.
    pub async fn edit_draft(
        &self,
        id: i64,
        edits: &[Edit],
        actor: &Actor,
        now: &str,
    ) -> Result<FrameworkDraft> {
        let draft = self.store.framework_draft(id).await?;
        let before = self.draft_bundle(&draft)?;
        let (text, bundle) = edit_framework(&draft.document, edits, &draft_file(id))
            .map_err(ServiceError::Import)?;
        // What the edit changed, one line a field, for the audit log.
        let changes: Vec<String> = diff::diff(&before, &bundle)
            .changes
            .iter()
            .map(|c| {
                let field = c
                    .field
                    .as_deref()
                    .map(|f| format!(" ({f})"))
                    .unwrap_or_default();
                format!(
                    "{} '{}' {}{field}",
                    c.item.as_str(),
                    c.key,
                    c.change.as_str()
                )
            })
            .collect();
        let update = DraftUpdate {
            id,
            framework_key: &bundle.framework.key,
            version: &bundle.framework.version,
            document: &text,
            changes: &changes,
        };
        Ok(self
            .store
            .update_framework_draft(&update, actor, now)
            .await?)
    }

    /// A draft's bundle, read from its document.
    pub fn draft_bundle(&self, draft: &FrameworkDraft) -> Result<FrameworkBundle> {
        read_framework(&draft.document, &draft_file(draft.id)).map_err(ServiceError::Import)
    }

    /// What the draft changes against the latest stored version of its framework; `None` for
    /// a framework not stored yet.
    pub async fn draft_diff(&self, draft: &FrameworkDraft) -> Result<Option<FrameworkDiff>> {
        let after = self.draft_bundle(draft)?;
        Ok(self
            .store
            .framework_bundle(&draft.framework_key, None)
            .await?
            .map(|before| diff::diff(&before, &after)))
    }

    /// Publishes a draft as a new, immutable version, through the checks of a file import (the
    /// same reader; a version already stored is refused, whatever its content).
    pub async fn publish_draft(&self, id: i64, actor: &Actor, now: &str) -> Result<ImportOutcome> {
        let draft = self.store.framework_draft(id).await?;
        let bundle = self.draft_bundle(&draft)?;
        let meta = &bundle.framework;
        if self
            .store
            .frameworks()
            .await?
            .iter()
            .any(|f| f.key == meta.key && f.version == meta.version)
        {
            return Err(ServiceError::Store(rolemap_store::StoreError::Conflict(
                format!(
                    "framework '{}' version '{}' is already stored, and stored versions never \
                     change; give the draft a new version",
                    meta.key, meta.version
                ),
            )));
        }
        Ok(self
            .store
            .publish_framework_draft(id, &bundle, actor, now)
            .await?)
    }
}

/// A new framework `key` holding the roles of `source` named in `roles` and what they use.
fn chosen_roles(
    source: &FrameworkBundle,
    roles: &[String],
    key: &str,
    name: &str,
) -> Result<FrameworkBundle> {
    let mut chosen = Vec::new();
    for wanted in roles {
        let role = source
            .roles
            .iter()
            .find(|r| r.key.eq_ignore_ascii_case(wanted.trim()))
            .ok_or_else(|| ServiceError::NotFound {
                what: "role",
                name: format!("{}:{}", source.framework.key, wanted.trim()),
                suggestions: rolemap_core::suggest::did_you_mean(
                    wanted,
                    source.roles.iter().map(|r| r.key.as_str()),
                    3,
                ),
            })?;
        if !chosen
            .iter()
            .any(|r: &rolemap_core::bundle::RoleDef| r.key == role.key)
        {
            chosen.push(role.clone());
        }
    }
    if chosen.is_empty() {
        return Err(ServiceError::invalid(
            "roles",
            "choose at least one role to copy",
        ));
    }
    let skills: BTreeSet<&str> = chosen
        .iter()
        .flat_map(|r| r.requirements.iter().map(|q| q.skill.as_str()))
        .collect();
    let skills: Vec<_> = source
        .skills
        .iter()
        .filter(|s| skills.contains(s.key.as_str()))
        .cloned()
        .collect();
    let scales: BTreeSet<&str> = skills.iter().filter_map(|s| s.scale.as_deref()).collect();
    let ladders: BTreeSet<&str> = chosen.iter().filter_map(|r| r.ladder.as_deref()).collect();
    let families: BTreeSet<&str> = chosen.iter().filter_map(|r| r.family.as_deref()).collect();
    let role_keys: BTreeSet<&str> = chosen.iter().map(|r| r.key.as_str()).collect();
    let from = &source.framework.key;
    let links = source
        .links
        .iter()
        .filter(|l| {
            [&l.from, &l.to].iter().all(|end| {
                end.framework.as_deref().is_none_or(|f| f == from)
                    && role_keys.contains(end.key.as_str())
            })
        })
        .map(|l| {
            let mut link = l.clone();
            link.from.framework = Some(key.to_owned());
            link.to.framework = Some(key.to_owned());
            link
        })
        .collect();
    Ok(FrameworkBundle {
        framework: rolemap_core::bundle::FrameworkMeta {
            key: key.to_owned(),
            name: name.to_owned(),
            version: "1".to_owned(),
            source: format!(
                "Roles copied from {} {}",
                source.framework.name, source.framework.version
            ),
            licence: source.framework.licence.clone(),
            attribution: source.framework.attribution.clone(),
            description: String::new(),
        },
        scales: source
            .scales
            .iter()
            .filter(|s| scales.contains(s.key()))
            .cloned()
            .collect(),
        ladders: source
            .ladders
            .iter()
            .filter(|l| ladders.contains(l.key.as_str()))
            .cloned()
            .collect(),
        families: source
            .families
            .iter()
            .filter(|f| families.contains(f.key.as_str()))
            .cloned()
            .collect(),
        skills,
        roles: chosen,
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::next_version;

    #[test]
    fn a_copy_is_offered_the_next_version() {
        assert_eq!(next_version("1"), "2");
        assert_eq!(next_version("2024"), "2025");
        assert_eq!(next_version("v1.1.1"), "v1.1.1-2");
    }
}

/// What a newer version of a framework changes in one role, said for the people in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleChanges {
    pub framework: String,
    pub from: String,
    pub to: String,
    /// The role in the newer version.
    pub role: rolemap_core::RoleId,
    /// One sentence a change: a skill added or removed, a level raised or lowered.
    pub lines: Vec<String>,
}

impl Service {
    /// The same role (same framework and key) in the latest stored version of its framework,
    /// when that is a later version than the role's own.
    pub async fn newer_role(
        &self,
        role: rolemap_core::RoleId,
    ) -> Result<Option<rolemap_core::RoleSummary>> {
        let own = self.role_by_id(role).await?;
        // Most frameworks have one version: no need to list their roles.
        let versions = self
            .store
            .frameworks()
            .await?
            .iter()
            .filter(|f| f.key == own.framework_key)
            .count();
        if versions < 2 {
            return Ok(None);
        }
        let summaries = self
            .store
            .roles(&rolemap_store::RoleFilter {
                framework: Some(own.framework_key.clone()),
                family: None,
            })
            .await?;
        // Ids grow with each import, so the highest is in the latest version holding the key.
        Ok(summaries
            .into_iter()
            .filter(|s| s.key.eq_ignore_ascii_case(&own.key))
            .max_by_key(|s| s.id.0)
            .filter(|s| s.id.0 > role.0))
    }

    /// A role and the version of its framework it belongs to.
    async fn role_and_version(
        &self,
        id: rolemap_core::RoleId,
    ) -> Result<(std::sync::Arc<rolemap_core::Role>, Option<String>)> {
        let role = self.role_by_id(id).await?;
        let version = self
            .store
            .roles(&rolemap_store::RoleFilter {
                framework: Some(role.framework_key.clone()),
                family: None,
            })
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .and_then(|s| s.framework_version);
        Ok((role, version))
    }

    /// What changes from role `from` to role `to` (the same role in two versions of its
    /// framework), in sentences; `None` when they are not the same role in two versions.
    pub async fn role_changes(
        &self,
        from: rolemap_core::RoleId,
        to: rolemap_core::RoleId,
    ) -> Result<Option<RoleChanges>> {
        let (old, old_version) = self.role_and_version(from).await?;
        let (new, new_version) = self.role_and_version(to).await?;
        let (Some(old_version), Some(new_version)) = (old_version, new_version) else {
            return Ok(None);
        };
        if old.framework_key != new.framework_key
            || !old.key.eq_ignore_ascii_case(&new.key)
            || old_version == new_version
        {
            return Ok(None);
        }
        let before = self
            .framework_bundle(&old.framework_key, Some(&old_version))
            .await?;
        let after = self
            .framework_bundle(&new.framework_key, Some(&new_version))
            .await?;
        let diff = diff::diff(&before, &after);
        Ok(Some(RoleChanges {
            framework: new.framework_name.clone(),
            from: old_version,
            to: new_version,
            role: to,
            lines: role_lines(&diff, &before, &after, &old.key),
        }))
    }
}

/// The changes of one role's requirements (and its own fields), as sentences.
fn role_lines(
    diff: &FrameworkDiff,
    before: &FrameworkBundle,
    after: &FrameworkBundle,
    role: &str,
) -> Vec<String> {
    use rolemap_core::diff::{ChangeKind, ItemKind};
    let label = |skill: &str| {
        after
            .skills
            .iter()
            .chain(&before.skills)
            .find(|s| s.key == skill)
            .map_or_else(|| skill.to_owned(), |s| s.label.clone())
    };
    let rank = |skill: &str, code: &str| {
        after
            .skills
            .iter()
            .find(|s| s.key == skill)
            .and_then(|s| s.scale.as_deref())
            .and_then(|k| after.scales.iter().find(|sc| sc.key() == k))
            .and_then(|sc| sc.parse(code).ok())
            .map(|l| l.rank())
    };
    let prefix = format!("{role}/");
    let mut lines = Vec::new();
    for change in &diff.changes {
        match change.item {
            ItemKind::Role if change.key == role => {
                if let Some(field) = &change.field {
                    lines.push(format!("The role's {} changed.", field.replace('_', " ")));
                }
            }
            ItemKind::Requirement => {
                let Some(skill) = change.key.strip_prefix(&prefix) else {
                    continue;
                };
                let name = label(skill);
                let line = match (change.change, change.field.as_deref()) {
                    (ChangeKind::Added, _) => format!("{name} is now required."),
                    (ChangeKind::Removed, _) => format!("{name} is no longer required."),
                    (ChangeKind::Changed, Some(field)) => {
                        let at = field
                            .strip_prefix("levels.")
                            .map(|g| format!(" at {g}"))
                            .unwrap_or_default();
                        match (field, change.before.as_deref(), change.after.as_deref()) {
                            ("importance", _, Some(now)) => format!("{name} is now {now}."),
                            (_, Some(was), Some(now)) if field == "level" || !at.is_empty() => {
                                let verb = match (rank(skill, was), rank(skill, now)) {
                                    (Some(a), Some(b)) if b > a => "raised",
                                    (Some(a), Some(b)) if b < a => "lowered",
                                    _ => "changed",
                                };
                                format!("The level of {name}{at} is {verb} from {was} to {now}.")
                            }
                            (_, None, Some(now)) if field == "level" || !at.is_empty() => {
                                format!("{name}{at} now needs level {now}.")
                            }
                            (_, Some(was), None) if field == "level" || !at.is_empty() => {
                                format!("{name}{at} no longer needs level {was}.")
                            }
                            _ => format!("The requirement of {name} changed ({field})."),
                        }
                    }
                    (ChangeKind::Changed, None) => continue,
                };
                lines.push(line);
            }
            _ => {}
        }
    }
    lines
}
