//! Pages about people: the list, a person, the gap to a role (with the radar), a manager's team
//! (heatmap, single points of failure, training needs, succession, CSV), and the self-assessment
//! form.

use std::collections::HashMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use rolemap_core::gap::GapReport;
use rolemap_core::{Role, Source};
use rolemap_service::dto::{
    AssessmentDto, GapDto, HeldDto, PersonDetailDto, PersonDto, RoleSummaryDto, TeamMatrixDto,
};
use rolemap_service::{AssessmentInput, PersonDetail, PersonInput, ServiceError};
use serde::{Deserialize, Serialize};

use super::browse::{TeamLink, teams};
use super::svg::{self, Radar, RadarAxis};
use super::{Choice, PageQuery, PageResult, RolePicker, finish, given, url};
use crate::error::ApiError;
use crate::state::AppState;

fn role_name(role: &RoleSummaryDto) -> String {
    format!("{}:{}", role.framework, role.key)
}

fn gap_href(person_key: &str, target: Option<&str>, grade: Option<&str>) -> String {
    url::with_query(
        &format!("/people/{}/gap", url::encode(person_key)),
        &[("target", target), ("grade", grade)],
    )
}

// ---------------------------------------------------------------------------------------------
// People

#[derive(Debug, Serialize)]
struct PeoplePage {
    people: Vec<PersonDto>,
    teams: Vec<TeamLink>,
    attributions: Vec<String>,
}

pub(crate) async fn people(State(state): State<AppState>, uri: Uri) -> Response {
    let result = async {
        let mut list = state.service.people().await?;
        list.sort_by_key(|p| p.name.to_lowercase());
        let attributions = super::attributions(
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

// ---------------------------------------------------------------------------------------------
// A person

#[derive(Debug, Serialize)]
struct PersonPage {
    person: PersonDto,
    current: Vec<HeldDto>,
    /// Newest first.
    history: Vec<AssessmentDto>,
    reports: Vec<PersonDto>,
    manages: bool,
    gap_href: Option<String>,
    assess_href: String,
    attributions: Vec<String>,
}

pub(crate) async fn person(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let detail = state.service.person_detail(&id).await?;
        let everyone = state.service.people().await?;
        let mut reports: Vec<PersonDto> = everyone
            .iter()
            .filter(|p| {
                p.manager
                    .as_ref()
                    .is_some_and(|(m, _)| *m == detail.person.id)
            })
            .map(PersonDto::from)
            .collect();
        reports.sort_by_key(|p| p.name.to_lowercase());
        // The frameworks of their role and of every skill assessed.
        let mut keys: Vec<String> = detail
            .person
            .role
            .iter()
            .map(|r| r.framework_key.clone())
            .collect();
        let mut skills: Vec<i64> = detail.history.iter().map(|a| a.skill.0).collect();
        skills.sort_unstable();
        skills.dedup();
        for id in skills {
            if let Some(f) = state.service.skill(&id.to_string(), None).await?.framework {
                keys.push(f.key);
            }
        }
        let attributions = super::attributions(&state, keys.iter().map(String::as_str)).await?;
        let dto = PersonDetailDto::from(&detail);
        let mut history = dto.history;
        history.reverse();
        let own = dto.person.role.as_ref().map(role_name);
        Ok(state.templates.render(
            "person.html",
            PersonPage {
                gap_href: own.as_ref().map(|_| gap_href(&dto.person.key, None, None)),
                assess_href: url::with_query(
                    "/assess",
                    &[
                        ("person", Some(dto.person.key.as_str())),
                        ("role", own.as_deref()),
                    ],
                ),
                manages: !reports.is_empty(),
                attributions,
                reports,
                current: dto.current,
                history,
                person: dto.person,
            },
        ))
    }
    .await;
    finish(&state, &uri, result)
}

// ---------------------------------------------------------------------------------------------
// Gap

#[derive(Debug, Deserialize)]
pub(crate) struct GapQuery {
    target: Option<String>,
    grade: Option<String>,
}

#[derive(Debug, Serialize)]
struct GapPage {
    person: PersonDto,
    gap: GapDto,
    target: String,
    /// For a role whose requirements carry levels.
    radar: Option<minijinja::Value>,
    /// For a role whose requirements carry none (ESCO): held, not held or not assessed, grouped
    /// as ESCO groups an occupation's skills.
    checklist: Vec<CheckGroup>,
    choices: RolePicker,
    assess_href: String,
}

#[derive(Debug, Serialize)]
struct CheckGroup {
    title: &'static str,
    count: usize,
    held: usize,
    buckets: Vec<CheckBucket>,
}

#[derive(Debug, Serialize)]
struct CheckBucket {
    name: &'static str,
    items: Vec<CheckItem>,
}

#[derive(Debug, Serialize)]
struct CheckItem {
    label: String,
    href: String,
    /// held, not-held or unassessed.
    state: &'static str,
    symbol: &'static str,
    words: &'static str,
    /// Who said so and when ("manager, 2026-03-02"), with any mapping it came through.
    said: Option<String>,
}

/// True where no requirement carries levels: every skill is held or not (ESCO's have no scale),
/// so a radar would have nothing to plot but "held".
fn without_levels(report: &GapReport) -> bool {
    !report.lines.is_empty()
        && report
            .lines
            .iter()
            .all(|l| l.skill.scale.as_ref().is_none_or(|s| s.levels().len() <= 1))
}

/// The checklist of a role without levels, in ESCO's groups and reuse buckets.
fn checklist_of(role: &Role, report: &GapReport) -> Vec<CheckGroup> {
    let line_of = |id: rolemap_core::SkillId| report.lines.iter().find(|l| l.skill.id == id);
    role.requirement_groups()
        .into_iter()
        .map(|group| {
            let buckets: Vec<CheckBucket> = group
                .buckets
                .into_iter()
                .map(|(reuse, requirements)| CheckBucket {
                    name: reuse.map_or("reuse level not given", rolemap_core::ReuseLevel::as_str),
                    items: requirements
                        .iter()
                        .filter_map(|r| line_of(r.skill.id))
                        .map(|l| {
                            let (state, symbol, words) = match &l.held {
                                None => ("unassessed", "?", "Not assessed"),
                                Some(h) if h.current.level.is_none() => {
                                    ("not-held", "✗", "Not held")
                                }
                                Some(_) => ("held", "✓", "Held"),
                            };
                            CheckItem {
                                label: l.skill.label.clone(),
                                href: format!("/skills/{}", l.skill.id.0),
                                state,
                                symbol,
                                words,
                                said: l.held.as_ref().map(|h| {
                                    let mut said =
                                        format!("{}, {}", h.current.source, h.current.date());
                                    if let Some(via) = &h.via {
                                        said.push_str(&format!(
                                            ", as {}, mapped {}",
                                            h.current.skill_label,
                                            via.kind.as_str()
                                        ));
                                    }
                                    said
                                }),
                            }
                        })
                        .collect(),
                })
                .collect();
            CheckGroup {
                title: group.title,
                count: group.count,
                held: buckets
                    .iter()
                    .flat_map(|b| &b.items)
                    .filter(|i| i.state == "held")
                    .count(),
                buckets,
            }
        })
        .collect()
}

fn level_text(level: &rolemap_core::Level) -> String {
    format!("{} ({})", level.name(), level.code())
}

/// The radar for a gap report: one axis per requirement, on each skill's own scale.
fn radar_of(person: &str, report: &GapReport) -> String {
    let scale_of = |l: &rolemap_core::gap::GapLine| {
        l.skill
            .scale
            .clone()
            .unwrap_or_else(rolemap_core::Scale::presence)
    };
    let first = report.lines.first().map(scale_of);
    // Rings are named after the levels when every axis shares one scale of several levels.
    let shared = first.as_ref().filter(|s| {
        s.levels().len() > 1 && report.lines.iter().all(|l| scale_of(l).key() == s.key())
    });
    let at = report
        .grade
        .as_ref()
        .map_or_else(String::new, |g| format!(" at {g}"));
    let axes = report
        .lines
        .iter()
        .map(|l| {
            let scale = scale_of(l);
            RadarAxis {
                label: l.skill.label.clone(),
                max: u8::try_from(scale.levels().len()).unwrap_or(u8::MAX),
                // Where no minimum is published, any assessment meets it: the lowest level.
                required: l.required.level().map_or(1, rolemap_core::Level::rank),
                held: l.held.as_ref().map(|h| h.current.level.rank()),
                required_text: l
                    .required
                    .level()
                    .map_or_else(|| "no minimum published".to_owned(), level_text),
                held_text: l.held.as_ref().map_or_else(
                    || "not assessed".to_owned(),
                    |h| {
                        format!(
                            "{}, {}, {}",
                            held_words(&h.current.level),
                            h.current.source.as_str(),
                            h.current.at.chars().take(10).collect::<String>()
                        )
                    },
                ),
            }
        })
        .collect::<Vec<_>>();
    let summary = axes
        .iter()
        .map(|a| {
            format!(
                "{}: required {}, assessed {}",
                a.label, a.required_text, a.held_text
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    svg::radar(&Radar {
        title: format!(
            "{person} against {}{at}: required and assessed levels per skill",
            report.role.title
        ),
        description: format!("{summary}. The table below gives the same figures."),
        required_legend: format!("Required for {}{at}", report.role.title),
        held_legend: format!("{person}: current level"),
        ring_labels: shared.map_or_else(Vec::new, |s| {
            s.levels().iter().map(|l| l.code.clone()).collect()
        }),
        axes,
    })
}

pub(crate) async fn gap(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
    PageQuery(q): PageQuery<GapQuery>,
) -> Response {
    let result = async {
        let person = state.service.person(&id).await?;
        let report = state
            .service
            .gap(&person.key, given(&q.target), given(&q.grade))
            .await?;
        let dto = GapDto::from(&report);
        let target = role_name(&dto.role);
        let choices = RolePicker::for_gap(&state, report.role.id).await?;
        let value = choices.value_of(&state, &dto.role).await;
        let (radar, checklist) = if without_levels(&report) {
            let role = state.service.role_shared(&target, None).await?;
            (None, checklist_of(&role, &report))
        } else {
            let radar = radar_of(&person.name, &report);
            (Some(minijinja::Value::from_safe_string(radar)), Vec::new())
        };
        Ok(state.templates.render(
            "gap.html",
            GapPage {
                radar,
                checklist,
                assess_href: url::with_query(
                    "/assess",
                    &[
                        ("person", Some(person.key.as_str())),
                        ("role", Some(target.as_str())),
                        ("grade", dto.grade.as_deref()),
                    ],
                ),
                choices,
                person: PersonDto::from(&person),
                target: value,
                gap: dto,
            },
        ))
    }
    .await;
    finish(&state, &uri, result)
}

// ---------------------------------------------------------------------------------------------
// Team

#[derive(Debug, Deserialize)]
pub(crate) struct TeamQuery {
    role: Option<String>,
    grade: Option<String>,
}

#[derive(Debug, Serialize)]
struct HeatCell {
    /// below, unassessed, met, above, or none (not required of this person).
    status: &'static str,
    symbol: &'static str,
    text: String,
    words: String,
}

#[derive(Debug, Serialize)]
struct HeatRow {
    person: PersonDto,
    readiness: Option<f64>,
    gap_href: String,
    cells: Vec<HeatCell>,
}

#[derive(Debug, Serialize)]
struct SkillHead {
    label: String,
    href: String,
}

#[derive(Debug, Serialize)]
struct TeamPage {
    matrix: TeamMatrixDto,
    skills: Vec<SkillHead>,
    rows: Vec<HeatRow>,
    levels: String,
    choices: RolePicker,
    role: String,
    grades: Vec<String>,
    grade: String,
    notice: Option<String>,
    csv_href: String,
    attributions: Vec<String>,
}

fn symbol(status: &str) -> &'static str {
    match status {
        "met" => "✓",
        "above" => "▲",
        "below" => "▼",
        "unassessed" => "?",
        _ => "·",
    }
}

fn heat_rows(core: &rolemap_core::matrix::TeamMatrix, m: &TeamMatrixDto) -> Vec<HeatRow> {
    core.rows
        .iter()
        .zip(&m.rows)
        .map(|(core_row, row)| HeatRow {
            gap_href: gap_href(&row.person.key, None, None),
            cells: row
                .cells
                .iter()
                .zip(&m.skills)
                .map(|(c, skill)| {
                    let status = c.status.unwrap_or("none");
                    let held = c.held.as_deref().unwrap_or("–");
                    let required = c.required.as_deref().unwrap_or("–");
                    let words = match c.status {
                        None => format!(
                            "{}, {}: not required by their role; held {held}",
                            row.person.name, skill.label
                        ),
                        Some(s) => format!(
                            "{}, {}: held {held}, required {required}, {s}",
                            row.person.name, skill.label
                        ),
                    };
                    HeatCell {
                        status,
                        symbol: symbol(status),
                        text: format!("{held} / {required}"),
                        words,
                    }
                })
                .collect(),
            readiness: row.readiness,
            person: PersonDto::from(&core_row.person),
        })
        .collect()
}

/// A CSV field, quoted where needed; text a spreadsheet would run as a formula is defused.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) || text.trim() != text {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// person, role, grade, readiness, then held/required per skill.
fn team_csv(m: &TeamMatrixDto) -> String {
    let mut out = String::new();
    let mut header = vec![
        "person".to_owned(),
        "role".to_owned(),
        "grade".to_owned(),
        "readiness".to_owned(),
    ];
    header.extend(m.skills.iter().map(|s| s.label.clone()));
    let line = |fields: Vec<String>| {
        fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",")
    };
    out.push_str(&line(header));
    out.push_str("\r\n");
    for row in &m.rows {
        let mut fields = vec![
            row.person.name.clone(),
            row.person
                .role
                .as_ref()
                .map_or_else(String::new, |r| r.title.clone()),
            row.person.grade.clone().unwrap_or_default(),
            row.readiness
                .map_or_else(String::new, |r| format!("{r:.1}")),
        ];
        fields.extend(row.cells.iter().map(|c| {
            if c.held.is_none() && c.required.is_none() && c.status.is_none() {
                String::new()
            } else {
                format!(
                    "{}/{}",
                    c.held.as_deref().unwrap_or("–"),
                    c.required.as_deref().unwrap_or("–")
                )
            }
        }));
        out.push_str(&line(fields));
        out.push_str("\r\n");
    }
    out
}

pub(crate) async fn team(
    State(state): State<AppState>,
    uri: Uri,
    Path(manager): Path<String>,
    PageQuery(q): PageQuery<TeamQuery>,
) -> Response {
    let result = async {
        if let Some(key) = manager.strip_suffix(".csv") {
            let m = state
                .service
                .team_matrix(key, given(&q.role), given(&q.grade))
                .await?;
            let dto = TeamMatrixDto::from(&m);
            return Ok(super::download(
                "text/csv; charset=utf-8",
                &format!("team-{}.csv", dto.manager.key),
                team_csv(&dto),
            ));
        }
        let mut notice = None;
        let matrix = match state
            .service
            .team_matrix(&manager, given(&q.role), given(&q.grade))
            .await
        {
            // A grade the chosen role does not have (say after switching roles): its default.
            Err(ServiceError::Invalid { field, message }) if field == "grade" => {
                notice = Some(format!("{message}; showing the default grade instead."));
                state
                    .service
                    .team_matrix(&manager, given(&q.role), None)
                    .await?
            }
            other => other?,
        };
        let dto = TeamMatrixDto::from(&matrix);
        let levels = matrix
            .skills
            .iter()
            .find_map(|s| s.scale.as_ref())
            .map(rolemap_core::Scale::valid_list)
            .unwrap_or_default();
        let mut keys: Vec<&str> = matrix
            .rows
            .iter()
            .filter_map(|r| r.person.role.as_ref().map(|r| r.framework_key.as_str()))
            .collect();
        if let Some(s) = &matrix.succession {
            keys.push(&s.role.framework_key);
        }
        let attributions = super::attributions(&state, keys).await?;
        let choices = RolePicker::new(&state).await?;
        let (role, grades, grade) = match &dto.succession {
            Some(s) => (
                choices.value_of(&state, &s.role).await,
                s.role.grades.clone(),
                s.grade.clone().unwrap_or_default(),
            ),
            None => (String::new(), Vec::new(), String::new()),
        };
        let page = TeamPage {
            skills: dto
                .skills
                .iter()
                .map(|s| SkillHead {
                    label: s.label.clone(),
                    href: format!("/skills/{}", s.id),
                })
                .collect(),
            rows: heat_rows(&matrix, &dto),
            levels,
            choices,
            role,
            grades,
            grade,
            notice,
            csv_href: url::with_query(
                &format!("/teams/{}.csv", url::encode(&dto.manager.key)),
                &[("role", given(&q.role)), ("grade", given(&q.grade))],
            ),
            attributions,
            matrix: dto,
        };
        Ok(state.templates.render("team.html", page))
    }
    .await;
    finish(&state, &uri, result)
}

// ---------------------------------------------------------------------------------------------
// Self-assessment

#[derive(Debug, Deserialize)]
pub(crate) struct AssessQuery {
    role: Option<String>,
    grade: Option<String>,
    person: Option<String>,
    /// A newcomer's name, carried when they change role or grade before saving.
    new_name: Option<String>,
}

#[derive(Debug, Serialize)]
struct LevelOption {
    id: String,
    code: String,
    name: String,
    descriptor: String,
    checked: bool,
}

#[derive(Debug, Serialize)]
struct AssessItem {
    skill_id: i64,
    label: String,
    href: String,
    description: String,
    importance: &'static str,
    emphasis: bool,
    /// The level the role asks at the chosen grade, in words.
    required: Option<String>,
    /// The person's own latest self-rating, in words (what the form starts from).
    saved: Option<String>,
    /// The latest rating of each other source (manager, evidence), in words.
    views: Vec<String>,
    field: String,
    options: Vec<LevelOption>,
    /// "I do not have this": the held level none, a gap; apart from leaving the skill out.
    none_option: LevelOption,
    /// Not rated: left out, so it stays as it was (unassessed, or the earlier rating).
    unrated_checked: bool,
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct FieldError {
    target: String,
    message: String,
}

#[derive(Debug, Serialize)]
struct AssessPage {
    people: Vec<Choice>,
    person: String,
    new_name: String,
    roles: RolePicker,
    role: Option<RoleSummaryDto>,
    /// `framework:key`, for the ratings form.
    role_value: String,
    /// What the role field holds.
    role_field: String,
    attribution: String,
    grades: Vec<String>,
    grade: String,
    items: Vec<AssessItem>,
    note: String,
    errors: Vec<FieldError>,
    person_error: Option<String>,
    grade_error: Option<String>,
    /// People already stored under the new name typed, to choose instead of adding someone.
    namesakes: Vec<Choice>,
    same_name: bool,
    /// Said when a save changed nothing.
    notice: Option<String>,
    gap_href: Option<String>,
}

/// What the form shows and holds: the choices made so far and any problems found with them.
#[derive(Debug, Default)]
struct AssessState {
    person: String,
    new_name: String,
    grade: String,
    note: String,
    /// skill id -> level code chosen.
    chosen: HashMap<i64, String>,
    /// skill id -> (level code, in words) of the person's own latest self-rating.
    own: HashMap<i64, (String, String)>,
    /// skill id -> the latest rating of each other source, in words.
    views: HashMap<i64, Vec<String>>,
    person_error: Option<String>,
    grade_error: Option<String>,
    item_errors: HashMap<i64, String>,
    form_error: Option<String>,
    namesakes: Vec<Choice>,
    same_name: bool,
    notice: Option<String>,
    gap_href: Option<String>,
}

impl AssessState {
    /// Reads the person's record: their own latest self-rating of each skill, and the other
    /// sources' latest views. A self-assessment starts from the person's own answers, never from
    /// a manager's, so saving it unchanged cannot restate a manager's view as their own.
    fn read_record(&mut self, detail: &PersonDetail) {
        let words = |a: &rolemap_core::Assessment| {
            format!(
                "{}, {}",
                held_words(&a.level),
                a.at.chars().take(10).collect::<String>()
            )
        };
        // History is oldest first, so the last self-rating of a skill is the latest.
        for a in detail
            .history
            .iter()
            .filter(|a| a.source == Source::SelfAssessed)
        {
            self.own
                .insert(a.skill.0, (a.level.code().to_owned(), words(a)));
        }
        for held in &detail.current {
            let views = std::iter::once(&held.current)
                .chain(&held.others)
                .filter(|a| a.source != Source::SelfAssessed)
                .map(|a| {
                    let who = match a.source {
                        Source::Manager => "Your manager’s rating",
                        _ => "Evidence",
                    };
                    format!("{who}: {}", words(a))
                })
                .collect();
            self.views.insert(held.current.skill.0, views);
        }
    }
}

/// A held level in words: "Working (W)", or "None (not held)".
fn held_words(level: &rolemap_core::Level) -> String {
    if level.is_none() {
        "None (not held)".to_owned()
    } else {
        level_text(level)
    }
}

/// "Priya Sharma (Team Leader, HEO)": a name with what tells namesakes apart.
fn person_label(p: &rolemap_core::Person) -> String {
    match (&p.role, &p.grade) {
        (Some(r), Some(g)) => format!("{} ({}, {g})", p.name, r.title),
        (Some(r), None) => format!("{} ({})", p.name, r.title),
        _ => format!("{} ({})", p.name, p.key),
    }
}

fn field_of(skill: i64) -> String {
    format!("level-{skill}")
}

async fn assess_page(
    state: &AppState,
    role: Option<&Role>,
    form: AssessState,
) -> Result<AssessPage, ApiError> {
    let mut people = state.service.people().await?;
    people.sort_by_key(|p| p.name.to_lowercase());
    let people = people
        .iter()
        .map(|p| Choice {
            value: p.key.clone(),
            label: person_label(p),
            group: String::new(),
        })
        .collect();
    let grade = (!form.grade.is_empty()).then_some(form.grade.as_str());
    let items = role.map_or_else(Vec::new, |role| {
        role.requirements
            .iter()
            .map(|r| {
                let id = r.skill.id.0;
                let field = field_of(id);
                let scale = r
                    .skill
                    .scale
                    .clone()
                    .unwrap_or_else(rolemap_core::Scale::presence);
                let chosen = form.chosen.get(&id);
                let none = rolemap_core::Level::none();
                let none_option = LevelOption {
                    id: format!("{field}-none"),
                    code: none.code().to_owned(),
                    // On a held-or-not scale "not held" says it; elsewhere, no level at all.
                    name: if scale.levels().len() == 1 {
                        "Not held".to_owned()
                    } else {
                        "None".to_owned()
                    },
                    descriptor: "I do not have this skill. Counts as a gap.".to_owned(),
                    checked: chosen.is_some_and(|c| c.eq_ignore_ascii_case(none.code())),
                };
                let options: Vec<LevelOption> = scale
                    .levels()
                    .iter()
                    .map(|l| LevelOption {
                        id: format!("{field}-{}", url::encode(&l.code)),
                        code: l.code.clone(),
                        name: l.name.clone(),
                        descriptor: l.descriptor.clone(),
                        checked: chosen.is_some_and(|c| c.eq_ignore_ascii_case(&l.code)),
                    })
                    .collect();
                AssessItem {
                    skill_id: id,
                    label: r.skill.label.clone(),
                    href: format!(
                        "/skills/{}",
                        url::encode(&format!("{}:{}", role.framework_key, r.skill.key))
                    ),
                    description: r.skill.description.clone(),
                    importance: r.importance.as_str(),
                    emphasis: r.emphasis,
                    required: r.required_at(grade).level().map(level_text),
                    saved: form.own.get(&id).map(|(_, words)| words.clone()),
                    views: form.views.get(&id).cloned().unwrap_or_default(),
                    unrated_checked: !none_option.checked && !options.iter().any(|o| o.checked),
                    none_option,
                    error: form.item_errors.get(&id).cloned(),
                    field,
                    options,
                }
            })
            .collect()
    });
    let mut errors = Vec::new();
    if let Some(m) = &form.form_error {
        errors.push(FieldError {
            target: "ratings".to_owned(),
            message: m.clone(),
        });
    }
    if let Some(m) = &form.person_error {
        errors.push(FieldError {
            target: "person".to_owned(),
            message: m.clone(),
        });
    }
    if let Some(m) = &form.grade_error {
        errors.push(FieldError {
            target: "grade".to_owned(),
            message: m.clone(),
        });
    }
    for item in &items {
        if let Some(m) = &item.error {
            errors.push(FieldError {
                target: format!("{}-fieldset", item.field),
                message: format!("{}: {m}", item.label),
            });
        }
    }
    let roles = RolePicker::new(state).await?;
    let summary = role.map(super::summary_of);
    let role_field = match &summary {
        Some(s) => roles.value_of(state, s).await,
        None => String::new(),
    };
    Ok(AssessPage {
        people,
        person: form.person,
        new_name: form.new_name,
        roles,
        role: summary,
        role_field,
        role_value: role.map_or_else(String::new, |r| format!("{}:{}", r.framework_key, r.key)),
        attribution: role.map_or_else(String::new, |r| r.attribution.clone()),
        grades: role.map_or_else(Vec::new, |r| r.grades.clone()),
        grade: form.grade,
        items,
        note: form.note,
        errors,
        person_error: form.person_error,
        grade_error: form.grade_error,
        namesakes: form.namesakes,
        same_name: form.same_name,
        notice: form.notice,
        gap_href: form.gap_href,
    })
}

pub(crate) async fn assess_form(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(q): PageQuery<AssessQuery>,
) -> Response {
    let result = async {
        let person = match given(&q.person) {
            Some(p) => Some(state.service.person_detail(p).await?),
            None => None,
        };
        let role_name = given(&q.role).map(str::to_owned).or_else(|| {
            person
                .as_ref()
                .and_then(|d| d.person.role.as_ref())
                .map(|r| format!("{}:{}", r.framework_key, r.key))
        });
        let role = match &role_name {
            Some(name) => Some(state.service.role(name, None).await?),
            None => None,
        };
        let mut form = AssessState {
            person: person
                .as_ref()
                .map_or_else(String::new, |d| d.person.key.clone()),
            new_name: given(&q.new_name).unwrap_or_default().to_owned(),
            ..AssessState::default()
        };
        if let Some(role) = &role {
            let own = person.as_ref().and_then(|d| d.person.grade.as_deref());
            form.grade = match given(&q.grade) {
                Some(g) => match role.check_grade(g) {
                    Ok(g) => g,
                    Err(message) => {
                        form.grade_error = Some(message);
                        role.grades.first().cloned().unwrap_or_default()
                    }
                },
                None => own
                    .and_then(|g| role.check_grade(g).ok())
                    .or_else(|| role.grades.first().cloned())
                    .unwrap_or_default(),
            };
        }
        if let Some(detail) = &person {
            form.read_record(detail);
            form.chosen = form
                .own
                .iter()
                .map(|(id, (code, _))| (*id, code.clone()))
                .collect();
        }
        let status = if form.grade_error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        let page = assess_page(&state, role.as_ref(), form).await?;
        Ok(state.templates.render_status(status, "assess.html", page))
    }
    .await;
    finish(&state, &uri, result)
}

pub(crate) async fn assess_submit(
    State(state): State<AppState>,
    uri: Uri,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let result = match form {
        Ok(Form(fields)) => assess_post(&state, fields).await,
        Err(rejection) => Err(ApiError::Malformed {
            field: None,
            message: rejection.body_text(),
        }),
    };
    finish(&state, &uri, result)
}

async fn assess_post(state: &AppState, fields: Vec<(String, String)>) -> PageResult {
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let role_value = value("role");
    if role_value.is_empty() {
        return Err(
            ServiceError::invalid("role", "choose the role to assess yourself against").into(),
        );
    }
    let role = state.service.role(&role_value, None).await?;
    let mut form = AssessState {
        person: value("person"),
        new_name: value("new_name"),
        grade: value("grade"),
        note: value("note"),
        same_name: !value("same_name").is_empty(),
        ..AssessState::default()
    };
    // "This is me", offered beside a name already stored: the person chosen, not a newcomer.
    let chosen_person = value("use_person");
    if !chosen_person.is_empty() {
        form.person = chosen_person;
        form.new_name.clear();
        form.same_name = false;
    }
    for (k, v) in &fields {
        if let Some(id) = k
            .strip_prefix("level-")
            .and_then(|id| id.parse::<i64>().ok())
            && !v.trim().is_empty()
        {
            form.chosen.insert(id, v.trim().to_owned());
        }
    }

    // Check everything before storing anything.
    if role.grades.is_empty() {
        form.grade.clear();
    } else {
        match role.check_grade(&form.grade) {
            Ok(g) => form.grade = g,
            Err(message) => form.grade_error = Some(message),
        }
    }
    let existing = if form.person.is_empty() {
        if form.new_name.is_empty() {
            form.person_error =
                Some("choose yourself from the list, or give your name as a new person".to_owned());
        } else if !form.same_name {
            // A returning person typing their name: offer them their record rather than adding
            // a second person of that name.
            let namesakes = state.service.namesakes(&form.new_name).await?;
            if !namesakes.is_empty() {
                form.person_error = Some(format!(
                    "{} is already here. If that is you, choose “This is me”; if you are someone \
                     else of that name, tick “I am a different person called {}” and save again",
                    namesakes[0].name, form.new_name
                ));
                form.namesakes = namesakes
                    .iter()
                    .map(|p| Choice {
                        value: p.key.clone(),
                        label: person_label(p),
                        group: String::new(),
                    })
                    .collect();
            }
        }
        None
    } else {
        match state.service.person_detail(&form.person).await {
            Ok(detail) => {
                form.read_record(&detail);
                Some(detail.person)
            }
            Err(e @ (ServiceError::NotFound { .. } | ServiceError::Ambiguous { .. })) => {
                form.person_error = Some(e.to_string());
                None
            }
            Err(e) => return Err(e.into()),
        }
    };
    let mut items = Vec::new();
    let mut item_skills = Vec::new();
    let mut unchanged = 0;
    for r in &role.requirements {
        let id = r.skill.id.0;
        let Some(code) = form.chosen.get(&id) else {
            continue;
        };
        let scale = r
            .skill
            .scale
            .clone()
            .unwrap_or_else(rolemap_core::Scale::presence);
        match scale.parse_held(code) {
            // The same as their own latest self-rating: nothing new to record.
            Ok(level)
                if form
                    .own
                    .get(&id)
                    .is_some_and(|(own, _)| own.eq_ignore_ascii_case(level.code())) =>
            {
                unchanged += 1;
            }
            Ok(level) => {
                items.push(AssessmentInput {
                    skill: id.to_string(),
                    level: level.code().to_owned(),
                    source: Source::SelfAssessed,
                    note: form.note.clone(),
                });
                item_skills.push(id);
            }
            Err(e) => {
                form.item_errors.insert(id, e.to_string());
            }
        }
    }
    if items.is_empty() && unchanged == 0 && form.item_errors.is_empty() {
        form.form_error = Some("rate yourself on at least one skill".to_owned());
    }
    let invalid = form.person_error.is_some()
        || form.grade_error.is_some()
        || form.form_error.is_some()
        || !form.item_errors.is_empty();
    if invalid {
        return rerender(state, &role, form).await;
    }
    let target = format!("{}:{}", role.framework_key, role.key);
    let grade = (!form.grade.is_empty()).then_some(form.grade.as_str());
    if items.is_empty()
        && let Some(person) = &existing
    {
        // Every rating is as last saved: write nothing, and say so.
        form.notice = Some(format!(
            "Nothing was saved: {} the same as your last self-assessment, so there was \
             nothing new to record.",
            if unchanged == 1 {
                "your rating is".to_owned()
            } else {
                format!("all {unchanged} ratings are")
            }
        ));
        form.gap_href = Some(gap_href(&person.key, Some(&target), grade));
        let page = assess_page(state, Some(&role), form).await?;
        return Ok(state.templates.render("assess.html", page));
    }

    // A newcomer and their ratings are stored together, or not at all.
    let now = rolemap_service::now();
    let stored = match existing {
        Some(p) => state
            .service
            .assess_many(&p.key, &items, &now)
            .await
            .map(|_| p),
        None => {
            let input = PersonInput {
                name: form.new_name.clone(),
                same_name: form.same_name,
                ..PersonInput::default()
            };
            state
                .service
                .add_person_assessed(&input, &items, &now)
                .await
                .map(|(p, _)| p)
        }
    };
    let person = match stored {
        Ok(person) => person,
        Err(ServiceError::Invalid { field, message }) => {
            // "assessments[i].level" names the item; "name" the newcomer; anything else is
            // about the form as a whole.
            let index = field
                .strip_prefix("assessments[")
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(i, _)| i.parse::<usize>().ok());
            // With one item the service names the field plainly ("level").
            let item = match index {
                Some(i) => item_skills.get(i),
                None if field == "level" && item_skills.len() == 1 => item_skills.first(),
                None => None,
            };
            match item {
                Some(id) => {
                    form.item_errors.insert(*id, message);
                }
                None if field == "name" => form.person_error = Some(message),
                None => form.form_error = Some(message),
            }
            return rerender(state, &role, form).await;
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&gap_href(&person.key, Some(&target), grade)).into_response())
}

async fn rerender(state: &AppState, role: &Role, form: AssessState) -> PageResult {
    let page = assess_page(state, Some(role), form).await?;
    Ok(state
        .templates
        .render_status(StatusCode::UNPROCESSABLE_ENTITY, "assess.html", page))
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("–/P"), "–/P");
    }
}
