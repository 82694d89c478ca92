//! Integration tests for the `rolemap` binary: every test runs the real executable against its own
//! SQLite database in a temporary directory. One test binary, one module per area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod authoring;
mod browser;
mod case;
mod crosswalk;
mod errors;
mod esco;
mod extract;
mod files;
mod frameworks;
mod generate;
mod import;
mod names;
mod oidc;
mod onet;
mod people;
mod postgres;
mod routes;
mod rsd;
mod search;
mod team;
mod titles;
mod users;
mod xlsx;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use serde_json::Value;
use tempfile::TempDir;

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `rolemap --db DB ARGS...` with a fixed terminal width and no inherited database setting.
pub fn rolemap(db: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_rolemap"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("COLUMNS", "200")
        .env_remove("ROLEMAP_DB")
        .env_remove("RUST_LOG")
        .output()
        .expect("run the rolemap binary");
    Run {
        status: output.status,
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Adds a user (`rolemap user add USERNAME --role ROLE --password-stdin`) and returns a fresh API
/// token of theirs, for tests that talk to `rolemap serve` over HTTP.
pub fn api_token(db: &Path, username: &str, role: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolemap"))
        .arg("--db")
        .arg(db)
        .args(["user", "add", username, "--role", role, "--password-stdin"])
        .env_remove("ROLEMAP_DB")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("run rolemap user add");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a long enough password\n")
        .expect("write the password");
    assert!(child.wait().expect("user add").success(), "user add failed");
    let out = ok(
        db,
        &["user", "token", "create", username, "--name", "tests"],
    );
    out.lines().last().expect("the token").trim().to_owned()
}

/// Runs a command that must succeed and returns its standard output.
pub fn ok(db: &Path, args: &[&str]) -> String {
    let run = rolemap(db, args);
    assert!(
        run.status.success(),
        "rolemap {args:?} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        run.status,
        run.stdout,
        run.stderr
    );
    run.stdout
}

/// Runs a command that must fail and returns its standard error (standard output must be empty).
pub fn fail(db: &Path, args: &[&str]) -> String {
    let run = rolemap(db, args);
    assert!(
        !run.status.success(),
        "rolemap {args:?} succeeded but should have failed:\nstdout:\n{}",
        run.stdout
    );
    assert!(
        run.stderr.starts_with("error: "),
        "stderr of {args:?}: {}",
        run.stderr
    );
    run.stderr
}

/// Runs a command with `--format json` added and parses its output.
pub fn json(db: &Path, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let out = ok(db, &args);
    serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("rolemap {args:?} gave invalid JSON ({e}):\n{out}"))
}

/// A temporary directory holding the database file `t.db` (not yet created), or, on PostgreSQL,
/// for the test's other files.
#[derive(Debug)]
pub struct Db {
    pub dir: TempDir,
    /// What `--db` is given: the file, or the URL of the test's PostgreSQL schema.
    pub path: PathBuf,
    /// The PostgreSQL schema, dropped with the value.
    pub pg: Option<rolemap_store::testing::PgSchema>,
}

impl Db {
    /// An empty database.
    pub fn empty() -> Db {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("t.db");
        Db {
            dir,
            path,
            pg: None,
        }
    }

    /// An empty PostgreSQL database (a fresh schema on the test server), or `None` after saying
    /// the test is skipped (see `rolemap_store::testing`).
    pub fn postgres(test: &str) -> Option<Db> {
        let schema = rolemap_store::testing::PgSchema::create_blocking(test)?;
        Some(Db {
            dir: tempfile::tempdir().expect("temporary directory"),
            path: PathBuf::from(schema.url()),
            pg: Some(schema),
        })
    }

    /// A database after `rolemap init`.
    pub fn init() -> Db {
        let db = Db::empty();
        ok(&db.path, &["init"]);
        db
    }

    /// A database after `rolemap init --demo`.
    pub fn demo() -> Db {
        let db = Db::empty();
        ok(&db.path, &["init", "--demo"]);
        db
    }

    /// Writes a file next to the database and returns its path.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write a test file");
        path
    }
}

/// The JSON array at `value[key]`.
pub fn array<'a>(value: &'a Value, key: &str) -> &'a Vec<Value> {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("'{key}' is not an array in {value:#}"))
}

/// The string at `value[key]`.
pub fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("'{key}' is not a string in {value:#}"))
}

/// The entry of a JSON array whose `field` (a string, possibly nested as `a.b`) equals `want`.
pub fn find<'a>(list: &'a [Value], field: &str, want: &str) -> &'a Value {
    let get = |v: &'a Value| field.split('.').fold(v, |v, k| &v[k]);
    let found: Vec<&Value> = list
        .iter()
        .filter(|v| get(v).as_str() == Some(want))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one entry with {field} = {want:?} in {list:#?}"
    );
    found[0]
}

/// The rank of a level code on the ODP scale (A < W < P < E).
pub fn odp_rank(code: &str) -> u8 {
    match code {
        "A" => 1,
        "W" => 2,
        "P" => 3,
        "E" => 4,
        other => panic!("not an ODP level code: {other}"),
    }
}

/// How many people are stored.
pub fn people_count(db: &Path) -> usize {
    json(db, &["person", "list"])
        .as_array()
        .expect("people list is an array")
        .len()
}
