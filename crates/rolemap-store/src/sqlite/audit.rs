//! Stands in for the audit log's recording until it is merged: the same types and `record`
//! signature, recording nothing.

use rolemap_core::PersonId;

use crate::{Result, UserId};

/// How a change reached rolemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Cli,
    Web,
    Api,
}

/// Who made a change, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    pub username: Option<String>,
    pub address: Option<String>,
    pub via: Via,
}

impl Actor {
    /// The operator at the command line.
    pub fn cli() -> Actor {
        Actor {
            user: None,
            username: None,
            address: None,
            via: Via::Cli,
        }
    }
}

/// One thing changed by a write.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub action: &'static str,
    pub subject: String,
    pub person: Option<PersonId>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub(crate) async fn record(
    _conn: &mut sqlx::SqliteConnection,
    _actor: &Actor,
    _now: &str,
    _change: &Change,
) -> Result<()> {
    Ok(())
}
