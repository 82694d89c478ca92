//! What the store keeps about accounts: users, their sign-in sessions and API tokens.
//!
//! The store never sees a password or a token: it keeps the argon2id hash of a password and the
//! SHA-256 of a token, which the service computes.

use rolemap_core::PersonId;

/// A user's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(pub i64);

/// What a user may do, broadly; the server's permission table says exactly what. The variants
/// are in ladder order, which `Ord` follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UserRole {
    /// Their own person record, self-assessment, gap and routes; frameworks read-only.
    Employee,
    /// Also everyone who reports to them, directly or through others.
    Manager,
    /// Imports and edits frameworks, mappings and movements.
    FrameworkOwner,
    /// Users, people and settings.
    Admin,
}

impl UserRole {
    pub const ALL: [UserRole; 4] = [
        UserRole::Employee,
        UserRole::Manager,
        UserRole::FrameworkOwner,
        UserRole::Admin,
    ];

    /// Whether this role includes `other`: each role on the ladder employee < manager <
    /// framework owner < admin may do what the ones below it may.
    pub fn at_least(self, other: UserRole) -> bool {
        self >= other
    }

    /// The role as stored and typed: `employee`, `manager`, `framework_owner`, `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            UserRole::Employee => "employee",
            UserRole::Manager => "manager",
            UserRole::FrameworkOwner => "framework_owner",
            UserRole::Admin => "admin",
        }
    }

    /// Reads a role as stored; `framework-owner` is accepted too.
    pub fn parse(text: &str) -> Option<UserRole> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "employee" => Some(UserRole::Employee),
            "manager" => Some(UserRole::Manager),
            "framework_owner" => Some(UserRole::FrameworkOwner),
            "admin" => Some(UserRole::Admin),
            _ => None,
        }
    }
}

/// A user as stored, without the password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    /// Unique; lower case (the service checks its form).
    pub username: String,
    pub display_name: String,
    /// Empty when not given.
    pub email: String,
    pub role: UserRole,
    /// The person this user is, if any; no two users share one.
    pub person: Option<PersonId>,
    /// A disabled user cannot sign in and their sessions and tokens no longer count.
    pub disabled: bool,
    /// Created by `serve --demo`, like the demo people.
    pub demo: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A new user, password already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: UserRole,
    pub person: Option<PersonId>,
    pub password_hash: String,
    pub demo: bool,
}

/// A stored sign-in session: who, and the times its expiry is worked out from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub user: UserId,
    pub created_at: String,
    pub last_seen_at: String,
    /// The absolute end, whatever the use.
    pub expires_at: String,
}

/// The answer kept for an `Idempotency-Key`, and the hash of the request it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAnswer {
    pub request_hash: Vec<u8>,
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// An API token as listed: never the token itself, which is shown once when made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub user: UserId,
    pub name: String,
    pub created_at: String,
    /// When it last signed someone in (written at most once a minute); `None` if never.
    pub last_used_at: Option<String>,
    /// When it was revoked; a revoked token signs no one in.
    pub revoked_at: Option<String>,
}
