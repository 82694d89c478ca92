//! The assessment form: it lists every level, starts from the person's own ratings, and stores
//! all of its ratings or none.

use axum::http::{StatusCode, header};

use super::{assert_page, history_len, skill_id};
use rolemap_store::UserRole;

use crate::{get, post_form, state};

#[tokio::test]
async fn assess_form_lists_every_level_and_starts_from_the_persons_own_ratings() {
    let state = state().await;
    // Liam rates himself (his manager's form starts from the manager's ratings instead).
    let liam = crate::user_token(&state, "liam", UserRole::Employee, Some("liam-doyle")).await;
    let reply = crate::get_as(
        &state,
        &liam,
        "/assess?role=odp:team-leader&person=liam-doyle",
    )
    .await;
    assert_page(
        &reply,
        &[
            "Assess yourself against Team Leader",
            "<option value=\"liam-doyle\" selected>",
            "name=\"new_name\"",
            "<legend>",
            "Data and insight (core skill)",
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
    let data = skill_id(&state, "odp:team-leader", "Data and insight (core skill)").await;
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
    // Raj rates himself, so his ratings are "self".
    let raj = crate::user_token(&state, "raj", UserRole::Employee, Some("raj-patel")).await;
    let before = history_len(&state, "raj-patel").await;
    let mut body =
        "role=odp%3Ateam-leader&grade=EO&person=raj-patel&new_name=&note=first+go".to_owned();
    // Each differs from Raj's own last self-rating (W, A, A, W, W), so each is stored.
    for (label, level) in [
        ("Connections and communication", "P"),
        ("Operational leadership and management", "W"),
        ("Adaptability to change", "W"),
        ("Data and insight (core skill)", ""),
        ("Delivery and decision making at pace", "P"),
    ] {
        let id = skill_id(&state, "odp:team-leader", label).await;
        body.push_str(&format!("&level-{id}={level}"));
    }
    let reply = crate::post_form_as(&state, &raj, "/assess", &body).await;
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
    let data = skill_id(&state, "odp:team-leader", "Data and insight (core skill)").await;
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
    let liam = crate::user_token(&state, "liam", UserRole::Employee, Some("liam-doyle")).await;
    let form = crate::get_as(
        &state,
        &liam,
        "/assess?role=odp:team-leader&person=liam-doyle",
    )
    .await;
    let before = history_len(&state, "liam-doyle").await;
    let mut body = "role=odp%3Ateam-leader&grade=HEO&person=liam-doyle&new_name=".to_owned();
    let fields = checked_fields(&form.body);
    assert_eq!(fields.len(), 5, "{fields:?}");
    for (name, value) in &fields {
        body.push_str(&format!("&{name}={value}"));
    }
    let reply = crate::post_form_as(&state, &liam, "/assess", &body).await;
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
    let data = skill_id(&state, "odp:team-leader", "Data and insight (core skill)").await;
    let changed = body.replace(&format!("level-{data}=W"), &format!("level-{data}=P"));
    assert_ne!(changed, body);
    let reply = crate::post_form_as(&state, &liam, "/assess", &changed).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(history_len(&state, "liam-doyle").await, before + 1);
}

#[tokio::test]
async fn none_is_a_held_answer_and_not_rated_stays_unassessed() {
    let state = state().await;
    let comms = skill_id(&state, "odp:team-leader", "Connections and communication").await;
    let data = skill_id(&state, "odp:team-leader", "Data and insight (core skill)").await;
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
    assert_eq!(
        status("Data and insight (core skill)"),
        Some("unassessed".into())
    );

    // An admin added the newcomer and recorded their answers: "evidence", not "self".
    let nell = get(&state, "/api/v1/people/nell-none").await.json();
    assert!(
        nell["history"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["source"] == "evidence"),
        "{nell}"
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
async fn a_manager_rates_a_report_from_the_person_page_starting_from_manager_ratings() {
    let state = state().await;
    // Grace (the admin's person) manages Liam.
    let person = get(&state, "/people/liam-doyle").await;
    assert_page(
        &person,
        &[
            "Rate Liam Doyle’s skills as their manager",
            "href=\"/assess?person=liam-doyle&amp;role=odp:team-leader\"",
        ],
    );
    assert!(!person.body.contains("Self-assessment form"));
    let form = get(&state, "/assess?person=liam-doyle&role=odp%3Ateam-leader").await;
    let data = skill_id(&state, "odp:team-leader", "Data and insight (core skill)").await;
    assert_page(
        &form,
        &[
            "Rate Liam Doyle as their manager against Team Leader",
            "Last manager rating: Awareness (A), 2026-03-17 (chosen below)",
            "Their own rating: Working (W), 2026-03-03",
            &format!("id=\"level-{data}-A\" name=\"level-{data}\" value=\"A\" checked"),
        ],
    );
    let before = history_len(&state, "liam-doyle").await;
    let reply = post_form(
        &state,
        "/assess",
        &format!("role=odp%3Ateam-leader&grade=HEO&person=liam-doyle&new_name=&level-{data}=W"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(history_len(&state, "liam-doyle").await, before + 1);
    let history = get(&state, "/api/v1/people/liam-doyle").await.json();
    let newest = history["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(newest["source"], "manager", "{newest}");
    assert_eq!(newest["level"]["code"], "W");

    // Liam himself sees his own form, not a manager's.
    let liam = crate::user_token(&state, "liam", UserRole::Employee, Some("liam-doyle")).await;
    let own = crate::get_as(&state, &liam, "/people/liam-doyle").await;
    assert_page(&own, &["Self-assessment form"]);
    assert!(!own.body.contains("as their manager"));
}
