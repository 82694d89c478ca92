//! `rolemap import esco`: the ESCO release read on other threads from the start, with progress on
//! stderr, then stored in one transaction.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rolemap_formats::esco::{self, EscoOptions};
use rolemap_service::{Service, now};

use super::plural;
use crate::cli::{Command, ImportCommand};

/// An ESCO release being read on other threads, from the moment the command starts: the files
/// need no database, so the reading goes on while the database is opened and made ready.
pub struct EscoReading {
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
    rows_read: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    /// Whether each relation left out as dangling is listed, not only counted.
    list_dangling: bool,
    task: tokio::task::JoinHandle<Result<esco::EscoData, rolemap_formats::Diagnostics>>,
}

/// Starts what `command` can do before the database is open: reading an ESCO release.
pub fn start_early(command: &Command) -> Option<EscoReading> {
    match command {
        Command::Import(ImportCommand::Esco {
            paths,
            version,
            strict,
            list_dangling,
            skip_dangling: _,
        }) => Some(start_esco_read(
            paths,
            version.clone(),
            *strict,
            *list_dangling,
        )),
        _ => None,
    }
}

/// Starts reading ESCO. Progress goes to stderr: on a terminal a bar over the files (each
/// file's rows beside it); otherwise (CI, pipes, logs) one plain line per file.
pub(super) fn start_esco_read(
    paths: &[std::path::PathBuf],
    version: Option<String>,
    strict: bool,
    list_dangling: bool,
) -> EscoReading {
    let started = std::time::Instant::now();
    // Official releases name concepts they do not define (v1.1.1: 88 references), so leaving
    // those relations out is the default and refusing them is asked for.
    let options = EscoOptions {
        version,
        skip_dangling: !strict,
    };
    let bar = std::io::IsTerminal::is_terminal(&std::io::stderr())
        .then(|| esco_files_bar(esco_csv_count(paths)));
    let paths = paths.to_vec();
    let reading_bar = bar.clone();
    let rows_read = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&rows_read);
    // The zips are read in parallel and their files reported as each zip is done: a file's own
    // rate is not known, the rate of the whole read is given once it is done.
    let task = tokio::task::spawn_blocking(move || {
        esco::open(&paths, options, &mut |name, rows| {
            counted.fetch_add(rows, std::sync::atomic::Ordering::Relaxed);
            match &reading_bar {
                Some(bar) => {
                    // The folder or zip is in the path the user typed; the file name says enough.
                    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
                    bar.set_message(format!("{file}: {rows} rows"));
                    bar.inc(1);
                }
                None => note!("read {name}: {rows} rows"),
            }
        })
    });
    EscoReading {
        started,
        bar,
        rows_read,
        list_dangling,
        task,
    }
}

/// Waits for ESCO to be read, then stores it in one transaction: a spinner on a terminal while
/// storing; then the rows per second of the whole read.
pub(super) async fn import_esco(
    service: &Service,
    reading: EscoReading,
    out: &mut dyn Write,
) -> Result<()> {
    let EscoReading {
        started,
        bar,
        rows_read,
        list_dangling,
        task: reading,
    } = reading;
    // The database gets ready for the import while the files are read.
    let prepared = service.prepare_for_import().await;
    let read = reading.await;
    prepared?;
    if let Some(bar) = &bar {
        // Some files may not be ESCO's (ignored): the bar ends full once everything is read.
        if let Some(total) = bar.length() {
            bar.set_position(total);
        }
        bar.finish();
    }
    let data = read.context("reading ESCO stopped")?.map_err(|problems| {
        let dangling = problems.0.iter().all(|d| d.code == "unknown-concept");
        let hint = if dangling {
            "\nEvery problem is a relation to a concept no file defines: without --strict those are left out and counted."
        } else {
            ""
        };
        anyhow::anyhow!("{problems}{hint}")
    })?;
    // Never freed: the process ends with this command, and handing half a million strings back
    // to the allocator one at a time would only delay the exit (about 20 ms for all of ESCO).
    let data = std::mem::ManuallyDrop::new(std::sync::Arc::new(data));
    if list_dangling {
        for skipped in &data.skipped {
            note!("skipped: {skipped}");
        }
    }
    let read = started.elapsed();
    let rows_read = rows_read.load(std::sync::atomic::Ordering::Relaxed);
    note!(
        "read ESCO {} in {:.2} s ({rows_read} rows, {:.0} rows/s); storing {} occupations, {} skills, {} occupation-skill relations",
        data.version,
        read.as_secs_f64(),
        rows_read as f64 / read.as_secs_f64().max(1e-6),
        data.occupations.len(),
        data.skills.len(),
        data.occupation_skills.len()
    );
    let spinner = bar.is_some().then(|| {
        let spinner = indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} storing in one transaction [{elapsed}]",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        spinner.enable_steady_tick(std::time::Duration::from_millis(100));
        spinner
    });
    let outcome = service
        .import_esco(
            std::sync::Arc::clone(&data),
            &rolemap_store::Actor::cli(),
            &now(),
        )
        .await;
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    let outcome = outcome?;
    let stored = started.elapsed() - read;
    if !outcome.created {
        writeln!(
            out,
            "ESCO {} is already stored; nothing changed.",
            outcome.version
        )?;
        return Ok(());
    }
    note!("stored in {:.2} s", stored.as_secs_f64());
    writeln!(
        out,
        "Imported ESCO {}: {} occupations, {} skills, {} occupation-skill relations ({} read, {} skipped as dangling).",
        outcome.version,
        outcome.roles,
        outcome.skills,
        data.occupation_skills.len(),
        data.occupation_skill_rows,
        data.occupation_skill_rows - data.occupation_skills.len(),
    )?;
    writeln!(
        out,
        "Also stored: {} ISCO groups, {} skill groups, {} broader relations, {} skill-skill relations, {} skills hierarchy rows, {} collections.",
        data.isco_groups.len(),
        data.skill_groups.len(),
        data.broader.len(),
        data.skill_skills.len(),
        data.hierarchy.len(),
        data.collections.len(),
    )?;
    if !data.skipped.is_empty() {
        writeln!(
            out,
            "{} reference{} to concepts no file defines left out ({}; --strict refuses them).",
            data.skipped.len(),
            plural(data.skipped.len()),
            if list_dangling {
                "listed on standard error"
            } else {
                "--list-dangling lists them"
            }
        )?;
    }
    writeln!(out, "Source: {}.", esco::ATTRIBUTION)?;
    Ok(())
}

/// The progress bar over the ESCO files, with `total` files when they could be counted.
fn esco_files_bar(total: Option<u64>) -> indicatif::ProgressBar {
    let bar = match total {
        Some(total) => indicatif::ProgressBar::new(total),
        None => indicatif::ProgressBar::no_length(),
    };
    let template = if total.is_some() {
        "reading ESCO [{elapsed}] {bar:24} {pos}/{len} files  {wide_msg}"
    } else {
        "{spinner} reading ESCO [{elapsed}] {pos} files  {wide_msg}"
    };
    let style = indicatif::ProgressStyle::with_template(template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    // Redraw while a large file is read, so the clock runs between files.
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

/// How many CSV files `esco::open` will look at in these paths (folders, zips, single files), or
/// `None` if one of them cannot be listed (reading will then report it).
fn esco_csv_count(paths: &[std::path::PathBuf]) -> Option<u64> {
    fn is(path: &Path, extension: &str) -> bool {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(extension))
    }
    let mut count = 0;
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).ok()?;
            let entries: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            let listed: Vec<_> = entries
                .into_iter()
                .filter(|e| e.is_dir() || is(e, "csv") || is(e, "zip"))
                .collect();
            count += esco_csv_count(&listed)?;
        } else if is(path, "zip") {
            let file = std::fs::File::open(path).ok()?;
            let archive = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
            count += archive
                .file_names()
                .filter(|n| {
                    n.as_ref()
                        .is_ok_and(|n| n.to_ascii_lowercase().ends_with(".csv"))
                })
                .count() as u64;
        } else {
            count += 1;
        }
    }
    Some(count)
}
