//! A role's pages: the role, similar roles, its progression map and routes from it.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use rolemap_core::{Importance, LinkKind, ReuseLevel, Role};
use rolemap_service::dto::{EscoDto, RequirementDto, RoleDto, RoleSummaryDto, ScaleLevelDto};
use serde::{Deserialize, Serialize};

use super::skill::reference;
use crate::access::Rule;
use crate::auth::Viewer;
use crate::state::AppState;
use crate::web::{PageQuery, PageResult, RolePicker, framework_page, given};

/// A level as a table cell: its code, with the name for a tooltip and screen readers.
#[derive(Debug, Serialize, Clone)]
pub(crate) struct LevelCell {
    code: Option<String>,
    name: Option<String>,
}

impl LevelCell {
    pub(crate) fn of(level: &rolemap_core::RequiredLevel) -> LevelCell {
        LevelCell {
            code: level.level().map(|l| l.code().to_owned()),
            name: level.level().map(|l| l.name().to_owned()),
        }
    }

    fn blank() -> LevelCell {
        LevelCell {
            code: None,
            name: None,
        }
    }
}

#[derive(Debug, Serialize)]
struct RequirementRow {
    req: RequirementDto,
    framework: String,
    /// One per grade of the role, in ladder order; or the single level of an ungraded role.
    cells: Vec<LevelCell>,
}

#[derive(Debug, Serialize)]
struct ReuseBucket {
    name: &'static str,
    rows: Vec<RequirementRow>,
}

#[derive(Debug, Serialize)]
struct EscoGroup {
    title: &'static str,
    count: usize,
    buckets: Vec<ReuseBucket>,
}

#[derive(Debug, Serialize)]
struct LinkView {
    relation: &'static str,
    role: RoleSummaryDto,
    note: String,
}

#[derive(Debug, Serialize)]
struct RolePage {
    role: RoleDto,
    /// `framework:key`, the exact name used in links.
    name: String,
    /// The exact name shown to people: `framework:key`, or the id where the key is a URI.
    reference: String,
    /// "graded", "single" (one level, no grades), "esco" (grouped, no levels) or "none".
    layout: &'static str,
    rows: Vec<RequirementRow>,
    esco: Vec<EscoGroup>,
    essential: usize,
    optional: usize,
    scale: Vec<ScaleLevelDto>,
    scale_name: String,
    any_levels: bool,
    any_emphasis: bool,
    links: Vec<LinkView>,
    others: RolePicker,
    /// The role first offered to compare with: the first linked one.
    compare_with: String,
}

fn rows_of(role: &Role, reqs: &[&rolemap_core::Requirement]) -> Vec<RequirementRow> {
    reqs.iter()
        .map(|r| RequirementRow {
            req: RequirementDto::from(*r),
            framework: role.framework_key.clone(),
            cells: if role.grades.is_empty() {
                vec![LevelCell::of(&r.level)]
            } else {
                role.grades
                    .iter()
                    .map(|g| {
                        r.levels
                            .iter()
                            .find(|(grade, _)| grade == g)
                            .map_or_else(LevelCell::blank, |(_, l)| LevelCell::of(l))
                    })
                    .collect()
            },
        })
        .collect()
}

/// Requirements grouped as ESCO shows them: essential and optional, knowledge and skills, then
/// by reuse level from the most specific to the most transferable.
fn esco_groups(role: &Role) -> Vec<EscoGroup> {
    role.requirement_groups()
        .into_iter()
        .map(|group| EscoGroup {
            title: group.title,
            count: group.count,
            buckets: group
                .buckets
                .into_iter()
                .map(|(reuse, bucket)| ReuseBucket {
                    name: reuse.map_or("reuse level not given", ReuseLevel::as_str),
                    rows: rows_of(role, &bucket),
                })
                .collect(),
        })
        .collect()
}

pub(crate) async fn role(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    framework_page(&state, &uri, role_page(&state, &id)).await
}

#[derive(Debug, Serialize)]
struct SimilarPage {
    similar: rolemap_service::dto::SimilarDto,
    framework_name: String,
    attribution: String,
    /// Roles of other frameworks too (through same-kind links, shared labels and accepted
    /// mappings).
    across: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SimilarQuery {
    /// "1" (or "true"): roles of other frameworks too.
    across: Option<String>,
}

pub(crate) async fn similar(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
    PageQuery(q): PageQuery<SimilarQuery>,
) -> Response {
    let across = matches!(given(&q.across), Some("1" | "true" | "on" | "yes"));
    let build = async {
        let similar = state
            .service
            .similar_with(
                &id,
                None,
                &rolemap_service::SimilarOptions {
                    across,
                    ..rolemap_service::SimilarOptions::new(SIMILAR_PAGE_LIMIT)
                },
            )
            .await?;
        Ok(state.templates.render(
            "similar.html",
            SimilarPage {
                framework_name: similar.role.framework_name.clone(),
                attribution: similar.role.attribution.clone(),
                similar: rolemap_service::dto::SimilarDto::from(&similar),
                across,
            },
        ))
    };
    framework_page(&state, &uri, build).await
}

#[derive(Debug, Serialize)]
struct ProgressionPage<'a> {
    map: &'a rolemap_service::dto::SimilarDto,
    /// The drawing, built by `map.rs` with its text escaped; each role's box links to its map.
    svg: minijinja::Value,
    /// The map's roles band by band, top first: (band name, roles).
    bands: Vec<(&'static str, Vec<&'a rolemap_service::dto::NeighbourDto>)>,
    /// The frameworks of the roles on the unfiltered map, to filter by: (key, count).
    frameworks: Vec<(String, usize)>,
    /// The filters applied: a framework key and a band ("above", "same level", ...), or empty.
    framework: String,
    level: String,
    /// Roles on the unfiltered map.
    total: usize,
    framework_name: String,
    attribution: String,
}

/// The bands of a progression map, top first: (level as the DTO says it, the band's name).
const BANDS: [(&str, &str); 4] = [
    ("above", "Above"),
    ("same level", "Same level"),
    ("below", "Below"),
    ("level unknown", "Level unknown"),
];

#[derive(Debug, Deserialize)]
pub(crate) struct ProgressionQuery {
    /// Only roles of this framework.
    framework: Option<String>,
    /// Only roles of this band: above, same level, below or level unknown.
    level: Option<String>,
}

/// A role's progression map: the drawing, and the same roles in a table band by band; filtered
/// to one framework or one band when asked.
pub(crate) async fn progression(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
    PageQuery(q): PageQuery<ProgressionQuery>,
) -> Response {
    let build = async {
        let framework = given(&q.framework).unwrap_or_default().to_owned();
        let level = given(&q.level).unwrap_or_default().to_owned();
        if !level.is_empty() && !BANDS.iter().any(|(band, _)| *band == level) {
            return Err(crate::error::ApiError::from(
                rolemap_service::ServiceError::invalid(
                    "level",
                    format!(
                        "unknown level '{level}'; use above, same level, below or level unknown"
                    ),
                ),
            ));
        }
        let map = state
            .service
            .progression(&id, None, SIMILAR_PAGE_LIMIT)
            .await?;
        let mut dto = rolemap_service::dto::SimilarDto::from(&map);
        let total = dto.neighbours.len();
        let mut frameworks: Vec<(String, usize)> = Vec::new();
        for n in &dto.neighbours {
            match frameworks
                .iter_mut()
                .find(|(key, _)| *key == n.role.framework)
            {
                Some((_, count)) => *count += 1,
                None => frameworks.push((n.role.framework.clone(), 1)),
            }
        }
        frameworks.sort();
        dto.neighbours.retain(|n| {
            (framework.is_empty() || n.role.framework == framework)
                && (level.is_empty() || n.level == level)
        });
        let svg = minijinja::Value::from_safe_string(crate::web::map::progression_svg_linked(&dto));
        let bands = BANDS
            .into_iter()
            .map(|(band, name)| {
                let members: Vec<_> = dto.neighbours.iter().filter(|n| n.level == band).collect();
                (name, members)
            })
            .filter(|(_, members)| !members.is_empty())
            .collect();
        Ok(state.templates.render(
            "progression.html",
            ProgressionPage {
                framework_name: map.role.framework_name.clone(),
                attribution: map.role.attribution.clone(),
                map: &dto,
                svg,
                bands,
                frameworks,
                framework,
                level,
                total,
            },
        ))
    };
    framework_page(&state, &uri, build).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct RoutesQuery {
    from: Option<String>,
    to: Option<String>,
    person: Option<String>,
}

#[derive(Debug, Serialize)]
struct RoutesPage {
    choices: RolePicker,
    from: String,
    to: String,
    person: Option<rolemap_service::dto::PersonDto>,
    answer: Option<rolemap_service::dto::RoutesDto>,
    attribution: Option<String>,
}

/// The best routes from a role, or from a person's role, to another: a form, then the routes.
pub(crate) async fn routes(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    PageQuery(q): PageQuery<RoutesQuery>,
) -> Response {
    // Routes for a person are theirs to see (checked before the page cache, which the same
    // address from another viewer would otherwise hit).
    if let Some(name) = given(&q.person)
        && let Err(e) =
            crate::access::person_grant(&state, viewer.user.as_deref(), Rule::PersonRead, name)
                .await
    {
        return crate::web::error_page(&state, &uri, e);
    }
    framework_page(&state, &uri, routes_page(&state, q)).await
}

async fn routes_page(state: &AppState, q: RoutesQuery) -> PageResult {
    let person = match given(&q.person) {
        Some(name) => Some(state.service.person(name).await?),
        None => None,
    };
    let mut page = RoutesPage {
        choices: RolePicker::new(state).await?,
        from: given(&q.from).unwrap_or_default().to_owned(),
        to: given(&q.to).unwrap_or_default().to_owned(),
        person: person.as_ref().map(rolemap_service::dto::PersonDto::from),
        answer: None,
        attribution: None,
    };
    if let Some(to) = given(&q.to)
        && (given(&q.from).is_some() || person.is_some())
    {
        let routes = state
            .service
            .routes(&rolemap_service::RouteInput {
                from: given(&q.from),
                person: given(&q.person),
                to,
                framework: None,
                max_steps: rolemap_service::DEFAULT_MAX_STEPS,
                min_similarity: rolemap_service::DEFAULT_MIN_SIMILARITY,
                k: rolemap_service::DEFAULT_K,
            })
            .await?;
        let answer = rolemap_service::dto::RoutesDto::from(&routes);
        page.from = page.choices.value_of(state, &answer.from).await;
        page.to = page.choices.value_of(state, &answer.to).await;
        page.attribution = Some(routes.to.attribution.clone());
        page.answer = Some(answer);
    }
    Ok(state.templates.render("routes.html", page))
}

/// Roles listed on the similar-roles page.
const SIMILAR_PAGE_LIMIT: usize = 15;

async fn role_page(state: &AppState, id: &str) -> PageResult {
    let role = state.service.role(id, None).await?;
    let name = format!("{}:{}", role.framework_key, role.key);
    let any_levels = role
        .requirements
        .iter()
        .any(|r| r.level.level().is_some() || r.levels.iter().any(|(_, l)| l.level().is_some()));
    let layout = if role.requirements.is_empty() {
        "none"
    } else if !role.grades.is_empty() {
        "graded"
    } else if any_levels {
        "single"
    } else {
        "esco"
    };
    let all: Vec<&rolemap_core::Requirement> = role.requirements.iter().collect();
    let scale = role
        .requirements
        .iter()
        .find_map(|r| r.skill.scale.as_ref());
    let essential = role
        .requirements
        .iter()
        .filter(|r| r.importance == Importance::Essential)
        .count();
    let links = role
        .links
        .iter()
        .map(|l| LinkView {
            relation: match (l.kind, l.incoming) {
                (LinkKind::Route, true) => "Route in from",
                (LinkKind::Route, false) => "Route on to",
                (LinkKind::Equivalent, _) => "Same kind of role as",
                (LinkKind::Related, _) => "Related to",
            },
            role: RoleSummaryDto::from(&l.other),
            note: l.note.clone(),
        })
        .collect();
    let others = RolePicker::new(state).await?.without(&name);
    let compare_with = match role.links.first() {
        Some(l) => {
            others
                .value_of(state, &RoleSummaryDto::from(&l.other))
                .await
        }
        None => String::new(),
    };
    let page = RolePage {
        compare_with,
        layout,
        rows: if layout == "esco" {
            Vec::new()
        } else {
            rows_of(&role, &all)
        },
        esco: if layout == "esco" {
            esco_groups(&role)
        } else {
            Vec::new()
        },
        essential,
        optional: role.requirements.len() - essential,
        scale: scale.map_or_else(Vec::new, |s| {
            s.levels()
                .iter()
                .map(|l| ScaleLevelDto {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    descriptor: l.descriptor.clone(),
                })
                .collect()
        }),
        scale_name: scale.map_or_else(String::new, |s| s.name().to_owned()),
        any_levels,
        any_emphasis: role.requirements.iter().any(|r| r.emphasis),
        links,
        others,
        reference: reference(&role.framework_key, &role.key, role.id.0),
        name,
        role: {
            let mut dto = RoleDto::from(&role);
            dto.esco = state
                .service
                .role_esco(role.id)
                .await?
                .as_deref()
                .map(EscoDto::from);
            dto
        },
    };
    Ok(state.templates.render("role.html", page))
}
