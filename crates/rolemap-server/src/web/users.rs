//! The admin's users page, as `rolemap user add|list|disable|role|reset-password`: every user
//! with their role and state, a form to add one, and per user a role change, disabling or
//! enabling, and a new password (each ending the user's sessions as the CLI's do).

use axum::Extension;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use rolemap_service::dto::UserDto;
use rolemap_service::{ServiceError, UserInput};
use rolemap_store::{UserRole, Via};
use serde::{Deserialize, Serialize};

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{PageResult, finish};

const TEMPLATE: &str = "users.html";

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct AddUserBody {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    person: String,
    /// Never shown again.
    #[serde(default, skip_serializing)]
    password: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ChangeUserBody {
    /// `role`, `disable`, `enable` or `password`.
    action: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

#[derive(Debug, Serialize)]
struct UserRow {
    user: UserDto,
    /// The linked person's key, for a link to their page.
    person_key: Option<String>,
}

#[derive(Debug, Default, Serialize)]
struct UsersPage {
    users: Vec<UserRow>,
    roles: Vec<&'static str>,
    form: AddUserBody,
    /// A problem with the add form, and its field.
    error: Option<String>,
    error_field: Option<String>,
    /// What was just done.
    notice: Option<String>,
}

async fn page(state: &AppState) -> Result<UsersPage, ApiError> {
    let people = state.service.people().await?;
    let users = state
        .service
        .users()
        .await?
        .iter()
        .map(|user| UserRow {
            person_key: user
                .person
                .and_then(|id| people.iter().find(|p| p.id == id).map(|p| p.key.clone())),
            user: UserDto::from(user),
        })
        .collect();
    Ok(UsersPage {
        users,
        roles: UserRole::ALL.iter().map(|r| r.as_str()).collect(),
        form: AddUserBody {
            role: UserRole::Employee.as_str().to_owned(),
            ..AddUserBody::default()
        },
        ..UsersPage::default()
    })
}

/// `GET /admin/users`.
pub(crate) async fn users(State(state): State<AppState>, uri: Uri) -> Response {
    let result = async { Ok(state.templates.render(TEMPLATE, page(&state).await?)) }.await;
    finish(&state, &uri, result)
}

fn malformed(rejection: FormRejection) -> ApiError {
    ApiError::Malformed {
        field: None,
        message: rejection.body_text(),
    }
}

fn role_of(typed: &str) -> Result<UserRole, ServiceError> {
    UserRole::parse(typed).ok_or_else(|| {
        ServiceError::invalid(
            "role",
            format!("'{typed}' is not a role (employee, manager, framework_owner, admin)"),
        )
    })
}

/// `POST /admin/users`: adds a user; a refusal is shown at the form, as typed.
pub(crate) async fn add_user(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    form: Result<Form<AddUserBody>, FormRejection>,
) -> Response {
    let result: PageResult = async {
        let Form(body) = form.map_err(malformed)?;
        let given = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        let added = match role_of(&body.role) {
            Ok(role) => {
                let input = UserInput {
                    username: body.username.clone(),
                    display_name: given(&body.display_name),
                    email: given(&body.email),
                    role,
                    person: given(&body.person),
                    password: body.password.clone(),
                    demo: false,
                };
                state
                    .service
                    .add_user(&input, &viewer.actor(Via::Web))
                    .await
            }
            Err(e) => Err(e),
        };
        let mut page = page(&state).await?;
        match added {
            Ok(user) => {
                page.notice = Some(format!("Added the user {}.", user.username));
                Ok(state.templates.render(TEMPLATE, page))
            }
            Err(e @ (ServiceError::Invalid { .. } | ServiceError::NotFound { .. })) => {
                if let ServiceError::Invalid { field, .. } = &e {
                    page.error_field = Some(field.clone());
                }
                page.error = Some(e.to_string());
                page.form = body;
                Ok(state
                    .templates
                    .render_status(StatusCode::UNPROCESSABLE_ENTITY, TEMPLATE, page))
            }
            Err(ServiceError::Store(rolemap_store::StoreError::Conflict(message))) => {
                page.error = Some(message);
                page.form = body;
                Ok(state
                    .templates
                    .render_status(StatusCode::CONFLICT, TEMPLATE, page))
            }
            Err(other) => Err(other.into()),
        }
    }
    .await;
    finish(&state, &uri, result)
}

/// `POST /admin/users/{username}`: a role change, disabling, enabling or a new password.
pub(crate) async fn change_user(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    Path(username): Path<String>,
    form: Result<Form<ChangeUserBody>, FormRejection>,
) -> Response {
    let result: PageResult = async {
        let Form(body) = form.map_err(malformed)?;
        let actor = viewer.actor(Via::Web);
        let service = &state.service;
        let notice = match body.action.as_str() {
            "role" => {
                let user = service
                    .set_user_role(&username, role_of(&body.role)?, &actor)
                    .await?;
                format!("{} is now {}.", user.username, user.role.as_str())
            }
            "disable" | "enable" => {
                let disabled = body.action == "disable";
                let user = service
                    .set_user_disabled(&username, disabled, &actor)
                    .await?;
                if disabled {
                    format!(
                        "Disabled {}; their sessions and tokens ended.",
                        user.username
                    )
                } else {
                    format!("Enabled {}.", user.username)
                }
            }
            "password" => {
                let user = service
                    .reset_password(&username, &body.password, &actor)
                    .await?;
                format!(
                    "Set a new password for {}; their sessions ended.",
                    user.username
                )
            }
            other => {
                return Err(ServiceError::invalid(
                    "action",
                    format!("'{other}' is not role, disable, enable or password"),
                )
                .into());
            }
        };
        let mut page = page(&state).await?;
        page.notice = Some(notice);
        Ok(state.templates.render(TEMPLATE, page))
    }
    .await;
    finish(&state, &uri, result)
}
