//! Frameworks in and out in standard formats over HTTP: an RSD collection imported by a
//! framework owner comes back as it went in, as JSON-LD and as OSMT's CSV; others may download
//! but not import; a bad file names its field and stores nothing.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rolemap_store::UserRole;

use crate::{Reply, get_as, send, state, user_token};

fn collection() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../rolemap-formats/tests/fixtures/rsd/collection.json"
    ))
    .expect("fixture")
}

async fn post_file(state: &rolemap_server::AppState, token: &str, uri: &str, body: &str) -> Reply {
    let request = Request::post(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(Body::from(body.to_owned()))
        .expect("request");
    send(state, request).await
}

#[tokio::test]
async fn an_rsd_collection_imported_over_http_downloads_as_it_came_in() {
    let state = state().await;
    let owner = user_token(&state, "olga", UserRole::FrameworkOwner, None).await;
    let reply = post_file(
        &state,
        &owner,
        "/api/v1/frameworks/import/rsd?name=collection.json",
        &collection(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let outcome = reply.json();
    assert_eq!(outcome["key"], "rsd-5e0c2a7e");
    assert_eq!(outcome["skills"], 2);
    let employee = user_token(&state, "eve", UserRole::Employee, None).await;
    let download = get_as(
        &state,
        &employee,
        "/api/v1/frameworks/rsd-5e0c2a7e/export/rsd",
    )
    .await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.body);
    assert_eq!(download.content_type, "application/ld+json");
    assert_eq!(
        download.json(),
        serde_json::from_str::<serde_json::Value>(&collection()).expect("JSON")
    );
    let disposition = download
        .headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        disposition,
        "attachment; filename=\"rsd-5e0c2a7e.rsd.json\""
    );
    let csv = get_as(
        &state,
        &employee,
        "/api/v1/frameworks/rsd-5e0c2a7e/export/osmt-csv",
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.starts_with("Canonical URL,RSD Name,"),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("Incident Triage"), "{}", csv.body);
    // The same file again changes nothing.
    let again = post_file(
        &state,
        &owner,
        "/api/v1/frameworks/import/rsd",
        &collection(),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json()["created"], false);
}

#[tokio::test]
async fn only_framework_owners_import_and_a_bad_file_stores_nothing() {
    let state = state().await;
    let employee = user_token(&state, "eve", UserRole::Employee, None).await;
    let refused = post_file(
        &state,
        &employee,
        "/api/v1/frameworks/import/rsd",
        &collection(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let owner = user_token(&state, "olga", UserRole::FrameworkOwner, None).await;
    let before = get_as(&state, &owner, "/api/v1/frameworks").await.body;
    let bad = collection().replacen("\"skillName\": \"Change Planning\",", "", 1);
    let reply = post_file(
        &state,
        &owner,
        "/api/v1/frameworks/import/rsd?name=bad.json",
        &bad,
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("bad.json:58:12"), "{}", reply.body);
    assert!(reply.body.contains("skills[1].skillName"), "{}", reply.body);
    assert_eq!(
        get_as(&state, &owner, "/api/v1/frameworks").await.body,
        before
    );
    let unknown = post_file(&state, &owner, "/api/v1/frameworks/import/nope", "x").await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
}

#[tokio::test]
async fn every_builtin_framework_downloads_in_every_format() {
    let state = state().await;
    let employee = user_token(&state, "eve", UserRole::Employee, None).await;
    for format in ["case", "rsd", "osmt-csv"] {
        let reply = get_as(
            &state,
            &employee,
            &format!("/api/v1/frameworks/odp/export/{format}"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{format}: {}", reply.body);
        assert!(!reply.body.is_empty(), "{format}");
    }
    let missing = get_as(&state, &employee, "/api/v1/frameworks/nope/export/rsd").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_framework_downloaded_as_csv_imports_back_under_another_key() {
    let state = state().await;
    let owner = user_token(&state, "olga", UserRole::FrameworkOwner, None).await;
    let csv = get_as(&state, &owner, "/api/v1/frameworks/odp/export/csv").await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(csv.body.starts_with("[framework]"), "{}", csv.body);
    let reply = post_file(
        &state,
        &owner,
        "/api/v1/frameworks/import/csv?name=odp.csv&key=odp-copy",
        &csv.body,
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json()["key"], "odp-copy");
    let again = get_as(&state, &owner, "/api/v1/frameworks/odp-copy/export/csv").await;
    assert_eq!(again.status, StatusCode::OK);
    // The same sheets, but for the key in the framework sheet.
    assert!(csv.body.contains("\r\nkey,odp\r\n"));
    assert_eq!(
        again.body,
        csv.body
            .replacen("\r\nkey,odp\r\n", "\r\nkey,odp-copy\r\n", 1)
    );
}

#[tokio::test]
async fn the_framework_page_offers_downloads_that_all_work() {
    let state = state().await;
    let page = crate::get(&state, "/frameworks/odp").await;
    assert_eq!(page.status, StatusCode::OK);
    for format in ["xlsx", "csv", "case", "case-xlsx", "rsd", "osmt-csv"] {
        assert!(
            page.body
                .contains(&format!("/api/v1/frameworks/odp/export/{format}\"")),
            "{format}"
        );
    }
    let owner = user_token(&state, "olga", UserRole::FrameworkOwner, None).await;
    let reply = post_file(
        &state,
        &owner,
        "/api/v1/frameworks/import/rsd",
        &collection(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let page = crate::get(&state, "/frameworks/rsd-5e0c2a7e").await;
    assert!(page.body.contains("/export/rsd\""), "{}", page.body);
    // Every link offered works.
    for format in ["xlsx", "csv", "case", "case-xlsx", "rsd", "osmt-csv"] {
        let reply = get_as(
            &state,
            &owner,
            &format!("/api/v1/frameworks/rsd-5e0c2a7e/export/{format}"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{format}: {}", reply.body);
    }
}

#[tokio::test]
async fn the_templates_download_with_every_sheet() {
    let state = state().await;
    let employee = user_token(&state, "eve", UserRole::Employee, None).await;
    let csv = get_as(&state, &employee, "/api/v1/framework-template/csv").await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    for sheet in [
        "[framework]",
        "[skills]",
        "[roles]",
        "[requirements]",
        "[links]",
    ] {
        assert!(csv.body.contains(sheet), "{sheet}: {}", csv.body);
    }
    for format in ["xlsx", "case-xlsx"] {
        let reply = get_as(
            &state,
            &employee,
            &format!("/api/v1/framework-template/{format}"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{format}");
        assert!(reply.content_type.contains("spreadsheetml"), "{format}");
    }
    let unknown = get_as(&state, &employee, "/api/v1/framework-template/pdf").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}
