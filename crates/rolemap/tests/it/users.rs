//! `rolemap user ...` and the sign-ins `serve` prints.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{Db, Run, fail, json, ok, text};

/// Runs `rolemap --db DB ARGS...` with `input` on standard input.
fn with_stdin(db: &Path, args: &[&str], input: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolemap"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ROLEMAP_DB")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the rolemap binary");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("wait");
    Run {
        status: output.status,
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
    }
}

const PASSWORD: &str = "a long enough password\n";

#[test]
fn user_add_links_a_person_and_list_shows_it_without_the_hash() {
    let db = Db::demo();
    let run = with_stdin(
        &db.path,
        &[
            "user",
            "add",
            "Raj",
            "--role",
            "employee",
            "--person",
            "raj-patel",
            "--email",
            "raj@example.org",
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert!(run.status.success(), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("Added user raj (employee), linked to Raj Patel (raj-patel)."),
        "{}",
        run.stdout
    );
    let users = json(&db.path, &["user", "list"]);
    let users = users.as_array().expect("array");
    assert_eq!(users.len(), 1);
    assert_eq!(text(&users[0], "username"), "raj");
    assert_eq!(text(&users[0], "display_name"), "Raj Patel");
    assert_eq!(text(&users[0], "role"), "employee");
    assert!(
        !users[0].to_string().contains("argon2"),
        "no hash in the output"
    );
    let table = ok(&db.path, &["user", "list"]);
    assert!(table.contains("raj-patel"), "{table}");
}

#[test]
fn user_add_refuses_a_short_password_a_bad_role_and_a_taken_name() {
    let db = Db::init();
    let args = ["user", "add", "ann", "--role", "admin", "--password-stdin"];
    let short = with_stdin(&db.path, &args, "short\n");
    assert!(!short.status.success());
    assert!(
        short.stderr.contains("password: must be at least 12"),
        "{}",
        short.stderr
    );

    let bad_role = with_stdin(
        &db.path,
        &["user", "add", "ann", "--role", "boss", "--password-stdin"],
        PASSWORD,
    );
    assert!(!bad_role.status.success());
    assert!(
        bad_role
            .stderr
            .contains("role: 'boss' is not one of employee, manager, framework_owner, admin"),
        "{}",
        bad_role.stderr
    );

    assert!(with_stdin(&db.path, &args, PASSWORD).status.success());
    let taken = with_stdin(&db.path, &args, PASSWORD);
    assert!(
        taken.stderr.contains("username: 'ann' is taken"),
        "{}",
        taken.stderr
    );
}

#[test]
fn user_add_without_a_terminal_asks_for_password_stdin() {
    let db = Db::init();
    let run = with_stdin(&db.path, &["user", "add", "ann", "--role", "admin"], "");
    assert!(!run.status.success());
    assert!(run.stderr.contains("--password-stdin"), "{}", run.stderr);
    assert!(ok(&db.path, &["user", "list"]).contains("No users yet"));
}

#[test]
fn disable_reset_password_and_tokens_work_on_a_named_user() {
    let db = Db::init();
    let add = [
        "user",
        "add",
        "ann",
        "--role",
        "manager",
        "--password-stdin",
    ];
    assert!(with_stdin(&db.path, &add, PASSWORD).status.success());

    let out = ok(&db.path, &["user", "disable", "ann"]);
    assert!(out.contains("Disabled ann"), "{out}");
    let users = json(&db.path, &["user", "list"]);
    assert_eq!(users[0]["disabled"], true);
    ok(&db.path, &["user", "disable", "ann", "--enable"]);
    assert_eq!(json(&db.path, &["user", "list"])[0]["disabled"], false);

    let reset = with_stdin(
        &db.path,
        &["user", "reset-password", "ann", "--password-stdin"],
        "another long password\n",
    );
    assert!(reset.status.success(), "{}", reset.stderr);
    assert!(reset.stdout.contains("Set a new password for ann"));

    let made = json(
        &db.path,
        &["user", "token", "create", "ann", "--name", "ci"],
    );
    let token = text(&made, "token");
    assert!(token.starts_with("rolemap_"), "{token}");
    let id = made["id"].as_i64().expect("id").to_string();
    let listed = json(&db.path, &["user", "token", "list", "ann"]);
    assert!(listed[0].get("token").is_none(), "never listed again");
    let out = ok(&db.path, &["user", "token", "revoke", "ann", &id]);
    assert!(
        out.contains(&format!("Revoked API token {id} (ci)")),
        "{out}"
    );
    let listed = json(&db.path, &["user", "token", "list", "ann"]);
    assert!(listed[0]["revoked_at"].is_string());

    let missing = fail(&db.path, &["user", "disable", "nobody"]);
    assert!(missing.contains("no user named 'nobody'"), "{missing}");
}

/// Starts `rolemap serve` on a free port and returns what it printed up to "is running".
fn serve_banner(db: &Path, extra: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolemap"))
        .arg("--db")
        .arg(db)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .env_remove("ROLEMAP_DB")
        .env_remove("ROLEMAP_ADDR")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rolemap serve");
    let mut banner = String::new();
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    for line in lines.by_ref() {
        let line = line.expect("line");
        banner.push_str(&line);
        banner.push('\n');
        if line.contains("is running") {
            break;
        }
    }
    child.kill().expect("stop the server");
    child.wait().expect("wait");
    banner
}

#[test]
fn serve_without_users_says_how_to_create_the_first_administrator() {
    let db = Db::empty();
    let banner = serve_banner(&db.path, &[]);
    assert!(
        banner.contains("No users yet. Create the first administrator with:")
            && banner.contains("user add NAME --role admin"),
        "{banner}"
    );
}

#[test]
fn serve_demo_creates_demo_users_and_prints_their_sign_ins() {
    let db = Db::empty();
    let banner = serve_banner(&db.path, &["--demo"]);
    assert!(
        banner.contains("Demo sign-ins (demo data; password rolemap-demo):"),
        "{banner}"
    );
    for line in [
        "aisha    Aisha Rahman (manager)",
        "daniel   Daniel Mensah (employee)",
        "grace    Grace Okafor (admin)",
        "liam     Liam Doyle (framework owner)",
    ] {
        assert!(banner.contains(line), "{line} missing from:\n{banner}");
    }
    assert!(!banner.contains("No users yet"), "{banner}");
    let users = json(&db.path, &["user", "list"]);
    let users = users.as_array().expect("array");
    assert_eq!(users.len(), 4);
    assert!(
        users
            .iter()
            .all(|u| u["demo"] == true && u["person"].is_i64())
    );
}
