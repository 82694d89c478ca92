//! What every handler can reach: the services, the page templates and, when configured, the
//! organisation's identity provider.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;

use rolemap_service::Service;

use crate::oidc::Oidc;
use crate::web::Templates;

/// What every handler shares. One allocation behind one reference count: a request clones the
/// state once per layer and extractor, and on a busy server each clone's count is a cache line
/// the cores pass between them (one count instead of a dozen doubled the requests per second).
#[derive(Debug, Clone)]
pub struct AppState(Arc<AppParts>);

impl std::ops::Deref for AppState {
    type Target = AppParts;

    fn deref(&self) -> &AppParts {
        &self.0
    }
}

/// What an [`AppState`] holds.
#[derive(Debug, Clone)]
pub struct AppParts {
    pub service: Service,
    pub templates: Arc<Templates>,
    pub pages: Arc<PageCache>,
    /// The identity provider for sign-in with OpenID Connect, when one is configured.
    pub oidc: Option<Arc<Oidc>>,
    /// The hosts and origins that are this server, and the form-token key.
    pub guard: Arc<crate::guard::Guard>,
    /// The `Idempotency-Key`s of the writes being answered now.
    pub idempotency_keys: Arc<crate::idempotency::Reserved>,
}

/// Rendered pages that depend on framework data alone (role, skill, comparison and job
/// description pages), kept for one frameworks generation: a change to any framework, by any
/// process, empties the cache before the next page is served. Bounded in bytes as well as in
/// pages, so however many addresses are asked for it holds at most [`PageCache::MAX_BYTES`];
/// `web::cache_key` keeps addresses with query parameters no page reads out of it.
#[derive(Debug, Default)]
pub struct PageCache {
    inner: RwLock<Pages>,
}

#[derive(Debug, Default)]
struct Pages {
    generation: i64,
    pages: HashMap<String, Bytes>,
    /// The sum of the keys' and pages' lengths.
    bytes: usize,
}

impl PageCache {
    /// Enough for every page of a large framework a busy server sees; past it the cache restarts.
    pub const CAPACITY: usize = 4096;
    /// 64 MB; past it the cache restarts too.
    pub const MAX_BYTES: usize = 64 * 1024 * 1024;

    pub fn get(&self, generation: i64, key: &str) -> Option<Bytes> {
        let inner = self.inner.read().ok()?;
        (inner.generation == generation)
            .then(|| inner.pages.get(key).cloned())
            .flatten()
    }

    pub fn put(&self, generation: i64, key: String, page: Bytes) {
        let size = key.len() + page.len();
        // A page that would take an eighth of the cache is built each time instead.
        if size > Self::MAX_BYTES / 8 {
            return;
        }
        if let Ok(mut inner) = self.inner.write() {
            if inner.generation != generation
                || inner.pages.len() >= Self::CAPACITY
                || inner.bytes + size > Self::MAX_BYTES
            {
                *inner = Pages {
                    generation,
                    ..Pages::default()
                };
            }
            let key_len = key.len();
            if let Some(old) = inner.pages.insert(key, page) {
                inner.bytes -= key_len + old.len();
            }
            inner.bytes += size;
        }
    }

    /// How many pages are kept, and their size in bytes with their keys.
    pub fn size(&self) -> (usize, usize) {
        self.inner
            .read()
            .map_or((0, 0), |inner| (inner.pages.len(), inner.bytes))
    }
}

impl AppState {
    pub fn new(service: Service) -> AppState {
        AppState(Arc::new(AppParts {
            service,
            templates: Arc::new(Templates::new()),
            pages: Arc::default(),
            oidc: None,
            guard: Arc::default(),
            idempotency_keys: Arc::default(),
        }))
    }

    /// The same state, signing in through `oidc` too.
    pub fn with_oidc(mut self, oidc: Oidc) -> AppState {
        Arc::make_mut(&mut self.0).oidc = Some(Arc::new(oidc));
        self
    }

    /// Also answers to the host of `url`, the address users reach the server by (behind a TLS
    /// proxy, say): `rolemap serve --public-url`.
    pub fn with_public_url(self, url: &str) -> Result<AppState, String> {
        let guard = self.guard.as_ref().clone().public_url(url)?;
        Ok(self.with_guard(guard))
    }

    /// The same state, guarded by `guard`.
    pub(crate) fn with_guard(mut self, guard: crate::guard::Guard) -> AppState {
        Arc::make_mut(&mut self.0).guard = Arc::new(guard);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_cache_stays_within_its_bytes() {
        let cache = PageCache::default();
        let page = Bytes::from(vec![b'x'; PageCache::MAX_BYTES / 10]);
        for i in 0..50 {
            cache.put(1, format!("/p{i}"), page.clone());
            assert!(cache.size().1 <= PageCache::MAX_BYTES);
        }
        cache.put(1, "/p49".to_owned(), page.clone());
        let (pages, bytes) = cache.size();
        assert_eq!(bytes, pages * ("/p49".len() + page.len()));
        cache.put(
            1,
            "/big".to_owned(),
            Bytes::from(vec![0; PageCache::MAX_BYTES / 4]),
        );
        assert!(cache.get(1, "/big").is_none(), "a page too big is not kept");
    }
}
