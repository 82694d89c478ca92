//! `rolemap extract` (one text, JSON lines) and `rolemap gap --text`, over the built-in framework.

use crate::{Db, array, fail, json, ok};

#[test]
fn extract_reports_skills_spans_and_negation() {
    let db = Db::init();
    let file = db.file(
        "advert.txt",
        "You will manage budgets. There is no need to train employees.",
    );
    let report = json(&db.path, &["extract", file.to_str().unwrap()]);
    let skills: Vec<&str> = array(&report, "skills")
        .iter()
        .map(|s| s["skill"]["label"].as_str().unwrap())
        .collect();
    assert_eq!(skills, ["manage budgets"]);
    let mentions = array(&report, "mentions");
    let negated: Vec<&str> = mentions
        .iter()
        .filter(|m| m["negated"] == true)
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(negated, ["train employees"]);
    let first = &mentions[0];
    assert_eq!(
        (first["start"].as_u64(), first["end"].as_u64()),
        (Some(9), Some(23))
    );
    assert_eq!(first["signal"], "label");
    // The table names the mentions too.
    let table = ok(&db.path, &["extract", file.to_str().unwrap()]);
    assert!(
        table.contains("manage budgets") && table.contains("negated"),
        "{table}"
    );
}

#[test]
fn extract_jsonl_streams_in_order_and_names_bad_lines() {
    let db = Db::init();
    let input = db.file(
        "in.jsonl",
        "{\"id\": 7, \"text\": \"Manage budgets.\"}\n\n{\"id\": \"b\", \"text\": \"Train employees.\"}\n",
    );
    let output = db.dir.path().join("out.jsonl");
    ok(
        &db.path,
        &[
            "extract",
            "--jsonl",
            input.to_str().unwrap(),
            output.to_str().unwrap(),
        ],
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], 7);
    assert_eq!(lines[1]["id"], "b");
    assert_eq!(lines[1]["skills"][0]["skill"]["key"], "train-employees");

    let bad = db.file(
        "bad.jsonl",
        "{\"id\": 1, \"text\": \"ok\"}\n{\"id\": 2, \"text\": 3}\n",
    );
    let error = fail(
        &db.path,
        &["extract", "--jsonl", bad.to_str().unwrap(), "-"],
    );
    assert!(
        error.contains("bad.jsonl:2") && error.contains("\"text\""),
        "{error}"
    );

    // A bad line after a whole batch already done: the earlier output stays as it was, and no
    // partial file is left beside it.
    let mut long = String::new();
    for i in 0..5000 {
        long.push_str(&format!("{{\"id\": {i}, \"text\": \"Manage budgets.\"}}\n"));
    }
    long.push_str("{\"id\": \"last\"}\n");
    let bad = db.file("long.jsonl", &long);
    let before = std::fs::read_to_string(&output).unwrap();
    let error = fail(
        &db.path,
        &[
            "extract",
            "--jsonl",
            bad.to_str().unwrap(),
            output.to_str().unwrap(),
        ],
    );
    assert!(error.contains("long.jsonl:5001"), "{error}");
    assert_eq!(std::fs::read_to_string(&output).unwrap(), before);
    let left: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn gap_text_shows_evidenced_and_missing_requirements() {
    let db = Db::init();
    let cv = db.file(
        "cv.txt",
        "Ten years of leadership and people management in a contact centre.",
    );
    let gap = json(
        &db.path,
        &[
            "gap",
            "--text",
            cv.to_str().unwrap(),
            "--target",
            "odp:operations-manager",
        ],
    );
    let lines = array(&gap, "lines");
    let evidenced: Vec<&str> = lines
        .iter()
        .filter(|l| l["evidenced"] == true)
        .map(|l| l["key"].as_str().unwrap())
        .collect();
    assert_eq!(evidenced, ["operational-leadership-and-management"]);
    assert_eq!(gap["essential_evidenced"], 1);
    let error = fail(&db.path, &["gap", "--text", cv.to_str().unwrap()]);
    assert!(error.contains("--target"), "{error}");
}

/// A realistic CV evidences most of the operations manager's core skills, each with its words,
/// through the skills' descriptions: ODP gives its core skills no other labels, and the CV says
/// "led" and "communicates" where the descriptions say "leading" and "communicating".
#[test]
fn a_realistic_cv_evidences_the_operations_manager_core_skills_it_speaks_of() {
    let db = Db::init();
    let cv = db.file(
        "cv.txt",
        "Operations Team Leader, City Contact Centre (2019 to present)\n\
         - Led the team through a CRM change.\n\
         - Communicates with partners and local agencies to resolve complex cases.\n\
         - Produces the weekly MI report for the senior management team.\n\
         - Looks after the rotas and training of 14 advisers.\n",
    );
    let gap = json(
        &db.path,
        &[
            "gap",
            "--text",
            cv.to_str().unwrap(),
            "--target",
            "odp:operations-manager",
        ],
    );
    let lines = array(&gap, "lines");
    let core = [
        "connections-and-communication",
        "operational-leadership-and-management",
        "adaptability-to-change",
        "data-and-insight",
        "delivery-and-decision-making-at-pace",
    ];
    let mut evidenced = Vec::new();
    for line in lines.iter().filter(|l| l["evidenced"] == true) {
        let key = line["key"].as_str().unwrap();
        let words: Vec<String> = array(line, "evidence")
            .iter()
            .map(|m| m["text"].as_str().unwrap().to_owned())
            .collect();
        eprintln!("{key}: {words:?}");
        assert!(words.iter().all(|w| !w.is_empty()), "{line}");
        if core.contains(&key) {
            evidenced.push(key);
        }
    }
    assert!(evidenced.len() >= 3, "{evidenced:?}\n{gap}");
    for key in ["connections-and-communication", "adaptability-to-change"] {
        assert!(evidenced.contains(&key), "{key} missing from {evidenced:?}");
    }
}
