//! The extractor alone on one sentence a line, for quick measurement of its quality: what
//! `rolemap extract --jsonl` gives, without the store (`scripts/eval-real-text.sh` with `QUICK=1`).
//!
//! `eval_real SKILLS_CSV IN.txt OUT.jsonl`: builds the extractor from ESCO's `skills_en.csv` (every
//! label and description, as the service builds it from the store) and writes, per line of IN,
//! `{"id": n, "skills": [{"skill": {"label": ...}, "confidence": ...}, ...]}`, the skills ranked
//! as the service ranks them (confidence, then label).
//!
//! With `DUMP=FILE`, no hit is dropped for its confidence and every hit that is not negated is
//! also written to FILE with its evidence, one JSON object a line (`scripts/fit_calibration.py`
//! fits the calibration from them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::Write;

use rolemap_text::{ExtractorBuilder, LabelKind, Normaliser, Signals};

fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The retrieval prior of a skill by ESCO's reuse level, as the service sets it.
fn reuse_prior(level: &str) -> f32 {
    match level {
        "transversal" => 1.3,
        "cross-sector" => 1.15,
        "sector-specific" => 1.05,
        _ => 1.0,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut reader = csv::Reader::from_path(&args[1]).expect("skills_en.csv");
    let headers = reader.headers().expect("a header").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let reuse = column("reuseLevel");
    let (preferred, alt, hidden, description) = (
        column("preferredLabel"),
        column("altLabels"),
        column("hiddenLabels"),
        column("description"),
    );
    let mut builder = ExtractorBuilder::new();
    let mut names = Vec::new();
    for record in reader.records() {
        let record = record.expect("a skill row");
        let skill = names.len() as u32;
        names.push(record[preferred].to_owned());
        builder.label(skill, &record[preferred], LabelKind::Preferred);
        for (column, kind) in [(alt, LabelKind::Alternative), (hidden, LabelKind::Hidden)] {
            for label in record[column]
                .split('\n')
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                builder.label(skill, label, kind);
            }
        }
        builder.description(skill, &record[description]);
        builder.prior(skill, reuse_prior(&record[reuse]));
    }
    let dump = std::env::var("DUMP").ok();
    let mut dump =
        dump.map(|path| std::io::BufWriter::new(std::fs::File::create(path).expect("DUMP")));
    let extractor = builder.build().expect("the extractor builds");
    let text = std::fs::read_to_string(&args[2]).expect("IN");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&args[3]).expect("OUT"));
    for (id, line) in text.lines().enumerate() {
        let signals = Signals {
            keep_unlikely: dump.is_some(),
            ..Signals::ALL
        };
        let extraction = extractor.extract(line, signals);
        if let Some(dump) = dump.as_mut() {
            let tokens = Normaliser.normalise(line).tokens;
            for hit in extraction.hits.iter().filter(|h| !h.negated) {
                let clause = tokens
                    .iter()
                    .skip(1)
                    .filter(|t| t.clause_break && (t.start as usize) <= hit.byte_start)
                    .count();
                let e = &hit.evidence;
                writeln!(
                    dump,
                    "{{\"id\": {id}, \"clause\": {clause}, \"label\": {}, \"signal\": \"{}\", \"own\": {}, \"relevance\": {}, \"coverage\": {}, \"cover\": {}, \"named\": {}, \"prior\": {}, \"confidence\": {}}}",
                    json_string(&names[hit.skill as usize]),
                    hit.signal.as_str(),
                    e.own,
                    e.relevance,
                    e.coverage,
                    e.cover,
                    e.named,
                    e.prior,
                    hit.confidence
                )
                .expect("write");
            }
        }
        let mut best: HashMap<u32, (f32, &str)> = HashMap::new();
        for hit in extraction.hits.iter().filter(|h| !h.negated) {
            let c = best.entry(hit.skill).or_insert((0.0, ""));
            if hit.confidence > c.0 {
                *c = (hit.confidence, hit.signal.as_str());
            }
        }
        let mut skills: Vec<(u32, (f32, &str))> = best.into_iter().collect();
        skills.sort_by(|a, b| {
            b.1.0
                .total_cmp(&a.1.0)
                .then_with(|| names[a.0 as usize].cmp(&names[b.0 as usize]))
        });
        let skills: Vec<String> = skills
            .iter()
            .map(|(s, (c, signal))| {
                format!(
                    "{{\"skill\": {{\"label\": {}}}, \"confidence\": {c}, \"signals\": [\"{signal}\"]}}",
                    json_string(&names[*s as usize])
                )
            })
            .collect();
        writeln!(out, "{{\"id\": {id}, \"skills\": [{}]}}", skills.join(", ")).expect("write");
    }
}
