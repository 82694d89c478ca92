//! Pages for what the command line does beyond browsing: the progression map with its links and
//! filters, skills found in a pasted text and its gap to a role, job-title coding, the crosswalk
//! review, similar roles across frameworks.

use axum::http::StatusCode;

use super::assert_page;
use crate::{get, state};

/// The `<a>` a progression map puts around a role's box.
fn box_link(id: &serde_json::Value) -> String {
    format!("<a href=\"/roles/{id}/progression\"><rect")
}

#[tokio::test]
async fn progression_map_links_each_role_and_filters_by_framework_and_level() {
    let state = state().await;
    let map = get(&state, "/api/v1/roles/odp:operations-manager/progression").await;
    assert_eq!(map.status, StatusCode::OK, "{}", map.body);
    let map = map.json();
    let neighbours = map["neighbours"].as_array().unwrap().clone();
    assert!(neighbours.iter().any(|n| n["level"] == "above"));
    assert!(neighbours.iter().any(|n| n["level"] != "above"));

    let page = get(&state, "/roles/odp:operations-manager/progression").await;
    assert_page(
        &page,
        &[
            "Progression map for Operations Manager",
            "name=\"framework\"",
            "name=\"level\"",
        ],
    );
    for n in &neighbours {
        assert!(
            page.body.contains(&box_link(&n["role"]["id"])),
            "no link on the map to {}",
            n["role"]["title"]
        );
    }
    // The role itself is no link: one per other role.
    assert_eq!(page.body.matches("<rect").count(), neighbours.len() + 1);
    assert_eq!(page.body.matches("><rect").count(), neighbours.len());

    let above = get(
        &state,
        "/roles/odp:operations-manager/progression?level=above",
    )
    .await;
    assert_page(&above, &["Show every role"]);
    for n in &neighbours {
        assert_eq!(
            above.body.contains(&box_link(&n["role"]["id"])),
            n["level"] == "above",
            "{} ({}) filtered wrongly",
            n["role"]["title"],
            n["level"]
        );
    }

    let odp = get(
        &state,
        "/roles/odp:operations-manager/progression?framework=odp",
    )
    .await;
    assert_page(&odp, &[]);
    for n in &neighbours {
        assert_eq!(
            odp.body.contains(&box_link(&n["role"]["id"])),
            n["role"]["framework"] == "odp",
            "{} ({}) filtered wrongly",
            n["role"]["title"],
            n["role"]["framework"]
        );
    }
    let none = get(
        &state,
        "/roles/odp:operations-manager/progression?framework=nothing",
    )
    .await;
    assert_page(&none, &["None of the"]);
    assert!(!none.body.contains("<rect"), "{}", none.body);

    let bad = get(
        &state,
        "/roles/odp:operations-manager/progression?level=sideways",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("nknown level"), "{}", bad.body);
}

#[tokio::test]
async fn routes_page_links_to_both_progression_maps() {
    let state = state().await;
    let page = get(
        &state,
        "/routes?from=odp%3Ateam-leader&to=odp%3Aoperations-director",
    )
    .await;
    let from = get(&state, "/api/v1/roles/odp:team-leader").await.json();
    let to = get(&state, "/api/v1/roles/odp:operations-director")
        .await
        .json();
    assert_page(
        &page,
        &[
            &format!("href=\"/roles/{}/progression\"", from["id"]),
            &format!("href=\"/roles/{}/progression\"", to["id"]),
            "Progression map of Team Leader",
        ],
    );
}

const CV: &str = "Experienced manager. I manage budgets, manage staff and perform project \
                  management for digital systems. No experience of outsourcing strategy.";

/// A form value, encoded as a browser sends it.
pub(super) fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_pasted_cv_shows_its_skills_marked_and_its_gap_to_a_role() {
    let state = state().await;
    let role = "esco-extract:ict-operations-manager";
    let found = crate::post_text(&state, "/api/v1/extract", CV).await.json();
    let gap = crate::post_text(&state, &format!("/api/v1/roles/{role}/text-gap"), CV)
        .await
        .json();
    let page = crate::post_form(
        &state,
        "/text",
        &format!("text={}&role={}", form_encode(CV), form_encode(role)),
    )
    .await;
    assert_page(
        &page,
        &[
            "The text, with the skills it mentions marked",
            "Against <a href=\"/roles/esco-extract:ict-operations-manager\">",
            &format!(
                "<strong>{} of {}</strong>",
                gap["essential_evidenced"], gap["essential"]
            ),
        ],
    );
    // Every mention the labels, phrases or paraphrases found is marked, with its skill and
    // confidence in the mark's tooltip; the text itself is all there.
    let mentions = found["mentions"].as_array().unwrap();
    assert!(
        mentions
            .iter()
            .any(|m| m["skill"]["label"] == "manage budgets"),
        "{found}"
    );
    for m in mentions.iter().filter(|m| m["signal"] != "retrieval") {
        let label = m["skill"]["label"].as_str().unwrap();
        assert!(
            page.body.contains(&format!("{label} (confidence ")),
            "no mark for {label}"
        );
    }
    assert!(
        page.body.contains(">manage budgets</mark>"),
        "{}",
        page.body
    );
    if mentions.iter().any(|m| m["negated"] == true) {
        assert!(page.body.contains("<mark class=\"negated\""));
    }
    // Each requirement is said shown or not found, as the text gap says.
    let lines = gap["lines"].as_array().unwrap();
    let shown = lines.iter().filter(|l| l["evidenced"] == true).count();
    assert!(shown > 0 && shown < lines.len(), "{gap}");
    assert_eq!(page.body.matches("<tr class=\"evidenced\">").count(), shown);
    assert_eq!(
        page.body.matches("<tr class=\"missing\">").count(),
        lines.len() - shown
    );

    let empty = crate::post_form(&state, "/text", "text=+&role=").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Paste the text"), "{}", empty.body);
}

#[tokio::test]
async fn a_job_title_is_coded_with_the_matched_title_and_score() {
    let state = state().await;
    let codes = get(&state, "/api/v1/code-title?title=ops%20mgr")
        .await
        .json();
    let best = &codes.as_array().unwrap()[0];
    let page = get(&state, "/text?title=ops+mgr").await;
    assert_page(
        &page,
        &[
            "Roles “ops mgr” most likely stands for",
            &format!(
                "<a href=\"/roles/{}\">{}</a> <span class=\"tag\">best match</span>",
                best["role_id"],
                best["title"].as_str().unwrap()
            ),
            &format!("{:.2}", best["score"].as_f64().unwrap()),
            best["matched"].as_str().unwrap(),
        ],
    );
}

/// The value a suggestion's decision posts.
fn value_of(s: &serde_json::Value) -> String {
    format!(
        "{}|{}|{}|{:.3}",
        s["from_key"].as_str().unwrap(),
        s["to_key"].as_str().unwrap(),
        s["type"].as_str().unwrap(),
        s["confidence"].as_f64().unwrap()
    )
}

/// The decision column of the reviewed CSV's row for a suggestion.
fn decision_in(csv: &str, s: &serde_json::Value) -> String {
    let key = format!(
        "{},{},",
        s["from_key"].as_str().unwrap(),
        s["from_label"].as_str().unwrap()
    );
    let to = format!(",{},", s["to_key"].as_str().unwrap());
    csv.lines()
        .find(|l| l.contains(&key) && l.contains(&to))
        .unwrap_or_else(|| panic!("no row for {s} in\n{csv}"))
        .rsplit(',')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn crosswalk_suggestions_are_accepted_and_rejected_and_similar_across_uses_them() {
    let state = state().await;
    let (from, to) = ("odp", "esco-extract");
    let all = get(&state, &format!("/api/v1/crosswalk?from={from}&to={to}"))
        .await
        .json();
    let all = all.as_array().unwrap();
    assert!(all.len() >= 2, "{all:?}");
    // Stored as close, whatever was suggested: mappings count as the same skill when exact or
    // close.
    let (first, second) = (&all[0], &all[1]);
    let close = |s: &serde_json::Value| {
        form_encode(&format!(
            "type:{}|{}",
            s["from_key"].as_str().unwrap(),
            s["to_key"].as_str().unwrap()
        )) + "=close"
    };
    let address = format!("/crosswalk?from={from}&to={to}");
    let page = get(&state, &address).await;
    assert_page(
        &page,
        &[
            "Crosswalk from odp to esco-extract",
            "Download the reviewed CSV",
            "Accept ticked",
            &format!("value=\"{}\"", value_of(first)),
        ],
    );
    let csv = get(&state, &format!("/crosswalk.csv?from={from}&to={to}")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.content_type.starts_with("text/csv"),
        "{}",
        csv.content_type
    );
    assert!(
        csv.body
            .starts_with("from_framework,from_key,from_label,to_framework,to_key,")
    );
    assert_eq!(decision_in(&csv.body, first), "");

    // One by its own button, one ticked and rejected, then accepted after all.
    let body = |rest: String| format!("from={from}&to={to}&page=1&{rest}");
    let one = crate::post_form(
        &state,
        "/crosswalk",
        &body(format!(
            "accept_one={}&{}",
            form_encode(&value_of(first)),
            close(first)
        )),
    )
    .await;
    assert_page(&one, &["Accepted 1 suggestion: stored as mappings."]);
    let ticked = crate::post_form(
        &state,
        "/crosswalk",
        &body(format!(
            "decision=reject&pick={}",
            form_encode(&value_of(second))
        )),
    )
    .await;
    assert_page(&ticked, &["Rejected 1 suggestion."]);
    let csv = get(&state, &format!("/crosswalk.csv?from={from}&to={to}"))
        .await
        .body;
    assert_eq!(decision_in(&csv, first), "accept");
    assert_eq!(decision_in(&csv, second), "reject");
    let again = crate::post_form(
        &state,
        "/crosswalk",
        &body(format!(
            "decision=accept&pick={}&{}",
            form_encode(&value_of(second)),
            close(second)
        )),
    )
    .await;
    assert_page(&again, &["Accepted 1 suggestion"]);
    let csv = get(&state, &format!("/crosswalk.csv?from={from}&to={to}"))
        .await
        .body;
    assert_eq!(decision_in(&csv, second), "accept");
    // Each decision is in the audit log, with who took it and the review before and after.
    let entries = state
        .service
        .store()
        .audit_entries(&rolemap_store::AuditFilter {
            action: Some("mapping".to_owned()),
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["mapping.accept", "mapping.reject", "mapping.accept"],
        "{entries:?}"
    );
    assert!(
        entries.iter().all(
            |e| e.username.as_deref() == Some(crate::ADMIN) && e.via == rolemap_store::Via::Web
        )
    );
    assert_eq!(
        entries[0].before.as_deref(),
        Some("{\"decision\":\"reject\"}")
    );
    assert!(
        entries[1].subject.starts_with("mapping:odp:"),
        "{:?}",
        entries[1]
    );
    // The reviewed CSV carries the type stored, which `map apply` reads back.
    let to_key = format!(",{},", second["to_key"].as_str().unwrap());
    let row = csv.lines().find(|l| l.contains(&to_key)).unwrap();
    assert!(row.contains(",close,"), "{row}");

    // Similar roles across frameworks count the accepted mappings: an ODP role requiring the
    // first skill now shares the mapped skill with a role of the extract requiring it.
    let roles = get(&state, "/api/v1/roles?framework=odp").await.json();
    let mut origin = None;
    for r in roles.as_array().unwrap() {
        let role = get(&state, &format!("/api/v1/roles/{}", r["id"]))
            .await
            .json();
        if role["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["skill_key"] == first["from_key"])
        {
            origin = Some(role);
            break;
        }
    }
    let origin = origin.unwrap_or_else(|| panic!("no ODP role requires {}", first["from_key"]));
    let similar = get(
        &state,
        &format!(
            "/api/v1/roles/{}/similar?across=true&limit=30",
            origin["id"]
        ),
    )
    .await
    .json();
    let across = similar["neighbours"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["role"]["framework"] == to)
        .unwrap_or_else(|| panic!("no role of {to} among {similar}"));
    assert!(
        across["shared"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == &first["to_label"]),
        "{across}"
    );
    let page = get(&state, &format!("/roles/{}/similar?across=1", origin["id"])).await;
    assert_page(
        &page,
        &[
            "Only roles of",
            &format!("({to})"),
            "with the same label in both frameworks or mapped",
            first["to_label"].as_str().unwrap(),
        ],
    );
}

#[tokio::test]
async fn only_framework_owners_see_the_crosswalk_decisions() {
    let state = state().await;
    let token = crate::user_token(
        &state,
        "daniel",
        rolemap_store::UserRole::Employee,
        Some("daniel-mensah"),
    )
    .await;
    let page = crate::get_as(&state, &token, "/crosswalk?from=odp&to=esco-extract").await;
    assert_page(
        &page,
        &["Only framework owners may accept or reject suggestions."],
    );
    assert!(!page.body.contains("Accept ticked"));
    assert!(!page.body.contains("name=\"pick\""));
}

#[tokio::test]
async fn an_uploaded_cv_is_read_as_a_pasted_one_and_a_binary_file_is_refused() {
    let state = state().await;
    let multipart = |file: &[u8]| {
        let mut body = b"--B\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n\r\n\
            --B\r\nContent-Disposition: form-data; name=\"role\"\r\n\r\n\
            esco-extract:ict-operations-manager\r\n\
            --B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cv.txt\"\r\n\
            Content-Type: text/plain\r\n\r\n"
            .to_vec();
        body.extend_from_slice(file);
        body.extend_from_slice(b"\r\n--B--\r\n");
        axum::http::Request::post("/text")
            .header(
                axum::http::header::CONTENT_TYPE,
                "multipart/form-data; boundary=B",
            )
            .body(axum::body::Body::from(body))
            .expect("request")
    };
    let page = crate::send(&state, multipart(CV.as_bytes())).await;
    assert_page(&page, &[">manage budgets</mark>", "Essential skills shown"]);
    let binary = crate::send(&state, multipart(&[0xff, 0xfe, 0x00, 0x41])).await;
    assert_eq!(
        binary.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        binary.body
    );
    assert!(
        binary.body.contains("cv.txt is not plain text"),
        "{}",
        binary.body
    );
}
