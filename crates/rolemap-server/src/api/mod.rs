//! The JSON API under `/api/v1`. Each handler extracts its input, calls one service function and
//! returns the shared DTO; `openapi.rs` describes them all.

pub mod audit;
pub mod authoring;
pub mod case;
pub mod extract;
pub mod formats;
pub mod openapi;
pub mod people;
pub mod plans;
pub mod tokens;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use rolemap_core::Source;
use rolemap_service::dto::*;
use rolemap_service::{AssessmentInput, NameMatch, PersonInput, ServiceError, now};
use rolemap_store::{RoleFilter, SkillFilter, Via};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::access::{self, Relation, Rule};
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use extract::{ApiJson, ApiQuery};

/// An optional value left empty (as HTML forms send it) means "not given".
fn given(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// Liveness: the server answers and its database can be read.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "The answer", body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    state.service.frameworks().await?;
    Ok(Json(Health { status: "ok" }))
}

/// Every stored framework, with its attribution.
#[utoipa::path(get, path = "/api/v1/frameworks", responses((status = 200, description = "The answer", body = Vec<FrameworkDto>), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn frameworks(State(state): State<AppState>) -> ApiResult<Json<Vec<FrameworkDto>>> {
    let list = state.service.frameworks().await?;
    Ok(Json(list.iter().map(FrameworkDto::from).collect()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoleQuery {
    /// Framework key.
    pub framework: Option<String>,
    /// Job family key or name.
    pub family: Option<String>,
}

/// Roles, optionally of one framework or job family.
#[utoipa::path(get, path = "/api/v1/roles", params(RoleQuery), responses(
    (status = 200, description = "The answer", body = Vec<RoleSummaryDto>), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn roles(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<RoleQuery>,
) -> ApiResult<Json<Vec<RoleSummaryDto>>> {
    let roles = state
        .service
        .roles(&RoleFilter {
            framework: given(q.framework),
            family: given(q.family),
        })
        .await?;
    Ok(Json(roles.iter().map(RoleSummaryDto::from).collect()))
}

/// A role profile. `id` is a numeric id, `framework:key`, a key or a title.
#[utoipa::path(get, path = "/api/v1/roles/{id}", params(("id" = String, Path, min_length = 1, description = "id, framework:key, key or title")),
    responses((status = 200, description = "The answer", body = RoleDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn role(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    // The profile's JSON is cached beside the role, so the most frequent call serializes nothing.
    let json = state.service.role_json(&id).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Bytes::from_owner(json),
    )
        .into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GradeQuery {
    /// A grade of the role (required when the role has grades).
    pub grade: Option<String>,
}

/// A job description for a role at a grade.
#[utoipa::path(get, path = "/api/v1/roles/{id}/job-description", params(("id" = String, Path, min_length = 1), GradeQuery),
    responses((status = 200, description = "The answer", body = JobDescriptionDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody)))]
pub async fn job_description(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<GradeQuery>,
) -> ApiResult<Json<JobDescriptionDto>> {
    let jd = state
        .service
        .job_description(&id, given(q.grade).as_deref())
        .await?;
    Ok(Json(JobDescriptionDto::from(&jd)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarQuery {
    /// At most this many roles (default 10, at most 100).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// Count skills under the same group of the skills hierarchy (ESCO's) a little (default
    /// false): `skills = 0.9 × skills + 0.1 × groups`.
    pub hierarchy: Option<bool>,
    /// Also roles of other frameworks, through roles linked as the same kind of role (default
    /// false).
    pub across: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressionQuery {
    /// At most this many similar roles (default 15, at most 100); linked roles come as well.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// The roles of the same framework most like a role, from the skills they require: each with its
/// score, the score's components, the skills both require and the skills to gain.
#[utoipa::path(get, path = "/api/v1/roles/{id}/similar", params(("id" = String, Path, min_length = 1), SimilarQuery),
    responses((status = 200, description = "The answer, best first", body = SimilarDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable", body = ErrorBody), (status = 400, description = "Malformed request: the query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody)))]
pub async fn similar(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<SimilarQuery>,
) -> ApiResult<Json<SimilarDto>> {
    let similar = state
        .service
        .similar_with(
            &id,
            None,
            &rolemap_service::SimilarOptions {
                limit: q.limit.map_or(10, |l| l as usize),
                hierarchy: q.hierarchy.unwrap_or(false),
                across: q.across.unwrap_or(false),
            },
        )
        .await?;
    Ok(Json(SimilarDto::from(&similar)))
}

/// A role's progression map: the roles most like it and the roles its framework links it to,
/// each with `level` "above", "same level", "below" or "level unknown".
#[utoipa::path(get, path = "/api/v1/roles/{id}/progression", params(("id" = String, Path, min_length = 1), ProgressionQuery),
    responses((status = 200, description = "The answer", body = SimilarDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable", body = ErrorBody), (status = 400, description = "Malformed request: the query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody)))]
pub async fn progression(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ProgressionQuery>,
) -> ApiResult<Json<SimilarDto>> {
    let map = state
        .service
        .progression(&id, None, q.limit.map_or(15, |l| l as usize))
        .await?;
    Ok(Json(SimilarDto::from(&map)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoutesQuery {
    /// The role to start from (id, framework:key or name); with `person`, their current role
    /// when not given.
    #[param(min_length = 1)]
    pub from: Option<String>,
    /// The role to reach.
    #[param(min_length = 1)]
    pub to: String,
    /// Start from this person's role and weigh steps by their assessed skills.
    #[param(min_length = 1)]
    pub person: Option<String>,
    /// Look role names up in this framework first.
    #[param(min_length = 1)]
    pub framework: Option<String>,
    /// At most this many steps in a route (default 4, at most 8).
    #[param(minimum = 1, maximum = 8)]
    pub max_steps: Option<u32>,
    /// Only steps between roles at least this similar (default 0.15); links a framework names
    /// always count.
    #[param(minimum = 0, maximum = 1)]
    pub min_similarity: Option<f32>,
    /// How many routes, best first (default 3, at most 20).
    #[param(minimum = 1, maximum = 20)]
    pub k: Option<u32>,
}

/// The best routes from one role (or a person's role) to another, cheapest first: each step with
/// its score, level change, the skills that transfer, the skills to gain and the levels to raise.
/// No route is an answer too: `routes` is empty and `closest` names the reachable role nearest
/// the destination.
#[utoipa::path(get, path = "/api/v1/routes", params(RoutesQuery),
    responses((status = 200, description = "The answer", body = RoutesDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable", body = ErrorBody), (status = 400, description = "Malformed request: the query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody)))]
pub async fn routes(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiQuery(q): ApiQuery<RoutesQuery>,
) -> ApiResult<Json<RoutesDto>> {
    let from = given(q.from);
    let person = given(q.person);
    if let Some(name) = &person {
        access::person_grant(&state, viewer.user.as_deref(), Rule::PersonRead, name).await?;
    }
    let framework = given(q.framework);
    let routes = state
        .service
        .routes(&rolemap_service::RouteInput {
            from: from.as_deref(),
            person: person.as_deref(),
            to: &q.to,
            framework: framework.as_deref(),
            max_steps: q
                .max_steps
                .map_or(rolemap_service::DEFAULT_MAX_STEPS, |s| s as usize),
            min_similarity: q
                .min_similarity
                .unwrap_or(rolemap_service::DEFAULT_MIN_SIMILARITY),
            k: q.k.map_or(rolemap_service::DEFAULT_K, |k| k as usize),
        })
        .await?;
    Ok(Json(RoutesDto::from(&routes)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodeTitleQuery {
    /// A job title as people write it ("ops mgr", "senior IT operations manager").
    #[param(min_length = 1)]
    pub title: String,
    /// Only roles of this framework.
    #[param(min_length = 1)]
    pub framework: Option<String>,
    /// At most this many roles (default 5, at most 100).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// The roles a job title most likely stands for, best first: robust to word order, abbreviations,
/// seniority words and typos; each with its score and the title that matched.
#[utoipa::path(get, path = "/api/v1/code-title", params(CodeTitleQuery),
    responses((status = 200, description = "The answer, best first", body = [TitleCodeDto]), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable", body = ErrorBody), (status = 400, description = "Malformed request: the query does not parse", body = ErrorBody)))]
pub async fn code_title(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CodeTitleQuery>,
) -> ApiResult<Json<Vec<TitleCodeDto>>> {
    let framework = given(q.framework);
    let codes = state
        .service
        .code_title(
            &q.title,
            framework.as_deref(),
            q.limit.map_or(5, |l| l as usize),
        )
        .await?;
    Ok(Json(codes.iter().map(TitleCodeDto::from).collect()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExtractQuery {
    /// Only skills of this framework.
    #[param(min_length = 1)]
    pub framework: Option<String>,
    /// Also the phrase and paraphrase signals (default true); false finds labels only.
    pub paraphrase: Option<bool>,
}

/// The skills a text (an advert, a CV, duty statements) mentions: each mention with its character
/// span, the label matched, the signal that found it, a confidence, and whether it is negated
/// (negated mentions are not counted).
#[utoipa::path(post, path = "/api/v1/extract", params(ExtractQuery),
    request_body(content = String, content_type = "text/plain", description = "The text"),
    responses((status = 200, description = "The answer", body = ExtractDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody)))]
pub async fn extract(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ExtractQuery>,
    body: String,
) -> ApiResult<Json<ExtractDto>> {
    let framework = given(q.framework);
    let report = state
        .service
        .extract(&body, framework.as_deref(), q.paraphrase.unwrap_or(true))
        .await?;
    Ok(Json(ExtractDto::from(&report)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TextGapQuery {
    /// The name to give the text in the report (default "request body").
    pub name: Option<String>,
}

/// A text (a CV, an advert) against a role: which of its requirements the text evidences, with
/// the words (a mention of a skill an accepted mapping makes the required one counts, and says
/// so), and which it does not.
#[utoipa::path(post, path = "/api/v1/roles/{id}/text-gap", params(("id" = String, Path, min_length = 1, description = "id, framework:key, key or title"), TextGapQuery),
    request_body(content = String, content_type = "text/plain", description = "The text"),
    responses((status = 200, description = "The answer", body = TextGapDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody)))]
pub async fn text_gap(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TextGapQuery>,
    body: String,
) -> ApiResult<Json<TextGapDto>> {
    let name = given(q.name).unwrap_or_else(|| "request body".to_owned());
    let gap = state.service.text_gap(&name, &body, &id).await?;
    Ok(Json(TextGapDto::from(&gap)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CrosswalkQuery {
    /// The framework whose concepts are mapped (its key, e.g. odp).
    #[param(min_length = 1)]
    pub from: String,
    /// The framework whose skills they are mapped to (e.g. esco).
    #[param(min_length = 1)]
    pub to: String,
    /// skills (default), duties (the duty statements of its roles) or all.
    pub kind: Option<String>,
    /// Leave out suggestions below this confidence (default 0.2).
    #[param(minimum = 0.0, maximum = 1.0)]
    pub min_confidence: Option<f32>,
    /// At most this many suggestions per concept (default 3, at most 50).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<u32>,
}

/// Suggested mappings from the concepts of one framework to the skills of another, each typed
/// exact, close or related, with a confidence and the words it rests on: what `rolemap map A B`
/// writes as a CSV to review.
#[utoipa::path(get, path = "/api/v1/crosswalk", params(CrosswalkQuery),
    responses((status = 200, description = "By concept, then best first", body = [MappingSuggestionDto]), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable", body = ErrorBody), (status = 400, description = "Malformed request: the query does not parse", body = ErrorBody)))]
pub async fn crosswalk(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CrosswalkQuery>,
) -> ApiResult<Json<Vec<MappingSuggestionDto>>> {
    use rolemap_service::{CrosswalkConcepts, CrosswalkOptions};
    let defaults = CrosswalkOptions::default();
    let concepts = match given(q.kind).as_deref() {
        None | Some("skills") => CrosswalkConcepts::Skills,
        Some("duties") => CrosswalkConcepts::Duties,
        Some("all") => CrosswalkConcepts::All,
        Some(other) => {
            return Err(ApiError::from(rolemap_service::ServiceError::invalid(
                "kind",
                format!("unknown kind '{other}'; use skills, duties or all"),
            )));
        }
    };
    let min_confidence = q.min_confidence.unwrap_or(defaults.min_confidence);
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(ApiError::from(rolemap_service::ServiceError::invalid(
            "min_confidence",
            format!("must be 0 to 1, not {min_confidence}"),
        )));
    }
    let limit = q.limit.map_or(defaults.limit_per_concept, |l| l as usize);
    if limit == 0 || limit > rolemap_service::MAX_PER_CONCEPT {
        return Err(ApiError::from(rolemap_service::ServiceError::invalid(
            "limit",
            format!(
                "must be 1 to {}, not {limit}",
                rolemap_service::MAX_PER_CONCEPT
            ),
        )));
    }
    let suggestions = state
        .service
        .suggest_mappings(
            &q.from,
            &q.to,
            CrosswalkOptions {
                concepts,
                min_confidence,
                limit_per_concept: limit,
            },
        )
        .await?;
    Ok(Json(
        suggestions.iter().map(MappingSuggestionDto::from).collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SkillQuery {
    pub framework: Option<String>,
    /// knowledge, skill, behaviour or capability.
    pub kind: Option<String>,
    pub tag: Option<String>,
    /// Text the label or an alternative label contains.
    pub q: Option<String>,
}

/// Skills, optionally filtered.
#[utoipa::path(get, path = "/api/v1/skills", params(SkillQuery), responses((status = 200, description = "The answer", body = Vec<SkillDto>), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn skills(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SkillQuery>,
) -> ApiResult<Json<Vec<SkillDto>>> {
    let filter = SkillFilter {
        framework: given(q.framework),
        text: given(q.q),
        kind: given(q.kind),
        tag: given(q.tag),
    };
    let skills = state.service.skills(&filter).await?;
    Ok(Json(skills.iter().map(SkillDto::from).collect()))
}

/// A skill with the roles that require it.
#[utoipa::path(get, path = "/api/v1/skills/{id}", params(("id" = String, Path, min_length = 1, description = "id, framework:key, key or label")),
    responses((status = 200, description = "The answer", body = SkillDetailDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn skill(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<SkillDetailDto>> {
    let detail = state.service.skill(&id, None).await?;
    Ok(Json(SkillDetailDto::from(&detail)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    #[param(min_length = 1)]
    pub a: String,
    #[param(min_length = 1)]
    pub b: String,
    /// A's grade for the step from A to B (default: A's top grade).
    pub grade_a: Option<String>,
    /// B's grade for the step from A to B (default: B's entry grade).
    pub grade_b: Option<String>,
}

/// Two roles side by side, and the step from A to B: A at one grade against B at one grade, with
/// the levels to raise.
#[utoipa::path(get, path = "/api/v1/compare", params(CompareQuery),
    responses((status = 200, description = "The answer", body = ComparisonDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn compare(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> ApiResult<Json<ComparisonDto>> {
    let comparison = state
        .service
        .compare_at(
            &q.a,
            &q.b,
            given(q.grade_a).as_deref(),
            given(q.grade_b).as_deref(),
        )
        .await?;
    Ok(Json(ComparisonDto::from(&comparison)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    #[param(min_length = 1)]
    pub q: String,
    /// Only occupations (roles) or only skills.
    #[serde(rename = "type")]
    #[param(rename = "type", inline)]
    pub kind: Option<SearchType>,
    /// At most this many results (default 10, at most 50).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NameMatchDto {
    /// "role" or "skill".
    pub kind: &'static str,
    pub id: i64,
    pub framework: String,
    pub framework_name: String,
    pub key: String,
    pub label: String,
    /// The name that matched the query.
    pub matched: String,
}

impl From<&NameMatch> for NameMatchDto {
    fn from(m: &NameMatch) -> NameMatchDto {
        NameMatchDto {
            kind: m.kind,
            id: m.id,
            framework: m.framework.clone(),
            framework_name: m.framework_name.clone(),
            key: m.key.clone(),
            label: m.label.clone(),
            matched: m.matched.clone(),
        }
    }
}

/// Roles and skills whose names match a query, for typeahead.
#[utoipa::path(get, path = "/api/v1/typeahead", params(SearchQuery), responses((status = 200, description = "The answer", body = Vec<NameMatchDto>), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn typeahead(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<Vec<NameMatchDto>>> {
    let limit = q.limit.unwrap_or(10).clamp(1, 50) as usize;
    let kind = q.kind.map(rolemap_store::ConceptKind::from);
    let hits = state.service.typeahead(&q.q, kind, limit).await?;
    Ok(Json(hits.iter().map(NameMatchDto::from).collect()))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SearchType {
    /// Occupations and other roles.
    #[serde(alias = "role")]
    Occupation,
    Skill,
}

impl From<SearchType> for rolemap_store::ConceptKind {
    fn from(kind: SearchType) -> Self {
        match kind {
            SearchType::Occupation => rolemap_store::ConceptKind::Role,
            SearchType::Skill => rolemap_store::ConceptKind::Skill,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FullSearchQuery {
    /// What to look for; typos and word order are forgiven.
    #[param(min_length = 1)]
    pub q: String,
    /// Only occupations (roles) or only skills.
    #[serde(rename = "type")]
    #[param(rename = "type", inline)]
    pub kind: Option<SearchType>,
    /// Only this framework (its key, e.g. esco).
    pub framework: Option<String>,
    /// At most this many results (default 20, at most 200).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// Ranked roles and skills whose preferred, alternative or hidden labels or descriptions match
/// the query, each naming the label it matched.
#[utoipa::path(get, path = "/api/v1/search", params(FullSearchQuery), responses((status = 200, description = "The answer, best first", body = Vec<SearchResultDto>), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "No such framework", body = ErrorBody), (status = 422, description = "A value is not acceptable", body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<FullSearchQuery>,
) -> ApiResult<Json<Vec<SearchResultDto>>> {
    let results = state
        .service
        .search(&rolemap_service::SearchInput {
            text: q.q,
            kind: q.kind.map(rolemap_store::ConceptKind::from),
            framework: q.framework,
            limit: q.limit.map_or(20, |l| l as usize),
        })
        .await?;
    Ok(Json(results.iter().map(SearchResultDto::from).collect()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Also list archived people (default false: they leave lists but keep their history).
    pub archived: Option<bool>,
}

/// Everyone the signed-in user may see: themselves, for a manager their reports, for an admin
/// everyone. Archived people only with `archived=true`.
#[utoipa::path(get, path = "/api/v1/people", params(PeopleQuery), responses((status = 200, description = "The answer", body = Vec<PersonDto>), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn people(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> ApiResult<Json<Vec<PersonDto>>> {
    let people = if q.archived == Some(true) {
        state.service.people_with_archived().await?
    } else {
        state.service.people().await?
    };
    let people = access::visible_people(&state, viewer.user.as_deref(), people).await?;
    Ok(Json(people.iter().map(PersonDto::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPersonBody {
    #[schema(min_length = 1)]
    pub name: String,
    /// id, framework:key, key or title.
    pub role: Option<String>,
    pub grade: Option<String>,
    /// id, key or name of their manager.
    pub manager: Option<String>,
    pub team: Option<String>,
    /// Their email address; one person per address.
    pub email: Option<String>,
    /// Add a second person of a name already stored, on purpose; without it such a name is
    /// refused (422, field `name`) with the existing person's key.
    pub same_name: Option<bool>,
}

/// Records a person. A name already stored is refused unless `same_name` is true.
#[utoipa::path(post, path = "/api/v1/people", params(("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 200, description = "Sent again with the same body, answers with the first answer and writes nothing; 409 while the first is still being answered")), request_body = NewPersonBody,
    responses((status = 201, description = "Created", body = PersonDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody)))]
pub async fn add_person(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiJson(body): ApiJson<NewPersonBody>,
) -> ApiResult<impl IntoResponse> {
    let input = PersonInput {
        name: body.name,
        role: body.role,
        grade: body.grade,
        manager: body.manager,
        team: body.team,
        email: body.email,
        same_name: body.same_name.unwrap_or(false),
    };
    let person = match state
        .service
        .add_person(&input, &viewer.actor(Via::Api), &now())
        .await
    {
        Err(ServiceError::Invalid { field, message }) if field == "name" && !input.same_name => {
            return Err(ServiceError::invalid(
                field,
                format!(
                    "{message}; to add a second person of that name on purpose, send \"same_name\": true"
                ),
            )
            .into());
        }
        other => other?,
    };
    Ok((StatusCode::CREATED, Json(PersonDto::from(&person))))
}

/// A person with current levels and history.
#[utoipa::path(get, path = "/api/v1/people/{id}", params(("id" = String, Path, min_length = 1, description = "id, key or name")),
    responses((status = 200, description = "The answer", body = PersonDetailDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn person(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonDetailDto>> {
    let detail = state.service.person_detail(&id).await?;
    Ok(Json(PersonDetailDto::from(&detail)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentBody {
    /// id, framework:key, key or label.
    #[schema(min_length = 1)]
    pub skill: String,
    /// A level code or name on the skill's scale, or "none" when the person does not have the
    /// skill (a gap, unlike leaving it unassessed).
    #[schema(min_length = 1)]
    pub level: String,
    /// Set by the server from who is signed in: "self" for one's own record, "manager" for a
    /// report's. May be left out; any other value than the server's is refused (422).
    pub source: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentsBody {
    #[schema(min_items = 1)]
    pub assessments: Vec<AssessmentBody>,
}

/// Records assessments of a person: all of them, or none.
#[utoipa::path(post, path = "/api/v1/people/{id}/assessments", params(("id" = String, Path, min_length = 1), ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 200, description = "Sent again with the same body, answers with the first answer and writes nothing; 409 while the first is still being answered")), request_body = AssessmentsBody,
    responses((status = 201, description = "Created", body = Vec<AssessmentDto>), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody)))]
pub async fn add_assessments(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    grant: Option<Extension<access::Grant>>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AssessmentsBody>,
) -> ApiResult<impl IntoResponse> {
    // The permission check has said how the viewer stands to the person; that, not the
    // request, says who rated.
    let source = match grant.map(|Extension(grant)| grant.relation) {
        Some(Relation::Own) => Source::SelfAssessed,
        Some(Relation::Report) => Source::Manager,
        _ => {
            // An admin let through for a name that fits nobody gets the usual answer.
            state.service.resolve_person(&id).await?;
            return Err(ApiError::Forbidden);
        }
    };
    let mut items = Vec::with_capacity(body.assessments.len());
    for (i, a) in body.assessments.into_iter().enumerate() {
        if let Some(text) = a.source.as_deref()
            && Source::parse(text) != Some(source)
        {
            return Err(ServiceError::invalid(
                format!("assessments[{i}].source"),
                format!(
                    "the source is set by the server from who is signed in: \"{}\" here; leave it out",
                    source.as_str()
                ),
            )
            .into());
        }
        items.push(AssessmentInput {
            skill: a.skill,
            level: a.level,
            source,
            note: a.note.unwrap_or_default(),
            recorded_by: viewer.user.as_deref().map(|u| u.id),
        });
    }
    let stored = state
        .service
        .assess_many(&id, &items, &viewer.actor(Via::Api), &now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(stored.iter().map(AssessmentDto::from).collect::<Vec<_>>()),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GapQuery {
    /// The role to measure against (default: the person's own).
    pub target: Option<String>,
    pub grade: Option<String>,
}

/// Where a person stands against a role.
#[utoipa::path(get, path = "/api/v1/people/{id}/gap", params(("id" = String, Path, min_length = 1), GapQuery),
    responses((status = 200, description = "The answer", body = GapDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody)))]
pub async fn gap(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<GapQuery>,
) -> ApiResult<Response> {
    // Kept as JSON while people and frameworks are unchanged, so a repeated gap serializes nothing.
    let json = state
        .service
        .gap_json(&id, given(q.target).as_deref(), given(q.grade).as_deref())
        .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Bytes::from_owner(json),
    )
        .into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatrixQuery {
    /// Rank the team for this role (default: the manager's own).
    pub role: Option<String>,
    pub grade: Option<String>,
}

/// A manager's team matrix.
#[utoipa::path(get, path = "/api/v1/people/{id}/team-matrix", params(("id" = String, Path, min_length = 1), MatrixQuery),
    responses((status = 200, description = "The answer", body = TeamMatrixDto), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody)))]
pub async fn team_matrix(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<MatrixQuery>,
) -> ApiResult<Json<TeamMatrixDto>> {
    let matrix = state
        .service
        .team_matrix(&id, given(q.role).as_deref(), given(q.grade).as_deref())
        .await?;
    Ok(Json(TeamMatrixDto::from(&*matrix)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file name to use in problem reports (default: the request's name for it).
    pub name: Option<String>,
}

/// Imports a framework document (TOML, as `rolemap import framework` reads) in one transaction.
/// Every problem is reported with line and field, and nothing is stored while any stands.
#[utoipa::path(post, path = "/api/v1/frameworks", params(ImportQuery),
    request_body(content = String, content_type = "text/plain", description = "A framework document in TOML (docs/framework-format.md)"),
    responses((status = 201, description = "Created", body = Vec<ImportOutcomeDto>), (status = 200, description = "That key and version were already stored; nothing changed", body = Vec<ImportOutcomeDto>), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn import_framework(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: String,
) -> ApiResult<impl IntoResponse> {
    let file = rolemap_service::InputFile {
        name: given(q.name).unwrap_or_else(|| "request body".to_owned()),
        text: body,
    };
    let outcomes = state
        .service
        .import_frameworks(std::slice::from_ref(&file), &viewer.actor(Via::Api), &now())
        .await?;
    let status = if outcomes.iter().any(|o| o.created) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(
            outcomes
                .iter()
                .map(ImportOutcomeDto::from)
                .collect::<Vec<_>>(),
        ),
    ))
}

/// What importing observed movements did.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionsOutcomeDto {
    /// Rows stored (a from, to and source already stored takes the new count).
    pub movements: usize,
    /// People those rows count.
    pub people: u64,
}

/// Imports observed movements between roles (CSV with columns from, to, count and optionally
/// source, as `rolemap import transitions` reads) in one transaction: any unknown or ambiguous
/// role is reported with its line and column, and nothing is stored.
#[utoipa::path(post, path = "/api/v1/transitions/import", params(ImportQuery),
    request_body(content = String, content_type = "text/plain", description = "CSV: from,to,count[,source]"),
    responses((status = 201, description = "Created", body = TransitionsOutcomeDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn import_transitions(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: String,
) -> ApiResult<impl IntoResponse> {
    let file = rolemap_service::InputFile {
        name: given(q.name).unwrap_or_else(|| "request body".to_owned()),
        text: body,
    };
    let (movements, people) = state
        .service
        .import_transitions(&file, &viewer.actor(Via::Api), &now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TransitionsOutcomeDto { movements, people }),
    ))
}

/// Stores the accepted rows of a reviewed mappings CSV (as `rolemap map` writes it, with the
/// decision column filled in; `rolemap map apply` reads the same) in one transaction: a row
/// naming an unknown framework or concept is reported with its line and column, and nothing is
/// stored. Compare, gap and similarity across frameworks then use them.
#[utoipa::path(post, path = "/api/v1/mappings/import", params(ImportQuery),
    request_body(content = String, content_type = "text/plain", description = "CSV: from_framework,from_key,to_framework,to_key,type,confidence,decision"),
    responses((status = 201, description = "Created", body = AppliedMappingsDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn import_mappings(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: String,
) -> ApiResult<impl IntoResponse> {
    let file = rolemap_service::InputFile {
        name: given(q.name).unwrap_or_else(|| "request body".to_owned()),
        text: body,
    };
    let applied = state
        .service
        .apply_mappings(&file, &viewer.actor(Via::Api), &now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(AppliedMappingsDto::from(&applied)),
    ))
}

/// Imports a people document (TOML, as `rolemap import people` reads) in one transaction; or,
/// sent as `text/csv`, a CSV of people (columns key, name, email, role, grade, manager, team;
/// docs/framework-format.md) whose rows update the people they match by key, else email, and add the
/// others, all or nothing, every problem with its line, column and field.
#[utoipa::path(post, path = "/api/v1/people/import", params(ImportQuery),
    request_body(description = "A people document in TOML, or (Content-Type text/csv) people as CSV; both in docs/framework-format.md", content((String = "text/plain"), (String = "text/csv"))),
    responses((status = 201, description = "Created: the people and assessments stored (TOML), or who was created, updated and left unchanged (CSV)", body = people::PeopleImportDto), (status = 200, description = "A CSV that created nobody: who was updated and left unchanged", body = PeopleSyncDto), (status = 400, description = "Malformed request: the body or query does not parse", body = ErrorBody), (status = 404, description = "Nothing has that name", body = ErrorBody), (status = 409, description = "The name fits several records", body = ErrorBody), (status = 422, description = "A value is not acceptable; nothing was written", body = ErrorBody)))]
pub async fn import_people(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: axum::http::HeaderMap,
    body: String,
) -> ApiResult<impl IntoResponse> {
    let file = rolemap_service::InputFile {
        name: given(q.name).unwrap_or_else(|| "request body".to_owned()),
        text: body,
    };
    let csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim().to_ascii_lowercase().starts_with("text/csv"));
    if csv {
        let actor = people::actor(&viewer, rolemap_store::Via::Api);
        let sync = state
            .service
            .import_people_csv(&file, &actor, &now())
            .await?;
        let status = if sync.created.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        let dto = people::PeopleImportDto::Csv(PeopleSyncDto::from(&sync));
        return Ok((status, Json(dto)));
    }
    let outcome = state
        .service
        .import_people(&file, &viewer.actor(Via::Api), &now())
        .await?;
    let dto = people::PeopleImportDto::Document(PeopleOutcomeDto::from(&outcome));
    Ok((StatusCode::CREATED, Json(dto)))
}
