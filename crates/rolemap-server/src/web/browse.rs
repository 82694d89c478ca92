//! Pages for exploring frameworks: home, search, a role, a skill, two roles compared, and a job
//! description (as a printable page and as Markdown).

mod compare;
mod framework;
mod home;
mod job_description;
mod role;
mod search;
mod skill;

pub(crate) use compare::compare;
pub(crate) use framework::framework;
pub(crate) use home::{TeamLink, home, teams};
pub(crate) use job_description::{job_description, job_description_markdown};
pub(crate) use role::{progression, role, routes, similar};
pub(crate) use search::search;
pub(crate) use skill::skill;
