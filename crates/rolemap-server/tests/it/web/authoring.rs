//! Framework authoring through the router: a draft copied from a stored version, an edit kept,
//! an edit refused with its problem at its input, publication as a new version, the diff page and
//! the API's document and diff.

use axum::http::{StatusCode, header};

use crate::{get, post_form, state};

/// The draft a `POST /drafts` redirected to.
fn draft_path(reply: &crate::Reply) -> String {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply
        .headers
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_else(|| panic!("no Location: {:?}", reply.headers))
        .to_owned()
}

/// A role of the built-in ODP framework whose first requirement has levels by grade on a scale,
/// and its first grade.
fn leveled_requirement() -> (usize, String) {
    let odp = rolemap_formats::builtin::frameworks().unwrap_or_else(|e| panic!("{e}"))[0].clone();
    odp.roles
        .iter()
        .enumerate()
        .find_map(|(i, role)| {
            let first = role.requirements.first()?;
            let scaled = odp
                .skills
                .iter()
                .any(|s| s.key == first.skill && s.scale.is_some());
            (scaled && !role.grades.is_empty()).then(|| (i, role.grades[0].clone()))
        })
        .unwrap_or_else(|| panic!("no role with levels by grade"))
}

fn form_escape(text: &str) -> String {
    text.replace('%', "%25")
        .replace('[', "%5B")
        .replace(']', "%5D")
        .replace(' ', "+")
}

#[tokio::test]
async fn a_draft_copied_edited_and_published_becomes_a_new_version() {
    let state = state().await;
    let started = post_form(&state, "/drafts", "how=copy&framework=odp+2024").await;
    let draft = draft_path(&started);
    assert!(draft.starts_with("/drafts/"), "{draft}");
    let page = get(&state, &draft).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("odp version 2025"),
        "a copy is offered the next version"
    );
    assert!(
        page.body
            .contains("name=\"scales[0].levels[1].descriptor\"")
    );

    // A level code no scale knows: refused, the problem at the input, nothing kept.
    let (role, grade) = leveled_requirement();
    let field = format!("roles[{role}].requirements[0].levels.{grade}");
    let refused = post_form(
        &state,
        &draft,
        &format!("section=role-{role}&{}=Q", form_escape(&field)),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let input = format!("name=\"{field}\" value=\"Q\" aria-invalid=\"true\"");
    assert!(
        refused.body.contains(&input),
        "the typed value and the mark: {}",
        refused.body
    );
    assert!(
        refused.body.contains("unknown level &#39;Q&#39;"),
        "{}",
        refused.body
    );

    // A descriptor edited: kept.
    let kept = post_form(
        &state,
        &draft,
        &format!(
            "section=scales&{}=Works+alone+every+day",
            form_escape("scales[0].levels[1].descriptor")
        ),
    )
    .await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);
    let page = get(&state, &draft).await;
    assert!(page.body.contains("Works alone every day"), "{}", page.body);
    assert!(page.body.contains("What publishing changes"));

    let published = post_form(&state, &format!("{draft}/publish"), "").await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    let location = published
        .headers
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(location, "/frameworks/odp/diff?from=2024&to=2025");
    let diff = get(&state, &location).await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.body);
    assert!(diff.body.contains("odp-levels/W"), "{}", diff.body);
    assert!(diff.body.contains("Works alone every day"), "{}", diff.body);

    // Published: the draft no longer changes, and the version is stored.
    let again = post_form(&state, &draft, "section=scales").await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let json = get(&state, "/api/v1/frameworks/odp/diff?from=2024&to=2025").await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    let json = json.json();
    assert_eq!(json["changed"], 1, "{json:#}");
    assert_eq!(json["changes"][0]["field"], "descriptor");
    let document = get(&state, "/api/v1/frameworks/odp/versions/2025/document").await;
    assert_eq!(document.status, StatusCode::OK, "{}", document.body);
    assert!(document.content_type.starts_with("application/toml"));
    assert!(document.body.contains("version = \"2025\""));
    assert!(document.body.contains("Works alone every day"));
    let missing = get(&state, "/api/v1/frameworks/odp/versions/1999/document").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);

    // Who started, edited and published it is in the audit log, newest first; the refused
    // edit is not.
    let entries = state
        .service
        .store()
        .audit_entries(&rolemap_store::AuditFilter {
            action: Some("framework".into()),
            ..rolemap_store::AuditFilter::default()
        })
        .await
        .unwrap();
    let entries: Vec<_> = entries
        .into_iter()
        .filter(|e| e.action.starts_with("framework.draft") || e.action == "framework.publish")
        .collect();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "framework.publish",
            "framework.draft.edit",
            "framework.draft.create"
        ]
    );
    assert!(
        entries
            .iter()
            .all(|e| e.username.as_deref() == Some(crate::ADMIN))
    );
    assert_eq!(entries[0].subject, "odp@2025");
    let edit = entries[1].after.as_deref().unwrap_or_default();
    assert!(
        edit.contains("level 'odp-levels/W' changed (descriptor)"),
        "{edit}"
    );
}

#[tokio::test]
async fn a_new_framework_with_a_bad_key_is_refused_on_the_form() {
    let state = state().await;
    let refused = post_form(&state, "/drafts", "how=new&key=my+framework&name=Mine").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("framework.key"), "{}", refused.body);
    let started = post_form(&state, "/drafts", "how=new&key=mine&name=Mine").await;
    let draft = draft_path(&started);
    let added = post_form(&state, &draft, "section=skills&add=skills").await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = get(&state, &draft).await;
    assert!(page.body.contains("value=\"New skill\""), "{}", page.body);
    assert!(page.body.contains("No version of mine is stored yet"));
}

/// A level raised in a new version: the gap of someone in the old version's role says so and
/// links to the gap against the new version, where their assessments of the same skills count.
#[tokio::test]
async fn a_gap_says_what_a_new_version_changes_for_the_person() {
    let state = state().await;
    let odp = rolemap_formats::builtin::frameworks().unwrap_or_else(|e| panic!("{e}"))[0].clone();
    let role = odp
        .roles
        .iter()
        .position(|r| r.key == "team-leader")
        .unwrap_or_else(|| panic!("no team leader"));
    let (requirement, was) = odp.roles[role]
        .requirements
        .iter()
        .enumerate()
        .find_map(|(j, q)| {
            q.levels
                .iter()
                .find(|(g, c)| g == "HEO" && c.as_deref().is_some_and(|c| c != "E"))
                .and_then(|(_, c)| c.clone())
                .map(|c| (j, c))
        })
        .unwrap_or_else(|| panic!("no HEO level below E"));
    let skill = &odp.roles[role].requirements[requirement].skill;
    let label = &odp.skills.iter().find(|s| &s.key == skill).unwrap().label;

    let draft = draft_path(&post_form(&state, "/drafts", "how=copy&framework=odp+2024").await);
    let field = format!("roles[{role}].requirements[{requirement}].levels.HEO");
    let kept = post_form(&state, &draft, &format!("{}=E", form_escape(&field))).await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);
    let published = post_form(&state, &format!("{draft}/publish"), "").await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );

    let old = get(&state, "/people/liam-doyle/gap").await;
    assert_eq!(old.status, StatusCode::OK, "{}", old.body);
    assert!(old.body.contains("changes this role"), "{}", old.body);
    let line = format!("The level of {label} at HEO is raised from {was} to E.");
    assert!(
        old.body.contains(&line.replace('\'', "&#39;")),
        "{line}\n{}",
        old.body
    );

    let new_role = get(&state, "/api/v1/roles/odp:team-leader").await.json()["id"].clone();
    let gap = get(
        &state,
        &format!("/api/v1/people/liam-doyle/gap?target={new_role}"),
    )
    .await
    .json();
    let assessed = gap["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| !l["held"].is_null())
        .count();
    assert!(
        assessed > 0,
        "assessments carried to the new version: {gap:#}"
    );
    let page = get(&state, &format!("/people/liam-doyle/gap?target={new_role}")).await;
    assert!(
        page.body.contains("What version 2025 changes for"),
        "{}",
        page.body
    );
}
