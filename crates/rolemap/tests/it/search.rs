//! `rolemap search`, and ESCO's own structure in `role show` and `skill show`, over the built-in
//! framework and a small ESCO-format fixture.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{Db, array, fail, json, ok};

fn fixture_dirs() -> [PathBuf; 2] {
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../rolemap-formats/tests/fixtures/esco");
    [
        fixtures.join("esco-v1.1.1-classification"),
        fixtures.join("esco-v1.1.1-relations"),
    ]
}

/// The built-in framework and the ESCO fixture.
fn db() -> Db {
    let db = Db::init();
    let [class, rel] = fixture_dirs();
    ok(
        &db.path,
        &[
            "import",
            "esco",
            class.to_str().expect("UTF-8 path"),
            rel.to_str().expect("UTF-8 path"),
        ],
    );
    db
}

fn search(db: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search"];
    all.extend(args);
    json(db, &all)
        .as_array()
        .expect("a list of results")
        .clone()
}

fn labels(results: &[Value]) -> Vec<&str> {
    results
        .iter()
        .map(|r| r["label"].as_str().expect("label"))
        .collect()
}

#[test]
fn search_forgives_typos_and_word_order_and_names_the_label_it_matched() {
    let db = db();
    let typos = search(&db.path, &["opertions", "manger"]);
    let found = labels(&typos);
    assert!(found.contains(&"ICT operations manager"), "{found:?}");
    assert!(found.contains(&"Operations Manager"), "{found:?}");
    for r in &typos {
        assert!(r["score"].as_f64().expect("score") > 0.0);
        assert!(!r["matched"].as_str().expect("matched").is_empty(), "{r}");
        assert!(r["id"].as_i64().is_some(), "{r}");
    }

    // The built-in extract of ESCO has the same occupation: both come first, equally good.
    let reordered = search(
        &db.path,
        &["manager ICT operations", "--type", "occupation"],
    );
    let mut first_two: Vec<&str> = reordered[..2]
        .iter()
        .map(|r| {
            assert_eq!(r["label"], "ICT operations manager");
            assert_eq!(r["field"], "preferred");
            r["framework"].as_str().expect("framework")
        })
        .collect();
    first_two.sort_unstable();
    assert_eq!(first_two, ["esco", "esco-extract"]);
    assert!(reordered.iter().all(|r| r["kind"] == "role"));

    // A hidden label finds its occupation, and says so.
    let hidden = search(&db.path, &["ops boss"]);
    assert_eq!(hidden[0]["label"], "ICT operations manager");
    assert_eq!(hidden[0]["field"], "hidden");
    assert_eq!(hidden[0]["matched"], "ops boss");

    let alternative = search(
        &db.path,
        &["manage a team", "--type", "skill", "--framework", "esco"],
    );
    assert_eq!(alternative[0]["label"], "manage staff");
    assert_eq!(alternative[0]["field"], "alternative");
    assert!(
        alternative
            .iter()
            .all(|r| r["kind"] == "skill" && r["framework"] == "esco")
    );

    let one = search(&db.path, &["manager", "--limit", "1"]);
    assert_eq!(one.len(), 1);
}

#[test]
fn search_as_a_table_shows_scores_matches_and_sources() {
    let db = db();
    let table = ok(&db.path, &["search", "head of ict operations"]);
    assert!(table.contains("ICT operations manager"), "{table}");
    assert!(
        table.contains("head of ICT operations (alternative)"),
        "{table}"
    );
    assert!(
        table.contains("Source: ESCO, European Commission"),
        "{table}"
    );
    let nothing = ok(&db.path, &["search", "xylophone"]);
    assert!(nothing.contains("Nothing matches 'xylophone'"), "{nothing}");
}

#[test]
fn search_refuses_what_it_cannot_answer() {
    let db = db();
    let unknown = fail(&db.path, &["search", "manager", "--framework", "escoo"]);
    assert!(unknown.contains("no framework named 'escoo'"), "{unknown}");
    assert!(unknown.contains("did you mean 'esco'"), "{unknown}");
    let zero = crate::rolemap(&db.path, &["search", "manager", "--limit", "0"]);
    assert!(!zero.status.success());
    assert!(zero.stderr.contains("--limit"), "{}", zero.stderr);
    let kind = crate::rolemap(&db.path, &["search", "manager", "--type", "person"]);
    assert!(!kind.status.success());
    assert!(kind.stderr.contains("occupation"), "{}", kind.stderr);
}

#[test]
fn an_esco_occupation_shows_its_isco_path() {
    let db = db();
    let text = ok(
        &db.path,
        &[
            "role",
            "show",
            "ICT operations team leader",
            "--framework",
            "esco",
        ],
    );
    let path_at = text.find("ISCO path").expect("an ISCO path section");
    let path = &text[path_at..];
    let order: Vec<usize> = [
        "ISCO 1 Managers",
        "ISCO 13 Production and specialised services managers",
        "ISCO 1330 Information and communications technology service managers",
        "ICT operations manager (occupation)",
        "ICT operations team leader",
    ]
    .iter()
    .map(|step| {
        path.find(step)
            .unwrap_or_else(|| panic!("{step} missing:\n{text}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");

    let shown = json(
        &db.path,
        &[
            "role",
            "show",
            "ICT operations manager",
            "--framework",
            "esco",
        ],
    );
    let codes: Vec<&str> = array(&shown["esco"], "path")
        .iter()
        .map(|l| l["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["1", "13", "133", "1330"]);
    assert_eq!(shown["esco"]["hidden_labels"][0], "ops boss");
    // Roles of other frameworks carry no ESCO part.
    let odp = json(&db.path, &["role", "show", "odp:operations-manager"]);
    assert!(odp.get("esco").is_none(), "{odp}");
}

#[test]
fn an_esco_skill_shows_its_groups_related_skills_and_who_needs_it() {
    let db = db();
    let text = ok(
        &db.path,
        &["skill", "show", "manage staff", "--framework", "esco"],
    );
    for expected in [
        "Hidden labels (found by search)",
        "staff management",
        "Broader",
        "Related skills (1)",
        "show initiative (essential)",
        "essential",
        "Source: ESCO, European Commission",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    let shown = json(
        &db.path,
        &["skill", "show", "manage staff", "--framework", "esco"],
    );
    assert_eq!(shown["essential_for"], 2, "{shown}");
    assert_eq!(shown["optional_for"], 0, "{shown}");
    let broader = array(&shown["esco"], "broader");
    assert_eq!(broader[0]["kind"], "skill-group");
    let related = array(&shown["esco"], "related");
    assert_eq!(related[0]["skill"]["label"], "show initiative");
    assert_eq!(related[0]["direction"], "out");
    assert!(related[0]["skill"]["skill_id"].as_i64().is_some());
}

#[test]
fn hidden_labels_name_occupations_and_skills_too() {
    let db = db();
    let role = json(&db.path, &["role", "show", "ops boss"]);
    assert_eq!(role["title"], "ICT operations manager");
    assert_eq!(role["framework"], "esco");
    let skill = json(&db.path, &["skill", "show", "staff management"]);
    assert_eq!(skill["label"], "manage staff");
}

#[test]
fn similar_roles_come_with_their_components_and_the_skills_behind_them() {
    let db = db();
    let near = json(
        &db.path,
        &[
            "similar",
            "ICT operations team leader",
            "--framework",
            "esco",
        ],
    );
    assert_eq!(near["role"]["title"], "ICT operations team leader");
    assert!(
        near["formula"]
            .as_str()
            .expect("formula")
            .contains("0.5 × cosine")
    );
    let neighbours = array(&near, "neighbours");
    // In the fixture the team leader requires manage staff (essential); the manager requires
    // it too, with three more; the software developer shares nothing.
    assert_eq!(neighbours.len(), 1, "{neighbours:?}");
    let manager = &neighbours[0];
    assert_eq!(manager["role"]["title"], "ICT operations manager");
    for component in ["score", "skills", "cosine", "jaccard", "coverage", "text"] {
        let value = manager[component].as_f64().expect(component);
        assert!((0.0..=1.0).contains(&value), "{component} {value}");
    }
    assert_eq!(manager["shared"], serde_json::json!(["manage staff"]));
    let to_gain = array(manager, "to_gain");
    assert!(!to_gain.is_empty());
    assert_eq!(to_gain[0]["importance"], "essential", "{to_gain:?}");

    // Every ODP role requires the same five core skills, at levels set grade by grade: a team
    // leader's levels meet all of Operational Support's, and fall short of some of an Operations
    // Manager's, which costs it coverage.
    let odp = json(&db.path, &["similar", "odp:team-leader", "--limit", "8"]);
    let first = &array(&odp, "neighbours")[0];
    assert_eq!(first["role"]["title"], "Operational Support", "{odp}");
    assert_eq!(first["levels"], 1.0, "{first}");
    assert!(first["text"].as_f64().expect("text") > 0.0);
    let manager = array(&odp, "neighbours")
        .iter()
        .find(|n| n["role"]["title"] == "Operations Manager")
        .expect("Operations Manager among the nearest");
    let levels = manager["levels"].as_f64().expect("levels");
    assert!(levels < 1.0, "{manager}");
    assert!(
        manager["coverage"].as_f64().expect("coverage") < 1.0,
        "{manager}"
    );
    assert_eq!(manager["level"], "above");
    let table = ok(&db.path, &["similar", "odp:team-leader", "--limit", "3"]);
    assert!(table.contains("Roles most like Team Leader"), "{table}");
    assert!(table.contains("Transferable (5)"), "{table}");
    let zero = crate::rolemap(&db.path, &["similar", "odp:team-leader", "--limit", "0"]);
    assert!(!zero.status.success());
    let unknown = fail(&db.path, &["similar", "team leadr"]);
    assert!(unknown.contains("did you mean"), "{unknown}");
}

#[test]
fn observed_movements_strengthen_links_and_bad_files_change_nothing() {
    let db = Db::init();
    let nearest = |db: &Db| {
        let near = json(&db.path, &["similar", "odp:team-leader", "--limit", "3"]);
        array(&near, "neighbours")[0].clone()
    };
    // The same five skills at lower levels: a Team Leader's levels meet all of Operational
    // Support's, not all of an Operations Manager's.
    assert_eq!(nearest(&db)["role"]["title"], "Operational Support");

    let bad = db.file(
        "bad.csv",
        "from,to,count,source\nodp:team-leader,Operational Support,30,HR 2025\nodp:nobody,odp:team-leader,x,HR\n",
    );
    let err = fail(
        &db.path,
        &["import", "transitions", bad.to_str().expect("path")],
    );
    assert!(err.contains("bad.csv:3:3: count:"), "{err}");
    // The names are checked once the file's shape is right: an unknown role, with its place.
    let unknown = db.file(
        "unknown.csv",
        "from,to,count\nodp:team-leader,Operational Support,30\nodp:nobody,odp:team-leader,2\n",
    );
    let err = fail(
        &db.path,
        &["import", "transitions", unknown.to_str().expect("path")],
    );
    assert!(err.contains("unknown.csv:3:1: from:"), "{err}");
    assert!(err.contains("[unknown-role]"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(nearest(&db)["moved_people"], 0);

    let good = db.file(
        "moves.csv",
        "from,to,count,source\nodp:team-leader,Operational Support,10,HR 2025\nodp:team-leader,odp:business-management,30,HR 2025\n",
    );
    let done = ok(
        &db.path,
        &["import", "transitions", good.to_str().expect("path")],
    );
    assert!(
        done.contains("Imported 2 movements between roles (40 people)"),
        "{done}"
    );
    let first = nearest(&db);
    assert_eq!(first["role"]["title"], "Business Management", "{first}");
    assert_eq!(first["moved_people"], 30);
    assert!((first["moved"].as_f64().expect("moved") - 0.75).abs() < 1e-3);
    // The same file again states the same counts: nothing doubles.
    ok(
        &db.path,
        &["import", "transitions", good.to_str().expect("path")],
    );
    assert_eq!(nearest(&db)["moved_people"], 30);
}

#[test]
fn a_progression_map_puts_roles_above_and_below() {
    let db = Db::init();
    let map = json(&db.path, &["progression", "odp:operations-manager"]);
    let level_of = |title: &str| {
        array(&map, "neighbours")
            .iter()
            .find(|n| n["role"]["title"] == title)
            .map(|n| n["level"].as_str().expect("level").to_owned())
            .unwrap_or_else(|| panic!("{title} missing: {map}"))
    };
    // Linked as the route on, at SCS grades: above. Team Leader (EO to SEO): below.
    assert_eq!(level_of("Operations Director"), "above");
    assert_eq!(level_of("Team Leader"), "below");
    let director = array(&map, "neighbours")
        .iter()
        .find(|n| n["role"]["title"] == "Operations Director")
        .expect("director");
    assert_eq!(director["link"], "a route on from it");
    // The article's roles carry no grades or levels: the route it names, Operations Manager to
    // Head of Operations, reads as a step up.
    let article = json(
        &db.path,
        &["progression", "ops-compared:operations-manager"],
    );
    let head = array(&article, "neighbours")
        .iter()
        .find(|n| n["role"]["title"] == "Head of Operations")
        .unwrap_or_else(|| panic!("Head of Operations missing: {article}"));
    assert_eq!(head["level"], "above", "{head}");

    let text = ok(&db.path, &["progression", "odp:operations-manager"]);
    let above = text.find("Above (").expect("an Above band");
    let below = text.find("Below (").expect("a Below band");
    assert!(above < below, "{text}");
    assert!(text.contains("It sits at grades G7, G6."), "{text}");
    // The standards carry levels: the senior leader (7) is above the operations manager (5).
    let standard = json(
        &db.path,
        &[
            "similar",
            "standards:operations-or-departmental-manager",
            "--limit",
            "5",
        ],
    );
    assert!(
        array(&standard, "neighbours")
            .iter()
            .any(|n| n["role"]["key"] == "senior-leader" && n["level"] == "above"),
        "{standard}"
    );
}

#[test]
fn a_progression_map_draws_as_dot_and_svg() {
    let db = Db::init();
    let dot = ok(
        &db.path,
        &["progression", "odp:operations-manager", "--format", "dot"],
    );
    assert!(dot.starts_with("digraph progression {"), "{dot}");
    assert!(dot.contains("label=\"Above\""), "{dot}");
    assert!(dot.contains("[label=\"Operations Director\"]"), "{dot}");
    // Lines weigh the cheapest route there; every role of this map can be reached.
    assert!(dot.contains("penwidth="), "{dot}");
    assert!(dot.contains("\\nroute 0.40"), "{dot}");
    assert!(dot.trim_end().ends_with('}'));
    let svg = ok(
        &db.path,
        &["progression", "odp:operations-manager", "--format", "svg"],
    );
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.contains("<title id=\"map-title\">Progression map for Operations Manager</title>"));
    for text in [
        "Above",
        "Below",
        "Operations Director",
        "Team Leader",
        "(this role)",
    ] {
        assert!(svg.contains(text), "svg lacks {text}");
    }
    assert_eq!(
        svg.matches("<g class=\"node").count(),
        svg.matches("</g>").count() - 1
    );
}

fn titles(route: &Value) -> Vec<String> {
    array(route, "steps")
        .iter()
        .map(|s| s["role"]["title"].as_str().expect("title").to_owned())
        .collect()
}

#[test]
fn routes_lead_from_team_leader_up_to_operations_management_and_beyond() {
    let db = Db::init();
    let one = json(
        &db.path,
        &["routes", "odp:team-leader", "odp:operations-manager"],
    );
    let routes = array(&one, "routes");
    assert!(!routes.is_empty(), "{one}");
    // The framework names this route; it is the best, one step up.
    assert_eq!(titles(&routes[0]), ["Operations Manager"], "{one}");
    let step = &array(&routes[0], "steps")[0];
    assert_eq!(step["level"], "above");
    assert!(
        array(step, "via")
            .iter()
            .any(|v| v.as_str().expect("via").contains("a route on from it")),
        "{step}"
    );
    // The same five skills, some at higher levels at Grade 7 than a Team Leader reaches.
    assert_eq!(array(step, "shared").len(), 5, "{step}");
    assert!(!array(step, "raise").is_empty(), "{step}");

    // Two steps, through Operations Manager; every route visits each role once, cheapest first.
    let two = json(
        &db.path,
        &[
            "routes",
            "odp:team-leader",
            "odp:operations-director",
            "--k",
            "5",
        ],
    );
    let routes = array(&two, "routes");
    assert_eq!(
        titles(&routes[0]),
        ["Operations Manager", "Operations Director"],
        "{two}"
    );
    let mut last = 0.0;
    for route in routes {
        let cost = route["cost"].as_f64().expect("cost");
        assert!(cost >= last, "{two}");
        last = cost;
        let mut seen = titles(route);
        assert!(array(route, "steps").len() <= 4);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), array(route, "steps").len(), "{route}");
    }

    // Across frameworks, through the links between them.
    let across = json(
        &db.path,
        &["routes", "odp:team-leader", "standards:senior-leader"],
    );
    assert_eq!(
        titles(&array(&across, "routes")[0])
            .last()
            .map(String::as_str),
        Some("Senior leader"),
        "{across}"
    );

    let text = ok(
        &db.path,
        &["routes", "odp:team-leader", "odp:operations-director"],
    );
    assert!(
        text.contains("Route 1 (cost")
            && text.contains("Team Leader → Operations Manager → Operations Director"),
        "{text}"
    );
    assert!(text.contains("Raise:"), "{text}");
}

#[test]
fn no_route_names_the_closest_role_within_reach() {
    let db = Db::init();
    let none = json(
        &db.path,
        &[
            "routes",
            "odp:team-leader",
            "odp:chief-executive-officer",
            "--max-steps",
            "1",
            "--min-similarity",
            "0.95",
        ],
    );
    assert!(array(&none, "routes").is_empty(), "{none}");
    assert!(
        none["reachable"].as_u64().expect("reachable") >= 1,
        "{none}"
    );
    let text = ok(
        &db.path,
        &[
            "routes",
            "odp:team-leader",
            "odp:chief-executive-officer",
            "--max-steps",
            "1",
            "--min-similarity",
            "0.95",
        ],
    );
    assert!(
        text.contains("No route reaches Chief Executive Officer within 1 step"),
        "{text}"
    );
    assert!(
        text.contains("The closest role within reach is Operations Manager"),
        "{text}"
    );
    assert!(text.contains("--max-steps"), "{text}");
}

#[test]
fn a_persons_routes_start_from_their_role_and_weigh_their_skills() {
    let db = Db::demo();
    let mine = json(
        &db.path,
        &[
            "routes",
            "--person",
            "aisha-rahman",
            "--to",
            "odp:operations-director",
        ],
    );
    assert_eq!(mine["from"]["title"], "Team Leader", "{mine}");
    assert_eq!(mine["person"]["key"], "aisha-rahman", "{mine}");
    let first = &array(&array(&mine, "routes")[0], "steps")[0];
    let readiness = first["readiness"].as_f64().expect("readiness");
    assert!((0.0..=100.0).contains(&readiness), "{first}");
    // Positional target with --person works the same.
    let same = json(
        &db.path,
        &[
            "routes",
            "--person",
            "aisha-rahman",
            "odp:operations-director",
        ],
    );
    assert_eq!(same["routes"], mine["routes"]);
}

/// One readiness figure: each step of a person's route gives the readiness their gap report for
/// that role gives (Aisha Rahman for Operations Manager: 93.3%, where routes once said 95%).
#[test]
fn a_route_steps_readiness_is_the_gap_reports_figure() {
    let db = Db::demo();
    let routes = json(
        &db.path,
        &[
            "routes",
            "--person",
            "aisha-rahman",
            "--to",
            "odp:operations-director",
            "--k",
            "3",
        ],
    );
    let mut checked = 0;
    for route in array(&routes, "routes") {
        for step in array(route, "steps") {
            let role = format!(
                "{}:{}",
                step["role"]["framework"].as_str().unwrap(),
                step["role"]["key"].as_str().unwrap()
            );
            let gap = json(&db.path, &["gap", "aisha-rahman", "--target", &role]);
            assert_eq!(step["readiness"], gap["readiness"], "{role}: {step}");
            checked += 1;
        }
    }
    assert!(checked >= 2, "{routes}");
    let manager = json(
        &db.path,
        &["gap", "aisha-rahman", "--target", "odp:operations-manager"],
    );
    assert_eq!(manager["readiness"].as_f64(), Some(93.3), "{manager}");
    let text = ok(
        &db.path,
        &[
            "routes",
            "--person",
            "aisha-rahman",
            "--to",
            "odp:operations-director",
        ],
    );
    assert!(
        text.contains("Operations Manager (odp): above, score ")
            && text.contains("readiness 93.3%"),
        "{text}"
    );
    assert!(!text.contains("readiness 95%"), "{text}");
}

#[test]
fn route_questions_with_missing_or_bad_parts_fail_clearly() {
    let db = Db::init();
    let alone = fail(&db.path, &["routes", "odp:team-leader"]);
    assert!(alone.contains("rolemap routes FROM TO"), "{alone}");
    let same = fail(&db.path, &["routes", "odp:team-leader", "odp:team-leader"]);
    assert!(same.contains("where the route starts"), "{same}");
    let steps = crate::rolemap(
        &db.path,
        &[
            "routes",
            "odp:team-leader",
            "odp:operations-manager",
            "--max-steps",
            "0",
        ],
    );
    assert!(!steps.status.success());
    let similarity = fail(
        &db.path,
        &[
            "routes",
            "odp:team-leader",
            "odp:operations-manager",
            "--min-similarity",
            "2",
        ],
    );
    assert!(similarity.contains("min_similarity"), "{similarity}");
    let unknown = fail(
        &db.path,
        &["routes", "team leadr", "odp:operations-manager"],
    );
    assert!(unknown.contains("did you mean"), "{unknown}");
}

#[test]
fn similarity_can_use_the_skills_hierarchy_and_cross_frameworks() {
    let db = db();
    let plain = json(
        &db.path,
        &[
            "similar",
            "ICT operations team leader",
            "--framework",
            "esco",
        ],
    );
    let manager = &array(&plain, "neighbours")[0];
    assert!(manager.get("groups").is_none(), "{manager}");
    let grouped = json(
        &db.path,
        &[
            "similar",
            "ICT operations team leader",
            "--framework",
            "esco",
            "--hierarchy",
        ],
    );
    let manager = &array(&grouped, "neighbours")[0];
    assert_eq!(manager["role"]["title"], "ICT operations manager");
    let groups = manager["groups"].as_f64().expect("groups");
    assert!(groups > 0.0 && groups <= 1.0, "{manager}");
    assert!(
        grouped["formula"]
            .as_str()
            .expect("formula")
            .contains("0.1 × groups")
    );

    // The ODP Operations Manager is linked as the same kind of role to the level 5 standard and
    // to the article's Operations Manager: across frameworks, they come in, and the roles near
    // them in their own frameworks after them.
    let across = json(
        &db.path,
        &[
            "similar",
            "odp:operations-manager",
            "--across",
            "--limit",
            "20",
        ],
    );
    let find = |framework: &str, key: &str| {
        array(&across, "neighbours")
            .iter()
            .find(|n| n["role"]["framework"] == framework && n["role"]["key"] == key)
            .cloned()
            .unwrap_or_else(|| panic!("{framework}:{key} missing: {across}"))
    };
    let standard = find("standards", "operations-or-departmental-manager");
    assert_eq!(standard["score"], 0.9);
    assert!(
        standard["through"]
            .as_str()
            .expect("through")
            .contains("same kind of role")
    );
    let senior = find("standards", "senior-leader");
    assert!(
        senior["through"]
            .as_str()
            .expect("through")
            .contains("Operations or departmental manager"),
        "{senior}"
    );
    // The ESCO extract's ICT operations manager carries ESCO's own skill labels: across
    // frameworks, ESCO's occupations that require skills of the same labels come in.
    let extract = json(
        &db.path,
        &["similar", "esco-extract:ict-operations-manager", "--across"],
    );
    let esco = array(&extract, "neighbours")
        .iter()
        .find(|n| n["role"]["framework"] == "esco")
        .unwrap_or_else(|| panic!("no ESCO occupation: {extract}"));
    assert!(!array(esco, "shared").is_empty(), "{esco}");
    assert!(
        esco["through"]
            .as_str()
            .expect("through")
            .contains("same label in both frameworks"),
        "{esco}"
    );
    let same_framework_only = json(
        &db.path,
        &["similar", "odp:operations-manager", "--limit", "20"],
    );
    assert!(
        array(&same_framework_only, "neighbours")
            .iter()
            .all(|n| n["role"]["framework"] == "odp")
    );
}
