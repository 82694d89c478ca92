//! Failed sign-ins, per account and per address, so that passwords cannot be guessed at the
//! speed of the server.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed sign-ins kept in memory, per account and per address, in a sliding window.
#[derive(Debug, Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl SignInLimiter {
    /// Failures allowed per account in [`SignInLimiter::WINDOW`] before it is refused.
    pub const PER_ACCOUNT: usize = 5;
    /// Failures allowed per address in the window (one office may share an address).
    pub const PER_ADDRESS: usize = 20;
    pub const WINDOW: Duration = Duration::from_secs(15 * 60);
    /// Past this many keys, those with no failure in the window are forgotten.
    const MAX_KEYS: usize = 10_000;

    fn keys(username: &str, address: Option<IpAddr>) -> Vec<(String, usize)> {
        let mut keys = vec![(format!("user:{username}"), Self::PER_ACCOUNT)];
        if let Some(address) = address {
            keys.push((format!("addr:{address}"), Self::PER_ADDRESS));
        }
        keys
    }

    /// How long until a sign-in for `username` from `address` may be tried, if it may not now.
    pub fn wait(&self, username: &str, address: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let failures = self.failures.lock().ok()?;
        Self::keys(username, address)
            .into_iter()
            .filter_map(|(key, limit)| {
                let recent: Vec<&Instant> = failures
                    .get(&key)?
                    .iter()
                    .filter(|at| now.duration_since(**at) < Self::WINDOW)
                    .collect();
                // The window opens again when the oldest failure that keeps it full ages out.
                (recent.len() >= limit).then(|| {
                    Self::WINDOW.saturating_sub(now.duration_since(*recent[recent.len() - limit]))
                })
            })
            .max()
    }

    pub fn record_failure(&self, username: &str, address: Option<IpAddr>, now: Instant) {
        let Ok(mut failures) = self.failures.lock() else {
            return;
        };
        if failures.len() > Self::MAX_KEYS {
            failures.retain(|_, times| {
                times.retain(|at| now.duration_since(*at) < Self::WINDOW);
                !times.is_empty()
            });
        }
        for (key, limit) in Self::keys(username, address) {
            let times = failures.entry(key).or_default();
            times.retain(|at| now.duration_since(*at) < Self::WINDOW);
            times.push(now);
            // Only the last `limit` failures decide anything.
            if times.len() > limit {
                times.drain(..times.len() - limit);
            }
        }
    }

    /// A correct password clears the account's failures (not the address's).
    pub fn record_success(&self, username: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&format!("user:{username}"));
        }
    }
}
