//! The review cycles page, for admins: every cycle with its state, a form to open one (a name,
//! a date range, the people in it: everyone, a manager's team, or a list) and a button to close
//! an open one.

use axum::Extension;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use rolemap_service::{CycleInput, ServiceError, add_days, current_cycle, day_of, now};
use rolemap_store::{CycleScope, Via};
use serde::{Deserialize, Serialize};

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{Choice, PageResult, finish};

#[derive(Debug, Serialize)]
struct CycleLine {
    id: i64,
    name: String,
    starts: String,
    ends: String,
    /// In words: "everyone", "Aisha Rahman's team", "3 people".
    who: String,
    /// "current", "open", "closed".
    state: &'static str,
    closed_at: Option<String>,
}

#[derive(Debug, Serialize)]
struct CyclesPage {
    cycles: Vec<CycleLine>,
    managers: Vec<Choice>,
    starts: String,
    ends: String,
}

pub(crate) async fn cycles(State(state): State<AppState>, uri: Uri) -> Response {
    let result: PageResult = async {
        let today_owned = now();
        let today = day_of(&today_owned);
        let cycles = state.service.cycles().await?;
        let people = state.service.people().await?;
        let name_of = |id: rolemap_core::PersonId| {
            people
                .iter()
                .find(|p| p.id == id)
                .map_or_else(|| format!("person {}", id.0), |p| p.name.clone())
        };
        let current = current_cycle(&cycles, today).map(|c| c.id);
        let lines = cycles
            .iter()
            .map(|c| CycleLine {
                id: c.id,
                name: c.name.clone(),
                starts: c.starts.clone(),
                ends: c.ends.clone(),
                who: match &c.scope {
                    CycleScope::Everyone => "everyone".to_owned(),
                    CycleScope::Team(m) => format!("everyone below {}", name_of(*m)),
                    CycleScope::List(ids) => ids
                        .iter()
                        .map(|id| name_of(*id))
                        .collect::<Vec<_>>()
                        .join(", "),
                },
                state: if Some(c.id) == current {
                    "current"
                } else if c.closed_at.is_some() {
                    "closed"
                } else {
                    "open"
                },
                closed_at: c.closed_at.clone(),
            })
            .collect();
        // Anyone with someone reporting to them can head a cycle's team.
        let managers = people
            .iter()
            .filter(|m| {
                people
                    .iter()
                    .any(|p| p.manager.as_ref().is_some_and(|(id, _)| *id == m.id))
            })
            .map(|m| Choice {
                value: m.key.clone(),
                label: m.name.clone(),
                group: String::new(),
            })
            .collect();
        Ok(state.templates.render(
            "cycles.html",
            CyclesPage {
                cycles: lines,
                managers,
                starts: today.to_owned(),
                ends: add_days(today, 27),
            },
        ))
    }
    .await;
    finish(&state, &uri, result)
}

#[derive(Debug, Deserialize)]
pub(crate) struct CycleForm {
    name: String,
    starts: String,
    ends: String,
    scope: Option<String>,
    manager: Option<String>,
    /// Keys or names, one a line.
    people: Option<String>,
}

/// `POST /cycles`: opens a cycle, then back to the list.
pub(crate) async fn open_cycle(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    form: Result<Form<CycleForm>, FormRejection>,
) -> Response {
    let result: PageResult = async {
        let Form(form) = form.map_err(|rejection| ApiError::Malformed {
            field: None,
            message: rejection.body_text(),
        })?;
        let input = CycleInput {
            name: form.name,
            starts: form.starts,
            ends: form.ends,
            scope: form.scope.unwrap_or_default(),
            manager: form.manager,
            people: form
                .people
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            opened_by: viewer.user.as_ref().map(|u| u.id),
        };
        state
            .service
            .open_cycle(&input, &viewer.actor(Via::Web), &now())
            .await?;
        Ok(Redirect::to("/cycles").into_response())
    }
    .await;
    finish(&state, &uri, result)
}

/// `POST /cycles/{id}/close`: closes a cycle, then back to the list.
pub(crate) async fn close_cycle(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let result: PageResult = async {
        let number: i64 = id.trim().parse().map_err(|_| ServiceError::NotFound {
            what: "review cycle",
            name: id.clone(),
            suggestions: Vec::new(),
        })?;
        state
            .service
            .close_cycle(number, &viewer.actor(Via::Web), &now())
            .await?;
        Ok(Redirect::to("/cycles").into_response())
    }
    .await;
    finish(&state, &uri, result)
}
