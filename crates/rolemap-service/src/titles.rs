//! Job-title coding over the stored roles: the index of [`rolemap_titles`] built from every
//! title a role is known by (its title, alternative and typical job titles, ESCO's hidden
//! labels), once per frameworks generation and framework filter, and rebuilt when the stored
//! frameworks change (by this process or any other).

use std::collections::HashMap;
use std::sync::Arc;

use rolemap_store::ConceptText;
use rolemap_titles::{LabelKind, TitleEntry, TitleIndex, TitleMatch, Weights};

use crate::{Result, Service, ServiceError};

/// The most occupations one title is coded to.
pub const MAX_LIMIT: usize = 100;

/// The most titles one call of [`Service::code_titles`] takes.
pub const MAX_BATCH: usize = 100_000;

/// One role a job title was coded to.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleCode {
    pub role_id: i64,
    pub framework: String,
    /// The framework's name, for people to read.
    pub framework_name: String,
    pub key: String,
    /// The role's title.
    pub title: String,
    /// The role's title that matched best (the title itself, an alternative or typical job title,
    /// or a hidden label).
    pub matched: String,
    /// Which title matched: "preferred", "alternative" or "hidden".
    pub field: &'static str,
    /// In [0, 1]; higher is better.
    pub score: f32,
    /// How well the words match the words of all the role's titles, in [0, 1].
    pub words: f32,
    /// How well the matched title is spelt like the one coded, in [0, 1].
    pub spelling: f32,
}

/// A role as the codes name it.
#[derive(Debug)]
struct CodedRole {
    id: i64,
    framework: String,
    key: String,
    title: String,
}

/// The index of one framework (or all of them) and the roles its occupation numbers stand for.
#[derive(Debug)]
pub(crate) struct BuiltTitles {
    index: TitleIndex,
    roles: Vec<CodedRole>,
    framework_names: HashMap<String, String>,
}

/// Indexes by the framework they keep to (`None`: all frameworks).
type ByFramework = HashMap<Option<String>, Arc<BuiltTitles>>;

/// The indexes as last built, by framework filter, for one frameworks generation; and a lock so
/// that one task builds while the others wait for it.
#[derive(Debug, Default)]
pub(crate) struct TitleCache {
    current: std::sync::RwLock<(i64, ByFramework)>,
    building: tokio::sync::Mutex<()>,
}

/// Builds the index of the roles' titles, each role's context its description and the labels of
/// the skills it requires (`skills`: role id, skill label), which decide between the senses of a
/// title's head word ("Java developer") and weigh its other words.
fn build(
    texts: Vec<ConceptText>,
    skills: Vec<(i64, String)>,
    framework_names: HashMap<String, String>,
) -> BuiltTitles {
    let mut roles = Vec::with_capacity(texts.len());
    let mut entries = Vec::new();
    let numbers: HashMap<i64, u32> = texts
        .iter()
        .enumerate()
        .map(|(number, text)| (text.id, number as u32))
        .collect();
    let mut context: Vec<(u32, String)> = skills
        .into_iter()
        .filter_map(|(role, label)| numbers.get(&role).map(|&number| (number, label)))
        .collect();
    for (number, text) in texts.into_iter().enumerate() {
        let occupation = number as u32;
        if !text.description.is_empty() {
            context.push((occupation, text.description));
        }
        entries.push(TitleEntry {
            occupation,
            label: text.label.clone(),
            kind: LabelKind::Preferred,
        });
        let alternative = text
            .alternative
            .into_iter()
            .map(|label| (label, LabelKind::Alternative));
        let hidden = text
            .hidden
            .into_iter()
            .map(|label| (label, LabelKind::Hidden));
        for (label, kind) in alternative.chain(hidden) {
            entries.push(TitleEntry {
                occupation,
                label,
                kind,
            });
        }
        roles.push(CodedRole {
            id: text.id,
            framework: text.framework_key,
            key: text.key,
            title: text.label,
        });
    }
    BuiltTitles {
        index: TitleIndex::build_with_context(entries, context, Weights::default()),
        roles,
        framework_names,
    }
}

fn field_name(kind: LabelKind) -> &'static str {
    match kind {
        LabelKind::Preferred => "preferred",
        LabelKind::Alternative => "alternative",
        LabelKind::Hidden => "hidden",
    }
}

impl BuiltTitles {
    fn code(&self, found: Vec<TitleMatch>) -> Vec<TitleCode> {
        found
            .into_iter()
            .filter_map(|m| {
                let role = self.roles.get(m.occupation as usize)?;
                Some(TitleCode {
                    role_id: role.id,
                    framework_name: self
                        .framework_names
                        .get(&role.framework)
                        .cloned()
                        .unwrap_or_else(|| role.framework.clone()),
                    framework: role.framework.clone(),
                    key: role.key.clone(),
                    title: role.title.clone(),
                    matched: m.label,
                    field: field_name(m.kind),
                    score: m.score,
                    words: m.why.words,
                    spelling: m.why.spelling,
                })
            })
            .collect()
    }
}

fn check_limit(limit: usize) -> Result<()> {
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ServiceError::invalid(
            "limit",
            format!("must be 1 to {MAX_LIMIT}, not {limit}"),
        ));
    }
    Ok(())
}

impl Service {
    /// The roles a job title as people write it most likely stands for, best first: robust to
    /// word order, abbreviations ("ops mgr", "IT"), seniority words and typos. Each names the
    /// role's title that matched. `framework` keeps to one framework's roles.
    pub async fn code_title(
        &self,
        title: &str,
        framework: Option<&str>,
        limit: usize,
    ) -> Result<Vec<TitleCode>> {
        if title.trim().is_empty() {
            return Err(ServiceError::invalid(
                "title",
                "say which job title to code",
            ));
        }
        check_limit(limit)?;
        let built = self.title_index(framework).await?;
        Ok(built.code(built.index.code(title, limit)))
    }

    /// [`Service::code_title`] for many titles at once, on all cores; the codes in the order of
    /// the titles (none for an empty title).
    pub async fn code_titles(
        &self,
        titles: Vec<String>,
        framework: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Vec<TitleCode>>> {
        check_limit(limit)?;
        if titles.len() > MAX_BATCH {
            return Err(ServiceError::invalid(
                "titles",
                format!("at most {MAX_BATCH} at once, not {}", titles.len()),
            ));
        }
        let built = self.title_index(framework).await?;
        tokio::task::spawn_blocking(move || {
            built
                .index
                .code_batch(&titles, limit)
                .into_iter()
                .map(|found| built.code(found))
                .collect()
        })
        .await
        .map_err(|e| ServiceError::Internal(format!("coding job titles: {e}")))
    }

    /// The title index of one framework's roles (or all), for the current frameworks generation,
    /// built if needed (off the async threads: all of ESCO takes a few tenths of a second).
    async fn title_index(&self, framework: Option<&str>) -> Result<Arc<BuiltTitles>> {
        if let Some(framework) = framework {
            self.check_framework(framework).await?;
        }
        let wanted = framework.map(str::to_owned);
        let generation = self.store.frameworks_generation().await?;
        if let Some(built) = self.current_titles(generation, &wanted) {
            return Ok(built);
        }
        let _building = self.titles.building.lock().await;
        let generation = self.store.frameworks_generation().await?;
        if let Some(built) = self.current_titles(generation, &wanted) {
            return Ok(built);
        }
        let frameworks = self.store.frameworks().await?;
        let framework_names: HashMap<String, String> = frameworks
            .iter()
            .map(|f| (f.key.clone(), f.name.clone()))
            .collect();
        let mut keys: Vec<String> = match &wanted {
            Some(key) => vec![key.clone()],
            None => frameworks.into_iter().map(|f| f.key).collect(),
        };
        keys.sort();
        keys.dedup();
        let mut texts = Vec::new();
        let mut skills = Vec::new();
        for key in &keys {
            texts.extend(self.store.role_texts(key).await?);
            let labels: HashMap<rolemap_core::SkillId, String> =
                self.store.skill_labels(key).await?.into_iter().collect();
            skills.extend(
                self.store
                    .requirement_pairs(key)
                    .await?
                    .into_iter()
                    .filter_map(|(role, skill, _)| Some((role.0, labels.get(&skill)?.clone()))),
            );
        }
        let built = tokio::task::spawn_blocking(move || build(texts, skills, framework_names))
            .await
            .map_err(|e| ServiceError::Internal(format!("building the title index: {e}")))?;
        let built = Arc::new(built);
        if let Ok(mut current) = self.titles.current.write() {
            if current.0 != generation {
                *current = (generation, HashMap::new());
            }
            current.1.insert(wanted, Arc::clone(&built));
        }
        Ok(built)
    }

    fn current_titles(&self, generation: i64, wanted: &Option<String>) -> Option<Arc<BuiltTitles>> {
        let current = self.titles.current.read().ok()?;
        if current.0 != generation {
            return None;
        }
        current.1.get(wanted).cloned()
    }
}
