//! Route questions over the whole of ESCO, as a server answers them: ESCO imported into a fresh
//! database, then many `routes` questions between random occupations, timed one by one.
//!
//!     ROLEMAP_ESCO_DIR=../shared/data/esco-v1.1.1 \
//!         cargo run --release -p rolemap-service --example bench_routes [QUERIES] [RUNS]
//!
//! Prints, per run, the p50/p99/max latency of a whole question (resolving both ends, building
//! the graph from the kept neighbour lists, the search, and explaining every step), and how
//! many found a route; then the medians over the runs. Also: computing the neighbour lists
//! after the import, and reading them back in a new process (a fresh service on the same file).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rolemap_formats::esco::{self, EscoOptions};
use rolemap_service::{RouteInput, Service};
use rolemap_store::{RoleFilter, SqliteStore};

const NOW: &str = "2026-01-01T00:00:00Z";

/// A small deterministic generator (xorshift64*), so every run asks the same questions.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let Some(dir) = std::env::var_os("ROLEMAP_ESCO_DIR") else {
        eprintln!("skipped: ROLEMAP_ESCO_DIR not set");
        return;
    };
    let mut args = std::env::args().skip(1);
    let queries: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);

    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("bench.db");
    let data = esco::open(
        &[PathBuf::from(dir)],
        EscoOptions {
            version: None,
            skip_dangling: true,
        },
        &mut |_, _| {},
    )
    .expect("ESCO read");
    let store = SqliteStore::open(&path).await.expect("store");
    let service = Service::new(Arc::new(store));
    service
        .import_esco(Arc::new(data), &rolemap_store::Actor::cli(), NOW)
        .await
        .expect("import");

    let roles = service
        .store()
        .roles(&RoleFilter {
            framework: Some("esco".into()),
            ..RoleFilter::default()
        })
        .await
        .expect("roles");
    let ids: Vec<String> = roles.iter().map(|r| r.id.0.to_string()).collect();
    println!("ESCO: {} occupations", ids.len());

    let started = Instant::now();
    let first = service
        .routes(&RouteInput {
            from: Some(&ids[0]),
            person: None,
            to: &ids[1],
            framework: None,
            max_steps: rolemap_service::DEFAULT_MAX_STEPS,
            min_similarity: rolemap_service::DEFAULT_MIN_SIMILARITY,
            k: rolemap_service::DEFAULT_K,
        })
        .await
        .expect("first route");
    println!(
        "first question (computes and keeps every role's neighbour list): {:.0} ms, {} route(s)",
        ms(started.elapsed()),
        first.routes.len()
    );
    // A new process: a fresh service over the same file reads the kept lists.
    let reopened = Service::new(Arc::new(SqliteStore::open(&path).await.expect("reopen")));
    let started = Instant::now();
    reopened
        .routes(&RouteInput {
            from: Some(&ids[0]),
            person: None,
            to: &ids[1],
            framework: None,
            max_steps: rolemap_service::DEFAULT_MAX_STEPS,
            min_similarity: rolemap_service::DEFAULT_MIN_SIMILARITY,
            k: rolemap_service::DEFAULT_K,
        })
        .await
        .expect("route after reopening");
    println!(
        "first question in a new process (reads the kept lists): {:.0} ms",
        ms(started.elapsed())
    );

    // What explaining a step costs when its role is not cached yet.
    let cold = Service::new(Arc::new(SqliteStore::open(&path).await.expect("reopen")));
    let mut loads = Vec::new();
    for id in roles.iter().step_by(15).take(200) {
        let started = Instant::now();
        cold.role_by_id(id.id).await.expect("role");
        loads.push(started.elapsed());
    }
    loads.sort_unstable();
    println!(
        "loading a role not yet cached: p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&loads, 0.5)),
        ms(percentile(&loads, 0.99))
    );

    let mut p50s = Vec::new();
    let mut p99s = Vec::new();
    for run in 1..=runs {
        // Other questions in every run: the roles they pass through are mostly not cached yet.
        let mut rng = Rng(0x5eed_0000_0000_0001 + run as u64);
        let mut times = Vec::with_capacity(queries);
        let (mut found, mut steps) = (0usize, 0usize);
        for _ in 0..queries {
            let from = &ids[(rng.next() % ids.len() as u64) as usize];
            let mut to = &ids[(rng.next() % ids.len() as u64) as usize];
            if to == from {
                to = &ids[(rng.next() % ids.len() as u64) as usize];
            }
            let started = Instant::now();
            let answer = service
                .routes(&RouteInput {
                    from: Some(from),
                    person: None,
                    to,
                    framework: None,
                    max_steps: rolemap_service::DEFAULT_MAX_STEPS,
                    min_similarity: rolemap_service::DEFAULT_MIN_SIMILARITY,
                    k: rolemap_service::DEFAULT_K,
                })
                .await;
            times.push(started.elapsed());
            if let Ok(answer) = answer
                && let Some(best) = answer.routes.first()
            {
                found += 1;
                steps += best.steps.len();
            }
        }
        times.sort_unstable();
        let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
        println!(
            "run {run}: {queries} questions, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {found} with a route (best route {:.1} steps on average)",
            ms(p50),
            ms(p99),
            ms(times[times.len() - 1]),
            steps as f64 / found.max(1) as f64
        );
        p50s.push(p50);
        p99s.push(p99);
    }
    p50s.sort_unstable();
    p99s.sort_unstable();
    println!(
        "median of {runs} runs: p50 {:.2} ms, p99 {:.2} ms (goal: p99 under 20 ms)",
        ms(p50s[runs / 2]),
        ms(p99s[runs / 2])
    );
}
