//! A person's page: their levels and history, the outcome of reviews of their self-ratings
//! (with the review forms, for a manager above them) and their development plan.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use rolemap_service::dto::{AssessmentDto, HeldDto, PersonDetailDto, PersonDto};
use serde::Serialize;

use super::plans::{PersonPanel, person_panel};
use super::{gap_href, role_name};
use crate::access::{Grant, Relation};
use crate::auth::Viewer;
use crate::state::AppState;
use crate::web::{finish, url};

#[derive(Debug, Serialize)]
struct PersonPage {
    person: PersonDto,
    current: Vec<HeldDto>,
    /// Newest first.
    history: Vec<AssessmentDto>,
    reports: Vec<PersonDto>,
    manages: bool,
    gap_href: Option<String>,
    assess_href: String,
    /// The viewer manages this person: their rating form, saved as "manager".
    rate_href: Option<String>,
    /// The viewer is this person: the form rates themselves.
    own: bool,
    attributions: Vec<String>,
    /// Whether the viewer is an admin, who may edit, move, archive and erase people.
    admin: bool,
    plans: PersonPanel,
}

pub(crate) async fn person(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    Path(id): Path<String>,
    grant: Option<Extension<Grant>>,
) -> Response {
    // How the viewer stands to the person, as the permission check found it.
    let relation = grant.map(|Extension(g)| g.relation);
    let result = async {
        let detail = state.service.person_detail(&id).await?;
        let everyone = state.service.people().await?;
        let mut reports: Vec<PersonDto> = everyone
            .iter()
            .filter(|p| {
                p.manager
                    .as_ref()
                    .is_some_and(|(m, _)| *m == detail.person.id)
            })
            .map(PersonDto::from)
            .collect();
        reports.sort_by_key(|p| p.name.to_lowercase());
        // The frameworks of their role and of every skill assessed.
        let mut keys: Vec<String> = detail
            .person
            .role
            .iter()
            .map(|r| r.framework_key.clone())
            .collect();
        let mut skills: Vec<i64> = detail.history.iter().map(|a| a.skill.0).collect();
        skills.sort_unstable();
        skills.dedup();
        for id in skills {
            if let Some(f) = state.service.skill(&id.to_string(), None).await?.framework {
                keys.push(f.key);
            }
        }
        let attributions =
            crate::web::attributions(&state, keys.iter().map(String::as_str)).await?;
        let plans = person_panel(&state, viewer.user.as_deref(), &detail.person).await?;
        let dto = PersonDetailDto::from(&detail);
        let mut history = dto.history;
        history.reverse();
        let own = dto.person.role.as_ref().map(role_name);
        let assess_href = url::with_query(
            "/assess",
            &[
                ("person", Some(dto.person.key.as_str())),
                ("role", own.as_deref()),
            ],
        );
        Ok(state.templates.render(
            "person.html",
            PersonPage {
                plans,
                gap_href: own.as_ref().map(|_| gap_href(&dto.person.key, None, None)),
                rate_href: (relation == Some(Relation::Report)).then(|| assess_href.clone()),
                own: relation == Some(Relation::Own),
                assess_href,
                manages: !reports.is_empty(),
                admin: viewer
                    .user
                    .as_ref()
                    .is_some_and(|u| u.role == rolemap_store::UserRole::Admin),
                attributions,
                reports,
                current: dto.current,
                history,
                person: dto.person,
            },
        ))
    }
    .await;
    finish(&state, &uri, result)
}
