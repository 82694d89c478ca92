//! People, assessments and gap reports.

use std::path::Path;

use serde_json::Value;

use crate::{Db, array, find, json, ok, text};

/// Adds Sam Jones, a Team Leader at HEO reporting to Grace Okafor.
fn add_sam(db: &Path) -> Value {
    json(
        db,
        &[
            "person",
            "add",
            "Sam Jones",
            "--role",
            "odp:team-leader",
            "--grade",
            "HEO",
            "--manager",
            "grace-okafor",
        ],
    )
}

#[test]
fn person_add_records_role_grade_manager_and_team_and_refuses_a_stored_name() {
    let db = Db::demo();
    let sam = add_sam(&db.path);
    assert_eq!(sam["key"], "sam-jones");
    assert_eq!(sam["name"], "Sam Jones");
    assert_eq!(sam["role"]["framework"], "odp");
    assert_eq!(sam["role"]["key"], "team-leader");
    assert_eq!(sam["grade"], "HEO");
    assert_eq!(sam["manager"], "Grace Okafor");
    assert_eq!(sam["demo"], false);
    let grace = json(&db.path, &["person", "show", "grace-okafor"]);
    assert_eq!(sam["manager_id"], grace["id"]);
    assert_eq!(
        sam["team"], grace["team"],
        "the team defaults to the manager's"
    );

    let people = json(&db.path, &["person", "list"]);
    assert_eq!(
        find(people.as_array().unwrap(), "key", "sam-jones")["id"],
        sam["id"]
    );

    // Typing the name again is refused, naming the person already stored and the way to add a
    // second person of that name on purpose; nothing is added.
    let err = crate::fail(&db.path, &["person", "add", "sam jones "]);
    assert!(
        err.contains("Sam Jones is already stored, key sam-jones") && err.contains("--same-name"),
        "{err}"
    );
    assert_eq!(
        json(&db.path, &["person", "list"]).as_array().map(Vec::len),
        people.as_array().map(Vec::len)
    );

    // A second Sam Jones, on purpose, gets a key of their own, and can be found by it.
    let other = json(
        &db.path,
        &[
            "person",
            "add",
            "Sam Jones",
            "--same-name",
            "--role",
            "team leader",
            "--grade",
            "eo",
        ],
    );
    assert_eq!(other["key"], "sam-jones-2");
    assert_eq!(
        other["grade"], "EO",
        "grades are stored as the role spells them"
    );
    let err = crate::fail(&db.path, &["person", "show", "Sam Jones"]);
    // The message names both, each in a way that picks one.
    assert!(err.contains("'Sam Jones' could be any of 2"), "{err}");
    assert!(
        err.contains("sam-jones (Sam Jones)") && err.contains("sam-jones-2 (Sam Jones)"),
        "{err}"
    );
    assert_eq!(
        json(&db.path, &["person", "show", "sam-jones"])["id"],
        sam["id"]
    );
    assert_eq!(
        json(&db.path, &["person", "show", "sam-jones-2"])["id"],
        other["id"]
    );
}

#[test]
fn assessments_keep_history_and_the_manager_outranks_self() {
    let db = Db::demo();
    add_sam(&db.path);

    // "Data and insight" is also the label of an SCS capability: bare, it is ambiguous, even for
    // a person whose role requires one of the two; shown with what tells it apart, it is not.
    let err = crate::fail(&db.path, &["skill", "show", "Data and insight"]);
    assert!(err.contains("could be any of 2 skills"), "{err}");
    let err = crate::fail(&db.path, &["assess", "sam-jones", "Data and insight", "W"]);
    assert!(err.contains("could be any of 2 skills"), "{err}");
    let role = json(&db.path, &["role", "show", "odp:team-leader"]);
    let required = find(
        array(&role, "requirements"),
        "skill",
        "Data and insight (core skill)",
    );
    let skill_id = required["skill_id"].clone();

    let first = json(
        &db.path,
        &[
            "assess",
            "sam-jones",
            "Data and insight (core skill)",
            "W",
            "--note",
            "weekly report",
        ],
    );
    assert_eq!(first["skill_id"], skill_id);
    assert_eq!(first["level"]["code"], "W");
    assert_eq!(first["source"], "self");
    assert_eq!(first["note"], "weekly report");

    let out = ok(
        &db.path,
        &[
            "assess",
            "sam-jones",
            "Data and insight (core skill)",
            "Practitioner",
            "--source",
            "manager",
        ],
    );
    assert!(
        out.starts_with("Recorded Data and insight (core skill): Practitioner (P) (manager, "),
        "{out}"
    );

    let detail = json(&db.path, &["person", "show", "sam-jones"]);
    let history = array(&detail, "history");
    assert_eq!(history.len(), 2, "{history:#?}");
    assert_eq!(history[0]["level"]["code"], "W");
    assert_eq!(history[0]["source"], "self");
    assert_eq!(history[1]["level"]["code"], "P");
    assert_eq!(history[1]["source"], "manager");
    assert!(history.iter().all(|a| a["skill_id"] == skill_id));
    let current = array(&detail, "current");
    assert_eq!(current.len(), 1, "{current:#?}");
    assert_eq!(current[0]["skill_id"], skill_id);
    assert_eq!(current[0]["level"]["code"], "P");
    assert_eq!(current[0]["source"], "manager");
    let others = array(&current[0], "other_views");
    assert_eq!(others.len(), 1);
    assert_eq!(
        (&others[0]["source"], &others[0]["level"]["code"]),
        (&"self".into(), &"W".into())
    );

    // A later self-assessment is recorded but does not override the manager's view.
    ok(
        &db.path,
        &["assess", "sam-jones", "odp:data-and-insight", "E"],
    );
    let detail = json(&db.path, &["person", "show", "sam-jones"]);
    assert_eq!(array(&detail, "history").len(), 3);
    let current = array(&detail, "current");
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["level"]["code"], "P");
    assert_eq!(current[0]["source"], "manager");
    assert_eq!(
        array(&current[0], "other_views")[0]["level"]["code"],
        "E",
        "the latest self view is kept"
    );

    // The gap report uses the manager's level: at HEO the role asks W, so P is above it.
    let gap = json(&db.path, &["gap", "sam-jones"]);
    assert_eq!(gap["grade"], "HEO");
    let line = find(
        array(&gap, "lines"),
        "skill.label",
        "Data and insight (core skill)",
    );
    assert_eq!(line["status"], "above");
    assert_eq!(line["held"]["level"]["code"], "P");
    assert_eq!(line["held"]["source"], "manager");

    // Evidence outranks the manager.
    ok(
        &db.path,
        &[
            "assess",
            "sam-jones",
            "Data and insight (core skill)",
            "W",
            "--source",
            "evidence",
        ],
    );
    let detail = json(&db.path, &["person", "show", "sam-jones"]);
    let current = &array(&detail, "current")[0];
    assert_eq!(
        (&current["source"], &current["level"]["code"]),
        (&"evidence".into(), &"W".into())
    );

    let table = ok(&db.path, &["person", "show", "sam-jones"]);
    assert!(
        table.contains("Team Leader (odp:team-leader) · grade HEO · reports to Grace Okafor"),
        "{table}"
    );
    assert!(table.contains("History (4 assessments)"), "{table}");
}

/// Essential before optional, emphasised before not, more levels to go first.
fn development_key(line: &Value) -> (bool, bool, std::cmp::Reverse<u64>) {
    (
        line["importance"] != "essential",
        line["emphasis"] != true,
        std::cmp::Reverse(line["steps"].as_u64().unwrap()),
    )
}

/// What the readiness should be from the lines: essential skills weigh 1, optional 0.5; a skill
/// below its level earns held/required.
fn expected_readiness(lines: &[Value]) -> f64 {
    let (mut earned, mut possible) = (0.0, 0.0);
    for line in lines {
        let weight = if line["importance"] == "essential" {
            1.0
        } else {
            0.5
        };
        let credit = match text(line, "status") {
            "met" | "above" => 1.0,
            "unassessed" => 0.0,
            "below" => {
                let held = line["held"]["level"]["rank"].as_f64().unwrap();
                let required = line["required"]["rank"].as_f64().unwrap();
                held / required
            }
            other => panic!("unknown status {other}"),
        };
        earned += weight * credit;
        possible += weight;
    }
    (earned / possible * 1000.0).round() / 10.0
}

fn check_gap_report(gap: &Value) {
    let readiness = gap["readiness"].as_f64().expect("readiness is a number");
    assert!((0.0..=100.0).contains(&readiness), "{readiness}");
    let lines = array(gap, "lines");
    assert!(
        (readiness - expected_readiness(lines)).abs() < 0.051,
        "readiness {readiness} for {lines:#?}"
    );

    for status in ["met", "above", "below", "unassessed"] {
        let n = lines.iter().filter(|l| l["status"] == status).count();
        assert_eq!(gap["counts"][status], n, "count of {status}");
    }
    for line in lines {
        let status = text(line, "status");
        assert!(
            ["met", "above", "below", "unassessed"].contains(&status),
            "{line:#}"
        );
        let why = text(line, "why");
        assert!(why.contains(text(&line["skill"], "label")), "{line:#}");
        assert_eq!(line["held"].is_null(), status == "unassessed", "{line:#}");
        if let (Some(held), Some(required)) = (
            line["held"]["level"]["rank"].as_u64(),
            line["required"]["rank"].as_u64(),
        ) {
            let want = match held.cmp(&required) {
                std::cmp::Ordering::Less => "below",
                std::cmp::Ordering::Equal => "met",
                std::cmp::Ordering::Greater => "above",
            };
            assert_eq!(status, want, "{line:#}");
            assert_eq!(
                line["steps"].as_u64().unwrap(),
                required.saturating_sub(held),
                "{line:#}"
            );
        }
    }

    // Development lists exactly the lines not yet satisfied, most pressing first.
    let development = array(gap, "development");
    let mut wanted: Vec<&str> = lines
        .iter()
        .filter(|l| l["status"] == "below" || l["status"] == "unassessed")
        .map(|l| text(&l["skill"], "key"))
        .collect();
    let mut got: Vec<&str> = development
        .iter()
        .map(|l| text(&l["skill"], "key"))
        .collect();
    got.sort_unstable();
    wanted.sort_unstable();
    assert_eq!(got, wanted);
    for pair in development.windows(2) {
        assert!(
            development_key(&pair[0]) <= development_key(&pair[1]),
            "out of order: {pair:#?}"
        );
    }
}

#[test]
fn gap_for_aisha_against_operations_manager() {
    let db = Db::demo();
    let gap = json(
        &db.path,
        &[
            "gap",
            "aisha-rahman",
            "--target",
            "odp:operations-manager",
            "--grade",
            "G7",
        ],
    );
    assert_eq!(gap["role"]["key"], "operations-manager");
    assert_eq!(gap["role"]["framework"], "odp");
    assert_eq!(gap["grade"], "G7");
    assert!(text(&gap, "attribution").contains("Operational Delivery Profession"));
    let lines = array(&gap, "lines");
    assert_eq!(lines.len(), 5);
    for line in lines {
        assert!(!text(line, "why").trim().is_empty(), "{line:#}");
    }
    // Each required level is the role's published level at G7.
    let role = json(&db.path, &["role", "show", "odp:operations-manager"]);
    for line in lines {
        let label = text(&line["skill"], "label");
        let published = &find(array(&role, "requirements"), "skill", label)["levels"]["G7"];
        assert_eq!(&line["required"]["code"], published, "{label}");
    }
    check_gap_report(&gap);

    // The table says the same.
    let table = ok(
        &db.path,
        &[
            "gap",
            "aisha-rahman",
            "--target",
            "odp:operations-manager",
            "--grade",
            "G7",
        ],
    );
    assert!(
        table.contains("Aisha Rahman against Operations Manager (odp:operations-manager) at G7"),
        "{table}"
    );
    assert!(
        table.contains(&format!(
            "Readiness {:.1}%",
            gap["readiness"].as_f64().unwrap()
        )),
        "{table}"
    );
}

#[test]
fn gap_for_a_new_person_is_all_unassessed() {
    let db = Db::init();
    ok(
        &db.path,
        &[
            "person",
            "add",
            "Fresh Start",
            "--role",
            "odp:business-management",
            "--grade",
            "G7",
        ],
    );
    // The grade defaults to the person's own.
    let gap = json(&db.path, &["gap", "fresh-start"]);
    assert_eq!(gap["grade"], "G7");
    assert_eq!(gap["readiness"].as_f64(), Some(0.0));
    let lines = array(&gap, "lines");
    assert_eq!(lines.len(), 5);
    assert!(
        lines
            .iter()
            .all(|l| l["status"] == "unassessed" && l["held"].is_null()),
        "{lines:#?}"
    );
    assert_eq!(gap["counts"]["unassessed"], 5);
    assert_eq!(array(&gap, "development").len(), 5);
    check_gap_report(&gap);

    // Against a role that does not have the person's grade, the role's lowest grade is used.
    let gap = json(
        &db.path,
        &[
            "gap",
            "fresh-start",
            "--target",
            "odp:front-line-help-and-advice",
        ],
    );
    assert_eq!(gap["grade"], "AA");
    assert_eq!(gap["readiness"].as_f64(), Some(0.0));
    check_gap_report(&gap);
}

#[test]
fn gap_after_assessments_counts_partial_credit() {
    let db = Db::init();
    ok(
        &db.path,
        &[
            "person",
            "add",
            "Pat Lee",
            "--role",
            "odp:team-leader",
            "--grade",
            "SEO",
        ],
    );
    // At SEO the role asks P for Data and insight and W for Connections and communication.
    ok(
        &db.path,
        &[
            "assess",
            "pat-lee",
            "Data and insight (core skill)",
            "W",
            "--source",
            "manager",
        ],
    );
    ok(
        &db.path,
        &["assess", "pat-lee", "Connections and communication", "E"],
    );
    ok(
        &db.path,
        &["assess", "pat-lee", "Adaptability to change", "W"],
    );
    let gap = json(&db.path, &["gap", "pat-lee"]);
    let lines = array(&gap, "lines");
    let status = |label: &str| text(find(lines, "skill.label", label), "status").to_owned();
    assert_eq!(status("Data and insight (core skill)"), "below");
    assert_eq!(status("Connections and communication"), "above");
    assert_eq!(status("Adaptability to change"), "met");
    assert_eq!(
        status("Operational leadership and management"),
        "unassessed"
    );
    assert_eq!(
        find(lines, "skill.label", "Data and insight (core skill)")["steps"],
        1
    );
    // 1 + 1 + 2/3 out of 5.
    assert_eq!(gap["readiness"].as_f64(), Some(53.3));
    check_gap_report(&gap);
    // Unassessed essentials with more levels to go come before a one-level gap.
    let development = array(&gap, "development");
    assert_eq!(development.len(), 3);
    assert_eq!(
        development.last().unwrap()["skill"]["label"],
        "Data and insight (core skill)",
        "{development:#?}"
    );

    let csv = ok(&db.path, &["gap", "pat-lee", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "skill");
    assert_eq!(reader.records().count(), 5);
}

#[test]
fn assess_none_records_a_held_level_that_is_a_gap_not_unassessed() {
    let db = Db::demo();
    add_sam(&db.path);
    let said = ok(
        &db.path,
        &["assess", "sam-jones", "Adaptability to change", "none"],
    );
    assert!(said.contains("none (not held)"), "{said}");
    let gap = json(&db.path, &["gap", "sam-jones"]);
    let adaptability = find(array(&gap, "lines"), "status", "below");
    assert_eq!(adaptability["skill"]["label"], "Adaptability to change");
    assert_eq!(adaptability["held"]["level"]["code"], "none");
    assert_eq!(adaptability["held"]["level"]["rank"], 0);
    assert_eq!(gap["counts"]["unassessed"], 4);
    // A level the scale lacks names "none" among the answers.
    let err = crate::fail(
        &db.path,
        &["assess", "sam-jones", "Adaptability to change", "X"],
    );
    assert!(err.contains("E (Expert), or none (not held)"), "{err}");
}

/// A role that lists no skill requirements (the ops-compared roles, the standards roles) gives no
/// readiness: not "100% ready, every requirement is met", but a statement that it lists none.
#[test]
fn a_role_without_skill_requirements_gives_no_readiness() {
    let db = Db::demo();
    for role in [
        "ops-compared:operations-manager",
        "ops-compared:head-of-operations",
        "standards:senior-leader",
    ] {
        let gap = json(&db.path, &["gap", "aisha-rahman", "--target", role]);
        assert_eq!(gap["readiness"], Value::Null, "{role}: {gap}");
        assert!(array(&gap, "lines").is_empty(), "{role}: {gap}");
        let table = ok(&db.path, &["gap", "aisha-rahman", "--target", role]);
        assert!(table.contains("lists no skill requirements"), "{table}");
        assert!(!table.contains('%'), "{table}");
        assert!(!table.contains("every requirement is met"), "{table}");
    }
    // Ranking a team for such a role gives no figures either.
    let team = ok(
        &db.path,
        &[
            "team",
            "matrix",
            "grace-okafor",
            "--role",
            "ops-compared:operations-manager",
        ],
    );
    assert!(
        team.contains("Operations Manager lists no skill requirements, so nobody can be ranked"),
        "{team}"
    );
    assert!(!team.contains("100% ready"), "{team}");
}

/// 50 people under Grace Okafor, each in the Billing team; `changed` of them (from the first)
/// with another grade.
fn fifty_people_csv(changed: usize) -> String {
    let mut csv = String::from("email,name,role,grade,manager,team,key\n");
    for i in 0..50 {
        let grade = if i < changed { "SEO" } else { "EO" };
        csv.push_str(&format!(
            "p{i}@example.org,Person {i:02},odp:team-leader,{grade},grace-okafor,Billing,person-{i:02}\n"
        ));
    }
    csv
}

#[test]
fn import_people_csv_creates_then_updates_only_what_changed() {
    let db = Db::demo();
    let before = crate::people_count(&db.path);
    let first = db.file("team.csv", &fifty_people_csv(0));
    let outcome = json(&db.path, &["import", "people", first.to_str().unwrap()]);
    assert_eq!(array(&outcome, "created").len(), 50);
    assert_eq!(crate::people_count(&db.path), before + 50);

    let second = db.file("team-2.csv", &fifty_people_csv(3));
    let out = ok(&db.path, &["import", "people", second.to_str().unwrap()]);
    assert!(out.contains("0 created, 3 updated, 47 unchanged."), "{out}");
    assert_eq!(crate::people_count(&db.path), before + 50, "no duplicates");
    let person = json(&db.path, &["person", "show", "person-01"]);
    assert_eq!(person["grade"], "SEO");
    assert_eq!(person["email"], "p1@example.org");
}

#[test]
fn import_people_csv_reports_problems_as_file_line_column_and_stores_nothing() {
    let db = Db::demo();
    let before = crate::people_count(&db.path);
    let file = db.file(
        "team.csv",
        "key,name,grade,role\nann,Ann,Z9,odp:team-leader\nbo,,,\n",
    );
    let err = crate::fail(&db.path, &["import", "people", file.to_str().unwrap()]);
    assert!(err.contains("team.csv:2:3: grade:"), "{err}");
    assert!(err.contains("team.csv:3:2: name:"), "{err}");
    assert_eq!(crate::people_count(&db.path), before);
}

#[test]
fn person_edit_moves_and_refuses_a_loop_and_archive_hides_from_the_list() {
    let db = Db::demo();
    let moved = json(
        &db.path,
        &["person", "edit", "raj-patel", "--manager", "liam-doyle"],
    );
    assert_eq!(moved["manager"], "Liam Doyle");
    let err = crate::fail(
        &db.path,
        &[
            "person",
            "edit",
            "aisha-rahman",
            "--manager",
            "daniel-mensah",
        ],
    );
    assert!(err.contains("manager") && err.contains("loop"), "{err}");

    let before = crate::people_count(&db.path);
    let archived = json(&db.path, &["person", "archive", "owen-price"]);
    assert!(archived["archived_at"].is_string());
    assert_eq!(crate::people_count(&db.path), before - 1);
    let shown = json(&db.path, &["person", "show", "owen-price"]);
    assert!(shown["archived_at"].is_string(), "their record stays");
    ok(&db.path, &["person", "unarchive", "owen-price"]);
    assert_eq!(crate::people_count(&db.path), before);
}
