//! `rolemap code-title`: job titles coded to the built-in frameworks' roles always, to ESCO's
//! occupations when `ROLEMAP_ESCO_DIR` names the folder of its zips.

use std::path::PathBuf;

use serde_json::Value;

use crate::{Db, fail, json, ok};

/// The first codes of a title: (framework:key, matched title, field) each.
fn codes(db: &Db, title: &str, extra: &[&str]) -> Vec<(String, String, String)> {
    let mut args = vec!["code-title", title];
    args.extend_from_slice(extra);
    let found = json(&db.path, &args);
    found
        .as_array()
        .expect("an array of codes")
        .iter()
        .map(|c| {
            let score = c["score"].as_f64().expect("a score");
            assert!(score > 0.0 && score <= 1.0, "{c}");
            (
                format!(
                    "{}:{}",
                    c["framework"].as_str().unwrap(),
                    c["key"].as_str().unwrap()
                ),
                c["matched"].as_str().unwrap().to_owned(),
                c["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn typical_job_titles_code_to_the_senior_leader_standard() {
    let db = Db::init();
    let found = codes(
        &db,
        "Chief operating officer",
        &["--framework", "standards"],
    );
    assert_eq!(
        found[0],
        (
            "standards:senior-leader".to_owned(),
            "Chief operating officer".to_owned(),
            "alternative".to_owned()
        )
    );
    // Across all frameworks, it is the standard or the role of that title.
    let found = codes(&db, "chief operating oficer", &[]);
    assert!(
        found[..2].iter().any(|c| c.0 == "standards:senior-leader"),
        "{found:?}"
    );
    let found = codes(&db, "divisonal head", &["--limit", "1"]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "standards:senior-leader", "{found:?}");
    assert_eq!(found[0].1, "Divisional head");
}

#[test]
fn abbreviations_code_to_operations_managers() {
    let db = Db::init();
    let found = codes(&db, "ops manager", &[]);
    assert!(found[0].0.ends_with(":operations-manager"), "{found:?}");
    let found = codes(&db, "snr IT ops mgr", &[]);
    assert_eq!(
        found[0].0, "esco-extract:ict-operations-manager",
        "{found:?}"
    );
    let table = ok(&db.path, &["code-title", "ops", "mgr"]);
    assert!(table.contains("Operations Manager"), "{table}");
}

#[test]
fn jsonl_in_order_with_ids() {
    let db = Db::init();
    let input = db.file(
        "titles.jsonl",
        "{\"id\": 1, \"title\": \"team leadr\"}\n\n{\"id\": \"b\", \"title\": \"CEO\"}\n",
    );
    let output = db.dir.path().join("codes.jsonl");
    let summary = ok(
        &db.path,
        &[
            "code-title",
            "--jsonl",
            input.to_str().unwrap(),
            output.to_str().unwrap(),
            "--limit",
            "2",
        ],
    );
    assert!(summary.contains("Coded 2 titles"), "{summary}");
    let lines: Vec<Value> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["matches"][0]["key"], "team-leader");
    assert_eq!(lines[1]["id"], "b");
    assert_eq!(lines[1]["matches"][0]["title"], "Chief Executive Officer");
    assert_eq!(lines[1]["matches"].as_array().unwrap().len(), 2);
}

#[test]
fn jsonl_errors_name_the_line_and_field() {
    let db = Db::init();
    let output = db.dir.path().join("codes.jsonl");
    let output = output.to_str().unwrap();
    let cases = [
        (
            "{\"id\": 1, \"title\": \"x\"}\n{\"id\": 2}\n",
            "line 2: field title is missing",
        ),
        ("{\"title\": \"x\"}\n", "line 1: field id is missing"),
        (
            "{\"id\": 1, \"title\": 7}\n",
            "line 1: field title must be a string",
        ),
        (
            "{\"id\": 1, \"title\": \"x\"}\nnot json\n",
            "line 2: not a JSON object",
        ),
    ];
    for (text, expected) in cases {
        let input = db.file("bad.jsonl", text);
        let stderr = fail(
            &db.path,
            &["code-title", "--jsonl", input.to_str().unwrap(), output],
        );
        assert!(stderr.contains(expected), "{text}: {stderr}");
    }
    let stderr = fail(
        &db.path,
        &["code-title", "manager", "--framework", "standard"],
    );
    assert!(stderr.contains("did you mean 'standards'"), "{stderr}");
}

/// ESCO v1.1.1's occupations, when `ROLEMAP_ESCO_DIR` names the folder of its zips.
#[test]
fn full_esco_titles() {
    let Some(dir) = std::env::var_os("ROLEMAP_ESCO_DIR") else {
        eprintln!("skipped: ROLEMAP_ESCO_DIR not set");
        return;
    };
    let dir = PathBuf::from(dir);
    let db = Db::empty();
    ok(
        &db.path,
        &["import", "esco", "--skip-dangling", dir.to_str().unwrap()],
    );
    let cases = [
        ("IT operations manager", "ICT operations manager"),
        ("manager ICT operations", "ICT operations manager"),
        ("sofware develper", "software developer"),
        ("Senior Software Developer", "software developer"),
        ("HR mgr", "human resources manager"),
        ("warehouse mgr", "warehouse manager"),
        ("chief exec officer", "chief executive officer"),
        // Titles of frequent words always get an answer.
        ("Sales Manager", "sales manager"),
        ("Office Manager", "office manager"),
        ("Sales Assistant", "sales assistant"),
        ("Delivery Driver", "car and van delivery driver"),
        ("Front End Developer", "user interface developer"),
    ];
    // Context words decide between the senses of a head word: never a property developer.
    let not_first = [("Java developer", "property developer")];
    let mut text = String::new();
    let titles = cases
        .iter()
        .map(|(t, _)| *t)
        .chain(not_first.iter().map(|(t, _)| *t));
    for (i, title) in titles.enumerate() {
        text.push_str(&format!("{{\"id\": {i}, \"title\": \"{title}\"}}\n"));
    }
    let input = db.file("titles.jsonl", &text);
    let output = db.dir.path().join("codes.jsonl");
    let started = std::time::Instant::now();
    ok(
        &db.path,
        &[
            "code-title",
            "--jsonl",
            input.to_str().unwrap(),
            output.to_str().unwrap(),
            "--framework",
            "esco",
        ],
    );
    eprintln!("indexed and coded in {:?}", started.elapsed());
    let lines: Vec<Value> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for ((title, expected), line) in cases.iter().zip(&lines) {
        let first = &line["matches"][0];
        eprintln!("{title} -> {} ({})", first["title"], first["matched"]);
        assert_eq!(first["title"], *expected, "{title}: {line}");
    }
    for ((title, wrong), line) in not_first.iter().zip(&lines[cases.len()..]) {
        let first = &line["matches"][0];
        eprintln!("{title} -> {} ({})", first["title"], first["matched"]);
        assert!(first["title"].is_string(), "{title}: {line}");
        assert_ne!(first["title"], *wrong, "{title}: {line}");
    }
}
