//! Two roles compared.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use rolemap_service::dto::{ComparisonDto, RoleSummaryDto};
use serde::{Deserialize, Serialize};

use super::role::LevelCell;
use crate::state::AppState;
use crate::web::{PageQuery, PageResult, RolePicker, framework_page, given, url};

#[derive(Debug, Deserialize)]
pub(crate) struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
    /// The grades of the step from A to B (defaults: A's top, B's entry).
    grade_a: Option<String>,
    grade_b: Option<String>,
}

#[derive(Debug, Serialize)]
struct SharedRow {
    label: String,
    href: String,
    a_importance: &'static str,
    b_importance: &'static str,
    /// The grades each role is found at, with its level there.
    a_levels: Vec<(String, LevelCell)>,
    b_levels: Vec<(String, LevelCell)>,
    /// B's level minus A's, at the grades both give a level for.
    differences: Vec<(String, i16)>,
    /// Whether the roles share any grade at all.
    common_grades: bool,
    /// For roles without grades.
    a_level: LevelCell,
    b_level: LevelCell,
    /// The levels at the step's grades, and B's rank minus A's where both give one.
    step_a: LevelCell,
    step_b: LevelCell,
    step_difference: Option<i16>,
}

#[derive(Debug, Serialize)]
struct OneSidedRow {
    label: String,
    href: String,
    importance: &'static str,
    levels: Vec<(String, LevelCell)>,
}

#[derive(Debug, Serialize)]
struct ComparePage {
    choices: RolePicker,
    a: String,
    b: String,
    comparison: Option<ComparisonDto>,
    differing: usize,
    /// Whether any shared skill is found at a grade both roles have.
    any_common_grade: bool,
    shared: Vec<SharedRow>,
    only_a: Vec<OneSidedRow>,
    only_b: Vec<OneSidedRow>,
}

fn skill_href(framework: &str, key: &str) -> String {
    format!("/skills/{}", url::encode(&format!("{framework}:{key}")))
}

fn one_sided(framework: &str, list: &[rolemap_core::compare::OneSided]) -> Vec<OneSidedRow> {
    list.iter()
        .map(|o| OneSidedRow {
            label: o.skill.label.clone(),
            href: skill_href(framework, &o.skill.key),
            importance: o.importance.as_str(),
            levels: o
                .levels
                .iter()
                .map(|(g, l)| (g.clone(), LevelCell::of(l)))
                .collect(),
        })
        .collect()
}

pub(crate) async fn compare(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(q): PageQuery<CompareQuery>,
) -> Response {
    framework_page(&state, &uri, compare_page(&state, q)).await
}

async fn compare_page(state: &AppState, q: CompareQuery) -> PageResult {
    let mut page = ComparePage {
        choices: RolePicker::new(state).await?,
        a: given(&q.a).unwrap_or_default().to_owned(),
        b: given(&q.b).unwrap_or_default().to_owned(),
        comparison: None,
        differing: 0,
        any_common_grade: false,
        shared: Vec::new(),
        only_a: Vec::new(),
        only_b: Vec::new(),
    };
    if let (Some(a), Some(b)) = (given(&q.a), given(&q.b)) {
        let c = state
            .service
            .compare_at(a, b, given(&q.grade_a), given(&q.grade_b))
            .await?;
        page.a = page
            .choices
            .value_of(state, &RoleSummaryDto::from(&c.a))
            .await;
        page.b = page
            .choices
            .value_of(state, &RoleSummaryDto::from(&c.b))
            .await;
        page.differing = c
            .facts
            .iter()
            .chain(&c.dimensions)
            .filter(|s| s.differs())
            .count();
        page.shared = c
            .shared
            .iter()
            .map(|s| SharedRow {
                label: s.skill.label.clone(),
                href: skill_href(&c.a.framework_key, &s.skill.key),
                a_importance: s.a_importance.as_str(),
                b_importance: s.b_importance.as_str(),
                a_levels: s
                    .grades
                    .iter()
                    .filter_map(|g| g.a.as_ref().map(|l| (g.grade.clone(), LevelCell::of(l))))
                    .collect(),
                b_levels: s
                    .grades
                    .iter()
                    .filter_map(|g| g.b.as_ref().map(|l| (g.grade.clone(), LevelCell::of(l))))
                    .collect(),
                differences: s
                    .grades
                    .iter()
                    .filter_map(|g| g.difference.map(|d| (g.grade.clone(), d)))
                    .collect(),
                common_grades: s.grades.iter().any(|g| g.a.is_some() && g.b.is_some()),
                a_level: LevelCell::of(&s.a_level),
                b_level: LevelCell::of(&s.b_level),
                step_a: LevelCell::of(&s.step.a),
                step_b: LevelCell::of(&s.step.b),
                step_difference: s.step.difference,
            })
            .collect();
        page.any_common_grade = page.shared.iter().any(|s| s.common_grades);
        page.only_a = one_sided(&c.a.framework_key, &c.only_a);
        page.only_b = one_sided(&c.b.framework_key, &c.only_b);
        page.comparison = Some(ComparisonDto::from(&c));
    }
    Ok(state.templates.render("compare.html", page))
}
