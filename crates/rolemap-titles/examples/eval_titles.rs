//! Evaluates job-title coding on the held-out split of the TF-IDF baseline
//! (`/work/shared/bench/d_title_coding.py`), written out by `scripts/title_split.py`: builds the
//! index from the split's documents only, codes its queries, and reports top-1 and top-5 accuracy
//! exactly as the baseline computes them, the build time, batch queries per second (median of
//! `--repeat` runs) and single-query latency. `scripts/eval-title-coding.sh` runs it beside the
//! baseline.
//!
//!   cargo run --release -p rolemap-titles --example eval_titles -- DIR [--repeat 5]
//!       [--weights NAME=VALUE,...] [--tune]
//!
//! `--tune` prints the accuracy of a grid of weights instead (use another seed's split than the
//! one reported). `--context ESCO_DIR` (the unpacked classification and relations CSVs) gives
//! each occupation its description and its required skills' labels as context, as the service
//! does (`CONTEXT_PARTS=skills,description,isco` chooses; `isco` adds the ISCO group's label,
//! which the service does not pass: it added nothing on seed 11). `--ask TITLE` (repeatable)
//! prints the first three codes of a title instead.

use std::path::Path;
use std::time::Instant;

use rolemap_titles::{LabelKind, TitleEntry, TitleIndex, TitleMatch, Weights};

struct Query {
    label: String,
    hidden: bool,
    trivial: bool,
    gold: Vec<u32>,
}

type Failure = Box<dyn std::error::Error>;

/// Which queries an accuracy counts.
type Keep = dyn Fn(&Query) -> bool;

fn read_docs(dir: &Path) -> Result<Vec<TitleEntry>, Failure> {
    let text = std::fs::read_to_string(dir.join("docs.tsv"))?;
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [label, occupation, _uri, kind] = fields[..] else {
                return Err(format!("docs.tsv line {}: expected 4 fields", i + 1).into());
            };
            Ok(TitleEntry {
                occupation: occupation.parse()?,
                label: label.to_owned(),
                kind: if kind == "preferred" {
                    LabelKind::Preferred
                } else {
                    LabelKind::Alternative
                },
            })
        })
        .collect()
}

/// Each occupation of the split (by its URI in docs.tsv) with the preferred labels of the skills
/// ESCO relates to it: `skills_en.csv` and `occupationSkillRelations.csv` anywhere under `esco`.
fn read_context(dir: &Path, esco: &Path) -> Result<Vec<(u32, String)>, Failure> {
    let text = std::fs::read_to_string(dir.join("docs.tsv"))?;
    let mut occupations = std::collections::HashMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        if let [_, occupation, uri, _] = fields[..] {
            occupations.insert(uri.to_owned(), occupation.parse::<u32>()?);
        }
    }
    let find = |name: &str| -> Result<std::path::PathBuf, Failure> {
        for sub in ["", "en", "rel"] {
            let path = esco.join(sub).join(name);
            if path.exists() {
                return Ok(path);
            }
        }
        Err(format!("{name} not found under {}", esco.display()).into())
    };
    let mut labels = std::collections::HashMap::new();
    for record in csv::Reader::from_path(find("skills_en.csv")?)?.deserialize() {
        let record: std::collections::HashMap<String, String> = record?;
        labels.insert(
            record["conceptUri"].clone(),
            record["preferredLabel"].clone(),
        );
    }
    let parts = std::env::var("CONTEXT_PARTS").unwrap_or_else(|_| "skills,description".into());
    let mut context = Vec::new();
    let mut isco = std::collections::HashMap::new();
    for record in csv::Reader::from_path(find("ISCOGroups_en.csv")?)?.deserialize() {
        let record: std::collections::HashMap<String, String> = record?;
        isco.insert(record["code"].clone(), record["preferredLabel"].clone());
    }
    for record in csv::Reader::from_path(find("occupations_en.csv")?)?.deserialize() {
        let record: std::collections::HashMap<String, String> = record?;
        let Some(&occupation) = occupations.get(&record["conceptUri"]) else {
            continue;
        };
        if parts.contains("description") {
            context.push((occupation, record["description"].clone()));
        }
        if parts.contains("isco")
            && let Some(label) = isco.get(&record["iscoGroup"])
        {
            context.push((occupation, label.clone()));
        }
    }
    if !parts.contains("skills") {
        return Ok(context);
    }
    for record in csv::Reader::from_path(find("occupationSkillRelations.csv")?)?.deserialize() {
        let record: std::collections::HashMap<String, String> = record?;
        if let (Some(&occupation), Some(label)) = (
            occupations.get(&record["occupationUri"]),
            labels.get(&record["skillUri"]),
        ) {
            context.push((occupation, label.clone()));
        }
    }
    Ok(context)
}

fn read_queries(dir: &Path) -> Result<Vec<Query>, Failure> {
    let text = std::fs::read_to_string(dir.join("queries.tsv"))?;
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [label, kind, trivial, gold] = fields[..] else {
                return Err(format!("queries.tsv line {}: expected 4 fields", i + 1).into());
            };
            Ok(Query {
                label: label.to_owned(),
                hidden: kind == "hidden",
                trivial: trivial == "1",
                gold: gold.split(',').map(str::parse).collect::<Result<_, _>>()?,
            })
        })
        .collect()
}

/// Top-1 and top-5 accuracy over the queries `keep` selects, and how many it selects.
fn accuracy(
    queries: &[Query],
    predicted: &[Vec<TitleMatch>],
    keep: impl Fn(&Query) -> bool,
) -> (f64, f64, usize) {
    let (mut top1, mut top5, mut n) = (0usize, 0usize, 0usize);
    for (query, matches) in queries.iter().zip(predicted) {
        if !keep(query) {
            continue;
        }
        n += 1;
        let hit = |m: &TitleMatch| query.gold.contains(&m.occupation);
        top1 += usize::from(matches.first().is_some_and(hit));
        top5 += usize::from(matches.iter().take(5).any(hit));
    }
    let n_f = n.max(1) as f64;
    (top1 as f64 / n_f, top5 as f64 / n_f, n)
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// `words=0.5,spelling=0.5,...`: the weights to change from the defaults.
fn parse_weights(text: &str) -> Result<Weights, Failure> {
    let mut weights = Weights::default();
    for pair in text.split(',') {
        let (name, value) = pair
            .split_once('=')
            .ok_or("--weights takes NAME=VALUE,...")?;
        match name {
            "words" => weights.words = value.parse()?,
            "words_norm" => weights.words_norm = value.parse()?,
            "seniority" => weights.seniority = value.parse()?,
            "preferred" => weights.preferred = value.parse()?,
            "common_grams" => weights.common_grams = value.parse()?,
            "candidates" => weights.candidates = value.parse()?,
            "context" => weights.context = value.parse()?,
            "unknown" => weights.unknown = value.parse()?,
            "headless" => weights.headless = value.parse()?,
            "by_words" => weights.by_words = value.parse()?,
            _ => return Err(format!("no weight called {name}").into()),
        }
    }
    Ok(weights)
}

fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut repeat = 5usize;
    let mut weights = Weights::default();
    let mut tune = false;
    let mut dump = None;
    let mut context_dir = None;
    let mut asks: Vec<String> = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--repeat" => repeat = args.next().ok_or("--repeat needs a number")?.parse()?,
            "--weights" => weights = parse_weights(&args.next().ok_or("--weights needs values")?)?,
            "--tune" => tune = true,
            "--dump" => dump = Some(args.next().ok_or("--dump needs a file")?),
            "--context" => context_dir = Some(args.next().ok_or("--context needs a folder")?),
            "--ask" => asks.push(args.next().ok_or("--ask needs a title")?),
            _ => dir = Some(arg),
        }
    }
    let dir = dir.ok_or(
        "usage: eval_titles DIR [--repeat N] [--weights NAME=VALUE,...] [--tune] [--dump FILE]",
    )?;
    let dir = Path::new(&dir);
    let docs = read_docs(dir)?;
    let queries = read_queries(dir)?;
    let titles: Vec<&str> = queries.iter().map(|q| q.label.as_str()).collect();
    let context = match &context_dir {
        Some(esco) => read_context(dir, Path::new(esco))?,
        None => Vec::new(),
    };
    if tune {
        for words in [0.2f32, 0.3, 0.4] {
            for words_norm in [0.6f32, 0.75, 0.9] {
                for seniority in [0.5f32, 1.0] {
                    let w = Weights {
                        words,
                        words_norm,
                        seniority,
                        ..weights
                    };
                    let index = TitleIndex::build_with(docs.iter().cloned(), w);
                    let predicted = index.code_batch(&titles, 5);
                    let (a1, a5, _) = accuracy(&queries, &predicted, |_| true);
                    let (n1, n5, _) = accuracy(&queries, &predicted, |q| !q.trivial);
                    println!(
                        "words {words:.2} words_norm {words_norm:.2} seniority {seniority:.2}: all {a1:.3}/{a5:.3} non-trivial {n1:.3}/{n5:.3}"
                    );
                }
            }
        }
        return Ok(());
    }
    let repeat = repeat.max(1);
    let mut build_times = Vec::new();
    let mut index = None;
    for _ in 0..repeat {
        let started = Instant::now();
        let built = TitleIndex::build_with_context(docs.iter().cloned(), context.clone(), weights);
        build_times.push(started.elapsed().as_secs_f64());
        index = Some(built);
    }
    let index = index.ok_or("no index built")?;
    if !asks.is_empty() {
        let preferred: std::collections::HashMap<u32, &str> = docs
            .iter()
            .filter(|d| d.kind == LabelKind::Preferred)
            .map(|d| (d.occupation, d.label.as_str()))
            .collect();
        for ask in &asks {
            let found: Vec<String> = index
                .code(ask, 3)
                .iter()
                .map(|m| {
                    let name = preferred.get(&m.occupation).copied().unwrap_or("?");
                    format!("{name} ({}, {:.3})", m.label, m.score)
                })
                .collect();
            println!("{ask}: {}", found.join("; "));
        }
        return Ok(());
    }
    let mut batch_times = Vec::new();
    let mut predicted = Vec::new();
    for _ in 0..repeat {
        let started = Instant::now();
        predicted = index.code_batch(&titles, 5);
        batch_times.push(started.elapsed().as_secs_f64());
    }
    let mut latencies: Vec<f64> = titles
        .iter()
        .take(500)
        .map(|title| {
            let started = Instant::now();
            std::hint::black_box(index.code(title, 5));
            started.elapsed().as_secs_f64()
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let build = median(build_times);
    let batch = median(batch_times);
    let qps = queries.len() as f64 / batch;
    let hidden = queries.iter().filter(|q| q.hidden).count();
    let trivial = queries.iter().filter(|q| q.trivial).count();
    println!(
        "rolemap-titles index docs {}, queries {} (alt {}, hidden {hidden}, trivial {trivial}); threads {}",
        index.len(),
        queries.len(),
        queries.len() - hidden,
        rayon::current_num_threads()
    );
    println!("rolemap-titles build median {:.2} ms", build * 1e3);
    println!(
        "rolemap-titles batch rank {} q median {:.2} ms -> {qps:.0} q/s",
        queries.len(),
        batch * 1e3
    );
    println!(
        "  single-query latency over {}: median {:.3} ms, p95 {:.3} ms",
        latencies.len(),
        latencies[latencies.len() / 2] * 1e3,
        latencies[latencies.len() * 95 / 100] * 1e3
    );
    let masks: [(&str, &Keep); 4] = [
        ("all", &|_| true),
        ("non-trivial", &|q| !q.trivial),
        ("alt non-trivial", &|q| !q.trivial && !q.hidden),
        ("hidden", &|q| q.hidden),
    ];
    for (name, keep) in masks {
        let (top1, top5, n) = accuracy(&queries, &predicted, keep);
        println!("  {name:16} n={n:5}  top-1 {top1:.3}  top-5 {top5:.3}");
    }
    if let Some(dump) = dump {
        let mut out = String::new();
        for (query, matches) in queries.iter().zip(&predicted) {
            let found: Vec<String> = matches
                .iter()
                .map(|m| format!("{}:{}:{:.3}", m.occupation, m.label, m.score))
                .collect();
            out.push_str(&format!(
                "{}\t{}\t{}\n",
                query.label,
                query
                    .gold
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                found.join("|")
            ));
        }
        std::fs::write(dump, out)?;
    }
    println!("RESULT qps={qps:.1} build_ms={:.2}", build * 1e3);
    Ok(())
}
