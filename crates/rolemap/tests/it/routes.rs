//! Routes whose explanations match their numbers: a step's reasons, the skills a person is told
//! to gain, and where routes that step down stand.

use serde_json::Value;

use crate::{Db, array, json, ok};

fn via(step: &Value) -> Vec<String> {
    array(step, "via")
        .iter()
        .map(|v| v.as_str().expect("via").to_owned())
        .collect()
}

#[test]
fn a_step_with_no_skills_in_common_does_not_claim_similar_skills() {
    let db = Db::init();
    let answer = json(
        &db.path,
        &[
            "routes",
            "odp:team-leader",
            "odp:operations-director",
            "--k",
            "5",
        ],
    );
    let mut director = 0;
    for route in array(&answer, "routes") {
        for step in array(route, "steps") {
            let reasons = via(step).join("; ");
            if step["role"]["key"] == "operations-director" {
                director += 1;
                // The SCS capabilities share no skill with an Operations Manager's.
                assert!(!reasons.contains("similar skills"), "{step}");
                assert!(reasons.contains("no skills in common"), "{step}");
                // The score is the named route's floor, and says so.
                assert!(reasons.contains("the least a named link scores"), "{step}");
            }
            if reasons.contains("similar skills") {
                assert!(!array(step, "shared").is_empty(), "{step}");
            }
        }
    }
    assert!(director > 0, "{answer}");
}

#[test]
fn a_person_rated_expert_in_a_skill_is_not_told_to_gain_it() {
    let db = Db::demo();
    // Aisha Rahman is rated Expert in the core skill "Data and insight"; an Operations Director
    // requires the SCS capability of the same name.
    let answer = json(
        &db.path,
        &[
            "routes",
            "--person",
            "aisha-rahman",
            "--to",
            "odp:operations-director",
        ],
    );
    let last = array(&array(&answer, "routes")[0], "steps")
        .last()
        .expect("a step")
        .clone();
    assert_eq!(last["role"]["key"], "operations-director", "{last}");
    for gain in array(&last, "to_gain") {
        let skill = gain["skill"].as_str().expect("skill");
        assert!(!skill.starts_with("Data and insight"), "{last}");
    }
    let namesakes = array(&last, "namesakes");
    assert_eq!(namesakes.len(), 1, "{last}");
    assert_eq!(namesakes[0]["kind"], "capability", "{last}");
    assert_eq!(namesakes[0]["met_kind"], "skill", "{last}");
    assert_eq!(namesakes[0]["met_level"], "E", "{last}");

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
        text.contains("Same name, another skill (1): Data and insight (the capability"),
        "{text}"
    );
    assert!(text.contains("is held at E"), "{text}");
    assert!(!text.contains("To gain (7)"), "{text}");
}

#[test]
fn a_step_down_says_why_it_is_shown_after_the_routes_that_climb() {
    let db = Db::init();
    let answer = json(
        &db.path,
        &[
            "routes",
            "odp:team-leader",
            "odp:operations-director",
            "--k",
            "5",
        ],
    );
    let mut stepped_down = false;
    for route in array(&answer, "routes") {
        let down = array(route, "steps").iter().any(|s| s["level"] == "below");
        // Every route that steps down comes after every route that does not.
        assert!(!stepped_down || down, "{answer}");
        stepped_down |= down;
        for step in array(route, "steps")
            .iter()
            .filter(|s| s["level"] == "below")
        {
            assert!(
                via(step)
                    .iter()
                    .any(|v| v.starts_with("a step down: shown after the 2 routes")),
                "{step}"
            );
        }
    }
    assert!(stepped_down, "{answer}");
}

/// The numbers after `name="` in each element `<tag ...>` of an SVG, in order.
fn attributes(svg: &str, tag: &str, names: &[&str]) -> Vec<Vec<String>> {
    svg.split(&format!("<{tag} "))
        .skip(1)
        .map(|element| {
            let head = element.split('>').next().unwrap_or("");
            names
                .iter()
                .map(|name| {
                    head.split(&format!(" {name}=\""))
                        .nth(1)
                        .or_else(|| head.strip_prefix(&format!("{name}=\"")))
                        .and_then(|rest| rest.split('"').next())
                        .unwrap_or_else(|| panic!("<{tag}> without {name}: {head}"))
                        .to_owned()
                })
                .collect()
        })
        .collect()
}

fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("not a number: {text}"))
}

/// Whether the segment a-b enters the inside of the rectangle (x, y, w, h), its edges excepted.
fn enters(a: (f64, f64), b: (f64, f64), rect: (f64, f64, f64, f64)) -> bool {
    let (x0, y0, x1, y1) = (
        rect.0 + 0.5,
        rect.1 + 0.5,
        rect.0 + rect.2 - 0.5,
        rect.1 + rect.3 - 0.5,
    );
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (q, r) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if q == 0.0 {
            if r < 0.0 {
                return false;
            }
        } else if q < 0.0 {
            t0 = t0.max(r / q);
        } else {
            t1 = t1.min(r / q);
        }
    }
    t0 < t1
}

/// Checks a progression map's drawing: no title cut with an ellipsis, one line per box but the
/// role's own, and no segment of any line inside any box.
fn check_map(svg: &str) {
    assert!(!svg.contains('…'), "{svg}");
    // No line enters a box.
    let rects: Vec<(f64, f64, f64, f64)> = attributes(svg, "rect", &["x", "y", "width", "height"])
        .iter()
        .map(|r| (number(&r[0]), number(&r[1]), number(&r[2]), number(&r[3])))
        .collect();
    let lines = attributes(svg, "polyline", &["points", "stroke-width"]);
    assert_eq!(lines.len() + 1, rects.len(), "{svg}");
    for line in &lines {
        let points: Vec<(f64, f64)> = line[0]
            .split(' ')
            .map(|p| {
                let (x, y) = p.split_once(',').expect("x,y");
                (number(x), number(y))
            })
            .collect();
        for pair in points.windows(2) {
            for rect in &rects {
                assert!(!enters(pair[0], pair[1], *rect), "{line:?} enters {rect:?}");
            }
        }
    }
}

#[test]
fn the_progression_map_keeps_lines_off_boxes_titles_whole_and_weighs_steps_up() {
    let db = Db::init();
    let svg = ok(
        &db.path,
        &["progression", "odp:operations-manager", "--format", "svg"],
    );
    // Titles whole: wrapped, never cut.
    let titles: Vec<String> = svg
        .split("<g class=\"node")
        .skip(1)
        .map(|node| {
            node.split("class=\"title\">")
                .skip(1)
                .filter_map(|t| t.split("</text>").next())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    for title in [
        "Front Line Validation and Compliance",
        "Operations or departmental manager (standards)",
        "ICT operations manager (esco-extract)",
    ] {
        assert!(titles.iter().any(|t| t == title), "{title}: {titles:?}");
    }
    check_map(&svg);
    // The step up to Operations Director (a route the framework names, few skills alike) weighs
    // more than the very similar step down to Team Leader.
    let weight = |to: &str| {
        let at = svg
            .find(&format!("<title>Operations Manager to {to}:"))
            .unwrap_or_else(|| panic!("no line to {to}"));
        let head = &svg[..at];
        let from = head.rfind("stroke-width=\"").expect("a weight") + "stroke-width=\"".len();
        number(head[from..].split('"').next().expect("a number"))
    };
    assert!(
        weight("Operations Director") > weight("Team Leader") + 1.0,
        "{svg}"
    );
    // The weights' figures, in the JSON: the cheapest route to each role.
    let map = json(&db.path, &["progression", "odp:operations-manager"]);
    let route = |key: &str| {
        array(&map, "neighbours")
            .iter()
            .find(|n| n["role"]["key"] == key)
            .map(|n| n["route"].clone())
            .unwrap_or_else(|| panic!("no {key}: {map}"))
    };
    assert_eq!(route("operations-director")["steps"], 1, "{map}");
    assert_eq!(route("operations-director")["cost"], 0.4, "{map}");
    assert!(
        route("team-leader")["cost"].as_f64().expect("cost") > 0.8,
        "{map}"
    );
}

/// Over the whole of ESCO, when `ROLEMAP_ESCO_DIR` names the folder of its zips: maps of roles
/// with long titles keep their lines off the boxes, and no step with no skill in common claims
/// similar skills.
#[test]
fn full_esco_maps_and_routes_tell_the_truth() {
    let Some(dir) = std::env::var_os("ROLEMAP_ESCO_DIR") else {
        eprintln!("skipped: ROLEMAP_ESCO_DIR not set");
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let db = Db::empty();
    ok(
        &db.path,
        &[
            "import",
            "esco",
            "--skip-dangling",
            dir.to_str().expect("a UTF-8 path"),
        ],
    );
    for role in [
        "import export manager in machinery, industrial equipment, ships and aircraft",
        "ICT operations manager",
        "import export specialist in textiles and textile semi-finished and raw materials",
        "heating, ventilation, air conditioning and refrigeration engineering technician",
    ] {
        let svg = ok(
            &db.path,
            &[
                "progression",
                role,
                "--framework",
                "esco",
                "--format",
                "svg",
            ],
        );
        check_map(&svg);
    }
    let answer = json(
        &db.path,
        &[
            "routes",
            "ICT operations manager",
            "chief executive officer",
            "--framework",
            "esco",
            "--k",
            "5",
        ],
    );
    let routes = array(&answer, "routes");
    assert!(!routes.is_empty(), "{answer}");
    let mut stepped_down = false;
    for route in routes {
        let down = array(route, "steps").iter().any(|s| s["level"] == "below");
        assert!(!stepped_down || down, "{answer}");
        stepped_down |= down;
        for step in array(route, "steps") {
            if via(step).join("; ").contains("similar skills") {
                assert!(!array(step, "shared").is_empty(), "{step}");
            }
        }
    }
}
