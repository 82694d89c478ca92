//! Pages for exploring frameworks: home, search, role, skill, comparison, job description, routes,
//! static assets, and the page cache following framework changes.

use axum::http::{StatusCode, header};

use super::assert_page;
use crate::{get, state};

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
        &[
            "Skills",
            "Data and insight (core skill)",
            "Open Government Licence",
        ],
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
            "Data and insight (core skill)",
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
    let row = reply
        .body
        .split("Data and insight (core skill)")
        .nth(1)
        .unwrap();
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
            "<h1>Data and insight (core skill)</h1>",
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
            "Data and insight (core skill)",
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
            "Data and insight (core skill)</strong> at Working level (W)",
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
        .import_frameworks(
            &[file],
            &rolemap_store::Actor::cli(),
            "2026-04-02T00:00:00Z",
        )
        .await
        .expect("import");
    let after = get(&state, "/roles/odp:team-leader").await;
    assert!(
        after.body.contains("Shift Supervisor"),
        "the new route in shows at once"
    );
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
