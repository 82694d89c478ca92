//! The framework import page and the retention purge page through the router: a file previewed
//! (what it holds, its diff against the stored version) with nothing stored, then imported on
//! confirmation; a bad file's every problem with nothing stored; a version stored with other
//! content shown as a conflict; formats told from the file; old assessments counted, then
//! deleted as counted.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rolemap_core::bundle::FrameworkBundle;

use super::assert_page;
use crate::{Reply, get, post_form, send, state};

fn odp() -> FrameworkBundle {
    rolemap_formats::builtin::frameworks()
        .expect("built-in frameworks")
        .into_iter()
        .find(|b| b.framework.key == "odp")
        .expect("odp")
}

/// Posts the import form with a file, as the browser sends it.
async fn preview(state: &rolemap_server::AppState, name: &str, file: &[u8], format: &str) -> Reply {
    let mut body = format!(
        "--B\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\n{format}\r\n\
         --B\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n\r\n\
         --B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n--B--\r\n");
    let request = Request::post("/frameworks/import")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B")
        .body(Body::from(body))
        .expect("request");
    send(state, request).await
}

/// The confirmation form's fields, as the preview page holds them, urlencoded.
fn confirmation(page: &str) -> String {
    let mut fields = Vec::new();
    for name in ["file_name", "format", "key", "data"] {
        let marker = format!("name=\"{name}\" value=\"");
        let at = page
            .find(&marker)
            .unwrap_or_else(|| panic!("no {name} in the preview:\n{page}"))
            + marker.len();
        let value = &page[at..at + page[at..].find('"').expect("closing quote")];
        fields.push(format!("{name}={value}"));
    }
    fields.join("&")
}

async fn versions_of(state: &rolemap_server::AppState, key: &str) -> Vec<String> {
    state
        .service
        .frameworks()
        .await
        .expect("frameworks")
        .into_iter()
        .filter(|f| f.key == key)
        .map(|f| f.version)
        .collect()
}

#[tokio::test]
async fn a_framework_file_is_previewed_with_its_diff_and_stored_only_when_confirmed() {
    let state = state().await;
    let mut bundle = odp();
    bundle.framework.version = "2025".to_owned();
    bundle.skills[1].label = "Renamed on the page".to_owned();
    let text = rolemap_formats::write_framework(&bundle);
    let page = preview(&state, "odp-2025.toml", text.as_bytes(), "").await;
    assert_page(
        &page,
        &[
            "Import Operational Delivery Profession framework version 2025?",
            "rolemap framework document (TOML)",
            "12 skills, 13 roles with",
            "What it changes against version 2024",
            "Renamed on the page",
            "action=\"/frameworks/import/confirm\"",
        ],
    );
    assert_eq!(
        versions_of(&state, "odp").await,
        ["2024"],
        "the preview stored"
    );

    let done = post_form(
        &state,
        "/frameworks/import/confirm",
        &confirmation(&page.body),
    )
    .await;
    assert_page(&done, &["Imported odp version 2025", "12 skills, 13 roles"]);
    let mut stored = versions_of(&state, "odp").await;
    stored.sort();
    assert_eq!(stored, ["2024", "2025"]);

    // The same file again: stored with the same content, nothing to change.
    let again = preview(&state, "odp-2025.toml", text.as_bytes(), "toml").await;
    assert_page(
        &again,
        &["is stored with the same content: importing it changes nothing"],
    );
}

#[tokio::test]
async fn a_bad_framework_file_shows_every_problem_and_stores_nothing() {
    let state = state().await;
    let mut bundle = odp();
    bundle.framework.key = "odp-bad".to_owned();
    let mut workbook = rolemap_formats::framework_sheets::to_sheets(&bundle);
    for sheet in &mut workbook.sheets {
        match sheet.name.as_str() {
            "skills" => sheet.rows[2].cells[1] = String::new(),
            "requirements" => sheet.rows[3].cells[1] = "nowhere".to_owned(),
            _ => {}
        }
    }
    let xlsx = rolemap_formats::sheets::write_xlsx(&workbook).expect("xlsx");
    let page = preview(&state, "bad.xlsx", &xlsx, "").await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    for wanted in [
        "Nothing was imported: 2 problems found in bad.xlsx",
        "skills!B3 label",
        "requirements!B4 skill",
        "no skill &#39;nowhere&#39; in this file",
    ] {
        assert!(
            page.body.contains(wanted),
            "lacks {wanted:?}:\n{}",
            page.body
        );
    }
    assert!(!page.body.contains("/frameworks/import/confirm"));
    assert!(versions_of(&state, "odp-bad").await.is_empty());

    // Bytes no format reads, and a file that is not there at all.
    let unknown = preview(&state, "notes.txt", b"just words", "").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.body.contains("cannot tell the file"),
        "{}",
        unknown.body
    );
    let empty = preview(&state, "", b"", "").await;
    assert!(
        empty.body.contains("Choose a framework file"),
        "{}",
        empty.body
    );
}

#[tokio::test]
async fn a_version_stored_with_other_content_is_a_conflict_with_no_confirmation() {
    let state = state().await;
    let mut bundle = odp();
    bundle.skills[0].label = "Edited without a new version".to_owned();
    let text = rolemap_formats::write_framework(&bundle);
    let page = preview(&state, "odp.toml", text.as_bytes(), "toml").await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(
        page.body.contains("This version cannot be imported"),
        "{}",
        page.body
    );
    assert!(page.body.contains("already stored with other content"));
    assert!(!page.body.contains("/frameworks/import/confirm"));
}

#[tokio::test]
async fn a_case_package_is_told_from_its_content_and_imported() {
    let state = state().await;
    let package = rolemap_formats::case::from_bundle(&odp(), "2026-01-01T00:00:00Z");
    let mut json = Vec::new();
    rolemap_formats::case::write(&package, &mut json).expect("write");
    let mut body =
        String::from("--B\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nodp-case\r\n");
    body.push_str(
        "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"package\"\r\n\r\n",
    );
    let mut bytes = body.into_bytes();
    bytes.extend_from_slice(&json);
    bytes.extend_from_slice(b"\r\n--B--\r\n");
    let request = Request::post("/frameworks/import")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B")
        .body(Body::from(bytes))
        .expect("request");
    let page = send(&state, request).await;
    assert_page(
        &page,
        &["CASE 1.0 package (CFPackage JSON)", "(a new framework)"],
    );
    let done = post_form(
        &state,
        "/frameworks/import/confirm",
        &confirmation(&page.body),
    )
    .await;
    assert_page(&done, &["Imported odp-case version"]);
    assert_eq!(versions_of(&state, "odp-case").await.len(), 1);
}

/// Every assessment stored, archived people's included.
async fn assessments(state: &rolemap_server::AppState) -> usize {
    let store = state.service.store();
    let mut count = 0;
    for person in store.people().await.expect("people") {
        count += store
            .assessments(person.id)
            .await
            .expect("assessments")
            .len();
    }
    count
}

#[tokio::test]
async fn the_purge_page_counts_old_assessments_then_deletes_what_it_counted() {
    let state = state().await;
    let form = get(&state, "/admin/purge").await;
    assert_page(&form, &["Count what would go"]);
    let bad = get(&state, "/admin/purge?older_than=soon").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("is not an age such as 3y"),
        "{}",
        bad.body
    );

    // Every demo assessment is recorded in the past, more than a day ago.
    let total = assessments(&state).await;
    assert!(total > 0);
    let counted = get(&state, "/admin/purge?older_than=1d").await;
    assert_page(
        &counted,
        &[
            &format!("{total} assessments</strong> were recorded before"),
            &format!("Delete {total} assessments"),
        ],
    );
    assert_eq!(assessments(&state).await, total, "counting deleted");
    let marker = "name=\"before\" value=\"";
    let at = counted.body.find(marker).expect("before") + marker.len();
    let before = &counted.body[at..at + counted.body[at..].find('"').expect("quote")];
    let done = post_form(
        &state,
        "/admin/purge",
        &format!("before={before}&older_than=1d"),
    )
    .await;
    assert_page(
        &done,
        &[&format!("{total} assessments</strong> recorded before")],
    );
    assert_eq!(assessments(&state).await, 0);
    let again = get(&state, "/admin/purge?older_than=1d").await;
    assert_page(&again, &["No assessment was recorded before"]);

    let future = post_form(&state, "/admin/purge", "before=2999-01-01").await;
    assert_eq!(
        future.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        future.body
    );
}

/// Posts `csv` as the file of the CSV import page at `action`.
async fn upload_csv(
    state: &rolemap_server::AppState,
    action: &str,
    name: &str,
    csv: &str,
) -> Reply {
    let body = format!(
        "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--B--\r\n"
    );
    let request = Request::post(action)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B")
        .body(Body::from(body))
        .expect("request");
    send(state, request).await
}

#[tokio::test]
async fn movements_and_reviewed_mappings_import_from_their_pages() {
    let state = state().await;
    assert_page(
        &get(&state, "/transitions/import").await,
        &["Import movements between roles"],
    );
    let stored = upload_csv(
        &state,
        "/transitions/import",
        "moves.csv",
        "from,to,count\nodp:team-leader,Operational Support,4\n",
    )
    .await;
    assert_page(&stored, &["Stored 1 movement row counting 4 people."]);
    let bad = upload_csv(
        &state,
        "/transitions/import",
        "moves.csv",
        "from,to,count\nodp:team-leader,odp:nobody,4\n",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("moves.csv:2:"), "{}", bad.body);

    assert_page(
        &get(&state, "/mappings/import").await,
        &["Import reviewed mappings"],
    );
    let refused = upload_csv(
        &state,
        "/mappings/import",
        "reviewed.csv",
        "from_framework,from_key,to_framework,to_key,type,confidence,decision\n\
         odp,no-such-skill,esco-extract,x,close,0.7,accept\n",
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("reviewed.csv:2:"), "{}", refused.body);
    let empty = upload_csv(&state, "/mappings/import", "", "").await;
    assert!(empty.body.contains("Choose a CSV file"), "{}", empty.body);
}
