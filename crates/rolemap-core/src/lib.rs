//! The rolemap domain: frameworks, proficiency scales, grade ladders, skills, roles, people and
//! assessments, and the analyses over them (compare, gap, team matrix, job description).
//!
//! This crate does no I/O: it never touches files, the network, a database or the clock. Callers
//! load data, hand it in, and get typed results that explain themselves.

pub mod bundle;
pub mod compare;
pub mod diff;
pub mod framework;
pub mod gap;
pub mod id;
pub mod jd;
pub mod label;
pub mod level;
pub mod mapping;
pub mod matrix;
pub mod person;
pub mod role;
pub mod seniority;
pub mod suggest;

pub use framework::{Framework, GradeLadder, JobFamily};
pub use id::{FrameworkId, PersonId, RoleId, SkillId};
pub use level::{Level, LevelDef, LevelError, Scale};
pub use mapping::{Mapping, MappingKind};
pub use person::{Assessment, Person, Source};
pub use role::{
    Code, Dimension, Duty, Importance, LinkKind, RequiredLevel, Requirement, ReuseLevel, Role,
    RoleLink, RoleSummary, Skill, SkillKind, SkillRef,
};
