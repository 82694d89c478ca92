//! The built-in frameworks through the command line: init, listings, role profiles, comparisons
//! and job descriptions.

use std::collections::BTreeSet;

use serde_json::{Value, json as j};

use crate::{Db, array, fail, find, json, ok, text};

const BUILTIN: [&str; 4] = ["esco-extract", "odp", "ops-compared", "standards"];

fn framework_keys(db: &Db) -> BTreeSet<String> {
    let list = json(&db.path, &["frameworks"]);
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| text(f, "key").to_owned())
        .collect()
}

#[test]
fn init_installs_the_builtin_frameworks_once() {
    let db = Db::empty();
    let empty = ok(&db.path, &["frameworks"]);
    assert!(empty.contains("No frameworks yet"), "{empty}");

    let first = ok(&db.path, &["init"]);
    for key in BUILTIN {
        assert!(
            first.contains(&format!("Installed {key} ")),
            "{key} not installed:\n{first}"
        );
    }
    assert!(!first.contains("already installed"), "{first}");
    assert!(
        !first.contains("demo team"),
        "plain init must not create the demo team:\n{first}"
    );

    let list = json(&db.path, &["frameworks"]);
    let keys: BTreeSet<String> = framework_keys(&db);
    assert_eq!(keys, BUILTIN.iter().map(|k| (*k).to_owned()).collect());
    let odp = find(list.as_array().unwrap(), "key", "odp");
    assert!(
        odp["roles"].as_u64().unwrap() > 0 && odp["skills"].as_u64().unwrap() > 0,
        "{odp:#}"
    );
    assert!(
        text(odp, "attribution").contains("Open Government Licence"),
        "{odp:#}"
    );

    let second = ok(&db.path, &["init"]);
    for key in BUILTIN {
        assert!(
            second.contains(&format!("{key} ")) && !second.contains(&format!("Installed {key}")),
            "{second}"
        );
    }
    assert_eq!(second.matches("already installed").count(), 4, "{second}");
    assert_eq!(
        json(&db.path, &["frameworks"]),
        list,
        "a second init changed the frameworks"
    );
    assert_eq!(crate::people_count(&db.path), 0);
}

#[test]
fn init_demo_adds_the_demo_team_once() {
    let db = Db::init();
    let out = ok(&db.path, &["init", "--demo"]);
    assert!(out.contains("Created the demo team"), "{out}");
    let people = json(&db.path, &["person", "list"]);
    let people = people.as_array().unwrap();
    let grace = find(people, "key", "grace-okafor");
    assert_eq!(grace["name"], "Grace Okafor");
    assert_eq!(grace["role"]["title"], "Operations Manager");
    assert_eq!(grace["grade"], "G7");
    assert!(
        people.iter().all(|p| p["demo"] == true),
        "demo people must be marked as demo data"
    );

    let again = ok(&db.path, &["init", "--demo"]);
    assert!(again.contains("The demo team is already there."), "{again}");
    assert_eq!(crate::people_count(&db.path), people.len());
}

#[test]
fn demo_shows_aishas_gap_to_operations_manager() {
    let db = Db::empty();
    let out = ok(&db.path, &["demo"]);
    assert!(out.contains("Created the demo team"), "{out}");
    assert!(
        out.contains("Aisha Rahman against Operations Manager (odp:operations-manager) at G7"),
        "{out}"
    );
    assert!(out.contains("Readiness "), "{out}");
    assert!(out.contains("Develop first"), "{out}");
    assert!(
        out.contains("Source: Contains public sector information"),
        "{out}"
    );
}

/// The grade -> level map of a requirement, as JSON.
fn levels<'a>(role: &'a Value, skill: &str) -> &'a Value {
    &find(array(role, "requirements"), "skill", skill)["levels"]
}

/// The grades of a requirement's `levels` object in the order the JSON text gives them.
fn level_keys_in_order(raw: &str, skill: &str) -> Vec<String> {
    let at = raw
        .find(&format!("\"skill\": \"{skill}\""))
        .expect("the requirement");
    let start = at + raw[at..].find("\"levels\": {").expect("its levels");
    let block = &raw[start + "\"levels\": {".len()..];
    let block = &block[..block.find('}').expect("end of levels")];
    block
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix('"')?
                .split('"')
                .next()
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn role_show_json_gives_the_profile_and_levels_per_grade() {
    let db = Db::init();
    let role = json(&db.path, &["role", "show", "odp:team-leader"]);
    assert_eq!(role["title"], "Team Leader");
    assert_eq!(role["framework"], "odp");
    assert_eq!(role["key"], "team-leader");
    assert_eq!(role["grades"], j!(["EO", "HEO", "SEO"]));
    let requirements = array(&role, "requirements");
    assert_eq!(requirements.len(), 5, "{requirements:#?}");
    for r in requirements {
        assert!(!text(r, "skill").is_empty(), "{r:#}");
        assert_eq!(r["importance"], "essential", "{r:#}");
        // Every grade of the role is listed, in ladder order.
        let grades: Vec<&String> = r["levels"].as_object().unwrap().keys().collect();
        assert_eq!(grades, ["EO", "HEO", "SEO"], "{r:#}");
    }
    assert_eq!(
        levels(&role, "Data and insight"),
        &j!({ "EO": "A", "HEO": "W", "SEO": "P" })
    );
    assert_eq!(
        levels(&role, "Connections and communication"),
        &j!({ "EO": "W", "HEO": "W", "SEO": "W" })
    );
    assert!(
        text(&role, "attribution").contains("Operational Delivery Profession"),
        "{role:#}"
    );
    let links = array(&role, "links");
    assert!(
        links
            .iter()
            .any(|l| l["role"]["key"] == "operations-manager" && l["direction"] == "out"),
        "{links:#?}"
    );
}

#[test]
fn unpublished_levels_are_null_not_invented() {
    let db = Db::init();
    let role = json(&db.path, &["role", "show", "odp:business-management"]);
    assert_eq!(role["grades"], j!(["EO", "HEO", "SEO", "G7"]));
    let cc = levels(&role, "Connections and communication");
    assert!(cc["EO"].is_string() && cc["HEO"].is_string(), "{cc}");
    assert_eq!(cc["SEO"], Value::Null, "{cc}");
    assert_eq!(cc["G7"], Value::Null, "{cc}");
    assert!(
        cc.as_object().unwrap().contains_key("G7"),
        "a grade without a level is still listed: {cc}"
    );
    // The grades keep ladder order in the JSON text (G7 after SEO, not sorted by name).
    let raw = ok(
        &db.path,
        &[
            "role",
            "show",
            "odp:business-management",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        level_keys_in_order(&raw, "Connections and communication"),
        ["EO", "HEO", "SEO", "G7"]
    );

    // The table shows the missing levels as "–" and explains the mark.
    let table = ok(&db.path, &["role", "show", "odp:business-management"]);
    let row = table
        .lines()
        .find(|l| l.contains("Connections and communication"))
        .unwrap();
    assert_eq!(row.matches('–').count(), 2, "{row}");
    assert!(
        table.contains("– means no minimum level is published"),
        "{table}"
    );
}

#[test]
fn role_show_by_title_prints_the_skills_table_and_attribution() {
    let db = Db::init();
    let out = ok(&db.path, &["role", "show", "team leader"]);
    assert!(out.starts_with("Team Leader\n"), "{out}");
    assert!(out.contains("(odp:team-leader, id "), "{out}");
    assert!(out.contains("Skills (5 essential, 0 optional)"), "{out}");
    let header = out
        .lines()
        .find(|l| l.contains("importance"))
        .expect("a skills table header");
    for column in ["skill", "kind", "EO", "HEO", "SEO"] {
        assert!(header.contains(column), "{header}");
    }
    let row = out
        .lines()
        .find(|l| l.contains("Data and insight"))
        .expect("a Data and insight row");
    let cells: Vec<&str> = row
        .split(['│', '┆'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        ["Data and insight", "skill", "essential", "A", "W", "P"],
        "{row}"
    );
    assert!(
        out.contains("Levels: A (Awareness), W (Working), P (Practitioner), E (Expert)."),
        "{out}"
    );
    assert!(
        out.trim_end().ends_with(
            "Source: Contains public sector information from the UK Civil Service Operational Delivery \
             Profession framework, licensed under the Open Government Licence v3.0."
        ),
        "{out}"
    );

    // Any case, and the same role as by framework:key.
    let upper = json(&db.path, &["role", "show", "TEAM LEADER"]);
    assert_eq!(upper, json(&db.path, &["role", "show", "odp:team-leader"]));
    let by_id = json(&db.path, &["role", "show", &upper["id"].to_string()]);
    assert_eq!(by_id["key"], "team-leader");
}

#[test]
fn role_show_csv_is_the_skills_table() {
    let db = Db::init();
    let out = ok(
        &db.path,
        &["role", "show", "odp:team-leader", "--format", "csv"],
    );
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(headers, ["skill", "kind", "importance", "EO", "HEO", "SEO"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    let data = rows.iter().find(|r| &r[0] == "Data and insight").unwrap();
    assert_eq!(
        data.iter().collect::<Vec<_>>(),
        ["Data and insight", "skill", "essential", "A", "W", "P"]
    );
}

#[test]
fn esco_role_without_grades_lists_all_its_skills() {
    let db = Db::init();
    let role = json(&db.path, &["role", "show", "ICT operations manager"]);
    assert_eq!(role["framework"], "esco-extract");
    assert_eq!(role["grades"], j!([]));
    let requirements = array(&role, "requirements");
    assert_eq!(requirements.len(), 41);
    let keys: BTreeSet<&str> = requirements.iter().map(|r| text(r, "skill_key")).collect();
    assert_eq!(keys.len(), 41, "each skill is required once");
    assert!(
        requirements.iter().all(|r| r["levels"] == j!({})),
        "no grades, so no per-grade levels"
    );
    assert!(requirements.iter().any(|r| r["importance"] == "essential"));
    let codes = array(&role, "codes");
    assert!(codes.iter().any(|c| c["scheme"] == "ESCO"), "{codes:#?}");
}

#[test]
fn roles_and_skills_listings_filter() {
    let db = Db::init();
    let roles = json(&db.path, &["roles", "--framework", "odp"]);
    let roles = roles.as_array().unwrap();
    assert!(roles.iter().all(|r| r["framework"] == "odp"));
    find(roles, "key", "team-leader");
    find(roles, "key", "operations-manager");

    let skills = json(&db.path, &["skills", "--search", "data and insight"]);
    let skills = skills.as_array().unwrap();
    let keys: BTreeSet<&str> = skills.iter().map(|s| text(s, "key")).collect();
    assert!(
        keys.contains("data-and-insight") && keys.len() >= 2,
        "{keys:?}"
    );
}

#[test]
fn skill_show_gives_the_scale_and_the_roles_that_require_it() {
    let db = Db::init();
    let skill = json(&db.path, &["skill", "show", "odp:data-and-insight"]);
    assert_eq!(skill["label"], "Data and insight");
    assert_eq!(skill["framework"], "odp");
    let codes: Vec<&str> = array(&skill, "scale")
        .iter()
        .map(|l| text(l, "code"))
        .collect();
    assert_eq!(codes, ["A", "W", "P", "E"]);
    assert!(text(&skill, "attribution").contains("Operational Delivery Profession"));

    // Exactly the ODP roles whose profile lists the skill.
    let required_by = array(&skill, "required_by");
    let listed: BTreeSet<String> = required_by
        .iter()
        .map(|r| text(&r["role"], "key").to_owned())
        .collect();
    let mut expected = BTreeSet::new();
    for role in json(&db.path, &["roles", "--framework", "odp"])
        .as_array()
        .unwrap()
    {
        let key = text(role, "key");
        let profile = json(&db.path, &["role", "show", &format!("odp:{key}")]);
        if let Some(r) = array(&profile, "requirements")
            .iter()
            .find(|r| r["skill_id"] == skill["id"])
        {
            expected.insert(key.to_owned());
            let entry = find(required_by, "role.key", key);
            assert_eq!(entry["importance"], r["importance"], "{key}");
        }
    }
    assert_eq!(listed, expected);
    assert!(
        listed.contains("team-leader") && listed.contains("operations-manager"),
        "{listed:?}"
    );

    // The SCS capability with the same label is a different skill, required by other roles.
    let scs = json(&db.path, &["skill", "show", "odp:scs-data-and-insight"]);
    assert_eq!(scs["label"], "Data and insight");
    let scs_roles: BTreeSet<String> = array(&scs, "required_by")
        .iter()
        .map(|r| text(&r["role"], "key").to_owned())
        .collect();
    assert!(
        !scs_roles.is_empty() && scs_roles.is_disjoint(&listed),
        "{scs_roles:?}"
    );

    let table = ok(&db.path, &["skill", "show", "odp:data-and-insight"]);
    assert!(
        table.contains(&format!("Required by {} roles", listed.len())),
        "{table}"
    );
    assert!(table.contains("P Practitioner: "), "{table}");
    assert!(
        table.contains("Source: Contains public sector information"),
        "{table}"
    );
}

#[test]
fn compare_lines_up_levels_grade_by_grade() {
    let db = Db::init();
    let c = json(
        &db.path,
        &[
            "compare",
            "odp:team-leader",
            "odp:front-line-help-and-advice",
        ],
    );
    assert_eq!(c["a"]["key"], "team-leader");
    assert_eq!(c["b"]["key"], "front-line-help-and-advice");
    let shared = array(&c, "shared");
    assert_eq!(shared.len(), 5, "{shared:#?}");
    assert_eq!(array(&c, "only_a").len(), 0);
    assert_eq!(array(&c, "only_b").len(), 0);

    let cc = find(shared, "skill.label", "Connections and communication");
    let grades = array(cc, "grades");
    // The union of both roles' grades, in ladder order.
    let names: Vec<&str> = grades.iter().map(|g| text(g, "grade")).collect();
    assert_eq!(names, ["AA", "AO", "EO", "HEO", "SEO"]);
    assert_eq!(
        find(grades, "grade", "SEO"),
        &j!({ "grade": "SEO", "a": "W", "b": "P", "difference": 1 })
    );
    assert_eq!(
        find(grades, "grade", "HEO"),
        &j!({ "grade": "HEO", "a": "W", "b": "W", "difference": 0 })
    );
    // Team Leader is not found at AA: no level and no difference.
    assert_eq!(
        find(grades, "grade", "AA"),
        &j!({ "grade": "AA", "a": null, "b": "W", "difference": null })
    );

    // Every per-grade level agrees with each role's own profile, and the difference is b - a.
    let a = json(&db.path, &["role", "show", "odp:team-leader"]);
    let b = json(
        &db.path,
        &["role", "show", "odp:front-line-help-and-advice"],
    );
    for s in shared {
        let label = text(&s["skill"], "label");
        for g in array(s, "grades") {
            let grade = text(g, "grade");
            let want_a = levels(&a, label).get(grade).cloned().unwrap_or(Value::Null);
            let want_b = levels(&b, label).get(grade).cloned().unwrap_or(Value::Null);
            assert_eq!((&g["a"], &g["b"]), (&want_a, &want_b), "{label} at {grade}");
            let want_difference = match (want_a.as_str(), want_b.as_str()) {
                (Some(x), Some(y)) => {
                    j!(i16::from(crate::odp_rank(y)) - i16::from(crate::odp_rank(x)))
                }
                _ => Value::Null,
            };
            assert_eq!(g["difference"], want_difference, "{label} at {grade}");
        }
    }
}

/// Roles one step apart share no grade: the comparison compares the step, Team Leader at its
/// top grade (SEO) against Operations Manager at its entry grade (G7), and says what to raise.
#[test]
fn compare_roles_one_step_apart_says_which_levels_to_raise() {
    let db = Db::init();
    let c = json(
        &db.path,
        &["compare", "odp:team-leader", "odp:operations-manager"],
    );
    assert_eq!(
        c["step"],
        j!({ "a_grade": "SEO", "b_grade": "G7", "skills_compared": 5, "skills_to_raise": 3, "levels_to_raise": 3 })
    );
    let shared = array(&c, "shared");
    assert_eq!(
        find(shared, "skill.label", "Data and insight")["step"],
        j!({ "a": "P", "b": "E", "difference": 1, "raise": 1 })
    );
    assert_eq!(
        find(
            shared,
            "skill.label",
            "Delivery and decision making at pace"
        )["step"],
        j!({ "a": "P", "b": "P", "difference": 0, "raise": 0 })
    );

    let table = ok(
        &db.path,
        &["compare", "odp:team-leader", "odp:operations-manager"],
    );
    assert!(
        table.contains(
            "Team Leader at SEO (its top grade) against Operations Manager at G7 (its entry grade)"
        ),
        "{table}"
    );
    assert!(
        table.contains("Data and insight: P → E, raise 1 level"),
        "{table}"
    );
    assert!(
        table.contains("3 of 5 shared skills need raising, 3 levels in all."),
        "{table}"
    );

    // The user picks the grades; a grade the role does not have is refused with the field.
    let chosen = json(
        &db.path,
        &[
            "compare",
            "odp:team-leader",
            "odp:operations-manager",
            "--grade-a",
            "heo",
            "--grade-b",
            "G6",
        ],
    );
    assert_eq!(
        chosen["step"],
        j!({ "a_grade": "HEO", "b_grade": "G6", "skills_compared": 5, "skills_to_raise": 5, "levels_to_raise": 10 })
    );
    let wrong = fail(
        &db.path,
        &[
            "compare",
            "odp:team-leader",
            "odp:operations-manager",
            "--grade-a",
            "G7",
        ],
    );
    assert!(
        wrong.contains("grade_a") && wrong.contains("its grades are EO, HEO, SEO"),
        "{wrong}"
    );
}

/// `similar` counts level raises: Operations Manager requires nothing Team Leader does not, but
/// asks three of the shared skills at a higher level.
#[test]
fn similar_roles_count_the_levels_to_raise() {
    let db = Db::init();
    let similar = json(&db.path, &["similar", "odp:team-leader", "--limit", "12"]);
    let manager = find(
        array(&similar, "neighbours"),
        "role.key",
        "operations-manager",
    );
    assert!(array(manager, "to_gain").is_empty(), "{manager}");
    let raise: Vec<String> = array(manager, "raise")
        .iter()
        .map(|r| {
            format!(
                "{} {}->{}",
                text(r, "skill"),
                text(r, "from"),
                text(r, "to")
            )
        })
        .collect();
    assert_eq!(
        raise,
        [
            "Connections and communication W->P",
            "Adaptability to change W->P",
            "Data and insight P->E",
        ]
    );
    // A role below asks nothing more.
    let support = find(
        array(&similar, "neighbours"),
        "role.key",
        "operational-support",
    );
    assert!(array(support, "raise").is_empty(), "{support}");
}

#[test]
fn compare_shows_dimensions_side_by_side() {
    let db = Db::init();
    let c = json(
        &db.path,
        &[
            "compare",
            "ops-compared:head-of-operations",
            "ops-compared:operations-manager",
        ],
    );
    let dimensions = array(&c, "dimensions");
    assert_eq!(dimensions.len(), 12, "{dimensions:#?}");
    for d in dimensions {
        assert!(
            !text(d, "a").trim().is_empty() && !text(d, "b").trim().is_empty(),
            "{d:#}"
        );
        assert!(!text(d, "name").is_empty(), "{d:#}");
    }
    let keys: BTreeSet<&str> = dimensions.iter().map(|d| text(d, "key")).collect();
    assert_eq!(keys.len(), 12, "dimension keys are distinct");
    assert!(
        keys.contains("scope") && keys.contains("budget-authority"),
        "{keys:?}"
    );

    let table = ok(
        &db.path,
        &[
            "compare",
            "ops-compared:head-of-operations",
            "ops-compared:operations-manager",
        ],
    );
    assert!(
        table.contains("A: Head of Operations (ops-compared:head-of-operations)"),
        "{table}"
    );
    assert!(table.contains("Dimensions"), "{table}");
    assert!(table.contains("Sources: "), "{table}");
}

#[test]
fn jd_markdown_has_title_criteria_and_levels() {
    let db = Db::init();
    let md = ok(&db.path, &["jd", "odp:operations-manager", "--grade", "G7"]);
    assert!(md.starts_with("# Operations Manager\n"), "{md}");
    assert!(md.contains("Grade: G7"), "{md}");
    assert!(md.contains("## Essential criteria"), "{md}");
    assert!(
        md.contains("- Data and insight at Expert level (E)"),
        "{md}"
    );
    assert!(
        md.contains("Connections and communication at Practitioner level (P)"),
        "{md}"
    );
    assert!(md.contains("Open Government Licence v3.0"), "{md}");

    // The levels follow the grade asked for.
    let role = json(&db.path, &["role", "show", "odp:operations-manager"]);
    for grade in ["G7", "G6"] {
        let jd = json(
            &db.path,
            &["jd", "odp:operations-manager", "--grade", grade],
        );
        assert_eq!(jd["grade"], grade);
        assert_eq!(jd["title"], "Operations Manager");
        let essential = array(&jd, "essential");
        assert_eq!(essential.len(), 5, "{essential:#?}");
        for c in essential {
            let skill = text(c, "skill");
            assert_eq!(
                c["level"]["code"],
                levels(&role, skill)[grade],
                "{skill} at {grade}"
            );
        }
    }
}

#[test]
fn jd_html_is_a_printable_page_with_attribution() {
    let db = Db::init();
    let html = ok(
        &db.path,
        &[
            "jd",
            "odp:operations-manager",
            "--grade",
            "G7",
            "--format",
            "html",
        ],
    );
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(
        html.contains("<html lang=\"en\">") && html.contains("<meta charset=\"utf-8\">"),
        "{html}"
    );
    assert!(html.contains("<title>Operations Manager</title>"), "{html}");
    assert!(html.contains("<h1>Operations Manager</h1>"), "{html}");
    assert!(html.contains("@media print"), "{html}");
    assert!(
        html.contains("Data and insight at Expert level (E)"),
        "{html}"
    );
    let footer = &html[html.find("<footer>").expect("a footer")..];
    assert!(footer.contains("Open Government Licence v3.0"), "{footer}");
    assert!(html.trim_end().ends_with("</html>"), "{html}");
}
