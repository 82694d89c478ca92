//! What the service keeps between questions, valid while the stored frameworks are unchanged:
//! roles as read (with their JSON and ESCO detail once asked for) and every name roles and skills
//! answer to.

use std::sync::Arc;

use rolemap_core::Role;

use crate::{Result, Service, ServiceError, dto};

/// Roles as last read, valid while the store's frameworks generation is unchanged.
#[derive(Debug, Default)]
pub(crate) struct RoleCache {
    generation: i64,
    roles: std::collections::HashMap<rolemap_core::RoleId, CachedRole>,
}

/// A role and, once asked for, its JSON (the API's most frequent answer), built once per generation.
#[derive(Debug, Clone)]
pub(crate) struct CachedRole {
    role: Arc<Role>,
    /// ESCO's own fields and ISCO path, for a role imported from ESCO: read the first time they
    /// are asked for (routes and similarity never need them).
    esco: Arc<tokio::sync::OnceCell<Option<Arc<rolemap_store::EscoDetail>>>>,
    json: Arc<std::sync::OnceLock<Arc<[u8]>>>,
}

/// Every name roles and skills answer to, as last read: valid while the frameworks generation is
/// unchanged. Resolution and typeahead read them on every call; with a whole taxonomy stored that
/// is a hundred thousand rows, too many to fetch per keystroke.
#[derive(Debug, Default)]
pub(crate) struct NameCache {
    generation: Option<i64>,
    /// Each read the first time it is needed: role names are far fewer than skill names.
    roles: Option<Arc<Vec<rolemap_store::NameEntry<rolemap_core::RoleId>>>>,
    skills: Option<Arc<Vec<rolemap_store::NameEntry<rolemap_core::SkillId>>>>,
}

impl Service {
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
}
