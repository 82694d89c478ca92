//! The pages on a large database: a generated framework of 400 roles beside the built-in one. The
//! home page links to the framework's own page instead of listing its roles, that page lists them
//! one letter at a time, and role pickers become typed fields, so every page stays small.

use axum::http::{StatusCode, header};
use rolemap_server::AppState;
use rolemap_service::InputFile;

use crate::{Reply, get, post_form, state};

/// Roles in the generated framework: more than the home page lists and, with the built-in
/// framework, more than a role select holds.
const ROLES: usize = 400;

/// First words of the generated titles, one per letter.
const WORDS: [&str; 26] = [
    "Archive",
    "Bakery",
    "Cargo",
    "Dairy",
    "Energy",
    "Forest",
    "Garden",
    "Harbour",
    "Insurance",
    "Jewellery",
    "Kitchen",
    "Laundry",
    "Market",
    "Nursery",
    "Office",
    "Print",
    "Quarry",
    "Rail",
    "Salon",
    "Textile",
    "Upholstery",
    "Vineyard",
    "Warehouse",
    "Xylophone",
    "Yacht",
    "Zoo",
];

/// The title of generated role `i`: "Archive specialist 1", "Bakery specialist 1", ...
fn title(i: usize) -> String {
    format!("{} specialist {}", WORDS[i % 26], i / 26 + 1)
}

/// A framework of `ROLES` roles (and one whose title starts with a digit), each requiring one or
/// both of two skills.
fn big_framework() -> String {
    let mut toml = String::from(
        "[framework]\nkey = \"big\"\nname = \"Big generated framework\"\nversion = \"1\"\n\
         source = \"Generated for the tests\"\nlicence = \"Test licence\"\n\
         attribution = \"Generated test data\"\n\n\
         [[skills]]\nkey = \"core\"\nlabel = \"Core craft\"\ndescription = \"The trade itself.\"\nkind = \"skill\"\n\n\
         [[skills]]\nkey = \"care\"\nlabel = \"Customer care\"\ndescription = \"Looking after customers.\"\nkind = \"skill\"\n\n",
    );
    let titles = (0..ROLES)
        .map(title)
        .chain(["3D print specialist".to_owned()]);
    for (i, title) in titles.enumerate() {
        toml.push_str(&format!(
            "[[roles]]\nkey = \"r{i}\"\ntitle = \"{title}\"\n\n\
             [[roles.requirements]]\nskill = \"core\"\nimportance = \"essential\"\n\n"
        ));
        if i % 2 == 0 {
            toml.push_str(
                "[[roles.requirements]]\nskill = \"care\"\nimportance = \"optional\"\n\n",
            );
        }
    }
    toml
}

/// The demo database with the generated framework imported.
async fn big_state() -> AppState {
    let state = state().await;
    state
        .service
        .import_frameworks(
            &[InputFile {
                name: "big.toml".to_owned(),
                text: big_framework(),
            }],
            &rolemap_store::Actor::cli(),
            "2026-04-02T00:00:00Z",
        )
        .await
        .expect("the generated framework imports");
    state
}

/// A page that answered 200 in HTML, is at most `max_kb` kilobytes and contains every text.
fn check(reply: &Reply, max_kb: usize, wanted: &[&str]) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.content_type.starts_with("text/html"));
    assert!(
        reply.body.len() <= max_kb * 1024,
        "the page is {} bytes, more than {max_kb} KB",
        reply.body.len()
    );
    for text in wanted {
        assert!(
            reply.body.contains(text),
            "page lacks {text:?}:\n{}",
            reply.body
        );
    }
}

/// The role field with this id is a typed combobox over role suggestions, not a select.
fn assert_typed_role_field(reply: &Reply, id: &str) {
    assert!(
        !reply.body.contains(&format!("<select id=\"{id}\"")),
        "#{id} is still a select"
    );
    let start = reply
        .body
        .find(&format!("<input id=\"{id}\""))
        .unwrap_or_else(|| panic!("no input #{id}:\n{}", reply.body));
    let input = &reply.body[start..start + reply.body[start..].find('>').unwrap()];
    for attribute in [
        "type=\"text\"".to_owned(),
        "role=\"combobox\"".to_owned(),
        "aria-autocomplete=\"list\"".to_owned(),
        "aria-expanded=\"false\"".to_owned(),
        format!("aria-controls=\"{id}-options\""),
        format!("aria-describedby=\"{id}-hint\""),
        "data-typeahead=\"/api/v1/typeahead?type=occupation\"".to_owned(),
        "data-fill".to_owned(),
    ] {
        assert!(
            input.contains(&attribute),
            "#{id} lacks {attribute}: {input}"
        );
    }
    for text in [
        format!("<label for=\"{id}\">"),
        format!("<ul id=\"{id}-options\" class=\"typeahead\" role=\"listbox\""),
        format!("<span id=\"{id}-hint\""),
        format!("<span id=\"{id}-status\" class=\"visually-hidden\" role=\"status\""),
        "/static/rolemap.js".to_owned(),
    ] {
        assert!(reply.body.contains(&text), "#{id}: the page lacks {text}");
    }
    assert!(
        !reply.body.contains(&title(7)),
        "the page still lists the generated roles"
    );
}

/// The titles listed on a framework page, in order.
fn listed_titles(body: &str) -> Vec<String> {
    let start = body
        .find("<ul class=\"role-columns\">")
        .unwrap_or_else(|| panic!("no role list:\n{body}"));
    let list = &body[start..start + body[start..].find("</ul>").unwrap()];
    list.split("<li><a href=\"")
        .skip(1)
        .map(|item| {
            let text = &item[item.find('>').unwrap() + 1..];
            text[..text.find("</a>").unwrap()].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn home_links_to_a_large_framework_instead_of_listing_its_roles() {
    let state = big_state().await;
    let home = get(&state, "/").await;
    check(
        &home,
        60,
        &[
            "Big generated framework",
            "<a href=\"/frameworks/big\">Browse its 401 roles</a>",
            "401 roles, 2 skills",
            "Generated test data",
            // The built-in framework is small: still listed.
            "href=\"/roles/odp:team-leader\"",
        ],
    );
    assert!(!home.body.contains("/roles/big:"), "big's roles are listed");
    assert!(!home.body.contains(&title(0)));
}

#[tokio::test]
async fn framework_page_lists_the_roles_of_one_letter() {
    let state = big_state().await;
    // By default the first letter with roles.
    let first = get(&state, "/frameworks/big").await;
    check(
        &first,
        60,
        &[
            "<h1>Big generated framework <span class=\"muted\">version 1</span></h1>",
            "Test licence",
            "Generated test data",
            "role=\"combobox\"",
            "data-typeahead=\"/api/v1/typeahead?type=occupation\"",
            "<nav aria-label=\"Roles by first letter\">",
            "<a href=\"/frameworks/big?letter=a\" aria-current=\"page\"",
            "<a href=\"/frameworks/big?letter=%23\"",
        ],
    );
    let titles = listed_titles(&first.body);
    assert_eq!(titles.len(), ROLES.div_ceil(26), "{titles:?}");
    assert!(
        titles.iter().all(|t| t.starts_with("Archive ")),
        "{titles:?}"
    );

    let x = get(&state, "/frameworks/big?letter=x").await;
    check(
        &x,
        60,
        &["<a href=\"/frameworks/big?letter=x\" aria-current=\"page\""],
    );
    let titles = listed_titles(&x.body);
    let wanted: Vec<String> = (0..ROLES)
        .map(title)
        .filter(|t| t.starts_with('X'))
        .collect();
    assert!(!wanted.is_empty());
    assert_eq!(titles.len(), wanted.len(), "{titles:?}");
    assert!(
        titles.iter().all(|t| t.starts_with("Xylophone ")),
        "{titles:?}"
    );
    // Each links to its role page.
    assert!(
        x.body
            .contains("<a href=\"/roles/big:r23\">Xylophone specialist 1</a>")
    );

    // Upper case is the same letter; titles that start otherwise are under #.
    let upper = get(&state, "/frameworks/big?letter=X").await;
    assert_eq!(listed_titles(&upper.body), titles);
    let other = get(&state, "/frameworks/big?letter=%23").await;
    assert_eq!(listed_titles(&other.body), ["3D print specialist"]);

    // A small framework has its page too.
    let odp = get(&state, "/frameworks/odp?letter=t").await;
    check(&odp, 60, &["Team Leader"]);

    // An unknown framework: the 404 page with what was probably meant; a bad letter: 422.
    let missing = get(&state, "/frameworks/bigg").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.body.contains("href=\"/frameworks/big\""),
        "{}",
        missing.body
    );
    let bad = get(&state, "/frameworks/big?letter=ab").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
}

#[tokio::test]
async fn role_pickers_are_typed_fields_and_pages_stay_small() {
    let state = big_state().await;
    for (uri, id) in [
        ("/roles/odp:team-leader", "compare-b"),
        ("/roles/big:r0", "compare-b"),
        ("/assess", "role"),
        ("/assess?role=odp:team-leader", "switch-role"),
        ("/compare", "cmp-a"),
        ("/compare", "cmp-b"),
        ("/teams/grace-okafor", "succ-role"),
        ("/people/aisha-rahman/gap", "gap-target"),
    ] {
        let reply = get(&state, uri).await;
        check(&reply, 60, &[]);
        assert_typed_role_field(&reply, id);
    }
    // The first form of the assessment still needs a role.
    let assess = get(&state, "/assess").await;
    assert!(
        assess
            .body
            .contains("name=\"role\" type=\"text\" value=\"\" required")
    );
    // A role already chosen is shown by its title where that names no other role.
    let gap = get(&state, "/people/aisha-rahman/gap?target=big:r1").await;
    assert!(
        gap.body
            .contains("name=\"target\" type=\"text\" value=\"Bakery specialist 1\""),
        "{}",
        gap.body
    );
    // The suggestions behind the fields are roles only.
    let hits = get(
        &state,
        "/api/v1/typeahead?q=xylophone&type=occupation&limit=8",
    )
    .await
    .json();
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["kind"] == "role"), "{hits:?}");
}

#[tokio::test]
async fn typed_titles_are_resolved_on_compare_and_assess() {
    let state = big_state().await;
    let compare = get(
        &state,
        "/compare?a=Archive+specialist+1&b=bakery%20specialist%202",
    )
    .await;
    check(
        &compare,
        60,
        &[
            "<h1>Archive specialist 1 <span class=\"muted\">and</span> Bakery specialist 2</h1>",
            "Shared skills (1)",
            "Core craft",
            "name=\"a\" type=\"text\" value=\"Archive specialist 1\"",
            "name=\"b\" type=\"text\" value=\"Bakery specialist 2\"",
        ],
    );
    // A title that does not exist: the 404 page, with the names it might have meant.
    let missing = get(
        &state,
        "/compare?a=Archive+specialist+1&b=Bakeri+specialist+2",
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
    assert!(
        missing.body.contains("Bakery specialist 2"),
        "{}",
        missing.body
    );

    let form = get(&state, "/assess?role=Cargo+specialist+1").await;
    check(
        &form,
        60,
        &[
            "Assess yourself against Cargo specialist 1",
            "<input type=\"hidden\" name=\"role\" value=\"big:r2\">",
            "name=\"role\" type=\"text\" value=\"Cargo specialist 1\"",
        ],
    );
    // Rate the one skill at its first level, posting the typed title as the role.
    let start = form
        .body
        .find("type=\"radio\" id=\"")
        .expect("a level to choose");
    let radio = &form.body[start..start + form.body[start..].find('>').unwrap()];
    let attribute = |name: &str| {
        let at = radio.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        radio[at..at + radio[at..].find('"').unwrap()].to_owned()
    };
    let body = format!(
        "role=Cargo+specialist+1&new_name=Typed+Title&{}={}",
        attribute("name"),
        attribute("value")
    );
    let reply = post_form(&state, "/assess", &body).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply.headers[header::LOCATION].to_str().unwrap();
    assert!(location.contains("target=big:r2"), "{location}");
}

#[tokio::test]
async fn a_short_framework_is_listed_whole_in_case_blind_order_without_letters() {
    let state = state().await;
    let mut text = String::from(
        "[framework]\nkey = \"fruit\"\nname = \"Fruit\"\nversion = \"1\"\nsource = \"test\"\n\
         licence = \"none\"\nattribution = \"test\"\n",
    );
    for (key, title) in [
        ("c", "cherry sorter"),
        ("b", "Banana grader"),
        ("a", "apple picker"),
        ("d", "Date packer"),
    ] {
        text.push_str(&format!(
            "\n[[roles]]\nkey = \"{key}\"\ntitle = \"{title}\"\n"
        ));
    }
    state
        .service
        .import_frameworks(
            &[InputFile {
                name: "fruit.toml".into(),
                text,
            }],
            &rolemap_store::Actor::cli(),
            "2026-04-02T00:00:00Z",
        )
        .await
        .unwrap();
    let page = get(&state, "/frameworks/fruit").await;
    check(&page, 60, &["Fruit"]);
    // Four roles need no letters to page through: every one is on the page, A to Z whatever
    // the case of their first letter.
    assert!(
        !page.body.contains("Roles by first letter"),
        "{}",
        page.body
    );
    assert_eq!(
        listed_titles(&page.body),
        [
            "apple picker",
            "Banana grader",
            "cherry sorter",
            "Date packer"
        ]
    );
    // The listing on the command line and the API sorts the same way.
    let roles = state
        .service
        .roles(&rolemap_store::RoleFilter {
            framework: Some("fruit".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let titles: Vec<&str> = roles.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "apple picker",
            "Banana grader",
            "cherry sorter",
            "Date packer"
        ]
    );
}
