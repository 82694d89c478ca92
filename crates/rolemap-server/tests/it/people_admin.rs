//! Keeping people through the API and the pages: editing and moving (loops refused), archiving
//! (people leave lists and team pages and keep their page), the CSV import (matched by key,
//! else email; every problem with line, column and field) and the named teams.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::{Reply, get, post_form, post_json, send, state};

async fn patch(state: &rolemap_server::AppState, uri: &str, body: &str) -> Reply {
    let request = Request::patch(uri)
        .header(header::CONTENT_TYPE, "application/merge-patch+json")
        .body(Body::from(body.to_owned()))
        .expect("request");
    send(state, request).await
}

async fn post_csv(state: &rolemap_server::AppState, csv: &str) -> Reply {
    let request = Request::post("/api/v1/people/import?name=team.csv")
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(csv.to_owned()))
        .expect("request");
    send(state, request).await
}

fn names(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .map(|l| {
            l.iter()
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn patch_edits_the_fields_given_and_leaves_the_others() {
    let state = state().await;
    let reply = patch(
        &state,
        "/api/v1/people/daniel-mensah",
        r#"{"email": "daniel@example.org", "team": "Billing"}"#,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let person = reply.json();
    assert_eq!(person["email"], "daniel@example.org");
    assert_eq!(person["team"], "Billing");
    assert_eq!(person["manager"], "Aisha Rahman", "the manager stays");
    assert_eq!(
        person["role"]["key"], "front-line-help-and-advice",
        "the role stays"
    );

    // null clears a field.
    let cleared = patch(&state, "/api/v1/people/daniel-mensah", r#"{"email": null}"#).await;
    assert_eq!(cleared.json()["email"], serde_json::Value::Null);
}

#[tokio::test]
async fn patch_moves_a_person_and_refuses_a_loop_naming_the_manager_field() {
    let state = state().await;
    let moved = patch(
        &state,
        "/api/v1/people/raj-patel",
        r#"{"manager": "liam-doyle"}"#,
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.json()["manager"], "Liam Doyle");
    let liam_team = get(&state, "/api/v1/people/liam-doyle/team-matrix").await;
    assert!(liam_team.body.contains("Raj Patel"), "{}", liam_team.body);

    // Aisha cannot report to Daniel, who reports to her.
    let looped = patch(
        &state,
        "/api/v1/people/aisha-rahman",
        r#"{"manager": "daniel-mensah"}"#,
    )
    .await;
    assert_eq!(looped.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &looped.json()["error"];
    assert_eq!(error["field"], "manager", "{error}");
    assert!(
        error["message"].as_str().unwrap_or("").contains("loop"),
        "{error}"
    );
    // Nor through others: Grace under Mei, who is below her.
    let deep = patch(
        &state,
        "/api/v1/people/grace-okafor",
        r#"{"manager": "mei-chen"}"#,
    )
    .await;
    assert_eq!(deep.status, StatusCode::UNPROCESSABLE_ENTITY);
    let own = patch(
        &state,
        "/api/v1/people/owen-price",
        r#"{"manager": "owen-price"}"#,
    )
    .await;
    assert_eq!(own.json()["error"]["field"], "manager");
}

#[tokio::test]
async fn patch_names_the_field_of_each_bad_value() {
    let state = state().await;
    for (body, field) in [
        (r#"{"grade": "Z9"}"#, "grade"),
        (r#"{"role": "no such role at all"}"#, "role"),
        (r#"{"email": "not an address"}"#, "email"),
        (r#"{"name": ""}"#, "name"),
        (r#"{"name": null}"#, "name"),
        (r#"{"manager": "nobody by this name"}"#, "manager"),
    ] {
        let reply = patch(&state, "/api/v1/people/daniel-mensah", body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            reply.body
        );
        assert_eq!(reply.json()["error"]["field"], field, "{body}");
    }
    let taken = patch(
        &state,
        "/api/v1/people/raj-patel",
        r#"{"email": "x@example.org"}"#,
    )
    .await;
    assert_eq!(taken.status, StatusCode::OK);
    let again = patch(
        &state,
        "/api/v1/people/mei-chen",
        r#"{"email": "X@example.org"}"#,
    )
    .await;
    assert_eq!(again.json()["error"]["field"], "email", "{}", again.body);
    // Unknown fields are refused, not ignored.
    let unknown = patch(&state, "/api/v1/people/mei-chen", r#"{"colour": "red"}"#).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn delete_stays_refused_and_archiving_is_its_own_address() {
    let state = state().await;
    let request = Request::delete("/api/v1/people/owen-price")
        .body(Body::empty())
        .expect("request");
    let reply = send(&state, request).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn archived_people_leave_lists_and_team_pages_but_keep_their_page() {
    let state = state().await;
    let reply = post_json(&state, "/api/v1/people/owen-price/archive", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.json()["archived_at"].is_string());

    let people = get(&state, "/api/v1/people").await.json();
    assert!(!names(&people).contains(&"Owen Price".to_owned()));
    let all = get(&state, "/api/v1/people?archived=true").await.json();
    assert!(names(&all).contains(&"Owen Price".to_owned()));

    let matrix = get(&state, "/api/v1/people/grace-okafor/team-matrix").await;
    assert!(!matrix.body.contains("Owen Price"), "the team matrix");
    let team = get(&state, "/teams/grace-okafor").await;
    assert!(!team.body.contains("Owen Price"), "the team page");
    let list = get(&state, "/people").await;
    assert!(!list.body.contains("Owen Price"), "the people page");

    // Their page and history stay.
    let page = get(&state, "/people/owen-price").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("archived"), "{}", page.body);
    let detail = get(&state, "/api/v1/people/owen-price").await.json();
    assert!(detail["history"].as_array().is_some_and(|h| !h.is_empty()));

    let back = post_json(&state, "/api/v1/people/owen-price/unarchive", "").await;
    assert_eq!(back.json()["archived_at"], serde_json::Value::Null);
    let team = get(&state, "/teams/grace-okafor").await;
    assert!(team.body.contains("Owen Price"));
}

#[tokio::test]
async fn archiving_someone_who_manages_people_is_refused_until_they_move() {
    let state = state().await;
    let refused = post_json(&state, "/api/v1/people/liam-doyle/archive", "").await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let message = refused.json()["error"]["message"].to_string();
    assert!(
        message.contains("Mei Chen") && message.contains("Sophie Turner"),
        "{message}"
    );
    for key in ["mei-chen", "sophie-turner"] {
        let moved = patch(
            &state,
            &format!("/api/v1/people/{key}"),
            r#"{"manager": "aisha-rahman"}"#,
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK);
    }
    let archived = post_json(&state, "/api/v1/people/liam-doyle/archive", "").await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.body);
    // Nobody can be moved under someone archived.
    let under = patch(
        &state,
        "/api/v1/people/mei-chen",
        r#"{"manager": "liam-doyle"}"#,
    )
    .await;
    assert_eq!(under.json()["error"]["field"], "manager");
}

const TEAM_CSV: &str = "key,name,email,role,grade,manager,team\n\
    ann-lee,Ann Lee,ann@example.org,odp:team-leader,SEO,grace-okafor,Billing\n\
    bo-chan,Bo Chan,bo@example.org,,,ann-lee,Billing\n\
    ,Cy Dunn,cy@example.org,,,bo-chan,Billing\n";

#[tokio::test]
async fn csv_import_adds_then_matches_by_key_or_email_without_duplicates() {
    let state = state().await;
    let first = post_csv(&state, TEAM_CSV).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let outcome = first.json();
    assert_eq!(
        names(&outcome["created"]),
        ["Ann Lee", "Bo Chan", "Cy Dunn"]
    );
    assert_eq!(
        outcome["created"][2]["key"], "cy-dunn",
        "a key from the name"
    );
    assert_eq!(outcome["created"][1]["manager"], "Ann Lee");

    // Again with one change: Cy, matched by email, moves to Ann; the others are unchanged.
    let changed = TEAM_CSV.replace(
        ",Cy Dunn,cy@example.org,,,bo-chan,",
        ",Cy Dunn,cy@example.org,,,ann-lee,",
    );
    let second = post_csv(&state, &changed).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let outcome = second.json();
    assert_eq!(names(&outcome["created"]), Vec::<String>::new());
    assert_eq!(names(&outcome["updated"]), ["Cy Dunn"]);
    assert_eq!(names(&outcome["unchanged"]), ["Ann Lee", "Bo Chan"]);
    let people = get(&state, "/api/v1/people").await.json();
    let cys = names(&people).iter().filter(|n| *n == "Cy Dunn").count();
    assert_eq!(cys, 1, "no duplicates");

    let billing = get(&state, "/api/v1/teams").await.json();
    let team = billing
        .as_array()
        .and_then(|l| l.iter().find(|t| t["name"] == "Billing"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(names(&team["members"]), ["Ann Lee", "Bo Chan", "Cy Dunn"]);
    let page = get(&state, "/teams").await;
    assert!(page.body.contains("Billing") && page.body.contains("Cy Dunn"));
}

#[tokio::test]
async fn csv_import_reports_every_problem_with_line_column_and_field_and_stores_nothing() {
    let state = state().await;
    let csv = "name,key,manager,grade,role\n\
        Ann Lee,ann-lee,no-such-person,,\n\
        Bo Chan,bo-chan,,Z9,odp:team-leader\n\
        Cy Dunn,cy-dunn,,,no such role\n\
        Dee,dee,eve,,\n\
        Eve,eve,dee,,\n";
    let reply = post_csv(&state, csv).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let body = reply.json();
    let problems: Vec<(u64, u64, String)> = body["error"]["problems"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|p| {
                    (
                        p["line"].as_u64().unwrap_or(0),
                        p["column"].as_u64().unwrap_or(0),
                        p["field"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        problems,
        [
            (2, 3, "manager".to_owned()),
            (3, 4, "grade".to_owned()),
            (4, 5, "role".to_owned()),
            (5, 3, "manager".to_owned()),
            (6, 3, "manager".to_owned()),
        ],
        "{body}"
    );
    assert!(body.to_string().contains("team.csv:2:3"), "{body}");
    let people = get(&state, "/api/v1/people").await.json();
    assert!(
        !names(&people).contains(&"Bo Chan".to_owned()),
        "nothing stored"
    );
}

#[tokio::test]
async fn the_toml_people_import_still_answers_as_before() {
    let state = state().await;
    let request = Request::post("/api/v1/people/import")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("[[people]]\nkey = \"zed\"\nname = \"Zed\"\n"))
        .expect("request");
    let reply = send(&state, request).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json()["people"], 1);
}

#[tokio::test]
async fn add_person_form_shows_errors_at_the_field_and_adds_on_success() {
    let state = state().await;
    let page = get(&state, "/people").await;
    assert!(page.body.contains("Add person"), "admins see the form");
    assert!(
        page.body
            .contains("<form action=\"/people\" method=\"post\""),
        "the add form posts to /people"
    );
    // Every form of these pages carries the form token's mark.
    for template in [
        include_str!("../../templates/people.html"),
        include_str!("../../templates/person_edit.html"),
        include_str!("../../templates/people_import.html"),
    ] {
        assert_eq!(
            template.matches("method=\"post\"").count(),
            template.matches("<!--rolemap:csrf-->").count()
        );
    }

    let refused = post_form(
        &state,
        "/people",
        "name=Zoe+New&grade=Z9&role=odp%3Ateam-leader",
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("id=\"grade-error\""),
        "the error sits at the grade field"
    );

    let added = post_form(
        &state,
        "/people",
        "name=Zoe+New&grade=HEO&role=odp%3Ateam-leader&manager=aisha-rahman&team=Billing&email=zoe%40example.org",
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let person = get(&state, "/api/v1/people/zoe-new").await.json();
    assert_eq!(person["manager"], "Aisha Rahman");
    assert_eq!(person["email"], "zoe@example.org");
}

#[tokio::test]
async fn edit_page_saves_a_move_and_shows_a_loop_at_the_manager_field() {
    let state = state().await;
    let form = get(&state, "/people/aisha-rahman/edit").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Archive Aisha Rahman"));
    let looped = post_form(
        &state,
        "/people/aisha-rahman/edit",
        "name=Aisha+Rahman&role=odp%3Ateam-leader&grade=SEO&manager=raj-patel&team=",
    )
    .await;
    assert_eq!(looped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        looped.body.contains("id=\"manager-error\""),
        "{}",
        looped.body
    );

    let moved = post_form(
        &state,
        "/people/raj-patel/edit",
        "name=Raj+Patel&role=odp%3Afront-line-service-delivery&grade=AO&manager=liam-doyle&team=",
    )
    .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let raj = get(&state, "/api/v1/people/raj-patel").await.json();
    assert_eq!(raj["manager"], "Liam Doyle");
}

#[tokio::test]
async fn import_page_shows_the_outcome_and_the_problems() {
    let state = state().await;
    let body = format!(
        "file_name=team.csv&csv={}",
        TEAM_CSV
            .replace('%', "%25")
            .replace('\n', "%0A")
            .replace(',', "%2C")
            .replace('@', "%40")
            .replace(':', "%3A")
            .replace(' ', "+")
    );
    let done = post_form(&state, "/people/import", &body).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body.contains("3 created, 0 updated, 0 unchanged"),
        "{}",
        done.body
    );
    let bad = post_form(
        &state,
        "/people/import",
        "file_name=bad.csv&csv=name%0A%2C%0A",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("bad.csv:2:1"), "{}", bad.body);
}

#[tokio::test]
async fn the_openapi_document_describes_editing_archiving_and_teams() {
    let state = state().await;
    let doc = get(&state, "/api/v1/openapi.json").await.json();
    let paths = &doc["paths"];
    let patch = &paths["/api/v1/people/{id}"]["patch"];
    assert!(patch["requestBody"].is_object(), "{patch}");
    for status in ["200", "400", "404", "409", "422"] {
        assert!(
            patch["responses"][status].is_object(),
            "PATCH lists {status}"
        );
    }
    for path in [
        "/api/v1/people/{id}/archive",
        "/api/v1/people/{id}/unarchive",
    ] {
        assert!(paths[path]["post"].is_object(), "{path}");
    }
    assert!(paths["/api/v1/teams"]["get"].is_object());
    let import = &paths["/api/v1/people/import"]["post"]["requestBody"]["content"];
    assert!(import["text/csv"].is_object(), "{import}");
}
