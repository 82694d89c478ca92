//! Searches ESCO from the command line, to try the ranking by hand.
//!
//! `cargo run --release -p rolemap-search --example search_esco -- "opertions manger" [--skill|--role] [--limit N]`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use rolemap_search::{Kind, Query, SearchIndex};

#[path = "common/esco.rs"]
mod esco;

fn main() {
    let mut text = Vec::new();
    let mut query = Query::new("");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--role" => query.kind = Some(Kind::Role),
            "--skill" => query.kind = Some(Kind::Skill),
            "--limit" => query.limit = args.next().unwrap().parse().unwrap(),
            _ => text.push(arg),
        }
    }
    query.text = text.join(" ");
    let start = Instant::now();
    let index = SearchIndex::build(esco::load()).unwrap();
    println!("{index:?} loaded and built in {:?}", start.elapsed());
    let start = Instant::now();
    let hits = index.search(&query).unwrap();
    println!("{} hits in {:?}", hits.len(), start.elapsed());
    for h in hits {
        println!(
            "{:.3}  {:?} {:>5}  {}  [{:?}: {}]",
            h.score, h.kind, h.id, h.label, h.field, h.matched
        );
    }
}
