//! The one permission table: every endpoint and page the server answers, with the rule that says
//! who may use it. The router is built from [`ENDPOINTS`] alone (`router.rs`), so an endpoint
//! cannot be answered without an entry here, and each route carries the check for its rule.
//!
//! Roles form a ladder (employee < manager < framework owner < admin); a user is linked to at
//! most one person, and a manager's reports are the people below that person in the manager
//! chain, directly or through others.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};

use crate::state::AppState;
use crate::{api, web};

/// Who may use an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not: sign-in and sign-out, static assets, health, the API document.
    Public,
    /// Any signed-in user: framework reads, search, text tools; lists are filtered to what the
    /// viewer may see.
    SignedIn,
    /// The path's person: that person's user, a manager above them, an admin.
    PersonRead,
    /// The path's person: that person's user (rating as "self") or a manager above them (as
    /// "manager"); an admin may read but rates through imports.
    PersonRate,
    /// The path's manager: that manager's user, a manager above them, an admin.
    Team,
    /// Framework owners and admins.
    FrameworkOwner,
    /// Admins only.
    Admin,
}

/// What answers an endpoint, which decides the shape of a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The JSON API (and `/healthz`): errors in `error.rs`'s JSON shape.
    Api,
    /// A web page: a sign-in redirect or an HTML page.
    Page,
    /// The CASE 1.0 read API: errors as CASE's `imsx_StatusInfo`.
    Case,
}

/// One method on one path, the rule that guards it, and the handler that answers it.
#[derive(Debug)]
pub struct Endpoint {
    method: Method,
    path: &'static str,
    rule: Rule,
    kind: Kind,
    handler: fn() -> MethodRouter<AppState>,
}

impl Endpoint {
    /// The method (a `GET` also answers `HEAD`).
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path as axum matches it, `{name}` for a parameter.
    pub fn path(&self) -> &'static str {
        self.path
    }

    pub fn rule(&self) -> Rule {
        self.rule
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The handler for this method and path, with the check for the rule as a route layer.
    pub(crate) fn method_router(&'static self, state: &AppState) -> MethodRouter<AppState> {
        (self.handler)().route_layer(axum::middleware::from_fn_with_state(
            Guard {
                state: state.clone(),
                endpoint: self,
            },
            check,
        ))
    }
}

/// What the check of one route knows: the application and the entry it guards.
#[derive(Debug, Clone)]
struct Guard {
    state: AppState,
    endpoint: &'static Endpoint,
}

/// The check a route's rule asks for, before its handler runs.
async fn check(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    // Nothing is refused yet: every rule allows every viewer.
    let _ = (&guard.state, guard.endpoint.rule);
    next.run(request).await
}

const fn api(
    method: Method,
    path: &'static str,
    rule: Rule,
    handler: fn() -> MethodRouter<AppState>,
) -> Endpoint {
    Endpoint {
        method,
        path,
        rule,
        kind: Kind::Api,
        handler,
    }
}

const fn page(
    method: Method,
    path: &'static str,
    rule: Rule,
    handler: fn() -> MethodRouter<AppState>,
) -> Endpoint {
    Endpoint {
        method,
        path,
        rule,
        kind: Kind::Page,
        handler,
    }
}

const fn case(path: &'static str, handler: fn() -> MethodRouter<AppState>) -> Endpoint {
    Endpoint {
        method: Method::GET,
        path,
        // CASE serves frameworks, which every signed-in user may read.
        rule: Rule::SignedIn,
        kind: Kind::Case,
        handler,
    }
}

const GET: Method = Method::GET;
const POST: Method = Method::POST;

use Rule::{Admin, FrameworkOwner, PersonRate, PersonRead, Public, SignedIn, Team};

/// Every endpoint and page, with who may use it.
pub static ENDPOINTS: &[Endpoint] = &[
    // The JSON API.
    api(GET, "/healthz", Public, || get(api::healthz)),
    api(GET, "/api/v1/openapi.json", Public, || {
        get(api::openapi::document)
    }),
    api(GET, "/api/v1/frameworks", SignedIn, || get(api::frameworks)),
    api(POST, "/api/v1/frameworks", FrameworkOwner, || {
        post(api::import_framework)
    }),
    api(GET, "/api/v1/roles", SignedIn, || get(api::roles)),
    api(GET, "/api/v1/roles/{id}", SignedIn, || get(api::role)),
    api(GET, "/api/v1/roles/{id}/job-description", SignedIn, || {
        get(api::job_description)
    }),
    api(GET, "/api/v1/roles/{id}/similar", SignedIn, || {
        get(api::similar)
    }),
    api(GET, "/api/v1/roles/{id}/progression", SignedIn, || {
        get(api::progression)
    }),
    api(GET, "/api/v1/routes", SignedIn, || get(api::routes)),
    api(GET, "/api/v1/code-title", SignedIn, || get(api::code_title)),
    api(POST, "/api/v1/extract", SignedIn, || post(api::extract)),
    api(POST, "/api/v1/roles/{id}/text-gap", SignedIn, || {
        post(api::text_gap)
    }),
    api(GET, "/api/v1/crosswalk", SignedIn, || get(api::crosswalk)),
    api(POST, "/api/v1/mappings/import", FrameworkOwner, || {
        post(api::import_mappings)
    }),
    api(GET, "/api/v1/skills", SignedIn, || get(api::skills)),
    api(GET, "/api/v1/skills/{id}", SignedIn, || get(api::skill)),
    api(GET, "/api/v1/compare", SignedIn, || get(api::compare)),
    api(GET, "/api/v1/typeahead", SignedIn, || get(api::typeahead)),
    api(GET, "/api/v1/search", SignedIn, || get(api::search)),
    api(GET, "/api/v1/people", SignedIn, || get(api::people)),
    api(POST, "/api/v1/people", Admin, || post(api::add_person)),
    api(POST, "/api/v1/people/import", Admin, || {
        post(api::import_people)
    }),
    api(POST, "/api/v1/transitions/import", FrameworkOwner, || {
        post(api::import_transitions)
    }),
    api(GET, "/api/v1/people/{id}", PersonRead, || get(api::person)),
    api(POST, "/api/v1/people/{id}/assessments", PersonRate, || {
        post(api::add_assessments)
    }),
    api(GET, "/api/v1/people/{id}/gap", PersonRead, || get(api::gap)),
    api(GET, "/api/v1/people/{id}/team-matrix", Team, || {
        get(api::team_matrix)
    }),
    // The CASE 1.0 read API.
    case("/ims/case/v1p0/CFDocuments", || get(api::case::documents)),
    case("/ims/case/v1p0/CFPackages/{sourced_id}", || {
        get(api::case::package)
    }),
    case("/ims/case/v1p0/CFItems/{sourced_id}", || {
        get(api::case::item)
    }),
    case("/ims/case/v1p0/CFAssociations/{sourced_id}", || {
        get(api::case::association)
    }),
    case("/ims/case/v1p0/CFItemAssociations/{sourced_id}", || {
        get(api::case::item_associations)
    }),
    case("/ims/case/v1p0/CFRubrics/{sourced_id}", || {
        get(api::case::rubric)
    }),
    // The web pages.
    page(GET, "/", SignedIn, || get(web::browse::home)),
    page(GET, "/search", SignedIn, || get(web::browse::search)),
    page(GET, "/frameworks/{key}", SignedIn, || {
        get(web::browse::framework)
    }),
    page(GET, "/roles/{id}", SignedIn, || get(web::browse::role)),
    page(GET, "/roles/{id}/jd", SignedIn, || {
        get(web::browse::job_description)
    }),
    page(GET, "/roles/{id}/similar", SignedIn, || {
        get(web::browse::similar)
    }),
    page(GET, "/roles/{id}/progression", SignedIn, || {
        get(web::browse::progression)
    }),
    page(GET, "/routes", SignedIn, || get(web::browse::routes)),
    page(GET, "/roles/{id}/jd.md", SignedIn, || {
        get(web::browse::job_description_markdown)
    }),
    page(GET, "/skills/{id}", SignedIn, || get(web::browse::skill)),
    page(GET, "/compare", SignedIn, || get(web::browse::compare)),
    // Who is assessed is chosen on the form; the page checks that person itself.
    page(GET, "/assess", SignedIn, || get(web::people::assess_form)),
    page(POST, "/assess", SignedIn, || {
        post(web::people::assess_submit)
    }),
    page(GET, "/people", SignedIn, || get(web::people::people)),
    page(GET, "/people/{id}", PersonRead, || get(web::people::person)),
    page(GET, "/people/{id}/gap", PersonRead, || {
        get(web::people::gap)
    }),
    // `/teams/{manager}.csv` is answered here too: the router has no suffix parameters.
    page(GET, "/teams/{manager}", Team, || get(web::people::team)),
    page(GET, "/login", Public, || get(web::account::login_form)),
    page(POST, "/login", Public, || post(web::account::login_submit)),
    page(GET, "/logout", Public, || get(web::account::login_form)),
    page(POST, "/logout", Public, || post(web::account::logout)),
    // Sign-in through the identity provider (OpenID Connect): the start and the provider's
    // callback, both before anyone is signed in.
    page(GET, "/login/oidc", Public, || get(web::account::oidc_start)),
    page(GET, "/login/oidc/callback", Public, || {
        get(web::account::oidc_callback)
    }),
    page(GET, "/static/rolemap.css", Public, || get(web::css)),
    page(GET, "/static/rolemap.js", Public, || get(web::js)),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_method_and_path_is_listed_twice() {
        let mut seen = std::collections::BTreeSet::new();
        for endpoint in ENDPOINTS {
            assert!(
                seen.insert((endpoint.method.as_str(), endpoint.path)),
                "{} {} is listed twice",
                endpoint.method,
                endpoint.path
            );
        }
    }

    #[test]
    fn each_path_belongs_to_its_kind() {
        for endpoint in ENDPOINTS {
            let kind = if endpoint.path.starts_with(api::case::BASE) {
                Kind::Case
            } else if endpoint.path.starts_with("/api/") || endpoint.path == "/healthz" {
                Kind::Api
            } else {
                Kind::Page
            };
            assert_eq!(endpoint.kind, kind, "{} {}", endpoint.method, endpoint.path);
        }
    }
}
