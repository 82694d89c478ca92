//! Reviews of self-ratings, development goals and review cycles in the JSON API. Who may write
//! comes from the permission check's grant, never from the request: a review from a manager
//! above the person, a goal from the person or a manager above them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use rolemap_service::dto::{CycleDto, CycleStateDto, GoalDto, PersonReviewsDto, ReviewDto};
use rolemap_service::{
    CycleInput, GoalInput, GoalPatch, ReviewDecision, ServiceError, day_of, now,
};
use rolemap_store::Via;
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::access::{Grant, Relation};
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// Allowed when the grant says the viewer stands as `wanted`; else forbidden, after the usual
/// answer for a name that fits nobody (an admin is let through the check for those).
pub(crate) async fn require(
    state: &AppState,
    grant: Option<Grant>,
    id: &str,
    wanted: &[Relation],
) -> ApiResult<()> {
    if grant.is_some_and(|g| wanted.contains(&g.relation)) {
        return Ok(());
    }
    state.service.resolve_person(id).await?;
    Err(ApiError::Forbidden)
}

/// A decision as the API and the form send it.
pub(crate) fn decision_of(
    decision: &str,
    level: Option<String>,
    note: Option<String>,
) -> Result<ReviewDecision, ServiceError> {
    let note = note.unwrap_or_default();
    match decision.trim() {
        "agree" => Ok(ReviewDecision::Agree { note }),
        "change" => match level.filter(|l| !l.trim().is_empty()) {
            Some(level) => Ok(ReviewDecision::Change { level, note }),
            None => Err(ServiceError::invalid(
                "level",
                "choose the level the manager rates instead",
            )),
        },
        other => Err(ServiceError::invalid(
            "decision",
            format!("'{other}' is not a decision: agree or change"),
        )),
    }
}

/// A person's self-ratings waiting for review and those reviewed (agreed, or changed with the
/// manager's note), newest first.
#[utoipa::path(get, path = "/api/v1/people/{id}/reviews", params(("id" = String, Path, min_length = 1, description = "id, key or name")),
    responses((status = 200, description = "The answer", body = PersonReviewsDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn reviews(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonReviewsDto>> {
    let reviews = state.service.reviews_of(&id).await?;
    Ok(Json(PersonReviewsDto::from(&reviews)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// The id of the self-rating (an assessment, as listed under `pending`) the review answers.
    pub self_rating: i64,
    /// "agree": a manager rating at the self-rating's level; "change": a manager rating at
    /// `level`, with a `note` saying why.
    #[schema(min_length = 1)]
    pub decision: String,
    /// For "change": a level code or name on the skill's scale, or "none".
    pub level: Option<String>,
    /// Kept as the manager rating's note; required for "change".
    pub note: Option<String>,
}

/// Records a manager's review of a self-rating waiting for review: a manager rating, recorded by
/// the signed-in manager, and the link to the self-rating it answers. Only a manager above the
/// person reviews; their own self-ratings go to their own manager.
#[utoipa::path(post, path = "/api/v1/people/{id}/reviews", params(("id" = String, Path, min_length = 1)), request_body = ReviewBody,
    responses((status = 201, description = "Reviewed", body = ReviewDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "Reviewed already, or the name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable (the self-rating is not waiting, a level, a missing note); nothing was written", body = ErrorBody)))]
pub async fn add_review(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    grant: Option<Extension<Grant>>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> ApiResult<impl IntoResponse> {
    require(&state, grant.map(|g| g.0), &id, &[Relation::Report]).await?;
    let decision = decision_of(&body.decision, body.level, body.note)?;
    let review = state
        .service
        .review(
            &id,
            body.self_rating,
            &decision,
            viewer.user.as_ref().map(|u| u.id),
            &viewer.actor(Via::Api),
            &now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(ReviewDto::from(&review))))
}

/// A person's development plan: their goals by due date, each with its status ("met", "on
/// track", "overdue", "dropped") and the level that counted after each assessment of its skill.
#[utoipa::path(get, path = "/api/v1/people/{id}/goals", params(("id" = String, Path, min_length = 1, description = "id, key or name")),
    responses((status = 200, description = "The answer", body = Vec<GoalDto>), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn goals(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<GoalDto>>> {
    let goals = state.service.goals_of(&id, &now()).await?;
    Ok(Json(goals.iter().map(GoalDto::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalBody {
    /// id, framework:key, key or label.
    #[schema(min_length = 1)]
    pub skill: String,
    /// A level code or name on the skill's scale.
    #[schema(min_length = 1)]
    pub target: String,
    /// `YYYY-MM-DD`, today or later.
    #[schema(min_length = 10, max_length = 10)]
    pub due: String,
    pub note: Option<String>,
}

/// Adds a goal to a person's development plan; the person or a manager above them.
#[utoipa::path(post, path = "/api/v1/people/{id}/goals", params(("id" = String, Path, min_length = 1)), request_body = GoalBody,
    responses((status = 201, description = "Added", body = GoalDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn add_goal(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    grant: Option<Extension<Grant>>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<GoalBody>,
) -> ApiResult<impl IntoResponse> {
    require(
        &state,
        grant.map(|g| g.0),
        &id,
        &[Relation::Own, Relation::Report],
    )
    .await?;
    let input = GoalInput {
        skill: body.skill,
        target: body.target,
        due: body.due,
        note: body.note.unwrap_or_default(),
        created_by: viewer.user.as_ref().map(|u| u.id),
    };
    let goal = state
        .service
        .add_goal(&id, &input, &viewer.actor(Via::Api), &now())
        .await?;
    Ok((StatusCode::CREATED, Json(GoalDto::from(&goal))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalPatchBody {
    pub target: Option<String>,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    pub note: Option<String>,
    /// True sets the goal aside (it is kept, marked dropped); false takes it up again.
    pub dropped: Option<bool>,
}

/// Changes a goal of a person's plan: target, due date, note, or dropped.
#[utoipa::path(patch, path = "/api/v1/people/{id}/goals/{goal}", params(("id" = String, Path, min_length = 1), ("goal" = i64, Path, description = "The goal's number")), request_body = GoalPatchBody,
    responses((status = 200, description = "Changed", body = GoalDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "No such person, or no such goal of theirs", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn update_goal(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    grant: Option<Extension<Grant>>,
    Path((id, goal)): Path<(String, String)>,
    ApiJson(body): ApiJson<GoalPatchBody>,
) -> ApiResult<Json<GoalDto>> {
    require(
        &state,
        grant.map(|g| g.0),
        &id,
        &[Relation::Own, Relation::Report],
    )
    .await?;
    let number: i64 = goal.trim().parse().map_err(|_| ServiceError::NotFound {
        what: "goal",
        name: goal.clone(),
        suggestions: Vec::new(),
    })?;
    let patch = GoalPatch {
        target: body.target,
        due: body.due,
        note: body.note,
        dropped: body.dropped,
    };
    let goal = state
        .service
        .update_goal(&id, number, &patch, &viewer.actor(Via::Api), &now())
        .await?;
    Ok(Json(GoalDto::from(&goal)))
}

/// The current review cycle as it stands for a manager's team: who has self-assessed in it, who
/// has been reviewed, and what waits. 404 when no cycle is open today.
#[utoipa::path(get, path = "/api/v1/teams/{manager}/cycle", params(("manager" = String, Path, min_length = 1, description = "The manager: id, key or name")),
    responses((status = 200, description = "The answer", body = CycleStateDto), (status = 404, description = "No such person, or no review cycle open today", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn team_cycle(
    State(state): State<AppState>,
    Path(manager): Path<String>,
) -> ApiResult<Json<CycleStateDto>> {
    Ok(Json(CycleStateDto::from(
        &current_cycle_state(&state, &manager).await?,
    )))
}

/// The current cycle of a manager's team, or not found.
pub(crate) async fn current_cycle_state(
    state: &AppState,
    manager: &str,
) -> Result<rolemap_service::CycleState, ApiError> {
    let now = now();
    let plans = state.service.team_plans(manager, &now).await?;
    plans.cycle.clone().ok_or_else(|| {
        ApiError::refused(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no review cycle is open on {}", day_of(&now)),
        )
    })
}

/// Every review cycle, the latest start first.
#[utoipa::path(get, path = "/api/v1/cycles",
    responses((status = 200, description = "The answer", body = Vec<CycleDto>), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody)))]
pub async fn cycles(State(state): State<AppState>) -> ApiResult<Json<Vec<CycleDto>>> {
    let cycles = state.service.cycles().await?;
    Ok(Json(cycles.iter().map(CycleDto::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CycleBody {
    #[schema(min_length = 1)]
    pub name: String,
    /// `YYYY-MM-DD`, the first day.
    pub starts: String,
    /// `YYYY-MM-DD`, the last day, on or after `starts`.
    pub ends: String,
    /// "everyone" (the default), "team" (with `manager`) or "list" (with `people`).
    pub scope: Option<String>,
    /// For "team": the manager, by id, key or name.
    pub manager: Option<String>,
    /// For "list": the people, by id, key or name.
    pub people: Option<Vec<String>>,
}

/// Opens a review cycle: a name, a date range and the people in it.
#[utoipa::path(post, path = "/api/v1/cycles", request_body = CycleBody,
    responses((status = 201, description = "Opened", body = CycleDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn open_cycle(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiJson(body): ApiJson<CycleBody>,
) -> ApiResult<impl IntoResponse> {
    let input = CycleInput {
        name: body.name,
        starts: body.starts,
        ends: body.ends,
        scope: body.scope.unwrap_or_default(),
        manager: body.manager,
        people: body.people.unwrap_or_default(),
        opened_by: viewer.user.as_ref().map(|u| u.id),
    };
    let cycle = state
        .service
        .open_cycle(&input, &viewer.actor(Via::Api), &now())
        .await?;
    Ok((StatusCode::CREATED, Json(CycleDto::from(&cycle))))
}

/// Closes a review cycle: it is no one's current cycle from then on.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/close", params(("id" = i64, Path, description = "The cycle's number")),
    responses((status = 200, description = "Closed", body = CycleDto), (status = 404, description = "No such cycle", body = ErrorBody), (status = 409, description = "Closed already", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody)))]
pub async fn close_cycle(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> ApiResult<Json<CycleDto>> {
    let number: i64 = id.trim().parse().map_err(|_| ServiceError::NotFound {
        what: "review cycle",
        name: id.clone(),
        suggestions: Vec::new(),
    })?;
    let cycle = state
        .service
        .close_cycle(number, &viewer.actor(Via::Api), &now())
        .await?;
    Ok(Json(CycleDto::from(&cycle)))
}
