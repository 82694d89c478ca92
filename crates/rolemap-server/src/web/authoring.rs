//! Framework authoring pages: what changed between two versions, the list of drafts (and the
//! forms that start one), a draft's editor and its publication.
//!
//! The editor's inputs are named by the field paths of the framework reader's diagnostics
//! (`skills[2].label`, `roles[0].requirements[1].levels.HEO`), so every problem an edit causes is
//! shown at the input it concerns; each section is a form of its own, and an edit is kept only
//! when the whole draft still reads (the service checks it with the file reader).

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
struct DiffView {
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

fn diff_view(diff: &FrameworkDiff) -> DiffView {
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

fn input_id(path: &str) -> String {
    let mut id = String::from("f-");
    id.extend(
        path.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }),
    );
    id
}

/// Builds inputs, filling in what was typed where a form came back refused.
struct Inputs<'a> {
    typed: &'a HashMap<String, String>,
}

impl Inputs<'_> {
    fn make(&self, path: String, label: &str, kind: &'static str, value: String) -> Input {
        let value = self.typed.get(&path).cloned().unwrap_or(value);
        Input {
            id: input_id(&path),
            name: path,
            label: label.to_owned(),
            kind,
            value,
            options: Vec::new(),
            hint: String::new(),
            error: None,
        }
    }

    fn text(&self, path: String, label: &str, value: &str) -> Input {
        self.make(path, label, "text", value.to_owned())
    }

    fn long(&self, path: String, label: &str, value: &str) -> Input {
        self.make(path, label, "long", value.to_owned())
    }

    fn lines(&self, path: String, label: &str, values: &[String]) -> Input {
        self.make(path, label, "lines", values.join("\n"))
    }

    fn select(
        &self,
        path: String,
        label: &str,
        value: &str,
        options: Vec<(String, String)>,
    ) -> Input {
        let mut input = self.make(path, label, "select", value.to_owned());
        input.options = options;
        input
    }
}

fn choices<'a>(
    blank: &str,
    values: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), blank.to_owned()))
        .chain(values.map(|(v, l)| (v.to_owned(), l.to_owned())))
        .collect()
}

fn sections(bundle: &FrameworkBundle, inputs: &Inputs<'_>) -> Vec<Section> {
    let meta = &bundle.framework;
    let mut out = vec![Section {
        anchor: "framework".into(),
        title: "Framework".into(),
        groups: vec![Group {
            title: String::new(),
            remove: None,
            inputs: vec![
                inputs.text("framework.key".into(), "Key", &meta.key),
                inputs.text("framework.name".into(), "Name", &meta.name),
                inputs.text("framework.version".into(), "Version", &meta.version),
                inputs.text("framework.source".into(), "Source", &meta.source),
                inputs.text("framework.licence".into(), "Licence", &meta.licence),
                inputs.long(
                    "framework.attribution".into(),
                    "Attribution",
                    &meta.attribution,
                ),
                inputs.long(
                    "framework.description".into(),
                    "Description",
                    &meta.description,
                ),
            ],
            children: Vec::new(),
            add: None,
        }],
        add: None,
        open: false,
    }];

    out.push(Section {
        anchor: "scales".into(),
        title: "Scales and level descriptors".into(),
        groups: bundle
            .scales
            .iter()
            .enumerate()
            .map(|(i, s)| Group {
                title: format!("Scale {}", s.key()),
                remove: Some(format!("scales[{i}]")),
                inputs: vec![
                    inputs.text(format!("scales[{i}].key"), "Key", s.key()),
                    inputs.text(format!("scales[{i}].name"), "Name", s.name()),
                ],
                children: s
                    .levels()
                    .iter()
                    .enumerate()
                    .map(|(j, l)| Group {
                        title: format!("Level {} ({})", j + 1, l.code),
                        remove: Some(format!("scales[{i}].levels[{j}]")),
                        inputs: vec![
                            inputs.text(format!("scales[{i}].levels[{j}].code"), "Code", &l.code),
                            inputs.text(format!("scales[{i}].levels[{j}].name"), "Name", &l.name),
                            inputs.long(
                                format!("scales[{i}].levels[{j}].descriptor"),
                                "Descriptor",
                                &l.descriptor,
                            ),
                        ],
                        children: Vec::new(),
                        add: None,
                    })
                    .collect(),
                add: Some((format!("scales[{i}].levels"), "Add a level".into())),
            })
            .collect(),
        add: Some(("scales".into(), "Add a scale".into())),
        open: false,
    });

    out.push(Section {
        anchor: "grades".into(),
        title: "Grade ladders".into(),
        groups: bundle
            .ladders
            .iter()
            .enumerate()
            .map(|(i, l)| Group {
                title: format!("Grade ladder {}", l.key),
                remove: Some(format!("grade_ladders[{i}]")),
                inputs: vec![
                    inputs.text(format!("grade_ladders[{i}].key"), "Key", &l.key),
                    inputs.text(format!("grade_ladders[{i}].name"), "Name", &l.name),
                ],
                children: l
                    .grades
                    .iter()
                    .enumerate()
                    .map(|(j, g)| Group {
                        title: format!("Grade {}", j + 1),
                        remove: Some(format!("grade_ladders[{i}].grades[{j}]")),
                        inputs: vec![
                            inputs.text(
                                format!("grade_ladders[{i}].grades[{j}].code"),
                                "Code",
                                &g.code,
                            ),
                            inputs.text(
                                format!("grade_ladders[{i}].grades[{j}].name"),
                                "Name",
                                &g.name,
                            ),
                        ],
                        children: Vec::new(),
                        add: None,
                    })
                    .collect(),
                add: Some((format!("grade_ladders[{i}].grades"), "Add a grade".into())),
            })
            .collect(),
        add: Some(("grade_ladders".into(), "Add a grade ladder".into())),
        open: false,
    });

    out.push(Section {
        anchor: "families".into(),
        title: "Job families".into(),
        groups: bundle
            .families
            .iter()
            .enumerate()
            .map(|(i, f)| Group {
                title: f.name.clone(),
                remove: Some(format!("families[{i}]")),
                inputs: vec![
                    inputs.text(format!("families[{i}].key"), "Key", &f.key),
                    inputs.text(format!("families[{i}].name"), "Name", &f.name),
                    inputs.long(
                        format!("families[{i}].description"),
                        "Description",
                        &f.description,
                    ),
                ],
                children: Vec::new(),
                add: None,
            })
            .collect(),
        add: Some(("families".into(), "Add a job family".into())),
        open: false,
    });

    let kinds = choices(
        "",
        rolemap_core::SkillKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.as_str())),
    )
    .into_iter()
    .skip(1)
    .collect::<Vec<_>>();
    let scale_choices = choices(
        "no scale",
        bundle.scales.iter().map(|s| (s.key(), s.name())),
    );
    out.push(Section {
        anchor: "skills".into(),
        title: "Skills".into(),
        groups: bundle
            .skills
            .iter()
            .enumerate()
            .map(|(i, s)| Group {
                title: s.label.clone(),
                remove: Some(format!("skills[{i}]")),
                inputs: vec![
                    inputs.text(format!("skills[{i}].key"), "Key", &s.key),
                    inputs.text(format!("skills[{i}].label"), "Label", &s.label),
                    inputs.lines(
                        format!("skills[{i}].alt_labels"),
                        "Other labels (one a line)",
                        &s.alt_labels,
                    ),
                    inputs.long(
                        format!("skills[{i}].description"),
                        "Description",
                        &s.description,
                    ),
                    inputs.select(
                        format!("skills[{i}].kind"),
                        "Kind",
                        s.kind.as_str(),
                        kinds.clone(),
                    ),
                    inputs.lines(format!("skills[{i}].tags"), "Tags (one a line)", &s.tags),
                    inputs.select(
                        format!("skills[{i}].scale"),
                        "Scale",
                        s.scale.as_deref().unwrap_or_default(),
                        scale_choices.clone(),
                    ),
                ],
                children: Vec::new(),
                add: None,
            })
            .collect(),
        add: Some(("skills".into(), "Add a skill".into())),
        open: false,
    });

    let family_choices = choices(
        "no job family",
        bundle
            .families
            .iter()
            .map(|f| (f.key.as_str(), f.name.as_str())),
    );
    let ladder_choices = choices(
        "no grades",
        bundle
            .ladders
            .iter()
            .map(|l| (l.key.as_str(), l.name.as_str())),
    );
    let skill_choices: Vec<(String, String)> = bundle
        .skills
        .iter()
        .map(|s| (s.key.clone(), s.label.clone()))
        .collect();
    let importance = vec![
        ("essential".to_owned(), "essential".to_owned()),
        ("optional".to_owned(), "optional".to_owned()),
    ];
    for (i, role) in bundle.roles.iter().enumerate() {
        let mut role_inputs = vec![
            inputs.text(format!("roles[{i}].key"), "Key", &role.key),
            inputs.text(format!("roles[{i}].title"), "Title", &role.title),
            inputs.long(format!("roles[{i}].summary"), "Summary", &role.summary),
            inputs.long(
                format!("roles[{i}].description"),
                "Description",
                &role.description,
            ),
            inputs.lines(
                format!("roles[{i}].typical_titles"),
                "Typical job titles (one a line)",
                &role.typical_titles,
            ),
            inputs.lines(
                format!("roles[{i}].alt_titles"),
                "Other titles (one a line)",
                &role.alt_titles,
            ),
            inputs.select(
                format!("roles[{i}].family"),
                "Job family",
                role.family.as_deref().unwrap_or_default(),
                family_choices.clone(),
            ),
            inputs.text(
                format!("roles[{i}].level"),
                "Level (1 to 10)",
                &role.level.map(|l| l.to_string()).unwrap_or_default(),
            ),
            inputs.select(
                format!("roles[{i}].grade_ladder"),
                "Grade ladder",
                role.ladder.as_deref().unwrap_or_default(),
                ladder_choices.clone(),
            ),
            inputs.lines(
                format!("roles[{i}].grades"),
                "Grades (one a line)",
                &role.grades,
            ),
        ];
        let duties: Vec<String> = role.duties.iter().map(|d| d.text.clone()).collect();
        role_inputs.push(inputs.lines(
            format!("roles[{i}].duties"),
            "Duties (one a line)",
            &duties,
        ));
        role_inputs.push(inputs.lines(
            format!("roles[{i}].responsibilities"),
            "Responsibilities (one a line)",
            &role.responsibilities,
        ));
        let mut children: Vec<Group> = role
            .dimensions
            .iter()
            .enumerate()
            .map(|(j, d)| Group {
                title: format!("Dimension: {}", d.name),
                remove: Some(format!("roles[{i}].dimensions[{j}]")),
                inputs: vec![
                    inputs.text(format!("roles[{i}].dimensions[{j}].key"), "Key", &d.key),
                    inputs.text(format!("roles[{i}].dimensions[{j}].name"), "Name", &d.name),
                    inputs.long(format!("roles[{i}].dimensions[{j}].text"), "Text", &d.text),
                ],
                children: Vec::new(),
                add: None,
            })
            .collect();
        for (j, q) in role.requirements.iter().enumerate() {
            let base = format!("roles[{i}].requirements[{j}]");
            let scale = bundle
                .skills
                .iter()
                .find(|s| s.key == q.skill)
                .and_then(|s| s.scale.as_deref())
                .and_then(|k| bundle.scales.iter().find(|sc| sc.key() == k));
            let hint = scale.map_or_else(
                || "this skill has no scale, so no levels".to_owned(),
                |sc| format!("levels: {}", sc.valid_list()),
            );
            let label = skill_choices
                .iter()
                .find(|(k, _)| *k == q.skill)
                .map_or(q.skill.as_str(), |(_, l)| l.as_str());
            let mut req_inputs = vec![
                inputs.select(
                    format!("{base}.skill"),
                    "Skill",
                    &q.skill,
                    skill_choices.clone(),
                ),
                inputs.select(
                    format!("{base}.importance"),
                    "Importance",
                    q.importance.as_str(),
                    importance.clone(),
                ),
                inputs.make(
                    format!("{base}.emphasis"),
                    "Emphasised",
                    "check",
                    if q.emphasis {
                        "yes".into()
                    } else {
                        String::new()
                    },
                ),
            ];
            if q.levels.is_empty() {
                let mut level = inputs.text(
                    format!("{base}.level"),
                    "Minimum level",
                    q.level.as_deref().unwrap_or_default(),
                );
                level.hint = hint.clone();
                req_inputs.push(level);
            } else {
                for (grade, code) in &q.levels {
                    let mut level = inputs.text(
                        format!("{base}.levels.{grade}"),
                        &format!("Minimum level at {grade}"),
                        code.as_deref().unwrap_or_default(),
                    );
                    level.hint = hint.clone();
                    req_inputs.push(level);
                }
            }
            req_inputs.push(inputs.text(format!("{base}.note"), "Note", &q.note));
            children.push(Group {
                title: format!("Requirement: {label}"),
                remove: Some(base.clone()),
                inputs: req_inputs,
                children: Vec::new(),
                add: None,
            });
        }
        out.push(Section {
            anchor: format!("role-{i}"),
            title: format!("Role: {}", role.title),
            groups: vec![Group {
                title: String::new(),
                remove: Some(format!("roles[{i}]")),
                inputs: role_inputs,
                children,
                add: Some((
                    format!("roles[{i}].requirements"),
                    "Add a requirement".into(),
                )),
            }],
            add: Some((format!("roles[{i}].dimensions"), "Add a dimension".into())),
            open: false,
        });
    }
    out.push(Section {
        anchor: "new-role".into(),
        title: "New role".into(),
        groups: Vec::new(),
        add: Some(("roles".into(), "Add a role".into())),
        open: false,
    });
    out
}

/// Puts each problem at the input it names (or the nearest one holding it) and opens its
/// section; returns the problems for the list at the top.
fn place_problems(
    sections: &mut [Section],
    problems: &[rolemap_formats::Diagnostic],
) -> Vec<Problem> {
    fn visit<'s>(group: &'s mut Group, out: &mut Vec<&'s mut Input>) {
        out.extend(group.inputs.iter_mut());
        for child in &mut group.children {
            visit(child, out);
        }
    }
    let mut listed = Vec::new();
    for problem in problems {
        let mut placed = None;
        for section in sections.iter_mut() {
            let mut all = Vec::new();
            for group in &mut section.groups {
                visit(group, &mut all);
            }
            let holds = |name: &str| {
                problem.field == name
                    || problem.field.starts_with(&format!("{name}["))
                    || problem.field.starts_with(&format!("{name}."))
            };
            let best = all
                .into_iter()
                .filter(|input| holds(&input.name))
                .max_by_key(|input| input.name.len());
            if let Some(input) = best {
                let message = match &input.error {
                    Some(earlier) => format!("{earlier} {}", problem.message),
                    None => problem.message.clone(),
                };
                input.error = Some(message);
                placed = Some(input.id.clone());
                section.open = true;
                break;
            }
        }
        listed.push(Problem {
            field: problem.field.clone(),
            href: placed.map(|id| format!("#{id}")),
            message: problem.message.clone(),
        });
    }
    listed
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
