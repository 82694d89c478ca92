//! Pages about people: the list, a person, the gap to a role (with the radar), a manager's team
//! (heatmap, reviews waiting, goals due, the review cycle, single points of failure, training
//! needs, succession, CSV), the self-assessment form, and the review and goal forms (`plans`);
//! adding, editing, moving and archiving people, importing them from CSV, and the named teams.

mod admin;
mod assess;
mod gap;
mod import;
mod list;
mod person;
pub(crate) mod plans;
mod team;
mod teams;

pub(crate) use admin::{add_person, archive, edit_form, edit_submit, unarchive};
pub(crate) use assess::{assess_form, assess_submit};
pub(crate) use gap::gap;
pub(crate) use import::{import_form, import_submit};
pub(crate) use list::people;
pub(crate) use person::person;
pub(crate) use plans::{cycle_csv, goal_submit, goal_update_submit, review_submit};
pub(crate) use team::{csv_field, team};
pub(crate) use teams::named_teams;

use rolemap_service::dto::RoleSummaryDto;

use super::url;

fn role_name(role: &RoleSummaryDto) -> String {
    format!("{}:{}", role.framework, role.key)
}

fn gap_href(person_key: &str, target: Option<&str>, grade: Option<&str>) -> String {
    url::with_query(
        &format!("/people/{}/gap", url::encode(person_key)),
        &[("target", target), ("grade", grade)],
    )
}
