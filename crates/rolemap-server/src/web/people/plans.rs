//! Reviews, development plans and review cycles on the people pages: what the team page, the
//! person page and the gap page show of them, the forms that record a review or a goal, and the
//! CSV of the current cycle.

use std::collections::HashMap;

use axum::Extension;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use rolemap_core::{Level, PersonId, Scale, SkillId};
use rolemap_service::dto::{CycleStateDto, PersonDto};
use rolemap_service::{
    DUE_SOON_DAYS, GoalInput, GoalPatch, GoalProgress, PersonReviews, ServiceError, TeamPlans,
    add_days, day_of, now,
};
use rolemap_store::{ReviewOutcome, User, Via};
use serde::{Deserialize, Serialize};

use super::assess::held_words;
use super::team::csv_line;
use crate::access::{self, Grant, Relation};
use crate::api::plans::{current_cycle_state, decision_of, require};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::goal_chart::{GoalChart, goal_chart};
use crate::web::{PageResult, finish, url};

/// At most this many people's waiting self-ratings are listed on a team page; the rest are
/// counted and reviewed from each person's page, so a large team's page stays small.
const WAITING_SHOWN: usize = 50;

/// A level a form offers.
#[derive(Debug, Serialize, Clone)]
pub(crate) struct LevelChoice {
    code: String,
    name: String,
}

/// A self-rating waiting for review, with the form that answers it.
#[derive(Debug, Serialize)]
pub(crate) struct ReviewItem {
    id: i64,
    skill: String,
    skill_href: String,
    level: String,
    level_code: String,
    at: String,
    note: String,
    options: Vec<LevelChoice>,
    action: String,
}

/// A review recorded, as the person's page says it.
#[derive(Debug, Serialize)]
pub(crate) struct DoneItem {
    skill: String,
    skill_href: String,
    self_level: String,
    /// "agreed" or "changed".
    outcome: &'static str,
    manager_level: String,
    by: Option<String>,
    at: String,
    note: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct WaitingPerson {
    person: PersonDto,
    items: Vec<ReviewItem>,
}

/// A goal as a list line.
#[derive(Debug, Serialize)]
pub(crate) struct GoalLine {
    id: i64,
    person: PersonDto,
    skill: String,
    skill_href: String,
    target: String,
    due: String,
    status: &'static str,
    current: String,
    note: String,
    dropped: bool,
    created_by: Option<String>,
    chart: Option<minijinja::Value>,
    action: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct CycleRow {
    person: PersonDto,
    self_assessed_at: Option<String>,
    reviewed_at: Option<String>,
    waiting: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct CyclePanel {
    name: String,
    starts: String,
    ends: String,
    /// The rows of the page of people shown.
    rows: Vec<CycleRow>,
    /// Everyone in the cycle.
    people: usize,
    self_assessed: usize,
    reviewed: usize,
    csv_href: String,
}

/// What the team page shows of reviews, goals and the current cycle.
#[derive(Debug, Serialize)]
pub(crate) struct TeamPanel {
    waiting_count: usize,
    waiting_people: usize,
    waiting: Vec<WaitingPerson>,
    more_waiting: usize,
    can_review: bool,
    back: String,
    due_soon: Vec<GoalLine>,
    overdue: Vec<GoalLine>,
    /// Goals overdue or due soon beyond those shown.
    more_goals: usize,
    due_soon_days: i64,
    cycle: Option<CyclePanel>,
    /// An admin, who opens and closes cycles on `/cycles`.
    admin: bool,
}

impl TeamPanel {
    /// Keeps the cycle's rows in `people` (the page of people shown) and at most `goals` of
    /// the goals due, overdue first, counting the rest, so a page of a large team stays small.
    pub(super) fn keep(&mut self, people: std::ops::Range<usize>, goals: usize) {
        if let Some(cycle) = &mut self.cycle {
            let end = people.end.min(cycle.rows.len());
            let start = people.start.min(end);
            cycle.rows = cycle.rows.drain(start..end).collect();
        }
        let total = self.overdue.len() + self.due_soon.len();
        self.overdue.truncate(goals);
        self.due_soon.truncate(goals - self.overdue.len());
        self.more_goals = total - self.overdue.len() - self.due_soon.len();
    }
}

/// What the person page shows of reviews and the development plan.
#[derive(Debug, Serialize)]
pub(crate) struct PersonPanel {
    pending: Vec<ReviewItem>,
    done: Vec<DoneItem>,
    can_review: bool,
    own: bool,
    goals: Vec<GoalLine>,
    can_plan: bool,
    back: String,
}

/// The scales of skills, read once each per page.
#[derive(Default)]
struct Scales(HashMap<SkillId, Scale>);

impl Scales {
    async fn of(&mut self, state: &AppState, skill: SkillId) -> Result<&Scale, ApiError> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.0.entry(skill) {
            let found = state
                .service
                .store()
                .skill(skill)
                .await
                .map_err(ServiceError::from)?;
            slot.insert(found.assessment_scale());
        }
        self.0
            .get(&skill)
            .ok_or_else(|| ServiceError::Internal("a scale was not kept".into()).into())
    }
}

/// The levels a form offers for a skill: its scale's, then "none" (not held).
pub(crate) fn level_choices(scale: &Scale, with_none: bool) -> Vec<LevelChoice> {
    let mut out: Vec<LevelChoice> = scale
        .levels()
        .iter()
        .map(|l| LevelChoice {
            code: l.code.clone(),
            name: format!("{} ({})", l.name, l.code),
        })
        .collect();
    if with_none {
        let none = Level::none();
        out.push(LevelChoice {
            code: none.code().to_owned(),
            name: held_words(&none),
        });
    }
    out
}

async fn review_items(
    state: &AppState,
    scales: &mut Scales,
    reviews: &PersonReviews,
) -> Result<Vec<ReviewItem>, ApiError> {
    let action = format!("/people/{}/reviews", url::encode(&reviews.person.key));
    let mut items = Vec::with_capacity(reviews.pending.len());
    for r in &reviews.pending {
        let a = &r.self_rating;
        let scale = scales.of(state, a.skill).await?;
        items.push(ReviewItem {
            id: a.id,
            skill: a.skill_label.clone(),
            skill_href: format!("/skills/{}", a.skill.0),
            level: held_words(&a.level),
            level_code: a.level.code().to_owned(),
            at: a.at.clone(),
            note: a.note.clone(),
            options: level_choices(scale, true),
            action: action.clone(),
        });
    }
    Ok(items)
}

fn goal_line(
    person: &rolemap_core::Person,
    p: &GoalProgress,
    today: &str,
    chart: bool,
) -> GoalLine {
    let g = &p.goal;
    let current = p
        .current
        .as_ref()
        .map_or_else(|| "not assessed".to_owned(), held_words);
    let chart = chart.then(|| {
        // The chart's top is the highest level it shows: the target, or a level held above it.
        let max = p
            .points
            .iter()
            .map(|(_, l)| l.rank())
            .chain([g.target.rank()])
            .max()
            .unwrap_or(1);
        let steps = p
            .points
            .iter()
            .map(|(at, l)| format!("{} on {}", held_words(l), day_of(at)))
            .collect::<Vec<_>>()
            .join(", then ");
        minijinja::Value::from_safe_string(goal_chart(&GoalChart {
            id: g.id,
            title: format!("{}: level over time against the target", g.skill_label),
            description: if steps.is_empty() {
                format!(
                    "Not assessed yet; the target is {} by {}.",
                    held_words(&g.target),
                    g.due
                )
            } else {
                format!(
                    "{steps}; the target is {} by {}.",
                    held_words(&g.target),
                    g.due
                )
            },
            points: p
                .points
                .iter()
                .map(|(at, l)| (day_of(at).to_owned(), l.rank()))
                .collect(),
            target: g.target.rank(),
            max,
            due: g.due.clone(),
            today: today.to_owned(),
        }))
    });
    GoalLine {
        id: g.id,
        person: PersonDto::from(person),
        skill: g.skill_label.clone(),
        skill_href: format!("/skills/{}", g.skill.0),
        target: held_words(&g.target),
        due: g.due.clone(),
        status: p.status.as_str(),
        current,
        note: g.note.clone(),
        dropped: g.dropped,
        created_by: g.created_by.clone(),
        chart,
        action: format!("/people/{}/goals/{}", url::encode(&person.key), g.id),
    }
}

/// Whether `user` reviews for everyone below `manager`: the manager themselves or a manager
/// above them.
async fn reviews_for(
    state: &AppState,
    user: Option<&User>,
    manager: PersonId,
) -> Result<bool, ApiError> {
    let Some(user) = user else { return Ok(false) };
    if !user.role.at_least(rolemap_store::UserRole::Manager) {
        return Ok(false);
    }
    Ok(user.person == Some(manager)
        || access::relation(state, user, manager).await? == Some(Relation::Report))
}

/// The team page's part: waiting reviews (the first `WAITING_SHOWN` people), goals due soon
/// and overdue, and the current cycle.
pub(crate) async fn team_panel(
    state: &AppState,
    user: Option<&User>,
    plans: &TeamPlans,
    now: &str,
) -> Result<TeamPanel, ApiError> {
    let today = day_of(now);
    let mut scales = Scales::default();
    let mut waiting = Vec::new();
    for reviews in plans.waiting.iter().take(WAITING_SHOWN) {
        waiting.push(WaitingPerson {
            person: PersonDto::from(&reviews.person),
            items: review_items(state, &mut scales, reviews).await?,
        });
    }
    let key = url::encode(&plans.manager.key);
    Ok(TeamPanel {
        waiting_count: plans.waiting_count,
        waiting_people: plans.waiting.len(),
        more_waiting: plans.waiting.len().saturating_sub(WAITING_SHOWN),
        waiting,
        can_review: reviews_for(state, user, plans.manager.id).await?,
        back: format!("/teams/{key}#reviews"),
        due_soon: plans
            .due_soon
            .iter()
            .map(|(p, g)| goal_line(p, g, today, false))
            .collect(),
        overdue: plans
            .overdue
            .iter()
            .map(|(p, g)| goal_line(p, g, today, false))
            .collect(),
        more_goals: 0,
        due_soon_days: DUE_SOON_DAYS,
        admin: user.is_some_and(|u| u.role == rolemap_store::UserRole::Admin),
        cycle: plans.cycle.as_ref().map(|c| CyclePanel {
            name: c.cycle.name.clone(),
            starts: c.cycle.starts.clone(),
            ends: c.cycle.ends.clone(),
            people: c.members.len(),
            self_assessed: c
                .members
                .iter()
                .filter(|m| m.self_assessed.is_some())
                .count(),
            reviewed: c.members.iter().filter(|m| m.reviewed.is_some()).count(),
            rows: c
                .members
                .iter()
                .map(|m| CycleRow {
                    person: PersonDto::from(&m.person),
                    self_assessed_at: m.self_assessed.clone(),
                    reviewed_at: m.reviewed.clone(),
                    waiting: m.waiting,
                })
                .collect(),
            csv_href: format!("/teams/{key}/cycle.csv"),
        }),
    })
}

/// The person page's part: their reviews (with the forms, for a manager above them) and their
/// development plan with a chart per goal.
pub(crate) async fn person_panel(
    state: &AppState,
    user: Option<&User>,
    person: &rolemap_core::Person,
) -> Result<PersonPanel, ApiError> {
    let now = now();
    let relation = match user {
        Some(user) => access::relation(state, user, person.id).await?,
        None => None,
    };
    let reviews = state.service.reviews_of(&person.id.0.to_string()).await?;
    let mut scales = Scales::default();
    let pending = review_items(state, &mut scales, &reviews).await?;
    let done = reviews
        .done
        .iter()
        .filter_map(|r| {
            let d = r.done.as_ref()?;
            Some(DoneItem {
                skill: r.self_rating.skill_label.clone(),
                skill_href: format!("/skills/{}", r.self_rating.skill.0),
                self_level: held_words(&r.self_rating.level),
                outcome: match d.outcome {
                    ReviewOutcome::Agreed => "agreed",
                    ReviewOutcome::Changed => "changed",
                },
                manager_level: held_words(&d.manager_rating.level),
                by: d.manager_rating.recorded_by.clone(),
                at: d.at.clone(),
                note: d.manager_rating.note.clone(),
            })
        })
        .collect();
    let goals = state
        .service
        .goals_of(&person.id.0.to_string(), &now)
        .await?
        .iter()
        .map(|g| goal_line(person, g, day_of(&now), true))
        .collect();
    Ok(PersonPanel {
        pending,
        done,
        can_review: relation == Some(Relation::Report),
        own: relation == Some(Relation::Own),
        goals,
        can_plan: matches!(relation, Some(Relation::Own | Relation::Report)),
        back: format!("/people/{}", url::encode(&person.key)),
    })
}

/// A skill of a gap offered as a goal, with the levels of its scale.
#[derive(Debug, Serialize)]
pub(crate) struct GoalOffer {
    skill_id: i64,
    label: String,
    options: Vec<LevelChoice>,
    /// The level the role asks, chosen to start with.
    target: String,
}

/// The gap lines a goal can be set from, for a viewer who may set the person's goals; empty
/// otherwise.
pub(crate) async fn goal_offers(
    state: &AppState,
    user: Option<&User>,
    person: &rolemap_core::Person,
    report: &rolemap_core::gap::GapReport,
) -> Result<Vec<GoalOffer>, ApiError> {
    let relation = match user {
        Some(user) => access::relation(state, user, person.id).await?,
        None => None,
    };
    if !matches!(relation, Some(Relation::Own | Relation::Report)) {
        return Ok(Vec::new());
    }
    // Every line of the gap: below what the role asks, the level asked is the target to start
    // from; met already, the next level up, to aim past the role.
    Ok(report
        .lines
        .iter()
        .filter_map(|l| {
            let scale = l.skill.scale.clone().unwrap_or_else(Scale::presence);
            let held = l.held.as_ref().map_or(0, |h| h.current.level.rank());
            let asked = l.required.level().map_or(1, Level::rank);
            let target = scale
                .by_rank(asked.max(held + 1))
                .or_else(|| l.required.level().cloned())?;
            Some(GoalOffer {
                skill_id: l.skill.id.0,
                label: l.skill.label.clone(),
                options: level_choices(&scale, false),
                target: target.code().to_owned(),
            })
        })
        .collect())
}

/// The due date a goal form starts from: a quarter on.
pub(crate) fn default_due() -> String {
    add_days(day_of(&now()), 90)
}

/// Only a path on this site: anything else goes to `fallback`.
fn local(back: Option<&str>, fallback: String) -> String {
    match back.map(str::trim) {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => fallback,
    }
}

fn malformed(rejection: FormRejection) -> ApiError {
    ApiError::Malformed {
        field: None,
        message: rejection.body_text(),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReviewForm {
    self_rating: String,
    decision: String,
    level: Option<String>,
    note: Option<String>,
    back: Option<String>,
}

/// `POST /people/{id}/reviews`: a manager above the person agrees with a self-rating or sets
/// another level with a note, then goes back where the form was.
pub(crate) async fn review_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    grant: Option<Extension<Grant>>,
    uri: Uri,
    Path(id): Path<String>,
    form: Result<Form<ReviewForm>, FormRejection>,
) -> Response {
    let result: PageResult = async {
        let Form(form) = form.map_err(malformed)?;
        require(&state, grant.map(|g| g.0), &id, &[Relation::Report]).await?;
        let self_rating: i64 =
            form.self_rating.trim().parse().map_err(|_| {
                ServiceError::invalid("self_rating", "not the number of a self-rating")
            })?;
        let decision = decision_of(&form.decision, form.level, form.note)?;
        state
            .service
            .review(
                &id,
                self_rating,
                &decision,
                viewer.user.as_ref().map(|u| u.id),
                &viewer.actor(Via::Web),
                &now(),
            )
            .await?;
        let fallback = super::admin::person_href(&state.service.person(&id).await?);
        Ok(Redirect::to(&local(form.back.as_deref(), fallback)).into_response())
    }
    .await;
    finish(&state, &uri, result)
}

#[derive(Debug, Deserialize)]
pub(crate) struct GoalForm {
    skill: String,
    target: String,
    due: String,
    note: Option<String>,
    back: Option<String>,
}

/// `POST /people/{id}/goals`: the person or a manager above them adds a goal.
pub(crate) async fn goal_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    grant: Option<Extension<Grant>>,
    uri: Uri,
    Path(id): Path<String>,
    form: Result<Form<GoalForm>, FormRejection>,
) -> Response {
    let result: PageResult = async {
        let Form(form) = form.map_err(malformed)?;
        require(
            &state,
            grant.map(|g| g.0),
            &id,
            &[Relation::Own, Relation::Report],
        )
        .await?;
        let input = GoalInput {
            skill: form.skill,
            target: form.target,
            due: form.due,
            note: form.note.unwrap_or_default(),
            created_by: viewer.user.as_ref().map(|u| u.id),
        };
        state
            .service
            .add_goal(&id, &input, &viewer.actor(Via::Web), &now())
            .await?;
        let person = state.service.person(&id).await?;
        let fallback = format!("{}#plan", super::admin::person_href(&person));
        Ok(Redirect::to(&local(form.back.as_deref(), fallback)).into_response())
    }
    .await;
    finish(&state, &uri, result)
}

#[derive(Debug, Deserialize)]
pub(crate) struct GoalUpdateForm {
    /// "yes" sets the goal aside, "no" takes it up again.
    dropped: String,
    back: Option<String>,
}

/// `POST /people/{id}/goals/{goal}`: drops a goal or takes it up again.
pub(crate) async fn goal_update_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    grant: Option<Extension<Grant>>,
    uri: Uri,
    Path((id, goal)): Path<(String, String)>,
    form: Result<Form<GoalUpdateForm>, FormRejection>,
) -> Response {
    let result: PageResult = async {
        let Form(form) = form.map_err(malformed)?;
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
        let dropped = match form.dropped.trim() {
            "yes" => true,
            "no" => false,
            other => {
                return Err(ServiceError::invalid(
                    "dropped",
                    format!("'{other}' is neither yes nor no"),
                )
                .into());
            }
        };
        let patch = GoalPatch {
            dropped: Some(dropped),
            ..GoalPatch::default()
        };
        state
            .service
            .update_goal(&id, number, &patch, &viewer.actor(Via::Web), &now())
            .await?;
        let person = state.service.person(&id).await?;
        let fallback = format!("{}#plan", super::admin::person_href(&person));
        Ok(Redirect::to(&local(form.back.as_deref(), fallback)).into_response())
    }
    .await;
    finish(&state, &uri, result)
}

/// `GET /teams/{manager}/cycle.csv`: the current cycle's state for the team, one row a person.
pub(crate) async fn cycle_csv(
    State(state): State<AppState>,
    uri: Uri,
    Path(manager): Path<String>,
) -> Response {
    let result: PageResult = async {
        let cycle = current_cycle_state(&state, &manager).await?;
        let dto = CycleStateDto::from(&cycle);
        let (header, rows) = dto.csv_table();
        let mut out = csv_line(&header);
        for row in &rows {
            out.push_str(&csv_line(row));
        }
        Ok(crate::web::download(
            "text/csv; charset=utf-8",
            &format!("cycle-{}-{}.csv", dto.manager.key, dto.cycle.id),
            out,
        ))
    }
    .await;
    finish(&state, &uri, result)
}

#[cfg(test)]
mod tests {
    use super::local;

    #[test]
    fn a_form_goes_back_only_to_a_path_on_this_site() {
        let fallback = || "/people/1".to_owned();
        assert_eq!(
            local(Some("/teams/aisha#reviews"), fallback()),
            "/teams/aisha#reviews"
        );
        assert_eq!(local(Some("//evil.example/"), fallback()), "/people/1");
        assert_eq!(
            local(Some("https://evil.example/"), fallback()),
            "/people/1"
        );
        assert_eq!(local(Some("/\\evil.example"), fallback()), "/people/1");
        assert_eq!(local(None, fallback()), "/people/1");
    }
}
