//! Reading ESCO from paths: zips, the folders they unpack to, or single CSV files, in parallel.

use super::*;

/// Reads ESCO from paths: the classification zip and the relations zip as downloaded, the folders
/// they unpack to, a folder holding the zips, or single CSV files, in any order. The release is
/// taken from the names (`esco-v1.1.1-...`) unless `options.version` gives it. `progress` hears of
/// each file read, with its row count.
///
/// The zips (or CSV files) are read in parallel, one reader each, and their readers joined in
/// the order of the paths: the result is the same as reading them one after the other. Where two
/// of them overlap (the same file kind or concept in both), they are read again one after the
/// other, so that the later one is the duplicate, as it would be.
pub fn open(
    paths: &[PathBuf],
    options: EscoOptions,
    progress: &mut dyn FnMut(&str, usize),
) -> Result<EscoData, Diagnostics> {
    let mut steps = Vec::new();
    for path in paths {
        collect_steps(path, &mut steps);
    }
    let sources = steps.iter().filter(|s| s.is_source()).count();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(sources);
    let joined = if threads > 1 {
        read_in_parallel(&steps, &options, threads)
    } else {
        None
    };
    let (reader, mut problems) = match joined {
        Some((reader, problems, calls)) => {
            for (name, rows) in calls {
                progress(&name, rows);
            }
            (reader, problems)
        }
        None => read_in_turn(&steps, options, progress),
    };
    let result = reader.finish();
    if problems.is_empty() {
        return result;
    }
    if let Err(more) = result {
        problems.extend(more.0);
    }
    Err(Diagnostics(problems))
}

/// What reading the paths comes to, in order: release numbers in folder and zip names, folders
/// that cannot be listed, and the zips and CSV files to read.
#[derive(Debug)]
pub(super) enum Step {
    Version(String),
    Problem(Diagnostic),
    Zip(PathBuf),
    Csv(PathBuf),
}

impl Step {
    fn is_source(&self) -> bool {
        matches!(self, Step::Zip(_) | Step::Csv(_))
    }
}

pub(super) fn collect_steps(path: &Path, steps: &mut Vec<Step>) {
    let name = path.display().to_string();
    if path.is_dir() {
        if let Some(dir) = path.file_name() {
            steps.push(Step::Version(dir.to_string_lossy().into_owned()));
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                steps.push(Step::Problem(io_problem(path, e)));
                return;
            }
        };
        entries.sort();
        for entry in entries {
            let lower = entry.to_string_lossy().to_ascii_lowercase();
            if entry.is_dir() || lower.ends_with(".csv") || lower.ends_with(".zip") {
                collect_steps(&entry, steps);
            }
        }
    } else if name.to_ascii_lowercase().ends_with(".zip") {
        if let Some(file) = path.file_name() {
            steps.push(Step::Version(file.to_string_lossy().into_owned()));
        }
        steps.push(Step::Zip(path.to_owned()));
    } else {
        steps.push(Step::Csv(path.to_owned()));
    }
}

/// What reading one zip or CSV file gave besides the reader's model: the files read with their
/// row counts (for progress) and the problems opening them.
#[derive(Debug, Default)]
pub(super) struct SourceRead {
    files: Vec<(String, usize)>,
    problems: Vec<Diagnostic>,
}

/// Reads every step with one reader, one file after the other.
pub(super) fn read_in_turn(
    steps: &[Step],
    options: EscoOptions,
    progress: &mut dyn FnMut(&str, usize),
) -> (EscoReader, Vec<Diagnostic>) {
    let mut reader = EscoReader::new(options);
    let mut problems = Vec::new();
    for step in steps {
        match step {
            Step::Version(name) => note_version(&mut reader, name),
            Step::Problem(problem) => problems.push(problem.clone()),
            Step::Zip(_) | Step::Csv(_) => {
                let read = read_source(step, &mut reader);
                for (name, rows) in &read.files {
                    progress(name, *rows);
                }
                problems.extend(read.problems);
            }
        }
    }
    (reader, problems)
}

/// Reads each zip or CSV file with a reader of its own on `threads` threads, then joins the
/// readers in order; `None` if two of them overlap. Also returns the progress calls to make.
#[allow(clippy::type_complexity)]
pub(super) fn read_in_parallel(
    steps: &[Step],
    options: &EscoOptions,
    threads: usize,
) -> Option<(EscoReader, Vec<Diagnostic>, Vec<(String, usize)>)> {
    let sources: Vec<&Step> = steps.iter().filter(|s| s.is_source()).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<(EscoReader, SourceRead)>>> = sources
        .iter()
        .map(|_| std::sync::Mutex::new(None))
        .collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let (Some(step), Some(slot)) = (sources.get(i), slots.get(i)) else {
                        break;
                    };
                    let mut reader = EscoReader::new(options.clone());
                    let read = read_source(step, &mut reader);
                    if let Ok(mut slot) = slot.lock() {
                        *slot = Some((reader, read));
                    }
                }
            });
        }
    });
    let mut reads = slots
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten());
    let mut reader = EscoReader::new(options.clone());
    let mut problems = Vec::new();
    let mut calls = Vec::new();
    for step in steps {
        match step {
            Step::Version(name) => note_version(&mut reader, name),
            Step::Problem(problem) => problems.push(problem.clone()),
            Step::Zip(_) | Step::Csv(_) => {
                let (source, read) = reads.next()??;
                if !reader.append(source) {
                    return None;
                }
                calls.extend(read.files);
                problems.extend(read.problems);
            }
        }
    }
    Some((reader, problems, calls))
}

pub(super) fn io_problem(path: &Path, error: impl std::fmt::Display) -> Diagnostic {
    diagnostic(
        &path.display().to_string(),
        0,
        0,
        "",
        "unreadable",
        format!("cannot read: {error}"),
    )
}

pub(super) fn note_version(reader: &mut EscoReader, name: &str) {
    if let Some(version) = version_in_name(name) {
        reader.saw_version(name, &version);
    }
}

/// Reads one zip (every CSV in it) or one CSV file into `reader`.
pub(super) fn read_source(step: &Step, reader: &mut EscoReader) -> SourceRead {
    let mut read = SourceRead::default();
    match step {
        Step::Zip(path) => {
            let name = path.display().to_string();
            let file = match File::open(path) {
                Ok(file) => file,
                Err(e) => {
                    read.problems.push(io_problem(path, e));
                    return read;
                }
            };
            let mut archive = match zip::ZipArchive::new(BufReader::new(file)) {
                Ok(archive) => archive,
                Err(e) => {
                    read.problems.push(io_problem(path, e));
                    return read;
                }
            };
            for i in 0..archive.len() {
                let entry = match archive.by_index(i) {
                    Ok(entry) => entry,
                    Err(e) => {
                        read.problems.push(io_problem(path, e));
                        continue;
                    }
                };
                if entry.is_dir() {
                    continue;
                }
                let entry_name = match entry.name() {
                    Ok(entry_name) => entry_name.into_owned(),
                    Err(e) => {
                        read.problems.push(io_problem(path, e));
                        continue;
                    }
                };
                if !entry_name.to_ascii_lowercase().ends_with(".csv") {
                    continue;
                }
                let shown = format!("{name}/{entry_name}");
                if let Some(rows) = reader.add(&shown, BufReader::with_capacity(1 << 16, entry)) {
                    read.files.push((shown, rows));
                }
            }
        }
        Step::Csv(path) => {
            let name = path.display().to_string();
            match File::open(path) {
                Ok(file) => {
                    if let Some(rows) = reader.add(&name, BufReader::with_capacity(1 << 16, file)) {
                        read.files.push((name, rows));
                    }
                }
                Err(e) => read.problems.push(io_problem(path, e)),
            }
        }
        Step::Version(_) | Step::Problem(_) => {}
    }
    read
}
