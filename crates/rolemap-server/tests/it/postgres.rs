//! The server on PostgreSQL, and two servers on one PostgreSQL database behaving as one: a session
//! made through one is valid on the other, and a write through one is read through the other at
//! once, and a framework imported by another process is listed by both. Skipped without a test server (`ROLEMAP_TEST_PG`), failing instead when `CI` is set.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rolemap_server::AppState;
use rolemap_service::{DEMO_PASSWORD, Service};
use rolemap_store::PgStore;
use rolemap_store::testing::PgSchema;

use crate::accounts::{cookie_of, sign_in};
use crate::{Reply, add_admin, get, post_json, send};

/// What a page shows Daniel (a demo employee) signed in.
const DANIEL: &str = "Signed in as <strong>Daniel Mensah</strong>";

/// A server's state over the database at `url`.
async fn server_on(url: &str) -> AppState {
    let store = PgStore::open(url).await.expect("open PostgreSQL");
    AppState::new(Service::new(Arc::new(store)))
}

async fn get_with_cookie(state: &AppState, uri: &str, cookie: &str) -> Reply {
    let request = Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
    send(state, request).await
}

#[tokio::test]
async fn two_servers_on_one_postgresql_database_behave_as_one() {
    let Some(schema) = PgSchema::create("two_servers").await else {
        return;
    };
    let one = server_on(schema.url()).await;
    one.service
        .init(true, &rolemap_store::Actor::cli(), "2026-04-01T00:00:00Z")
        .await
        .expect("init");
    add_admin(&one.service).await;
    one.service.add_demo_users().await.expect("demo users");
    let two = server_on(schema.url()).await;

    // Signed in through one, recognised by the other.
    let reply = sign_in(&one, "daniel", DEMO_PASSWORD, "/people").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let cookie = cookie_of(&reply);
    let page = get_with_cookie(&two, "/roles/odp:team-leader", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Team Leader"));
    assert!(
        page.body.contains(DANIEL),
        "the session made on one server is valid on the other"
    );

    // Both answer the same.
    let role = get(&one, "/api/v1/roles/odp:team-leader").await;
    assert_eq!(role.status, StatusCode::OK, "{}", role.body);
    assert_eq!(
        role.body,
        get(&two, "/api/v1/roles/odp:team-leader").await.body
    );

    // A write through one is read through the other at once, caches and all.
    let before = get(&two, "/api/v1/people/aisha-rahman").await.json();
    let _ = get(&two, "/api/v1/people/grace-okafor/team-matrix").await;
    let stored = post_json(
        &one,
        "/api/v1/people/aisha-rahman/assessments",
        r#"{"assessments": [{"skill": "Data and insight (core skill)", "level": "E"}]}"#,
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let after = get(&two, "/api/v1/people/aisha-rahman").await.json();
    let count = |v: &serde_json::Value| v["history"].as_array().map_or(0, Vec::len);
    assert_eq!(count(&after), count(&before) + 1, "{after:#}");
    assert_eq!(
        get(&one, "/api/v1/people/grace-okafor/team-matrix")
            .await
            .body,
        get(&two, "/api/v1/people/grace-okafor/team-matrix")
            .await
            .body
    );

    // A framework imported by another process (the command line, say) is listed by both at
    // once: each reads the frameworks generation from the database on every request.
    let keys = |state: &AppState| {
        let state = state.clone();
        async move {
            let listed = get(&state, "/api/v1/frameworks").await.json();
            listed
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|f| f["key"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_else(Vec::<String>::new)
        }
    };
    assert!(!keys(&one).await.contains(&"extra".to_owned()));
    assert!(!keys(&two).await.contains(&"extra".to_owned()));
    let cli = PgStore::open(schema.url()).await.expect("another process");
    let extra = rolemap_formats::read_framework(
        "[framework]\nkey = \"extra\"\nname = \"Extra\"\nversion = \"1\"\nsource = \"s\"\n\
         licence = \"l\"\nattribution = \"a\"\n\n[[roles]]\nkey = \"r\"\ntitle = \"R\"\n",
        "extra.toml",
    )
    .expect("framework");
    rolemap_store::Store::import_frameworks(
        &cli,
        &[extra],
        &rolemap_store::Actor::cli(),
        "2026-04-02T00:00:00Z",
    )
    .await
    .expect("import by another process");
    cli.close().await;
    assert!(keys(&one).await.contains(&"extra".to_owned()), "server one");
    assert!(keys(&two).await.contains(&"extra".to_owned()), "server two");

    // Signing out through the other ends the session there at once (the first server keeps
    // what it read for up to `rolemap_service::CREDENTIAL_RECHECK`, as it does for the command line).
    let out =
        crate::post_form_with(&two, "/logout", "", &cookie, &csrf_of(&two, &cookie).await).await;
    assert!(out.status.is_redirection(), "{}: {}", out.status, out.body);
    let page = get_with_cookie(&two, "/roles/odp:team-leader", &cookie).await;
    assert!(!page.body.contains(DANIEL), "signed out");
    let fresh = server_on(schema.url()).await;
    let page = get_with_cookie(&fresh, "/roles/odp:team-leader", &cookie).await;
    assert!(
        !page.body.contains(DANIEL),
        "the session is gone from the database"
    );
}

/// The form token a signed-in page hands this session.
async fn csrf_of(state: &AppState, cookie: &str) -> String {
    crate::token_in(&get_with_cookie(state, "/", cookie).await.body)
}
