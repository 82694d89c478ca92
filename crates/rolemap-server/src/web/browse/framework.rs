//! A framework's roles, browsed letter by letter.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use rolemap_service::dto::FrameworkDto;
use rolemap_store::RoleFilter;
use serde::{Deserialize, Serialize};

use super::home::HOME_ROLES_LIMIT;
use crate::state::AppState;
use crate::web::{PageQuery, PageResult, framework_page, given, url};

#[derive(Debug, Deserialize)]
pub(crate) struct LetterQuery {
    letter: Option<String>,
}

/// One entry of the letter navigation: a–z, then `#` for titles that start otherwise.
#[derive(Debug, Serialize)]
struct LetterLink {
    label: String,
    href: String,
    count: usize,
    current: bool,
}

#[derive(Debug, Serialize)]
struct RoleEntry {
    href: String,
    title: String,
    /// Grades or level, where the framework gives them.
    detail: String,
}

#[derive(Debug, Serialize)]
struct FrameworkPage {
    framework: FrameworkDto,
    description: String,
    letters: Vec<LetterLink>,
    /// How many versions of the framework are stored.
    versions: usize,
    /// The latest version as its framework document (TOML).
    document: String,
    /// The letter shown ("A".."Z" or "#"), empty where the framework has no roles.
    letter: String,
    roles: Vec<RoleEntry>,
    /// The files this framework downloads as (only formats its export can give).
    downloads: Vec<Download>,
}

#[derive(Debug, Serialize)]
struct Download {
    href: String,
    label: &'static str,
}

/// What each export format is called on the page.
fn download_label(format: &str) -> &'static str {
    match format {
        "xlsx" => "Spreadsheet (XLSX)",
        "csv" => "Spreadsheet (CSV)",
        "case" => "CASE 1.0 (JSON)",
        "case-xlsx" => "CASE spreadsheet (XLSX)",
        "rsd" => "OSMT RSD (JSON-LD)",
        "osmt-csv" => "OSMT skills (CSV)",
        _ => "Download",
    }
}

/// Where a title is filed: its first letter (a–z), or `#`.
fn initial(title: &str) -> char {
    match title.trim_start().chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_lowercase(),
        _ => '#',
    }
}

/// The address of a role or skill page: `framework:key`, or the id where the key is a URI (as
/// ESCO's are), which is shorter and reads no worse.
pub(super) fn address(framework: &str, key: &str, id: i64) -> String {
    if key.contains("://") {
        id.to_string()
    } else {
        url::encode(&format!("{framework}:{key}"))
    }
}

pub(crate) async fn framework(
    State(state): State<AppState>,
    uri: Uri,
    Path(key): Path<String>,
    PageQuery(q): PageQuery<LetterQuery>,
) -> Response {
    framework_page(&state, &uri, framework_roles_page(&state, &key, q)).await
}

async fn framework_roles_page(state: &AppState, key: &str, q: LetterQuery) -> PageResult {
    // An unknown framework is a 404 with suggestions, from the service.
    let mut roles = state
        .service
        .roles(&RoleFilter {
            framework: Some(key.to_owned()),
            ..RoleFilter::default()
        })
        .await?;
    let frameworks = state.service.frameworks().await?;
    // Several versions of a framework: the latest stored speaks for it.
    let Some(framework) = frameworks.iter().rev().find(|f| f.key == key) else {
        return Err(rolemap_service::ServiceError::NotFound {
            what: "framework",
            name: key.to_owned(),
            suggestions: Vec::new(),
        }
        .into());
    };
    let wanted = match given(&q.letter) {
        None => None,
        Some(text) => {
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_alphabetic() || c == '#' => {
                    Some(c.to_ascii_lowercase())
                }
                _ => {
                    return Err(rolemap_service::ServiceError::invalid(
                        "letter",
                        format!("“{text}” is not a letter: give one of a to z, or # for the rest"),
                    )
                    .into());
                }
            }
        }
    };
    roles.sort_by_cached_key(|r| (r.title.to_lowercase(), r.id.0));
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    for r in &roles {
        *counts.entry(initial(&r.title)).or_default() += 1;
    }
    // A short list is shown whole: letters would only hide most of it behind a click.
    let paged = roles.len() > HOME_ROLES_LIMIT as usize || wanted.is_some();
    // By default the first letter that has roles (`#` sorts before the letters, so comes last).
    let letter = wanted.or_else(|| {
        counts
            .keys()
            .copied()
            .find(char::is_ascii_alphabetic)
            .or_else(|| counts.keys().next().copied())
    });
    let path = format!("/frameworks/{}", url::encode(key));
    let letter = letter.filter(|_| paged);
    let letters = ('a'..='z')
        .chain(['#'])
        .filter(|_| paged)
        .map(|c| LetterLink {
            label: c.to_ascii_uppercase().to_string(),
            href: url::with_query(&path, &[("letter", Some(&c.to_string()))]),
            count: counts.get(&c).copied().unwrap_or(0),
            current: Some(c) == letter,
        })
        .collect();
    let entries = roles
        .iter()
        .filter(|r| !paged || Some(initial(&r.title)) == letter)
        .map(|r| RoleEntry {
            href: format!("/roles/{}", address(&r.framework_key, &r.key, r.id.0)),
            title: r.title.clone(),
            detail: if r.grades.is_empty() {
                r.level.map_or_else(String::new, |l| format!("level {l}"))
            } else {
                r.grades.join(", ")
            },
        })
        .collect();
    let downloads = state
        .service
        .export_formats(key)
        .await?
        .into_iter()
        .map(|format| Download {
            href: format!(
                "/api/v1/frameworks/{}/export/{format}",
                crate::web::url::encode(key)
            ),
            label: download_label(format),
        })
        .collect();
    Ok(state.templates.render(
        "framework.html",
        FrameworkPage {
            framework: FrameworkDto::from(framework),
            description: framework.description.clone(),
            letters,
            versions: frameworks.iter().filter(|f| f.key == key).count(),
            document: format!(
                "/api/v1/frameworks/{}/versions/{}/document",
                url::encode(key),
                url::encode(&framework.version)
            ),
            letter: letter.map_or_else(String::new, |c| c.to_ascii_uppercase().to_string()),
            roles: entries,
            downloads,
        },
    ))
}
