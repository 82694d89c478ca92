//! Files in, the first run, and output cut short: what rolemap says when a file is edited, dated
//! wrongly or malformed, when nothing is installed yet, and when its reader goes away.

use std::path::Path;
use std::process::{Command, ExitStatus};

use crate::{Db, ok};

fn esco_fixtures() -> [String; 2] {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rolemap-formats/tests/fixtures/esco");
    ["esco-v1.1.1-classification", "esco-v1.1.1-relations"]
        .map(|dir| base.join(dir).to_str().expect("UTF-8 path").to_owned())
}

/// Runs `rolemap --db DB ARGS...` with stdout and stderr both on a pipe nobody reads any more,
/// as `rolemap ... 2>&1 | head -2` leaves them once `head` has its lines.
fn with_closed_pipe(db: &Path, args: &[&str]) -> ExitStatus {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_rolemap"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ROLEMAP_DB")
        .env_remove("RUST_LOG")
        .stdout(writer.try_clone().expect("a second end"))
        .stderr(writer)
        .status()
        .expect("run the rolemap binary")
}

#[test]
fn a_closed_pipe_ends_the_command_quietly_rather_than_with_a_panic() {
    let db = Db::init();
    let [classification, relations] = esco_fixtures();
    // Progress lines go to stderr: the import still finishes, and says nothing of the pipe.
    let status = with_closed_pipe(&db.path, &["import", "esco", &classification, &relations]);
    assert_eq!(
        status.code(),
        Some(0),
        "import with a closed pipe: {status}"
    );
    let frameworks = ok(&db.path, &["frameworks"]);
    assert!(
        frameworks.contains("esco"),
        "the import was stored: {frameworks}"
    );

    // Output on stdout, and an error on stderr: neither panics.
    let status = with_closed_pipe(&db.path, &["skills", "--framework", "esco"]);
    assert_eq!(
        status.code(),
        Some(0),
        "skills with a closed pipe: {status}"
    );
    let status = with_closed_pipe(&db.path, &["role", "show", "no such role"]);
    assert_eq!(
        status.code(),
        Some(1),
        "a failing command with a closed pipe: {status}"
    );
}
