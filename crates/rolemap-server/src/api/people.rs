//! Keeping people through the API: editing and moving a person (`PATCH`, a JSON merge patch),
//! archiving and bringing them back, the named teams, and what a CSV people import answers.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use rolemap_service::dto::{NamedTeamDto, PeopleOutcomeDto, PeopleSyncDto, PersonDto};
use rolemap_service::{PersonPatch, ServiceError, now};
use rolemap_store::{Actor, Via};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::access;
use crate::auth::Viewer;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

use super::extract::ApiJson;

/// Who a request acts as, for the audit log: its user and the address it came from.
pub(crate) fn actor(viewer: &Viewer, via: Via) -> Actor {
    viewer.actor(via)
}

/// A field a merge patch names, `null` included: `Some(None)` is a `null`, which clears it.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The fields of a person to change (a JSON merge patch, RFC 7396): a field left out keeps its
/// value, `null` clears it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonPatchBody {
    /// Cannot be cleared.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1)]
    pub name: Option<Option<String>>,
    /// One person per address.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// id, framework:key, key or title.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub role: Option<Option<String>>,
    /// A grade of the role.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub grade: Option<Option<String>>,
    /// id, key or name of their new manager: a move. Someone below them, they themselves, or
    /// someone archived is refused (422, field `manager`).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub manager: Option<Option<String>>,
    /// The named team they are in.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub team: Option<Option<String>>,
}

/// Edits a person: name, email, role, grade, manager (a move) or team. Every problem names its
/// field (422); nothing is written while any stands. The change is recorded in the audit log.
#[utoipa::path(patch, path = "/api/v1/people/{id}", params(("id" = String, Path, min_length = 1, description = "id, key or name")),
    request_body(content = PersonPatchBody, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "The person as edited", body = PersonDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records, or the change conflicts with what is stored", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn edit_person(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonPatchBody>,
) -> ApiResult<Json<PersonDto>> {
    let name = match body.name {
        Some(Some(name)) => Some(name),
        Some(None) => {
            return Err(ServiceError::invalid("name", "a person needs a name").into());
        }
        None => None,
    };
    let patch = PersonPatch {
        name,
        email: body.email,
        role: body.role,
        grade: body.grade,
        manager: body.manager,
        team: body.team,
    };
    let person = state
        .service
        .edit_person(&id, &patch, &actor(&viewer, Via::Api), &now())
        .await?;
    Ok(Json(PersonDto::from(&person)))
}

/// Archives a person: they leave people lists, team pages and team matrices, and keep their
/// history and their page. Someone who still manages active people is refused (409): move them
/// first.
#[utoipa::path(post, path = "/api/v1/people/{id}/archive", params(("id" = String, Path, min_length = 1, description = "id, key or name")),
    responses((status = 200, description = "The person, archived", body = PersonDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records, or they still manage people", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn archive_person(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonDto>> {
    let person = state
        .service
        .set_archived(&id, true, &actor(&viewer, Via::Api), &now())
        .await?;
    Ok(Json(PersonDto::from(&person)))
}

/// Brings an archived person back to lists and team pages.
#[utoipa::path(post, path = "/api/v1/people/{id}/unarchive", params(("id" = String, Path, min_length = 1, description = "id, key or name")),
    responses((status = 200, description = "The person, active again", body = PersonDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records, or their manager is archived", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn unarchive_person(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonDto>> {
    let person = state
        .service
        .set_archived(&id, false, &actor(&viewer, Via::Api), &now())
        .await?;
    Ok(Json(PersonDto::from(&person)))
}

/// The named teams and their active members, as far as the signed-in user may see them: a team
/// none of whose members they may see is left out.
#[utoipa::path(get, path = "/api/v1/teams", responses((status = 200, description = "The answer, by team name", body = Vec<NamedTeamDto>), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody)))]
pub async fn teams(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> ApiResult<Json<Vec<NamedTeamDto>>> {
    let teams = visible_teams(&state, &viewer).await?;
    Ok(Json(teams.iter().map(NamedTeamDto::from).collect()))
}

/// The named teams with only the members `viewer` may see; teams left empty are dropped.
pub(crate) async fn visible_teams(
    state: &AppState,
    viewer: &Viewer,
) -> Result<Vec<rolemap_service::NamedTeam>, crate::error::ApiError> {
    let mut teams = state.service.named_teams().await?;
    for team in &mut teams {
        let members = std::mem::take(&mut team.members);
        team.members = access::visible_people(state, viewer.user.as_deref(), members).await?;
    }
    teams.retain(|t| !t.members.is_empty());
    Ok(teams)
}

/// What a people import answers: for a TOML document the people and assessments stored, for a
/// CSV file who was created, updated and left unchanged.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum PeopleImportDto {
    Document(PeopleOutcomeDto),
    Csv(PeopleSyncDto),
}
