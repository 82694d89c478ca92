//! Users and API tokens as JSON: never a password hash or a token's hash.

use rolemap_store::{ApiToken, User};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserDto {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    /// employee, manager, framework_owner or admin.
    pub role: String,
    /// The id of the person this user is, if linked.
    pub person: Option<i64>,
    pub disabled: bool,
    /// Created by `serve --demo`.
    pub demo: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&User> for UserDto {
    fn from(user: &User) -> UserDto {
        UserDto {
            id: user.id.0,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            role: user.role.as_str().to_owned(),
            person: user.person.map(|p| p.0),
            disabled: user.disabled,
            demo: user.demo,
            created_at: user.created_at.clone(),
            updated_at: user.updated_at.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiTokenDto {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    /// When it last signed someone in (noted at most once a minute); null if never.
    pub last_used_at: Option<String>,
    /// When it was revoked; a revoked token signs no one in.
    pub revoked_at: Option<String>,
    /// The token itself, only in the answer that creates it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl From<&ApiToken> for ApiTokenDto {
    fn from(token: &ApiToken) -> ApiTokenDto {
        ApiTokenDto {
            id: token.id,
            name: token.name.clone(),
            created_at: token.created_at.clone(),
            last_used_at: token.last_used_at.clone(),
            revoked_at: token.revoked_at.clone(),
            token: None,
        }
    }
}
