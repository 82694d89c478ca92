//! A manager's team: heatmap, self-ratings waiting for review, goals due, the current review
//! cycle, single points of failure, training needs, succession, CSV.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use rolemap_service::ServiceError;
use rolemap_service::dto::{PersonDto, TeamMatrixDto};
use serde::{Deserialize, Serialize};

use super::gap_href;
use super::plans::{TeamPanel, team_panel};
use crate::auth::Viewer;
use crate::state::AppState;
use crate::web::pager::Pager;
use crate::web::{PageQuery, RolePicker, finish, given, url};

#[derive(Debug, Deserialize)]
pub(crate) struct TeamQuery {
    role: Option<String>,
    grade: Option<String>,
    /// The page of people shown in the person-by-person tables, from 1.
    page: Option<String>,
}

/// People per page in the team page's person-by-person tables (heatmap, cycle, succession), so
/// that the page of a manager with thousands below them stays small and quick; the figures
/// above the tables and the CSV downloads cover everyone.
const PEOPLE_PER_PAGE: u64 = 100;

/// The page of people asked for; a page that is not a number is an invalid request.
fn asked_page(asked: Option<&str>) -> Result<u64, ServiceError> {
    match asked {
        None => Ok(1),
        Some(text) => text.parse::<u64>().ok().filter(|&n| n >= 1).ok_or_else(|| {
            ServiceError::invalid("page", format!("'{text}' is not a page number (1, 2, ...)"))
        }),
    }
}

#[derive(Debug, Serialize)]
struct HeatCell {
    /// below, unassessed, met, above, or none (not required of this person).
    status: &'static str,
    symbol: &'static str,
    text: String,
    words: String,
}

#[derive(Debug, Serialize)]
struct HeatRow {
    person: PersonDto,
    readiness: Option<f64>,
    gap_href: String,
    cells: Vec<HeatCell>,
}

#[derive(Debug, Serialize)]
struct SkillHead {
    label: String,
    href: String,
}

#[derive(Debug, Serialize)]
struct TeamPage {
    matrix: TeamMatrixDto,
    skills: Vec<SkillHead>,
    rows: Vec<HeatRow>,
    levels: String,
    choices: RolePicker,
    role: String,
    grades: Vec<String>,
    grade: String,
    notice: Option<String>,
    csv_href: String,
    attributions: Vec<String>,
    plans: Option<TeamPanel>,
    pager: Pager,
}

fn symbol(status: &str) -> &'static str {
    match status {
        "met" => "✓",
        "above" => "▲",
        "below" => "▼",
        "unassessed" => "?",
        _ => "·",
    }
}

fn heat_rows(core: &rolemap_core::matrix::TeamMatrix, m: &TeamMatrixDto) -> Vec<HeatRow> {
    core.rows
        .iter()
        .zip(&m.rows)
        .map(|(core_row, row)| HeatRow {
            gap_href: gap_href(&row.person.key, None, None),
            cells: row
                .cells
                .iter()
                .zip(&m.skills)
                .map(|(c, skill)| {
                    let status = c.status.unwrap_or("none");
                    let held = c.held.as_deref().unwrap_or("–");
                    let required = c.required.as_deref().unwrap_or("–");
                    let words = match c.status {
                        None => format!(
                            "{}, {}: not required by their role; held {held}",
                            row.person.name, skill.label
                        ),
                        Some(s) => format!(
                            "{}, {}: held {held}, required {required}, {s}",
                            row.person.name, skill.label
                        ),
                    };
                    HeatCell {
                        status,
                        symbol: symbol(status),
                        text: format!("{held} / {required}"),
                        words,
                    }
                })
                .collect(),
            readiness: row.readiness,
            person: PersonDto::from(&core_row.person),
        })
        .collect()
}

/// A CSV field, quoted where needed; text a spreadsheet would run as a formula is defused.
pub(crate) fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) || text.trim() != text {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One CSV line, its fields quoted where needed, ended by CRLF.
pub(super) fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// One row per person and skill: held, required and status in columns of their own.
fn team_csv(m: &TeamMatrixDto) -> String {
    let (header, rows) = m.csv_table();
    let mut out = csv_line(&header);
    for row in &rows {
        out.push_str(&csv_line(row));
    }
    out
}

pub(crate) async fn team(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    Path(manager): Path<String>,
    PageQuery(q): PageQuery<TeamQuery>,
) -> Response {
    let result = async {
        if let Some(key) = manager.strip_suffix(".csv") {
            let m = state
                .service
                .team_matrix(key, given(&q.role), given(&q.grade))
                .await?;
            let dto = TeamMatrixDto::from(&*m);
            return Ok(crate::web::download(
                "text/csv; charset=utf-8",
                &format!("team-{}.csv", dto.manager.key),
                team_csv(&dto),
            ));
        }
        let mut notice = None;
        let matrix = match state
            .service
            .team_matrix(&manager, given(&q.role), given(&q.grade))
            .await
        {
            // A grade the chosen role does not have (say after switching roles): its default.
            Err(ServiceError::Invalid { field, message }) if field == "grade" => {
                notice = Some(format!("{message}; showing the default grade instead."));
                state
                    .service
                    .team_matrix(&manager, given(&q.role), None)
                    .await?
            }
            other => other?,
        };
        // Only the page of people shown is turned into rows to render; the figures over the
        // whole team (coverage, training needs) are in the matrix already.
        let total = matrix.rows.len();
        let manager_key = matrix.manager.key.clone();
        let team_href = format!("/teams/{}", url::encode(&manager_key));
        let total = u64::try_from(total).unwrap_or(u64::MAX);
        let pager = Pager::new(total, PEOPLE_PER_PAGE, asked_page(given(&q.page))?, |n| {
            let page = n.to_string();
            url::with_query(
                &team_href,
                &[
                    ("role", given(&q.role)),
                    ("grade", given(&q.grade)),
                    ("page", Some(&page)),
                ],
            )
        });
        let shown = pager.range();
        let matrix = matrix.page(shown.clone());
        let dto = TeamMatrixDto::from(&matrix);
        let levels = matrix
            .skills
            .iter()
            .find_map(|s| s.scale.as_ref())
            .map(rolemap_core::Scale::valid_list)
            .unwrap_or_default();
        let mut keys: Vec<&str> = matrix
            .rows
            .iter()
            .filter_map(|r| r.person.role.as_ref().map(|r| r.framework_key.as_str()))
            .collect();
        if let Some(s) = &matrix.succession {
            keys.push(&s.role.framework_key);
        }
        let attributions = crate::web::attributions(&state, keys).await?;
        let choices = RolePicker::new(&state).await?;
        let (role, grades, grade) = match &dto.succession {
            Some(s) => (
                choices.value_of(&state, &s.role).await,
                s.role.grades.clone(),
                s.grade.clone().unwrap_or_default(),
            ),
            None => (String::new(), Vec::new(), String::new()),
        };
        let now = rolemap_service::now();
        let plans = state.service.team_plans(&manager, &now).await?;
        let mut plans = team_panel(&state, viewer.user.as_deref(), &plans, &now).await?;
        plans.keep(shown, PEOPLE_PER_PAGE as usize);
        let rows = heat_rows(&matrix, &dto);
        let page = TeamPage {
            pager,
            plans: Some(plans),
            skills: dto
                .skills
                .iter()
                .map(|s| SkillHead {
                    label: s.label.clone(),
                    href: format!("/skills/{}", s.id),
                })
                .collect(),
            rows,
            levels,
            choices,
            role,
            grades,
            grade,
            notice,
            csv_href: url::with_query(
                &format!("/teams/{}.csv", url::encode(&dto.manager.key)),
                &[("role", given(&q.role)), ("grade", given(&q.grade))],
            ),
            attributions,
            matrix: dto,
        };
        Ok(state.templates.render("team.html", page))
    }
    .await;
    finish(&state, &uri, result)
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("–/P"), "–/P");
    }
}
