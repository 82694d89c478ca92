//! Search benchmark on the real ESCO data.
//!
//! `ROLEMAP_ESCO_DIR=../shared/data/esco-v1.1.1 cargo run --release -p rolemap-search --example bench_search`
//!
//! Reads occupations and skills from the ESCO classification zip in `$ROLEMAP_ESCO_DIR`, builds the
//! index, then runs queries drawn from the preferred and alternative labels with one typo each (a
//! swap, a drop or a replacement of one letter in one word of four letters or more; fixed-seed
//! PRNG, so every run asks the same questions). Prints the build time, the time to open the index
//! again from its files (as a new process does), p50 and p99 latency, and how
//! often the concept the label came from is among the first 5 hits, for each of `RUNS` runs and
//! their medians, then times a few short and broad queries. Optional arguments: number of queries
//! (default 2000), runs (default 5). Environment: `BENCH_ANY_WORD` lets the typo fall in short
//! words too; `BENCH_MISSES` lists the queries that missed; `BENCH_NO_DESCRIPTIONS` leaves the
//! descriptions out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

#[path = "common/esco.rs"]
mod esco;

use rolemap_search::{Kind, Query, SearchIndex};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One typo in one word of 4 letters or more (or in any word if there is none, or if `any_word`).
fn typo(rng: &mut XorShift, label: &str, any_word: bool) -> String {
    let mut words: Vec<Vec<char>> = label
        .split_whitespace()
        .map(|w| w.chars().collect())
        .collect();
    let long: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].iter().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let w = if long.is_empty() || any_word {
        rng.below(words.len())
    } else {
        long[rng.below(long.len())]
    };
    let word = &mut words[w];
    let at = rng.below(word.len());
    match rng.below(3) {
        0 if word.len() >= 2 => {
            let at = at.min(word.len() - 2);
            word.swap(at, at + 1);
        }
        1 if word.len() >= 2 => {
            word.remove(at);
        }
        _ => {
            let letter = (b'a' + rng.below(26) as u8) as char;
            let letter = if word[at] == letter { 'x' } else { letter };
            word[at] = letter;
        }
    }
    words
        .into_iter()
        .map(|w| w.into_iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n_queries: usize = args.next().map_or(2000, |a| a.parse().unwrap());
    let runs: usize = args.next().map_or(5, |a| a.parse().unwrap());
    let mut all = esco::load();
    if std::env::var_os("BENCH_NO_DESCRIPTIONS").is_some() {
        all.iter_mut().for_each(|d| d.description.clear());
    }
    let labels: usize = all
        .iter()
        .map(|d| 1 + d.alternative.len() + d.hidden.len())
        .sum();
    println!(
        "{} concepts ({} roles), {} labels",
        all.len(),
        all.iter().filter(|d| d.kind == Kind::Role).count(),
        labels
    );

    // Queries: a random concept, a random one of its preferred and alternative labels, one typo.
    // BENCH_ANY_WORD: the typo may also fall in a word of 1 to 3 letters, which is not corrected.
    let any_word = std::env::var_os("BENCH_ANY_WORD").is_some();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let queries: Vec<(String, Kind, i64)> = (0..n_queries)
        .map(|_| {
            let d = &all[rng.below(all.len())];
            let k = rng.below(1 + d.alternative.len());
            let label = if k == 0 {
                &d.preferred
            } else {
                &d.alternative[k - 1]
            };
            (typo(&mut rng, label, any_word), d.kind, d.id)
        })
        .collect();
    for (q, _, _) in queries.iter().take(5) {
        println!("  e.g. {q:?}");
    }

    let mut builds = Vec::new();
    let mut opens = Vec::new();
    let mut p50s = Vec::new();
    let mut p99s = Vec::new();
    let mut rates = Vec::new();
    for run in 1..=runs {
        let docs = all.clone();
        let start = Instant::now();
        let built = SearchIndex::build(docs).unwrap();
        let build = start.elapsed();
        // What a new process does when the index was kept: open it from its files.
        let files = built.to_files().unwrap();
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        drop(built);
        let start = Instant::now();
        let index = SearchIndex::from_files(&files).unwrap();
        let open = start.elapsed();

        let mut times = Vec::with_capacity(queries.len());
        let mut top5 = 0usize;
        let show_misses = run == 1 && std::env::var_os("BENCH_MISSES").is_some();
        for (text, kind, id) in &queries {
            let start = Instant::now();
            let hits = index.search(&Query::new(text.as_str()).limit(5)).unwrap();
            times.push(start.elapsed());
            if hits.iter().any(|h| h.kind == *kind && h.id == *id) {
                top5 += 1;
            } else if show_misses {
                let wanted = all.iter().find(|d| d.kind == *kind && d.id == *id).unwrap();
                println!(
                    "  miss: {text:?} (from {:?}) gave {:?}",
                    wanted.preferred,
                    hits.iter().map(|h| &h.matched).collect::<Vec<_>>()
                );
            }
        }
        times.sort();
        let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
        let rate = top5 as f64 / queries.len() as f64;
        println!(
            "run {run}: build {:.0} ms, open from {:.1} MB of files {:.0} ms, {} queries (on the opened index): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms, top-5 {:.1}%",
            build.as_secs_f64() * 1e3,
            bytes as f64 / 1e6,
            open.as_secs_f64() * 1e3,
            queries.len(),
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3,
            rate * 100.0
        );
        builds.push(build);
        opens.push(open);
        p50s.push(p50);
        p99s.push(p99);
        rates.push(rate);
    }
    // Short and broad queries, as typed into a search box (median of 5 timings each).
    let index = SearchIndex::build(all.clone()).unwrap();
    for text in [
        "m",
        "ma",
        "man",
        "manager",
        "data",
        "manage staff",
        "opertions manger",
        "manager ICT operations",
        "the",
        "softwre develper",
    ] {
        let mut t = Vec::new();
        let mut n = 0;
        for _ in 0..5 {
            let start = Instant::now();
            n = index.search(&Query::new(text).limit(20)).unwrap().len();
            t.push(start.elapsed());
        }
        let first = index.search(&Query::new(text).limit(3)).unwrap();
        println!(
            "  {text:?}: {:.3} ms, {n} hits, first: {:?}",
            median(t).as_secs_f64() * 1e3,
            first
                .iter()
                .map(|h| format!("{} [{:?}: {}]", h.label, h.field, h.matched))
                .collect::<Vec<_>>()
        );
    }
    println!(
        "median of {runs} runs: build {:.0} ms, open {:.0} ms, p50 {:.3} ms, p99 {:.3} ms, top-5 {:.1}%",
        median(builds).as_secs_f64() * 1e3,
        median(opens).as_secs_f64() * 1e3,
        median(p50s).as_secs_f64() * 1e3,
        median(p99s).as_secs_f64() * 1e3,
        median(rates) * 100.0
    );
}
