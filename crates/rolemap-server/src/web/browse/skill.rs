//! A skill's page.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use rolemap_service::dto::SkillDetailDto;
use serde::Serialize;

use crate::state::AppState;
use crate::web::framework_page;

#[derive(Debug, Serialize)]
struct SkillPage {
    skill: SkillDetailDto,
    /// The exact name shown to people: `framework:key`, or the id where the key is a URI.
    reference: String,
}

/// The exact name of a role or skill as a page shows it: `framework:key`, or where the key is a
/// URI (ESCO's), which is no name for people, the id, which the command line and every address
/// take too.
pub(super) fn reference(framework: &str, key: &str, id: i64) -> String {
    if rolemap_core::label::readable_key(key) {
        format!("{framework}:{key}")
    } else {
        id.to_string()
    }
}

pub(crate) async fn skill(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let build = async {
        let detail = state.service.skill(&id, None).await?;
        Ok(state.templates.render(
            "skill.html",
            SkillPage {
                skill: SkillDetailDto::from(&detail),
                reference: reference(
                    &detail.skill.framework_key,
                    &detail.skill.key,
                    detail.skill.id.0,
                ),
            },
        ))
    };
    framework_page(&state, &uri, build).await
}
