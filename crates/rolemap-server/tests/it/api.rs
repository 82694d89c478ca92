//! Every JSON endpoint, with good and bad input. Bad input is a 4xx with a stable code (and the
//! field where there is one) and changes nothing.

use axum::http::StatusCode;

use crate::{get, post_json, state};

#[tokio::test]
async fn health_and_frameworks() {
    let state = state().await;
    let health = get(&state, "/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["status"], "ok");
    let frameworks = get(&state, "/api/v1/frameworks").await.json();
    let keys: Vec<&str> = frameworks
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        vec!["esco-extract", "odp", "ops-compared", "standards"]
    );
    let esco = frameworks
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "esco-extract")
        .unwrap();
    assert_eq!(esco["attribution"], "ESCO, European Commission");
}

#[tokio::test]
async fn roles_list_filter_and_profile() {
    let state = state().await;
    let roles = get(
        &state,
        "/api/v1/roles?framework=odp&family=Leadership%20and%20Management",
    )
    .await;
    assert_eq!(roles.status, StatusCode::OK);
    let titles: Vec<String> = roles
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_owned())
        .collect();
    assert!(titles.contains(&"Team Leader".to_owned()), "{titles:?}");
    assert!(
        !titles.contains(&"Regulator".to_owned()) || titles.len() == 7,
        "{titles:?}"
    );

    let role = get(&state, "/api/v1/roles/odp:team-leader").await;
    assert_eq!(role.status, StatusCode::OK);
    let role = role.json();
    assert_eq!(role["title"], "Team Leader");
    assert_eq!(role["grades"], serde_json::json!(["EO", "HEO", "SEO"]));
    let data = role["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["skill"] == "Data and insight (core skill)")
        .unwrap();
    assert_eq!(
        data["levels"],
        serde_json::json!({"EO": "A", "HEO": "W", "SEO": "P"})
    );

    let by_id = get(&state, &format!("/api/v1/roles/{}", role["id"]))
        .await
        .json();
    assert_eq!(by_id["key"], "team-leader");
    let by_title = get(&state, "/api/v1/roles/team%20leader").await.json();
    assert_eq!(by_title["key"], "team-leader");
}

#[tokio::test]
async fn unknown_and_ambiguous_roles_are_4xx_with_codes() {
    let state = state().await;
    let missing = get(&state, "/api/v1/roles/team%20leadr").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let body = missing.json();
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(body["error"]["suggestions"][0], "Team Leader");

    let ambiguous = get(&state, "/api/v1/roles/Operations%20Manager").await;
    assert_eq!(ambiguous.status, StatusCode::CONFLICT);
    assert_eq!(ambiguous.json()["error"]["code"], "ambiguous");

    let unknown_framework = get(&state, "/api/v1/roles?framework=nope").await;
    assert_eq!(unknown_framework.status, StatusCode::NOT_FOUND);

    let no_endpoint = get(&state, "/api/v1/nothing-here").await;
    assert_eq!(no_endpoint.status, StatusCode::NOT_FOUND);
    assert_eq!(no_endpoint.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn job_description_needs_a_valid_grade() {
    let state = state().await;
    let jd = get(
        &state,
        "/api/v1/roles/odp:operations-manager/job-description?grade=G7",
    )
    .await;
    assert_eq!(jd.status, StatusCode::OK);
    let jd = jd.json();
    assert_eq!(jd["grade"], "G7");
    let data = jd["essential"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["skill"] == "Data and insight (core skill)")
        .unwrap();
    assert_eq!(data["level"]["code"], "E");

    let missing = get(
        &state,
        "/api/v1/roles/odp:operations-manager/job-description",
    )
    .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["error"]["field"], "grade");
    let wrong = get(
        &state,
        "/api/v1/roles/odp:operations-manager/job-description?grade=AA",
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("G7, G6")
    );
}

#[tokio::test]
async fn skills_list_and_detail() {
    let state = state().await;
    let digital = get(&state, "/api/v1/skills?framework=esco-extract&tag=digital")
        .await
        .json();
    assert_eq!(
        digital.as_array().unwrap().len(),
        15,
        "seed 004 tags 15 competences digital"
    );
    let search = get(&state, "/api/v1/skills?q=budget").await.json();
    assert!(
        search
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["label"] == "manage budgets")
    );

    let skill = get(&state, "/api/v1/skills/esco-extract:manage-budgets").await;
    assert_eq!(skill.status, StatusCode::OK);
    let skill = skill.json();
    assert_eq!(skill["attribution"], "ESCO, European Commission");
    assert_eq!(skill["required_by"][0]["importance"], "essential");

    let bad = get(&state, "/api/v1/skills?kind=talent").await;
    assert_eq!(
        bad.status,
        StatusCode::OK,
        "an unknown kind matches nothing"
    );
    assert!(bad.json().as_array().unwrap().is_empty());
}

#[tokio::test]
async fn compare_and_typeahead() {
    let state = state().await;
    let c = get(
        &state,
        "/api/v1/compare?a=odp:team-leader&b=odp:front-line-help-and-advice",
    )
    .await;
    assert_eq!(c.status, StatusCode::OK);
    let c = c.json();
    assert_eq!(c["shared"].as_array().unwrap().len(), 5);
    let missing = get(&state, "/api/v1/compare?a=odp:team-leader").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.json()["error"]["code"], "malformed_json");

    let hits = get(&state, "/api/v1/typeahead?q=opera&limit=5")
        .await
        .json();
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 5);
    assert!(
        hits.iter().all(|h| h["matched"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("opera")),
        "{hits:?}"
    );
}

#[tokio::test]
async fn people_assessments_gap_and_team() {
    let state = state().await;
    let created = post_json(
        &state,
        "/api/v1/people",
        r#"{"name": "Sam Jones", "role": "odp:team-leader", "grade": "HEO", "manager": "grace-okafor"}"#,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let sam = created.json();
    assert_eq!(sam["key"], "sam-jones");
    assert_eq!(sam["manager"], "Grace Okafor");

    let stored = post_json(
        &state,
        "/api/v1/people/sam-jones/assessments",
        r#"{"assessments": [{"skill": "Data and insight (core skill)", "level": "W"}, {"skill": "Adaptability to change", "level": "Practitioner", "source": "manager", "note": "ran the office move"}]}"#,
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    assert_eq!(stored.json().as_array().unwrap().len(), 2);

    let person = get(&state, "/api/v1/people/sam-jones").await.json();
    assert_eq!(person["history"].as_array().unwrap().len(), 2);

    let gap = get(&state, "/api/v1/people/sam-jones/gap").await.json();
    assert_eq!(gap["grade"], "HEO");
    assert_eq!(gap["role"]["key"], "team-leader");
    assert_eq!(gap["counts"]["unassessed"], 3);

    let team = get(&state, "/api/v1/people/grace-okafor/team-matrix")
        .await
        .json();
    assert!(
        team["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["person"]["name"] == "Sam Jones")
    );
    assert_eq!(team["succession"]["role"]["key"], "operations-manager");
}

#[tokio::test]
async fn bad_assessments_change_nothing() {
    let state = state().await;
    let before = get(&state, "/api/v1/people/aisha-rahman").await.json()["history"]
        .as_array()
        .unwrap()
        .len();

    let cases = [
        (
            r#"{"assessments": [{"skill": "Data and insight (core skill)", "level": "W"}, {"skill": "Adaptability to change", "level": "Z"}]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "assessments[1].level",
        ),
        (
            r#"{"assessments": [{"skill": "Data and insight (core skill)", "lvl": "W"}]}"#,
            StatusCode::BAD_REQUEST,
            "assessments[0].lvl",
        ),
        (
            r#"{"assessments": [{"skill": "No such skill", "level": "W"}]}"#,
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            r#"{"assessments": [{"skill": "Data and insight (core skill)", "level": "W", "source": "boss"}]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "assessments[0].source",
        ),
        (r#"{"assessments": "#, StatusCode::BAD_REQUEST, ""),
        (
            r#"{"assessments": []}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "assessments",
        ),
    ];
    for (body, status, field) in cases {
        let reply = post_json(&state, "/api/v1/people/aisha-rahman/assessments", body).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
        if !field.is_empty() {
            assert_eq!(reply.json()["error"]["field"], field, "{body}");
        }
    }
    let unknown_person = post_json(
        &state,
        "/api/v1/people/nobody/assessments",
        r#"{"assessments": [{"skill": "Data and insight (core skill)", "level": "W"}]}"#,
    )
    .await;
    assert_eq!(unknown_person.status, StatusCode::NOT_FOUND);

    let after = get(&state, "/api/v1/people/aisha-rahman").await.json()["history"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after);

    let bad_person = post_json(
        &state,
        "/api/v1/people",
        r#"{"name": "Kim", "role": "odp:team-leader", "grade": "G6"}"#,
    )
    .await;
    assert_eq!(bad_person.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_person.json()["error"]["field"], "grade");
    let people = get(&state, "/api/v1/people").await.json();
    assert!(
        !people
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Kim")
    );
}

#[tokio::test]
async fn openapi_document_lists_every_endpoint() {
    let state = state().await;
    let doc = get(&state, "/api/v1/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/healthz",
        "/api/v1/frameworks",
        "/api/v1/roles",
        "/api/v1/roles/{id}",
        "/api/v1/roles/{id}/job-description",
        "/api/v1/skills",
        "/api/v1/skills/{id}",
        "/api/v1/compare",
        "/api/v1/typeahead",
        "/api/v1/people",
        "/api/v1/people/{id}",
        "/api/v1/people/{id}/assessments",
        "/api/v1/people/{id}/gap",
        "/api/v1/people/{id}/team-matrix",
        "/api/v1/people/import",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    // Every schema a response refers to is defined.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let text = doc.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(
            schemas.contains_key(name),
            "schema {name} is referenced but not defined"
        );
    }
}

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    let state = state().await;
    let request = axum::http::Request::get("/api/v1/roles/odp:team-leader")
        .header("accept-encoding", "gzip")
        .body(axum::body::Body::empty())
        .unwrap();
    let reply = crate::send(&state, request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply
            .headers
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
}

#[tokio::test]
async fn framework_and_people_imports_are_all_or_nothing() {
    let state = state().await;
    let framework = "[framework]\nkey = \"mine\"\nname = \"Mine\"\nversion = \"1\"\nsource = \"t\"\nlicence = \"t\"\nattribution = \"t\"\n\n[[roles]]\nkey = \"supervisor\"\ntitle = \"Shift Supervisor\"\n";
    let send = |uri: &'static str, body: String| {
        let state = state.clone();
        async move {
            let request = axum::http::Request::post(uri)
                .header("content-type", "application/toml")
                .body(axum::body::Body::from(body))
                .unwrap();
            crate::send(&state, request).await
        }
    };
    let created = send("/api/v1/frameworks?name=mine.toml", framework.to_owned()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()[0]["roles"], 1);
    let again = send("/api/v1/frameworks?name=mine.toml", framework.to_owned()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()[0]["created"], false);

    let broken = framework
        .replace("key = \"mine\"", "key = \"other\"")
        .replace(
            "title = \"Shift Supervisor\"",
            "title = \"S\"\nfamily = \"nope\"",
        );
    let failed = send("/api/v1/frameworks?name=broken.toml", broken).await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = failed.json()["error"]["problems"].clone();
    assert_eq!(problems[0]["file"], "broken.toml");
    assert_eq!(problems[0]["line"], 12);
    assert_eq!(problems[0]["field"], "roles[0].family");
    let keys: Vec<String> = get(&state, "/api/v1/frameworks")
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap().to_owned())
        .collect();
    assert!(!keys.contains(&"other".to_owned()));

    let people = "[[people]]\nkey = \"kim\"\nname = \"Kim Lee\"\nrole = \"mine:supervisor\"\n\n[[people]]\nkey = \"jo\"\nname = \"Jo\"\nrole = \"mine:nobody\"\n";
    let failed = send("/api/v1/people/import", people.to_owned()).await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        failed.json()["error"]["problems"][0]["code"],
        "unknown-role"
    );
    assert!(
        !get(&state, "/api/v1/people").await.body.contains("Kim Lee"),
        "nothing stored"
    );
    let ok = send(
        "/api/v1/people/import",
        people.replace("mine:nobody", "mine:supervisor"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.json()["people"], 2);
}

fn post_text(uri: &str, body: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::post(uri)
        .header(axum::http::header::CONTENT_TYPE, "text/plain")
        .body(axum::body::Body::from(body.to_owned()))
        .expect("request")
}

#[tokio::test]
async fn crosswalk_mappings_and_text_gap_through_the_api() {
    let state = crate::state().await;
    // Suggestions from the ODP core skills to the ESCO extract's skills.
    let reply = crate::get(
        &state,
        "/api/v1/crosswalk?from=odp&to=esco-extract&min_confidence=0.3&limit=2",
    )
    .await;
    assert_eq!(reply.status, axum::http::StatusCode::OK, "{}", reply.body);
    let suggestions = reply.json();
    let rows = suggestions.as_array().expect("a list");
    assert!(!rows.is_empty(), "{suggestions}");
    for row in rows {
        assert_eq!(row["from_framework"], "odp");
        assert!(["exact", "close", "related"].contains(&row["type"].as_str().unwrap_or("")));
        assert!(row["confidence"].as_f64().unwrap_or(0.0) >= 0.3);
    }
    for (uri, field) in [
        (
            "/api/v1/crosswalk?from=odp&to=esco-extract&kind=roles",
            "kind",
        ),
        (
            "/api/v1/crosswalk?from=odp&to=esco-extract&limit=0",
            "limit",
        ),
        (
            "/api/v1/crosswalk?from=odp&to=esco-extract&min_confidence=2",
            "min_confidence",
        ),
    ] {
        let reply = crate::get(&state, uri).await;
        assert_eq!(
            reply.status,
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "{uri}"
        );
        assert_eq!(reply.json()["error"]["field"], field, "{uri}");
    }
    let unknown = crate::get(&state, "/api/v1/crosswalk?from=odp&to=nope").await;
    assert_eq!(unknown.status, axum::http::StatusCode::NOT_FOUND);

    // A text against a role from another framework: nothing until a mapping says the ODP skill
    // it mentions is the role's.
    let cv = "Ten years of data and insight work.";
    let target = "/api/v1/roles/esco-extract:ict-operations-manager/text-gap?name=cv.txt";
    let before = crate::send(&state, post_text(target, cv)).await;
    assert_eq!(before.status, axum::http::StatusCode::OK, "{}", before.body);
    let skill = before.json()["lines"][0]["key"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    assert_eq!(before.json()["source"], "cv.txt");
    let evidenced = |reply: &crate::Reply| -> Vec<String> {
        reply.json()["lines"]
            .as_array()
            .map(|lines| {
                lines
                    .iter()
                    .filter(|l| !l["evidence"].as_array().is_none_or(|e| e.is_empty()))
                    .map(|l| l["key"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(!evidenced(&before).contains(&skill));

    let csv = format!(
        "from_framework,from_key,to_framework,to_key,type,confidence,decision\n\
         odp,data-and-insight,esco-extract,{skill},close,0.7,accept\n\
         odp,adaptability-to-change,esco-extract,{skill},related,0.3,reject\n"
    );
    let applied = crate::send(
        &state,
        post_text("/api/v1/mappings/import?name=reviewed.csv", &csv),
    )
    .await;
    assert_eq!(
        applied.status,
        axum::http::StatusCode::CREATED,
        "{}",
        applied.body
    );
    assert_eq!(applied.json()["applied"], 1);
    assert_eq!(applied.json()["ignored"], 1);
    let after = crate::send(&state, post_text(target, cv)).await;
    assert!(evidenced(&after).contains(&skill), "{}", after.body);
    assert!(
        after.body.contains("\"mapped\":\"close\""),
        "{}",
        after.body
    );

    // A row naming an unknown skill: reported with its line, nothing stored.
    let bad = "from_framework,from_key,to_framework,to_key,type,confidence,decision\n\
               odp,no-such-skill,esco-extract,x,close,0.7,accept\n";
    let refused = crate::send(
        &state,
        post_text("/api/v1/mappings/import?name=bad.csv", bad),
    )
    .await;
    assert_eq!(
        refused.status,
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("bad.csv"), "{}", refused.body);
}

#[tokio::test]
async fn a_stored_name_is_refused_unless_same_name_is_sent() {
    let state = state().await;
    let first = post_json(&state, "/api/v1/people", r#"{"name": "Sam Jones"}"#).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = post_json(&state, "/api/v1/people", r#"{"name": "sam jones"}"#).await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    let error = again.json()["error"].clone();
    assert_eq!(error["field"], "name", "{error}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Sam Jones is already stored, key sam-jones")
            && message.contains("\"same_name\": true"),
        "{message}"
    );
    let people = get(&state, "/api/v1/people").await.json();
    assert_eq!(
        people
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["name"] == "Sam Jones")
            .count(),
        1,
        "nothing was added"
    );
    let second = post_json(
        &state,
        "/api/v1/people",
        r#"{"name": "Sam Jones", "same_name": true}"#,
    )
    .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    assert_eq!(second.json()["key"], "sam-jones-2");
}

#[tokio::test]
async fn a_held_level_of_none_is_stored_and_counts_as_a_gap() {
    let state = state().await;
    let created = post_json(
        &state,
        "/api/v1/people",
        r#"{"name": "Noor Held", "role": "odp:team-leader", "grade": "HEO", "manager": "grace-okafor"}"#,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let stored = post_json(
        &state,
        "/api/v1/people/noor-held/assessments",
        r#"{"assessments": [{"skill": "Adaptability to change", "level": "none"}]}"#,
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    assert_eq!(stored.json()[0]["level"]["code"], "none");
    let gap = get(&state, "/api/v1/people/noor-held/gap").await.json();
    let line = gap["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["skill"]["label"] == "Adaptability to change")
        .cloned()
        .unwrap();
    assert_eq!(line["status"], "below", "{line}");
    assert_eq!(line["held"]["level"]["code"], "none", "{line}");
    assert_eq!(gap["counts"]["below"], 1, "{gap}");
    assert_eq!(gap["counts"]["unassessed"], 4, "{gap}");
}

/// Roles one step apart: the comparison carries the step (A's top grade against B's entry grade,
/// or the grades asked for) and the levels to raise; a grade the role lacks is a 422 naming the
/// field.
#[tokio::test]
async fn compare_gives_the_step_between_roles_and_its_grades() {
    let state = state().await;
    let c = get(
        &state,
        "/api/v1/compare?a=odp:team-leader&b=odp:operations-manager",
    )
    .await;
    assert_eq!(c.status, StatusCode::OK);
    let c = c.json();
    assert_eq!(
        c["step"],
        serde_json::json!({"a_grade": "SEO", "b_grade": "G7", "skills_compared": 5, "skills_to_raise": 3, "levels_to_raise": 3})
    );
    let chosen = get(
        &state,
        "/api/v1/compare?a=odp:team-leader&b=odp:operations-manager&grade_a=EO&grade_b=G6",
    )
    .await
    .json();
    assert_eq!(chosen["step"]["a_grade"], "EO");
    assert_eq!(chosen["step"]["levels_to_raise"], 13);
    let wrong = get(
        &state,
        "/api/v1/compare?a=odp:team-leader&b=odp:operations-manager&grade_b=SEO",
    )
    .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert_eq!(wrong.json()["error"]["field"], "grade_b");

    // The document describes the step, so clients know its fields.
    let doc = get(&state, "/api/v1/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    assert!(
        schemas["StepDto"]["properties"]["levels_to_raise"].is_object(),
        "{}",
        schemas["StepDto"]
    );
    assert!(schemas["ComparisonDto"]["properties"]["step"].is_object());
    let params: Vec<&str> = doc["paths"]["/api/v1/compare"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        params.contains(&"grade_a") && params.contains(&"grade_b"),
        "{params:?}"
    );
}

/// A role that lists no skill requirements gives no readiness figure: null, not 100.
#[tokio::test]
async fn gap_to_a_role_without_requirements_has_no_readiness() {
    let state = state().await;
    let gap = get(
        &state,
        "/api/v1/people/aisha-rahman/gap?target=ops-compared:head-of-operations",
    )
    .await;
    assert_eq!(gap.status, StatusCode::OK, "{}", gap.body);
    let gap = gap.json();
    assert_eq!(gap["readiness"], serde_json::Value::Null, "{gap}");
    let doc = get(&state, "/api/v1/openapi.json").await.json();
    let readiness = doc["components"]["schemas"]["GapDto"]["properties"]["readiness"].to_string();
    assert!(readiness.contains("null"), "{readiness}");
}
