//! Pages for exploring frameworks: home, search, a role, a skill, two roles compared, and a job
//! description (as a printable page and as Markdown).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use rolemap_core::{Importance, LinkKind, ReuseLevel, Role};
use rolemap_service::dto::{
    ComparisonDto, EscoDto, FrameworkDto, JobDescriptionDto, PersonDto, RequirementDto, RoleDto,
    RoleSummaryDto, ScaleLevelDto, SkillDetailDto,
};
use rolemap_store::RoleFilter;
use serde::{Deserialize, Serialize};

use super::{PageQuery, PageResult, RolePicker, finish, framework_page, given, url};
use crate::state::AppState;

// ---------------------------------------------------------------------------------------------
// Home

#[derive(Debug, Serialize)]
struct FamilyGroup {
    name: Option<String>,
    roles: Vec<RoleSummaryDto>,
}

#[derive(Debug, Serialize)]
struct FrameworkGroup {
    framework: FrameworkDto,
    /// Empty for a large framework, whose roles are browsed on its own page instead.
    families: Vec<FamilyGroup>,
    /// Whether its roles are listed on its own page rather than here.
    browse: bool,
}

/// Frameworks with more roles than this are not listed on the home page, which would otherwise
/// grow by every role of ESCO; their roles are browsed letter by letter on their own page.
const HOME_ROLES_LIMIT: u64 = 60;

#[derive(Debug, Serialize)]
pub(crate) struct TeamLink {
    manager: PersonDto,
    size: usize,
}

#[derive(Debug, Serialize)]
struct HomePage {
    frameworks: Vec<FrameworkGroup>,
    people: usize,
    teams: Vec<TeamLink>,
}

pub(crate) async fn home(State(state): State<AppState>, uri: Uri) -> Response {
    let result = home_page(&state).await;
    finish(&state, &uri, result)
}

async fn home_page(state: &AppState) -> PageResult {
    let frameworks = state.service.frameworks().await?;
    let people = state.service.people().await?;
    let mut groups = Vec::new();
    for f in &frameworks {
        if f.role_count > HOME_ROLES_LIMIT {
            groups.push(FrameworkGroup {
                framework: FrameworkDto::from(f),
                families: Vec::new(),
                browse: true,
            });
            continue;
        }
        let roles = state
            .service
            .roles(&RoleFilter {
                framework: Some(f.key.clone()),
                ..RoleFilter::default()
            })
            .await?;
        // Families by name, roles by title; roles without a family come last.
        let mut families: BTreeMap<(bool, String), Vec<RoleSummaryDto>> = BTreeMap::new();
        for r in &roles {
            let key = (r.family.is_none(), r.family.clone().unwrap_or_default());
            families
                .entry(key)
                .or_default()
                .push(RoleSummaryDto::from(r));
        }
        let families = families
            .into_iter()
            .map(|((none, name), mut roles)| {
                roles.sort_by_key(|r| r.title.to_lowercase());
                FamilyGroup {
                    name: (!none).then_some(name),
                    roles,
                }
            })
            .collect();
        groups.push(FrameworkGroup {
            framework: FrameworkDto::from(f),
            families,
            browse: false,
        });
    }
    Ok(state.templates.render(
        "home.html",
        HomePage {
            frameworks: groups,
            people: people.len(),
            teams: teams(&people),
        },
    ))
}

/// Everyone who manages someone, with the size of their whole team (direct and indirect).
pub(crate) fn teams(people: &[rolemap_core::Person]) -> Vec<TeamLink> {
    use std::collections::{HashMap, HashSet};
    let mut reports: HashMap<rolemap_core::PersonId, Vec<rolemap_core::PersonId>> = HashMap::new();
    for p in people {
        if let Some((manager, _)) = &p.manager {
            reports.entry(*manager).or_default().push(p.id);
        }
    }
    let mut out: Vec<TeamLink> = people
        .iter()
        .filter(|m| reports.contains_key(&m.id))
        .map(|m| {
            let mut seen = HashSet::from([m.id]);
            let mut frontier = vec![m.id];
            while let Some(boss) = frontier.pop() {
                for &p in reports.get(&boss).map_or(&[][..], Vec::as_slice) {
                    if seen.insert(p) {
                        frontier.push(p);
                    }
                }
            }
            TeamLink {
                manager: PersonDto::from(m),
                size: seen.len() - 1,
            }
        })
        .collect();
    out.sort_by_key(|t| t.manager.name.to_lowercase());
    out
}

// ---------------------------------------------------------------------------------------------
// A framework's roles, letter by letter

#[derive(Debug, Deserialize)]
pub(crate) struct LetterQuery {
    letter: Option<String>,
}

/// One entry of the letter navigation: a–z, then `#` for titles that start otherwise.
#[derive(Debug, Serialize)]
struct LetterLink {
    label: String,
    href: String,
    count: usize,
    current: bool,
}

#[derive(Debug, Serialize)]
struct RoleEntry {
    href: String,
    title: String,
    /// Grades or level, where the framework gives them.
    detail: String,
}

#[derive(Debug, Serialize)]
struct FrameworkPage {
    framework: FrameworkDto,
    description: String,
    letters: Vec<LetterLink>,
    /// The letter shown ("A".."Z" or "#"), empty where the framework has no roles.
    letter: String,
    roles: Vec<RoleEntry>,
}

/// Where a title is filed: its first letter (a–z), or `#`.
fn initial(title: &str) -> char {
    match title.trim_start().chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_lowercase(),
        _ => '#',
    }
}

/// The address of a role or skill page: `framework:key`, or the id where the key is a URI (as
/// ESCO's are), which is shorter and reads no worse.
fn address(framework: &str, key: &str, id: i64) -> String {
    if key.contains("://") {
        id.to_string()
    } else {
        url::encode(&format!("{framework}:{key}"))
    }
}

pub(crate) async fn framework(
    State(state): State<AppState>,
    uri: Uri,
    Path(key): Path<String>,
    PageQuery(q): PageQuery<LetterQuery>,
) -> Response {
    framework_page(&state, &uri, framework_roles_page(&state, &key, q)).await
}

async fn framework_roles_page(state: &AppState, key: &str, q: LetterQuery) -> PageResult {
    // An unknown framework is a 404 with suggestions, from the service.
    let mut roles = state
        .service
        .roles(&RoleFilter {
            framework: Some(key.to_owned()),
            ..RoleFilter::default()
        })
        .await?;
    let frameworks = state.service.frameworks().await?;
    // Several versions of a framework: the latest stored speaks for it.
    let Some(framework) = frameworks.iter().rev().find(|f| f.key == key) else {
        return Err(rolemap_service::ServiceError::NotFound {
            what: "framework",
            name: key.to_owned(),
            suggestions: Vec::new(),
        }
        .into());
    };
    let wanted = match given(&q.letter) {
        None => None,
        Some(text) => {
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_alphabetic() || c == '#' => {
                    Some(c.to_ascii_lowercase())
                }
                _ => {
                    return Err(rolemap_service::ServiceError::invalid(
                        "letter",
                        format!("“{text}” is not a letter: give one of a to z, or # for the rest"),
                    )
                    .into());
                }
            }
        }
    };
    roles.sort_by_cached_key(|r| (r.title.to_lowercase(), r.id.0));
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    for r in &roles {
        *counts.entry(initial(&r.title)).or_default() += 1;
    }
    // By default the first letter that has roles (`#` sorts before the letters, so comes last).
    let letter = wanted.or_else(|| {
        counts
            .keys()
            .copied()
            .find(char::is_ascii_alphabetic)
            .or_else(|| counts.keys().next().copied())
    });
    let path = format!("/frameworks/{}", url::encode(key));
    let letters = ('a'..='z')
        .chain(['#'])
        .map(|c| LetterLink {
            label: c.to_ascii_uppercase().to_string(),
            href: url::with_query(&path, &[("letter", Some(&c.to_string()))]),
            count: counts.get(&c).copied().unwrap_or(0),
            current: Some(c) == letter,
        })
        .collect();
    let entries = roles
        .iter()
        .filter(|r| Some(initial(&r.title)) == letter)
        .map(|r| RoleEntry {
            href: format!("/roles/{}", address(&r.framework_key, &r.key, r.id.0)),
            title: r.title.clone(),
            detail: if r.grades.is_empty() {
                r.level.map_or_else(String::new, |l| format!("level {l}"))
            } else {
                r.grades.join(", ")
            },
        })
        .collect();
    Ok(state.templates.render(
        "framework.html",
        FrameworkPage {
            framework: FrameworkDto::from(framework),
            description: framework.description.clone(),
            letters,
            letter: letter.map_or_else(String::new, |c| c.to_ascii_uppercase().to_string()),
            roles: entries,
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// Search

#[derive(Debug, Deserialize)]
pub(crate) struct SearchQuery {
    q: Option<String>,
}

#[derive(Debug, Serialize)]
struct Hit {
    href: String,
    label: String,
    framework: String,
    matched: Option<String>,
    /// Which text matched, when not the preferred label.
    field: &'static str,
}

/// Results on the search page.
const SEARCH_PAGE_LIMIT: usize = 50;

#[derive(Debug, Serialize)]
struct SearchPage {
    q: String,
    searched: bool,
    roles: Vec<Hit>,
    skills: Vec<Hit>,
    people: Vec<Hit>,
    attributions: Vec<String>,
}

pub(crate) async fn search(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(q): PageQuery<SearchQuery>,
) -> Response {
    let result = search_page(&state, q).await;
    finish(&state, &uri, result)
}

async fn search_page(state: &AppState, q: SearchQuery) -> PageResult {
    let text = given(&q.q).unwrap_or_default().to_owned();
    let mut page = SearchPage {
        q: text.clone(),
        searched: !text.is_empty(),
        roles: Vec::new(),
        skills: Vec::new(),
        people: Vec::new(),
        attributions: Vec::new(),
    };
    if !text.is_empty() {
        let results = state
            .service
            .search(&rolemap_service::SearchInput {
                text: text.clone(),
                kind: None,
                framework: None,
                limit: SEARCH_PAGE_LIMIT,
            })
            .await?;
        for r in results {
            let role = r.kind == rolemap_store::ConceptKind::Role;
            let hit = Hit {
                href: format!(
                    "/{}/{}",
                    if role { "roles" } else { "skills" },
                    address(&r.framework, &r.key, r.id)
                ),
                matched: (r.field != "preferred").then(|| r.matched.clone()),
                field: match r.field {
                    "alternative" => "alternative label",
                    "hidden" => "hidden label",
                    "description" => "description",
                    _ => "",
                },
                label: r.label,
                framework: r.framework,
            };
            if role {
                page.roles.push(hit);
            } else {
                page.skills.push(hit);
            }
        }
        let lower = text.to_lowercase();
        page.people = state
            .service
            .people()
            .await?
            .iter()
            .filter(|p| p.name.to_lowercase().contains(&lower))
            .map(|p| Hit {
                href: format!("/people/{}", url::encode(&p.key)),
                label: p.name.clone(),
                framework: p.team.clone(),
                matched: None,
                field: "",
            })
            .collect();
        let keys: Vec<String> = page
            .roles
            .iter()
            .chain(&page.skills)
            .map(|h| h.framework.clone())
            .collect();
        page.attributions = super::attributions(state, keys.iter().map(String::as_str)).await?;
    }
    Ok(state.templates.render("search.html", page))
}

// ---------------------------------------------------------------------------------------------
// Role

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
}

pub(crate) async fn similar(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let build = async {
        let similar = state.service.similar(&id, None, SIMILAR_PAGE_LIMIT).await?;
        Ok(state.templates.render(
            "similar.html",
            SimilarPage {
                framework_name: similar.role.framework_name.clone(),
                attribution: similar.role.attribution.clone(),
                similar: rolemap_service::dto::SimilarDto::from(&similar),
            },
        ))
    };
    framework_page(&state, &uri, build).await
}

#[derive(Debug, Serialize)]
struct ProgressionPage<'a> {
    map: &'a rolemap_service::dto::SimilarDto,
    /// The drawing, built by `map.rs` with its text escaped.
    svg: minijinja::Value,
    /// The map's roles band by band, top first: (band name, roles).
    bands: Vec<(&'static str, Vec<&'a rolemap_service::dto::NeighbourDto>)>,
    framework_name: String,
    attribution: String,
}

/// A role's progression map: the drawing, and the same roles in a table band by band.
pub(crate) async fn progression(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let build = async {
        let map = state
            .service
            .progression(&id, None, SIMILAR_PAGE_LIMIT)
            .await?;
        let dto = rolemap_service::dto::SimilarDto::from(&map);
        let svg = minijinja::Value::from_safe_string(super::progression_svg(&dto));
        let bands = [
            ("above", "Above"),
            ("same level", "Same level"),
            ("below", "Below"),
            ("level unknown", "Level unknown"),
        ]
        .into_iter()
        .map(|(level, name)| {
            let members: Vec<_> = dto.neighbours.iter().filter(|n| n.level == level).collect();
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
    uri: Uri,
    PageQuery(q): PageQuery<RoutesQuery>,
) -> Response {
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

// ---------------------------------------------------------------------------------------------
// Skill

#[derive(Debug, Serialize)]
struct SkillPage {
    skill: SkillDetailDto,
}

pub(crate) async fn skill(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let build = async {
        let detail = state.service.skill(&id, None).await?;
        Ok(state.templates.render(
            "skill.html",
            SkillPage {
                skill: SkillDetailDto::from(&detail),
            },
        ))
    };
    framework_page(&state, &uri, build).await
}

// ---------------------------------------------------------------------------------------------
// Compare

#[derive(Debug, Deserialize)]
pub(crate) struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
    /// The grades of the step from A to B (defaults: A's top, B's entry).
    grade_a: Option<String>,
    grade_b: Option<String>,
}

#[derive(Debug, Serialize)]
struct SharedRow {
    label: String,
    href: String,
    a_importance: &'static str,
    b_importance: &'static str,
    /// The grades each role is found at, with its level there.
    a_levels: Vec<(String, LevelCell)>,
    b_levels: Vec<(String, LevelCell)>,
    /// B's level minus A's, at the grades both give a level for.
    differences: Vec<(String, i16)>,
    /// Whether the roles share any grade at all.
    common_grades: bool,
    /// For roles without grades.
    a_level: LevelCell,
    b_level: LevelCell,
    /// The levels at the step's grades, and B's rank minus A's where both give one.
    step_a: LevelCell,
    step_b: LevelCell,
    step_difference: Option<i16>,
}

#[derive(Debug, Serialize)]
struct OneSidedRow {
    label: String,
    href: String,
    importance: &'static str,
    levels: Vec<(String, LevelCell)>,
}

#[derive(Debug, Serialize)]
struct ComparePage {
    choices: RolePicker,
    a: String,
    b: String,
    comparison: Option<ComparisonDto>,
    differing: usize,
    /// Whether any shared skill is found at a grade both roles have.
    any_common_grade: bool,
    shared: Vec<SharedRow>,
    only_a: Vec<OneSidedRow>,
    only_b: Vec<OneSidedRow>,
}

fn skill_href(framework: &str, key: &str) -> String {
    format!("/skills/{}", url::encode(&format!("{framework}:{key}")))
}

fn one_sided(framework: &str, list: &[rolemap_core::compare::OneSided]) -> Vec<OneSidedRow> {
    list.iter()
        .map(|o| OneSidedRow {
            label: o.skill.label.clone(),
            href: skill_href(framework, &o.skill.key),
            importance: o.importance.as_str(),
            levels: o
                .levels
                .iter()
                .map(|(g, l)| (g.clone(), LevelCell::of(l)))
                .collect(),
        })
        .collect()
}

pub(crate) async fn compare(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(q): PageQuery<CompareQuery>,
) -> Response {
    framework_page(&state, &uri, compare_page(&state, q)).await
}

async fn compare_page(state: &AppState, q: CompareQuery) -> PageResult {
    let mut page = ComparePage {
        choices: RolePicker::new(state).await?,
        a: given(&q.a).unwrap_or_default().to_owned(),
        b: given(&q.b).unwrap_or_default().to_owned(),
        comparison: None,
        differing: 0,
        any_common_grade: false,
        shared: Vec::new(),
        only_a: Vec::new(),
        only_b: Vec::new(),
    };
    if let (Some(a), Some(b)) = (given(&q.a), given(&q.b)) {
        let c = state
            .service
            .compare_at(a, b, given(&q.grade_a), given(&q.grade_b))
            .await?;
        page.a = page
            .choices
            .value_of(state, &RoleSummaryDto::from(&c.a))
            .await;
        page.b = page
            .choices
            .value_of(state, &RoleSummaryDto::from(&c.b))
            .await;
        page.differing = c
            .facts
            .iter()
            .chain(&c.dimensions)
            .filter(|s| s.differs())
            .count();
        page.shared = c
            .shared
            .iter()
            .map(|s| SharedRow {
                label: s.skill.label.clone(),
                href: skill_href(&c.a.framework_key, &s.skill.key),
                a_importance: s.a_importance.as_str(),
                b_importance: s.b_importance.as_str(),
                a_levels: s
                    .grades
                    .iter()
                    .filter_map(|g| g.a.as_ref().map(|l| (g.grade.clone(), LevelCell::of(l))))
                    .collect(),
                b_levels: s
                    .grades
                    .iter()
                    .filter_map(|g| g.b.as_ref().map(|l| (g.grade.clone(), LevelCell::of(l))))
                    .collect(),
                differences: s
                    .grades
                    .iter()
                    .filter_map(|g| g.difference.map(|d| (g.grade.clone(), d)))
                    .collect(),
                common_grades: s.grades.iter().any(|g| g.a.is_some() && g.b.is_some()),
                a_level: LevelCell::of(&s.a_level),
                b_level: LevelCell::of(&s.b_level),
                step_a: LevelCell::of(&s.step.a),
                step_b: LevelCell::of(&s.step.b),
                step_difference: s.step.difference,
            })
            .collect();
        page.any_common_grade = page.shared.iter().any(|s| s.common_grades);
        page.only_a = one_sided(&c.a.framework_key, &c.only_a);
        page.only_b = one_sided(&c.b.framework_key, &c.only_b);
        page.comparison = Some(ComparisonDto::from(&c));
    }
    Ok(state.templates.render("compare.html", page))
}

// ---------------------------------------------------------------------------------------------
// Job description

#[derive(Debug, Deserialize)]
pub(crate) struct GradeQuery {
    grade: Option<String>,
}

#[derive(Debug, Serialize)]
struct JdPage {
    role: RoleSummaryDto,
    name: String,
    grade: Option<String>,
    jd: Option<JobDescriptionDto>,
    markdown_href: String,
    grade_error: Option<String>,
}

pub(crate) async fn job_description(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
    PageQuery(q): PageQuery<GradeQuery>,
) -> Response {
    let result = jd_page(&state, &id, q).await;
    finish(&state, &uri, result)
}

async fn jd_page(state: &AppState, id: &str, q: GradeQuery) -> PageResult {
    let role = state.service.role(id, None).await?;
    let name = format!("{}:{}", role.framework_key, role.key);
    let summary = super::summary_of(&role);
    let grade = given(&q.grade).map(str::to_owned);
    let mut page = JdPage {
        role: summary,
        markdown_href: url::with_query(
            &format!("/roles/{}/jd.md", url::encode(&name)),
            &[("grade", grade.as_deref())],
        ),
        name,
        grade: grade.clone(),
        jd: None,
        grade_error: None,
    };
    // A graded role needs a grade: show the picker until one is chosen.
    if role.grades.is_empty() || grade.is_some() {
        match state
            .service
            .job_description(&page.name, grade.as_deref())
            .await
        {
            Ok(jd) => {
                page.grade.clone_from(&jd.grade);
                page.jd = Some(JobDescriptionDto::from(&jd));
            }
            Err(rolemap_service::ServiceError::Invalid { field, message }) if field == "grade" => {
                page.grade_error = Some(message);
                return Ok(state.templates.render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "jd.html",
                    page,
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(state.templates.render("jd.html", page))
}

pub(crate) async fn job_description_markdown(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
    PageQuery(q): PageQuery<GradeQuery>,
) -> Response {
    let result = async {
        let jd = state.service.job_description(&id, given(&q.grade)).await?;
        let mut file = rolemap_service::slug(&jd.title);
        if let Some(grade) = &jd.grade {
            file.push('-');
            file.push_str(&rolemap_service::slug(grade));
        }
        file.push_str(".md");
        Ok(super::download(
            "text/markdown; charset=utf-8",
            &file,
            rolemap_formats::jd::to_markdown(&jd),
        ))
    }
    .await;
    finish(&state, &uri, result)
}
