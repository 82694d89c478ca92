//! The JSON shapes of rolemap's answers, shared by `--format json` on the command line and the
//! HTTP API. Field names here are a public contract: change them only with a new API version.
//!
//! One module per area, each re-exported here, so every shape is `dto::X` whatever file holds it.

mod account;
mod audit;
mod authoring;
mod compare;
mod crosswalk;
mod esco;
mod extract;
mod import;
mod job_description;
mod people;
mod plans;
mod role;
mod routes;
mod search;
mod similar;
mod skill;
mod team;

pub use account::*;
pub use audit::*;
pub use authoring::*;
pub use compare::*;
pub use crosswalk::*;
pub use esco::*;
pub use extract::*;
pub use import::*;
pub use job_description::*;
pub use people::*;
pub use plans::*;
pub use role::*;
pub use routes::*;
pub use search::*;
pub use similar::*;
pub use skill::*;
pub use team::*;

use rolemap_core::RequiredLevel;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// Grade -> level code, in ladder order; `null` where the source gives no level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeLevelsMap(pub Vec<(String, Option<String>)>);

impl Serialize for GradeLevelsMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (grade, code) in &self.0 {
            map.serialize_entry(grade, code)?;
        }
        map.end()
    }
}

fn code(level: &RequiredLevel) -> Option<String> {
    level.level().map(|l| l.code().to_owned())
}

/// Three decimals: enough to rank by, and stable to read.
fn rounded(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}
