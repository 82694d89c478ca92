//! Pages about people: the list, a person, the gap to a role, a manager's team.

use axum::http::{StatusCode, header};

use super::assert_page;
use crate::{get, state};

#[tokio::test]
async fn people_and_person_pages() {
    let state = state().await;
    let list = get(&state, "/people").await;
    assert_page(
        &list,
        &["Aisha Rahman", "Grace Okafor’s team", "/teams/grace-okafor"],
    );
    let person = get(&state, "/people/aisha-rahman").await;
    assert_page(
        &person,
        &[
            "<h1>Aisha Rahman",
            "Team Leader",
            "SEO",
            "Grace Okafor",
            "Current levels",
            "History",
            "Other views",
            "/people/aisha-rahman/gap",
            "/assess?person=aisha-rahman&amp;role=odp:team-leader",
            // Aisha manages people, so her team page is linked.
            "/teams/aisha-rahman",
            "Open Government Licence",
        ],
    );
    let report = get(&state, "/people/sophie-turner").await;
    assert!(!report.body.contains("/teams/sophie-turner"));
}

#[tokio::test]
async fn gap_page_has_the_radar_the_table_and_the_development_list() {
    let state = state().await;
    let reply = get(
        &state,
        "/people/liam-doyle/gap?target=odp:operations-manager&grade=G7",
    )
    .await;
    assert_page(
        &reply,
        &[
            "Liam Doyle",
            "Operations Manager",
            "<svg class=\"radar\"",
            "role=\"img\"",
            "<title id=\"radar-title\">",
            "stroke-dasharray",
            "What to develop first",
            "Data and insight (core skill) is essential",
            "Skill by skill",
            "readiness",
            "name=\"grade\"",
            "<option selected>G7</option>",
            "Open Government Licence",
        ],
    );
    let svg = &reply.body[reply.body.find("<svg").unwrap()..reply.body.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<line class=\"axis\"").count(), 5);
    assert_eq!(svg.matches("<polygon class=\"series").count(), 2);
    // The development list is ordered: the largest gap (Data and insight, 3 levels) first.
    let list = &reply.body[reply.body.find("What to develop first").unwrap()..];
    assert!(
        list.find("Data and insight (core skill)").unwrap()
            < list.find("Adaptability to change").unwrap()
    );

    // Default: the person's own role and grade.
    let own = get(&state, "/people/aisha-rahman/gap").await;
    assert_page(&own, &["Team Leader", "SEO", "100.0%"]);
}

#[tokio::test]
async fn team_page_has_the_heatmap_and_the_csv_parses() {
    let state = state().await;
    let reply = get(&state, "/teams/grace-okafor").await;
    assert_page(
        &reply,
        &[
            "Grace Okafor’s team",
            "<table class=\"heatmap\">",
            "heat-below",
            "heat-met",
            "heat-above",
            "▼",
            "✓",
            "A / W",
            "Single points of failure",
            "Training needs",
            "Succession",
            "Aisha Rahman",
            "Download CSV",
            "/teams/grace-okafor.csv",
        ],
    );
    // Succession defaults to the manager's own role.
    assert!(
        reply
            .body
            .contains("Readiness for Operations Manager at G7"),
        "{}",
        reply.body
    );

    let other = get(&state, "/teams/grace-okafor?role=odp:team-leader&grade=SEO").await;
    assert_page(&other, &["Readiness for Team Leader at SEO"]);
    // A grade the role does not have falls back to its default, saying so.
    let switched = get(&state, "/teams/grace-okafor?role=odp:team-leader&grade=G7").await;
    assert_page(
        &switched,
        &[
            "showing the default grade instead",
            "Readiness for Team Leader",
        ],
    );

    let csv = get(&state, "/teams/grace-okafor.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type.starts_with("text/csv"));
    let disposition = csv
        .headers
        .get(header::CONTENT_DISPOSITION)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(disposition.contains(".csv"), "{disposition}");
    let lines: Vec<&str> = csv.body.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    // One row per person and skill, held, required and status apart.
    assert_eq!(
        header,
        [
            "person",
            "key",
            "role",
            "grade",
            "readiness",
            "skill",
            "held",
            "required",
            "status"
        ]
    );
    assert_eq!(lines.len(), 1 + 8 * 5, "{}", csv.body);
    for line in &lines[1..] {
        assert_eq!(line.split(',').count(), header.len(), "{line}");
    }
    assert!(
        lines.contains(
            &"Liam Doyle,liam-doyle,Team Leader,HEO,90.0,Data and insight (core skill),A,W,below"
        ),
        "{}",
        csv.body
    );
}

#[tokio::test]
async fn team_page_for_someone_without_reports_is_422() {
    let state = state().await;
    let reply = get(&state, "/teams/sophie-turner").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("Nobody reports to Sophie Turner"),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn gap_page_draws_an_unassessed_skill_apart_from_a_held_none() {
    let state = state().await;
    let created = crate::post_json(
        &state,
        "/api/v1/people",
        r#"{"name": "Una Rated", "role": "odp:team-leader", "grade": "HEO", "manager": "grace-okafor"}"#,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let stored = crate::post_json(
        &state,
        "/api/v1/people/una-rated/assessments",
        r#"{"assessments": [{"skill": "Adaptability to change", "level": "none"}, {"skill": "Connections and communication", "level": "W"}, {"skill": "Operational leadership and management", "level": "W"}]}"#,
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let gap = get(&state, "/people/una-rated/gap").await;
    assert_page(
        &gap,
        &[
            // Two skills not assessed: hollow markers, said under their names and in the legend.
            "class=\"marker unassessed\"",
            "Not assessed: hollow dashed circle, no line to it (not a zero)",
            ">(not assessed)</tspan>",
            "<path class=\"series held\"",
            "A skill not assessed is not a zero",
            // The table says which is which.
            "<span class=\"none\">–</span> not assessed",
            "None (not held)",
        ],
    );
    assert_eq!(
        gap.body
            .matches("<circle class=\"marker unassessed\"")
            .count(),
        2 + 1
    );
    assert!(!gap.body.contains("<polygon class=\"series held\""));
}

#[tokio::test]
async fn gap_to_a_role_without_levels_is_a_checklist_in_escos_groups() {
    let state = state().await;
    let created = crate::post_json(
        &state,
        "/api/v1/people",
        r#"{"name": "Ines Check", "manager": "grace-okafor"}"#,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let stored = crate::post_json(
        &state,
        "/api/v1/people/ines-check/assessments",
        r#"{"assessments": [{"skill": "esco-extract:digital-systems", "level": "Y"}, {"skill": "esco-extract:operations-management", "level": "none"}]}"#,
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let gap = get(
        &state,
        "/people/ines-check/gap?target=esco-extract:ict-operations-manager",
    )
    .await;
    assert_page(
        &gap,
        &[
            "Skill by skill: held or not",
            "Essential knowledge <span class=\"count\">(1 of 3 held)</span>",
            "Essential skills and competences <span class=\"count\">(0 of 15 held)</span>",
            "Optional knowledge",
            "Optional skills and competences",
            "Sector-specific",
            "Cross-sector",
            "digital systems</a>: <span class=\"check-words\">Held</span>",
            "operations management</a>: <span class=\"check-words\">Not held</span>",
            "innovation processes</a>: <span class=\"check-words\">Not assessed</span>",
        ],
    );
    assert!(
        !gap.body.contains("<svg class=\"radar\""),
        "no radar of numbered spokes for a role without levels"
    );
    assert_eq!(gap.body.matches("class=\"check-held\"").count(), 1 + 1);
    assert_eq!(gap.body.matches("<li class=\"check-").count(), 41);
}

#[tokio::test]
async fn person_page_says_none_in_words() {
    let state = state().await;
    let stored = crate::post_json(
        &state,
        "/api/v1/people/liam-doyle/assessments",
        r#"{"assessments": [{"skill": "Adaptability to change", "level": "none"}]}"#,
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let page = get(&state, "/people/liam-doyle").await;
    assert_page(&page, &["<td>None (not held)</td>"]);
    assert!(!page.body.contains("None (none)"), "{}", page.body);
}

/// The gap page says a role lists no skill requirements instead of "100% ready", and its role
/// choice leaves such roles out.
#[tokio::test]
async fn gap_page_for_a_role_without_requirements_gives_no_percentage() {
    let state = state().await;
    let reply = get(
        &state,
        "/people/aisha-rahman/gap?target=ops-compared:operations-manager",
    )
    .await;
    assert_page(&reply, &["Operations Manager lists no skill requirements"]);
    assert!(!reply.body.contains("readiness-value"), "{}", reply.body);
    assert!(
        !reply.body.contains("every requirement is met"),
        "{}",
        reply.body
    );
    let normal = get(
        &state,
        "/people/aisha-rahman/gap?target=odp:operations-manager",
    )
    .await;
    assert_page(&normal, &["93.3%", "value=\"odp:operations-manager\""]);
    for empty in [
        "ops-compared:operations-manager",
        "ops-compared:head-of-operations",
        "standards:senior-leader",
    ] {
        assert!(
            !normal.body.contains(&format!("value=\"{empty}\"")),
            "{empty} is offered as a gap target"
        );
    }
}

#[tokio::test]
async fn a_large_team_is_shown_a_hundred_people_a_page_with_figures_for_everyone() {
    let state = state().await;
    let mut doc = String::from(
        "[[people]]\nkey = \"big-head\"\nname = \"Big Head\"\nrole = \"odp:operations-manager\"\ngrade = \"G7\"\n\n",
    );
    for i in 0..230 {
        doc.push_str(&format!(
            "[[people]]\nkey = \"member-{i:03}\"\nname = \"Member {i:03}\"\nrole = \"odp:team-leader\"\ngrade = \"HEO\"\nmanager = \"big-head\"\n\n"
        ));
    }
    let file = rolemap_service::InputFile {
        name: "big.toml".to_owned(),
        text: doc,
    };
    state
        .service
        .import_people(&file, &rolemap_store::Actor::cli(), &rolemap_service::now())
        .await
        .expect("people");

    let first = get(&state, "/teams/big-head").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.body.contains("230 people report to Big Head"));
    assert!(first.body.contains("People 1–100 of 230 (page 1 of 3)"));
    let heatmap = |body: &str| {
        let start = body.find("heatmap-heading").expect("heatmap");
        let end = body[start..].find("</section>").expect("end") + start;
        body[start..end].to_owned()
    };
    let rows = heatmap(&first.body);
    assert!(rows.contains("Member 099") && !rows.contains("Member 100"));
    assert!(first.body.contains("/teams/big-head?page=2"));

    let last = get(&state, "/teams/big-head?page=3").await;
    assert_eq!(last.status, StatusCode::OK);
    assert!(last.body.contains("People 201–230 of 230 (page 3 of 3)"));
    let rows = heatmap(&last.body);
    assert!(rows.contains("Member 229") && !rows.contains("Member 199"));
    // The succession ranks go on from the previous page.
    assert!(last.body.contains(r#"<td class="num">201</td>"#), "ranks");

    // Past the end shows the last page; a page that is not a number is refused.
    let beyond = get(&state, "/teams/big-head?page=9").await;
    assert!(beyond.body.contains("People 201–230 of 230"));
    let bad = get(&state, "/teams/big-head?page=two").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("not a page number"));
}
