//! The permission table, proven endpoint by endpoint: every entry of `access::ENDPOINTS` is sent
//! a sample request as anonymous, an employee, another employee, their manager, another manager
//! (not in their chain), a framework owner and an admin, and the answer must allow or refuse as
//! the entry's rule says. An entry without a sample fails the test. Spot checks follow that do
//! not derive from the table.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use rolemap_server::AppState;
use rolemap_server::access::{ENDPOINTS, Kind, Rule};
use rolemap_store::UserRole;

use crate::{
    ADMIN, Reply, anonymous_form_token, get_as, post_json_as, send, send_anonymous, state, token,
    user_token,
};

/// A sample request for each path of the table: (method, pattern, address, body).
const SAMPLES: &[(&str, &str, &str, &str)] = &[
    ("GET", "/healthz", "/healthz", ""),
    ("GET", "/api/v1/tokens", "/api/v1/tokens", ""),
    (
        "POST",
        "/api/v1/tokens",
        "/api/v1/tokens",
        "{\"name\": \"matrix\"}",
    ),
    ("DELETE", "/api/v1/tokens/{id}", "/api/v1/tokens/999999", ""),
    ("GET", "/account", "/account", ""),
    ("POST", "/account/tokens", "/account/tokens", "name=matrix"),
    (
        "POST",
        "/account/tokens/{id}/revoke",
        "/account/tokens/999999/revoke",
        "",
    ),
    ("GET", "/login/oidc", "/login/oidc?next=/", ""),
    (
        "GET",
        "/login/oidc/callback",
        "/login/oidc/callback?state=not-started-here&code=x",
        "",
    ),
    ("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", ""),
    ("GET", "/api/v1/frameworks", "/api/v1/frameworks", ""),
    (
        "GET",
        "/api/v1/frameworks/{key}/versions/{version}/document",
        "/api/v1/frameworks/odp/versions/2024/document",
        "",
    ),
    (
        "GET",
        "/api/v1/frameworks/{key}/diff",
        "/api/v1/frameworks/odp/diff?from=2024&to=2024",
        "",
    ),
    (
        "GET",
        "/frameworks/{key}/diff",
        "/frameworks/odp/diff?from=2024&to=2024",
        "",
    ),
    ("GET", "/drafts", "/drafts", ""),
    (
        "POST",
        "/drafts",
        "/drafts",
        "how=new&key=matrix&name=Matrix",
    ),
    ("GET", "/drafts/{draft}", "/drafts/999999", ""),
    (
        "POST",
        "/drafts/{draft}",
        "/drafts/999999",
        "skills%5B0%5D.label=x",
    ),
    (
        "POST",
        "/drafts/{draft}/publish",
        "/drafts/999999/publish",
        "",
    ),
    (
        "POST",
        "/api/v1/frameworks",
        "/api/v1/frameworks",
        "not toml [",
    ),
    (
        "POST",
        "/api/v1/frameworks/import/{format}",
        "/api/v1/frameworks/import/rsd",
        "not json [",
    ),
    (
        "GET",
        "/api/v1/frameworks/{key}/export/{format}",
        "/api/v1/frameworks/odp/export/rsd",
        "",
    ),
    (
        "GET",
        "/api/v1/framework-template/{format}",
        "/api/v1/framework-template/csv",
        "",
    ),
    ("GET", "/api/v1/roles", "/api/v1/roles", ""),
    (
        "GET",
        "/api/v1/roles/{id}",
        "/api/v1/roles/odp:team-leader",
        "",
    ),
    (
        "GET",
        "/api/v1/roles/{id}/job-description",
        "/api/v1/roles/odp:team-leader/job-description",
        "",
    ),
    (
        "GET",
        "/api/v1/roles/{id}/similar",
        "/api/v1/roles/odp:team-leader/similar",
        "",
    ),
    (
        "GET",
        "/api/v1/roles/{id}/progression",
        "/api/v1/roles/odp:team-leader/progression",
        "",
    ),
    (
        "GET",
        "/api/v1/routes",
        "/api/v1/routes?from=odp:team-leader&to=odp:operations-manager",
        "",
    ),
    (
        "GET",
        "/api/v1/code-title",
        "/api/v1/code-title?code=2512",
        "",
    ),
    ("POST", "/api/v1/extract", "/api/v1/extract", "{}"),
    (
        "POST",
        "/api/v1/roles/{id}/text-gap",
        "/api/v1/roles/odp:team-leader/text-gap",
        "{}",
    ),
    (
        "GET",
        "/api/v1/crosswalk",
        "/api/v1/crosswalk?from=odp&to=odp",
        "",
    ),
    (
        "POST",
        "/api/v1/mappings/import",
        "/api/v1/mappings/import",
        "x",
    ),
    ("GET", "/api/v1/skills", "/api/v1/skills", ""),
    (
        "GET",
        "/api/v1/skills/{id}",
        "/api/v1/skills/odp:data-and-insight",
        "",
    ),
    (
        "GET",
        "/api/v1/compare",
        "/api/v1/compare?a=odp:team-leader&b=odp:operations-manager",
        "",
    ),
    ("GET", "/api/v1/typeahead", "/api/v1/typeahead?q=team", ""),
    ("GET", "/api/v1/search", "/api/v1/search?q=team", ""),
    ("GET", "/api/v1/people", "/api/v1/people", ""),
    (
        "PATCH",
        "/api/v1/people/{id}",
        "/api/v1/people/no-such-person",
        "{}",
    ),
    (
        "POST",
        "/api/v1/people/{id}/archive",
        "/api/v1/people/no-such-person/archive",
        "",
    ),
    (
        "POST",
        "/api/v1/people/{id}/unarchive",
        "/api/v1/people/no-such-person/unarchive",
        "",
    ),
    ("GET", "/api/v1/teams", "/api/v1/teams", ""),
    ("POST", "/api/v1/people", "/api/v1/people", "{}"),
    (
        "POST",
        "/api/v1/people/import",
        "/api/v1/people/import",
        "x",
    ),
    (
        "POST",
        "/api/v1/transitions/import",
        "/api/v1/transitions/import",
        "x",
    ),
    (
        "GET",
        "/api/v1/people/{id}",
        "/api/v1/people/daniel-mensah",
        "",
    ),
    (
        "POST",
        "/api/v1/people/{id}/assessments",
        "/api/v1/people/daniel-mensah/assessments",
        r#"{"assessments": []}"#,
    ),
    (
        "GET",
        "/api/v1/people/{id}/gap",
        "/api/v1/people/daniel-mensah/gap",
        "",
    ),
    (
        "GET",
        "/api/v1/people/{id}/team-matrix",
        "/api/v1/people/aisha-rahman/team-matrix",
        "",
    ),
    ("GET", "/api/v1/audit", "/api/v1/audit?limit=5", ""),
    (
        "GET",
        "/api/v1/people/{id}/export",
        "/api/v1/people/daniel-mensah/export",
        "",
    ),
    // Erasing nobody: the check answers before the handler, and no one is erased.
    (
        "POST",
        "/api/v1/people/{id}/erase",
        "/api/v1/people/nobody-of-that-name/erase",
        "",
    ),
    (
        "GET",
        "/people/{id}/export",
        "/people/daniel-mensah/export",
        "",
    ),
    (
        "GET",
        "/people/{id}/erase",
        "/people/daniel-mensah/erase",
        "",
    ),
    (
        "POST",
        "/people/{id}/erase",
        "/people/nobody-of-that-name/erase",
        "",
    ),
    ("GET", "/admin/audit", "/admin/audit", ""),
    ("GET", "/admin/audit.csv", "/admin/audit.csv", ""),
    (
        "GET",
        "/ims/case/v1p0/CFDocuments",
        "/ims/case/v1p0/CFDocuments",
        "",
    ),
    (
        "GET",
        "/ims/case/v1p0/CFPackages/{sourced_id}",
        "/ims/case/v1p0/CFPackages/x",
        "",
    ),
    (
        "GET",
        "/ims/case/v1p0/CFItems/{sourced_id}",
        "/ims/case/v1p0/CFItems/x",
        "",
    ),
    (
        "GET",
        "/ims/case/v1p0/CFAssociations/{sourced_id}",
        "/ims/case/v1p0/CFAssociations/x",
        "",
    ),
    (
        "GET",
        "/ims/case/v1p0/CFItemAssociations/{sourced_id}",
        "/ims/case/v1p0/CFItemAssociations/x",
        "",
    ),
    (
        "GET",
        "/ims/case/v1p0/CFRubrics/{sourced_id}",
        "/ims/case/v1p0/CFRubrics/x",
        "",
    ),
    (
        "GET",
        "/api/v1/people/{id}/reviews",
        "/api/v1/people/daniel-mensah/reviews",
        "",
    ),
    (
        "POST",
        "/api/v1/people/{id}/reviews",
        "/api/v1/people/daniel-mensah/reviews",
        "{}",
    ),
    (
        "GET",
        "/api/v1/people/{id}/goals",
        "/api/v1/people/daniel-mensah/goals",
        "",
    ),
    (
        "POST",
        "/api/v1/people/{id}/goals",
        "/api/v1/people/daniel-mensah/goals",
        "{}",
    ),
    (
        "PATCH",
        "/api/v1/people/{id}/goals/{goal}",
        "/api/v1/people/daniel-mensah/goals/999999",
        "{}",
    ),
    (
        "GET",
        "/api/v1/teams/{manager}/cycle",
        "/api/v1/teams/aisha-rahman/cycle",
        "",
    ),
    ("GET", "/api/v1/cycles", "/api/v1/cycles", ""),
    ("POST", "/api/v1/cycles", "/api/v1/cycles", "{}"),
    (
        "POST",
        "/api/v1/cycles/{id}/close",
        "/api/v1/cycles/999999/close",
        "",
    ),
    (
        "GET",
        "/teams/{manager}/cycle.csv",
        "/teams/aisha-rahman/cycle.csv",
        "",
    ),
    (
        "POST",
        "/people/{id}/reviews",
        "/people/daniel-mensah/reviews",
        "self_rating=",
    ),
    (
        "POST",
        "/people/{id}/goals",
        "/people/daniel-mensah/goals",
        "skill=",
    ),
    (
        "POST",
        "/people/{id}/goals/{goal}",
        "/people/daniel-mensah/goals/999999",
        "dropped=",
    ),
    ("GET", "/cycles", "/cycles", ""),
    ("POST", "/cycles", "/cycles", "name="),
    ("POST", "/cycles/{id}/close", "/cycles/999999/close", ""),
    ("GET", "/", "/", ""),
    ("GET", "/search", "/search?q=team", ""),
    ("GET", "/frameworks/{key}", "/frameworks/odp", ""),
    ("GET", "/roles/{id}", "/roles/odp:team-leader", ""),
    ("GET", "/roles/{id}/jd", "/roles/odp:team-leader/jd", ""),
    (
        "GET",
        "/roles/{id}/similar",
        "/roles/odp:team-leader/similar",
        "",
    ),
    (
        "GET",
        "/roles/{id}/progression",
        "/roles/odp:team-leader/progression",
        "",
    ),
    ("GET", "/routes", "/routes", ""),
    (
        "GET",
        "/roles/{id}/jd.md",
        "/roles/odp:team-leader/jd.md",
        "",
    ),
    ("GET", "/skills/{id}", "/skills/odp:data-and-insight", ""),
    ("GET", "/text", "/text?title=manager", ""),
    ("POST", "/text", "/text", "text=Leading+a+team"),
    ("GET", "/crosswalk", "/crosswalk", ""),
    (
        "GET",
        "/crosswalk.csv",
        "/crosswalk.csv?from=standards&to=odp",
        "",
    ),
    // No suggestion ticked: 422 once allowed.
    ("POST", "/crosswalk", "/crosswalk", "from=odp&to=standards"),
    // Without an ESCO release: 404 once allowed.
    ("GET", "/esco", "/esco", ""),
    ("GET", "/esco/occupations", "/esco/occupations", ""),
    ("GET", "/esco/skills", "/esco/skills", ""),
    (
        "GET",
        "/esco/collections/{tag}",
        "/esco/collections/digital",
        "",
    ),
    ("GET", "/compare", "/compare", ""),
    ("GET", "/assess", "/assess", ""),
    ("POST", "/assess", "/assess", "role="),
    ("GET", "/people", "/people", ""),
    ("POST", "/people", "/people", "name="),
    ("GET", "/people/import", "/people/import", ""),
    ("POST", "/people/import", "/people/import", "csv="),
    ("GET", "/people/{id}/edit", "/people/daniel-mensah/edit", ""),
    (
        "POST",
        "/people/{id}/edit",
        "/people/no-such-person/edit",
        "name=x",
    ),
    (
        "POST",
        "/people/{id}/archive",
        "/people/no-such-person/archive",
        "",
    ),
    (
        "POST",
        "/people/{id}/unarchive",
        "/people/no-such-person/unarchive",
        "",
    ),
    ("GET", "/teams", "/teams", ""),
    ("GET", "/people/{id}", "/people/daniel-mensah", ""),
    ("GET", "/people/{id}/gap", "/people/daniel-mensah/gap", ""),
    ("GET", "/teams/{manager}", "/teams/aisha-rahman", ""),
    ("GET", "/login", "/login", ""),
    // A sign-in that succeeds: a failed one is a 401, the sign-in's answer, not a refusal.
    (
        "POST",
        "/login",
        "/login",
        "username=grace&password=rolemap-demo&next=/",
    ),
    ("GET", "/logout", "/logout", ""),
    ("POST", "/logout", "/logout", ""),
    ("GET", "/static/rolemap.css", "/static/rolemap.css", ""),
    ("GET", "/static/rolemap.js", "/static/rolemap.js", ""),
];

/// One of the viewers the matrix tries, and how they stand to the subject of the person samples
/// (daniel-mensah) and of the team samples (his manager, aisha-rahman).
struct Viewer {
    name: &'static str,
    /// `None`: anonymous.
    token: Option<String>,
    role: Option<UserRole>,
    /// Is, or is above, the subject.
    over_subject: bool,
    /// Is, or is above, the subject's manager.
    over_manager: bool,
}

impl Viewer {
    /// What the table's rule says this viewer may do.
    fn allowed(&self, rule: Rule) -> bool {
        let Some(role) = self.role else {
            return rule == Rule::Public;
        };
        let admin = role == UserRole::Admin;
        match rule {
            Rule::Public | Rule::SignedIn => true,
            Rule::PersonRead => self.over_subject || admin,
            Rule::PersonRate => self.over_subject,
            Rule::Team => (self.over_manager && role.at_least(UserRole::Manager)) || admin,
            Rule::FrameworkOwner => role.at_least(UserRole::FrameworkOwner),
            Rule::Admin => admin,
        }
    }
}

async fn viewers(state: &AppState) -> Vec<Viewer> {
    let user = |name, role, person| user_token(state, name, role, Some(person));
    vec![
        Viewer {
            name: "anonymous",
            token: None,
            role: None,
            over_subject: false,
            over_manager: false,
        },
        Viewer {
            name: "employee",
            token: Some(user("daniel", UserRole::Employee, "daniel-mensah").await),
            role: Some(UserRole::Employee),
            over_subject: true,
            over_manager: false,
        },
        Viewer {
            name: "another employee",
            token: Some(user("raj", UserRole::Employee, "raj-patel").await),
            role: Some(UserRole::Employee),
            over_subject: false,
            over_manager: false,
        },
        Viewer {
            name: "manager",
            token: Some(user("aisha", UserRole::Manager, "aisha-rahman").await),
            role: Some(UserRole::Manager),
            over_subject: true,
            over_manager: true,
        },
        Viewer {
            name: "another manager",
            token: Some(user("hannah", UserRole::Manager, "hannah-kowalski").await),
            role: Some(UserRole::Manager),
            over_subject: false,
            over_manager: false,
        },
        Viewer {
            name: "framework owner",
            token: Some(user("liam", UserRole::FrameworkOwner, "liam-doyle").await),
            role: Some(UserRole::FrameworkOwner),
            over_subject: false,
            over_manager: false,
        },
        Viewer {
            name: "admin",
            token: Some(token(state, ADMIN).await),
            role: Some(UserRole::Admin),
            // The demo admin is the head of the demo team.
            over_subject: true,
            over_manager: true,
        },
    ]
}

async fn request(state: &AppState, viewer: &Viewer, method: &str, uri: &str, body: &str) -> Reply {
    let content_type = if body.starts_with('{') {
        "application/json"
    } else if body.contains('=') {
        "application/x-www-form-urlencoded"
    } else {
        "text/plain"
    };
    let mut builder = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).expect("method"))
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type);
    let mut body = body.to_owned();
    if let Some(token) = &viewer.token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    } else if method == "POST" && !uri.starts_with("/api/") {
        // An anonymous browser's form carries the token its page handed out, so the answer is
        // the permission check's, not the form guard's.
        let (cookie, form_token) = anonymous_form_token(state).await;
        builder = builder.header(header::COOKIE, cookie);
        body = if body.is_empty() {
            format!("csrf={form_token}")
        } else {
            format!("{body}&csrf={form_token}")
        };
    }
    let request = builder.body(Body::from(body)).expect("request");
    if viewer.token.is_some() {
        send(state, request).await
    } else {
        send_anonymous(state, request).await
    }
}

/// Whether `reply` is the refusal the table promises for `kind`, and what is wrong if not.
fn check_refusal(reply: &Reply, kind: Kind, anonymous: bool, uri: &str) -> Result<(), String> {
    match (kind, anonymous) {
        (Kind::Page, true) => {
            let location = reply
                .headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if reply.status != StatusCode::SEE_OTHER || !location.starts_with("/login?next=") {
                return Err(format!(
                    "wanted 303 to /login?next=..., got {} to {location:?}",
                    reply.status
                ));
            }
            let next = location.trim_start_matches("/login?next=");
            let back = next
                .replace("%2F", "/")
                .replace("%3F", "?")
                .replace("%3D", "=")
                .replace("%26", "&");
            if !uri.starts_with(&back) {
                return Err(format!(
                    "the sign-in page would not come back to {uri}: {next}"
                ));
            }
        }
        (Kind::Page, false) => {
            if reply.status != StatusCode::FORBIDDEN
                || !reply.content_type.starts_with("text/html")
                || !reply.body.contains("Not allowed")
            {
                return Err(format!("wanted the 403 page, got {}", reply.status));
            }
        }
        (Kind::Api | Kind::Case, _) => {
            let (status, code) = if anonymous {
                (StatusCode::UNAUTHORIZED, "unauthorized")
            } else {
                (StatusCode::FORBIDDEN, "forbidden")
            };
            if reply.status != status {
                return Err(format!("wanted {status}, got {}", reply.status));
            }
            let body: serde_json::Value = serde_json::from_str(&reply.body)
                .map_err(|e| format!("not JSON ({e}): {}", reply.body))?;
            if body["error"]["code"] != code || !body["error"]["message"].is_string() {
                return Err(format!("not the JSON error shape: {body}"));
            }
            if anonymous && reply.headers.get(header::WWW_AUTHENTICATE).is_none() {
                return Err("401 without WWW-Authenticate".to_owned());
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn every_endpoint_allows_and_refuses_as_the_permission_table_says() {
    let state = state().await;
    let viewers = viewers(&state).await;
    let mut problems = Vec::new();
    for endpoint in ENDPOINTS {
        let method = endpoint.method().as_str();
        let Some((_, _, uri, body)) = SAMPLES
            .iter()
            .find(|(m, p, _, _)| *m == method && *p == endpoint.path())
        else {
            problems.push(format!(
                "{method} {}: no sample request; add one to SAMPLES",
                endpoint.path()
            ));
            continue;
        };
        for viewer in &viewers {
            let reply = request(&state, viewer, method, uri, body).await;
            let anonymous = viewer.token.is_none();
            let outcome = if viewer.allowed(endpoint.rule()) {
                let refused = matches!(
                    reply.status,
                    StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
                ) || reply
                    .headers
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|l| l.starts_with("/login?next="));
                if refused {
                    Err(format!("should be allowed, got {}", reply.status))
                } else {
                    Ok(())
                }
            } else {
                check_refusal(&reply, endpoint.kind(), anonymous, uri)
            };
            if let Err(problem) = outcome {
                problems.push(format!(
                    "{method} {uri} ({:?}) as {}: {problem}",
                    endpoint.rule(),
                    viewer.name
                ));
            }
        }
    }
    for (method, path, _, _) in SAMPLES {
        if !ENDPOINTS
            .iter()
            .any(|e| e.method().as_str() == *method && e.path() == *path)
        {
            problems.push(format!(
                "{method} {path}: a sample for no entry of the table"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn an_employee_cannot_import_a_framework() {
    let state = state().await;
    let daniel = user_token(&state, "daniel", UserRole::Employee, Some("daniel-mensah")).await;
    let before = get_as(&state, &daniel, "/api/v1/roles/odp:team-leader").await;
    // The built-in framework as a newer version: an owner's import would replace it.
    let framework = include_str!("../../../rolemap-formats/builtin/odp.toml").replacen(
        "version = \"",
        "version = \"99-",
        1,
    );
    let reply = post_json_as(&state, &daniel, "/api/v1/frameworks", &framework).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(reply.json()["error"]["code"], "forbidden");
    let after = get_as(&state, &daniel, "/api/v1/roles/odp:team-leader").await;
    assert_eq!(before.body, after.body, "the framework is unchanged");
}

#[tokio::test]
async fn an_employee_cannot_read_another_persons_gap_nor_learn_who_exists() {
    let state = state().await;
    let daniel = user_token(&state, "daniel", UserRole::Employee, Some("daniel-mensah")).await;
    let own = get_as(&state, &daniel, "/api/v1/people/daniel-mensah/gap").await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let other = get_as(&state, &daniel, "/api/v1/people/raj-patel/gap").await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.body);
    let nobody = get_as(&state, &daniel, "/api/v1/people/no-such-person/gap").await;
    assert_eq!(nobody.status, StatusCode::FORBIDDEN, "{}", nobody.body);
    assert_eq!(
        other.body, nobody.body,
        "the refusal says nothing of who exists"
    );
    let page = get_as(&state, &daniel, "/people/raj-patel/gap").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // The admin gets the usual answer for a name that fits nobody.
    let admin = crate::get(&state, "/api/v1/people/no-such-person/gap").await;
    assert_eq!(admin.status, StatusCode::NOT_FOUND, "{}", admin.body);
    // Lists hold only what the viewer may see.
    let people = get_as(&state, &daniel, "/api/v1/people").await.json();
    let keys: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["daniel-mensah"]);
}

#[tokio::test]
async fn a_manager_reads_the_report_of_a_report() {
    let state = state().await;
    // Zoe reports to Daniel, who reports to Aisha.
    let created = crate::post_json(
        &state,
        "/api/v1/people",
        r#"{"name": "Zoe Below", "role": "odp:team-leader", "grade": "HEO", "manager": "daniel-mensah"}"#,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let aisha = user_token(&state, "aisha", UserRole::Manager, Some("aisha-rahman")).await;
    let gap = get_as(&state, &aisha, "/api/v1/people/zoe-below/gap").await;
    assert_eq!(gap.status, StatusCode::OK, "{}", gap.body);
    let people = get_as(&state, &aisha, "/api/v1/people").await.json();
    assert!(
        people
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["key"] == "zoe-below"),
        "{people}"
    );
    // Another manager, outside the chain, may not.
    let hannah = user_token(&state, "hannah", UserRole::Manager, Some("hannah-kowalski")).await;
    let refused = get_as(&state, &hannah, "/api/v1/people/zoe-below/gap").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_managers_rating_is_stored_as_manager_with_who_recorded_it() {
    let state = state().await;
    let aisha = user_token(&state, "aisha", UserRole::Manager, Some("aisha-rahman")).await;
    let daniel = user_token(&state, "daniel", UserRole::Employee, Some("daniel-mensah")).await;
    let body = r#"{"assessments": [{"skill": "Adaptability to change", "level": "W"}]}"#;
    let by_manager = post_json_as(
        &state,
        &aisha,
        "/api/v1/people/daniel-mensah/assessments",
        body,
    )
    .await;
    assert_eq!(
        by_manager.status,
        StatusCode::CREATED,
        "{}",
        by_manager.body
    );
    assert_eq!(by_manager.json()[0]["source"], "manager");
    // The recording user is kept, and the person page says who rated.
    assert_eq!(by_manager.json()[0]["recorded_by"], "aisha");
    let page = get_as(&state, &aisha, "/people/daniel-mensah").await;
    assert!(page.body.contains("rated by aisha"), "{}", page.body);
    // Imported ratings name nobody.
    let person = get_as(&state, &aisha, "/api/v1/people/daniel-mensah")
        .await
        .json();
    assert!(
        person["history"][0].get("recorded_by").is_none(),
        "{person}"
    );
    let by_self = post_json_as(
        &state,
        &daniel,
        "/api/v1/people/daniel-mensah/assessments",
        body,
    )
    .await;
    assert_eq!(by_self.status, StatusCode::CREATED, "{}", by_self.body);
    assert_eq!(by_self.json()[0]["source"], "self");
}

#[tokio::test]
async fn an_employee_posting_source_evidence_gets_422_naming_the_field() {
    let state = state().await;
    let daniel = user_token(&state, "daniel", UserRole::Employee, Some("daniel-mensah")).await;
    let reply = post_json_as(
        &state,
        &daniel,
        "/api/v1/people/daniel-mensah/assessments",
        r#"{"assessments": [{"skill": "Adaptability to change", "level": "W", "source": "evidence"}]}"#,
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(reply.json()["error"]["field"], "assessments[0].source");
}

#[tokio::test]
async fn every_operation_in_the_openapi_document_lists_401_and_403() {
    let state = state().await;
    let document = crate::get_anonymous(&state, "/api/v1/openapi.json")
        .await
        .json();
    let mut operations = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            for status in ["401", "403"] {
                let response = &operation["responses"][status];
                assert!(
                    response["content"]["application/json"]["schema"]["$ref"]
                        == "#/components/schemas/ErrorBody",
                    "{method} {path} lacks {status}: {operation}"
                );
            }
        }
    }
    assert!(operations > 20, "{operations} operations");
    assert!(document["components"]["schemas"]["ErrorBody"].is_object());
}
