//! The home page: frameworks by family, with their roles, and links to teams.

use std::collections::BTreeMap;

use axum::Extension;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use rolemap_service::dto::{FrameworkDto, PersonDto, RoleSummaryDto};
use rolemap_store::RoleFilter;
use serde::Serialize;

use crate::auth::Viewer;
use crate::state::AppState;
use crate::web::{PageResult, finish};

#[derive(Debug, Serialize)]
struct FamilyGroup {
    name: Option<String>,
    roles: Vec<RoleSummaryDto>,
}

#[derive(Debug, Serialize)]
struct FrameworkGroup {
    framework: FrameworkDto,
    /// Empty for a large framework, whose roles are browsed on its own page instead.
    families: Vec<FamilyGroup>,
    /// Whether its roles are listed on its own page rather than here.
    browse: bool,
}

/// Frameworks with more roles than this are not listed on the home page, which would otherwise
/// grow by every role of ESCO; their roles are browsed letter by letter on their own page.
pub(super) const HOME_ROLES_LIMIT: u64 = 60;

#[derive(Debug, Serialize)]
pub(crate) struct TeamLink {
    manager: PersonDto,
    size: usize,
}

#[derive(Debug, Serialize)]
struct HomePage {
    frameworks: Vec<FrameworkGroup>,
    people: usize,
    teams: Vec<TeamLink>,
}

pub(crate) async fn home(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
) -> Response {
    let result = home_page(&state, viewer.user.as_deref()).await;
    finish(&state, &uri, result)
}

async fn home_page(state: &AppState, user: Option<&rolemap_store::User>) -> PageResult {
    let frameworks = state.service.frameworks().await?;
    // The people and teams counted and linked are those the viewer may see.
    let people = state.service.people().await?;
    let people = crate::access::visible_people(state, user, people).await?;
    let mut groups = Vec::new();
    for f in &frameworks {
        if f.role_count > HOME_ROLES_LIMIT {
            groups.push(FrameworkGroup {
                framework: FrameworkDto::from(f),
                families: Vec::new(),
                browse: true,
            });
            continue;
        }
        let roles = state
            .service
            .roles(&RoleFilter {
                framework: Some(f.key.clone()),
                ..RoleFilter::default()
            })
            .await?;
        // Families by name, roles by title; roles without a family come last.
        let mut families: BTreeMap<(bool, String), Vec<RoleSummaryDto>> = BTreeMap::new();
        for r in &roles {
            let key = (r.family.is_none(), r.family.clone().unwrap_or_default());
            families
                .entry(key)
                .or_default()
                .push(RoleSummaryDto::from(r));
        }
        let families = families
            .into_iter()
            .map(|((none, name), mut roles)| {
                roles.sort_by_key(|r| r.title.to_lowercase());
                FamilyGroup {
                    name: (!none).then_some(name),
                    roles,
                }
            })
            .collect();
        groups.push(FrameworkGroup {
            framework: FrameworkDto::from(f),
            families,
            browse: false,
        });
    }
    Ok(state.templates.render(
        "home.html",
        HomePage {
            frameworks: groups,
            people: people.len(),
            teams: teams(&people),
        },
    ))
}

/// Everyone who manages someone, with the size of their whole team (direct and indirect).
pub(crate) fn teams(people: &[rolemap_core::Person]) -> Vec<TeamLink> {
    use std::collections::{HashMap, HashSet};
    let mut reports: HashMap<rolemap_core::PersonId, Vec<rolemap_core::PersonId>> = HashMap::new();
    for p in people {
        if let Some((manager, _)) = &p.manager {
            reports.entry(*manager).or_default().push(p.id);
        }
    }
    let mut out: Vec<TeamLink> = people
        .iter()
        .filter(|m| reports.contains_key(&m.id))
        .map(|m| {
            let mut seen = HashSet::from([m.id]);
            let mut frontier = vec![m.id];
            while let Some(boss) = frontier.pop() {
                for &p in reports.get(&boss).map_or(&[][..], Vec::as_slice) {
                    if seen.insert(p) {
                        frontier.push(p);
                    }
                }
            }
            TeamLink {
                manager: PersonDto::from(m),
                size: seen.len() - 1,
            }
        })
        .collect();
    out.sort_by_key(|t| t.manager.name.to_lowercase());
    out
}
