//! What every handler can reach: the services and the page templates.

use std::sync::Arc;

use rolemap_service::Service;

use crate::web::Templates;

#[derive(Debug, Clone)]
pub struct AppState {
    pub service: Service,
    pub templates: Arc<Templates>,
}

impl AppState {
    pub fn new(service: Service) -> AppState {
        AppState {
            service,
            templates: Arc::new(Templates::new()),
        }
    }
}
