//! Reviews of self-ratings, development goals and review cycles through the API and the pages:
//! a manager agrees with one self-rating and changes another with a note, and the person sees
//! both; goals set from the gap page show on the team page as they come due; an admin opens a
//! cycle and the team page and its CSV say who has self-assessed and who has been reviewed.

use axum::http::{StatusCode, header};
use rolemap_service::{add_days, day_of, now};
use rolemap_store::UserRole;

use crate::{get, get_as, post_form_as, post_json, post_json_as, send, state, user_token};

/// Daniel (an employee) and Aisha (his manager) with API tokens.
async fn daniel_and_aisha(state: &rolemap_server::AppState) -> (String, String) {
    let daniel = user_token(state, "daniel", UserRole::Employee, Some("daniel-mensah")).await;
    let aisha = user_token(state, "aisha", UserRole::Manager, Some("aisha-rahman")).await;
    (daniel, aisha)
}

/// Daniel rates himself on two skills; the ids of the two self-ratings.
async fn daniel_rates_himself(state: &rolemap_server::AppState, daniel: &str) -> (i64, i64) {
    let reply = post_json_as(
        state,
        daniel,
        "/api/v1/people/daniel-mensah/assessments",
        r#"{"assessments": [{"skill": "odp:data-and-insight", "level": "P"}, {"skill": "odp:adaptability-to-change", "level": "P"}]}"#,
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let stored = reply.json();
    let id = |i: usize| stored[i]["id"].as_i64().expect("id");
    (id(0), id(1))
}

fn states(reviews: &serde_json::Value, list: &str) -> Vec<String> {
    reviews[list]
        .as_array()
        .expect("list")
        .iter()
        .map(|r| format!("{}:{}", r["skill"].as_str().unwrap_or(""), r["state"]))
        .collect()
}

#[tokio::test]
async fn a_manager_agrees_with_one_self_rating_and_changes_another_and_the_person_sees_both() {
    let state = state().await;
    let (daniel, aisha) = daniel_and_aisha(&state).await;
    let (agreed, changed) = daniel_rates_himself(&state, &daniel).await;

    let reviews = get_as(&state, &aisha, "/api/v1/people/daniel-mensah/reviews")
        .await
        .json();
    let pending: Vec<i64> = reviews["pending"]
        .as_array()
        .expect("pending")
        .iter()
        .map(|r| r["self_rating"]["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(pending.len(), 2, "{reviews}");
    assert!(pending.contains(&agreed) && pending.contains(&changed));
    // Raj's newer self-rating in the demo waits too: three on Aisha's team page.
    let team = get_as(&state, &aisha, "/teams/aisha-rahman").await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(
        team.body.contains("3 self-ratings waiting for review"),
        "{}",
        team.body
    );

    // Daniel cannot review himself, whatever his role allows elsewhere.
    let own = post_json_as(
        &state,
        &daniel,
        "/api/v1/people/daniel-mensah/reviews",
        &format!(r#"{{"self_rating": {agreed}, "decision": "agree"}}"#),
    )
    .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);

    let reply = post_json_as(
        &state,
        &aisha,
        "/api/v1/people/daniel-mensah/reviews",
        &format!(r#"{{"self_rating": {agreed}, "decision": "agree"}}"#),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let review = reply.json();
    assert_eq!(review["state"], "agreed");
    assert_eq!(review["manager_rating"]["level"]["code"], "P");
    assert_eq!(review["manager_rating"]["source"], "manager");
    assert_eq!(review["manager_rating"]["recorded_by"], "aisha");

    // A change needs a note.
    let bare = post_form_as(
        &state,
        &aisha,
        "/people/daniel-mensah/reviews",
        &format!("self_rating={changed}&decision=change&level=W&note="),
    )
    .await;
    assert_eq!(
        bare.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bare.body
    );
    let form = post_form_as(
        &state,
        &aisha,
        "/people/daniel-mensah/reviews",
        &format!(
            "self_rating={changed}&decision=change&level=W&note=Not+yet+on+your+own&back=%2Fteams%2Faisha-rahman%23reviews"
        ),
    )
    .await;
    assert_eq!(form.status, StatusCode::SEE_OTHER, "{}", form.body);
    assert_eq!(
        form.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/teams/aisha-rahman#reviews")
    );

    // Reviewed once: a second review of the same self-rating is refused.
    let again = post_json_as(
        &state,
        &aisha,
        "/api/v1/people/daniel-mensah/reviews",
        &format!(r#"{{"self_rating": {agreed}, "decision": "agree"}}"#),
    )
    .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );

    let mine = get_as(&state, &daniel, "/api/v1/people/daniel-mensah/reviews")
        .await
        .json();
    assert!(states(&mine, "pending").is_empty(), "{mine}");
    let done = states(&mine, "done");
    assert_eq!(done.len(), 2, "{mine}");
    assert!(done.iter().any(|s| s.ends_with("\"agreed\"")), "{done:?}");
    assert!(done.iter().any(|s| s.ends_with("\"changed\"")), "{done:?}");
    let page = get_as(&state, &daniel, "/people/daniel-mensah").await;
    assert!(
        page.body.contains("changed to Working (W)") && page.body.contains("Not yet on your own"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("<strong>agreed</strong> by aisha"),
        "{}",
        page.body
    );
    // The manager's level now counts: Daniel's current level of the changed skill is W.
    let person = get_as(&state, &daniel, "/api/v1/people/daniel-mensah")
        .await
        .json();
    let adaptability = person["current"]
        .as_array()
        .expect("current")
        .iter()
        .find(|h| h["skill"] == "Adaptability to change")
        .cloned()
        .unwrap_or_default();
    assert_eq!(adaptability["level"]["code"], "W", "{person}");
    assert_eq!(adaptability["source"], "manager");
}

#[tokio::test]
async fn a_goal_set_from_the_gap_shows_on_the_team_page_as_it_comes_due_and_can_be_dropped() {
    let state = state().await;
    let (daniel, aisha) = daniel_and_aisha(&state).await;
    let gap = get_as(&state, &daniel, "/people/daniel-mensah/gap").await;
    assert!(
        gap.body.contains("Add to the development plan"),
        "{}",
        gap.body
    );
    let skill = get(&state, "/api/v1/skills/odp:data-and-insight")
        .await
        .json()["id"]
        .as_i64()
        .expect("skill id");
    let today = now();
    let due = add_days(day_of(&today), 10);

    let past = post_form_as(
        &state,
        &daniel,
        "/people/daniel-mensah/goals",
        &format!("skill={skill}&target=P&due=2020-01-01&note="),
    )
    .await;
    assert_eq!(
        past.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        past.body
    );
    let raj = user_token(&state, "raj", UserRole::Employee, Some("raj-patel")).await;
    let other = post_form_as(
        &state,
        &raj,
        "/people/daniel-mensah/goals",
        &format!("skill={skill}&target=P&due={due}&note="),
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);

    // The team page seen before the goal is set must not be what is shown after it.
    let before = get_as(&state, &aisha, "/teams/aisha-rahman").await;
    assert!(!before.body.contains(&format!("<time datetime=\"{due}\">")));
    let added = post_form_as(
        &state,
        &daniel,
        "/people/daniel-mensah/goals",
        &format!("skill={skill}&target=P&due={due}&note=Run+the+weekly+report"),
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let goals = get_as(&state, &aisha, "/api/v1/people/daniel-mensah/goals")
        .await
        .json();
    let goal = goals
        .as_array()
        .expect("goals")
        .iter()
        .find(|g| g["due"] == due.as_str())
        .cloned()
        .unwrap_or_default();
    assert_eq!(goal["target"]["code"], "P", "{goals}");
    assert_eq!(goal["status"], "on track");
    assert_eq!(goal["current"]["code"], "W");
    assert!(!goal["progress"].as_array().expect("progress").is_empty());
    let page = get_as(&state, &daniel, "/people/daniel-mensah").await;
    assert!(page.body.contains("class=\"goal-chart\""), "{}", page.body);

    let team = get_as(&state, &aisha, "/teams/aisha-rahman").await;
    assert!(
        team.body.contains(&format!("<time datetime=\"{due}\">")),
        "{}",
        team.body
    );

    let id = goal["id"].as_i64().expect("goal id");
    let request = axum::http::Request::patch(format!("/api/v1/people/daniel-mensah/goals/{id}"))
        .header(header::AUTHORIZATION, format!("Bearer {aisha}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(r#"{"dropped": true}"#))
        .expect("request");
    let dropped = send(&state, request).await;
    assert_eq!(dropped.status, StatusCode::OK, "{}", dropped.body);
    assert_eq!(dropped.json()["status"], "dropped");
    let team = get_as(&state, &aisha, "/teams/aisha-rahman").await;
    assert!(
        !team.body.contains(&format!("<time datetime=\"{due}\">")),
        "a dropped goal is not listed as due"
    );
}

#[tokio::test]
async fn the_current_cycle_says_who_has_self_assessed_and_who_has_been_reviewed() {
    let state = state().await;
    let (daniel, aisha) = daniel_and_aisha(&state).await;
    let today = now();
    let day = day_of(&today);
    // Asked before the cycle opens, and so not to be what is answered after it.
    let none = get_as(&state, &aisha, "/api/v1/teams/aisha-rahman/cycle").await;
    assert_eq!(none.status, StatusCode::NOT_FOUND, "{}", none.body);
    let opened = post_json(
        &state,
        "/api/v1/cycles",
        &format!(
            r#"{{"name": "Winter reviews", "starts": "{}", "ends": "{}", "scope": "team", "manager": "aisha-rahman"}}"#,
            add_days(day, -1),
            add_days(day, 10)
        ),
    )
    .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let cycle = opened.json()["id"].as_i64().expect("cycle id");

    let (agreed, _) = daniel_rates_himself(&state, &daniel).await;
    let reviewed = post_json_as(
        &state,
        &aisha,
        "/api/v1/people/daniel-mensah/reviews",
        &format!(r#"{{"self_rating": {agreed}, "decision": "agree"}}"#),
    )
    .await;
    assert_eq!(reviewed.status, StatusCode::CREATED, "{}", reviewed.body);

    let state_now = get_as(&state, &aisha, "/api/v1/teams/aisha-rahman/cycle")
        .await
        .json();
    let person = |key: &str| {
        state_now["people"]
            .as_array()
            .expect("people")
            .iter()
            .find(|p| p["person"]["key"] == key)
            .cloned()
            .unwrap_or_default()
    };
    assert!(
        person("daniel-mensah")["self_assessed_at"].is_string(),
        "{state_now}"
    );
    assert!(person("daniel-mensah")["reviewed_at"].is_string());
    assert_eq!(person("daniel-mensah")["waiting"], 1);
    // Raj's self-rating in the demo is older than the cycle.
    assert!(
        person("raj-patel")["self_assessed_at"].is_null(),
        "{state_now}"
    );

    let csv = get_as(&state, &aisha, "/teams/aisha-rahman/cycle.csv").await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(csv.content_type.starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(
        lines[0].starts_with("cycle,starts,ends,person_key"),
        "{}",
        csv.body
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("daniel-mensah") && l.contains(",yes,") && l.ends_with(",1")),
        "{}",
        csv.body
    );
    let team = get_as(&state, &aisha, "/teams/aisha-rahman").await;
    assert!(
        team.body.contains("Winter reviews")
            && team.body.contains("1 of 2 people have self-assessed"),
        "{}",
        team.body
    );

    let closed = post_json(&state, &format!("/api/v1/cycles/{cycle}/close"), "").await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let gone = get_as(&state, &aisha, "/api/v1/teams/aisha-rahman/cycle").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
    let twice = post_json(&state, &format!("/api/v1/cycles/{cycle}/close"), "").await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
}

#[tokio::test]
async fn the_demo_team_carries_reviews_waiting_and_done_and_goals() {
    let state = state().await;
    let raj = get(&state, "/api/v1/people/raj-patel/reviews").await.json();
    assert_eq!(states(&raj, "pending").len(), 1, "{raj}");
    let mei = get(&state, "/api/v1/people/mei-chen/reviews").await.json();
    assert_eq!(mei["done"][0]["state"], "changed", "{mei}");
    assert!(
        mei["done"][0]["manager_rating"]["note"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );
    let owen = get(&state, "/api/v1/people/owen-price/reviews")
        .await
        .json();
    assert_eq!(owen["done"][0]["state"], "agreed", "{owen}");
    let goals = get(&state, "/api/v1/people/daniel-mensah/goals")
        .await
        .json();
    assert_eq!(goals.as_array().map(Vec::len), Some(1), "{goals}");
    let grace = get(&state, "/teams/grace-okafor").await;
    // Sophie's five (never rated by a manager), Raj's and Hannah's newer ones.
    assert!(
        grace.body.contains("7 self-ratings waiting for review"),
        "{}",
        grace.body
    );
}
