//! The rolemap binary: parses the command line, opens the database, runs one command.
//!
//! Only this crate reads the environment, picks the database file and names a concrete backend.

/// `eprintln!` for lines a person reads (progress, the final error): a closed stderr
/// (`rolemap ... 2>&1 | head -2`) drops the line rather than panicking, so the command ends as it
/// would have, quietly, instead of with exit code 101.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;
mod commands;
mod crosswalk;
mod extract;
mod map;
mod output;
mod render;
mod titles;

/// mimalloc rather than glibc's allocator: per allocation it does a fraction of the work, and a
/// server answer makes about a hundred.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Parser;
use rolemap_service::{Service, ServiceError};
use rolemap_store::Location;

use crate::cli::{Cli, Command, DbCommand};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Keeps the log writer's thread alive until the process ends, so no line is lost.
    let _log_guard = init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            note!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let user_error = error
                .downcast_ref::<ServiceError>()
                .is_some_and(ServiceError::is_user_error);
            // Import problems are already a full list; other errors get their context chain.
            if user_error {
                note!("error: {}", error.root_cause_message());
            } else {
                note!("error: {error:#}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Log lines (requests, faults) go to stderr; `RUST_LOG` chooses how many (default: info for rolemap).
/// A background thread does the writing, so a busy server does not wait on stderr for each line;
/// it is not lossy: when it falls behind, requests wait rather than lines vanish.
fn init_logging() -> tracing_appender::non_blocking::WorkerGuard {
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        // 16,384 lines in waiting rather than the default 128,000: the buffer is made whole at
        // the start, and 4 MB of it would cost every command a few milliseconds.
        .buffered_lines_limit(16_384)
        // The thread writes whatever lines are waiting, then flushes: one write for many lines
        // on a busy server (a write per line cost a tenth of its CPU), one per line when idle.
        .finish(std::io::BufWriter::new(std::io::stderr()));
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("warn,rolemap=info,rolemap_server=info")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    guard
}

/// Output cut short by a reader that stopped (`rolemap roles | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

trait RootMessage {
    fn root_cause_message(&self) -> String;
}

impl RootMessage for anyhow::Error {
    fn root_cause_message(&self) -> String {
        self.downcast_ref::<ServiceError>().map_or_else(
            || format!("{self:#}"),
            |e| e.to_string().trim_end().to_owned(),
        )
    }
}

/// The database: `--db`, else `ROLEMAP_DB` (clap reads both), else the file in the platform data
/// directory. A `postgres://` URL names a server, anything else a SQLite file.
fn database_location(cli: &Cli) -> Result<Location> {
    if let Some(db) = &cli.db {
        return Ok(Location::parse(db));
    }
    let base = dirs::data_dir()
        .context("cannot find a data directory for the database; pass --db PATH")?;
    Ok(Location::Sqlite(base.join("rolemap").join("rolemap.db")))
}

/// `rolemap db migrate` and `rolemap db status`.
async fn database_command(
    location: &Location,
    command: &DbCommand,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    if let DbCommand::Copy { from, to } = command {
        let (from, to) = (Location::parse(from), Location::parse(to));
        let copied = rolemap_store::transfer::copy(&from, &to)
            .await
            .with_context(|| format!("cannot copy {} to {}", from.shown(), to.shown()))?;
        writeln!(
            out,
            "Copied {} rows in {} tables from {} to {}",
            copied.rows,
            copied.tables,
            from.shown(),
            to.shown()
        )?;
        return Ok(());
    }
    let shown = location.shown();
    if let (DbCommand::Migrate, Location::Sqlite(path)) = (command, location)
        && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let before = location
        .migrations()
        .await
        .with_context(|| format!("cannot read the migrations of {shown}"))?;
    match command {
        DbCommand::Copy { .. } => {}
        DbCommand::Status => {
            writeln!(out, "Database: {shown}")?;
            for m in &before {
                let state = if m.applied { "applied" } else { "pending" };
                writeln!(out, "{:04} {state:<8} {}", m.version, m.description)?;
            }
            let pending = before.iter().filter(|m| !m.applied).count();
            writeln!(out, "{} applied, {pending} pending", before.len() - pending)?;
        }
        DbCommand::Migrate => {
            let store = location
                .open()
                .await
                .with_context(|| format!("cannot open the database {shown}"))?;
            store.close().await;
            let applied = before.iter().filter(|m| !m.applied).count();
            writeln!(
                out,
                "Database: {shown}\n{applied} migration(s) applied; the schema is up to date"
            )?;
        }
    }
    Ok(())
}

async fn run(cli: Cli) -> Result<()> {
    let location = database_location(&cli)?;
    if let Command::Db(command) = &cli.command {
        return database_command(&location, command, &mut std::io::stdout().lock()).await;
    }
    let shown = location.shown();
    // What commands print as the database (`--db` in the hints they give); a file's path, or
    // the server's URL without its password.
    let path = match &location {
        Location::Sqlite(path) => path.clone(),
        Location::Postgres(_) => PathBuf::from(&shown),
    };
    let before_init = cli.command.runs_before_init();
    if let Location::Sqlite(path) = &location {
        // Answering from a database that is not there would create an empty one and then
        // report every role as unknown.
        if !before_init && !path.exists() {
            return Err(nothing_installed(path));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
    }
    // Reading files that need no database starts first, and goes on while the database opens.
    let early = commands::start_early(&cli.command);
    let store = location
        .open()
        .await
        .with_context(|| format!("cannot open the database {shown}"))?;
    let service = Service::new(Arc::clone(&store));
    if !before_init && service.frameworks().await?.is_empty() {
        store.close().await;
        return Err(nothing_installed(&path));
    }
    let mut stdout = std::io::stdout().lock();
    let result = commands::run(&service, cli.command, &path, &mut stdout, early).await;
    // The connections are closed, so SQLite tidies its log files away; the rest (a search index
    // of tens of megabytes, say) is left for the end of the process to free all at once rather
    // than piece by piece.
    store.close().await;
    std::mem::forget(service);
    result
}

/// What a command that needs a framework says before one is installed: what to run.
fn nothing_installed(path: &std::path::Path) -> anyhow::Error {
    anyhow::anyhow!(
        "no framework is installed in {}: run `rolemap init` to install the built-in frameworks \
         (`rolemap init --demo` adds a demo team), or `rolemap import framework FILE.toml`, \
         `rolemap import esco ZIP...` or `rolemap import case FILE.json` to install your own",
        path.display()
    )
}
