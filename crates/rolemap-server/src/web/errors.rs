//! Errors as HTML pages: the status `error.rs` chooses, a plain-language title, the message, and
//! what to try instead as links (the closest names on a miss, every candidate when a name is
//! ambiguous). A 5xx never shows internals: `ApiError::parts` has already replaced the message.

use axum::http::{StatusCode, Uri};
use axum::response::Response;
use rolemap_service::ServiceError;
use serde::Serialize;

use super::url;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize)]
struct Link {
    href: String,
    label: String,
}

#[derive(Debug, Serialize)]
struct ErrorPage {
    status: u16,
    title: &'static str,
    message: String,
    field: Option<String>,
    links_heading: &'static str,
    links: Vec<Link>,
}

/// Where a page about a thing of this kind lives.
fn page_of(what: &str, name: &str) -> String {
    let prefix = match what {
        "role" => "/roles/",
        "skill" => "/skills/",
        "person" => "/people/",
        _ => "/search?q=",
    };
    format!("{prefix}{}", url::encode(name))
}

/// The link for an alternative `name` to what failed: the same address with the failed name
/// swapped for it where it appears there, else the alternative's own page.
fn alternative(uri: &Uri, what: &str, failed: &str, name: &str) -> String {
    let here = uri
        .path_and_query()
        .map_or_else(|| uri.path(), |pq| pq.as_str());
    url::substitute(here, failed, name).unwrap_or_else(|| page_of(what, name))
}

/// The HTML page for an error, with the status `ApiError::parts` gives it.
pub(crate) fn error_page(state: &AppState, uri: &Uri, error: impl Into<ApiError>) -> Response {
    let error = error.into();
    let (status, detail) = error.parts();
    let mut links = Vec::new();
    let mut links_heading = "";
    let mut message = detail.message.clone();
    match &error {
        ApiError::Service(ServiceError::NotFound {
            what,
            name,
            suggestions,
        }) => {
            links_heading = "Did you mean";
            links = suggestions
                .iter()
                .map(|s| Link {
                    href: alternative(uri, what, name, s),
                    label: s.clone(),
                })
                .collect();
            message = format!("There is no {what} named “{name}”.");
        }
        ApiError::Service(ServiceError::Ambiguous {
            what,
            name,
            candidates,
        }) => {
            links_heading = "Which one did you mean?";
            links = candidates
                .iter()
                .map(|c| {
                    // "framework:key (Title, ...)" or "id (Title, framework code)": the part
                    // before the title names it exactly; the link reads title first.
                    let (exact, about) =
                        c.split_once(" (").map_or((c.as_str(), ""), |(k, rest)| {
                            (k, rest.strip_suffix(')').unwrap_or(rest))
                        });
                    Link {
                        href: alternative(uri, what, name, exact),
                        label: match (about.is_empty(), exact.parse::<i64>().is_ok()) {
                            (true, _) => c.clone(),
                            (false, true) => format!("{about} (no. {exact})"),
                            (false, false) => format!("{about} ({exact})"),
                        },
                    }
                })
                .collect();
            message = format!("“{name}” could be any of {} {what}s.", candidates.len());
        }
        ApiError::Service(ServiceError::Invalid { message: m, .. }) => {
            message.clone_from(m);
        }
        _ => {}
    }
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::CONFLICT if detail.code == "ambiguous" => "More than one match",
        StatusCode::CONFLICT => "Conflict",
        StatusCode::UNPROCESSABLE_ENTITY => "Please check what was entered",
        StatusCode::BAD_REQUEST => "The request could not be read",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::MISDIRECTED_REQUEST => "Wrong address",
        StatusCode::PAYLOAD_TOO_LARGE => "Too much was sent",
        s if s.is_server_error() => "Something went wrong",
        _ => "That did not work",
    };
    state.templates.render_status(
        status,
        "error.html",
        ErrorPage {
            status: status.as_u16(),
            title,
            message,
            field: detail.field,
            links_heading,
            links,
        },
    )
}

/// The page for an address no route answers.
pub(crate) fn page_not_found(state: &AppState, uri: &Uri) -> Response {
    state.templates.render_status(
        StatusCode::NOT_FOUND,
        "error.html",
        ErrorPage {
            status: 404,
            title: "Page not found",
            message: format!("There is no page at {}.", uri.path()),
            field: None,
            links_heading: "",
            links: Vec::new(),
        },
    )
}
