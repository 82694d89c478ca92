//! Skill extraction benchmark on ESCO's labels and the synthetic advert corpus.
//!
//! `ESCO_DIR=/tmp/rolemap-bench/esco PERF_DATA=/tmp/rolemap-bench/data cargo run --release -p rolemap-text --example bench_extract`
//!
//! Reads every ESCO skill's preferred, alternative and hidden labels (and descriptions) from
//! `$ESCO_DIR/en/skills_en.csv`, the adverts from `$PERF_DATA/ads.txt` and the skills inserted
//! into each from `$PERF_DATA/ads_gold.tsv` (see `../shared/bench/c_make_corpus.py`). Builds the
//! extractor `BUILDS` times (default 3) and times the median; then, `RUNS` times (default 7),
//! extracts every advert with the label signal on all cores (every hit with its span, label,
//! negation and confidence), and as many times the skills alone (a set per advert, as the
//! baseline gives); then once single-threaded, and with the paraphrase signal too. Recall is counted as the baseline counts it: of the inserted
//! skills, the share found (not negated). The line `bench_extract labels median .. ms` is what
//! `scripts/bench-extract.sh` reads.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rolemap_text::{Extraction, Extractor, ExtractorBuilder, LabelKind, Scratch, Signals};

fn env_path(name: &str, default: &str) -> PathBuf {
    PathBuf::from(std::env::var(name).unwrap_or_else(|_| default.to_owned()))
}

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The CPU time this thread has used (Linux), so a busy machine disturbs the figure less.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn split_labels(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('\n').map(str::trim).filter(|l| !l.is_empty())
}

fn recall(results: &[Extraction], gold: &[Vec<u32>]) -> (usize, usize) {
    let mut hit = 0;
    let mut total = 0;
    for (result, gold) in results.iter().zip(gold) {
        let found = result.skills();
        hit += gold
            .iter()
            .filter(|g| found.binary_search(g).is_ok())
            .count();
        total += gold.len();
    }
    (hit, total)
}

fn main() {
    let esco = env_path("ESCO_DIR", "/tmp/rolemap-bench/esco");
    let data = env_path("PERF_DATA", "/tmp/rolemap-bench/data");
    let builds = env_count("BUILDS", 3).max(1);
    let runs = env_count("RUNS", 7).max(1);

    let mut reader = csv::Reader::from_path(esco.join("en/skills_en.csv")).expect("skills_en.csv");
    let headers = reader.headers().expect("a header").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (uri, preferred, alt, hidden, description) = (
        column("conceptUri"),
        column("preferredLabel"),
        column("altLabels"),
        column("hiddenLabels"),
        column("description"),
    );
    let mut numbers: HashMap<String, u32> = HashMap::new();
    let mut labels: Vec<(u32, String, LabelKind)> = Vec::new();
    let mut descriptions: Vec<(u32, String)> = Vec::new();
    for record in reader.records() {
        let record = record.expect("a skill row");
        let skill = numbers.len() as u32;
        numbers.insert(record[uri].to_owned(), skill);
        labels.push((skill, record[preferred].to_owned(), LabelKind::Preferred));
        for label in split_labels(&record[alt]) {
            labels.push((skill, label.to_owned(), LabelKind::Alternative));
        }
        for label in split_labels(&record[hidden]) {
            labels.push((skill, label.to_owned(), LabelKind::Hidden));
        }
        descriptions.push((skill, record[description].to_owned()));
    }
    let text = std::fs::read_to_string(data.join("ads.txt")).expect("ads.txt");
    let mut ads: Vec<&str> = text
        .strip_suffix('\n')
        .unwrap_or(&text)
        .split('\n')
        .collect();
    ads.truncate(env_count("ADS", ads.len()));
    let gold: Vec<Vec<u32>> = std::fs::read_to_string(data.join("ads_gold.tsv"))
        .expect("ads_gold.tsv")
        .lines()
        .map(|line| {
            let uris = line.split_once('\t').map_or("", |(_, g)| g);
            let mut skills: Vec<u32> = uris
                .split_whitespace()
                .filter_map(|u| numbers.get(u).copied())
                .collect();
            skills.sort_unstable();
            skills.dedup();
            skills
        })
        .collect();
    let megabytes = ads.iter().map(|a| a.len() + 1).sum::<usize>() as f64 / 1e6;

    let build = |with_descriptions: bool| -> Extractor {
        let mut builder = ExtractorBuilder::new();
        for (skill, label, kind) in &labels {
            builder.label(*skill, label, *kind);
        }
        if with_descriptions {
            for (skill, text) in &descriptions {
                builder.description(*skill, text);
            }
        }
        builder.build().expect("the extractor builds")
    };
    let mut build_times = Vec::new();
    let mut extractor = None;
    for _ in 0..builds {
        let started = Instant::now();
        extractor = Some(build(true));
        build_times.push(started.elapsed());
    }
    let extractor = extractor.expect("built");
    let started = Instant::now();
    let labels_only = build(false);
    let labels_only_build = started.elapsed();
    let (label_count, patterns) = extractor.size();
    println!(
        "bench_extract build median {:.1} ms ({} labels, {} patterns, {} skills; labels only {:.1} ms)",
        median(build_times).as_secs_f64() * 1e3,
        label_count,
        patterns,
        numbers.len(),
        labels_only_build.as_secs_f64() * 1e3,
    );
    drop(labels_only);

    // Warm up once (stem caches start empty in every run: each run makes its own scratch).
    let _ = extractor.extract_all(&ads, Signals::LABELS);
    let mut times = Vec::new();
    let mut results = Vec::new();
    for run in 1..=runs {
        let started = Instant::now();
        results = extractor.extract_all(&ads, Signals::LABELS);
        let elapsed = started.elapsed();
        println!(
            "run {run}: {:.1} ms, {:.0} ads/s",
            elapsed.as_secs_f64() * 1e3,
            ads.len() as f64 / elapsed.as_secs_f64()
        );
        times.push(elapsed);
    }
    let labels_median = median(times);
    let (hit, total) = recall(&results, &gold);
    let found: usize = results.iter().map(|r| r.skills().len()).sum();
    let negated: usize = results
        .iter()
        .map(|r| r.hits.iter().filter(|h| h.negated).count())
        .sum();

    // The skills alone, as the baseline gives them (a set per advert), with negation applied.
    let _ = extractor.skills_all(&ads);
    let mut skill_times = Vec::new();
    let mut skill_sets = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        skill_sets = extractor.skills_all(&ads);
        skill_times.push(started.elapsed());
    }
    let skills_median = median(skill_times);
    let skills_hit: usize = skill_sets
        .iter()
        .zip(&gold)
        .map(|(found, gold)| {
            gold.iter()
                .filter(|g| found.binary_search(g).is_ok())
                .count()
        })
        .sum();

    let started = Instant::now();
    let cpu_started = thread_cpu();
    let mut scratch = Scratch::default();
    for ad in &ads {
        let _ = extractor.extract_with(&mut scratch, ad, Signals::LABELS);
    }
    let single = started.elapsed();
    let single_cpu = thread_cpu().saturating_sub(cpu_started);

    let sample = &ads[..env_count("PARAPHRASE_ADS", 2000).min(ads.len())];
    let started = Instant::now();
    let with_paraphrase = extractor.extract_all(sample, Signals::ALL);
    let paraphrase_time = started.elapsed();
    let (p_hit, p_total) = recall(&with_paraphrase, &gold);
    let p_found: usize = with_paraphrase.iter().map(|r| r.skills().len()).sum();
    let l_hit: usize = recall(&results[..sample.len()], &gold).0;

    println!(
        "single thread: {:.1} ms, {:.0} ads/s; {:.1} ms of CPU, {:.0} ads per CPU second",
        single.as_secs_f64() * 1e3,
        ads.len() as f64 / single.as_secs_f64(),
        single_cpu.as_secs_f64() * 1e3,
        ads.len() as f64 / single_cpu.as_secs_f64().max(1e-9),
    );
    println!(
        "labels and paraphrase (all cores, first {} ads): {:.1} ms, {:.0} ads/s, mean skills/ad {:.1}, recall {:.3} (labels alone {:.3})",
        sample.len(),
        paraphrase_time.as_secs_f64() * 1e3,
        sample.len() as f64 / paraphrase_time.as_secs_f64(),
        p_found as f64 / sample.len().max(1) as f64,
        p_hit as f64 / p_total.max(1) as f64,
        l_hit as f64 / p_total.max(1) as f64,
    );
    println!(
        "ads {} ({megabytes:.1} MB), mean skills/ad {:.1}, negated hits {negated}, recall of inserted skills {:.3} ({hit}/{total}), threads {}",
        ads.len(),
        found as f64 / ads.len() as f64,
        hit as f64 / total.max(1) as f64,
        rayon::current_num_threads(),
    );
    println!(
        "bench_extract skills median {:.3} ms {:.0} ads/s recall {:.4}",
        skills_median.as_secs_f64() * 1e3,
        ads.len() as f64 / skills_median.as_secs_f64(),
        skills_hit as f64 / total.max(1) as f64,
    );
    println!(
        "bench_extract labels median {:.3} ms {:.0} ads/s recall {:.4}",
        labels_median.as_secs_f64() * 1e3,
        ads.len() as f64 / labels_median.as_secs_f64(),
        hit as f64 / total.max(1) as f64,
    );
    if let Some(line) = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_owned)
        })
    {
        println!("peak memory {}", line.trim_start_matches("VmHWM:").trim());
    }
}
