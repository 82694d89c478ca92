//! Keeping people on pages (admins): the "Add person" form on the people list, a person's edit
//! page (a move is a change of manager), and archiving or bringing them back. Problems are shown
//! at their field and in a summary at the top, and nothing is saved while any stands.

use axum::Extension;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use rolemap_core::Person;
use rolemap_service::dto::PersonDto;
use rolemap_service::{PersonInput, PersonPatch, ServiceError};
use rolemap_store::Via;
use serde::{Deserialize, Serialize};

use crate::api::people::actor;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{Choice, PageResult, RolePicker, finish, url};

/// What the person form sends.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PersonFormBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    manager: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    same_name: Option<String>,
}

/// A problem with one field of the form.
#[derive(Debug, Default, Serialize)]
pub(super) struct FieldErrors {
    name: Option<String>,
    email: Option<String>,
    role: Option<String>,
    grade: Option<String>,
    manager: Option<String>,
    team: Option<String>,
    /// About the form as a whole (archiving someone who manages people, say).
    form: Option<String>,
}

#[derive(Debug, Serialize)]
struct SummaryLine {
    target: String,
    message: String,
}

impl FieldErrors {
    /// Puts an error from the service at its field.
    fn set(&mut self, error: ServiceError) -> Result<(), ApiError> {
        match error {
            ServiceError::Invalid { field, message } => {
                let slot = match field.as_str() {
                    "name" => &mut self.name,
                    "email" => &mut self.email,
                    "role" => &mut self.role,
                    "grade" => &mut self.grade,
                    "manager" => &mut self.manager,
                    "team" => &mut self.team,
                    _ => &mut self.form,
                };
                *slot = Some(message);
            }
            // What `person add` resolves: an unknown role or manager.
            e @ (ServiceError::NotFound { what: "role", .. }
            | ServiceError::Ambiguous { what: "role", .. }) => self.role = Some(e.to_string()),
            e @ (ServiceError::NotFound { what: "person", .. }
            | ServiceError::Ambiguous { what: "person", .. }) => self.manager = Some(e.to_string()),
            ServiceError::Store(rolemap_store::StoreError::Conflict(message)) => {
                self.form = Some(message);
            }
            other => return Err(other.into()),
        }
        Ok(())
    }

    fn any(&self) -> bool {
        self.summary().next().is_some()
    }

    /// Each problem with the id of the control it is about, in the form's order.
    fn summary(&self) -> impl Iterator<Item = SummaryLine> + '_ {
        [
            ("name", &self.name),
            ("email", &self.email),
            ("role", &self.role),
            ("grade", &self.grade),
            ("manager", &self.manager),
            ("team", &self.team),
            ("form", &self.form),
        ]
        .into_iter()
        .filter_map(|(target, message)| {
            message.as_ref().map(|m| SummaryLine {
                target: target.to_owned(),
                message: m.clone(),
            })
        })
    }
}

/// What the person form shows: its values, its problems and the choices it offers.
#[derive(Debug, Serialize)]
pub(super) struct PersonForm {
    name: String,
    email: String,
    role: String,
    grade: String,
    manager: String,
    team: String,
    errors: FieldErrors,
    summary: Vec<SummaryLine>,
    /// Offered once a name already stored was refused: add a second person of that name.
    offer_same_name: bool,
    roles: RolePicker,
    /// Every grade of every role, in the order the roles list them, once each.
    grades: Vec<String>,
    /// Active people, who may be a manager.
    managers: Vec<Choice>,
    /// The named teams already used, offered as suggestions.
    teams: Vec<String>,
}

impl PersonForm {
    /// A form holding `body`, its choices read from the store; `own` is the person edited (not
    /// offered as their own manager).
    pub(super) async fn new(
        state: &AppState,
        body: PersonFormBody,
        errors: FieldErrors,
        own: Option<&Person>,
    ) -> Result<PersonForm, ApiError> {
        let roles = RolePicker::new(state).await?;
        let mut grades: Vec<String> = Vec::new();
        for role in state
            .service
            .roles(&rolemap_store::RoleFilter::default())
            .await?
        {
            for grade in &role.grades {
                if !grades.contains(grade) {
                    grades.push(grade.clone());
                }
            }
        }
        let people = state.service.people().await?;
        let mut managers: Vec<Choice> = people
            .iter()
            .filter(|p| own.is_none_or(|o| o.id != p.id))
            .map(|p| Choice {
                value: p.key.clone(),
                label: format!("{} ({})", p.name, p.key),
                group: String::new(),
            })
            .collect();
        managers.sort_by_key(|c| c.label.to_lowercase());
        let teams = state
            .service
            .named_teams()
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect();
        let summary = errors.summary().collect();
        Ok(PersonForm {
            offer_same_name: errors.name.is_some() && body.same_name.is_none(),
            name: body.name,
            email: body.email,
            role: body.role,
            grade: body.grade,
            manager: body.manager,
            team: body.team,
            errors,
            summary,
            roles,
            grades,
            managers,
            teams,
        })
    }
}

/// The form's values for a stored person.
async fn body_of(state: &AppState, person: &Person, roles: &RolePicker) -> PersonFormBody {
    let role = match &person.role {
        Some(summary) => {
            let dto = rolemap_service::dto::RoleSummaryDto::from(summary);
            roles.value_of(state, &dto).await
        }
        None => String::new(),
    };
    PersonFormBody {
        name: person.name.clone(),
        email: person.email.clone().unwrap_or_default(),
        role,
        grade: person.grade.clone().unwrap_or_default(),
        manager: String::new(),
        team: person.team.clone(),
        same_name: None,
    }
}

/// A value left blank means "none".
fn blank_none(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

fn form_error(rejection: FormRejection) -> ApiError {
    ApiError::Malformed {
        field: None,
        message: rejection.body_text(),
    }
}

/// `POST /people`: adds a person from the form on the people list.
pub(crate) async fn add_person(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    form: Result<Form<PersonFormBody>, FormRejection>,
) -> Response {
    let result = async {
        let Form(body) = form.map_err(form_error)?;
        let input = PersonInput {
            name: body.name.clone(),
            role: blank_none(&body.role),
            grade: blank_none(&body.grade),
            manager: blank_none(&body.manager),
            team: blank_none(&body.team),
            email: blank_none(&body.email),
            same_name: body.same_name.is_some(),
        };
        match state
            .service
            .add_person(&input, &actor(&viewer, Via::Web), &rolemap_service::now())
            .await
        {
            Ok(person) => Ok(Redirect::to(&person_href(&person)).into_response()),
            Err(error) => {
                let mut errors = FieldErrors::default();
                errors.set(error)?;
                let form = PersonForm::new(&state, body, errors, None).await?;
                super::list::render(
                    &state,
                    &viewer,
                    Some(form),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
        }
    }
    .await;
    finish(&state, &uri, result)
}

/// A person's page, by their key.
pub(super) fn person_href(person: &Person) -> String {
    format!("/people/{}", url::encode(&person.key))
}

#[derive(Debug, Serialize)]
struct EditPage {
    person: PersonDto,
    form: PersonForm,
}

async fn edit_page(
    state: &AppState,
    person: &Person,
    form: PersonForm,
    status: StatusCode,
) -> PageResult {
    Ok(state.templates.render_status(
        status,
        "person_edit.html",
        EditPage {
            person: PersonDto::from(person),
            form,
        },
    ))
}

/// `GET /people/{id}/edit`: the edit form, filled in with what is stored.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let person = state.service.person(&id).await?;
        let roles = RolePicker::new(&state).await?;
        let mut body = body_of(&state, &person, &roles).await;
        body.manager = manager_key(&state, &person).await?;
        let form = PersonForm::new(&state, body, FieldErrors::default(), Some(&person)).await?;
        edit_page(&state, &person, form, StatusCode::OK).await
    }
    .await;
    finish(&state, &uri, result)
}

/// The key of a person's manager, as the manager picker's values are.
async fn manager_key(state: &AppState, person: &Person) -> Result<String, ApiError> {
    Ok(match &person.manager {
        Some((id, _)) => state.service.person(&id.to_string()).await?.key,
        None => String::new(),
    })
}

/// `POST /people/{id}/edit`: saves the edit form; a change of manager is a move.
pub(crate) async fn edit_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    Path(id): Path<String>,
    form: Result<Form<PersonFormBody>, FormRejection>,
) -> Response {
    let result = async {
        let Form(body) = form.map_err(form_error)?;
        let person = state.service.person(&id).await?;
        let patch = PersonPatch {
            name: Some(body.name.clone()),
            email: Some(blank_none(&body.email)),
            role: Some(blank_none(&body.role)),
            grade: Some(blank_none(&body.grade)),
            manager: Some(blank_none(&body.manager)),
            team: Some(blank_none(&body.team)),
        };
        let saved = state
            .service
            .edit_person(
                &person.key,
                &patch,
                &actor(&viewer, Via::Web),
                &rolemap_service::now(),
            )
            .await;
        match saved {
            Ok(person) => Ok(Redirect::to(&person_href(&person)).into_response()),
            Err(error) => {
                let mut errors = FieldErrors::default();
                errors.set(error)?;
                let form = PersonForm::new(&state, body, errors, Some(&person)).await?;
                edit_page(&state, &person, form, StatusCode::UNPROCESSABLE_ENTITY).await
            }
        }
    }
    .await;
    finish(&state, &uri, result)
}

/// `POST /people/{id}/archive`.
pub(crate) async fn archive(
    state: State<AppState>,
    viewer: Extension<Viewer>,
    uri: Uri,
    id: Path<String>,
) -> Response {
    set_archived(state, viewer, uri, id, true).await
}

/// `POST /people/{id}/unarchive`.
pub(crate) async fn unarchive(
    state: State<AppState>,
    viewer: Extension<Viewer>,
    uri: Uri,
    id: Path<String>,
) -> Response {
    set_archived(state, viewer, uri, id, false).await
}

async fn set_archived(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    Path(id): Path<String>,
    archived: bool,
) -> Response {
    let result = async {
        let person = state.service.person(&id).await?;
        let done = state
            .service
            .set_archived(
                &person.key,
                archived,
                &actor(&viewer, Via::Web),
                &rolemap_service::now(),
            )
            .await;
        match done {
            Ok(person) => Ok(Redirect::to(&person_href(&person)).into_response()),
            Err(error) => {
                // Said on the edit page, where the way out (moving their reports) is.
                let mut errors = FieldErrors::default();
                errors.set(error)?;
                let roles = RolePicker::new(&state).await?;
                let mut body = body_of(&state, &person, &roles).await;
                body.manager = manager_key(&state, &person).await?;
                let form = PersonForm::new(&state, body, errors, Some(&person)).await?;
                edit_page(&state, &person, form, StatusCode::CONFLICT).await
            }
        }
    }
    .await;
    finish(&state, &uri, result)
}

impl PersonForm {
    /// An empty form for someone new.
    pub(super) async fn blank(state: &AppState) -> Result<PersonForm, ApiError> {
        PersonForm::new(
            state,
            PersonFormBody::default(),
            FieldErrors::default(),
            None,
        )
        .await
    }

    pub(super) fn has_errors(&self) -> bool {
        self.errors.any()
    }
}
