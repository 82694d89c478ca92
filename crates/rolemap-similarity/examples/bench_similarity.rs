//! All-pairs similarity benchmark on the real ESCO data.
//!
//! `ROLEMAP_ESCO_DIR=../shared/data/esco-v1.1.1 cargo run --release -p rolemap-similarity --example bench_similarity`
//!
//! Reads occupations and skills from the ESCO classification zip and the occupation-skill
//! relations from the relations zip in `$ROLEMAP_ESCO_DIR`, keeps the relations whose occupation
//! and skill both exist, and builds the profiles (timed apart). Then, `RUNS` times (default 7):
//!
//! * **all-pairs**: `all_neighbours(10)`: cosine, Jaccard and coverage of every pair of
//!   occupations sharing a skill, and the 10 nearest of each;
//! * **with totals**: `all_neighbours_with(10, ..)`, the same handing every pair to a callback
//!   that sums the three components per origin.
//!
//! Prints each run, the medians, the sums of cosine, Jaccard and coverage over all pairs (each
//! occupation with itself included, as the scipy baseline sums its dense matrices: pairs sharing
//! no skill add 0), the number of pairs sharing a skill, the top 5 of "data scientist" and the
//! peak memory (VmHWM). The last line, `bench_similarity all-pairs median .. ms`, is what
//! `scripts/bench-similarity.sh` reads.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rolemap_similarity::Profiles;

const K: usize = 10;

fn esco_dir() -> PathBuf {
    std::env::var_os("ROLEMAP_ESCO_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            let guess =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/esco-v1.1.1");
            guess.is_dir().then_some(guess)
        })
        .expect("set ROLEMAP_ESCO_DIR to the folder with the ESCO zips")
}

fn zip_named(dir: &Path, part: &str) -> zip::ZipArchive<std::fs::File> {
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_lowercase();
            name.contains(part) && name.ends_with(".zip")
        })
        .unwrap_or_else(|| panic!("no {part} zip in {}", dir.display()));
    zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap()
}

fn read_member(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
    let mut file = zip.by_name(name).unwrap();
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

/// The given columns of every row.
fn columns(csv_text: &str, names: &[&str]) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at: Vec<usize> = names
        .iter()
        .map(|n| headers.iter().position(|h| h == *n).unwrap())
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            at.iter().map(|&i| r[i].to_owned()).collect()
        })
        .collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// A float summed by one thread at a time (each origin's pairs are visited on one thread).
#[derive(Default)]
struct Total(AtomicU64);

impl Total {
    fn add(&self, x: f64) {
        let now = f64::from_bits(self.0.load(Ordering::Relaxed));
        self.0.store((now + x).to_bits(), Ordering::Relaxed);
    }

    fn get(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::Relaxed))
    }
}

fn main() {
    let runs: usize = std::env::var("RUNS").map_or(7, |r| r.parse().unwrap());
    let start = Instant::now();
    let dir = esco_dir();
    let mut classification = zip_named(&dir, "classification");
    let occupations = columns(
        &read_member(&mut classification, "occupations_en.csv"),
        &["conceptUri", "preferredLabel"],
    );
    let skills = columns(
        &read_member(&mut classification, "skills_en.csv"),
        &["conceptUri"],
    );
    let relations = columns(
        &read_member(
            &mut zip_named(&dir, "relations"),
            "occupationSkillRelations.csv",
        ),
        &["occupationUri", "skillUri", "relationType"],
    );
    let occupation_at: HashMap<&str, u32> = occupations
        .iter()
        .enumerate()
        .map(|(i, r)| (r[0].as_str(), i as u32))
        .collect();
    let skill_at: HashMap<&str, u32> = skills
        .iter()
        .enumerate()
        .map(|(i, r)| (r[0].as_str(), i as u32))
        .collect();
    let triples: Vec<(u32, u32, bool)> = relations
        .iter()
        .filter_map(|r| {
            Some((
                *occupation_at.get(r[0].as_str())?,
                *skill_at.get(r[1].as_str())?,
                r[2] == "essential",
            ))
        })
        .collect();
    let read = start.elapsed();
    println!(
        "{} occupations, {} skills, {} of {} relations kept; read in {:.0} ms",
        occupations.len(),
        skills.len(),
        triples.len(),
        relations.len(),
        ms(read)
    );

    let mut builds = Vec::new();
    let mut profiles = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let built = Profiles::new(occupations.len(), skills.len(), triples.iter().copied());
        builds.push(start.elapsed());
        profiles = Some(built);
    }
    let profiles = profiles.unwrap();
    println!("build profiles: median {:.2} ms", ms(median(builds)));

    // One warm-up of each, as the baseline does.
    let mut near = profiles.all_neighbours(K);
    profiles.all_neighbours_with(K, |_, _| {});
    let mut plain = Vec::new();
    let mut with_totals = Vec::new();
    let mut sums = (0.0, 0.0, 0.0, 0u64);
    for run in 1..=runs {
        let start = Instant::now();
        near = profiles.all_neighbours(K);
        let t_plain = start.elapsed();

        let totals: Vec<[Total; 4]> = (0..profiles.roles()).map(|_| Default::default()).collect();
        let start = Instant::now();
        let near_too = profiles.all_neighbours_with(K, |origin, s| {
            let t = &totals[origin as usize];
            t[0].add(f64::from(s.cosine));
            t[1].add(f64::from(s.jaccard));
            t[2].add(f64::from(s.coverage));
            t[3].add(1.0);
        });
        let t_totals = start.elapsed();
        assert!(near_too == near, "the two ways disagree");
        sums = totals.iter().fold((0.0, 0.0, 0.0, 0), |(c, j, v, n), t| {
            (
                c + t[0].get(),
                j + t[1].get(),
                v + t[2].get(),
                n + t[3].get() as u64,
            )
        });
        println!(
            "run {run}: all-pairs {:.2} ms, with totals {:.2} ms",
            ms(t_plain),
            ms(t_totals)
        );
        plain.push(t_plain);
        with_totals.push(t_totals);
    }
    let (cos, jac, cov, pairs) = sums;
    println!(
        "cos sum {cos:.1} jac sum {jac:.1} cov sum {cov:.1}; pairs sharing a skill {pairs} of {}",
        profiles.roles() * profiles.roles()
    );
    let label = |i: u32| occupations[i as usize][1].as_str();
    if let Some(ds) = occupations.iter().position(|r| r[1] == "data scientist") {
        let top: Vec<String> = near[ds]
            .iter()
            .take(5)
            .map(|s| {
                format!(
                    "{} (score {:.3}, cosine {:.3})",
                    label(s.other),
                    s.score,
                    s.cosine
                )
            })
            .collect();
        println!("top-5 by score of 'data scientist': {}", top.join(", "));
    }
    println!("peak_rss_mb={:.0}", peak_rss_mb());
    println!(
        "bench_similarity with-totals median {:.2} ms",
        ms(median(with_totals))
    );
    println!(
        "bench_similarity all-pairs median {:.2} ms",
        ms(median(plain))
    );
}
