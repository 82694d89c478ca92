//! The list of people.

use axum::Extension;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use rolemap_service::dto::PersonDto;
use serde::Serialize;

use crate::auth::Viewer;
use crate::state::AppState;
use crate::web::browse::{TeamLink, teams};
use crate::web::finish;

#[derive(Debug, Serialize)]
struct PeoplePage {
    people: Vec<PersonDto>,
    teams: Vec<TeamLink>,
    attributions: Vec<String>,
}

pub(crate) async fn people(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
) -> Response {
    let result = async {
        let list = state.service.people().await?;
        let mut list = crate::access::visible_people(&state, viewer.user.as_ref(), list).await?;
        list.sort_by_key(|p| p.name.to_lowercase());
        let attributions = crate::web::attributions(
            &state,
            list.iter()
                .filter_map(|p| p.role.as_ref().map(|r| r.framework_key.as_str())),
        )
        .await?;
        Ok(state.templates.render(
            "people.html",
            PeoplePage {
                attributions,
                teams: teams(&list),
                people: list.iter().map(PersonDto::from).collect(),
            },
        ))
    }
    .await;
    finish(&state, &uri, result)
}
