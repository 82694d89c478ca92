//! ESCO browsing: the ISCO groups down to occupations and the skill groups down to skills as
//! expandable trees (each concept below a page's concept a `<details>` opening onto the first
//! of its own), a skill group's skills, and the collections of skills (digital, green,
//! transversal, ...). Every list is paged, so no page grows with the release: a page holds at
//! most [`PAGE`] concepts and [`PREVIEW`] below each, well under 100 KB.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use rolemap_store::{EscoLink, EscoPillar};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::pager::Pager;
use crate::web::{PageQuery, PageResult, framework_page, given, url};

/// Concepts on one page of a tree or a collection.
pub(crate) const PAGE: u64 = 40;
/// Concepts shown inside each expandable concept; its own page lists them all.
pub(crate) const PREVIEW: u64 = 8;

#[derive(Debug, Deserialize)]
pub(crate) struct TreeQuery {
    /// The URI of the concept whose narrower concepts are listed; the top when absent.
    group: Option<String>,
    page: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PageNumber {
    page: Option<u64>,
}

/// A concept as the pages link it.
#[derive(Debug, Serialize)]
struct Concept {
    label: String,
    code: String,
    kind: String,
    /// Its role's or skill's page, where rolemap holds it as one.
    href: Option<String>,
    /// Its place in the tree: the page listing what lies below it.
    tree_href: String,
}

#[derive(Debug, Serialize)]
struct Node {
    concept: Concept,
    /// Concepts directly below it.
    narrower: u64,
    /// The first of them.
    preview: Vec<Concept>,
}

#[derive(Debug, Serialize)]
struct TreePage {
    /// "occupations" or "skills".
    pillar: &'static str,
    title: &'static str,
    parent: Option<Concept>,
    path: Vec<Concept>,
    total: u64,
    nodes: Vec<Node>,
    pager: Pager,
}

#[derive(Debug, Serialize)]
struct IndexPage {
    collections: Vec<(String, u64)>,
}

#[derive(Debug, Serialize)]
struct CollectionPage {
    tag: String,
    total: u64,
    skills: Vec<Concept>,
    pager: Pager,
}

fn tree_base(pillar: EscoPillar) -> &'static str {
    match pillar {
        EscoPillar::Occupations => "/esco/occupations",
        EscoPillar::Skills => "/esco/skills",
    }
}

fn concept(pillar: EscoPillar, link: &EscoLink) -> Concept {
    Concept {
        label: if link.label.is_empty() {
            link.uri.clone()
        } else {
            link.label.clone()
        },
        code: link.code.clone(),
        kind: link.kind.clone(),
        href: match (link.role, link.skill) {
            (Some(role), _) => Some(format!("/roles/{}", role.0)),
            (None, Some(skill)) => Some(format!("/skills/{}", skill.0)),
            (None, None) => None,
        },
        tree_href: url::with_query(tree_base(pillar), &[("group", Some(link.uri.as_str()))]),
    }
}

/// Page `page` (from 1) of `total` items, with the addresses of its neighbours.
fn pager(total: u64, page: u64, address: impl Fn(u64) -> String) -> Pager {
    Pager::new(total, PAGE, page, address)
}

/// ESCO's browsing home: the two trees and the collections.
pub(crate) async fn index(State(state): State<AppState>, uri: Uri) -> Response {
    let build = async {
        let collections = state.service.esco_collections().await?;
        Ok(state
            .templates
            .render("esco.html", IndexPage { collections }))
    };
    framework_page(&state, &uri, build).await
}

pub(crate) async fn occupations(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(q): PageQuery<TreeQuery>,
) -> Response {
    framework_page(&state, &uri, tree(&state, EscoPillar::Occupations, q)).await
}

pub(crate) async fn skills(
    State(state): State<AppState>,
    uri: Uri,
    PageQuery(q): PageQuery<TreeQuery>,
) -> Response {
    framework_page(&state, &uri, tree(&state, EscoPillar::Skills, q)).await
}

async fn tree(state: &AppState, pillar: EscoPillar, q: TreeQuery) -> PageResult {
    let group = given(&q.group);
    let wanted = q.page.unwrap_or(1).max(1);
    let branch = state
        .service
        .esco_branch(pillar, group, (wanted - 1) * PAGE, PAGE)
        .await?;
    let mut nodes = Vec::with_capacity(branch.children.len());
    for child in &branch.children {
        let preview = if child.narrower > 0 {
            state
                .service
                .esco_branch(pillar, Some(&child.link.uri), 0, PREVIEW)
                .await?
                .children
                .iter()
                .map(|c| concept(pillar, &c.link))
                .collect()
        } else {
            Vec::new()
        };
        nodes.push(Node {
            concept: concept(pillar, &child.link),
            narrower: child.narrower,
            preview,
        });
    }
    let pager = pager(branch.total, wanted, |page| {
        let page = page.to_string();
        url::with_query(
            tree_base(pillar),
            &[("group", group), ("page", Some(page.as_str()))],
        )
    });
    if pager.page != wanted {
        // A page past the end: none such, rather than the last page under another number.
        return Err(ApiError::from(rolemap_service::ServiceError::invalid(
            "page",
            format!("there are {} pages, not {wanted}", pager.pages),
        )));
    }
    Ok(state.templates.render(
        "esco_tree.html",
        TreePage {
            pillar: pillar.as_str(),
            title: match pillar {
                EscoPillar::Occupations => "Occupations by ISCO group",
                EscoPillar::Skills => "Skills by group",
            },
            parent: branch.parent.as_ref().map(|p| concept(pillar, p)),
            path: branch.path.iter().map(|l| concept(pillar, l)).collect(),
            total: branch.total,
            nodes,
            pager,
        },
    ))
}

/// One collection's skills, a page at a time.
pub(crate) async fn collection(
    State(state): State<AppState>,
    uri: Uri,
    Path(tag): Path<String>,
    PageQuery(q): PageQuery<PageNumber>,
) -> Response {
    let build = async {
        let wanted = q.page.unwrap_or(1).max(1);
        let (total, skills) = state
            .service
            .esco_collection(&tag, (wanted - 1) * PAGE, PAGE)
            .await?;
        let base = format!("/esco/collections/{}", url::encode(&tag));
        let pager = pager(total, wanted, |page| format!("{base}?page={page}"));
        if pager.page != wanted {
            return Err(ApiError::from(rolemap_service::ServiceError::invalid(
                "page",
                format!("there are {} pages, not {wanted}", pager.pages),
            )));
        }
        Ok(state.templates.render(
            "esco_collection.html",
            CollectionPage {
                skills: skills
                    .iter()
                    .map(|l| concept(EscoPillar::Skills, l))
                    .collect(),
                tag,
                total,
                pager,
            },
        ))
    };
    framework_page(&state, &uri, build).await
}
