//! What every handler can reach: the services, the page templates and, when configured, the
//! organisation's identity provider.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;

use rolemap_service::Service;

use crate::oidc::Oidc;
use crate::web::Templates;

#[derive(Debug, Clone)]
pub struct AppState {
    pub service: Service,
    pub templates: Arc<Templates>,
    pub pages: Arc<PageCache>,
    /// The identity provider for sign-in with OpenID Connect, when one is configured.
    pub oidc: Option<Arc<Oidc>>,
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
            oidc: None,
        }
    }

    /// The same state, signing in through `oidc` too.
    pub fn with_oidc(self, oidc: Oidc) -> AppState {
        AppState {
            oidc: Some(Arc::new(oidc)),
            ..self
        }
    }
}
