//! The gap from a person to a role, with the radar or, without levels, a checklist.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use rolemap_core::Role;
use rolemap_core::gap::GapReport;
use rolemap_service::dto::{GapDto, PersonDto};
use serde::{Deserialize, Serialize};

use super::assess::held_words;
use super::plans::{GoalOffer, default_due, goal_offers};
use super::role_name;
use crate::auth::Viewer;
use crate::state::AppState;
use crate::web::svg::{self, Radar, RadarAxis};
use crate::web::{PageQuery, RolePicker, finish, given, url};

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
    /// The lines a goal can be set from, for a viewer who may set this person's goals.
    goal_offers: Vec<GoalOffer>,
    goal_due: String,
    goal_action: String,
    /// What a newer version of the framework changes in this role, for this person.
    changes: Option<VersionChanges>,
}

/// A later version of the role's framework, and what it changes in the role.
#[derive(Debug, Serialize)]
struct VersionChanges {
    framework: String,
    from: String,
    to: String,
    lines: Vec<String>,
    /// The gap against the role in the later version, when this page is not that gap.
    href: Option<String>,
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

pub(super) fn level_text(level: &rolemap_core::Level) -> String {
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
    Extension(viewer): Extension<Viewer>,
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
        let changes = version_changes(&state, &person, report.role.id).await?;
        let offers = goal_offers(&state, viewer.user.as_deref(), &person, &report).await?;
        Ok(state.templates.render(
            "gap.html",
            GapPage {
                changes,
                goal_offers: offers,
                goal_due: default_due(),
                goal_action: format!("/people/{}/goals", url::encode(&person.key)),
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

/// Where the gap's role and the person's own are the same role in two versions of a framework,
/// what the later one changes; or, for a role with a later version, what that version changes
/// and a link to the gap against it.
async fn version_changes(
    state: &AppState,
    person: &rolemap_core::Person,
    target: rolemap_core::RoleId,
) -> Result<Option<VersionChanges>, crate::error::ApiError> {
    let view = |c: rolemap_service::RoleChanges, href: Option<String>| VersionChanges {
        framework: c.framework,
        from: c.from,
        to: c.to,
        lines: c.lines,
        href,
    };
    if let Some(own) = &person.role
        && own.id != target
        && let Some(changes) = state.service.role_changes(own.id, target).await?
        && own.id.0 < target.0
    {
        return Ok(Some(view(changes, None)));
    }
    let Some(newer) = state.service.newer_role(target).await? else {
        return Ok(None);
    };
    let Some(changes) = state.service.role_changes(target, newer.id).await? else {
        return Ok(None);
    };
    let href = url::with_query(
        &format!("/people/{}/gap", url::encode(&person.key)),
        &[("target", Some(newer.id.0.to_string().as_str()))],
    );
    Ok(Some(view(changes, Some(href))))
}
