//! The list of people, with the "Add person" form for admins.

use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use rolemap_service::dto::PersonDto;
use rolemap_store::UserRole;
use serde::Serialize;

use super::admin::PersonForm;
use crate::auth::Viewer;
use crate::state::AppState;
use crate::web::browse::{TeamLink, teams};
use crate::web::{PageResult, finish};

#[derive(Debug, Serialize)]
struct PeoplePage {
    people: Vec<PersonDto>,
    teams: Vec<TeamLink>,
    attributions: Vec<String>,
    /// The "Add person" form, for admins.
    form: Option<PersonForm>,
    /// Whether the form holds problems from a save that was refused.
    form_errors: bool,
}

pub(crate) async fn people(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
) -> Response {
    let result = async {
        let admin = viewer
            .user
            .as_ref()
            .is_some_and(|u| u.role == UserRole::Admin);
        let form = if admin {
            Some(PersonForm::blank(&state).await?)
        } else {
            None
        };
        render(&state, &viewer, form, StatusCode::OK).await
    }
    .await;
    finish(&state, &uri, result)
}

/// The people page, with `form` (the "Add person" form) when given.
pub(super) async fn render(
    state: &AppState,
    viewer: &Viewer,
    form: Option<PersonForm>,
    status: StatusCode,
) -> PageResult {
    let list = state.service.people().await?;
    let mut list = crate::access::visible_people(state, viewer.user.as_deref(), list).await?;
    list.sort_by_key(|p| p.name.to_lowercase());
    let attributions = crate::web::attributions(
        state,
        list.iter()
            .filter_map(|p| p.role.as_ref().map(|r| r.framework_key.as_str())),
    )
    .await?;
    Ok(state.templates.render_status(
        status,
        "people.html",
        PeoplePage {
            attributions,
            teams: teams(&list),
            people: list.iter().map(PersonDto::from).collect(),
            form_errors: form.as_ref().is_some_and(PersonForm::has_errors),
            form,
        },
    ))
}
