//! What every handler can reach: the services and the page templates.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;

use rolemap_service::Service;

use crate::web::Templates;

#[derive(Debug, Clone)]
pub struct AppState {
    pub service: Service,
    pub templates: Arc<Templates>,
    pub pages: Arc<PageCache>,
    /// The hosts and origins that are this server, and the form-token key.
    pub guard: Arc<crate::guard::Guard>,
}

/// Rendered pages that depend on framework data alone (role, skill, comparison and job
/// description pages), kept for one frameworks generation: a change to any framework, by any
/// process, empties the cache before the next page is served.
#[derive(Debug, Default)]
pub struct PageCache {
    inner: RwLock<(i64, HashMap<String, Bytes>)>,
}

impl PageCache {
    /// Enough for every page of a large framework a busy server sees; past it the cache restarts.
    const CAPACITY: usize = 4096;

    pub fn get(&self, generation: i64, key: &str) -> Option<Bytes> {
        let inner = self.inner.read().ok()?;
        (inner.0 == generation)
            .then(|| inner.1.get(key).cloned())
            .flatten()
    }

    pub fn put(&self, generation: i64, key: String, page: Bytes) {
        if let Ok(mut inner) = self.inner.write() {
            if inner.0 != generation || inner.1.len() >= Self::CAPACITY {
                inner.1.clear();
                inner.0 = generation;
            }
            inner.1.insert(key, page);
        }
    }
}

impl AppState {
    pub fn new(service: Service) -> AppState {
        AppState {
            service,
            templates: Arc::new(Templates::new()),
            pages: Arc::default(),
            guard: Arc::default(),
        }
    }

    /// Also answers to the host of `url`, the address users reach the server by (behind a TLS
    /// proxy, say): `rolemap serve --public-url`.
    pub fn with_public_url(mut self, url: &str) -> Result<AppState, String> {
        self.guard = Arc::new(self.guard.as_ref().clone().public_url(url)?);
        Ok(self)
    }
}
