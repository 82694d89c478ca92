//! Users, sessions and API tokens (migrations 0012 and 0016). Every write is one statement or one
//! transaction; a password reset or disabling a user ends that user's sessions in the same
//! transaction, so no session outlives the password it was opened with.

use rolemap_core::PersonId;
use sqlx::{PgConnection, PgPool};

use super::{audit, bool_int};
use crate::{
    Actor, ApiToken, Change, NewUser, Result, StoreError, StoredSession, User, UserId, UserRole,
};

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    email: String,
    role: String,
    person_id: Option<i64>,
    disabled: i64,
    demo: i64,
    created_at: String,
    updated_at: String,
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.email, u.role, u.person_id, \
     u.disabled, u.demo, u.created_at, u.updated_at";

fn user_from(row: UserRow) -> Result<User> {
    Ok(User {
        id: UserId(row.id),
        role: UserRole::parse(&row.role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown user role '{}'", row.role)))?,
        username: row.username,
        display_name: row.display_name,
        email: row.email,
        person: row.person_id.map(PersonId),
        disabled: row.disabled != 0,
        demo: row.demo != 0,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// A user's fields as the audit log keeps them (never the password hash).
async fn user_fields(conn: &mut PgConnection, id: UserId) -> Result<serde_json::Value> {
    let user = user_on(conn, id).await?;
    let person: Option<String> = match user.person {
        Some(person) => {
            sqlx::query_scalar("SELECT key FROM people WHERE id = $1")
                .bind(person.0)
                .fetch_optional(&mut *conn)
                .await?
        }
        None => None,
    };
    Ok(serde_json::json!({
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role.as_str(),
        "person": person,
        "disabled": user.disabled,
    }))
}

/// The entry of a change to user `id`: about the user's person, if linked, so that it goes
/// with them on erasure.
fn user_change(
    action: &'static str,
    user: &User,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Change {
    Change {
        action,
        subject: user.username.clone(),
        person: user.person,
        before,
        after,
    }
}

async fn user_on(conn: &mut PgConnection, id: UserId) -> Result<User> {
    let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
    )))
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    user_from(row.ok_or_else(|| StoreError::NotFound {
        what: "user",
        id: id.0.to_string(),
    })?)
}

pub(super) async fn add_user(
    pool: &PgPool,
    user: &NewUser,
    actor: &Actor,
    now: &str,
) -> Result<User> {
    let mut tx = super::begin_write(pool).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(&user.username)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict(format!(
            "username: '{}' is taken",
            user.username
        )));
    }
    if let Some(person) = user.person {
        let key: Option<String> = sqlx::query_scalar("SELECT key FROM people WHERE id = $1")
            .bind(person.0)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(key) = key else {
            return Err(StoreError::NotFound {
                what: "person",
                id: person.0.to_string(),
            });
        };
        let linked: Option<String> =
            sqlx::query_scalar("SELECT username FROM users WHERE person_id = $1")
                .bind(person.0)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(linked) = linked {
            return Err(StoreError::Conflict(format!(
                "person: '{key}' is already linked to user '{linked}'"
            )));
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, email, role, person_id, password_hash, \
         disabled, demo, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $8) RETURNING id",
    )
    .bind(&user.username)
    .bind(&user.display_name)
    .bind(&user.email)
    .bind(user.role.as_str())
    .bind(user.person.map(|p| p.0))
    .bind(&user.password_hash)
    .bind(bool_int(user.demo))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let stored = user_on(&mut tx, UserId(id)).await?;
    let after = user_fields(&mut tx, stored.id).await?;
    audit::record(
        &mut tx,
        actor,
        now,
        &user_change("user.add", &stored, None, Some(after)),
    )
    .await?;
    tx.commit().await?;
    Ok(stored)
}

pub(super) async fn user_by_id(pool: &PgPool, id: UserId) -> Result<User> {
    let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
    )))
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    user_from(row.ok_or_else(|| StoreError::NotFound {
        what: "user",
        id: id.0.to_string(),
    })?)
}

pub(super) async fn users(pool: &PgPool) -> Result<Vec<User>> {
    let rows: Vec<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u ORDER BY u.username"
    )))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(user_from).collect()
}

/// The user of this name with their password hash.
pub(super) async fn user_with_password(
    pool: &PgPool,
    username: &str,
) -> Result<Option<(User, String)>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT password_hash FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(pool)
            .await?;
    let Some((hash,)) = row else {
        return Ok(None);
    };
    let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1"
    )))
    .bind(username)
    .fetch_optional(pool)
    .await?;
    row.map(|row| Ok((user_from(row)?, hash))).transpose()
}

pub(super) async fn user_by_person(pool: &PgPool, person: PersonId) -> Result<Option<User>> {
    let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.person_id = $1"
    )))
    .bind(person.0)
    .fetch_optional(pool)
    .await?;
    row.map(user_from).transpose()
}

/// Disables or enables a user; disabling ends their sessions in the same transaction.
pub(super) async fn set_disabled(
    pool: &PgPool,
    id: UserId,
    disabled: bool,
    actor: &Actor,
    now: &str,
) -> Result<User> {
    let mut tx = super::begin_write(pool).await?;
    let before = user_on(&mut tx, id).await?;
    let changed = sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(bool_int(disabled))
        .bind(now)
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "user",
            id: id.0.to_string(),
        });
    }
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
    }
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    let change = user_change(
        action,
        &before,
        Some(serde_json::json!({ "disabled": before.disabled })),
        Some(serde_json::json!({ "disabled": disabled })),
    );
    audit::record(&mut tx, actor, now, &change).await?;
    let after = user_on(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

/// Gives a user another role.
pub(super) async fn set_role(
    pool: &PgPool,
    id: UserId,
    role: UserRole,
    actor: &Actor,
    now: &str,
) -> Result<User> {
    let mut tx = super::begin_write(pool).await?;
    let before = user_on(&mut tx, id).await?;
    sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(now)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    let change = user_change(
        "user.role",
        &before,
        Some(serde_json::json!({ "role": before.role.as_str() })),
        Some(serde_json::json!({ "role": role.as_str() })),
    );
    audit::record(&mut tx, actor, now, &change).await?;
    let after = user_on(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

/// Replaces a user's password hash and ends their sessions, in one transaction.
pub(super) async fn set_password(
    pool: &PgPool,
    id: UserId,
    password_hash: &str,
    actor: &Actor,
    now: &str,
) -> Result<()> {
    let mut tx = super::begin_write(pool).await?;
    let user = user_on(&mut tx, id).await?;
    let changed = sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now)
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "user",
            id: id.0.to_string(),
        });
    }
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    // That the password changed, never the hash.
    audit::record(
        &mut tx,
        actor,
        now,
        &user_change("user.password", &user, None, None),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn add_session(
    pool: &PgPool,
    token_hash: &[u8],
    session: &StoredSession,
    actor: &Actor,
) -> Result<()> {
    let mut tx = super::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(session.user.0)
    .bind(&session.created_at)
    .bind(&session.last_seen_at)
    .bind(&session.expires_at)
    .execute(&mut *tx)
    .await?;
    let user = user_on(&mut tx, session.user).await?;
    let change = user_change(
        "session.start",
        &user,
        None,
        Some(serde_json::json!({ "expires_at": session.expires_at })),
    );
    audit::record(&mut tx, actor, &session.created_at, &change).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn session(
    pool: &PgPool,
    token_hash: &[u8],
) -> Result<Option<(StoredSession, User)>> {
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT user_id, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    let Some((user, created_at, last_seen_at, expires_at)) = row else {
        return Ok(None);
    };
    let user = user_by_id(pool, UserId(user)).await?;
    Ok(Some((
        StoredSession {
            user: user.id,
            created_at,
            last_seen_at,
            expires_at,
        },
        user,
    )))
}

pub(super) async fn touch_session(pool: &PgPool, token_hash: &[u8], now: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub(super) async fn delete_session(
    pool: &PgPool,
    token_hash: &[u8],
    actor: Option<&Actor>,
    now: &str,
) -> Result<()> {
    let mut tx = super::begin_write(pool).await?;
    let ended: Option<i64> =
        sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
    if let (Some(user), Some(actor)) = (ended, actor) {
        let user = user_on(&mut tx, UserId(user)).await?;
        audit::record(
            &mut tx,
            actor,
            now,
            &user_change("session.end", &user, None, None),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes sessions whose absolute end is at or before `now`, or idle since `idle_since`.
pub(super) async fn delete_expired_sessions(
    pool: &PgPool,
    now: &str,
    idle_since: &str,
) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2")
            .bind(now)
            .bind(idle_since)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

type TokenRow = (i64, i64, String, String, Option<String>, Option<String>);

const TOKEN_COLUMNS: &str = "id, user_id, name, created_at, last_used_at, revoked_at";

fn token_from((id, user, name, created_at, last_used_at, revoked_at): TokenRow) -> ApiToken {
    ApiToken {
        id,
        user: UserId(user),
        name,
        created_at,
        last_used_at,
        revoked_at,
    }
}

pub(super) async fn add_api_token(
    pool: &PgPool,
    user: UserId,
    name: &str,
    token_hash: &[u8],
    actor: &Actor,
    now: &str,
) -> Result<ApiToken> {
    let mut tx = super::begin_write(pool).await?;
    let row: TokenRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING {TOKEN_COLUMNS}"
    )))
    .bind(token_hash)
    .bind(user.0)
    .bind(name)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let token = token_from(row);
    let owner = user_on(&mut tx, user).await?;
    // The token's number and name, never the token or its hash.
    let change = Change {
        action: "token.create",
        subject: format!("token:{}", token.id),
        person: owner.person,
        before: None,
        after: Some(serde_json::json!({ "user": owner.username, "name": token.name })),
    };
    audit::record(&mut tx, actor, now, &change).await?;
    tx.commit().await?;
    Ok(token)
}

pub(super) async fn api_tokens(pool: &PgPool, user: UserId) -> Result<Vec<ApiToken>> {
    let rows: Vec<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id"
    )))
    .bind(user.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(token_from).collect())
}

/// A token that is not revoked, and the user it belongs to.
pub(super) async fn api_token_user(
    pool: &PgPool,
    token_hash: &[u8],
) -> Result<Option<(ApiToken, User)>> {
    let row: Option<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
    )))
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    match row.map(token_from) {
        Some(token) => {
            let user = user_by_id(pool, token.user).await?;
            Ok(Some((token, user)))
        }
        None => Ok(None),
    }
}

/// Notes that a token was used at `now`.
pub(super) async fn touch_api_token(pool: &PgPool, id: i64, now: &str) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Revokes one of `user`'s tokens; a token of another user is not found.
pub(super) async fn revoke_api_token(
    pool: &PgPool,
    user: UserId,
    id: i64,
    actor: &Actor,
    now: &str,
) -> Result<ApiToken> {
    let mut tx = super::begin_write(pool).await?;
    let before: Option<Option<String>> =
        sqlx::query_scalar("SELECT revoked_at FROM api_tokens WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user.0)
            .fetch_optional(&mut *tx)
            .await?;
    let row: Option<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $1) \
         WHERE id = $2 AND user_id = $3 RETURNING {TOKEN_COLUMNS}"
    )))
    .bind(now)
    .bind(id)
    .bind(user.0)
    .fetch_optional(&mut *tx)
    .await?;
    let token = row.map(token_from).ok_or_else(|| StoreError::NotFound {
        what: "API token",
        id: id.to_string(),
    })?;
    // Revoking again changes nothing, so records nothing.
    if let Some(None) = before {
        let owner = user_on(&mut tx, user).await?;
        let change = Change {
            action: "token.revoke",
            subject: format!("token:{}", token.id),
            person: owner.person,
            before: Some(
                serde_json::json!({ "user": owner.username, "name": token.name,
                "revoked_at": null }),
            ),
            after: Some(
                serde_json::json!({ "user": owner.username, "name": token.name,
                "revoked_at": token.revoked_at }),
            ),
        };
        audit::record(&mut tx, actor, now, &change).await?;
    }
    tx.commit().await?;
    Ok(token)
}

pub(super) async fn kept_answer(
    pool: &PgPool,
    key: &str,
    user: Option<UserId>,
    since: &str,
) -> Result<Option<crate::KeptAnswer>> {
    let row: Option<(Vec<u8>, i64, String, Vec<u8>)> = sqlx::query_as(
        "SELECT request_hash, status, content_type, body FROM idempotency_keys \
         WHERE key = $1 AND user_id = $2 AND created_at >= $3",
    )
    .bind(key)
    .bind(user.map_or(0, |u| u.0))
    .bind(since)
    .fetch_optional(pool)
    .await?;
    row.map(|(request_hash, status, content_type, body)| {
        Ok(crate::KeptAnswer {
            request_hash,
            status: u16::try_from(status)
                .map_err(|_| StoreError::Corrupt(format!("idempotency status {status}")))?,
            content_type,
            body,
        })
    })
    .transpose()
}

pub(super) async fn keep_answer(
    pool: &PgPool,
    key: &str,
    user: Option<UserId>,
    answer: &crate::KeptAnswer,
    now: &str,
    expired: &str,
) -> Result<()> {
    let mut tx = super::begin_write(pool).await?;
    sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(expired)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO idempotency_keys \
         (key, user_id, request_hash, status, content_type, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key, user_id) DO UPDATE SET \
         request_hash = excluded.request_hash, status = excluded.status, \
         content_type = excluded.content_type, body = excluded.body, \
         created_at = excluded.created_at",
    )
    .bind(key)
    .bind(user.map_or(0, |u| u.0))
    .bind(&answer.request_hash)
    .bind(i64::from(answer.status))
    .bind(&answer.content_type)
    .bind(&answer.body)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
