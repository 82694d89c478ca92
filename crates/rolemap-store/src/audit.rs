//! The audit log's types: who made a change ([`Actor`]), what it was ([`Change`]) and the entry
//! read back ([`AuditEntry`]). Store write methods take an `Actor` and record one `Change` per
//! thing they change, in the write's own transaction.

use rolemap_core::PersonId;

use crate::UserId;

/// Through which front end a change came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Via {
    /// The command line: the operator of the database file.
    #[default]
    Cli,
    /// A page of the web application.
    Web,
    /// The JSON API.
    Api,
}

impl Via {
    /// `cli`, `web` or `api`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Cli => "cli",
            Via::Web => "web",
            Via::Api => "api",
        }
    }

    /// Reads a front end as stored.
    pub fn parse(text: &str) -> Option<Via> {
        match text {
            "cli" => Some(Via::Cli),
            "web" => Some(Via::Web),
            "api" => Some(Via::Api),
            _ => None,
        }
    }
}

/// Who made a change and from where. The server sets it from the signed-in user and the peer's
/// address, never from what a request says; the command line is the operator, with no user.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actor {
    pub user: Option<UserId>,
    /// The user's name when the change was made.
    pub username: Option<String>,
    /// The peer's IP address, when known.
    pub address: Option<String>,
    pub via: Via,
}

impl Actor {
    /// The operator at the command line.
    pub fn cli() -> Actor {
        Actor::default()
    }
}

/// One thing a write changed, as the audit log keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What was done, as `thing.verb`: `person.add`, `assessment.add`, `framework.import`.
    pub action: &'static str,
    /// What it was done to: a key (`daniel`, `odp@2.0`) or `kind:id`.
    pub subject: String,
    /// The person the change is about, if any: their entries go with them when they are erased.
    pub person: Option<PersonId>,
    /// The fields that matter before and after (never a password or token hash); `None` for
    /// what did not exist before, or no longer exists after.
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// An entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339, UTC, set by the server or the command line.
    pub at: String,
    pub user: Option<UserId>,
    pub username: Option<String>,
    pub address: Option<String>,
    pub via: Via,
    pub action: String,
    pub subject: String,
    pub person: Option<PersonId>,
    /// JSON text, as recorded.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Narrows a reading of the audit log; every field set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub person: Option<PersonId>,
    pub user: Option<UserId>,
    /// `person` matches `person.add` and `person.update`; a full action matches itself.
    pub action: Option<String>,
    /// From this time on, inclusive (RFC 3339).
    pub since: Option<String>,
    /// Before this time, exclusive (RFC 3339).
    pub until: Option<String>,
    /// Entries with an id below this one (for paging backwards through the log).
    pub before_id: Option<i64>,
    /// At most this many entries; `None` for all.
    pub limit: Option<u32>,
}
