//! rolemap's application services: what the CLI and the HTTP API both call. A service function
//! resolves the names people type (ids, keys, titles, with "did you mean" when nothing matches),
//! loads what it needs from the [`Store`], runs the core analysis and returns core types;
//! [`dto`] turns those into the JSON shapes both front ends emit.
//!
//! Invariant: no front end holds logic of its own; a command and an endpoint that answer the same
//! question call the same function here.
//!
//! This file holds the [`Service`] and its construction; its methods sit in the module of their
//! area: `cache` (roles and names kept per frameworks generation), `import`, `frameworks` (roles,
//! skills, comparison, job description), `people` (people and assessments), `people_cache` (people, assessments and gaps kept per
//! generation), `gap`, `team`, `reviews`, `goals` and `cycles` (a manager's reviews, development
//! plans, review cycles and what the team page shows of them), `demo_plans`,
//! `typeahead`, `resolve`, `search`, `extract`, `titles`, `crosswalk`, `esco_browse`, `similar`,
//! `neighbours`, `routes`, `authoring` (export, diff, drafts), `accounts` (users, passwords,
//! sessions, API tokens), `credentials` (who a session or token signs in, kept in memory) and
//! `privacy` (the audit log read back, a person's export, erasure and the retention purge).

mod accounts;
mod authoring;
mod cache;
mod case;
mod credentials;
mod crosswalk;
mod cycles;
mod demo_plans;
pub mod dto;
mod error;
mod esco_browse;
mod exports;
mod extract;
mod fields;
mod frameworks;
mod gap;
mod goals;
mod idempotency;
mod import;
mod labels;
mod neighbours;
mod people;
mod people_admin;
mod people_cache;
mod people_import;
mod privacy;
mod resolve;
mod reviews;
mod routes;
mod rsd;
mod search;
mod sheets;
mod sign_in_limiter;
mod similar;
mod stored;
mod team;
mod titles;
mod typeahead;

use std::sync::Arc;

use rolemap_store::Store;

use cache::{NameCache, RoleCache};

pub use accounts::{
    API_TOKEN_PREFIX, DEMO_PASSWORD, DEMO_USERS, EmailSignIn, MAX_PASSWORD_CHARS,
    MIN_PASSWORD_CHARS, NewApiToken, SESSION_IDLE, SESSION_LIFETIME, SignIn, SignInLimiter,
    UserInput, check_password, hash_password, normalise_username,
};
pub use authoring::{DraftStart, RoleChanges};
pub use credentials::RECHECK as CREDENTIAL_RECHECK;
pub use crosswalk::{
    AppliedMappings, CrosswalkConcepts, CrosswalkOptions, MAX_PER_CONCEPT, MappingSuggestion,
    Review, ReviewedSuggestion, SuggestionDecision,
};
pub use cycles::{CycleInput, CycleMember, CycleState, DUE_SOON_DAYS, TeamPlans, current_cycle};
pub use error::ServiceError;
pub use esco_browse::MAX_ESCO_PAGE;
pub use extract::{
    ExtractReport, ExtractedSkill, SkillExtractor, SkillInfo, SkillMention, TextGap, TextGapLine,
};
pub use frameworks::SkillDetail;
pub use goals::{GoalInput, GoalPatch, GoalProgress, GoalStatus, add_days, check_date, day_of};
pub use idempotency::IDEMPOTENCY_WINDOW;
pub use import::{InitReport, InputFile};
pub use people::{AssessmentInput, PersonDetail, PersonInput, slug};
pub use people_admin::{NamedTeam, PersonPatch};
pub use people_import::{PeopleSync, SyncedPerson};
pub use privacy::{AuditQuery, Erased, cutoff as retention_cutoff};
pub use reviews::{PersonReviews, RatingReview, ReviewDecision, ReviewDone};
pub use rolemap_formats::framework_edit::Edit as DraftEdit;
pub use routes::{
    Closest, DEFAULT_K, DEFAULT_MAX_STEPS, DEFAULT_MIN_SIMILARITY, FoundRoute, MAX_K, MAX_STEPS,
    Namesake, Reach, RouteInput, RouteStep, Routes,
};
pub use rsd::{RsdEncoding, RsdImport};
pub use search::{MAX_LIMIT as MAX_SEARCH_LIMIT, SearchInput, SearchResult};
pub use similar::{LevelRaise, MAX_NEIGHBOURS, Neighbour, SimilarOptions, SimilarRoles};
pub use titles::{MAX_BATCH as MAX_TITLE_BATCH, MAX_LIMIT as MAX_TITLE_LIMIT, TitleCode};
pub use typeahead::NameMatch;

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

/// The services over one store. Cheap to clone: one shared allocation, so the many clones a
/// request makes (each layer and extractor takes one) cost one reference count each.
#[derive(Debug, Clone)]
pub struct Service(Arc<ServiceParts>);

/// What a [`Service`] holds; reached through `Deref`.
#[derive(Debug)]
pub struct ServiceParts {
    store: Arc<dyn Store>,
    roles: std::sync::RwLock<RoleCache>,
    names: std::sync::RwLock<NameCache>,
    search: search::SearchCache,
    similarity: similar::SimilarityCache,
    extract: extract::ExtractCache,
    titles: titles::TitleCache,
    sign_ins: accounts::SignInLimiter,
    credentials: credentials::CredentialCache,
    people_cache: people_cache::PeopleCache,
}

impl std::ops::Deref for Service {
    type Target = ServiceParts;

    fn deref(&self) -> &ServiceParts {
        &self.0
    }
}

impl Service {
    pub fn new(store: Arc<dyn Store>) -> Service {
        Service(Arc::new(ServiceParts {
            store,
            roles: Default::default(),
            names: Default::default(),
            search: Default::default(),
            similarity: Default::default(),
            extract: Default::default(),
            titles: Default::default(),
            sign_ins: Default::default(),
            credentials: Default::default(),
            people_cache: Default::default(),
        }))
    }

    /// Changes whenever stored frameworks change, in any process: what is derived from framework
    /// data alone (a role's page, say) may be kept while it stays the same.
    pub async fn frameworks_generation(&self) -> Result<i64> {
        Ok(self.store.frameworks_generation().await?)
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }
}
