//! The O*NET database as its text release is downloaded: tab-separated files named for their
//! tables (`Occupation Data.txt`, `Task Statements.txt`, `Skills.txt`, ...).
//!
//! [`read`] takes each file's text with its name and checks everything at once: the files a
//! release must hold, the columns each file must name (found by header name, so the column sets
//! of releases 25 and later all read; other columns are ignored), rows whose number of fields is
//! not the header's (a lost or extra tab shifts every value after it), ratings that are not
//! numbers or lie outside the scale `Scales Reference.txt` gives, flags other than Y, N and
//! `n/a`, and codes no occupation of `Occupation Data.txt` has. It returns the whole model
//! ([`OnetData`]) or every problem, each with file, line, column and field. [`open`] reads the
//! files from the folder the release unpacks to. [`to_bundle`] turns the model into a framework
//! bundle: occupations become roles, tasks duties, rated skills requirements, alternate and
//! reported titles alternative and typical titles, related occupations links. [`kept_objects`] is
//! what the framework does not carry (ratings that are not requirements, short titles), kept
//! beside it, and [`from_bundle`] the release again, which [`write_release`] writes.
//!
//! The files are read as O*NET writes them: fields split at every tab, without quoting (a `"`
//! is a character like any other), lines ending in CRLF or LF, `n/a` for a value not given.

use std::collections::HashMap;
use std::path::Path;

use rolemap_core::bundle::{
    FrameworkBundle, FrameworkMeta, LinkDef, Origin, RequirementDef, RoleDef, SkillDef,
};
use rolemap_core::{Code, Duty, Importance, LevelDef, LinkKind, Scale, SkillKind};

use crate::diagnostic::{Diagnostic, Diagnostics};

/// The framework key O*NET is stored under.
pub const FRAMEWORK_KEY: &str = "onet";
/// The scheme of the code every role carries.
pub const CODE_SCHEME: &str = "O*NET-SOC";
/// The key of the level scale (O*NET's LV) in the stored framework.
pub const LEVEL_SCALE_KEY: &str = "onet-lv";
/// An importance (IM) of 3, "Important" on O*NET's 1-5 scale, or more makes a requirement
/// essential; below it, optional.
pub const ESSENTIAL_IMPORTANCE: f64 = 3.0;

mod bundle;
mod kept;
mod model;
mod reader;
mod table;
#[cfg(test)]
mod tests;
mod write;

pub use bundle::*;
pub use kept::{FORMAT, from_bundle, kept_objects};
pub use model::*;
pub use reader::*;
pub use write::*;
