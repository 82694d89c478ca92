//! The crosswalk review page: the mappings `rolemap map A B` suggests from the skills of one
//! framework to those of another, each with its review; framework owners accept or reject them
//! one at a time or many at once (stored as `rolemap map apply` stores accepted rows), and
//! anyone may download the reviewed CSV, which `rolemap map apply` reads back.

use axum::Extension;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::Uri;
use axum::response::Response;
use rolemap_core::MappingKind;
use rolemap_service::{
    CrosswalkOptions, Review, ReviewedSuggestion, ServiceError, SuggestionDecision,
};
use rolemap_store::UserRole;
use serde::{Deserialize, Serialize};

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::people::csv_field;
use crate::web::{PageQuery, PageResult, download, finish, given};

/// Suggestions on one page.
const PAGE_SIZE: usize = 100;

/// The reviewed CSV's columns, as `rolemap map` writes them and `rolemap map apply` reads them.
const COLUMNS: [&str; 10] = [
    "from_framework",
    "from_key",
    "from_label",
    "to_framework",
    "to_key",
    "to_label",
    "type",
    "confidence",
    "why",
    "decision",
];

/// Where a decision came from, as the mappings table records it.
const SOURCE: &str = "crosswalk page";

#[derive(Debug, Deserialize)]
pub(crate) struct CrosswalkQuery {
    from: Option<String>,
    to: Option<String>,
    page: Option<usize>,
}

#[derive(Debug, Serialize)]
struct Row {
    /// What a decision on it posts: from key, to key, type and confidence.
    value: String,
    from_key: String,
    from_label: String,
    to_key: String,
    to_label: String,
    kind: &'static str,
    confidence: f32,
    why: String,
    /// "accepted", "rejected" or "open".
    review: &'static str,
    /// The first suggestion for its concept: the concept's name is shown once.
    first: bool,
}

#[derive(Debug, Serialize)]
struct CrosswalkPage {
    frameworks: Vec<(String, String)>,
    from: String,
    to: String,
    rows: Vec<Row>,
    asked: bool,
    total: usize,
    accepted: usize,
    rejected: usize,
    page: usize,
    pages: usize,
    /// The viewer may decide (framework owners and admins).
    can_decide: bool,
    notice: Option<String>,
}

fn review_word(review: Review) -> &'static str {
    match review {
        Review::Open => "open",
        Review::Accepted => "accepted",
        Review::Rejected => "rejected",
    }
}

fn value_of(s: &rolemap_service::MappingSuggestion) -> String {
    format!(
        "{}|{}|{}|{:.3}",
        s.from_key,
        s.to_key,
        s.kind.as_str(),
        s.confidence
    )
}

/// A decision's posted value read back: from key, to key, type and confidence. The type and
/// confidence come last, so a key holding `|` is read into the from key and refused there.
fn parse_value(value: &str, accept: bool) -> Result<SuggestionDecision, ServiceError> {
    let bad = || ServiceError::invalid("decision", format!("'{value}' names no suggestion"));
    let mut parts = value.rsplitn(3, '|');
    let (Some(confidence), Some(kind), Some(keys)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let (from_key, to_key) = keys.split_once('|').ok_or_else(bad)?;
    Ok(SuggestionDecision {
        from_key: from_key.to_owned(),
        to_key: to_key.to_owned(),
        kind: MappingKind::parse(kind).ok_or_else(bad)?,
        confidence: confidence.parse().map_err(|_| bad())?,
        accept,
    })
}

async fn frameworks(state: &AppState) -> Result<Vec<(String, String)>, ApiError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for f in state.service.frameworks().await?.iter().rev() {
        if !out.iter().any(|(key, _)| *key == f.key) {
            out.push((f.key.clone(), f.name.clone()));
        }
    }
    out.sort();
    Ok(out)
}

fn can_decide(viewer: &Viewer) -> bool {
    viewer
        .user
        .as_ref()
        .is_some_and(|u| u.role.at_least(UserRole::FrameworkOwner))
}

async fn page_of(
    state: &AppState,
    viewer: &Viewer,
    from: &str,
    to: &str,
    page: usize,
    notice: Option<String>,
) -> PageResult {
    let mut view = CrosswalkPage {
        frameworks: frameworks(state).await?,
        from: from.to_owned(),
        to: to.to_owned(),
        rows: Vec::new(),
        asked: false,
        total: 0,
        accepted: 0,
        rejected: 0,
        page: 1,
        pages: 1,
        can_decide: can_decide(viewer),
        notice,
    };
    if !from.is_empty() && !to.is_empty() {
        let reviewed = state
            .service
            .review_suggestions(from, to, CrosswalkOptions::default())
            .await?;
        view.asked = true;
        view.total = reviewed.len();
        view.accepted = reviewed
            .iter()
            .filter(|r| r.review == Review::Accepted)
            .count();
        view.rejected = reviewed
            .iter()
            .filter(|r| r.review == Review::Rejected)
            .count();
        view.pages = reviewed.len().div_ceil(PAGE_SIZE).max(1);
        view.page = page.clamp(1, view.pages);
        let mut previous: Option<&str> = None;
        for r in reviewed
            .iter()
            .skip((view.page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
        {
            let s = &r.suggestion;
            view.rows.push(Row {
                value: value_of(s),
                from_key: s.from_key.clone(),
                from_label: s.from_label.clone(),
                to_key: s.to_key.clone(),
                to_label: s.to_label.clone(),
                kind: s.kind.as_str(),
                confidence: s.confidence,
                why: s.why.join(", "),
                review: review_word(r.review),
                first: previous != Some(s.from_key.as_str()),
            });
            previous = Some(s.from_key.as_str());
        }
    }
    Ok(state.templates.render("crosswalk.html", view))
}

/// The review page: a choice of two frameworks, then their suggestions page by page.
pub(crate) async fn review(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    PageQuery(q): PageQuery<CrosswalkQuery>,
) -> Response {
    let from = given(&q.from).unwrap_or_default().to_owned();
    let to = given(&q.to).unwrap_or_default().to_owned();
    let result = page_of(&state, &viewer, &from, &to, q.page.unwrap_or(1), None).await;
    finish(&state, &uri, result)
}

/// The reviewed CSV: every suggestion, its decision filled in where one was taken.
pub(crate) async fn review_csv(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(q): PageQuery<CrosswalkQuery>,
) -> Response {
    let result = async {
        let (Some(from), Some(to)) = (given(&q.from), given(&q.to)) else {
            return Err(ApiError::from(ServiceError::invalid(
                "from",
                "name two frameworks: /crosswalk.csv?from=A&to=B",
            )));
        };
        let reviewed = state
            .service
            .review_suggestions(from, to, CrosswalkOptions::default())
            .await?;
        Ok(download(
            "text/csv; charset=utf-8",
            &format!("crosswalk-{from}-{to}.csv"),
            reviewed_csv(&reviewed),
        ))
    }
    .await;
    finish(&state, &uri, result)
}

fn reviewed_csv(reviewed: &[ReviewedSuggestion]) -> String {
    let line = |fields: &[&str]| {
        let mut line = fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",");
        line.push_str("\r\n");
        line
    };
    let mut out = line(&COLUMNS);
    for r in reviewed {
        let s = &r.suggestion;
        out.push_str(&line(&[
            &s.from_framework,
            &s.from_key,
            &s.from_label,
            &s.to_framework,
            &s.to_key,
            &s.to_label,
            s.kind.as_str(),
            &format!("{:.3}", s.confidence),
            &s.why.join(" "),
            r.review.decision(),
        ]));
    }
    out
}

/// Decisions posted: one row's (its own Accept or Reject button) or the ticked rows' (the
/// buttons for all ticked). The page comes back with what was stored.
pub(crate) async fn decide(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let result = match form {
        Ok(Form(fields)) => decide_post(&state, &viewer, fields).await,
        Err(rejection) => Err(ApiError::Malformed {
            field: None,
            message: rejection.body_text(),
        }),
    };
    finish(&state, &uri, result)
}

async fn decide_post(
    state: &AppState,
    viewer: &Viewer,
    fields: Vec<(String, String)>,
) -> PageResult {
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let (from, to) = (value("from"), value("to"));
    let page = value("page").parse().unwrap_or(1);
    // The type a reviewer chose for a row (`type:from-key|to-key`), where it differs from the
    // one suggested: a related suggestion may be accepted as close, say.
    let mut types = std::collections::HashMap::new();
    for (name, v) in &fields {
        if let Some(keys) = name.strip_prefix("type:") {
            let kind = MappingKind::parse(v).ok_or_else(|| {
                ServiceError::invalid("type", format!("'{v}' is no type; exact, close or related"))
            })?;
            types.insert(keys.to_owned(), kind);
        }
    }
    let mut decisions = Vec::new();
    for (name, v) in &fields {
        let decision = match name.as_str() {
            "accept_one" => parse_value(v, true)?,
            "reject_one" => parse_value(v, false)?,
            _ => continue,
        };
        decisions.push(decision);
    }
    if decisions.is_empty() {
        let accept = match value("decision").as_str() {
            "accept" => true,
            "reject" => false,
            other => {
                return Err(ServiceError::invalid(
                    "decision",
                    format!("'{other}' is no decision; accept or reject"),
                )
                .into());
            }
        };
        for (name, v) in &fields {
            if name == "pick" {
                decisions.push(parse_value(v, accept)?);
            }
        }
    }
    for d in &mut decisions {
        if let Some(kind) = types.get(&format!("{}|{}", d.from_key, d.to_key)) {
            d.kind = *kind;
        }
    }
    if decisions.is_empty() {
        return Err(ServiceError::invalid(
            "pick",
            "tick the suggestions to accept or reject, or use a row's own button",
        )
        .into());
    }
    let accepted = decisions.iter().filter(|d| d.accept).count();
    let rejected = decisions.len() - accepted;
    state
        .service
        .decide_mappings(
            &from,
            &to,
            &decisions,
            SOURCE,
            &viewer.actor(rolemap_store::Via::Web),
            &rolemap_service::now(),
        )
        .await?;
    let notice = match (accepted, rejected) {
        (a, 0) => format!("Accepted {a} suggestion{}: stored as mappings.", plural(a)),
        (0, r) => format!("Rejected {r} suggestion{}.", plural(r)),
        (a, r) => format!(
            "Accepted {a} suggestion{} (stored as mappings) and rejected {r}.",
            plural(a)
        ),
    };
    page_of(state, viewer, &from, &to, page, Some(notice)).await
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_value_reads_back_and_junk_is_refused() {
        let d = parse_value("http://x/a|b|close|0.612", true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.from_key, "http://x/a");
        assert_eq!(d.to_key, "b");
        assert_eq!(d.kind, MappingKind::Close);
        assert!((d.confidence - 0.612).abs() < 1e-6);
        assert!(d.accept);
        for junk in ["", "a|b", "a|b|near|0.5", "a|b|exact|high", "ab|exact|0.5"] {
            assert!(parse_value(junk, false).is_err(), "{junk}");
        }
    }
}
