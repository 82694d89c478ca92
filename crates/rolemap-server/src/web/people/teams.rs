//! The named teams (`/teams`): each team people are in, with its members the viewer may see,
//! beside the management-tree team pages of each manager (`/teams/{manager}`).

use axum::Extension;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use rolemap_service::dto::NamedTeamDto;
use serde::Serialize;

use crate::auth::Viewer;
use crate::state::AppState;
use crate::web::browse::{TeamLink, teams};
use crate::web::finish;

#[derive(Debug, Serialize)]
struct TeamsPage {
    named: Vec<NamedTeamDto>,
    /// The management-tree teams: each manager's people.
    managers: Vec<TeamLink>,
}

pub(crate) async fn named_teams(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
) -> Response {
    let result = async {
        let named = crate::api::people::visible_teams(&state, &viewer).await?;
        let people = state.service.people().await?;
        let people = crate::access::visible_people(&state, viewer.user.as_deref(), people).await?;
        Ok(state.templates.render(
            "teams.html",
            TeamsPage {
                named: named.iter().map(NamedTeamDto::from).collect(),
                managers: teams(&people),
            },
        ))
    }
    .await;
    finish(&state, &uri, result)
}
