//! rolemap's application services: what the CLI and the HTTP API both call. A service function
//! resolves the names people type (ids, keys, titles, with "did you mean" when nothing matches),
//! loads what it needs from the [`Store`], runs the core analysis and returns core types;
//! [`dto`] turns those into the JSON shapes both front ends emit.
//!
//! Invariant: no front end holds logic of its own; a command and an endpoint that answer the same
//! question call the same function here.

use std::collections::hash_map::Entry;

mod crosswalk;
pub mod dto;
mod error;
mod extract;
mod neighbours;
mod resolve;
mod routes;
mod search;
mod similar;
mod titles;

use std::sync::Arc;

use rolemap_core::bundle::FrameworkBundle;
use rolemap_core::compare::{self, Comparison};
use rolemap_core::gap::{self, GapReport};
use rolemap_core::jd::{self, JobDescription};
use rolemap_core::matrix::{self, Member, TeamMatrix};
use rolemap_core::person::{Held, current_levels};
use rolemap_core::{Assessment, Framework, Person, Role, RoleSummary, Skill, Source};
use rolemap_formats::people_doc::read_people_partly;
use rolemap_formats::{builtin, read_framework};
use rolemap_store::{
    ImportOutcome, NewAssessment, NewPerson, PeopleOutcome, RoleFilter, SkillFilter, Store,
};

pub use crosswalk::{
    AppliedMappings, CrosswalkConcepts, CrosswalkOptions, MAX_PER_CONCEPT, MappingSuggestion,
};
pub use error::ServiceError;
pub use extract::{
    ExtractReport, ExtractedSkill, SkillExtractor, SkillInfo, SkillMention, TextGap, TextGapLine,
};
pub use routes::{
    Closest, DEFAULT_K, DEFAULT_MAX_STEPS, DEFAULT_MIN_SIMILARITY, FoundRoute, LevelRaise, MAX_K,
    MAX_STEPS, RouteInput, RouteStep, Routes,
};
pub use search::{MAX_LIMIT as MAX_SEARCH_LIMIT, SearchInput, SearchResult};
pub use similar::{MAX_NEIGHBOURS, Neighbour, SimilarOptions, SimilarRoles};
pub use titles::{MAX_BATCH as MAX_TITLE_BATCH, MAX_LIMIT as MAX_TITLE_LIMIT, TitleCode};

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// The current time as rolemap stores it: RFC 3339 UTC to the second.
pub fn now() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// How far ahead of this machine's clock an assessment's time may be: another machine's clock,
/// or a file written a moment ago in another time zone's idea of now, may run a little fast.
pub const CLOCK_SKEW: time::Duration = time::Duration::minutes(5);

/// `now` (as [`now`] writes it) moved on by `by`, in the same form; `now` itself if it does not
/// parse.
fn later_by(now: &str, by: time::Duration) -> String {
    match time::OffsetDateTime::parse(now, &time::format_description::well_known::Rfc3339) {
        Ok(time) => {
            let later = time + by;
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                later.year(),
                u8::from(later.month()),
                later.day(),
                later.hour(),
                later.minute(),
                later.second()
            )
        }
        Err(_) => now.to_owned(),
    }
}

/// A file handed to an import: its name (for diagnostics) and its text.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub name: String,
    pub text: String,
}

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    pub frameworks: Vec<ImportOutcome>,
    /// `None` when no demo was asked for; `Some(None)` when it was already there.
    pub demo: Option<Option<PeopleOutcome>>,
}

/// A person with their current levels and full history.
#[derive(Debug, Clone)]
pub struct PersonDetail {
    pub person: Person,
    pub current: Vec<Held>,
    pub history: Vec<Assessment>,
}

/// A skill with the roles that require it.
#[derive(Debug, Clone)]
pub struct SkillDetail {
    pub skill: Skill,
    pub framework: Option<Framework>,
    pub required_by: Vec<(RoleSummary, bool)>,
    /// ESCO's own fields, groups and related skills, for a skill imported from ESCO.
    pub esco: Option<rolemap_store::EscoDetail>,
}

impl SkillDetail {
    /// How many roles require the skill as essential, and as optional.
    pub fn requirement_counts(&self) -> (usize, usize) {
        let essential = self.required_by.iter().filter(|(_, e)| *e).count();
        (essential, self.required_by.len() - essential)
    }
}

/// One assessment to record.
#[derive(Debug, Clone)]
pub struct AssessmentInput {
    pub skill: String,
    pub level: String,
    pub source: Source,
    pub note: String,
}

/// A role or skill whose name matched a typed query.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch {
    /// "role" or "skill".
    pub kind: &'static str,
    pub id: i64,
    pub framework: String,
    /// The framework's name, for people to read.
    pub framework_name: String,
    pub key: String,
    /// The preferred title or label.
    pub label: String,
    /// The name that matched (a title, alternative title or label).
    pub matched: String,
    pub score: f64,
}

/// What a person asks to record about someone new.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub name: String,
    pub role: Option<String>,
    pub grade: Option<String>,
    pub manager: Option<String>,
    pub team: Option<String>,
}

/// Roles as last read, valid while the store's frameworks generation is unchanged.
#[derive(Debug, Default)]
struct RoleCache {
    generation: i64,
    roles: std::collections::HashMap<rolemap_core::RoleId, CachedRole>,
}

/// A role and, once asked for, its JSON (the API's most frequent answer), built once per generation.
#[derive(Debug, Clone)]
struct CachedRole {
    role: Arc<Role>,
    /// ESCO's own fields and ISCO path, for a role imported from ESCO: read the first time they
    /// are asked for (routes and similarity never need them).
    esco: Arc<tokio::sync::OnceCell<Option<Arc<rolemap_store::EscoDetail>>>>,
    json: Arc<std::sync::OnceLock<Arc<[u8]>>>,
}

/// The services over one store.
#[derive(Debug, Clone)]
pub struct Service {
    store: Arc<dyn Store>,
    roles: Arc<std::sync::RwLock<RoleCache>>,
    names: Arc<std::sync::RwLock<NameCache>>,
    search: Arc<search::SearchCache>,
    similarity: Arc<similar::SimilarityCache>,
    extract: Arc<extract::ExtractCache>,
    titles: Arc<titles::TitleCache>,
}

/// Every name roles and skills answer to, as last read: valid while the frameworks generation is
/// unchanged. Resolution and typeahead read them on every call; with a whole taxonomy stored that
/// is a hundred thousand rows, too many to fetch per keystroke.
#[derive(Debug, Default)]
struct NameCache {
    generation: Option<i64>,
    /// Each read the first time it is needed: role names are far fewer than skill names.
    roles: Option<Arc<Vec<rolemap_store::NameEntry<rolemap_core::RoleId>>>>,
    skills: Option<Arc<Vec<rolemap_store::NameEntry<rolemap_core::SkillId>>>>,
}

impl Service {
    pub fn new(store: Arc<dyn Store>) -> Service {
        Service {
            store,
            roles: Arc::default(),
            names: Arc::default(),
            search: Arc::default(),
            similarity: Arc::default(),
            extract: Arc::default(),
            titles: Arc::default(),
        }
    }

    /// A role by id, from the cache when the stored frameworks have not changed since it was read
    /// (by this process or any other), else from the store.
    pub async fn role_by_id(&self, id: rolemap_core::RoleId) -> Result<Arc<Role>> {
        Ok(self.cached_role(id).await?.role)
    }

    async fn cached_role(&self, id: rolemap_core::RoleId) -> Result<CachedRole> {
        let generation = self.store.frameworks_generation().await?;
        if let Ok(cache) = self.roles.read()
            && cache.generation == generation
            && let Some(entry) = cache.roles.get(&id)
        {
            return Ok(entry.clone());
        }
        let role = Arc::new(self.store.role(id).await?);
        let entry = CachedRole {
            role,
            esco: Arc::default(),
            json: Arc::default(),
        };
        if let Ok(mut cache) = self.roles.write() {
            if cache.generation != generation {
                cache.roles.clear();
                cache.generation = generation;
            }
            cache.roles.insert(id, entry.clone());
        }
        Ok(entry)
    }

    /// Every role name and every skill name (all frameworks), from the cache while frameworks
    /// are unchanged.
    #[allow(clippy::type_complexity)]
    /// Every role's names (titles, other titles, hidden labels), read once per generation.
    pub(crate) async fn role_names(
        &self,
    ) -> Result<Arc<Vec<rolemap_store::NameEntry<rolemap_core::RoleId>>>> {
        let generation = self.store.frameworks_generation().await?;
        if let Some(roles) = self.cached_names(generation, |c| c.roles.clone()) {
            return Ok(roles);
        }
        let roles = Arc::new(self.store.role_names(None).await?);
        self.keep_names(generation, |c| c.roles = Some(Arc::clone(&roles)));
        Ok(roles)
    }

    /// Every skill's labels, read once per generation.
    pub(crate) async fn skill_names(
        &self,
    ) -> Result<Arc<Vec<rolemap_store::NameEntry<rolemap_core::SkillId>>>> {
        let generation = self.store.frameworks_generation().await?;
        if let Some(skills) = self.cached_names(generation, |c| c.skills.clone()) {
            return Ok(skills);
        }
        let skills = Arc::new(self.store.skill_names(None).await?);
        self.keep_names(generation, |c| c.skills = Some(Arc::clone(&skills)));
        Ok(skills)
    }

    fn cached_names<T>(&self, generation: i64, get: impl Fn(&NameCache) -> Option<T>) -> Option<T> {
        let cache = self.names.read().ok()?;
        (cache.generation == Some(generation))
            .then(|| get(&cache))
            .flatten()
    }

    fn keep_names(&self, generation: i64, set: impl FnOnce(&mut NameCache)) {
        if let Ok(mut cache) = self.names.write() {
            if cache.generation != Some(generation) {
                *cache = NameCache {
                    generation: Some(generation),
                    ..NameCache::default()
                };
            }
            set(&mut cache);
        }
    }

    /// A role's profile as the API's JSON (`dto::RoleDto`), serialized once per generation.
    pub async fn role_json(&self, name: &str) -> Result<Arc<[u8]>> {
        let id = match name.trim().parse::<i64>() {
            Ok(number) => match self.cached_role(rolemap_core::RoleId(number)).await {
                Ok(entry) => return self.json_of(&entry).await,
                Err(ServiceError::Store(rolemap_store::StoreError::NotFound { .. })) => {
                    self.resolve_role(name, None).await?
                }
                Err(other) => return Err(other),
            },
            Err(_) => self.resolve_role(name, None).await?,
        };
        self.json_of(&self.cached_role(id).await?).await
    }

    async fn json_of(&self, entry: &CachedRole) -> Result<Arc<[u8]>> {
        if let Some(json) = entry.json.get() {
            return Ok(Arc::clone(json));
        }
        let esco = self.esco_of(entry).await?;
        Ok(Arc::clone(entry.json.get_or_init(|| {
            // Serializing plain owned data cannot fail; an empty body would show if it ever did.
            let mut role = dto::RoleDto::from(&*entry.role);
            role.esco = esco.as_deref().map(dto::EscoDto::from);
            serde_json::to_vec(&role).unwrap_or_default().into()
        })))
    }

    /// A cached role's ESCO detail, read once.
    async fn esco_of(&self, entry: &CachedRole) -> Result<Option<Arc<rolemap_store::EscoDetail>>> {
        let id = entry.role.id.0;
        let esco = entry
            .esco
            .get_or_try_init(|| async {
                Ok::<_, ServiceError>(
                    self.store
                        .esco_detail(rolemap_store::ConceptKind::Role, id)
                        .await?
                        .map(Arc::new),
                )
            })
            .await?;
        Ok(esco.clone())
    }

    /// What ESCO says about a role beyond the role itself (ISCO path, hidden labels, status...),
    /// when the role is one of its occupations.
    pub async fn role_esco(
        &self,
        id: rolemap_core::RoleId,
    ) -> Result<Option<Arc<rolemap_store::EscoDetail>>> {
        let entry = self.cached_role(id).await?;
        self.esco_of(&entry).await
    }

    /// Changes whenever stored frameworks change, in any process: what is derived from framework
    /// data alone (a role's page, say) may be kept while it stays the same.
    pub async fn frameworks_generation(&self) -> Result<i64> {
        Ok(self.store.frameworks_generation().await?)
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Installs the built-in framework (idempotent) and, if asked, the demo organisation.
    pub async fn init(&self, demo: bool, now: &str) -> Result<InitReport> {
        let bundles = builtin::frameworks().map_err(ServiceError::Import)?;
        let frameworks = self.store.import_frameworks(&bundles, now).await?;
        let demo = if demo {
            let bundle = builtin::demo().map_err(ServiceError::Import)?;
            let already = match bundle.people.first() {
                Some(first) => self
                    .store
                    .people()
                    .await?
                    .iter()
                    .any(|p| p.key == first.key),
                None => true,
            };
            Some(if already {
                None
            } else {
                Some(self.store.import_people(&bundle, now).await?)
            })
        } else {
            None
        };
        Ok(InitReport { frameworks, demo })
    }

    /// Reads and imports framework files, all in one transaction.
    pub async fn import_frameworks(
        &self,
        files: &[InputFile],
        now: &str,
    ) -> Result<Vec<ImportOutcome>> {
        let mut bundles: Vec<FrameworkBundle> = Vec::new();
        let mut problems = Vec::new();
        for file in files {
            match read_framework(&file.text, &file.name) {
                Ok(bundle) => bundles.push(bundle),
                Err(d) => problems.extend(d.0),
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::Import(rolemap_formats::Diagnostics(problems)));
        }
        for (bundle, file) in bundles.iter().zip(files) {
            self.check_same_content(bundle, &file.name).await?;
        }
        Ok(self.store.import_frameworks(&bundles, now).await?)
    }

    /// A framework version already stored is imported again only with the same content (then
    /// nothing is done): an edited file with the same version would otherwise be taken as
    /// stored while none of its edits were, so it is refused, naming what differs.
    async fn check_same_content(&self, bundle: &FrameworkBundle, file: &str) -> Result<()> {
        let meta = &bundle.framework;
        let Some(stored) = self
            .store
            .framework_content(&meta.key, &meta.version)
            .await?
        else {
            return Ok(());
        };
        let Some(differences) =
            rolemap_core::bundle::content_differences(&stored, &bundle.content())
        else {
            return Ok(());
        };
        if differences.is_empty() {
            return Ok(());
        }
        const SHOWN: usize = 8;
        let mut named = differences
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if differences.len() > SHOWN {
            named.push_str(&format!(" and {} more", differences.len() - SHOWN));
        }
        Err(ServiceError::Store(rolemap_store::StoreError::Conflict(
            format!(
                "{file}: framework '{}' version '{}' is already stored with other content ({named}); \
             give the edited file a new version (version = \"...\" under [framework]) to import it",
                meta.key, meta.version
            ),
        )))
    }

    /// Stores an ESCO release read by [`rolemap_formats::esco`] as the framework `esco`, in one
    /// transaction. A release already stored is left as it is (the outcome says so).
    ///
    /// The search index the frameworks will have afterwards is built beside the store's
    /// transaction and kept with them, so the import leaves ESCO searchable at once; it reads
    /// the release on a thread of its own, hence the `Arc`.
    pub async fn import_esco(
        &self,
        data: Arc<rolemap_formats::esco::EscoData>,
        now: &str,
    ) -> Result<ImportOutcome> {
        self.import_esco_indexed(data, now).await
    }

    /// Readies the store for a large import that is about to come (see
    /// [`Store::prepare_for_import`]), while the caller still reads what it will import.
    pub async fn prepare_for_import(&self) -> Result<()> {
        Ok(self.store.prepare_for_import().await?)
    }

    /// Reads a file of observed movements between roles (see
    /// [`rolemap_formats::transitions`]), resolves every role it names and stores the movements
    /// in one transaction; any problem, an unknown or ambiguous role included, is reported with
    /// its line and column, and nothing is stored. Returns (rows, people).
    pub async fn import_transitions(&self, file: &InputFile, now: &str) -> Result<(usize, u64)> {
        let rows = rolemap_formats::read_transitions(&file.text, &file.name)
            .map_err(ServiceError::Import)?;
        let mut problems = Vec::new();
        let mut resolved = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut ends = [None, None];
            for (slot, (field, name, column)) in ends.iter_mut().zip([
                ("from", &row.from, row.from_column),
                ("to", &row.to, row.to_column),
            ]) {
                match self.resolve_role(name, None).await {
                    Ok(id) => *slot = Some(id),
                    Err(
                        error @ (ServiceError::NotFound { .. } | ServiceError::Ambiguous { .. }),
                    ) => {
                        problems.push(rolemap_formats::Diagnostic {
                            file: file.name.clone(),
                            line: row.line,
                            column,
                            field: field.to_owned(),
                            code: if matches!(error, ServiceError::NotFound { .. }) {
                                "unknown-role"
                            } else {
                                "ambiguous-role"
                            },
                            message: error.to_string(),
                        });
                    }
                    Err(other) => return Err(other),
                }
            }
            if let [Some(from), Some(to)] = ends {
                if from == to {
                    problems.push(rolemap_formats::Diagnostic {
                        file: file.name.clone(),
                        line: row.line,
                        column: row.to_column,
                        field: "to".to_owned(),
                        code: "same-role",
                        message: format!("'{}' and '{}' are the same role", row.from, row.to),
                    });
                }
                resolved.push((from, to, row.count, row.source.clone()));
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::Import(rolemap_formats::Diagnostics(problems)));
        }
        let people = resolved.iter().map(|r| u64::from(r.2)).sum();
        let stored = self.store.import_transitions(&resolved, now).await?;
        Ok((stored, people))
    }

    /// Reads and imports a people file in one transaction.
    ///
    /// Every problem is reported at once: those of the file itself and, for the entries that
    /// read, those of their references to what is stored (an unknown skill, a missing manager).
    /// Assessments dated after `now` (with [`CLOCK_SKEW`] to spare) are refused.
    pub async fn import_people(&self, file: &InputFile, now: &str) -> Result<PeopleOutcome> {
        let latest = later_by(now, CLOCK_SKEW);
        let (bundle, mut problems) =
            read_people_partly(&file.text, &file.name, Some(latest.as_str()));
        if problems.is_empty() {
            return Ok(self.store.import_people(&bundle, now).await?);
        }
        problems.extend(self.store.check_people(&bundle).await?);
        problems.sort_by_key(|p| (p.line, p.column));
        problems.dedup();
        Err(ServiceError::Import(rolemap_formats::Diagnostics(problems)))
    }

    pub async fn frameworks(&self) -> Result<Vec<Framework>> {
        Ok(self.store.frameworks().await?)
    }

    pub async fn roles(&self, filter: &RoleFilter) -> Result<Vec<RoleSummary>> {
        if let Some(framework) = &filter.framework {
            self.check_framework(framework).await?;
        }
        Ok(self.store.roles(filter).await?)
    }

    pub async fn skills(&self, filter: &SkillFilter) -> Result<Vec<Skill>> {
        if let Some(framework) = &filter.framework {
            self.check_framework(framework).await?;
        }
        Ok(self.store.skills(filter).await?)
    }

    async fn check_framework(&self, key: &str) -> Result<()> {
        let frameworks = self.store.frameworks().await?;
        if frameworks.iter().any(|f| f.key == key) {
            return Ok(());
        }
        let keys: Vec<&str> = frameworks.iter().map(|f| f.key.as_str()).collect();
        Err(ServiceError::NotFound {
            what: "framework",
            name: key.to_owned(),
            suggestions: rolemap_core::suggest::did_you_mean(key, keys.iter().copied(), 3),
        })
    }

    /// A role by id, `framework:key`, key or title.
    pub async fn role(&self, name: &str, framework: Option<&str>) -> Result<Role> {
        Ok(Role::clone(&*self.role_shared(name, framework).await?))
    }

    /// As [`Service::role`], sharing the cached copy instead of cloning it.
    pub async fn role_shared(&self, name: &str, framework: Option<&str>) -> Result<Arc<Role>> {
        if let Ok(number) = name.trim().parse::<i64>() {
            match self.role_by_id(rolemap_core::RoleId(number)).await {
                Ok(role) => return Ok(role),
                Err(ServiceError::Store(rolemap_store::StoreError::NotFound { .. })) => {}
                Err(other) => return Err(other),
            }
        }
        let id = self.resolve_role(name, framework).await?;
        self.role_by_id(id).await
    }

    pub async fn skill(&self, name: &str, framework: Option<&str>) -> Result<SkillDetail> {
        // Ids and framework:key need no list of every name (a hundred thousand with ESCO).
        let text = name.trim();
        let reference = rolemap_core::bundle::ConceptRef::parse(text);
        let direct = match text.parse::<i64>() {
            Ok(number) => match self.store.skill(rolemap_core::SkillId(number)).await {
                Ok(_) => Some(rolemap_core::SkillId(number)),
                Err(rolemap_store::StoreError::NotFound { .. }) => None,
                Err(other) => return Err(other.into()),
            },
            Err(_) => match reference.framework.as_deref().or(framework) {
                Some(fw) => self.store.skill_by_key(fw, &reference.key).await?,
                None => None,
            },
        };
        let id = match direct {
            Some(id) => id,
            None => self.resolve_skill(name, framework, None).await?,
        };
        let skill = self.store.skill(id).await?;
        let framework = self
            .store
            .frameworks()
            .await?
            .into_iter()
            .rev()
            .find(|f| f.key == skill.framework_key);
        let required_by = self.store.roles_requiring(id).await?;
        let esco = self
            .store
            .esco_detail(rolemap_store::ConceptKind::Skill, id.0)
            .await?;
        Ok(SkillDetail {
            skill,
            framework,
            required_by,
            esco,
        })
    }

    pub async fn compare(&self, a: &str, b: &str) -> Result<Comparison> {
        let a = self.role(a, None).await?;
        let mut b = self.role(b, None).await?;
        self.align_mapped_skills(&a, &mut b).await?;
        Ok(compare::compare(&a, &b))
    }

    /// Records a new person.
    pub async fn add_person(&self, input: &PersonInput, now: &str) -> Result<Person> {
        let new = self.new_person(input).await?;
        Ok(self.store.add_person(&new, &[], now).await?.0)
    }

    /// Records a new person together with their first self-assessments: both are stored, or
    /// neither. The skills resolve without a role, since a newcomer holds none yet.
    pub async fn add_person_assessed(
        &self,
        input: &PersonInput,
        items: &[AssessmentInput],
        now: &str,
    ) -> Result<(Person, Vec<Assessment>)> {
        let new = self.new_person(input).await?;
        let role = match new.role {
            Some(id) => Some(self.role_by_id(id).await?),
            None => None,
        };
        let assessments = self
            .prepare_assessments(rolemap_core::PersonId(0), role.as_deref(), items, now)
            .await?;
        Ok(self.store.add_person(&new, &assessments, now).await?)
    }

    /// Checks and resolves what is needed to record a person, writing nothing.
    async fn new_person(&self, input: &PersonInput) -> Result<NewPerson> {
        let name = input.name.trim();
        if name.is_empty() {
            return Err(ServiceError::invalid("name", "a person needs a name"));
        }
        let role = match &input.role {
            Some(role) => Some(self.role(role, None).await?),
            None => None,
        };
        let grade = match (&input.grade, &role) {
            (Some(grade), Some(role)) => Some(
                role.check_grade(grade)
                    .map_err(|message| ServiceError::invalid("grade", message))?,
            ),
            (Some(grade), None) => Some(grade.trim().to_owned()),
            (None, _) => None,
        };
        let manager = match &input.manager {
            Some(manager) => Some(self.person(manager).await?),
            None => None,
        };
        let team = input
            .team
            .clone()
            .or_else(|| manager.as_ref().map(|m| m.team.clone()))
            .unwrap_or_default();
        let key = self.free_person_key(name).await?;
        Ok(NewPerson {
            key,
            name: name.to_owned(),
            role: role.map(|r| r.id),
            grade,
            manager: manager.map(|m| m.id),
            team,
        })
    }

    async fn free_person_key(&self, name: &str) -> Result<String> {
        let base = slug(name);
        let base = if base.is_empty() {
            "person".to_owned()
        } else {
            base
        };
        let taken: Vec<String> = self
            .store
            .people()
            .await?
            .into_iter()
            .map(|p| p.key)
            .collect();
        let mut key = base.clone();
        let mut n = 2;
        while taken.contains(&key) {
            key = format!("{base}-{n}");
            n += 1;
        }
        Ok(key)
    }

    pub async fn people(&self) -> Result<Vec<Person>> {
        Ok(self.store.people().await?)
    }

    /// Records one assessment. The level is checked against the skill's scale; a skill name that
    /// matches several skills is narrowed to those the person's role requires.
    pub async fn assess(
        &self,
        person: &str,
        skill: &str,
        level: &str,
        source: Source,
        note: &str,
        now: &str,
    ) -> Result<Assessment> {
        let item = AssessmentInput {
            skill: skill.to_owned(),
            level: level.to_owned(),
            source,
            note: note.to_owned(),
        };
        let mut stored = self
            .assess_many(person, std::slice::from_ref(&item), now)
            .await?;
        stored
            .pop()
            .ok_or_else(|| ServiceError::Internal("assessment was not stored".to_owned()))
    }

    /// Records several assessments of one person together: all are stored, or none.
    pub async fn assess_many(
        &self,
        person: &str,
        items: &[AssessmentInput],
        now: &str,
    ) -> Result<Vec<Assessment>> {
        let person = self.person(person).await?;
        let role = match &person.role {
            Some(role) => Some(self.role_by_id(role.id).await?),
            None => None,
        };
        let new = self
            .prepare_assessments(person.id, role.as_deref(), items, now)
            .await?;
        Ok(self.store.add_assessments(&new).await?)
    }

    /// Resolves each item's skill (narrowed by the role where a name fits several) and checks its
    /// level against the skill's scale. Problems name the item's field.
    async fn prepare_assessments(
        &self,
        person: rolemap_core::PersonId,
        role: Option<&Role>,
        items: &[AssessmentInput],
        now: &str,
    ) -> Result<Vec<NewAssessment>> {
        let many = items.len() > 1;
        let field = |i: usize, name: &str| {
            if many {
                format!("assessments[{i}].{name}")
            } else {
                name.to_owned()
            }
        };
        let mut new = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let skill_id = match self.resolve_skill(&item.skill, None, role).await {
                Ok(id) => id,
                Err(ServiceError::NotFound {
                    what,
                    name,
                    suggestions,
                }) if many => {
                    return Err(ServiceError::invalid(
                        field(i, "skill"),
                        ServiceError::NotFound {
                            what,
                            name,
                            suggestions,
                        },
                    ));
                }
                Err(e) => return Err(e),
            };
            let skill = self.store.skill(skill_id).await?;
            let level = skill
                .assessment_scale()
                .parse(&item.level)
                .map_err(|e| ServiceError::invalid(field(i, "level"), e))?;
            new.push(NewAssessment {
                person,
                skill: skill.id,
                level,
                source: item.source,
                at: now.to_owned(),
                note: item.note.clone(),
            });
        }
        if new.is_empty() {
            return Err(ServiceError::invalid("assessments", "no assessments given"));
        }
        Ok(new)
    }

    /// Roles and skills whose names match what someone is typing, best first: the search index's
    /// label matches (typos, word order and a half-typed last word forgiven), without the
    /// description matches a full search also shows.
    pub async fn typeahead(
        &self,
        query: &str,
        kind: Option<rolemap_store::ConceptKind>,
        limit: usize,
    ) -> Result<Vec<NameMatch>> {
        if query.trim().is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let hits = self
            .search(&SearchInput {
                text: query.to_owned(),
                kind,
                framework: None,
                limit: (limit * 2).min(search::MAX_LIMIT),
            })
            .await?;
        Ok(hits
            .into_iter()
            .filter(|hit| hit.field != "description")
            .take(limit)
            .map(|hit| NameMatch {
                kind: hit.kind.as_str(),
                id: hit.id,
                framework: hit.framework,
                framework_name: hit.framework_name,
                key: hit.key,
                label: hit.label,
                matched: hit.matched,
                score: f64::from(hit.score),
            })
            .collect())
    }

    pub async fn person_detail(&self, name: &str) -> Result<PersonDetail> {
        let person = self.person(name).await?;
        let history = self.store.assessments(person.id).await?;
        let mut current: Vec<Held> = current_levels(&history).into_values().collect();
        current.sort_by(|a, b| {
            a.current
                .skill_label
                .to_lowercase()
                .cmp(&b.current.skill_label.to_lowercase())
        });
        Ok(PersonDetail {
            person,
            current,
            history,
        })
    }

    /// The gap between a person and a role. The grade defaults to the person's own grade when the
    /// target role has it, else to the role's lowest grade.
    pub async fn gap(
        &self,
        person: &str,
        target: Option<&str>,
        grade: Option<&str>,
    ) -> Result<GapReport> {
        let person = self.person(person).await?;
        let role = match (target, &person.role) {
            (Some(target), _) => self.role(target, None).await?,
            (None, Some(own)) => Role::clone(&*self.role_by_id(own.id).await?),
            (None, None) => {
                return Err(ServiceError::invalid(
                    "target",
                    format!("{} holds no role; name a target role", person.name),
                ));
            }
        };
        let grade = pick_grade(&role, grade, person.grade.as_deref())?;
        let assessments = self.store.assessments(person.id).await?;
        let held = self.held_for(&role, &assessments).await?;
        Ok(gap::analyse_with(&role, grade.as_deref(), &held))
    }

    /// A person's current levels for a role's requirements: their own assessments, and for a
    /// required skill they have no assessment of, their assessment of a skill an accepted exact
    /// or close mapping makes the same (exact first, then the higher level), read on the
    /// required skill's scale where the scales differ.
    async fn held_for(
        &self,
        role: &Role,
        assessments: &[Assessment],
    ) -> Result<std::collections::BTreeMap<rolemap_core::SkillId, Held>> {
        let mut held = current_levels(assessments);
        let unassessed: Vec<&rolemap_core::Requirement> = role
            .requirements
            .iter()
            .filter(|r| !held.contains_key(&r.skill.id))
            .collect();
        if unassessed.is_empty() || held.is_empty() {
            return Ok(held);
        }
        let mappings = self.store.mappings().await?;
        let mut scales: std::collections::HashMap<rolemap_core::SkillId, rolemap_core::Scale> =
            std::collections::HashMap::new();
        for requirement in unassessed {
            let id = requirement.skill.id;
            let best = mappings
                .iter()
                .filter(|m| m.kind.same_skill())
                .filter_map(|m| held.get(&m.other_end(id)?).map(|h| (m.kind, h)))
                .min_by(|(ka, ha), (kb, hb)| {
                    ka.cmp(kb)
                        .then(hb.current.level.rank().cmp(&ha.current.level.rank()))
                        .then(ha.current.skill.cmp(&hb.current.skill))
                });
            let Some((kind, found)) = best else {
                continue;
            };
            let mut stands = found.clone();
            let mut assessed = None;
            if let Some(to) = &requirement.skill.scale {
                let other = found.current.skill;
                let from = match scales.get(&other) {
                    Some(scale) => scale.clone(),
                    None => {
                        let scale = self.store.skill(other).await?.assessment_scale();
                        scales.insert(other, scale.clone());
                        scale
                    }
                };
                if from.key() != to.key()
                    && let Some(level) = to.rescale(&found.current.level, &from)
                {
                    assessed = Some(std::mem::replace(&mut stands.current.level, level));
                }
            }
            stands.via = Some(rolemap_core::person::Via { kind, assessed });
            held.insert(id, stands);
        }
        Ok(held)
    }

    /// The team matrix of everyone below a manager, with succession for a role (the manager's own
    /// role at the manager's grade unless named).
    pub async fn team_matrix(
        &self,
        manager: &str,
        role: Option<&str>,
        grade: Option<&str>,
    ) -> Result<TeamMatrix> {
        let manager = self.person(manager).await?;
        let people = self.store.reports(manager.id).await?;
        if people.is_empty() {
            return Err(ServiceError::invalid(
                "manager",
                format!("nobody reports to {}", manager.name),
            ));
        }
        let mut members = Vec::with_capacity(people.len());
        let mut roles: std::collections::HashMap<rolemap_core::RoleId, Role> =
            std::collections::HashMap::new();
        for person in people {
            let role = match &person.role {
                Some(summary) => match roles.entry(summary.id) {
                    Entry::Occupied(known) => Some(known.get().clone()),
                    Entry::Vacant(slot) => Some(
                        slot.insert(Role::clone(&*self.role_by_id(summary.id).await?))
                            .clone(),
                    ),
                },
                None => None,
            };
            let assessments = self.store.assessments(person.id).await?;
            members.push(Member {
                person,
                role,
                assessments,
            });
        }
        let target = match (role, &manager.role) {
            (Some(name), _) => Some(self.role(name, None).await?),
            (None, Some(own)) => Some(Role::clone(&*self.role_by_id(own.id).await?)),
            (None, None) => None,
        };
        let target_grade = match &target {
            Some(role) => pick_grade(
                role,
                grade,
                if grade.is_none() {
                    manager.grade.as_deref()
                } else {
                    None
                },
            )?,
            None => None,
        };
        Ok(matrix::build(
            &manager,
            &members,
            target.as_ref().map(|r| (r, target_grade.as_deref())),
        ))
    }

    /// A job description for a role at a grade (required when the role has grades).
    pub async fn job_description(&self, role: &str, grade: Option<&str>) -> Result<JobDescription> {
        let role = self.role(role, None).await?;
        let grade = match grade {
            Some(grade) => Some(
                role.check_grade(grade)
                    .map_err(|message| ServiceError::invalid("grade", message))?,
            ),
            None if role.grades.is_empty() => None,
            None => {
                return Err(ServiceError::invalid(
                    "grade",
                    format!(
                        "role '{}' is found at {}; choose one with --grade",
                        role.title,
                        role.grades.join(", ")
                    ),
                ));
            }
        };
        Ok(jd::job_description(&role, grade.as_deref()))
    }

    /// Resolves a person by id, key or name.
    pub async fn person(&self, name: &str) -> Result<Person> {
        let id = self.resolve_person(name).await?;
        Ok(self.store.person(id).await?)
    }
}

/// Chooses the grade for an analysis: the one asked for (checked), else the person's own if the
/// role has it, else the role's lowest grade, else none.
fn pick_grade(role: &Role, asked: Option<&str>, own: Option<&str>) -> Result<Option<String>> {
    if let Some(grade) = asked {
        return role
            .check_grade(grade)
            .map(Some)
            .map_err(|message| ServiceError::invalid("grade", message));
    }
    if let Some(own) = own.and_then(|g| role.check_grade(g).ok()) {
        return Ok(Some(own));
    }
    Ok(role.grades.first().cloned())
}

/// A key from a name: lower case, words joined by '-'.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}
