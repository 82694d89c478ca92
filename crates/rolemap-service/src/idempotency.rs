//! Answers kept for `Idempotency-Key`: a retried write gets the first answer back (the server's
//! `idempotency.rs` decides which requests; this keeps and finds the answers, for 24 hours).

use std::time::Duration;

use time::OffsetDateTime;

use crate::accounts::stamp;
use crate::{Result, Service, ServiceError};

/// How long an answer is kept for its `Idempotency-Key`.
pub const IDEMPOTENCY_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);

/// An idempotency key is 1 to 200 visible ASCII characters (a UUID, say).
fn check_idempotency_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ServiceError::invalid(
            "Idempotency-Key",
            "must be 1 to 200 visible ASCII characters",
        ));
    }
    Ok(())
}

impl Service {
    /// The answer kept for a retried request's idempotency key (sent by `user`, or by no user)
    /// in the last [`IDEMPOTENCY_WINDOW`].
    pub async fn kept_answer(
        &self,
        key: &str,
        user: Option<rolemap_store::UserId>,
    ) -> Result<Option<rolemap_store::KeptAnswer>> {
        check_idempotency_key(key)?;
        let since = stamp(OffsetDateTime::now_utc() - IDEMPOTENCY_WINDOW);
        Ok(self.store.kept_answer(key, user, &since).await?)
    }

    /// Keeps the answer to a request under its idempotency key, for 24 hours.
    pub async fn keep_answer(
        &self,
        key: &str,
        user: Option<rolemap_store::UserId>,
        answer: &rolemap_store::KeptAnswer,
    ) -> Result<()> {
        check_idempotency_key(key)?;
        let now = OffsetDateTime::now_utc();
        Ok(self
            .store
            .keep_answer(
                key,
                user,
                answer,
                &stamp(now),
                &stamp(now - IDEMPOTENCY_WINDOW),
            )
            .await?)
    }
}
