//! Unit tests: normalisation and spans, overlap resolution, negation, the paraphrase signal, and
//! the source documents' own duty statements against a small hand-written skill list. This module
//! holds the skill list and the helpers the others share.

use crate::extract::{CALIBRATION_LABEL, resolve_for_test};
use crate::{Extraction, Extractor, ExtractorBuilder, LabelKind, Normaliser, Signal, Signals};

mod duties;
mod labels;
mod phrases;
mod retrieval;
mod signals;

/// A few ESCO-like skills: (number, preferred label, alternative labels, description).
const SKILLS: &[(u32, &str, &[&str], &str)] = &[
    (
        1,
        "manage budgets",
        &["budget management", "budgeting"],
        "Plan, monitor and report on the budget.",
    ),
    (
        2,
        "project management",
        &["manage projects"],
        "Plan and run projects to time and cost.",
    ),
    (
        3,
        "project management software",
        &[],
        "Software that supports planning projects.",
    ),
    (
        4,
        "stakeholder management",
        &["stakeholder engagement", "relationships with stakeholders"],
        "Identify stakeholders and keep them engaged.",
    ),
    (
        5,
        "improve business processes",
        &[],
        "Optimise a series of operations of an organisation to achieve efficiency.",
    ),
    (
        6,
        "risk management",
        &["manage risk", "risk assessment"],
        "Identify, assess and prioritise all types of risks.",
    ),
    (
        7,
        "lead change",
        &["change management", "manage change", "transformation"],
        "Lead organisational change and transformation programmes.",
    ),
    (
        8,
        "coaching",
        &[
            "coach employees",
            "mentoring",
            "people development",
            "succession planning",
            "talent management",
        ],
        "Develop people through coaching and mentoring.",
    ),
    (
        9,
        "corporate governance",
        &[
            "governance",
            "comply with regulations",
            "legislation",
            "regulatory compliance",
        ],
        "The principles by which an organisation is directed and controlled.",
    ),
    (
        10,
        "strategic planning",
        &[
            "strategy",
            "set strategic direction",
            "strategic direction",
            "organisational strategy",
        ],
        "Define the direction of an organisation.",
    ),
    (
        11,
        "people management",
        &[
            "manage staff",
            "leadership",
            "lead a team",
            "manage the team",
        ],
        "Lead and manage people and teams.",
    ),
    (
        12,
        "data analysis",
        &[
            "analyse data",
            "trend analysis",
            "interpret data",
            "key performance indicators",
            "metric reporting",
        ],
        "Collect and analyse data to find trends.",
    ),
    (
        13,
        "continuous improvement",
        &["kaizen", "lean"],
        "Improve processes step by step.",
    ),
    (
        14,
        "SQL",
        &["structured query language"],
        "A query language for databases.",
    ),
    (15, "C++", &[], "A programming language."),
    (
        16,
        "manage resources",
        &["resource planning", "resource plans"],
        "Plan people, money and equipment.",
    ),
    (
        17,
        "staff training",
        &["train employees"],
        "Develop the skills of staff.",
    ),
    (18, "café management", &[], "Running a café."),
];

/// Labels, phrases and paraphrases without the retrieval signal, for the tests of those signals.
const NO_RETRIEVAL: Signals = Signals {
    retrieval: false,
    ..Signals::ALL
};

fn extractor() -> Extractor {
    let mut builder = ExtractorBuilder::new();
    for (skill, preferred, alternatives, description) in SKILLS {
        builder.label(*skill, preferred, LabelKind::Preferred);
        for alt in *alternatives {
            builder.label(*skill, alt, LabelKind::Alternative);
        }
        builder.description(*skill, description);
    }
    builder.label(6, "risk mgmt", LabelKind::Hidden);
    builder.build().expect("builds")
}

fn preferred(skill: u32) -> &'static str {
    SKILLS.iter().find(|s| s.0 == skill).map_or("?", |s| s.1)
}

/// Hits as "text[span] -> skill (signal, negated)", one per line.
fn check(text: &str, signals: Signals, expected: &str) {
    let extraction = extractor().extract(text, signals);
    let actual = render(text, &extraction);
    assert_eq!(actual.trim(), expected.trim(), "\nactual:\n{actual}");
}

fn render(text: &str, extraction: &Extraction) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for hit in &extraction.hits {
        let span: String = chars[hit.start..hit.end].iter().collect();
        out.push_str(&format!(
            "{span} -> {}{}{}\n",
            preferred(hit.skill),
            if hit.signal == Signal::Paraphrase {
                " (paraphrase)"
            } else {
                ""
            },
            if hit.negated { " (negated)" } else { "" },
        ));
    }
    out
}

fn skills_of(text: &str) -> Vec<&'static str> {
    let extractor = extractor();
    let mut names: Vec<&str> = extractor
        .extract(text, Signals::ALL)
        .skills()
        .into_iter()
        .map(preferred)
        .collect();
    names.sort_unstable();
    names
}

/// An extractor over `labels` (number, preferred label, description) plus `fillers`: skills
/// that make a verb open many labels and a word common, as a whole taxonomy does.
fn extractor_with(
    labels: &[(u32, &str, &[&str], &str)],
    fillers: &[(String, String)],
) -> Extractor {
    let mut builder = ExtractorBuilder::new();
    for (skill, preferred, alternatives, description) in labels {
        builder.label(*skill, preferred, LabelKind::Preferred);
        for alt in *alternatives {
            builder.label(*skill, alt, LabelKind::Alternative);
        }
        builder.description(*skill, description);
    }
    for (i, (label, description)) in fillers.iter().enumerate() {
        builder.label(1000 + i as u32, label, LabelKind::Preferred);
        builder.description(1000 + i as u32, description);
    }
    builder.build().expect("builds")
}

fn found(extractor: &Extractor, text: &str) -> Vec<(u32, Signal)> {
    let mut found: Vec<(u32, Signal)> = extractor
        .extract(text, NO_RETRIEVAL)
        .hits
        .iter()
        .filter(|h| h.skill < 1000)
        .map(|h| (h.skill, h.signal))
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// Twelve labels opening with "apply": "apply" reads as a verb.
fn apply_fillers() -> Vec<(String, String)> {
    [
        "welding", "paint", "glue", "varnish", "plaster", "tiles", "wax", "stain", "sealant",
        "primer", "grout", "polish",
    ]
    .iter()
    .map(|w| (format!("apply {w} coats"), format!("Put {w} on surfaces.")))
    .collect()
}
