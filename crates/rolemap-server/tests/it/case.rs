//! The CASE 1.0 REST read API (`/ims/case/v1p0`) over the built-in frameworks and an imported
//! CFPackage: the shapes CASE's service definition gives, and its error payload.

use axum::http::StatusCode;
use rolemap_formats::case;
use serde_json::Value;

use crate::{get, state};

const BASE: &str = "/ims/case/v1p0";

/// The CFDocuments list, by title.
async fn documents(state: &rolemap_server::AppState) -> Vec<Value> {
    let reply = get(state, &format!("{BASE}/CFDocuments")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["CFDocuments"]
        .as_array()
        .expect("CFDocuments is an array")
        .clone()
}

/// The built-in frameworks' CASE form, as `rolemap export case` builds it.
fn builtin_export(key: &str, imported_at: &str) -> (String, Vec<u8>) {
    let bundles = rolemap_formats::builtin::frameworks().expect("built-ins read");
    let bundle = bundles
        .iter()
        .find(|b| b.framework.key == key)
        .expect("built-in framework");
    let package = case::from_bundle(bundle, imported_at);
    let mut bytes = Vec::new();
    case::write(&package, &mut bytes).expect("write");
    (package.identifier().to_owned(), bytes)
}

#[tokio::test]
async fn case_documents_name_every_builtin_framework() {
    let state = state().await;
    let documents = documents(&state).await;
    let titles: Vec<&str> = documents
        .iter()
        .map(|d| d["title"].as_str().expect("title"))
        .collect();
    let bundles = rolemap_formats::builtin::frameworks().expect("built-ins read");
    assert_eq!(documents.len(), bundles.len(), "{titles:?}");
    for bundle in &bundles {
        assert!(
            titles.contains(&bundle.framework.name.as_str()),
            "{} missing from {titles:?}",
            bundle.framework.name
        );
    }
    for document in &documents {
        assert!(document["identifier"].is_string() && document["uri"].is_string());
    }
}

#[tokio::test]
async fn case_package_of_a_builtin_is_the_export_byte_for_byte() {
    let state = state().await;
    let imported_at = state
        .service
        .store()
        .framework_imported_at("odp")
        .await
        .unwrap()
        .expect("odp is stored");
    let (identifier, expected) = builtin_export("odp", &imported_at);
    let reply = get(&state, &format!("{BASE}/CFPackages/{identifier}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.content_type.starts_with("application/json"));
    assert!(
        reply.body.as_bytes() == expected.as_slice(),
        "the served package differs from the export"
    );
    let package = reply.json();
    assert!(!package["CFItems"].as_array().unwrap().is_empty());
    assert!(!package["CFRubrics"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn case_item_rubric_and_the_items_associations() {
    let state = state().await;
    let imported_at = state
        .service
        .store()
        .framework_imported_at("odp")
        .await
        .unwrap()
        .unwrap();
    let (_, bytes) = builtin_export("odp", &imported_at);
    let package: Value = serde_json::from_slice(&bytes).unwrap();
    let item = &package["CFItems"][0];
    let id = item["identifier"].as_str().unwrap();

    let reply = get(&state, &format!("{BASE}/CFItems/{id}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(&reply.json(), item);

    let reply = get(&state, &format!("{BASE}/CFItemAssociations/{id}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let set = reply.json();
    assert_eq!(&set["CFItem"], item);
    let expected: Vec<&Value> = package["CFAssociations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["originNodeURI"]["identifier"] == id || a["destinationNodeURI"]["identifier"] == id
        })
        .collect();
    let served: Vec<&Value> = set["CFAssociations"].as_array().unwrap().iter().collect();
    assert!(!served.is_empty(), "the item is a child of its document");
    assert_eq!(served, expected);
    for association in &served {
        let aid = association["identifier"].as_str().unwrap();
        let reply = get(&state, &format!("{BASE}/CFAssociations/{aid}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(&&reply.json(), association);
    }

    let rubric = &package["CFRubrics"][0];
    let rid = rubric["identifier"].as_str().unwrap();
    let reply = get(&state, &format!("{BASE}/CFRubrics/{rid}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(&reply.json(), rubric);
}

#[tokio::test]
async fn case_unknown_identifier_is_a_404_in_cases_status_shape() {
    let state = state().await;
    for path in [
        "CFPackages",
        "CFItems",
        "CFAssociations",
        "CFItemAssociations",
        "CFRubrics",
        // A path CASE defines that rolemap does not serve yet falls to the same shape.
        "CFConcepts",
    ] {
        let reply = get(&state, &format!("{BASE}/{path}/no-such-id")).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            reply.body
        );
        let body = reply.json();
        assert_eq!(body["imsx_codeMajor"], "failure", "{path}");
        assert_eq!(body["imsx_severity"], "error", "{path}");
        let description = body["imsx_description"].as_str().unwrap();
        assert!(
            description.contains("'no-such-id'") || path == "CFConcepts",
            "{path}: {body}"
        );
        assert_eq!(
            body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"],
            "unknownobject",
            "{path}"
        );
        // Nothing beyond what imsx_StatusInfo allows (it forbids other properties).
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "imsx_codeMajor",
                "imsx_codeMinor",
                "imsx_description",
                "imsx_severity"
            ],
            "{path}"
        );
    }
}

#[tokio::test]
async fn case_api_serves_an_imported_package_as_it_came_in() {
    let state = state().await;
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rolemap-formats/tests/fixtures/case/operations.json");
    let text = std::fs::read_to_string(&file).unwrap();
    let package = case::read("operations.json", text.as_bytes()).unwrap();
    let bundle = case::to_bundle(&package, "ops-case", "operations.json").unwrap();
    state
        .service
        .store()
        .import_case(
            &bundle,
            &package.objects(),
            &rolemap_store::Actor::cli(),
            "2026-04-01T00:00:00Z",
        )
        .await
        .unwrap();
    let documents = documents(&state).await;
    assert!(
        documents
            .iter()
            .any(|d| d["identifier"] == package.identifier()),
        "the imported document is listed"
    );
    let reply = get(
        &state,
        &format!("{BASE}/CFPackages/{}", package.identifier()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let input: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(reply.json(), input);
}
