//! The search page.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::framework::address;
use crate::state::AppState;
use crate::web::{PageQuery, PageResult, finish, given, url};

#[derive(Debug, Deserialize)]
pub(crate) struct SearchQuery {
    q: Option<String>,
}

#[derive(Debug, Serialize)]
struct Hit {
    href: String,
    label: String,
    framework: String,
    matched: Option<String>,
    /// Which text matched, when not the preferred label.
    field: &'static str,
}

/// Results on the search page.
const SEARCH_PAGE_LIMIT: usize = 50;

#[derive(Debug, Serialize)]
struct SearchPage {
    q: String,
    searched: bool,
    roles: Vec<Hit>,
    skills: Vec<Hit>,
    people: Vec<Hit>,
    attributions: Vec<String>,
}

pub(crate) async fn search(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(q): PageQuery<SearchQuery>,
) -> Response {
    let result = search_page(&state, q).await;
    finish(&state, &uri, result)
}

async fn search_page(state: &AppState, q: SearchQuery) -> PageResult {
    let text = given(&q.q).unwrap_or_default().to_owned();
    let mut page = SearchPage {
        q: text.clone(),
        searched: !text.is_empty(),
        roles: Vec::new(),
        skills: Vec::new(),
        people: Vec::new(),
        attributions: Vec::new(),
    };
    if !text.is_empty() {
        let results = state
            .service
            .search(&rolemap_service::SearchInput {
                text: text.clone(),
                kind: None,
                framework: None,
                limit: SEARCH_PAGE_LIMIT,
            })
            .await?;
        for r in results {
            let role = r.kind == rolemap_store::ConceptKind::Role;
            let hit = Hit {
                href: format!(
                    "/{}/{}",
                    if role { "roles" } else { "skills" },
                    address(&r.framework, &r.key, r.id)
                ),
                matched: (r.field != "preferred").then(|| r.matched.clone()),
                field: match r.field {
                    "alternative" => "alternative label",
                    "hidden" => "hidden label",
                    "description" => "description",
                    _ => "",
                },
                label: r.label,
                framework: r.framework,
            };
            if role {
                page.roles.push(hit);
            } else {
                page.skills.push(hit);
            }
        }
        let lower = text.to_lowercase();
        page.people = state
            .service
            .people()
            .await?
            .iter()
            .filter(|p| p.name.to_lowercase().contains(&lower))
            .map(|p| Hit {
                href: format!("/people/{}", url::encode(&p.key)),
                label: p.name.clone(),
                framework: p.team.clone(),
                matched: None,
                field: "",
            })
            .collect();
        let keys: Vec<String> = page
            .roles
            .iter()
            .chain(&page.skills)
            .map(|h| h.framework.clone())
            .collect();
        page.attributions =
            crate::web::attributions(state, keys.iter().map(String::as_str)).await?;
    }
    Ok(state.templates.render("search.html", page))
}
