//! Search and ESCO's own structure through the API and the pages, over the built-in framework and
//! a small ESCO-format fixture.

use std::path::Path;

use axum::http::StatusCode;
use rolemap_formats::esco::{self, EscoOptions};
use rolemap_server::AppState;

use crate::{get, state};

async fn esco_state() -> AppState {
    let state = state().await;
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../rolemap-formats/tests/fixtures/esco");
    let data = esco::open(
        &[
            fixtures.join("esco-v1.1.1-classification"),
            fixtures.join("esco-v1.1.1-relations"),
        ],
        EscoOptions::default(),
        &mut |_, _| {},
    )
    .expect("fixture reads");
    state
        .service
        .import_esco(
            std::sync::Arc::new(data),
            &rolemap_store::Actor::cli(),
            "2026-04-02T00:00:00Z",
        )
        .await
        .expect("fixture imports");
    state
}

#[tokio::test]
async fn search_endpoint_ranks_roles_and_skills_and_names_the_match() {
    let state = esco_state().await;
    let reply = get(
        &state,
        "/api/v1/search?q=opertions%20manger&type=occupation",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let hits = reply.json();
    let hits = hits.as_array().expect("list");
    assert!(hits.iter().all(|h| h["kind"] == "role"), "{hits:?}");
    assert!(
        hits.iter()
            .any(|h| h["label"] == "ICT operations manager" && h["framework"] == "esco"),
        "{hits:?}"
    );
    let scores: Vec<f64> = hits
        .iter()
        .map(|h| h["score"].as_f64().expect("score"))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    let hidden = get(&state, "/api/v1/search?q=ops%20boss&framework=esco")
        .await
        .json();
    assert_eq!(hidden[0]["label"], "ICT operations manager");
    assert_eq!(hidden[0]["field"], "hidden");

    let skills = get(
        &state,
        "/api/v1/search?q=manage%20a%20team&type=skill&limit=3",
    )
    .await
    .json();
    assert_eq!(skills[0]["label"], "manage staff");
    assert_eq!(skills[0]["matched"], "manage a team");
    assert!(skills.as_array().expect("list").len() <= 3);

    for (uri, status, field) in [
        (
            "/api/v1/search?q=manager&framework=escoo",
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "/api/v1/search?q=manager&limit=0",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("limit"),
        ),
        (
            "/api/v1/search?q=manager&limit=500",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("limit"),
        ),
        (
            "/api/v1/search?q=%20",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("text"),
        ),
        (
            "/api/v1/search?q=manager&type=person",
            StatusCode::BAD_REQUEST,
            None,
        ),
    ] {
        let reply = get(&state, uri).await;
        assert_eq!(reply.status, status, "{uri}: {}", reply.body);
        if let Some(field) = field {
            assert_eq!(reply.json()["error"]["field"], field, "{uri}");
        }
    }
}

#[tokio::test]
async fn typeahead_finds_hidden_labels_and_forgives_typos() {
    let state = esco_state().await;
    let hits = get(&state, "/api/v1/typeahead?q=opertions%20manag&limit=10")
        .await
        .json();
    let labels: Vec<&str> = hits
        .as_array()
        .expect("list")
        .iter()
        .map(|h| h["label"].as_str().expect("label"))
        .collect();
    assert!(labels.contains(&"ICT operations manager"), "{labels:?}");
    assert!(labels.contains(&"Operations Manager"), "{labels:?}");
}

#[tokio::test]
async fn esco_pages_show_the_isco_path_groups_and_related_skills() {
    let state = esco_state().await;
    let role = get(&state, "/api/v1/roles/esco:http%3A%2F%2Fdata.europa.eu%2Fesco%2Foccupation%2Fict-operations-team-leader").await;
    assert_eq!(role.status, StatusCode::OK, "{}", role.body);
    let role = role.json();
    let id = role["id"].as_i64().expect("id");
    let path: Vec<&str> = role["esco"]["path"]
        .as_array()
        .expect("path")
        .iter()
        .map(|l| l["label"].as_str().expect("label"))
        .collect();
    assert_eq!(path.len(), 5, "{path:?}");
    assert_eq!(path[4], "ICT operations manager");

    let page = get(&state, &format!("/roles/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Where it sits in ISCO",
        "ISCO 1330",
        "Information and communications technology service managers",
        "aria-current=\"page\"",
        "unregulated",
        "ESCO, European Commission",
    ] {
        assert!(
            page.body.contains(text),
            "role page lacks {text:?}:\n{}",
            page.body
        );
    }

    let skill = get(
        &state,
        "/api/v1/skills/esco:http%3A%2F%2Fdata.europa.eu%2Fesco%2Fskill%2Fmanage-staff",
    )
    .await;
    assert_eq!(skill.status, StatusCode::OK, "{}", skill.body);
    let skill = skill.json();
    assert_eq!(skill["essential_for"], 2);
    let id = skill["id"].as_i64().expect("id");
    let page = get(&state, &format!("/skills/{id}")).await;
    for text in [
        "Broader",
        "management skills",
        "Related skills",
        "show initiative",
        "2 as essential, 0 as optional",
        "staff management",
    ] {
        assert!(
            page.body.contains(text),
            "skill page lacks {text:?}:\n{}",
            page.body
        );
    }

    let search = get(&state, "/search?q=ops+boss").await;
    assert!(
        search.body.contains("matched “ops boss” (hidden label)"),
        "{}",
        search.body
    );
    let described = get(&state, "/search?q=infrastructure+components").await;
    assert!(
        described.body.contains("in the description"),
        "{}",
        described.body
    );
}

#[tokio::test]
async fn similar_roles_through_the_api() {
    let state = esco_state().await;
    let reply = get(&state, "/api/v1/roles/odp:team-leader/similar?limit=3").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["role"]["title"], "Team Leader");
    let neighbours = body["neighbours"].as_array().expect("list");
    assert_eq!(neighbours.len(), 3);
    assert!(neighbours.iter().all(|n| n["role"]["framework"] == "odp"));
    assert!(neighbours[0]["shared"].as_array().expect("shared").len() == 5);
    for (uri, status) in [
        (
            "/api/v1/roles/odp:team-leader/similar?limit=0",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/roles/odp:team-leader/similar?limit=x",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/v1/roles/nobody/similar", StatusCode::NOT_FOUND),
        (
            "/api/v1/roles/odp:team-leader/similar?hierarchy=maybe",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let reply = get(&state, uri).await;
        assert_eq!(reply.status, status, "{uri}: {}", reply.body);
    }
}

#[tokio::test]
async fn similar_roles_across_frameworks_and_with_the_hierarchy_through_the_api() {
    let state = esco_state().await;
    let across = get(
        &state,
        "/api/v1/roles/odp:operations-manager/similar?limit=20&across=true&hierarchy=true",
    )
    .await;
    assert_eq!(across.status, StatusCode::OK, "{}", across.body);
    let body = across.json();
    let standard = body["neighbours"]
        .as_array()
        .expect("list")
        .iter()
        .find(|n| n["role"]["framework"] == "standards")
        .cloned()
        .unwrap_or_else(|| panic!("no standards role: {body}"));
    assert!(standard["through"].is_string(), "{standard}");
    assert!(
        body["formula"]
            .as_str()
            .expect("formula")
            .contains("another framework")
    );
}

#[tokio::test]
async fn the_similar_roles_page_explains_each_neighbour() {
    let state = esco_state().await;
    let role = get(&state, "/roles/odp:team-leader").await;
    assert!(
        role.body
            .contains("href=\"/roles/odp:team-leader/similar\""),
        "{}",
        role.body
    );
    let page = get(&state, "/roles/odp:team-leader/similar").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "Roles like Team Leader",
        "Operations Manager",
        "How the score is made",
        "Transferable skills",
        "Data and insight",
        "Open Government Licence",
    ] {
        assert!(
            page.body.contains(text),
            "page lacks {text:?}:\n{}",
            page.body
        );
    }
    let missing = get(&state, "/roles/nobody/similar").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn movements_are_imported_as_text_and_weigh_in() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let state = esco_state().await;
    let post = |body: &'static str| {
        Request::post("/api/v1/transitions/import?name=moves.csv")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(body))
            .expect("request")
    };
    let bad = crate::send(
        &state,
        post("from,to,count\nodp:team-leader,odp:nobody,4\n"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let problem = &bad.json()["error"]["problems"][0];
    assert_eq!(problem["code"], "unknown-role");
    assert_eq!(problem["line"], 2);
    assert_eq!(problem["field"], "to");

    let done = crate::send(
        &state,
        post("from,to,count\nodp:team-leader,Operational Support,4\n"),
    )
    .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    assert_eq!(done.json()["people"], 4);
    let near = get(&state, "/api/v1/roles/odp:team-leader/similar?limit=1")
        .await
        .json();
    assert_eq!(
        near["neighbours"][0]["role"]["title"],
        "Operational Support"
    );
    assert_eq!(near["neighbours"][0]["moved_people"], 4);
}

#[tokio::test]
async fn the_progression_map_through_the_api() {
    let state = esco_state().await;
    let reply = get(&state, "/api/v1/roles/odp:operations-manager/progression").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let map = reply.json();
    let director = map["neighbours"]
        .as_array()
        .expect("list")
        .iter()
        .find(|n| n["role"]["title"] == "Operations Director")
        .cloned()
        .expect("the director is linked");
    assert_eq!(director["level"], "above");
}

#[tokio::test]
async fn routes_through_the_api() {
    let state = esco_state().await;
    let reply = get(
        &state,
        "/api/v1/routes?from=odp:team-leader&to=odp:operations-director&k=2",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.json();
    let routes = body["routes"].as_array().expect("routes");
    assert_eq!(routes.len(), 2, "{body}");
    let steps = routes[0]["steps"].as_array().expect("steps");
    let titles: Vec<&str> = steps
        .iter()
        .map(|s| s["role"]["title"].as_str().expect("title"))
        .collect();
    assert_eq!(titles, ["Operations Manager", "Operations Director"]);
    assert_eq!(steps[0]["level"], "above");
    assert!(
        body["formula"]
            .as_str()
            .expect("formula")
            .contains("step cost")
    );

    let none = get(
        &state,
        "/api/v1/routes?from=odp:team-leader&to=odp:chief-executive-officer&max_steps=1&min_similarity=0.99",
    )
    .await
    .json();
    assert_eq!(
        none["routes"].as_array().expect("routes").len(),
        0,
        "{none}"
    );
    assert!(none["reachable"].as_u64().is_some(), "{none}");

    for (uri, status) in [
        (
            "/api/v1/routes?from=odp:team-leader&to=odp:team-leader",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/routes?from=odp:team-leader&to=odp:operations-manager&max_steps=0",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/routes?from=odp:team-leader&to=odp:operations-manager&min_similarity=x",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/routes?from=odp:team-leader",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/routes?to=odp:team-leader",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/routes?from=nobody&to=odp:team-leader",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let reply = get(&state, uri).await;
        assert_eq!(reply.status, status, "{uri}: {}", reply.body);
    }
}

#[tokio::test]
async fn the_routes_page_explains_each_step() {
    let state = esco_state().await;
    let role = get(&state, "/roles/odp:team-leader").await;
    assert!(
        role.body
            .contains("href=\"/routes?from=odp%3Ateam-leader\""),
        "{}",
        role.body
    );
    let empty = get(&state, "/routes?from=odp:team-leader").await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert!(empty.body.contains("Find routes"), "{}", empty.body);
    let page = get(
        &state,
        "/routes?from=odp:team-leader&to=odp:operations-director",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "Routes from Team Leader to Operations Director",
        "Route 1: Team Leader → Operations Manager → Operations Director",
        "Transferable (5)",
        "Raise:",
        "How routes are chosen",
        "Open Government Licence",
    ] {
        assert!(
            page.body.contains(text),
            "page lacks {text:?}:\n{}",
            page.body
        );
    }
    let missing = get(&state, "/routes?from=nobody&to=odp:team-leader").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn job_titles_and_texts_through_the_api() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let state = esco_state().await;
    let reply = get(&state, "/api/v1/code-title?title=ops%20mgr&limit=3").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let codes = reply.json();
    let first = &codes.as_array().expect("list")[0];
    assert!(
        first["title"]
            .as_str()
            .expect("title")
            .contains("Operations Manager"),
        "{codes}"
    );
    for (uri, status) in [
        (
            "/api/v1/code-title?title=%20",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/code-title?title=x&limit=0",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/api/v1/code-title", StatusCode::BAD_REQUEST),
        (
            "/api/v1/code-title?title=x&framework=nope",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let reply = get(&state, uri).await;
        assert_eq!(reply.status, status, "{uri}: {}", reply.body);
    }

    let post = |uri: &str, body: &'static str| {
        Request::post(uri)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(body))
            .expect("request")
    };
    let found = crate::send(
        &state,
        post(
            "/api/v1/extract?framework=esco",
            "You will manage staff. No experience of software development is required.",
        ),
    )
    .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let report = found.json();
    let text = report.to_string();
    assert!(text.contains("manage staff"), "{report}");
    let unknown = crate::send(&state, post("/api/v1/extract?framework=nope", "text")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
}

/// The largest an ESCO browsing page may be.
const ESCO_PAGE_LIMIT: usize = 100 * 1024;

#[tokio::test]
async fn esco_trees_and_collections_browse_a_level_at_a_time() {
    let state = esco_state().await;
    let home = get(&state, "/esco").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains("href=\"/esco/occupations\""));
    assert!(
        home.body.contains("href=\"/esco/collections/digital\""),
        "{}",
        home.body
    );

    // The ISCO tree: the major groups, each opening onto the groups under it.
    let top = get(&state, "/esco/occupations").await;
    assert_eq!(top.status, StatusCode::OK, "{}", top.body);
    for text in [
        "<details><summary><span class=\"code\">1</span> <a href=\"/esco/occupations?group=http",
        "Managers</a> <span class=\"muted\">(1 below)</span>",
        "Production and specialised services managers",
        "<span class=\"code\">2</span>",
    ] {
        assert!(top.body.contains(text), "lacks {text:?}:\n{}", top.body);
    }
    // A unit group: its occupations link to their role pages, the one with an occupation
    // below it opens onto that one.
    let unit = get(
        &state,
        "/esco/occupations?group=http%3A%2F%2Fdata.europa.eu%2Fesco%2Fisco%2FC1330",
    )
    .await;
    assert_eq!(unit.status, StatusCode::OK, "{}", unit.body);
    let manager = get(&state, "/api/v1/roles/esco:ICT%20operations%20manager")
        .await
        .json();
    for text in [
        "Information and communications technology service managers</h1>",
        &format!(
            "<a href=\"/roles/{}\">ICT operations manager</a>",
            manager["id"]
        ),
        "ICT operations team leader",
        "› <a href=\"/esco/occupations?group=http:%2F%2Fdata.europa.eu%2Fesco%2Fisco%2FC13\">13 ",
    ] {
        assert!(unit.body.contains(text), "lacks {text:?}:\n{}", unit.body);
    }

    // The skills hierarchy down to a group's skills.
    let skills = get(&state, "/esco/skills").await;
    assert_eq!(skills.status, StatusCode::OK, "{}", skills.body);
    assert!(skills.body.contains("transversal skills and competences"));
    let ict = get(
        &state,
        "/esco/skills?group=http%3A%2F%2Fdata.europa.eu%2Fesco%2Fskill%2FK06",
    )
    .await;
    assert_eq!(ict.status, StatusCode::OK, "{}", ict.body);
    assert!(
        ict.body
            .contains("ITIL</a> <span class=\"muted\">(1 below)</span>"),
        "{}",
        ict.body
    );
    assert!(ict.body.contains("Python (computer programming)</a>"));

    let digital = get(&state, "/esco/collections/digital").await;
    assert_eq!(digital.status, StatusCode::OK, "{}", digital.body);
    assert!(
        digital
            .body
            .contains("2 skills in ESCO’s digital collection"),
        "{}",
        digital.body
    );
    assert!(digital.body.contains("ITIL"));

    for (uri, status) in [
        ("/esco/collections/nothing", StatusCode::NOT_FOUND),
        (
            "/esco/skills?group=http%3A%2F%2Fnowhere",
            StatusCode::NOT_FOUND,
        ),
        ("/esco/occupations?page=9", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let reply = get(&state, uri).await;
        assert_eq!(reply.status, status, "{uri}: {}", reply.body);
    }
    for page in [home, top, unit, skills, ict, digital] {
        assert!(page.body.len() < ESCO_PAGE_LIMIT);
    }
}

#[tokio::test]
async fn esco_pages_without_a_release_say_so() {
    let state = state().await;
    let reply = get(&state, "/esco/occupations").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    assert!(reply.body.contains("ESCO release"), "{}", reply.body);
}

/// All of ESCO, when `ROLEMAP_ESCO_DIR` names the folder of its zips: every level of both trees
/// as far as the first branch of each goes, the largest groups' pages and every collection's
/// first page stay under 100 KB.
#[tokio::test]
async fn esco_pages_stay_under_100_kb_on_the_whole_release() {
    let Some(dir) = std::env::var_os("ROLEMAP_ESCO_DIR") else {
        eprintln!("skipped: ROLEMAP_ESCO_DIR not set");
        return;
    };
    let state = state().await;
    let data = esco::open(
        &[std::path::PathBuf::from(dir)],
        EscoOptions {
            skip_dangling: true,
            ..Default::default()
        },
        &mut |_, _| {},
    )
    .expect("ESCO reads");
    state
        .service
        .import_esco(
            std::sync::Arc::new(data),
            &rolemap_store::Actor::cli(),
            "2026-04-02T00:00:00Z",
        )
        .await
        .expect("ESCO imports");
    let encode = |uri: &str| uri.replace(':', "%3A").replace('/', "%2F");
    let mut checked = 0;
    let mut largest = (0, String::new());
    let mut check = |address: String, body: &str| {
        assert!(
            body.len() < ESCO_PAGE_LIMIT,
            "{address} is {} bytes",
            body.len()
        );
        if body.len() > largest.0 {
            largest = (body.len(), address);
        }
        checked += 1;
    };
    for pillar in [
        (rolemap_store::EscoPillar::Occupations, "occupations"),
        (rolemap_store::EscoPillar::Skills, "skills"),
    ] {
        // Down the groups with the most below them first, as far as 60 groups a tree.
        let mut queue: Vec<Option<String>> = vec![None];
        let mut seen = 0;
        while let Some(group) = queue.pop() {
            if seen == 60 {
                break;
            }
            seen += 1;
            let branch = state
                .service
                .esco_branch(pillar.0, group.as_deref(), 0, 200)
                .await
                .expect("branch");
            let address = match &group {
                Some(uri) => format!("/esco/{}?group={}", pillar.1, encode(uri)),
                None => format!("/esco/{}", pillar.1),
            };
            let pages = branch.total.div_ceil(40).max(1);
            for page in [1, pages] {
                let address = format!(
                    "{address}{}page={page}",
                    if group.is_some() { "&" } else { "?" }
                );
                let reply = get(&state, &address).await;
                assert_eq!(reply.status, StatusCode::OK, "{address}: {}", reply.body);
                check(address, &reply.body);
            }
            let mut children: Vec<_> = branch.children.iter().filter(|c| c.narrower > 0).collect();
            children.sort_by_key(|c| c.narrower);
            queue.extend(children.into_iter().map(|c| Some(c.link.uri.clone())));
        }
    }
    for (tag, _) in state.service.esco_collections().await.expect("collections") {
        let address = format!("/esco/collections/{tag}");
        let reply = get(&state, &address).await;
        assert_eq!(reply.status, StatusCode::OK, "{address}: {}", reply.body);
        check(address, &reply.body);
    }
    eprintln!(
        "{checked} ESCO pages, the largest {} bytes ({})",
        largest.0, largest.1
    );
}
