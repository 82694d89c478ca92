//! Server-rendered pages. Templates live in `templates/` and are compiled into the binary; pages
//! render the same DTOs the JSON API returns, wrapped in page-specific context structs where a
//! page needs more (ordered grade cells, scales, the radar chart).
//!
//! Invariants: every page goes through [`Templates::render`] with autoescaping on (templates end
//! in `.html`); the only markup built in Rust is the SVG in `svg.rs` and `map.rs`, which escape
//! their text (`goal_chart.rs` too); a
//! failed service call becomes an HTML error page through [`error_page`] alone.

pub(crate) mod account;
pub(crate) mod audit;
pub(crate) mod authoring;
pub(crate) mod browse;
pub(crate) mod crosswalk;
pub(crate) mod csv_import;
pub(crate) mod cycles;
mod errors;
pub(crate) mod esco;
pub(crate) mod framework_import;
mod goal_chart;
mod map;
pub(crate) mod multipart;
pub(crate) mod pager;
pub(crate) mod people;
pub(crate) mod retention;
mod svg;
pub(crate) mod text;
pub(crate) mod url;
pub(crate) mod users;

use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;

pub(crate) use errors::error_page;
pub use map::progression_svg;

/// The page templates, parsed once at start-up.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
}

impl Default for Templates {
    fn default() -> Self {
        Templates::new()
    }
}

impl Templates {
    pub fn new() -> Templates {
        let mut env = Environment::new();
        // Printing something a template does not have is a fault (caught by the page tests),
        // while `{% if x is defined %}` stays possible.
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        // Strings are escaped as `escape_html` does (& < > " '), leaving `/` in addresses
        // readable; everything else (numbers, safe strings) as minijinja would.
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), minijinja::AutoEscape::Html)
                && !value.is_safe()
                && let Some(text) = value.as_str()
            {
                return Ok(out.write_str(&rolemap_formats::jd::escape_html(text))?);
            }
            minijinja::escape_formatter(out, state, value)
        });
        env.add_filter("pathseg", |s: String| url::encode(&s));
        env.add_filter("day", |s: String| s.chars().take(10).collect::<String>());
        env.add_filter("pct", |v: f64| format!("{v:.1}%"));
        // Messages from the service start in lower case; on a page they start a sentence.
        env.add_filter("sentence", |s: String| {
            let mut chars = s.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        });
        for (name, source) in TEMPLATES {
            // The templates ship inside the binary and a test renders each one, so a syntax
            // error cannot reach a running server; should one slip through, the page reports it.
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, error = %e, "template does not parse");
            }
        }
        Templates { env }
    }

    /// Renders a page with status 200; a template fault becomes a 500 page, logged.
    pub fn render<S: Serialize>(&self, name: &str, context: S) -> Response {
        self.render_status(StatusCode::OK, name, context)
    }

    /// Renders a page with the given status.
    pub fn render_status<S: Serialize>(
        &self,
        status: StatusCode,
        name: &str,
        context: S,
    ) -> Response {
        let value = minijinja::Value::from(minijinja::value::Serde(&context));
        match self.env.get_template(name).and_then(|t| t.render(value)) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(template = name, error = %e, "page failed to render");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Html(
                        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Error · rolemap</title>\
                         <h1>Something went wrong</h1><p>It has been logged.</p><p><a href=\"/\">Home</a></p></html>",
                    ),
                )
                    .into_response()
            }
        }
    }
}

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "framework.html",
        include_str!("../../templates/framework.html"),
    ),
    ("search.html", include_str!("../../templates/search.html")),
    ("role.html", include_str!("../../templates/role.html")),
    ("similar.html", include_str!("../../templates/similar.html")),
    (
        "progression.html",
        include_str!("../../templates/progression.html"),
    ),
    ("routes.html", include_str!("../../templates/routes.html")),
    ("skill.html", include_str!("../../templates/skill.html")),
    ("compare.html", include_str!("../../templates/compare.html")),
    ("jd.html", include_str!("../../templates/jd.html")),
    ("assess.html", include_str!("../../templates/assess.html")),
    ("gap.html", include_str!("../../templates/gap.html")),
    ("person.html", include_str!("../../templates/person.html")),
    ("people.html", include_str!("../../templates/people.html")),
    ("team.html", include_str!("../../templates/team.html")),
    ("teams.html", include_str!("../../templates/teams.html")),
    (
        "person_form.html",
        include_str!("../../templates/person_form.html"),
    ),
    (
        "person_edit.html",
        include_str!("../../templates/person_edit.html"),
    ),
    (
        "people_import.html",
        include_str!("../../templates/people_import.html"),
    ),
    ("error.html", include_str!("../../templates/error.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("account.html", include_str!("../../templates/account.html")),
    ("diff.html", include_str!("../../templates/diff.html")),
    (
        "diff_changes.html",
        include_str!("../../templates/diff_changes.html"),
    ),
    ("drafts.html", include_str!("../../templates/drafts.html")),
    ("draft.html", include_str!("../../templates/draft.html")),
    (
        "draft_macros.html",
        include_str!("../../templates/draft_macros.html"),
    ),
    ("audit.html", include_str!("../../templates/audit.html")),
    ("erase.html", include_str!("../../templates/erase.html")),
    ("text.html", include_str!("../../templates/text.html")),
    ("esco.html", include_str!("../../templates/esco.html")),
    (
        "esco_tree.html",
        include_str!("../../templates/esco_tree.html"),
    ),
    (
        "esco_collection.html",
        include_str!("../../templates/esco_collection.html"),
    ),
    (
        "crosswalk.html",
        include_str!("../../templates/crosswalk.html"),
    ),
    (
        "framework_import.html",
        include_str!("../../templates/framework_import.html"),
    ),
    ("purge.html", include_str!("../../templates/purge.html")),
    ("users.html", include_str!("../../templates/users.html")),
    (
        "csv_import.html",
        include_str!("../../templates/csv_import.html"),
    ),
    ("cycles.html", include_str!("../../templates/cycles.html")),
];

const CSS: &str = include_str!("../../static/rolemap.css");
const JS: &str = include_str!("../../static/rolemap.js");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}

pub(crate) async fn css() -> Response {
    asset("text/css; charset=utf-8", CSS)
}

pub(crate) async fn js() -> Response {
    asset("text/javascript; charset=utf-8", JS)
}

pub(crate) async fn not_found(State(state): State<AppState>, uri: Uri) -> Response {
    errors::page_not_found(&state, &uri)
}

/// What a page handler's body returns: the page, or the error to show instead.
pub(crate) type PageResult = Result<Response, ApiError>;

/// A page built from framework data alone: served from the page cache while the frameworks are
/// unchanged, else built, and kept if it rendered.
pub(crate) async fn framework_page(
    state: &AppState,
    uri: &Uri,
    build: impl std::future::Future<Output = PageResult>,
) -> Response {
    let Some(key) = cache_key(uri) else {
        return finish(state, uri, build.await);
    };
    let generation = match state.service.frameworks_generation().await {
        Ok(generation) => generation,
        Err(e) => return error_page(state, uri, ApiError::from(e)),
    };
    if let Some(page) = state.pages.get(generation, &key) {
        return Html(page).into_response();
    }
    let response = finish(state, uri, build.await);
    if response.status() != axum::http::StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(page) => {
            state.pages.put(generation, key, page.clone());
            Response::from_parts(parts, axum::body::Body::from(page))
        }
        Err(e) => error_page(
            state,
            uri,
            ApiError::from(rolemap_service::ServiceError::Internal(e.to_string())),
        ),
    }
}

/// The query parameters cached pages read; an address with any other is built, not cached, so
/// junk query strings cannot fill the cache with copies of one page.
const CACHED_PAGE_PARAMETERS: &[&str] = &[
    "letter",
    "a",
    "b",
    "grade_a",
    "grade_b",
    "from",
    "to",
    "person",
    "grade",
    "framework",
    "level",
    "across",
    "group",
    "page",
];

/// The page cache's key for an address: its path and the parameters pages read, sorted; `None`
/// when it has others.
fn cache_key(uri: &Uri) -> Option<String> {
    let Some(query) = uri.query().filter(|q| !q.is_empty()) else {
        return Some(uri.path().to_owned());
    };
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    let known = pairs.iter().all(|pair| {
        let name = pair.split_once('=').map_or(*pair, |(name, _)| name);
        CACHED_PAGE_PARAMETERS.contains(&name)
    });
    if !known {
        return None;
    }
    pairs.sort_unstable();
    Some(format!("{}?{}", uri.path(), pairs.join("&")))
}

/// Turns a page's result into its response: the page, or the error page for what failed.
pub(crate) fn finish(state: &AppState, uri: &Uri, result: PageResult) -> Response {
    result.unwrap_or_else(|e| error_page(state, uri, e))
}

/// A query string read into `T`; one that does not parse is answered with an HTML error page.
#[derive(Debug)]
pub(crate) struct PageQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for PageQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(PageQuery(value)),
            Err(rejection) => Err(error_page(
                state,
                &parts.uri,
                ApiError::Malformed {
                    field: None,
                    message: rejection.body_text(),
                },
            )),
        }
    }
}

/// A form or query value with blanks treated as absent.
pub(crate) fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// One entry of a `<select>`.
#[derive(Debug, Serialize, Clone)]
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    /// The `<optgroup>` it belongs to.
    pub group: String,
}

/// One role of a role `<select>`: a [`Choice`] that knows its role.
#[derive(Debug, Serialize, Clone)]
pub(crate) struct RoleChoice {
    #[serde(skip)]
    role: rolemap_core::RoleId,
    value: String,
    label: String,
    group: String,
}

/// Past this many roles in all, pages ask for a role in a text field with suggestions rather than
/// a `<select>` of every role: with ESCO's three thousand occupations a select weighs hundreds of
/// kilobytes on every page that has one.
const SELECT_ROLES_LIMIT: u64 = 300;

/// How a page asks for a role. The one place that decides between a `<select>` of every role
/// (while there are few) and a typed field that suggests roles as you type (`role_field` in
/// `macros.html` renders either). Both send what the service resolves: a select sends
/// `framework:key`, a typed field a title, `framework:key` or id.
#[derive(Debug, Serialize)]
pub(crate) struct RolePicker {
    /// A typed field; `choices` is then empty.
    typed: bool,
    choices: Vec<RoleChoice>,
}

impl RolePicker {
    pub(crate) async fn new(state: &AppState) -> Result<RolePicker, ApiError> {
        let frameworks = state.service.frameworks().await?;
        let total: u64 = frameworks.iter().map(|f| f.role_count).sum();
        if total > SELECT_ROLES_LIMIT {
            return Ok(RolePicker {
                typed: true,
                choices: Vec::new(),
            });
        }
        Ok(RolePicker {
            typed: false,
            choices: role_choices(state, &frameworks).await?,
        })
    }

    /// The choices of roles a gap can be measured against: a role that lists no skill
    /// requirements gives no readiness, so it is left out, unless it is the one shown
    /// (`current`), which stays, marked, so the field shows what the page is about. A typed
    /// field cannot leave it out; the gap page says so instead.
    pub(crate) async fn for_gap(
        state: &AppState,
        current: rolemap_core::RoleId,
    ) -> Result<RolePicker, ApiError> {
        let mut picker = RolePicker::new(state).await?;
        let mut kept = Vec::with_capacity(picker.choices.len());
        for mut choice in picker.choices {
            let role = state.service.role_by_id(choice.role).await?;
            if !role.requirements.is_empty() {
                kept.push(choice);
            } else if choice.role == current {
                choice.label.push_str(" (no skill requirements)");
                kept.push(choice);
            }
        }
        picker.choices = kept;
        Ok(picker)
    }

    /// Without the role named `framework:key` among the choices.
    pub(crate) fn without(mut self, name: &str) -> RolePicker {
        self.choices.retain(|c| c.value != name);
        self
    }

    /// What the field holds for a role chosen already: in a select its `framework:key` (the
    /// options' values); typed, its title, which reads better, unless the title names another
    /// role too; then `framework:key`, or where the key is a URI (ESCO's), which is no name to
    /// show, `framework:title`, else the id.
    pub(crate) async fn value_of(
        &self,
        state: &AppState,
        role: &rolemap_service::dto::RoleSummaryDto,
    ) -> String {
        let name = format!("{}:{}", role.framework, role.key);
        if !self.typed {
            return name;
        }
        let names_it =
            |found: Result<rolemap_core::RoleId, _>| matches!(found, Ok(f) if f.0 == role.id);
        if names_it(state.service.resolve_role(&role.title, None).await) {
            return role.title.clone();
        }
        if rolemap_core::label::readable_key(&role.key) {
            // Another role by that name, or several: the exact name is always understood.
            return name;
        }
        let titled = format!("{}:{}", role.framework, role.title);
        if names_it(state.service.resolve_role(&titled, None).await) {
            titled
        } else {
            role.id.to_string()
        }
    }
}

/// Every role as a select choice, grouped by framework (value `framework:key`).
async fn role_choices(
    state: &AppState,
    frameworks: &[rolemap_core::Framework],
) -> Result<Vec<RoleChoice>, ApiError> {
    let mut roles = state
        .service
        .roles(&rolemap_store::RoleFilter::default())
        .await?;
    roles.sort_by(|a, b| {
        (a.framework_key.as_str(), a.title.to_lowercase())
            .cmp(&(b.framework_key.as_str(), b.title.to_lowercase()))
    });
    Ok(roles
        .iter()
        .map(|r| RoleChoice {
            role: r.id,
            value: format!("{}:{}", r.framework_key, r.key),
            label: r.title.clone(),
            group: frameworks
                .iter()
                .rev()
                .find(|f| f.key == r.framework_key)
                .map_or_else(|| r.framework_key.clone(), |f| f.name.clone()),
        })
        .collect())
}

/// A CSV document: the header and the rows, fields quoted where needed (and formulas defused,
/// as in the team CSV), lines ended with CRLF.
pub(crate) fn csv_text(header: &[String], rows: &[Vec<String>]) -> String {
    let line = |fields: &[String]| {
        fields
            .iter()
            .map(|f| people::csv_field(f))
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = line(header);
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&line(row));
        out.push_str("\r\n");
    }
    out
}

/// A response with a status, a content type and an attachment file name.
pub(crate) fn download(content_type: &'static str, file_name: &str, body: String) -> Response {
    let safe: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// The attributions of the frameworks with these keys, once each, in the order first named.
pub(crate) async fn attributions<'a>(
    state: &AppState,
    keys: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<String>, ApiError> {
    let frameworks = state.service.frameworks().await?;
    let mut out: Vec<String> = Vec::new();
    for key in keys {
        // Several versions of a framework: the latest stored speaks for it.
        if let Some(f) = frameworks.iter().rev().find(|f| f.key == key)
            && !out.contains(&f.attribution)
        {
            out.push(f.attribution.clone());
        }
    }
    Ok(out)
}

/// The summary of a full role, as listings show it.
pub(crate) fn summary_of(role: &rolemap_core::Role) -> rolemap_service::dto::RoleSummaryDto {
    rolemap_service::dto::RoleSummaryDto {
        id: role.id.0,
        framework: role.framework_key.clone(),
        key: role.key.clone(),
        title: role.title.clone(),
        family: role.family.as_ref().map(|f| f.name.clone()),
        level: role.level,
        grades: role.grades.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_keys_sort_known_parameters_and_refuse_others() {
        let key = |uri: &str| cache_key(&uri.parse::<Uri>().unwrap_or_default());
        assert_eq!(key("/roles/x").as_deref(), Some("/roles/x"));
        assert_eq!(key("/compare?b=2&a=1").as_deref(), Some("/compare?a=1&b=2"));
        assert_eq!(key("/compare?a=1&b=2"), key("/compare?b=2&a=1"));
        assert_eq!(key("/roles/x?junk=1"), None);
        assert_eq!(key("/roles/x?a=1&utm_source=mail"), None);
    }

    #[test]
    fn every_template_parses() {
        let templates = Templates::new();
        for (name, _) in TEMPLATES {
            assert!(
                templates.env.get_template(name).is_ok(),
                "{name} does not parse"
            );
        }
    }

    #[test]
    fn strings_are_escaped_but_slashes_stay() {
        let mut env = Templates::new().env;
        env.add_template("t.html", "<a href=\"{{ href }}\">{{ text }}</a>{{ n }}")
            .unwrap_or_else(|e| panic!("{e}"));
        let html = env
            .get_template("t.html")
            .and_then(|t| {
                t.render(minijinja::context! { href => "/roles/a:b?x=1&y=2", text => "<b>'R&D'</b>", n => 3 })
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            html,
            "<a href=\"/roles/a:b?x=1&amp;y=2\">&lt;b&gt;&#39;R&amp;D&#39;&lt;/b&gt;</a>3"
        );
    }
}
