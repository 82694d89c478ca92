//! The retention purge on a page (admins), as `rolemap person purge-assessments`: an age asked
//! for, how many assessments are older and would go (nothing deleted yet), then, once
//! confirmed, those deleted in one audited transaction.

use axum::Extension;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use rolemap_service::ServiceError;
use rolemap_store::Via;
use serde::{Deserialize, Serialize};

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{PageQuery, finish, given};

const TEMPLATE: &str = "purge.html";

#[derive(Debug, Deserialize)]
pub(crate) struct PurgeQuery {
    older_than: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PurgeBody {
    /// The time before which assessments go, as the confirmation shows it.
    before: String,
    #[serde(default)]
    older_than: String,
}

#[derive(Debug, Default, Serialize)]
struct PurgePage {
    older_than: String,
    error: Option<String>,
    /// Counted: the time before which assessments would go, and how many.
    before: Option<String>,
    count: u64,
    /// Done: how many went.
    purged: Option<u64>,
}

/// `GET /admin/purge`, and with `older_than` the count of what a purge would delete.
pub(crate) async fn purge_form(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(q): PageQuery<PurgeQuery>,
) -> Response {
    let result = async {
        let mut page = PurgePage::default();
        let Some(age) = given(&q.older_than) else {
            return Ok(state.templates.render(TEMPLATE, page));
        };
        page.older_than = age.to_owned();
        match state.service.assessments_to_purge(age).await {
            Ok((before, count)) => {
                page.before = Some(before);
                page.count = count;
                Ok(state.templates.render(TEMPLATE, page))
            }
            Err(ServiceError::Invalid { message, .. }) => {
                page.error = Some(message);
                Ok(state
                    .templates
                    .render_status(StatusCode::UNPROCESSABLE_ENTITY, TEMPLATE, page))
            }
            Err(other) => Err(other.into()),
        }
    }
    .await;
    finish(&state, &uri, result)
}

/// `POST /admin/purge`: deletes the assessments recorded before the time confirmed.
pub(crate) async fn purge_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    form: Result<Form<PurgeBody>, FormRejection>,
) -> Response {
    let result = async {
        let Form(body) = form.map_err(|rejection| ApiError::Malformed {
            field: None,
            message: rejection.body_text(),
        })?;
        let (before, purged) = state
            .service
            .purge_assessments_before(&body.before, &viewer.actor(Via::Web))
            .await?;
        Ok(state.templates.render(
            TEMPLATE,
            PurgePage {
                older_than: body.older_than,
                before: Some(before),
                purged: Some(purged),
                ..PurgePage::default()
            },
        ))
    }
    .await;
    finish(&state, &uri, result)
}
