//! The web pages through the router: each page answers 200 with its key content, errors are HTML
//! pages with the right status and links to try instead, and the assessment form stores all of its
//! ratings or none.

use axum::http::{StatusCode, header};

use crate::{Reply, get, post_form, state};

fn assert_page(reply: &Reply, wanted: &[&str]) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply.content_type.starts_with("text/html"),
        "{}",
        reply.content_type
    );
    for text in wanted {
        assert!(
            reply.body.contains(text),
            "page lacks {text:?}:\n{}",
            reply.body
        );
    }
    // Every page has the layout: viewport, stylesheet, header with nav, footer.
    for text in [
        "<meta name=\"viewport\"",
        "/static/rolemap.css",
        "<nav aria-label=\"Main\">",
        "Teams and people",
        "<footer",
    ] {
        assert!(reply.body.contains(text), "layout lacks {text:?}");
    }
}

/// The number of assessments stored for a person, through the JSON API.
async fn history_len(state: &rolemap_server::AppState, person: &str) -> usize {
    let reply = get(state, &format!("/api/v1/people/{person}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["history"].as_array().unwrap().len()
}

/// The id of a skill a role requires, through the JSON API.
async fn skill_id(state: &rolemap_server::AppState, role: &str, label: &str) -> i64 {
    let role = get(state, &format!("/api/v1/roles/{role}")).await.json();
    role["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["skill"] == label)
        .unwrap_or_else(|| panic!("{label} not required"))["skill_id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn home_lists_frameworks_by_family_with_search_and_teams() {
    let state = state().await;
    let home = get(&state, "/").await;
    assert_page(
        &home,
        &[
            "rolemap",
            "Operational Delivery Profession framework",
            "Leadership and Management",
            "href=\"/roles/odp:team-leader\"",
            "ESCO, European Commission",
            "role=\"combobox\"",
            "action=\"/search\"",
            "data-typeahead=\"/api/v1/typeahead\"",
            "/static/rolemap.js",
            "Grace Okafor’s team",
        ],
    );
}

#[tokio::test]
async fn search_renders_results_without_javascript() {
    let state = state().await;
    let reply = get(&state, "/search?q=team+leader").await;
    assert_page(&reply, &["Team Leader", "Roles"]);
    let skills = get(&state, "/search?q=data%20and%20insight").await;
    assert_page(
        &skills,
        &["Skills", "Data and insight", "Open Government Licence"],
    );
    let esco = get(&state, "/search?q=digital+systems").await;
    assert_page(&esco, &["digital systems", "ESCO, European Commission"]);
    let people = get(&state, "/search?q=aisha").await;
    assert_page(&people, &["People", "Aisha Rahman"]);
    let nothing = get(&state, "/search?q=zzzzqqqq").await;
    assert_page(&nothing, &["Nothing matched"]);
    let empty = get(&state, "/search").await;
    assert_page(&empty, &["Find a role, skill or person"]);
}

#[tokio::test]
async fn role_page_shows_the_profile_with_levels_per_grade() {
    let state = state().await;
    let reply = get(&state, "/roles/odp:team-leader").await;
    assert_page(
        &reply,
        &[
            "<h1>Team Leader</h1>",
            "Leadership and Management",
            "EO, HEO, SEO",
            "Typical responsibilities",
            "Data and insight",
            "<abbr title=\"Practitioner\">P</abbr>",
            "<abbr title=\"Awareness\">A</abbr>",
            "Routes in",
            "Route on to",
            "Operations Manager",
            // the actions
            "action=\"/compare\"",
            "name=\"b\"",
            "/assess?role=odp:team-leader",
            "name=\"grade\"",
            "Job description",
            "Open Government Licence",
        ],
    );
    // Data and insight: A at EO, W at HEO, P at SEO, in ladder order.
    let row = reply.body.split("Data and insight").nth(1).unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    let codes: Vec<&str> = row
        .split("<abbr title=\"")
        .skip(1)
        .map(|cell| &cell[cell.find('>').unwrap() + 1..cell.find("</abbr>").unwrap()])
        .collect();
    assert_eq!(codes, ["A", "W", "P"], "{row}");
}

#[tokio::test]
async fn role_page_shows_duties_numbered_and_dimensions() {
    let state = state().await;
    let standard = get(
        &state,
        "/roles/standards:operations-or-departmental-manager",
    )
    .await;
    assert_page(
        &standard,
        &[
            "Duties",
            "<li value=\"1\">",
            "<li value=\"14\">",
            "Typical employers",
        ],
    );
    let head = get(&state, "/roles/ops-compared:head-of-operations").await;
    assert_page(
        &head,
        &[
            "Dimensions",
            "Scope of responsibility",
            "This profile lists no skills.",
        ],
    );
}

#[tokio::test]
async fn esco_role_is_grouped_as_esco_does_with_attribution() {
    let state = state().await;
    let reply = get(&state, "/roles/esco-extract:ict-operations-manager").await;
    assert_page(
        &reply,
        &[
            "ICT operations manager",
            "Essential knowledge",
            "Essential skills and competences",
            "Optional knowledge",
            "Optional skills and competences",
            "Sector-specific",
            "Cross-sector",
            "<span class=\"tag\">digital</span>",
            "1330.5",
            "ESCO, European Commission",
        ],
    );
    // No grade ladder, so no per-grade table.
    assert!(
        !reply
            .body
            .contains("Minimum level for each skill at each grade")
    );
}

#[tokio::test]
async fn skill_page_shows_levels_and_roles() {
    let state = state().await;
    let reply = get(&state, "/skills/odp:data-and-insight").await;
    assert_page(
        &reply,
        &[
            "<h1>Data and insight</h1>",
            "Awareness",
            "Knows the basics of the skill",
            "Expert",
            "Roles requiring it",
            "Team Leader",
            "Open Government Licence",
        ],
    );
    let esco = get(&state, "/skills/esco-extract:digital-systems").await;
    assert_page(
        &esco,
        &[
            "digital systems",
            "held or not",
            "ESCO, European Commission",
        ],
    );
}

#[tokio::test]
async fn compare_page_shows_both_roles_side_by_side() {
    let state = state().await;
    let reply = get(
        &state,
        "/compare?a=odp:team-leader&b=odp:operations-manager",
    )
    .await;
    assert_page(
        &reply,
        &[
            "Team Leader",
            "Operations Manager",
            "≠ differs",
            "= same",
            "class=\"differs\"",
            "Shared skills (5)",
            "Data and insight",
            "Only in A",
            "Only in B",
        ],
    );
    let articles = get(
        &state,
        "/compare?a=ops-compared:head-of-operations&b=ops-compared:operations-manager",
    )
    .await;
    assert_page(
        &articles,
        &["Head of Operations", "Scope of responsibility", "≠ differs"],
    );
    let blank = get(&state, "/compare").await;
    assert_page(
        &blank,
        &["Compare two roles", "<select id=\"cmp-a\" name=\"a\">"],
    );
}

#[tokio::test]
async fn unknown_role_is_a_404_page_with_a_suggestion() {
    let state = state().await;
    let reply = get(&state, "/roles/team%20leadr").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.content_type.starts_with("text/html"));
    assert!(reply.body.contains("Did you mean"), "{}", reply.body);
    assert!(
        reply.body.contains("Team%20Leader\">Team Leader</a>"),
        "{}",
        reply.body
    );

    // In a comparison the suggestion keeps the rest of the address.
    let compare = get(&state, "/compare?a=odp:team-leader&b=team%20leadr").await;
    assert_eq!(compare.status, StatusCode::NOT_FOUND);
    assert!(compare.body.contains("b=Team%20Leader"), "{}", compare.body);
}

#[tokio::test]
async fn ambiguous_role_is_a_409_page_listing_candidates() {
    let state = state().await;
    let reply = get(&state, "/roles/operations%20manager").await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.content_type.starts_with("text/html"));
    assert!(
        reply
            .body
            .contains("odp:operations-manager\">odp:operations-manager (Operations Manager)</a>"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("ops-compared:operations-manager"));
}

#[tokio::test]
async fn unknown_page_is_an_html_404_and_the_api_keeps_json() {
    let state = state().await;
    let page = get(&state, "/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("Page not found"));
    let api = get(&state, "/api/v1/no-such-endpoint").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.content_type.starts_with("application/json"));
}

#[tokio::test]
async fn static_assets_are_served() {
    let state = state().await;
    let css = get(&state, "/static/rolemap.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type.starts_with("text/css"));
    assert!(css.body.contains("@media print"));
    assert!(css.body.contains("@page"));
    assert!(css.body.contains(":focus-visible"));
    let js = get(&state, "/static/rolemap.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.content_type.starts_with("text/javascript"));
    assert!(js.body.contains("aria-activedescendant"));
}

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
            "Data and insight is essential",
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
    assert!(list.find("Data and insight").unwrap() < list.find("Adaptability to change").unwrap());

    // Default: the person's own role and grade.
    let own = get(&state, "/people/aisha-rahman/gap").await;
    assert_page(&own, &["Team Leader", "SEO", "100.0%"]);
}

#[tokio::test]
async fn gap_errors_are_pages() {
    let state = state().await;
    let bad_grade = get(
        &state,
        "/people/liam-doyle/gap?target=odp:team-leader&grade=G9",
    )
    .await;
    assert_eq!(bad_grade.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_grade.body.contains("grade"), "{}", bad_grade.body);
    let nobody = get(&state, "/people/nobody-at-all/gap").await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
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
    assert_eq!(&header[..4], &["person", "role", "grade", "readiness"]);
    assert!(header.contains(&"Data and insight"));
    assert_eq!(lines.len(), 1 + 8, "{}", csv.body);
    for line in &lines[1..] {
        assert_eq!(line.split(',').count(), header.len(), "{line}");
    }
    let liam = lines.iter().find(|l| l.starts_with("Liam Doyle,")).unwrap();
    assert!(liam.contains(",Team Leader,HEO,90.0,"), "{liam}");
    assert!(liam.contains("A/W"), "{liam}");
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
async fn job_description_is_printable_and_downloads_as_markdown() {
    let state = state().await;
    let picker = get(&state, "/roles/odp:team-leader/jd").await;
    assert_page(&picker, &["Choose a grade", "<option>HEO</option>"]);
    assert!(!picker.body.contains("Download Markdown"));

    let reply = get(&state, "/roles/odp:team-leader/jd?grade=HEO").await;
    assert_page(
        &reply,
        &[
            "<h1>Team Leader</h1>",
            "Grade: HEO",
            "Essential criteria",
            "Data and insight</strong> at Working level (W)",
            "Download Markdown",
            "/roles/odp:team-leader/jd.md?grade=HEO",
            "class=\"jd-tools no-print\"",
            "Open Government Licence",
        ],
    );
    // The print rules live in the one stylesheet the page links.
    let css = get(&state, "/static/rolemap.css").await;
    assert!(css.body.contains("@media print"));
    assert!(css.body.contains(".no-print"));

    let md = get(&state, "/roles/odp:team-leader/jd.md?grade=HEO").await;
    assert_eq!(md.status, StatusCode::OK);
    assert!(
        md.content_type.starts_with("text/markdown"),
        "{}",
        md.content_type
    );
    let disposition = md
        .headers
        .get(header::CONTENT_DISPOSITION)
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(disposition, "attachment; filename=\"team-leader-heo.md\"");
    assert!(md.body.starts_with("# Team Leader"), "{}", md.body);
    assert!(md.body.contains("Grade: HEO"));

    let esco = get(&state, "/roles/esco-extract:ict-operations-manager/jd").await;
    assert_page(
        &esco,
        &[
            "ICT operations manager",
            "Essential criteria",
            "ESCO, European Commission",
        ],
    );

    let bad = get(&state, "/roles/odp:team-leader/jd?grade=G9").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"grade-error\""), "{}", bad.body);
}

#[tokio::test]
async fn assess_form_lists_every_level_and_starts_from_the_persons_own_ratings() {
    let state = state().await;
    let reply = get(&state, "/assess?role=odp:team-leader&person=liam-doyle").await;
    assert_page(
        &reply,
        &[
            "Assess yourself against Team Leader",
            "<option value=\"liam-doyle\" selected>",
            "name=\"new_name\"",
            "<legend>",
            "Data and insight",
            "Knows the basics of the skill and can apply them with guidance.",
            "Your last self-rating: Working (W), 2026-03-03 (chosen below)",
            "Your manager’s rating: Awareness (A), 2026-03-17",
            "Team Leader at HEO asks for Working (W)",
        ],
    );
    // Every radio has a label: four levels, none, and not rated.
    let radios = reply.body.matches("type=\"radio\"").count();
    assert_eq!(radios, 5 * (4 + 2));
    for (i, _) in reply.body.match_indices("type=\"radio\" id=\"") {
        let rest = &reply.body[i + 17..];
        let id = &rest[..rest.find('"').unwrap()];
        assert!(
            reply.body.contains(&format!("<label for=\"{id}\">")),
            "no label for {id}"
        );
    }
    // Liam rated himself W in data and insight; his manager says A. His own answer is
    // pre-selected, not the manager's.
    let data = skill_id(&state, "odp:team-leader", "Data and insight").await;
    assert!(
        reply.body.contains(&format!(
            "id=\"level-{data}-W\" name=\"level-{data}\" value=\"W\" checked"
        )),
        "{}",
        reply.body
    );
    assert!(
        !reply.body.contains(&format!(
            "id=\"level-{data}-A\" name=\"level-{data}\" value=\"A\" checked"
        )),
        "the manager's rating is not pre-selected as the person's own"
    );

    let start = get(&state, "/assess").await;
    assert_page(&start, &["Choose the role", "name=\"role\"", "Someone new"]);
}

#[tokio::test]
async fn posting_the_form_stores_every_rating_and_redirects_to_the_gap() {
    let state = state().await;
    let before = history_len(&state, "raj-patel").await;
    let mut body =
        "role=odp%3Ateam-leader&grade=EO&person=raj-patel&new_name=&note=first+go".to_owned();
    // Each differs from Raj's own last self-rating (W, A, A, W, W), so each is stored.
    for (label, level) in [
        ("Connections and communication", "P"),
        ("Operational leadership and management", "W"),
        ("Adaptability to change", "W"),
        ("Data and insight", ""),
        ("Delivery and decision making at pace", "P"),
    ] {
        let id = skill_id(&state, "odp:team-leader", label).await;
        body.push_str(&format!("&level-{id}={level}"));
    }
    let reply = post_form(&state, "/assess", &body).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(
        location,
        "/people/raj-patel/gap?target=odp:team-leader&grade=EO"
    );
    assert_eq!(history_len(&state, "raj-patel").await, before + 4);
    let person = get(&state, "/api/v1/people/raj-patel").await.json();
    let newest: Vec<&serde_json::Value> = person["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["note"] == "first go")
        .collect();
    assert_eq!(newest.len(), 4);
    assert!(newest.iter().all(|a| a["source"] == "self"));

    // The gap page it points to renders.
    let gap = get(&state, location).await;
    assert_page(&gap, &["Raj Patel", "Team Leader", "<svg"]);
}

#[tokio::test]
async fn posting_as_a_new_person_creates_them_first() {
    let state = state().await;
    let role = "esco-extract:ict-operations-manager";
    let a = skill_id(&state, role, "digital systems").await;
    let b = skill_id(&state, role, "operations management").await;
    let reply = post_form(
        &state,
        "/assess",
        &format!("role=esco-extract%3Aict-operations-manager&person=&new_name=Nia+Evans&level-{a}=Y&level-{b}=Y"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(
        location,
        "/people/nia-evans/gap?target=esco-extract:ict-operations-manager"
    );
    assert_eq!(history_len(&state, "nia-evans").await, 2);
    let gap = get(&state, location).await;
    assert_page(
        &gap,
        &[
            "Nia Evans",
            "ICT operations manager",
            "ESCO, European Commission",
        ],
    );
}

#[tokio::test]
async fn an_invalid_level_rerenders_the_form_and_stores_nothing() {
    let state = state().await;
    let before = history_len(&state, "raj-patel").await;
    let people_before = get(&state, "/api/v1/people")
        .await
        .json()
        .as_array()
        .unwrap()
        .len();
    let comms = skill_id(&state, "odp:team-leader", "Connections and communication").await;
    let data = skill_id(&state, "odp:team-leader", "Data and insight").await;
    let reply = post_form(
        &state,
        "/assess",
        &format!("role=odp%3Ateam-leader&grade=EO&person=raj-patel&level-{comms}=W&level-{data}=Z"),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.content_type.starts_with("text/html"));
    assert!(reply.body.contains("Nothing was saved"), "{}", reply.body);
    assert!(
        reply.body.contains(&format!("id=\"level-{data}-error\"")),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("unknown level"), "{}", reply.body);
    // The other choice is kept.
    assert!(
        reply.body.contains(&format!(
            "id=\"level-{comms}-W\" name=\"level-{comms}\" value=\"W\" checked"
        )),
        "{}",
        reply.body
    );
    assert_eq!(history_len(&state, "raj-patel").await, before);

    // No person named and nothing rated: both said, nobody created.
    let empty = post_form(
        &state,
        "/assess",
        "role=odp%3Ateam-leader&grade=EO&person=&new_name=",
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("give your name as a new person"),
        "{}",
        empty.body
    );
    assert!(
        empty.body.contains("Rate yourself on at least one skill"),
        "{}",
        empty.body
    );
    // A new person with a bad level is not created either.
    let newcomer = post_form(
        &state,
        "/assess",
        &format!("role=odp%3Ateam-leader&grade=EO&person=&new_name=Zed+Nobody&level-{data}=Q"),
    )
    .await;
    assert_eq!(newcomer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        newcomer.body.contains("value=\"Zed Nobody\""),
        "{}",
        newcomer.body
    );
    let people_after = get(&state, "/api/v1/people")
        .await
        .json()
        .as_array()
        .unwrap()
        .len();
    assert_eq!(people_after, people_before);

    // A bad grade is reported beside the grade.
    let grade = post_form(
        &state,
        "/assess",
        &format!("role=odp%3Ateam-leader&grade=G9&person=raj-patel&level-{comms}=W"),
    )
    .await;
    assert_eq!(grade.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(grade.body.contains("href=\"#grade\""), "{}", grade.body);
    assert_eq!(history_len(&state, "raj-patel").await, before);
}

#[tokio::test]
async fn a_form_that_is_not_a_form_is_an_html_error() {
    let state = state().await;
    let reply = crate::post_json(&state, "/assess", "{}").await;
    assert!(reply.status.is_client_error(), "{}", reply.status);
    assert!(
        reply.content_type.starts_with("text/html"),
        "{}",
        reply.content_type
    );
}

#[tokio::test]
async fn user_text_is_escaped() {
    let state = state().await;
    let reply = get(&state, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(!reply.body.contains("<script>alert(1)</script>"));
    assert!(reply.body.contains("&lt;script&gt;"));
    let missing = get(&state, "/roles/%3Cb%3Ebold%3C%2Fb%3E").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!missing.body.contains("<b>bold</b>"));
}

#[tokio::test]
async fn cached_pages_follow_framework_changes() {
    let state = state().await;
    let before = get(&state, "/roles/odp:team-leader").await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(!before.body.contains("Shift Supervisor"));
    let again = get(&state, "/roles/odp:team-leader").await;
    assert_eq!(
        again.body, before.body,
        "the same page while nothing changed"
    );

    let file = rolemap_service::InputFile {
        name: "mine.toml".into(),
        text: "[framework]\nkey = \"mine\"\nname = \"Mine\"\nversion = \"1\"\nsource = \"t\"\nlicence = \"t\"\nattribution = \"t\"\n\n[[roles]]\nkey = \"supervisor\"\ntitle = \"Shift Supervisor\"\n\n[[links]]\nfrom = \"supervisor\"\nto = \"odp:team-leader\"\nkind = \"route\"\n".into(),
    };
    state
        .service
        .import_frameworks(&[file], "2026-04-02T00:00:00Z")
        .await
        .expect("import");
    let after = get(&state, "/roles/odp:team-leader").await;
    assert!(
        after.body.contains("Shift Supervisor"),
        "the new route in shows at once"
    );
}

#[tokio::test]
async fn changing_grade_keeps_a_newcomers_name() {
    let state = state().await;
    let page = get(
        &state,
        "/assess?role=odp:team-leader&grade=SEO&new_name=Robin%20New",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("value=\"Robin New\""),
        "the typed name is kept"
    );
    assert!(
        page.body.contains("data-copy-from=\"new-name\""),
        "the change form carries it"
    );
}

/// The form as a person would send it back untouched: every radio button checked on the page.
fn checked_fields(page: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (i, _) in page.match_indices("<input type=\"radio\"") {
        let tag = &page[i..i + page[i..].find('>').unwrap()];
        if !tag.contains(" checked") {
            continue;
        }
        let attr = |name: &str| {
            let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            tag[start..start + tag[start..].find('"').unwrap()].to_owned()
        };
        fields.push((attr("name"), attr("value")));
    }
    fields
}

#[tokio::test]
async fn an_unchanged_self_assessment_stores_nothing_and_says_so() {
    let state = state().await;
    let form = get(&state, "/assess?role=odp:team-leader&person=liam-doyle").await;
    let before = history_len(&state, "liam-doyle").await;
    let mut body = "role=odp%3Ateam-leader&grade=HEO&person=liam-doyle&new_name=".to_owned();
    let fields = checked_fields(&form.body);
    assert_eq!(fields.len(), 5, "{fields:?}");
    for (name, value) in &fields {
        body.push_str(&format!("&{name}={value}"));
    }
    let reply = post_form(&state, "/assess", &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply
            .body
            .contains("Nothing was saved: all 5 ratings are the same as your last self-assessment"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("href=\"/people/liam-doyle/gap?target=odp:team-leader&amp;grade=HEO\""),
        "{}",
        reply.body
    );
    assert_eq!(history_len(&state, "liam-doyle").await, before);

    // One change: only that one is stored.
    let data = skill_id(&state, "odp:team-leader", "Data and insight").await;
    let changed = body.replace(&format!("level-{data}=W"), &format!("level-{data}=P"));
    assert_ne!(changed, body);
    let reply = post_form(&state, "/assess", &changed).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(history_len(&state, "liam-doyle").await, before + 1);
}

#[tokio::test]
async fn none_is_a_held_answer_and_not_rated_stays_unassessed() {
    let state = state().await;
    let comms = skill_id(&state, "odp:team-leader", "Connections and communication").await;
    let data = skill_id(&state, "odp:team-leader", "Data and insight").await;
    let form = get(&state, "/assess?role=odp:team-leader").await;
    assert_page(
        &form,
        &[
            &format!("id=\"level-{data}-none\" name=\"level-{data}\" value=\"none\""),
            "I do not have this skill. Counts as a gap.",
            &format!("id=\"level-{data}-unrated\" name=\"level-{data}\" value=\"\" checked"),
            "Leave this skill out: it stays unassessed.",
        ],
    );
    let reply = post_form(
        &state,
        "/assess",
        &format!(
            "role=odp%3Ateam-leader&grade=HEO&person=&new_name=Nell+None&level-{comms}=none&level-{data}="
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(history_len(&state, "nell-none").await, 1);
    let gap = get(
        &state,
        "/api/v1/people/nell-none/gap?target=odp:team-leader&grade=HEO",
    )
    .await
    .json();
    let status = |label: &str| {
        gap["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["skill"]["label"] == label)
            .map(|l| l["status"].clone())
    };
    assert_eq!(
        status("Connections and communication"),
        Some("below".into())
    );
    assert_eq!(status("Data and insight"), Some("unassessed".into()));

    // Back on the form, none is their answer, chosen again.
    let again = get(&state, "/assess?role=odp:team-leader&person=nell-none").await;
    assert_page(
        &again,
        &[
            &format!("id=\"level-{comms}-none\" name=\"level-{comms}\" value=\"none\" checked"),
            "Your last self-rating: None (not held)",
        ],
    );
}

#[tokio::test]
async fn a_returning_persons_name_offers_their_record() {
    let state = state().await;
    let comms = skill_id(&state, "odp:team-leader", "Connections and communication").await;
    let people_before = get(&state, "/api/v1/people")
        .await
        .json()
        .as_array()
        .unwrap()
        .len();
    let before = history_len(&state, "liam-doyle").await;
    let typed =
        format!("role=odp%3Ateam-leader&grade=HEO&person=&new_name=liam+doyle&level-{comms}=E");
    let reply = post_form(&state, "/assess", &typed).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    for text in [
        "Liam Doyle is already here",
        "Liam Doyle (Team Leader, HEO)",
        "name=\"use_person\" value=\"liam-doyle\"",
        "I am a different person called liam doyle",
    ] {
        assert!(
            reply.body.contains(text),
            "page lacks {text:?}:\n{}",
            reply.body
        );
    }
    // The rating chosen is kept for the second go.
    assert!(reply.body.contains(&format!(
        "id=\"level-{comms}-E\" name=\"level-{comms}\" value=\"E\" checked"
    )));
    let people = || async {
        get(&state, "/api/v1/people")
            .await
            .json()
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(people().await, people_before, "nobody was added");

    // "This is me": the ratings go to the existing record.
    let reply = post_form(&state, "/assess", &format!("{typed}&use_person=liam-doyle")).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(history_len(&state, "liam-doyle").await, before + 1);
    assert_eq!(people().await, people_before);

    // Someone else of that name, on purpose: a second person.
    let reply = post_form(&state, "/assess", &format!("{typed}&same_name=yes")).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(people().await, people_before + 1);
}

#[tokio::test]
async fn gap_page_draws_an_unassessed_skill_apart_from_a_held_none() {
    let state = state().await;
    let created = crate::post_json(
        &state,
        "/api/v1/people",
        r#"{"name": "Una Rated", "role": "odp:team-leader", "grade": "HEO"}"#,
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
    let created = crate::post_json(&state, "/api/v1/people", r#"{"name": "Ines Check"}"#).await;
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

/// The compare page compares the step between roles one step apart, and the grades can be chosen.
#[tokio::test]
async fn compare_page_shows_the_step_between_roles_one_step_apart() {
    let state = state().await;
    let reply = get(
        &state,
        "/compare?a=odp:team-leader&b=odp:operations-manager",
    )
    .await;
    assert_page(
        &reply,
        &[
            "Team Leader at SEO (its top grade) against Operations Manager at G7 (its entry grade)",
            "3 of 5 shared skills need raising, 3 levels in all.",
            "P → E: <strong>raise 1 level</strong>",
            "<label for=\"grade-a\">Grade of A</label>",
            "<option value=\"SEO\" selected>SEO (top)</option>",
        ],
    );
    assert!(!reply.body.contains("no grade in common"), "{}", reply.body);
    let chosen = get(
        &state,
        "/compare?a=odp:team-leader&b=odp:operations-manager&grade_a=HEO&grade_b=G6",
    )
    .await;
    assert_page(
        &chosen,
        &[
            "Team Leader at HEO against Operations Manager at G6",
            "10 levels in all",
        ],
    );
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

/// The routes page gives a step's readiness as the gap page does.
#[tokio::test]
async fn routes_page_gives_the_gap_pages_readiness() {
    let state = state().await;
    let reply = get(
        &state,
        "/routes?person=aisha-rahman&to=odp:operations-director",
    )
    .await;
    assert_page(&reply, &["readiness 93.3%"]);
    assert!(!reply.body.contains("readiness 95%"), "{}", reply.body);
}
