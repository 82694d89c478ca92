//! The assessment form: a person rating themselves, or a manager rating a report (the source
//! is set from how the viewer stands to the person, never taken from the form).

use std::collections::HashMap;

use axum::Extension;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use rolemap_core::{Role, Source};
use rolemap_service::dto::RoleSummaryDto;
use rolemap_service::{AssessmentInput, PersonDetail, PersonInput, ServiceError};
use rolemap_store::{User, UserRole};
use serde::{Deserialize, Serialize};

use super::gap::level_text;
use super::gap_href;
use crate::access::{self, Relation, Rule};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{Choice, PageQuery, PageResult, RolePicker, finish, given, url};

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
    /// A manager rating a report: the form speaks of them, and saves as "manager".
    as_manager: bool,
    /// The name of the person rated.
    subject: String,
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
    /// The viewer rates as the person's manager (else as the person themselves).
    as_manager: bool,
    subject: String,
}

impl AssessState {
    /// Reads the person's record: the latest rating of each skill from the rater's own source
    /// (self, or manager), and the other sources' latest views. The form starts from the
    /// rater's source alone, so saving it unchanged cannot restate another source's view as
    /// the rater's.
    fn read_record(&mut self, detail: &PersonDetail) {
        let rater = if self.as_manager {
            Source::Manager
        } else {
            Source::SelfAssessed
        };
        self.subject = detail.person.name.clone();
        let words = |a: &rolemap_core::Assessment| {
            format!(
                "{}, {}",
                held_words(&a.level),
                a.at.chars().take(10).collect::<String>()
            )
        };
        // History is oldest first, so the last self-rating of a skill is the latest.
        for a in detail.history.iter().filter(|a| a.source == rater) {
            self.own
                .insert(a.skill.0, (a.level.code().to_owned(), words(a)));
        }
        for held in &detail.current {
            let views = std::iter::once(&held.current)
                .chain(&held.others)
                .filter(|a| a.source != rater)
                .map(|a| {
                    let who = match a.source {
                        Source::Manager => "Your manager’s rating",
                        Source::SelfAssessed => "Their own rating",
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
pub(super) fn held_words(level: &rolemap_core::Level) -> String {
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
    user: Option<&User>,
    role: Option<&Role>,
    form: AssessState,
) -> Result<AssessPage, ApiError> {
    // Only the people the viewer may see are offered.
    let people = state.service.people().await?;
    let mut people = access::visible_people(state, user, people).await?;
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
    let summary = role.map(crate::web::summary_of);
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
        as_manager: form.as_manager,
        subject: form.subject,
    })
}

pub(crate) async fn assess_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    PageQuery(q): PageQuery<AssessQuery>,
) -> Response {
    let user = viewer.user.as_deref();
    let result = async {
        let mut as_manager = false;
        let person = match given(&q.person) {
            Some(p) => {
                // Reading the form is reading the record; saving it is checked as rating.
                let grant = access::person_grant(&state, user, Rule::PersonRead, p).await?;
                as_manager = grant.is_some_and(|g| g.relation == Relation::Report);
                Some(state.service.person_detail(p).await?)
            }
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
            as_manager,
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
        let page = assess_page(&state, user, role.as_ref(), form).await?;
        Ok(state.templates.render_status(status, "assess.html", page))
    }
    .await;
    finish(&state, &uri, result)
}

pub(crate) async fn assess_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let result = match form {
        Ok(Form(fields)) => {
            let actor = viewer.actor(rolemap_store::Via::Web);
            assess_post(&state, viewer.user.as_deref(), &actor, fields).await
        }
        Err(rejection) => Err(ApiError::Malformed {
            field: None,
            message: rejection.body_text(),
        }),
    };
    finish(&state, &uri, result)
}

async fn assess_post(
    state: &AppState,
    user: Option<&User>,
    actor: &rolemap_store::Actor,
    fields: Vec<(String, String)>,
) -> PageResult {
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
    // Who rates is set here, from how the viewer stands to the person: their own record is
    // "self", a report's is "manager". A newcomer is added by an admin only (adding people is
    // theirs), and what an admin records for someone is "evidence", as their imports are.
    let source = if form.person.is_empty() {
        if !form.new_name.is_empty() && user.is_none_or(|u| u.role != UserRole::Admin) {
            return Err(ApiError::Forbidden);
        }
        Source::Evidence
    } else {
        match access::person_grant(state, user, Rule::PersonRate, &form.person).await {
            Ok(Some(grant)) if grant.relation == Relation::Report => {
                form.as_manager = true;
                Source::Manager
            }
            Ok(_) => Source::SelfAssessed,
            // A name that fits nobody is said on the form (to an admin; others are refused).
            Err(ApiError::Service(
                ServiceError::NotFound { .. } | ServiceError::Ambiguous { .. },
            )) => Source::SelfAssessed,
            Err(e) => return Err(e),
        }
    };
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
                    source,
                    note: form.note.clone(),
                    recorded_by: user.map(|u| u.id),
                });
                item_skills.push(id);
            }
            Err(e) => {
                form.item_errors.insert(id, e.to_string());
            }
        }
    }
    if items.is_empty() && unchanged == 0 && form.item_errors.is_empty() {
        form.form_error = Some(if form.as_manager {
            format!("rate {} on at least one skill", form.subject)
        } else {
            "rate yourself on at least one skill".to_owned()
        });
    }
    let invalid = form.person_error.is_some()
        || form.grade_error.is_some()
        || form.form_error.is_some()
        || !form.item_errors.is_empty();
    if invalid {
        return rerender(state, user, &role, form).await;
    }
    let target = format!("{}:{}", role.framework_key, role.key);
    let grade = (!form.grade.is_empty()).then_some(form.grade.as_str());
    if items.is_empty()
        && let Some(person) = &existing
    {
        // Every rating is as last saved: write nothing, and say so.
        form.notice = Some(format!(
            "Nothing was saved: {} the same as {}, so there was nothing new to record.",
            if unchanged == 1 {
                "your rating is".to_owned()
            } else {
                format!("all {unchanged} ratings are")
            },
            if form.as_manager {
                "the last manager rating"
            } else {
                "your last self-assessment"
            }
        ));
        form.gap_href = Some(gap_href(&person.key, Some(&target), grade));
        let page = assess_page(state, user, Some(&role), form).await?;
        return Ok(state.templates.render("assess.html", page));
    }

    // A newcomer and their ratings are stored together, or not at all.
    let now = rolemap_service::now();
    let stored = match existing {
        Some(p) => state
            .service
            .assess_many(&p.key, &items, actor, &now)
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
                .add_person_assessed(&input, &items, actor, &now)
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
            return rerender(state, user, &role, form).await;
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&gap_href(&person.key, Some(&target), grade)).into_response())
}

async fn rerender(
    state: &AppState,
    user: Option<&User>,
    role: &Role,
    form: AssessState,
) -> PageResult {
    let page = assess_page(state, user, Some(role), form).await?;
    Ok(state
        .templates
        .render_status(StatusCode::UNPROCESSABLE_ENTITY, "assess.html", page))
}
