//! Framework authoring pages: what changed between two versions, the list of drafts (and the
//! forms that start one), a draft's editor and its publication.
//!
//! The editor's inputs are named by the field paths of the framework reader's diagnostics
//! (`skills[2].label`, `roles[0].requirements[1].levels.HEO`), so every problem an edit causes is
//! shown at the input it concerns; each section is a form of its own, and an edit is kept only
//! when the whole draft still reads (the service checks it with the file reader).

mod sections;

use std::collections::HashMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use rolemap_core::bundle::FrameworkBundle;
use rolemap_core::diff::FrameworkDiff;
use rolemap_service::dto::{ChangeDto, FrameworkDiffDto};
use rolemap_service::{DraftEdit, DraftStart, ServiceError, now};
use rolemap_store::{FrameworkDraft, Via};
use serde::{Deserialize, Serialize};

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{PageQuery, PageResult, finish, given, url};
use sections::{Inputs, place_problems, sections};

#[derive(Debug, Deserialize)]
pub(crate) struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
}

/// Changes of one kind of item, for a table of their own.
#[derive(Debug, Serialize)]
struct ChangeGroup {
    item: &'static str,
    /// The heading: the kind of item in the plural.
    title: &'static str,
    changes: Vec<ChangeDto>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DiffView {
    framework: String,
    from: String,
    to: String,
    added: usize,
    removed: usize,
    changed: usize,
    groups: Vec<ChangeGroup>,
}

fn plural_title(item: &str) -> &'static str {
    match item {
        "framework" => "Framework",
        "scale" => "Scales",
        "level" => "Levels",
        "grade ladder" => "Grade ladders",
        "grade" => "Grades",
        "job family" => "Job families",
        "skill" => "Skills",
        "role" => "Roles",
        "requirement" => "Requirements",
        _ => "Links",
    }
}

pub(crate) fn diff_view(diff: &FrameworkDiff) -> DiffView {
    let dto = FrameworkDiffDto::from(diff);
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for change in dto.changes {
        match groups.last_mut() {
            Some(group) if group.item == change.item => group.changes.push(change),
            _ => groups.push(ChangeGroup {
                item: change.item,
                title: plural_title(change.item),
                changes: vec![change],
            }),
        }
    }
    DiffView {
        framework: dto.framework,
        from: dto.from,
        to: dto.to,
        added: dto.added,
        removed: dto.removed,
        changed: dto.changed,
        groups,
    }
}

#[derive(Debug, Serialize)]
struct VersionLink {
    version: String,
    document: String,
}

#[derive(Debug, Serialize)]
struct DiffPage {
    key: String,
    name: String,
    versions: Vec<VersionLink>,
    from: String,
    to: String,
    diff: Option<DiffView>,
}

/// `/frameworks/{key}/diff?from=&to=`: by default the two latest versions.
pub(crate) async fn diff(
    State(state): State<AppState>,
    uri: Uri,
    Path(key): Path<String>,
    PageQuery(q): PageQuery<DiffQuery>,
) -> Response {
    finish(&state, &uri, diff_page(&state, &key, q).await)
}

async fn diff_page(state: &AppState, key: &str, q: DiffQuery) -> PageResult {
    let frameworks = state.service.frameworks().await?;
    let stored: Vec<&rolemap_core::Framework> =
        frameworks.iter().filter(|f| f.key == key).collect();
    let Some(latest) = stored.last() else {
        return Err(ServiceError::NotFound {
            what: "framework",
            name: key.to_owned(),
            suggestions: Vec::new(),
        }
        .into());
    };
    let to = given(&q.to).map_or_else(|| latest.version.clone(), str::to_owned);
    let from = match given(&q.from) {
        Some(from) => from.to_owned(),
        None => stored
            .iter()
            .rev()
            .map(|f| f.version.clone())
            .find(|v| *v != to)
            .unwrap_or_else(|| to.clone()),
    };
    let diff = state.service.framework_diff(key, &from, &to).await?;
    let versions = stored
        .iter()
        .map(|f| VersionLink {
            version: f.version.clone(),
            document: format!(
                "/api/v1/frameworks/{}/versions/{}/document",
                url::encode(key),
                url::encode(&f.version)
            ),
        })
        .collect();
    Ok(state.templates.render(
        "diff.html",
        DiffPage {
            key: key.to_owned(),
            name: latest.name.clone(),
            versions,
            from,
            to,
            diff: Some(diff_view(&diff)),
        },
    ))
}

#[derive(Debug, Serialize)]
struct DraftEntry {
    id: i64,
    framework_key: String,
    version: String,
    based_on: String,
    updated_at: String,
    published_at: Option<String>,
}

#[derive(Debug, Serialize)]
struct FrameworkChoice {
    value: String,
    label: String,
}

#[derive(Debug, Serialize, Default)]
struct StartForm {
    how: String,
    key: String,
    name: String,
    framework: String,
    roles: String,
}

#[derive(Debug, Serialize)]
struct DraftsPage {
    drafts: Vec<DraftEntry>,
    versions: Vec<FrameworkChoice>,
    form: StartForm,
    message: Option<String>,
}

pub(crate) async fn drafts(State(state): State<AppState>, uri: Uri) -> Response {
    finish(
        &state,
        &uri,
        drafts_page(&state, StatusCode::OK, StartForm::default(), None).await,
    )
}

async fn drafts_page(
    state: &AppState,
    status: StatusCode,
    form: StartForm,
    message: Option<String>,
) -> PageResult {
    let drafts = state
        .service
        .framework_drafts()
        .await?
        .into_iter()
        .map(|d| DraftEntry {
            id: d.id,
            framework_key: d.framework_key,
            version: d.version,
            based_on: d.based_on,
            updated_at: d.updated_at,
            published_at: d.published_at,
        })
        .collect();
    let versions = state
        .service
        .frameworks()
        .await?
        .into_iter()
        .map(|f| FrameworkChoice {
            value: format!("{} {}", f.key, f.version),
            label: format!("{} — version {}", f.name, f.version),
        })
        .collect();
    Ok(state.templates.render_status(
        status,
        "drafts.html",
        DraftsPage {
            drafts,
            versions,
            form,
            message,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StartFields {
    #[serde(default)]
    how: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    name: String,
    /// `key version`, as the select sends it.
    #[serde(default)]
    framework: String,
    /// Role keys, one a line or separated by commas.
    #[serde(default)]
    roles: String,
}

/// Starts a draft: a new framework, a copy of a stored version, or chosen roles of one.
pub(crate) async fn start_draft(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    form: Result<Form<StartFields>, FormRejection>,
) -> Response {
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    let (framework, version) = match fields.framework.trim().split_once(' ') {
        Some((key, version)) => (key.to_owned(), Some(version.trim().to_owned())),
        None => (fields.framework.trim().to_owned(), None),
    };
    let start = match fields.how.as_str() {
        "copy" => DraftStart::Copy { framework, version },
        "roles" => DraftStart::Roles {
            framework,
            version,
            roles: fields
                .roles
                .split([',', '\n'])
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect(),
            key: fields.key.clone(),
            name: fields.name.clone(),
        },
        _ => DraftStart::New {
            key: fields.key.clone(),
            name: fields.name.clone(),
        },
    };
    let actor = viewer.actor(Via::Web);
    match state.service.start_draft(&start, &actor, &now()).await {
        Ok(draft) => Redirect::to(&format!("/drafts/{}", draft.id)).into_response(),
        Err(
            error @ (ServiceError::Import(_)
            | ServiceError::Invalid { .. }
            | ServiceError::NotFound { .. }),
        ) => {
            let message = match &error {
                ServiceError::Import(problems) => problems
                    .0
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            };
            let form = StartForm {
                how: fields.how,
                key: fields.key,
                name: fields.name,
                framework: fields.framework,
                roles: fields.roles,
            };
            finish(
                &state,
                &uri,
                drafts_page(
                    &state,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    form,
                    Some(message),
                )
                .await,
            )
        }
        Err(other) => finish(&state, &uri, Err(other.into())),
    }
}

/// One input of the editor.
#[derive(Debug, Serialize)]
struct Input {
    /// The field's path, the input's name.
    name: String,
    id: String,
    label: String,
    /// text, lines (a textarea, one item a line), long (a textarea), select, check.
    kind: &'static str,
    value: String,
    options: Vec<(String, String)>,
    hint: String,
    error: Option<String>,
}

/// A group of inputs: an entry of a list, with the button that removes it.
#[derive(Debug, Serialize)]
struct Group {
    title: String,
    remove: Option<String>,
    inputs: Vec<Input>,
    /// Entries inside it (a scale's levels, a role's requirements), and the list they add to.
    children: Vec<Group>,
    add: Option<(String, String)>,
}

/// One form of the editor.
#[derive(Debug, Serialize)]
struct Section {
    anchor: String,
    title: String,
    groups: Vec<Group>,
    /// The list an "add" button adds to, and its label.
    add: Option<(String, String)>,
    /// Whether it starts open (it holds a problem, or was just saved).
    open: bool,
}

#[derive(Debug, Serialize)]
struct Problem {
    field: String,
    href: Option<String>,
    message: String,
}

#[derive(Debug, Serialize)]
struct DraftPage {
    id: i64,
    framework_key: String,
    version: String,
    based_on: String,
    published_at: Option<String>,
    sections: Vec<Section>,
    problems: Vec<Problem>,
    diff: Option<DiffView>,
    /// Whether a version of this framework is stored already.
    stored: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OpenQuery {
    /// The section to show open: the one just saved.
    open: Option<String>,
}

pub(crate) async fn draft(
    State(state): State<AppState>,
    uri: Uri,
    Path(id): Path<i64>,
    PageQuery(q): PageQuery<OpenQuery>,
) -> Response {
    finish(&state, &uri, draft_result(&state, id, q.open).await)
}

async fn draft_result(state: &AppState, id: i64, open: Option<String>) -> PageResult {
    let draft = state.service.framework_draft(id).await?;
    draft_page(
        state,
        &draft,
        StatusCode::OK,
        &HashMap::new(),
        Vec::new(),
        open,
    )
    .await
}

/// Applies the edits of one section's form; a draft the reader refuses is not kept, and the
/// page comes back with each problem at its input and the values as typed.
pub(crate) async fn edit_draft(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    Path(id): Path<i64>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = match form {
        Ok(Form(fields)) => fields,
        Err(rejection) => {
            return finish(
                &state,
                &uri,
                Err(ApiError::Malformed {
                    field: None,
                    message: rejection.body_text(),
                }),
            );
        }
    };
    let mut typed: HashMap<String, String> = HashMap::new();
    let mut edits = Vec::new();
    let mut structural = Vec::new();
    let mut section = String::new();
    for (name, value) in fields {
        match name.as_str() {
            crate::guard::CSRF_FIELD => {}
            "section" => section = value,
            "add" => structural.push(DraftEdit::Add { path: value }),
            "remove" => structural.push(DraftEdit::Remove { path: value }),
            // A checkbox's hidden partner comes first; the box, when ticked, after it.
            _ => {
                typed.insert(name, value);
            }
        }
    }
    let mut paths: Vec<&String> = typed.keys().collect();
    paths.sort();
    for path in paths {
        edits.push(DraftEdit::Set {
            path: path.clone(),
            value: typed[path].clone(),
        });
    }
    edits.extend(structural);
    let actor = viewer.actor(Via::Web);
    let result = edit_result(&state, id, &edits, &actor, &typed, section).await;
    finish(&state, &uri, result)
}

async fn edit_result(
    state: &AppState,
    id: i64,
    edits: &[DraftEdit],
    actor: &rolemap_store::Actor,
    typed: &HashMap<String, String>,
    section: String,
) -> PageResult {
    match state.service.edit_draft(id, edits, actor, &now()).await {
        Ok(_) => {
            let to = url::with_query(
                &format!("/drafts/{id}"),
                &[("open", Some(section.as_str()))],
            );
            Ok(Redirect::to(&format!("{to}#{}", url::encode(&section))).into_response())
        }
        Err(ServiceError::Import(problems)) => {
            let draft = state.service.framework_draft(id).await?;
            draft_page(
                state,
                &draft,
                StatusCode::UNPROCESSABLE_ENTITY,
                typed,
                problems.0,
                Some(section),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// Publishes a draft as a new version, then shows what it changed.
pub(crate) async fn publish_draft(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    uri: Uri,
    Path(id): Path<i64>,
) -> Response {
    let actor = viewer.actor(Via::Web);
    finish(&state, &uri, publish_result(&state, id, &actor).await)
}

async fn publish_result(state: &AppState, id: i64, actor: &rolemap_store::Actor) -> PageResult {
    let draft = state.service.framework_draft(id).await?;
    let before = state
        .service
        .frameworks()
        .await?
        .into_iter()
        .rev()
        .find(|f| f.key == draft.framework_key)
        .map(|f| f.version);
    let outcome = state.service.publish_draft(id, actor, &now()).await?;
    let key = url::encode(&outcome.key);
    let to = match before {
        Some(from) => url::with_query(
            &format!("/frameworks/{key}/diff"),
            &[
                ("from", Some(from.as_str())),
                ("to", Some(outcome.version.as_str())),
            ],
        ),
        None => format!("/frameworks/{key}"),
    };
    Ok(Redirect::to(&to).into_response())
}

async fn draft_page(
    state: &AppState,
    draft: &FrameworkDraft,
    status: StatusCode,
    typed: &HashMap<String, String>,
    problems: Vec<rolemap_formats::Diagnostic>,
    open: Option<String>,
) -> PageResult {
    let bundle = state.service.draft_bundle(draft)?;
    let mut sections = sections(&bundle, &Inputs { typed });
    if let Some(open) = open {
        for section in &mut sections {
            if section.anchor == open {
                section.open = true;
            }
        }
    }
    let problems = place_problems(&mut sections, &problems);
    let diff = state.service.draft_diff(draft).await?;
    Ok(state.templates.render_status(
        status,
        "draft.html",
        DraftPage {
            id: draft.id,
            framework_key: draft.framework_key.clone(),
            version: draft.version.clone(),
            based_on: draft.based_on.clone(),
            published_at: draft.published_at.clone(),
            sections,
            problems,
            stored: diff.is_some(),
            diff: diff.as_ref().map(diff_view),
        },
    ))
}
