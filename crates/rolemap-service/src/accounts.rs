//! Accounts: users and their passwords, sign-in sessions and API tokens.
//!
//! Passwords are hashed with argon2id (OWASP's parameters: 19 MiB, 2 passes) on a blocking
//! thread, so a sign-in never holds up the async threads serving other requests. Session and API
//! tokens are 32 bytes from the operating system's randomness, handed out once as hex; the store
//! keeps only their SHA-256, so a copy of the database signs no one in.
//!
//! A session ends when it is signed out, when it has not been used for [`SESSION_IDLE`], or
//! [`SESSION_LIFETIME`] after sign-in whatever its use; a password reset or disabling the user
//! ends all of theirs. Failed sign-ins are limited per account and per address
//! ([`SignInLimiter`]), so passwords cannot be guessed at the speed of the server.
//!
//! Nothing here denies a request yet: the server resolves who is signed in and keeps it for the
//! permission checks that come next.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rolemap_core::PersonId;
use rolemap_store::{Actor, ApiToken, NewUser, StoredSession, User, UserRole, Via};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub use crate::sign_in_limiter::SignInLimiter;
use crate::{Result, Service, ServiceError};

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest, so that hashing stays cheap whatever is sent.
pub const MAX_PASSWORD_CHARS: usize = 1024;
/// A session not used for this long has ended.
pub const SESSION_IDLE: Duration = Duration::from_secs(12 * 3600);
/// A session ends this long after sign-in, however much it is used.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);
/// A session's last use is written at most this often, so that reading pages does not mean a
/// write per request.
pub(crate) const TOUCH_EVERY: Duration = Duration::from_secs(60);
/// API tokens start with this, so that one found in a log or a file says what it is.
pub const API_TOKEN_PREFIX: &str = "rolemap_";

/// What to create a user from; the password in the clear, to be hashed here.
#[derive(Debug, Clone)]
pub struct UserInput {
    pub username: String,
    /// The person's name when linked and not given, else the username.
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub role: UserRole,
    /// A person's id, key or name, as `resolve_person` takes it.
    pub person: Option<String>,
    pub password: String,
    pub demo: bool,
}

/// How a sign-in went.
#[derive(Debug, Clone)]
pub enum SignIn {
    /// The session token to hand to the browser, once.
    Accepted {
        user: User,
        token: String,
        expires_at: String,
    },
    /// Wrong username or password, or a disabled user: the same answer for each, so that it
    /// tells nobody which usernames exist.
    Refused,
    /// Too many failures for this account or address lately; try again after this long.
    Throttled { retry_after: Duration },
}

/// How a sign-in by a verified email address went.
#[derive(Debug, Clone)]
pub enum EmailSignIn {
    /// The session token to hand to the browser, once.
    Accepted {
        user: User,
        token: String,
        expires_at: String,
    },
    /// No user has this email address.
    Unknown,
    /// More than one user has it, so it says nothing about which one this is.
    Ambiguous,
    /// The user with this email address is disabled.
    Disabled,
}

/// A newly made API token: shown once, stored only as its hash.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub token: String,
    pub record: ApiToken,
}

/// The username as stored: trimmed and in lower case; 1 to 64 of a-z, 0-9, `.`, `_`, `-`,
/// starting with a letter or digit.
pub fn normalise_username(typed: &str) -> Result<String> {
    let username = typed.trim().to_lowercase();
    let valid_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    if username.is_empty() || username.len() > 64 {
        return Err(ServiceError::invalid(
            "username",
            "must be 1 to 64 characters",
        ));
    }
    if !username.chars().all(valid_char)
        || !username.starts_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Err(ServiceError::invalid(
            "username",
            format!(
                "'{}' may hold only letters a-z, digits and . _ - and must start with a letter or digit",
                typed.trim()
            ),
        ));
    }
    Ok(username)
}

/// Checks a new password's length (in characters, so any script counts alike).
pub fn check_password(password: &str) -> Result<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(ServiceError::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters (it has {chars})"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(ServiceError::invalid(
            "password",
            format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

fn check_text(field: &str, text: &str, max: usize) -> Result<()> {
    crate::fields::check_line(field, text, max)
}

fn check_email(email: &str) -> Result<()> {
    check_text("email", email, 254)?;
    let parts: Vec<&str> = email.split('@').collect();
    if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) || email.contains(char::is_whitespace)
    {
        return Err(ServiceError::invalid(
            "email",
            format!("'{email}' is not an email address"),
        ));
    }
    Ok(())
}

/// The argon2id hash of a password as a PHC string, computed on a blocking thread.
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| ServiceError::Internal(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("password hashing stopped: {e}")))?
}

/// Whether `password` matches a stored PHC string, checked on a blocking thread. A stored
/// string that cannot be read matches nothing.
async fn verify_password(password: &str, hash: &str) -> Result<bool> {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("password check stopped: {e}")))
}

/// A hash to check passwords against when the username does not exist, so that an unknown
/// username takes as long to refuse as a wrong password.
async fn decoy_hash() -> Result<&'static str> {
    static DECOY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DECOY.get() {
        return Ok(hash);
    }
    let hash = hash_password("decoy password never given to anyone").await?;
    Ok(DECOY.get_or_init(|| hash))
}

/// 32 random bytes as 64 hex digits.
fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServiceError::Internal(format!("no randomness for a token: {e}")))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the store keeps of a token.
pub fn token_hash(token: &str) -> [u8; 32] {
    // An array rather than a `Vec`: every signed-in request hashes its credential, and the
    // hash is only ever borrowed.
    Sha256::digest(token.as_bytes()).into()
}

/// A time as rolemap stores it (RFC 3339, UTC, to the second), as [`crate::now`] gives it.
pub(crate) fn stamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

pub(crate) fn parse_stamp(text: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| ServiceError::Internal(format!("stored time '{text}' unreadable: {e}")))
}

/// Whether a session is still open at `now`, and whether its last use should be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionState {
    Open { touch: bool },
    Ended,
}

pub(crate) fn session_state(session: &StoredSession, now: OffsetDateTime) -> Result<SessionState> {
    let expires = parse_stamp(&session.expires_at)?;
    let last_seen = parse_stamp(&session.last_seen_at)?;
    if now >= expires || now - last_seen >= SESSION_IDLE {
        return Ok(SessionState::Ended);
    }
    Ok(SessionState::Open {
        touch: now - last_seen >= TOUCH_EVERY,
    })
}

/// The demo's users: (username, role, demo person key). One employee, their manager, a
/// framework owner and an administrator, each linked to a person of the demo team.
pub const DEMO_USERS: [(&str, UserRole, &str); 4] = [
    ("daniel", UserRole::Employee, "daniel-mensah"),
    ("aisha", UserRole::Manager, "aisha-rahman"),
    ("liam", UserRole::FrameworkOwner, "liam-doyle"),
    ("grace", UserRole::Admin, "grace-okafor"),
];

/// The demo users' password, printed by `serve --demo`: demo data only.
pub const DEMO_PASSWORD: &str = "rolemap-demo";

impl Service {
    /// Creates a user after checking the username's form, the password's length, the email and
    /// the person (which must exist and have no user yet).
    pub async fn add_user(&self, input: &UserInput, actor: &Actor) -> Result<User> {
        let username = normalise_username(&input.username)?;
        check_password(&input.password)?;
        let email = input.email.as_deref().map(str::trim).unwrap_or_default();
        if !email.is_empty() {
            check_email(email)?;
        }
        let person = match &input.person {
            Some(typed) => Some(self.person(typed).await?),
            None => None,
        };
        let display_name = match (&input.display_name, &person) {
            (Some(name), _) if !name.trim().is_empty() => name.trim().to_owned(),
            (_, Some(person)) => person.name.clone(),
            _ => username.clone(),
        };
        check_text("display name", &display_name, 200)?;
        let password_hash = hash_password(&input.password).await?;
        let user = NewUser {
            username,
            display_name,
            email: email.to_owned(),
            role: input.role,
            person: person.map(|p| p.id),
            password_hash,
            demo: input.demo,
        };
        Ok(self.store.add_user(&user, actor, &crate::now()).await?)
    }

    /// Creates the demo users whose demo person is stored and has no user yet, and whose
    /// username is free; returns those created.
    pub async fn add_demo_users(&self) -> Result<Vec<User>> {
        let mut created = Vec::new();
        for (username, role, person) in DEMO_USERS {
            let Some(person) = self
                .store
                .people()
                .await?
                .into_iter()
                .find(|p| p.key == person && p.demo)
            else {
                continue;
            };
            if self.store.user_by_person(person.id).await?.is_some()
                || self.store.user_with_password(username).await?.is_some()
            {
                continue;
            }
            let input = UserInput {
                username: username.to_owned(),
                display_name: None,
                email: None,
                role,
                person: Some(person.key),
                password: DEMO_PASSWORD.to_owned(),
                demo: true,
            };
            // Made by the operator starting the demo.
            created.push(self.add_user(&input, &Actor::cli()).await?);
        }
        Ok(created)
    }

    /// The demo users that still sign in with [`DEMO_PASSWORD`] (one whose password was reset
    /// is left out, so the list printed is true), by username.
    pub async fn demo_sign_ins(&self) -> Result<Vec<User>> {
        let mut sign_ins = Vec::new();
        for user in self.store.users().await? {
            if !user.demo || user.disabled {
                continue;
            }
            if let Some((user, hash)) = self.store.user_with_password(&user.username).await?
                && verify_password(DEMO_PASSWORD, &hash).await?
            {
                sign_ins.push(user);
            }
        }
        Ok(sign_ins)
    }

    /// Every user, by username.
    pub async fn users(&self) -> Result<Vec<User>> {
        Ok(self.store.users().await?)
    }

    /// The user of a username (any case).
    pub async fn user_named(&self, typed: &str) -> Result<User> {
        let username = typed.trim().to_lowercase();
        match self.store.user_with_password(&username).await? {
            Some((user, _)) => Ok(user),
            None => Err(ServiceError::NotFound {
                what: "user",
                name: typed.trim().to_owned(),
                suggestions: Vec::new(),
            }),
        }
    }

    /// The user linked to a person, if any.
    pub async fn user_of_person(&self, person: PersonId) -> Result<Option<User>> {
        Ok(self.store.user_by_person(person).await?)
    }

    /// Disables (ending their sessions) or enables a user.
    pub async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
        actor: &Actor,
    ) -> Result<User> {
        let user = self.user_named(username).await?;
        let changed = self
            .store
            .set_user_disabled(user.id, disabled, actor, &crate::now())
            .await?;
        self.credentials.forget_user(user.id);
        Ok(changed)
    }

    /// Gives a user another role; what they may do changes with their next request.
    pub async fn set_user_role(
        &self,
        username: &str,
        role: UserRole,
        actor: &Actor,
    ) -> Result<User> {
        let user = self.user_named(username).await?;
        let changed = self
            .store
            .set_user_role(user.id, role, actor, &crate::now())
            .await?;
        self.credentials.forget_user(user.id);
        Ok(changed)
    }

    /// Sets a new password and ends the user's sessions.
    pub async fn reset_password(
        &self,
        username: &str,
        password: &str,
        actor: &Actor,
    ) -> Result<User> {
        let user = self.user_named(username).await?;
        check_password(password)?;
        let hash = hash_password(password).await?;
        self.store
            .set_password(user.id, &hash, actor, &crate::now())
            .await?;
        self.credentials.forget_user(user.id);
        Ok(user)
    }

    /// Checks a username and password and opens a session. `address` is where the attempt came
    /// from, for the limit per address.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<SignIn> {
        let username = username.trim().to_lowercase();
        if let Some(retry_after) = self.sign_ins.wait(&username, address, Instant::now()) {
            return Ok(SignIn::Throttled { retry_after });
        }
        let stored = if password.chars().count() > MAX_PASSWORD_CHARS {
            None
        } else {
            self.store.user_with_password(&username).await?
        };
        let accepted = match &stored {
            Some((user, hash)) => verify_password(password, hash).await? && !user.disabled,
            None => {
                // Spend the same time as for a real account, then refuse.
                verify_password(password, decoy_hash().await?).await?;
                false
            }
        };
        let Some((user, _)) = stored.filter(|_| accepted) else {
            self.sign_ins
                .record_failure(&username, address, Instant::now());
            return Ok(SignIn::Refused);
        };
        self.sign_ins.record_success(&username);
        let (token, expires_at) = self.open_session(&user, address).await?;
        Ok(SignIn::Accepted {
            user,
            token,
            expires_at,
        })
    }

    /// Opens a session for a user whose identity has been checked already (by password, or by
    /// an identity provider); returns the token to hand to the browser, once, and its end. The
    /// audit log has the user signing in from `address`.
    async fn open_session(&self, user: &User, address: Option<IpAddr>) -> Result<(String, String)> {
        let now = OffsetDateTime::now_utc();
        let token = random_token()?;
        let expires_at = stamp(now + SESSION_LIFETIME);
        let session = StoredSession {
            user: user.id,
            created_at: stamp(now),
            last_seen_at: stamp(now),
            expires_at: expires_at.clone(),
        };
        let actor = Actor {
            user: Some(user.id),
            username: Some(user.username.clone()),
            address: address.map(|a| a.to_string()),
            via: Via::Web,
        };
        self.store
            .add_session(&token_hash(&token), &session, &actor)
            .await?;
        Ok((token, expires_at))
    }

    /// Opens a session for the user whose email is `email` (compared without regard to case),
    /// once an identity provider has said that it verified that address. The caller checks the
    /// provider's word; this only matches the user.
    pub async fn sign_in_by_email(
        &self,
        email: &str,
        address: Option<IpAddr>,
    ) -> Result<EmailSignIn> {
        // Unicode lower case, so that "ÉVA@x" and "éva@x" are one address too.
        let email = email.trim().to_lowercase();
        if email.is_empty() {
            return Ok(EmailSignIn::Unknown);
        }
        let mut matching: Vec<User> = self
            .store
            .users()
            .await?
            .into_iter()
            .filter(|user| user.email.trim().to_lowercase() == email)
            .collect();
        let user = match matching.len() {
            0 => return Ok(EmailSignIn::Unknown),
            1 => matching.remove(0),
            // Signing in as one of several would be a guess about who this is.
            _ => return Ok(EmailSignIn::Ambiguous),
        };
        if user.disabled {
            return Ok(EmailSignIn::Disabled);
        }
        let (token, expires_at) = self.open_session(&user, address).await?;
        Ok(EmailSignIn::Accepted {
            user,
            token,
            expires_at,
        })
    }

    /// Ends a session (one already ended is no error).
    pub async fn sign_out(&self, token: &str, actor: &Actor) -> Result<()> {
        let hash = token_hash(token);
        self.store
            .delete_session(&hash, Some(actor), &crate::now())
            .await?;
        self.credentials.forget(&hash);
        Ok(())
    }

    /// Deletes every session that has ended; returns how many.
    pub async fn delete_ended_sessions(&self) -> Result<u64> {
        let now = OffsetDateTime::now_utc();
        Ok(self
            .store
            .delete_expired_sessions(&stamp(now), &stamp(now - SESSION_IDLE))
            .await?)
    }

    /// Makes an API token for a user: the token is in the answer and nowhere else.
    pub async fn create_api_token(
        &self,
        username: &str,
        name: &str,
        actor: &Actor,
    ) -> Result<NewApiToken> {
        let user = self.user_named(username).await?;
        let name = name.trim();
        if name.is_empty() {
            return Err(ServiceError::invalid("name", "must not be empty"));
        }
        check_text("name", name, 100)?;
        let token = format!("{API_TOKEN_PREFIX}{}", random_token()?);
        let record = self
            .store
            .add_api_token(user.id, name, &token_hash(&token), actor, &crate::now())
            .await?;
        Ok(NewApiToken { token, record })
    }

    /// A user's API tokens, revoked ones included.
    pub async fn api_tokens(&self, username: &str) -> Result<Vec<ApiToken>> {
        let user = self.user_named(username).await?;
        Ok(self.store.api_tokens(user.id).await?)
    }

    /// Revokes one of a user's API tokens, by its number.
    pub async fn revoke_api_token(
        &self,
        username: &str,
        id: i64,
        actor: &Actor,
    ) -> Result<ApiToken> {
        let user = self.user_named(username).await?;
        let revoked = self
            .store
            .revoke_api_token(user.id, id, actor, &crate::now())
            .await?;
        self.credentials.forget_token(revoked.id);
        Ok(revoked)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::Arc;

    use rolemap_store::SqliteStore;

    use super::*;

    async fn service() -> Service {
        let store = SqliteStore::in_memory().await.expect("store");
        Service::new(Arc::new(store))
    }

    fn input(username: &str, password: &str) -> UserInput {
        UserInput {
            username: username.to_owned(),
            display_name: None,
            email: None,
            role: UserRole::Employee,
            person: None,
            password: password.to_owned(),
            demo: false,
        }
    }

    const PASSWORD: &str = "correct horse battery";

    #[test]
    fn usernames_are_lower_case_words() {
        assert_eq!(normalise_username("  Ann.Lee ").unwrap(), "ann.lee");
        for bad in ["", "-ann", "ann lee", "ann@x", "änn", &"a".repeat(65)] {
            let error = normalise_username(bad).unwrap_err();
            assert!(
                matches!(&error, ServiceError::Invalid { field, .. } if field == "username"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn passwords_are_counted_in_characters() {
        assert!(check_password(&"é".repeat(12)).is_ok());
        let short = check_password("elevenchars").unwrap_err();
        assert!(short.to_string().contains("at least 12"), "{short}");
        assert!(check_password(&"x".repeat(1025)).is_err());
    }

    #[test]
    fn a_session_ends_when_idle_or_past_its_lifetime() {
        let start = OffsetDateTime::parse("2026-01-01T00:00:00Z", &Rfc3339).unwrap();
        let session = StoredSession {
            user: rolemap_store::UserId(1),
            created_at: stamp(start),
            last_seen_at: stamp(start),
            expires_at: stamp(start + SESSION_LIFETIME),
        };
        let at = |d: Duration| session_state(&session, start + d).unwrap();
        assert_eq!(
            at(Duration::from_secs(10)),
            SessionState::Open { touch: false }
        );
        assert_eq!(
            at(Duration::from_secs(120)),
            SessionState::Open { touch: true }
        );
        assert_eq!(at(SESSION_IDLE), SessionState::Ended);
        let busy = StoredSession {
            last_seen_at: stamp(start + SESSION_LIFETIME - Duration::from_secs(5)),
            ..session.clone()
        };
        assert_eq!(
            session_state(&busy, start + SESSION_LIFETIME).unwrap(),
            SessionState::Ended,
            "used a moment ago, but past its lifetime"
        );
    }

    #[test]
    fn the_limiter_refuses_after_five_failures_per_account_until_the_window_passes() {
        let limiter = SignInLimiter::default();
        let address: IpAddr = "192.0.2.7".parse().unwrap();
        let start = Instant::now();
        for i in 0..5 {
            assert_eq!(limiter.wait("ann", Some(address), start), None, "try {i}");
            limiter.record_failure("ann", Some(address), start);
        }
        let wait = limiter.wait("ann", None, start).expect("throttled");
        assert_eq!(wait, SignInLimiter::WINDOW);
        assert_eq!(
            limiter.wait("bob", Some(address), start),
            None,
            "other account"
        );
        let later = start + SignInLimiter::WINDOW;
        assert_eq!(limiter.wait("ann", None, later), None, "window passed");
    }

    #[test]
    fn the_limiter_refuses_an_address_trying_many_accounts() {
        let limiter = SignInLimiter::default();
        let address: IpAddr = "192.0.2.7".parse().unwrap();
        let start = Instant::now();
        for i in 0..SignInLimiter::PER_ADDRESS {
            limiter.record_failure(&format!("user{i}"), Some(address), start);
        }
        assert!(limiter.wait("fresh", Some(address), start).is_some());
        assert_eq!(limiter.wait("fresh", None, start), None);
        limiter.record_success("user1");
        assert!(
            limiter.wait("fresh", Some(address), start).is_some(),
            "a success clears the account, not the address"
        );
    }

    #[tokio::test]
    async fn sign_in_opens_a_session_that_sign_out_ends() {
        let service = service().await;
        let user = service
            .add_user(&input("Ann", PASSWORD), &rolemap_store::Actor::cli())
            .await
            .expect("add");
        assert_eq!(
            (user.username.as_str(), user.display_name.as_str()),
            ("ann", "ann")
        );
        let (_, hash) = service
            .store
            .user_with_password("ann")
            .await
            .unwrap()
            .unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains(PASSWORD));

        let SignIn::Accepted { token, .. } = service.sign_in("ANN", PASSWORD, None).await.unwrap()
        else {
            panic!("refused")
        };
        assert_eq!(token.len(), 64);
        let signed = service.session_user(&token).await.unwrap();
        assert_eq!(signed.map(|u| u.id), Some(user.id));
        service
            .sign_out(&token, &rolemap_store::Actor::cli())
            .await
            .unwrap();
        assert!(service.session_user(&token).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn wrong_passwords_unknown_users_and_disabled_users_are_refused_alike() {
        let service = service().await;
        service
            .add_user(&input("ann", PASSWORD), &rolemap_store::Actor::cli())
            .await
            .unwrap();
        let wrong = service.sign_in("ann", "not the password", None).await;
        assert!(matches!(wrong, Ok(SignIn::Refused)), "{wrong:?}");
        let unknown = service.sign_in("nobody", PASSWORD, None).await;
        assert!(matches!(unknown, Ok(SignIn::Refused)), "{unknown:?}");
        service
            .set_user_disabled("ann", true, &rolemap_store::Actor::cli())
            .await
            .unwrap();
        let disabled = service.sign_in("ann", PASSWORD, None).await;
        assert!(matches!(disabled, Ok(SignIn::Refused)), "{disabled:?}");
    }

    #[tokio::test]
    async fn a_verified_email_signs_in_its_one_enabled_user_whatever_its_case() {
        let service = service().await;
        let with_email = |username: &str, email: &str| UserInput {
            email: Some(email.to_owned()),
            ..input(username, PASSWORD)
        };
        service
            .add_user(
                &with_email("ann", "Ann.Lee@Example.org"),
                &rolemap_store::Actor::cli(),
            )
            .await
            .unwrap();
        let accepted = service
            .sign_in_by_email(" ann.lee@EXAMPLE.org ", None)
            .await
            .unwrap();
        let EmailSignIn::Accepted { user, token, .. } = accepted else {
            panic!("refused: {accepted:?}")
        };
        assert_eq!(user.username, "ann");
        let signed = service.session_user(&token).await.unwrap();
        assert_eq!(signed.map(|u| u.username.clone()).as_deref(), Some("ann"));

        let unknown = service.sign_in_by_email("bob@example.org", None).await;
        assert!(matches!(unknown, Ok(EmailSignIn::Unknown)), "{unknown:?}");
        let blank = service.sign_in_by_email("", None).await;
        assert!(matches!(blank, Ok(EmailSignIn::Unknown)), "{blank:?}");

        service
            .set_user_disabled("ann", true, &rolemap_store::Actor::cli())
            .await
            .unwrap();
        let disabled = service.sign_in_by_email("ann.lee@example.org", None).await;
        assert!(
            matches!(disabled, Ok(EmailSignIn::Disabled)),
            "{disabled:?}"
        );

        service
            .add_user(
                &with_email("ann2", "ann.lee@example.org"),
                &rolemap_store::Actor::cli(),
            )
            .await
            .unwrap();
        let shared = service.sign_in_by_email("ann.lee@example.org", None).await;
        assert!(matches!(shared, Ok(EmailSignIn::Ambiguous)), "{shared:?}");
    }

    #[tokio::test]
    async fn a_sixth_wrong_password_is_throttled_even_when_right() {
        let service = service().await;
        service
            .add_user(&input("ann", PASSWORD), &rolemap_store::Actor::cli())
            .await
            .unwrap();
        for _ in 0..SignInLimiter::PER_ACCOUNT {
            let refused = service.sign_in("ann", "guess guess guess", None).await;
            assert!(matches!(refused, Ok(SignIn::Refused)));
        }
        let throttled = service.sign_in("ann", PASSWORD, None).await;
        assert!(
            matches!(throttled, Ok(SignIn::Throttled { .. })),
            "{throttled:?}"
        );
    }

    #[tokio::test]
    async fn a_password_reset_ends_sessions_and_the_new_password_works() {
        let service = service().await;
        service
            .add_user(&input("ann", PASSWORD), &rolemap_store::Actor::cli())
            .await
            .unwrap();
        let SignIn::Accepted { token, .. } = service.sign_in("ann", PASSWORD, None).await.unwrap()
        else {
            panic!("refused")
        };
        let short = service
            .reset_password("ann", "short", &rolemap_store::Actor::cli())
            .await
            .unwrap_err();
        assert!(matches!(short, ServiceError::Invalid { .. }));
        assert!(service.session_user(&token).await.unwrap().is_some());
        service
            .reset_password("ann", "another long password", &rolemap_store::Actor::cli())
            .await
            .unwrap();
        assert!(service.session_user(&token).await.unwrap().is_none());
        assert!(matches!(
            service.sign_in("ann", PASSWORD, None).await,
            Ok(SignIn::Refused)
        ));
        assert!(matches!(
            service.sign_in("ann", "another long password", None).await,
            Ok(SignIn::Accepted { .. })
        ));
    }

    #[tokio::test]
    async fn an_ended_session_signs_no_one_in_and_is_deleted() {
        let service = service().await;
        service
            .add_user(&input("ann", PASSWORD), &rolemap_store::Actor::cli())
            .await
            .unwrap();
        let SignIn::Accepted { token, .. } = service.sign_in("ann", PASSWORD, None).await.unwrap()
        else {
            panic!("refused")
        };
        let later = OffsetDateTime::now_utc() + SESSION_IDLE + Duration::from_secs(1);
        assert!(
            service
                .session_user_at(&token, later, Instant::now())
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            service
                .store
                .session(&token_hash(&token))
                .await
                .unwrap()
                .is_none(),
            "deleted"
        );
    }

    #[tokio::test]
    async fn api_tokens_sign_in_until_revoked() {
        let service = service().await;
        service
            .add_user(&input("ann", PASSWORD), &rolemap_store::Actor::cli())
            .await
            .unwrap();
        let made = service
            .create_api_token("ann", "ci", &rolemap_store::Actor::cli())
            .await
            .unwrap();
        assert!(made.token.starts_with(API_TOKEN_PREFIX));
        let user = service.token_user(&made.token).await.unwrap();
        assert_eq!(user.map(|u| u.username.clone()), Some("ann".to_owned()));
        assert!(service.token_user("rolemap_0000").await.unwrap().is_none());
        service
            .revoke_api_token("ann", made.record.id, &rolemap_store::Actor::cli())
            .await
            .unwrap();
        assert!(service.token_user(&made.token).await.unwrap().is_none());
        let empty = service
            .create_api_token("ann", "  ", &rolemap_store::Actor::cli())
            .await
            .unwrap_err();
        assert!(matches!(empty, ServiceError::Invalid { .. }));
    }

    #[tokio::test]
    async fn demo_users_are_linked_to_the_demo_team_and_listed_while_their_password_holds() {
        let service = service().await;
        assert!(
            service.add_demo_users().await.unwrap().is_empty(),
            "no demo team"
        );
        service
            .init(true, &rolemap_store::Actor::cli(), "2026-01-01T00:00:00Z")
            .await
            .unwrap();
        let created = service.add_demo_users().await.unwrap();
        let roles: Vec<_> = created
            .iter()
            .map(|u| (u.username.as_str(), u.role))
            .collect();
        assert_eq!(
            roles,
            DEMO_USERS.map(|(name, role, _)| (name, role)).to_vec()
        );
        assert!(created.iter().all(|u| u.demo && u.person.is_some()));
        assert!(service.add_demo_users().await.unwrap().is_empty(), "once");
        service
            .reset_password("liam", "a private password", &rolemap_store::Actor::cli())
            .await
            .unwrap();
        let listed: Vec<_> = service
            .demo_sign_ins()
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.username.clone())
            .collect();
        assert_eq!(listed, ["aisha", "daniel", "grace"]);
    }

    #[tokio::test]
    async fn a_user_is_checked_before_it_is_stored() {
        let service = service().await;
        let mut bad = input("ann", PASSWORD);
        bad.email = Some("not-an-address".into());
        let error = service
            .add_user(&bad, &rolemap_store::Actor::cli())
            .await
            .unwrap_err();
        assert!(
            matches!(&error, ServiceError::Invalid { field, .. } if field == "email"),
            "{error}"
        );
        bad.email = None;
        bad.person = Some("nobody".into());
        let error = service
            .add_user(&bad, &rolemap_store::Actor::cli())
            .await
            .unwrap_err();
        assert!(
            matches!(error, ServiceError::NotFound { what: "person", .. }),
            "{error}"
        );
        assert!(service.users().await.unwrap().is_empty());
    }
}
