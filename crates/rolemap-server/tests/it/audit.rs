//! The audit log over HTTP (who, when, from which address, via the API or a page), the admin's
//! audit page and CSV, a person's own data as JSON, and erasure: after it, no page, API answer,
//! export, search result or log line shows the person.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use rolemap_server::AppState;
use rolemap_service::DEMO_PASSWORD;
use rolemap_store::UserRole;

use crate::{Reply, get, get_as, send, state, token_in, user_token};

/// A request as admin from `address`, as the server sees a peer's address.
async fn send_from(state: &AppState, address: &str, mut request: Request<Body>) -> Reply {
    let peer: SocketAddr = format!("{address}:40000").parse().expect("address");
    request.extensions_mut().insert(ConnectInfo(peer));
    send(state, request).await
}

/// The newest entries of an action, through the API.
async fn entries(state: &AppState, query: &str) -> Vec<serde_json::Value> {
    let reply = get(state, &format!("/api/v1/audit?{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json().as_array().expect("a list").clone()
}

#[tokio::test]
async fn api_writes_are_audited_with_the_user_and_their_address() {
    let state = state().await;
    let add = Request::post("/api/v1/people")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            r#"{"name": "Nia Brooks", "manager": "aisha-rahman", "team": "Ops"}"#,
        ))
        .expect("request");
    let reply = send_from(&state, "192.0.2.44", add).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);

    let added = entries(&state, "action=person.add&limit=1").await;
    let entry = &added[0];
    assert_eq!(entry["user"], "grace");
    assert_eq!(entry["address"], "192.0.2.44");
    assert_eq!(entry["via"], "api");
    assert_eq!(entry["subject"], "nia-brooks");
    assert_eq!(entry["before"], serde_json::Value::Null);
    assert_eq!(entry["after"]["manager"], "aisha-rahman");
    assert_eq!(entry["after"]["team"], "Ops");
    assert!(entry["at"].as_str().expect("time").ends_with('Z'));

    // A self-assessment, by the person's own user.
    let daniel = user_token(&state, "daniel", UserRole::Employee, Some("daniel-mensah")).await;
    let rate = Request::post("/api/v1/people/daniel-mensah/assessments")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {daniel}"))
        .body(Body::from(
            r#"{"assessments": [{"skill": "odp:data-and-insight", "level": "P", "note": "audited"}]}"#,
        ))
        .expect("request");
    let reply = send_from(&state, "198.51.100.7", rate).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let rated = entries(&state, "action=assessment&person=daniel-mensah&limit=1").await;
    assert_eq!(rated[0]["user"], "daniel");
    assert_eq!(rated[0]["address"], "198.51.100.7");
    assert_eq!(rated[0]["after"]["source"], "self");
    assert_eq!(rated[0]["after"]["note"], "audited");

    // Filters: by user, and by time.
    let by_daniel = entries(&state, "user=daniel").await;
    assert!(
        by_daniel.iter().all(|e| e["user"] == "daniel"),
        "{by_daniel:?}"
    );
    assert!(
        by_daniel.iter().any(|e| e["action"] == "assessment.add"),
        "{by_daniel:?}"
    );
    assert!(entries(&state, "since=2999-01-01").await.is_empty());
    let bad = get(&state, "/api/v1/audit?since=yesterday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
}

#[tokio::test]
async fn signing_in_and_out_is_audited_as_sessions() {
    let state = state().await;
    let reply = crate::accounts::sign_in(&state, "grace", DEMO_PASSWORD, "/").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let cookie = crate::accounts::cookie_of(&reply);
    let started = entries(&state, "action=session.start&limit=1").await;
    assert_eq!(started[0]["user"], "grace");
    assert_eq!(started[0]["via"], "web");

    let page = send(
        &state,
        Request::get("/")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    let token = token_in(&page.body);
    let out = crate::post_form_with(&state, "/logout", "", &cookie, &token).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let ended = entries(&state, "action=session.end&limit=1").await;
    assert_eq!(ended[0]["user"], "grace");
    assert_eq!(ended[0]["subject"], "grace");
}

#[tokio::test]
async fn the_audit_page_filters_pages_and_downloads_csv() {
    let state = state().await;
    let page = get(&state, "/admin/audit?action=person&limit=3").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("person.add"), "{}", page.body);
    assert!(!page.body.contains("framework.import"), "filtered out");
    assert!(
        page.body.contains("Older entries"),
        "the demo team has more than 3"
    );
    assert!(
        page.body
            .contains("href=\"/admin/audit.csv?action=person\""),
        "{}",
        page.body
    );

    let csv = get(&state, "/admin/audit.csv?action=person.add").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.content_type.starts_with("text/csv"),
        "{}",
        csv.content_type
    );
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some("id,at,user,address,via,action,subject,before,after")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 9, "one per demo person: {rows:?}");
    assert!(rows.iter().all(|r| r.contains(",person.add,")), "{rows:?}");

    // Anyone but an admin is refused (the access matrix covers the rest).
    let daniel = user_token(&state, "daniel", UserRole::Employee, Some("daniel-mensah")).await;
    assert_eq!(
        get_as(&state, &daniel, "/admin/audit").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_person_downloads_everything_held_about_them() {
    let state = state().await;
    let daniel = user_token(&state, "daniel", UserRole::Employee, Some("daniel-mensah")).await;
    let reply = get_as(&state, &daniel, "/api/v1/people/daniel-mensah/export").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "private, no-store");
    let export = reply.json();
    assert_eq!(export["person"]["key"], "daniel-mensah");
    assert_eq!(export["user"]["username"], "daniel");
    assert!(export["user"].get("password_hash").is_none());
    let stored = state
        .service
        .person_detail("daniel-mensah")
        .await
        .expect("detail")
        .history
        .len();
    assert_eq!(
        export["assessments"].as_array().expect("list").len(),
        stored
    );
    // The demo gives Daniel a goal; it travels with him, as would reviews of his self-ratings.
    let goals = export["goals"].as_array().expect("goals");
    assert!(
        goals.iter().any(|g| g["note"]
            .as_str()
            .is_some_and(|n| n.contains("new case system"))),
        "{goals:?}"
    );
    let reviews = &export["reviews"];
    assert_eq!(reviews["person"]["key"], "daniel-mensah", "{reviews}");
    assert!(reviews["pending"].is_array() && reviews["done"].is_array());
    let audit = export["audit"].as_array().expect("list");
    assert!(
        audit.iter().any(|e| e["action"] == "person.add"),
        "{audit:?}"
    );
    assert!(audit.iter().any(|e| e["action"] == "user.add"), "{audit:?}");

    let page = get_as(&state, &daniel, "/people/daniel-mensah/export").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("text")
            .contains("rolemap-daniel-mensah.json")
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&page.body).expect("JSON")["person"]["key"],
        "daniel-mensah"
    );
    // Someone else's is refused.
    let raj = user_token(&state, "raj", UserRole::Employee, Some("raj-patel")).await;
    assert_eq!(
        get_as(&state, &raj, "/api/v1/people/daniel-mensah/export")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_erased_person_is_found_nowhere() {
    let log = crate::harden::process_log();
    let state = state().await;
    // Aisha manages Daniel and Raj and has a user of her own.
    let aisha = user_token(&state, "aisha", UserRole::Manager, Some("aisha-rahman")).await;
    assert_eq!(
        get_as(&state, &aisha, "/people/aisha-rahman").await.status,
        StatusCode::OK
    );

    let confirm = get(&state, "/people/aisha-rahman/erase").await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm.body.contains("Erase Aisha Rahman?"),
        "{}",
        confirm.body
    );
    let erased = crate::post_form(&state, "/people/aisha-rahman/erase", "").await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
    assert!(erased.body.contains("erased-"), "{}", erased.body);

    let gone = |reply: &Reply, what: &str| {
        let text = reply.body.to_lowercase();
        // Her key and full name: others' notes may mention a first name, which erasure does
        // not rewrite.
        assert!(
            !text.contains("rahman"),
            "{what} still shows her: {}",
            reply.body
        );
    };
    let person = get(&state, "/people/aisha-rahman").await;
    assert_eq!(person.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&state, "/api/v1/people/aisha-rahman").await.status,
        StatusCode::NOT_FOUND
    );
    for uri in [
        "/people",
        "/",
        "/people/daniel-mensah",
        "/teams/grace-okafor",
        "/teams/grace-okafor.csv",
        "/api/v1/people",
        "/api/v1/people/grace-okafor/team-matrix",
        "/api/v1/people/daniel-mensah/export",
        "/api/v1/search?q=Aisha",
        "/api/v1/typeahead?q=Aisha",
        "/admin/audit?limit=1000",
        "/admin/audit.csv",
        "/api/v1/audit?limit=1000",
    ] {
        let reply = get(&state, uri).await;
        assert!(reply.status.is_success(), "{uri}: {}", reply.status);
        gone(&reply, uri);
    }
    // Her reports moved up to her manager.
    let daniel = state.service.person("daniel-mensah").await.expect("daniel");
    assert_eq!(daniel.manager.map(|m| m.1).as_deref(), Some("Grace Okafor"));
    // Her user is disabled, unlinked, and signs no one in.
    let refused = get_as(&state, &aisha, "/api/v1/people").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    // The tombstone.
    let tomb = entries(&state, "action=person.erase").await;
    assert_eq!(tomb.len(), 1);
    assert_eq!(tomb[0]["user"], "grace");
    assert!(
        tomb[0]["subject"]
            .as_str()
            .expect("text")
            .starts_with("erased-")
    );
    // No log line names her.
    let text = String::from_utf8_lossy(&log.0.lock().expect("lock")).to_lowercase();
    assert!(!text.contains("rahman"), "the log names her: {text}");
}

#[tokio::test]
async fn erasing_through_the_api_answers_what_went() {
    let state = state().await;
    let reply = crate::post_json(&state, "/api/v1/people/owen-price/erase", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let erasure = reply.json();
    assert!(
        erasure["assessments"].as_u64().expect("count") > 0,
        "{erasure}"
    );
    assert_eq!(erasure["user_disabled"], false);
    let again = crate::post_json(&state, "/api/v1/people/owen-price/erase", "").await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.body);
}
