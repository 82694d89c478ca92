//! The web pages through the router: each page answers 200 with its key content, errors are HTML
//! pages with the right status and links to try instead, and the assessment form stores all of its
//! ratings or none. One module per area; the page checks they share are here.

mod assess;
mod authoring;
mod browse;
mod errors;
mod framework_import;
mod people;
mod tools;
mod users;

use axum::http::StatusCode;

use crate::{Reply, get};

pub(super) fn assert_page(reply: &Reply, wanted: &[&str]) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply.content_type.starts_with("text/html"),
        "{}",
        reply.content_type
    );
    for text in wanted {
        assert!(
            reply.body.contains(text),
            "page lacks {text:?}:\n{}",
            reply.body
        );
    }
    // Every page has the layout: viewport, stylesheet, header with nav, footer.
    for text in [
        "<meta name=\"viewport\"",
        "/static/rolemap.css",
        "<nav aria-label=\"Main\">",
        "Teams and people",
        "<footer",
    ] {
        assert!(reply.body.contains(text), "layout lacks {text:?}");
    }
}

/// The number of assessments stored for a person, through the JSON API.
pub(super) async fn history_len(state: &rolemap_server::AppState, person: &str) -> usize {
    let reply = get(state, &format!("/api/v1/people/{person}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["history"].as_array().unwrap().len()
}

/// The id of a skill a role requires, through the JSON API.
pub(super) async fn skill_id(state: &rolemap_server::AppState, role: &str, label: &str) -> i64 {
    let role = get(state, &format!("/api/v1/roles/{role}")).await.json();
    role["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["skill"] == label)
        .unwrap_or_else(|| panic!("{label} not required"))["skill_id"]
        .as_i64()
        .unwrap()
}
