//! The one permission table: every endpoint and page the server answers, with the rule that says
//! who may use it. The router is built from [`ENDPOINTS`] alone (`router.rs`), so an endpoint
//! cannot be answered without an entry here, and each route carries the check for its rule.
//!
//! Roles form a ladder (employee < manager < framework owner < admin); a user is linked to at
//! most one person, and a manager's reports are the people below that person in the manager
//! chain, directly or through others.

use axum::RequestExt;
use axum::extract::{RawPathParams, Request, State};
use axum::http::{Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, patch, post};
use rolemap_core::{Person, PersonId};
use rolemap_service::ServiceError;
use rolemap_store::{User, UserRole};

use crate::auth::Viewer;
use crate::error::ApiError;
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

/// How the viewer stands to the person a request is about, once the check has allowed it; the
/// handlers that record ratings read it from the request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grant {
    pub person: PersonId,
    pub relation: Relation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    /// The viewer's own person record.
    Own,
    /// Someone who reports to the viewer, directly or through others.
    Report,
    /// Neither: an admin, who may read everyone.
    Admin,
}

/// The check a route's rule asks for, before its handler runs.
async fn check(State(guard): State<Guard>, mut request: Request, next: Next) -> Response {
    let endpoint = guard.endpoint;
    if endpoint.rule == Rule::Public {
        return next.run(request).await;
    }
    let user = request
        .extensions()
        .get::<Viewer>()
        .and_then(|viewer| viewer.user.clone());
    let Some(user) = user else {
        return refuse(&guard.state, endpoint.kind, request.uri(), None);
    };
    let person = match endpoint.rule {
        Rule::PersonRead | Rule::PersonRate | Rule::Team => {
            match request.extract_parts::<RawPathParams>().await {
                Ok(params) => params
                    .iter()
                    .find(|(name, _)| *name == "id" || *name == "manager")
                    .map(|(_, value)| value.to_owned()),
                Err(_) => None,
            }
        }
        _ => None,
    };
    let decision = match person {
        // `/teams/{manager}.csv` names the manager without its suffix.
        Some(typed) => {
            let typed = typed.strip_suffix(".csv").unwrap_or(&typed);
            person_access(&guard.state, &user, endpoint.rule, typed).await
        }
        None => Ok(allows(&user, endpoint.rule).then_some(None)),
    };
    match decision {
        Ok(Some(grant)) => {
            if let Some(grant) = grant {
                request.extensions_mut().insert(grant);
            }
            next.run(request).await
        }
        Ok(None) => refuse(&guard.state, endpoint.kind, request.uri(), Some(&user)),
        Err(error) => answer_error(&guard.state, endpoint.kind, request.uri(), error),
    }
}

/// Whether `user` passes a rule that names no person.
fn allows(user: &User, rule: Rule) -> bool {
    match rule {
        Rule::Public | Rule::SignedIn => true,
        Rule::FrameworkOwner => user.role.at_least(UserRole::FrameworkOwner),
        Rule::Admin => user.role == UserRole::Admin,
        // A person rule without a person in the path: only an admin could mean anyone.
        Rule::PersonRead | Rule::PersonRate | Rule::Team => user.role == UserRole::Admin,
    }
}

/// Whether `user` may use a person rule for the person typed in the path: `Some(grant)` when
/// allowed (`Some(None)` for an admin and a name that resolves to nobody, so the handler answers
/// 404 or 409 as usual), `None` when refused. Refused alike whether or not the person exists,
/// so that a refusal tells nothing about who is stored.
async fn person_access(
    state: &AppState,
    user: &User,
    rule: Rule,
    typed: &str,
) -> Result<Option<Option<Grant>>, ApiError> {
    let admin = user.role == UserRole::Admin;
    let person = match state.service.resolve_person(typed).await {
        Ok(person) => person,
        Err(ServiceError::NotFound { .. } | ServiceError::Ambiguous { .. }) => {
            return Ok(admin.then_some(None));
        }
        Err(error) => return Err(error.into()),
    };
    let relation = relation(state, user, person).await?;
    let allowed = match (rule, relation) {
        (Rule::PersonRead, Some(_)) => true,
        // Ratings come from the person themselves or from a manager above them; an admin
        // rates nobody else's record (imports carry other sources).
        (Rule::PersonRate, Some(Relation::Own | Relation::Report)) => true,
        (Rule::Team, Some(Relation::Admin)) => true,
        (Rule::Team, Some(Relation::Own | Relation::Report)) => {
            user.role.at_least(UserRole::Manager)
        }
        _ => false,
    };
    Ok(allowed.then(|| relation.map(|relation| Grant { person, relation })))
}

/// For a person named outside the path (a query or form field): the grant when `user` may use
/// `rule` for them, else [`ApiError::Forbidden`], alike whether or not they exist (an admin gets
/// the usual not-found or ambiguous answer, and no grant for someone outside their chain).
pub(crate) async fn person_grant(
    state: &AppState,
    user: Option<&User>,
    rule: Rule,
    typed: &str,
) -> Result<Option<Grant>, ApiError> {
    let Some(user) = user else {
        return Err(ApiError::Forbidden);
    };
    if user.role == UserRole::Admin {
        // The usual answer for a name that fits nobody or several.
        state.service.resolve_person(typed).await?;
    }
    match person_access(state, user, rule, typed).await? {
        Some(grant) => Ok(grant),
        None => Err(ApiError::Forbidden),
    }
}

/// How `user` stands to `person`: their own record, one of their reports (for a manager or
/// above), any record for an admin, or nothing.
pub(crate) async fn relation(
    state: &AppState,
    user: &User,
    person: PersonId,
) -> Result<Option<Relation>, ApiError> {
    if user.person == Some(person) {
        return Ok(Some(Relation::Own));
    }
    if user.role.at_least(UserRole::Manager)
        && let Some(own) = user.person
        && state.service.manages(own, person).await?
    {
        return Ok(Some(Relation::Report));
    }
    Ok((user.role == UserRole::Admin).then_some(Relation::Admin))
}

/// The people `user` may see, out of `people`, in the same order.
pub(crate) async fn visible_people(
    state: &AppState,
    user: Option<&User>,
    people: Vec<Person>,
) -> Result<Vec<Person>, ApiError> {
    let Some(user) = user else {
        return Ok(Vec::new());
    };
    if user.role == UserRole::Admin {
        return Ok(people);
    }
    // One query for all of a manager's reports rather than one per person listed.
    let reports: std::collections::HashSet<PersonId> = match user.person {
        Some(own) if user.role.at_least(UserRole::Manager) => state
            .service
            .reports(own)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect(),
        _ => std::collections::HashSet::new(),
    };
    Ok(people
        .into_iter()
        .filter(|p| user.person == Some(p.id) || reports.contains(&p.id))
        .collect())
}

/// The refusal for a request the viewer may not make: for nobody signed in, 401 with
/// `WWW-Authenticate` (API, CASE) or a redirect to the sign-in page that comes back here
/// (pages); for a signed-in user, 403 in the JSON error shape or as a page.
fn refuse(state: &AppState, kind: Kind, uri: &Uri, user: Option<&User>) -> Response {
    match (kind, user) {
        (Kind::Page, None) => {
            let here = uri
                .path_and_query()
                .map_or_else(|| uri.path(), |pq| pq.as_str());
            let to = crate::web::url::with_query("/login", &[("next", Some(here))]);
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
        (Kind::Page, Some(_)) => crate::web::error_page(state, uri, ApiError::Forbidden),
        (Kind::Api | Kind::Case, None) => ApiError::Unauthorized.into_response(),
        (Kind::Api | Kind::Case, Some(_)) => ApiError::Forbidden.into_response(),
    }
}

/// A fault met while checking, in the shape of the endpoint's answers.
fn answer_error(state: &AppState, kind: Kind, uri: &Uri, error: ApiError) -> Response {
    match kind {
        Kind::Page => crate::web::error_page(state, uri, error),
        Kind::Api | Kind::Case => error.into_response(),
    }
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
const DELETE: Method = Method::DELETE;
const PATCH: Method = Method::PATCH;

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
    api(
        GET,
        "/api/v1/frameworks/{key}/versions/{version}/document",
        SignedIn,
        || get(api::authoring::framework_document),
    ),
    api(GET, "/api/v1/frameworks/{key}/diff", SignedIn, || {
        get(api::authoring::framework_diff)
    }),
    // Frameworks in and out in standard formats (OSMT RSD, CASE).
    api(
        POST,
        "/api/v1/frameworks/import/{format}",
        FrameworkOwner,
        || post(api::formats::import),
    ),
    api(
        GET,
        "/api/v1/frameworks/{key}/export/{format}",
        SignedIn,
        || get(api::formats::export),
    ),
    api(GET, "/api/v1/framework-template/{format}", SignedIn, || {
        get(api::formats::template)
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
    // A user's own API tokens.
    api(GET, "/api/v1/tokens", SignedIn, || get(api::tokens::tokens)),
    api(POST, "/api/v1/tokens", SignedIn, || {
        post(api::tokens::create_token)
    }),
    api(DELETE, "/api/v1/tokens/{id}", SignedIn, || {
        delete(api::tokens::revoke_token)
    }),
    api(GET, "/api/v1/people", SignedIn, || get(api::people)),
    api(POST, "/api/v1/people", Admin, || post(api::add_person)),
    api(POST, "/api/v1/people/import", Admin, || {
        post(api::import_people)
    }),
    api(POST, "/api/v1/transitions/import", FrameworkOwner, || {
        post(api::import_transitions)
    }),
    api(GET, "/api/v1/people/{id}", PersonRead, || get(api::person)),
    // Keeping people is HR's: admins edit, move and archive.
    api(PATCH, "/api/v1/people/{id}", Admin, || {
        patch(api::people::edit_person)
    }),
    api(POST, "/api/v1/people/{id}/archive", Admin, || {
        post(api::people::archive_person)
    }),
    api(POST, "/api/v1/people/{id}/unarchive", Admin, || {
        post(api::people::unarchive_person)
    }),
    api(GET, "/api/v1/teams", SignedIn, || get(api::people::teams)),
    api(POST, "/api/v1/people/{id}/assessments", PersonRate, || {
        post(api::add_assessments)
    }),
    api(GET, "/api/v1/people/{id}/gap", PersonRead, || get(api::gap)),
    api(GET, "/api/v1/people/{id}/team-matrix", Team, || {
        get(api::team_matrix)
    }),
    // The audit log and the privacy rights: a person's own data, erasure.
    api(GET, "/api/v1/audit", Admin, || get(api::audit::audit)),
    api(GET, "/api/v1/people/{id}/export", PersonRead, || {
        get(api::audit::export_person)
    }),
    api(POST, "/api/v1/people/{id}/erase", Admin, || {
        post(api::audit::erase_person)
    }),
    // Reviews of self-ratings (written by a manager above the person), development goals (by
    // the person or a manager above them) and review cycles (opened and closed by admins).
    api(GET, "/api/v1/people/{id}/reviews", PersonRead, || {
        get(api::plans::reviews)
    }),
    api(POST, "/api/v1/people/{id}/reviews", Team, || {
        post(api::plans::add_review)
    }),
    api(GET, "/api/v1/people/{id}/goals", PersonRead, || {
        get(api::plans::goals)
    }),
    api(POST, "/api/v1/people/{id}/goals", PersonRate, || {
        post(api::plans::add_goal)
    }),
    api(
        Method::PATCH,
        "/api/v1/people/{id}/goals/{goal}",
        PersonRate,
        || axum::routing::patch(api::plans::update_goal),
    ),
    api(GET, "/api/v1/teams/{manager}/cycle", Team, || {
        get(api::plans::team_cycle)
    }),
    api(GET, "/api/v1/cycles", Admin, || get(api::plans::cycles)),
    api(POST, "/api/v1/cycles", Admin, || {
        post(api::plans::open_cycle)
    }),
    api(POST, "/api/v1/cycles/{id}/close", Admin, || {
        post(api::plans::close_cycle)
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
    page(GET, "/frameworks/{key}/diff", SignedIn, || {
        get(web::authoring::diff)
    }),
    // Drafts of framework versions, and publishing them.
    page(GET, "/drafts", FrameworkOwner, || {
        get(web::authoring::drafts)
    }),
    page(POST, "/drafts", FrameworkOwner, || {
        post(web::authoring::start_draft)
    }),
    page(GET, "/drafts/{draft}", FrameworkOwner, || {
        get(web::authoring::draft)
    }),
    page(POST, "/drafts/{draft}", FrameworkOwner, || {
        post(web::authoring::edit_draft)
    }),
    page(POST, "/drafts/{draft}/publish", FrameworkOwner, || {
        post(web::authoring::publish_draft)
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
    // Text tools: a pasted text's skills and gap (posted: a CV is no address), a title coded.
    page(GET, "/text", SignedIn, || get(web::text::text_form)),
    page(POST, "/text", SignedIn, || post(web::text::text_submit)),
    // The crosswalk review: suggestions for anyone signed in; decisions by framework owners.
    page(GET, "/crosswalk", SignedIn, || get(web::crosswalk::review)),
    page(GET, "/crosswalk.csv", SignedIn, || {
        get(web::crosswalk::review_csv)
    }),
    page(POST, "/crosswalk", FrameworkOwner, || {
        post(web::crosswalk::decide)
    }),
    // ESCO's hierarchies and collections, a page at a time.
    page(GET, "/esco", SignedIn, || get(web::esco::index)),
    page(GET, "/esco/occupations", SignedIn, || {
        get(web::esco::occupations)
    }),
    page(GET, "/esco/skills", SignedIn, || get(web::esco::skills)),
    page(GET, "/esco/collections/{tag}", SignedIn, || {
        get(web::esco::collection)
    }),
    page(GET, "/compare", SignedIn, || get(web::browse::compare)),
    // Who is assessed is chosen on the form; the page checks that person itself.
    page(GET, "/assess", SignedIn, || get(web::people::assess_form)),
    page(POST, "/assess", SignedIn, || {
        post(web::people::assess_submit)
    }),
    page(GET, "/people", SignedIn, || get(web::people::people)),
    // Adding, editing, moving, archiving and importing people: admins (HR).
    page(POST, "/people", Admin, || post(web::people::add_person)),
    page(GET, "/people/import", Admin, || {
        get(web::people::import_form)
    }),
    page(POST, "/people/import", Admin, || {
        post(web::people::import_submit)
    }),
    page(GET, "/people/{id}/edit", Admin, || {
        get(web::people::edit_form)
    }),
    page(POST, "/people/{id}/edit", Admin, || {
        post(web::people::edit_submit)
    }),
    page(POST, "/people/{id}/archive", Admin, || {
        post(web::people::archive)
    }),
    page(POST, "/people/{id}/unarchive", Admin, || {
        post(web::people::unarchive)
    }),
    // The named teams; the management-tree team of one manager is `/teams/{manager}`.
    page(GET, "/teams", SignedIn, || get(web::people::named_teams)),
    page(GET, "/people/{id}", PersonRead, || get(web::people::person)),
    page(GET, "/people/{id}/gap", PersonRead, || {
        get(web::people::gap)
    }),
    // `/teams/{manager}.csv` is answered here too: the router has no suffix parameters.
    page(GET, "/teams/{manager}", Team, || get(web::people::team)),
    page(GET, "/people/{id}/export", PersonRead, || {
        get(web::audit::export_person)
    }),
    page(GET, "/people/{id}/erase", Admin, || {
        get(web::audit::erase_form)
    }),
    page(POST, "/people/{id}/erase", Admin, || {
        post(web::audit::erase_submit)
    }),
    page(GET, "/admin/audit", Admin, || get(web::audit::audit_page)),
    page(GET, "/admin/audit.csv", Admin, || {
        get(web::audit::audit_csv)
    }),
    page(GET, "/teams/{manager}/cycle.csv", Team, || {
        get(web::people::cycle_csv)
    }),
    page(POST, "/people/{id}/reviews", Team, || {
        post(web::people::review_submit)
    }),
    page(POST, "/people/{id}/goals", PersonRate, || {
        post(web::people::goal_submit)
    }),
    page(POST, "/people/{id}/goals/{goal}", PersonRate, || {
        post(web::people::goal_update_submit)
    }),
    page(GET, "/cycles", Admin, || get(web::cycles::cycles)),
    page(POST, "/cycles", Admin, || post(web::cycles::open_cycle)),
    page(POST, "/cycles/{id}/close", Admin, || {
        post(web::cycles::close_cycle)
    }),
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
    // The account page: one's own API tokens.
    page(GET, "/account", SignedIn, || get(web::account::account)),
    page(POST, "/account/tokens", SignedIn, || {
        post(web::account::create_token)
    }),
    page(POST, "/account/tokens/{id}/revoke", SignedIn, || {
        post(web::account::revoke_token)
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
