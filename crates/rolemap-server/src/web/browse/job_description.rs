//! A role's job description, as a printable page and as Markdown.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use rolemap_service::dto::{JobDescriptionDto, RoleSummaryDto};
use serde::{Deserialize, Serialize};

use crate::state::AppState;
use crate::web::{PageQuery, PageResult, finish, given, url};

#[derive(Debug, Deserialize)]
pub(crate) struct GradeQuery {
    grade: Option<String>,
}

#[derive(Debug, Serialize)]
struct JdPage {
    role: RoleSummaryDto,
    name: String,
    grade: Option<String>,
    jd: Option<JobDescriptionDto>,
    markdown_href: String,
    grade_error: Option<String>,
}

pub(crate) async fn job_description(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
    PageQuery(q): PageQuery<GradeQuery>,
) -> Response {
    let result = jd_page(&state, &id, q).await;
    finish(&state, &uri, result)
}

async fn jd_page(state: &AppState, id: &str, q: GradeQuery) -> PageResult {
    let role = state.service.role(id, None).await?;
    let name = format!("{}:{}", role.framework_key, role.key);
    let summary = crate::web::summary_of(&role);
    let grade = given(&q.grade).map(str::to_owned);
    let mut page = JdPage {
        role: summary,
        markdown_href: url::with_query(
            &format!("/roles/{}/jd.md", url::encode(&name)),
            &[("grade", grade.as_deref())],
        ),
        name,
        grade: grade.clone(),
        jd: None,
        grade_error: None,
    };
    // A graded role needs a grade: show the picker until one is chosen.
    if role.grades.is_empty() || grade.is_some() {
        match state
            .service
            .job_description(&page.name, grade.as_deref())
            .await
        {
            Ok(jd) => {
                page.grade.clone_from(&jd.grade);
                page.jd = Some(JobDescriptionDto::from(&jd));
            }
            Err(rolemap_service::ServiceError::Invalid { field, message }) if field == "grade" => {
                page.grade_error = Some(message);
                return Ok(state.templates.render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "jd.html",
                    page,
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(state.templates.render("jd.html", page))
}

pub(crate) async fn job_description_markdown(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
    PageQuery(q): PageQuery<GradeQuery>,
) -> Response {
    let result = async {
        let jd = state.service.job_description(&id, given(&q.grade)).await?;
        let mut file = rolemap_service::slug(&jd.title);
        if let Some(grade) = &jd.grade {
            file.push('-');
            file.push_str(&rolemap_service::slug(grade));
        }
        file.push_str(".md");
        Ok(crate::web::download(
            "text/markdown; charset=utf-8",
            &file,
            rolemap_formats::jd::to_markdown(&jd),
        ))
    }
    .await;
    finish(&state, &uri, result)
}
