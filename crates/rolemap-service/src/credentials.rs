//! Who a session cookie or an API token signs in, answered from memory most of the time.
//!
//! Every signed-in request carries a credential. Reading it from the store each time (the
//! session or token and its user: two queries) cost more than the requests it guarded, so the
//! answer is kept in memory, keyed by the token's SHA-256 (never the token), and read from the
//! store again once it is [`RECHECK`] old. A sign-out, a disabled user, a password reset or a
//! revoked token forgets the answers they touch at once in this process; another process (the
//! CLI beside a running server) is seen within [`RECHECK`].
//!
//! A session's last use (its idle expiry) and a token's last use are written at most once a
//! [`TOUCH_EVERY`] per credential, however many requests carry it: the first request past that
//! claims the write under the lock, the others go on without one.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rolemap_store::{ApiToken, StoredSession, User, UserId};
use time::OffsetDateTime;

use crate::accounts::{
    API_TOKEN_PREFIX, SessionState, TOUCH_EVERY, parse_stamp, session_state, stamp, token_hash,
};
use crate::{Result, Service};

/// How long an answer from memory stands before the store is read again: the longest another
/// process's sign-out, disable or revoke can go unseen here.
pub const RECHECK: Duration = Duration::from_secs(30);
/// Past this many credentials kept, those due a re-check are dropped (and, if that is not
/// enough, all), so junk tokens cannot grow the cache without bound.
const MAX_ENTRIES: usize = 10_000;

/// Credentials as last read from the store, by token hash.
#[derive(Debug, Default)]
pub(crate) struct CredentialCache {
    /// Read on every signed-in request by every core, written rarely: a read lock, so readers
    /// never wait on each other.
    entries: RwLock<HashMap<[u8; 32], Entry>>,
}

#[derive(Debug, Clone)]
struct Entry {
    /// Shared with the requests it signs in: a copy of the user for each request cost five
    /// allocations (its strings), twice over.
    user: Arc<User>,
    kind: Kind,
    /// When the store was read for it.
    read: Instant,
}

#[derive(Debug, Clone)]
enum Kind {
    /// A session and the times its expiry is judged from; `last_seen` is the last use written.
    Session {
        session: StoredSession,
        last_seen: OffsetDateTime,
    },
    /// An API token that was not revoked when read.
    Token {
        id: i64,
        last_used: Option<OffsetDateTime>,
    },
}

impl CredentialCache {
    /// The entry for a token hash, if it was read from the store less than [`RECHECK`] ago.
    fn fresh(&self, hash: &[u8], now: Instant) -> Option<Entry> {
        let entries = self.entries.read().ok()?;
        entries
            .get(hash)
            .filter(|entry| now.saturating_duration_since(entry.read) < RECHECK)
            .cloned()
    }

    fn keep(&self, hash: [u8; 32], entry: Entry) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if entries.len() >= MAX_ENTRIES {
            let now = entry.read;
            entries.retain(|_, e| now.saturating_duration_since(e.read) < RECHECK);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(hash, entry);
    }

    /// Whether this request should write the credential's last use: true for the first caller
    /// once [`TOUCH_EVERY`] has passed since the last write, which is then taken as done.
    fn claim_touch(&self, hash: &[u8], now: OffsetDateTime) -> bool {
        let Ok(mut entries) = self.entries.write() else {
            return false;
        };
        let Some(entry) = entries.get_mut(hash) else {
            return false;
        };
        let last = match &mut entry.kind {
            Kind::Session { last_seen, .. } => last_seen,
            Kind::Token { last_used, .. } => last_used.get_or_insert(OffsetDateTime::UNIX_EPOCH),
        };
        if now - *last < TOUCH_EVERY {
            return false;
        }
        *last = now;
        true
    }

    pub(crate) fn forget(&self, hash: &[u8]) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(hash);
        }
    }

    /// Forgets every session and token of a user (disabled, or their password reset).
    pub(crate) fn forget_user(&self, user: UserId) {
        if let Ok(mut entries) = self.entries.write() {
            entries.retain(|_, e| e.user.id != user);
        }
    }

    /// Forgets a revoked token.
    pub(crate) fn forget_token(&self, token: i64) {
        if let Ok(mut entries) = self.entries.write() {
            entries.retain(|_, e| !matches!(e.kind, Kind::Token { id, .. } if id == token));
        }
    }
}

fn token_entry(token: &ApiToken, user: User, read: Instant) -> Result<Entry> {
    let last_used = token.last_used_at.as_deref().map(parse_stamp).transpose()?;
    Ok(Entry {
        user: Arc::new(user),
        kind: Kind::Token {
            id: token.id,
            last_used,
        },
        read,
    })
}

impl Service {
    /// The user a session token signs in, if the session is open and the user enabled.
    pub async fn session_user(&self, token: &str) -> Result<Option<Arc<User>>> {
        self.session_user_at(token, OffsetDateTime::now_utc(), Instant::now())
            .await
    }

    /// As [`Service::session_user`] at a given time: `now` judges expiry, `instant` whether
    /// what is kept in memory is due a re-check.
    pub(crate) async fn session_user_at(
        &self,
        token: &str,
        now: OffsetDateTime,
        instant: Instant,
    ) -> Result<Option<Arc<User>>> {
        let hash = token_hash(token);
        let mut kept = self.credentials.fresh(&hash, instant);
        loop {
            let from_memory = kept.is_some();
            let entry = match kept.take() {
                Some(entry) => entry,
                None => {
                    let Some((session, user)) = self.store.session(&hash).await? else {
                        self.credentials.forget(&hash);
                        return Ok(None);
                    };
                    let last_seen = parse_stamp(&session.last_seen_at)?;
                    let entry = Entry {
                        user: Arc::new(user),
                        kind: Kind::Session { session, last_seen },
                        read: instant,
                    };
                    self.credentials.keep(hash, entry.clone());
                    entry
                }
            };
            // An API token sent as a session cookie signs no one in.
            let Kind::Session { session, last_seen } = &entry.kind else {
                return Ok(None);
            };
            let session = StoredSession {
                last_seen_at: stamp(*last_seen),
                ..session.clone()
            };
            match session_state(&session, now)? {
                // Another process may have used it since it was read: ask the store before
                // ending it.
                SessionState::Ended if from_memory => continue,
                SessionState::Ended => {
                    self.credentials.forget(&hash);
                    // An ended session tidied away: no one's act, so not audited.
                    self.store.delete_session(&hash, None, &stamp(now)).await?;
                    return Ok(None);
                }
                _ if entry.user.disabled => return Ok(None),
                SessionState::Open { touch } => {
                    if touch && self.credentials.claim_touch(&hash, now) {
                        self.store.touch_session(&hash, &stamp(now)).await?;
                    }
                    return Ok(Some(entry.user));
                }
            }
        }
    }

    /// The user an API token signs in, if it is not revoked and the user is enabled.
    pub async fn token_user(&self, token: &str) -> Result<Option<Arc<User>>> {
        self.token_user_at(token, OffsetDateTime::now_utc(), Instant::now())
            .await
    }

    pub(crate) async fn token_user_at(
        &self,
        token: &str,
        now: OffsetDateTime,
        instant: Instant,
    ) -> Result<Option<Arc<User>>> {
        if !token.starts_with(API_TOKEN_PREFIX) {
            return Ok(None);
        }
        let hash = token_hash(token);
        let entry = match self.credentials.fresh(&hash, instant) {
            Some(entry) => entry,
            None => {
                let Some((record, user)) = self.store.api_token_user(&hash).await? else {
                    self.credentials.forget(&hash);
                    return Ok(None);
                };
                let entry = token_entry(&record, user, instant)?;
                self.credentials.keep(hash, entry.clone());
                entry
            }
        };
        let Kind::Token { id, last_used } = entry.kind else {
            return Ok(None);
        };
        if entry.user.disabled {
            return Ok(None);
        }
        let due = last_used.is_none_or(|at| now - at >= TOUCH_EVERY);
        if due && self.credentials.claim_touch(&hash, now) {
            self.store.touch_api_token(id, &stamp(now)).await?;
        }
        Ok(Some(entry.user))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::Arc;

    use rolemap_store::{SqliteStore, UserRole};

    use super::*;
    use crate::{SignIn, UserInput};

    const PASSWORD: &str = "correct horse battery";

    async fn service_over(store: SqliteStore) -> Service {
        Service::new(Arc::new(store))
    }

    async fn with_user(service: &Service, username: &str) {
        let input = UserInput {
            username: username.to_owned(),
            display_name: None,
            email: None,
            role: UserRole::Employee,
            person: None,
            password: PASSWORD.to_owned(),
            demo: false,
        };
        service
            .add_user(&input, &rolemap_store::Actor::cli())
            .await
            .expect("add user");
    }

    async fn signed_in(service: &Service, username: &str) -> String {
        match service.sign_in(username, PASSWORD, None).await.unwrap() {
            SignIn::Accepted { token, .. } => token,
            other => panic!("{other:?}"),
        }
    }

    fn later(instant: Instant, seconds: u64) -> Instant {
        instant + Duration::from_secs(seconds)
    }

    fn wall_later(now: OffsetDateTime, seconds: u64) -> OffsetDateTime {
        now + Duration::from_secs(seconds)
    }

    #[tokio::test]
    async fn a_session_is_answered_from_memory_until_the_recheck() {
        let service = service_over(SqliteStore::in_memory().await.unwrap()).await;
        with_user(&service, "ann").await;
        let token = signed_in(&service, "ann").await;
        let (now, t0) = (OffsetDateTime::now_utc(), Instant::now());
        let user = service.session_user_at(&token, now, t0).await.unwrap();
        assert_eq!(user.map(|u| u.username.clone()).as_deref(), Some("ann"));
        // Gone from the store behind this process's back, as another process would end it.
        service
            .store
            .delete_session(&token_hash(&token), None, "2026-01-01T00:00:00Z")
            .await
            .unwrap();
        let kept = service
            .session_user_at(&token, now, later(t0, 10))
            .await
            .unwrap();
        assert!(kept.is_some(), "answered from memory, no read");
        let rechecked = service
            .session_user_at(&token, now, later(t0, RECHECK.as_secs()))
            .await
            .unwrap();
        assert!(rechecked.is_none(), "read again after the re-check time");
    }

    #[tokio::test]
    async fn sign_out_disable_reset_and_revoke_take_effect_at_once_in_this_process() {
        let service = service_over(SqliteStore::in_memory().await.unwrap()).await;
        with_user(&service, "ann").await;
        with_user(&service, "bob").await;
        let (now, t0) = (OffsetDateTime::now_utc(), Instant::now());

        let token = signed_in(&service, "ann").await;
        assert!(
            service
                .session_user_at(&token, now, t0)
                .await
                .unwrap()
                .is_some()
        );
        service
            .sign_out(&token, &rolemap_store::Actor::cli())
            .await
            .unwrap();
        assert!(
            service
                .session_user_at(&token, now, t0)
                .await
                .unwrap()
                .is_none(),
            "signed out"
        );

        let token = signed_in(&service, "ann").await;
        assert!(
            service
                .session_user_at(&token, now, t0)
                .await
                .unwrap()
                .is_some()
        );
        service
            .set_user_disabled("ann", true, &rolemap_store::Actor::cli())
            .await
            .unwrap();
        assert!(
            service
                .session_user_at(&token, now, t0)
                .await
                .unwrap()
                .is_none(),
            "disabled"
        );

        let token = signed_in(&service, "bob").await;
        assert!(
            service
                .session_user_at(&token, now, t0)
                .await
                .unwrap()
                .is_some()
        );
        service
            .reset_password("bob", "another long password", &rolemap_store::Actor::cli())
            .await
            .unwrap();
        assert!(
            service
                .session_user_at(&token, now, t0)
                .await
                .unwrap()
                .is_none(),
            "password reset"
        );

        let made = service
            .create_api_token("bob", "ci", &rolemap_store::Actor::cli())
            .await
            .unwrap();
        assert!(
            service
                .token_user_at(&made.token, now, t0)
                .await
                .unwrap()
                .is_some()
        );
        service
            .revoke_api_token("bob", made.record.id, &rolemap_store::Actor::cli())
            .await
            .unwrap();
        assert!(
            service
                .token_user_at(&made.token, now, t0)
                .await
                .unwrap()
                .is_none(),
            "revoked"
        );
    }

    #[tokio::test]
    async fn another_process_is_seen_within_the_recheck_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.db");
        let server = service_over(SqliteStore::open(&path).await.unwrap()).await;
        let cli = service_over(SqliteStore::open(&path).await.unwrap()).await;
        with_user(&server, "ann").await;
        let token = signed_in(&server, "ann").await;
        let made = server
            .create_api_token("ann", "ci", &rolemap_store::Actor::cli())
            .await
            .unwrap();
        let (now, t0) = (OffsetDateTime::now_utc(), Instant::now());
        assert!(
            server
                .session_user_at(&token, now, t0)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            server
                .token_user_at(&made.token, now, t0)
                .await
                .unwrap()
                .is_some()
        );

        cli.revoke_api_token("ann", made.record.id, &rolemap_store::Actor::cli())
            .await
            .unwrap();
        cli.set_user_disabled("ann", true, &rolemap_store::Actor::cli())
            .await
            .unwrap();
        let soon = later(t0, 1);
        assert!(
            server
                .session_user_at(&token, now, soon)
                .await
                .unwrap()
                .is_some(),
            "still kept: the other process's change is not seen yet"
        );
        let due = later(t0, RECHECK.as_secs());
        assert!(
            server
                .session_user_at(&token, now, due)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            server
                .token_user_at(&made.token, now, due)
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn last_use_is_written_at_most_once_a_minute() {
        let service = service_over(SqliteStore::in_memory().await.unwrap()).await;
        with_user(&service, "ann").await;
        let token = signed_in(&service, "ann").await;
        let hash = token_hash(&token);
        let stored_last_seen = || async {
            let (session, _) = service.store.session(&hash).await.unwrap().unwrap();
            session.last_seen_at
        };
        let signed_at = stored_last_seen().await;
        let (start, t0) = (parse_stamp(&signed_at).unwrap(), Instant::now());
        for seconds in [1, 10, 59] {
            let at = wall_later(start, seconds);
            assert!(
                service
                    .session_user_at(&token, at, t0)
                    .await
                    .unwrap()
                    .is_some()
            );
            assert_eq!(
                stored_last_seen().await,
                signed_at,
                "{seconds} s: not written"
            );
        }
        let minute = wall_later(start, 60);
        service.session_user_at(&token, minute, t0).await.unwrap();
        assert_eq!(
            stored_last_seen().await,
            stamp(minute),
            "written after a minute"
        );
        service
            .session_user_at(&token, wall_later(start, 100), later(t0, 40))
            .await
            .unwrap();
        assert_eq!(
            stored_last_seen().await,
            stamp(minute),
            "not again within the minute"
        );

        let made = service
            .create_api_token("ann", "ci", &rolemap_store::Actor::cli())
            .await
            .unwrap();
        let last_used = || async {
            service.store.api_tokens(made.record.user).await.unwrap()[0]
                .last_used_at
                .clone()
        };
        assert_eq!(last_used().await, None);
        service.token_user_at(&made.token, start, t0).await.unwrap();
        assert_eq!(last_used().await, Some(stamp(start)), "first use written");
        service
            .token_user_at(&made.token, wall_later(start, 30), t0)
            .await
            .unwrap();
        assert_eq!(
            last_used().await,
            Some(stamp(start)),
            "not again within the minute"
        );
    }

    #[tokio::test]
    async fn an_api_token_sent_as_a_session_cookie_signs_no_one_in() {
        let service = service_over(SqliteStore::in_memory().await.unwrap()).await;
        with_user(&service, "ann").await;
        let made = service
            .create_api_token("ann", "ci", &rolemap_store::Actor::cli())
            .await
            .unwrap();
        assert!(service.token_user(&made.token).await.unwrap().is_some());
        assert!(service.session_user(&made.token).await.unwrap().is_none());
    }
}
