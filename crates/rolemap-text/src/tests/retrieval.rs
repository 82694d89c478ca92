//! The retrieval signal, nearest labels for clauses naming nothing, and the confidence each hit
//! carries.

use super::*;

/// A clause that names no skill gets its nearest labels, one rare word being enough, below every
/// other hit; a clause that names one gets none.
#[test]
fn a_clause_naming_nothing_gets_its_nearest_labels() {
    let mut builder = ExtractorBuilder::new();
    builder.label(1, "debug software", LabelKind::Preferred);
    builder.description(1, "Repair computer code by finding defects.");
    builder.label(2, "manage budgets", LabelKind::Preferred);
    builder.description(2, "Plan the budget.");
    builder.label(3, "develop software", LabelKind::Preferred);
    builder.description(3, "Write programs.");
    let extractor = builder.build().expect("builds");
    let hits = extractor
        .extract("Ability to debug issues", NO_RETRIEVAL)
        .hits;
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!((hits[0].skill, hits[0].signal), (1, Signal::Paraphrase));
    assert!(hits[0].confidence < 0.15, "{hits:?}");
    let hits = extractor
        .extract("Manage budgets and debug issues", NO_RETRIEVAL)
        .hits;
    assert_eq!(
        hits.iter().map(|h| h.skill).collect::<Vec<_>>(),
        [2],
        "{hits:?}"
    );
}

/// Skills of one field and fillers of others, for the retrieval signal.
fn retrieval_extractor() -> Extractor {
    retrieval_builder().build().expect("builds")
}

fn retrieval_builder() -> ExtractorBuilder {
    let mut builder = ExtractorBuilder::new();
    let skills: &[(u32, &str, &[&str])] = &[
        (1, "sales activities", &["selling", "sales work"]),
        (2, "mechanical engineering", &["mechanical background"]),
        (3, "manage sales teams", &["lead sales staff"]),
        (4, "web programming", &["web development"]),
        (5, "develop new products", &["product development"]),
        (6, "plant trees", &["tree planting"]),
        (7, "bake bread", &["bread baking"]),
        (8, "repair engines", &["engine repair"]),
    ];
    for (skill, preferred, alternatives) in skills {
        builder.label(*skill, preferred, LabelKind::Preferred);
        for alt in *alternatives {
            builder.label(*skill, alt, LabelKind::Alternative);
        }
        builder.description(*skill, "Work done in many trades.");
    }
    builder
}

#[test]
fn retrieval_finds_a_skill_named_by_its_nouns() {
    let extractor = retrieval_extractor();
    let text = "2-3 years of sales experience";
    let without = extractor.extract(text, NO_RETRIEVAL);
    assert!(without.hits.is_empty(), "{:?}", without.hits);
    let with = extractor.extract(text, Signals::ALL);
    let hit = with
        .hits
        .iter()
        .find(|h| h.signal == Signal::Retrieval)
        .expect("a retrieval hit");
    // The best-ranked skill whose preferred label holds the word, its evidence the word itself.
    assert_eq!(hit.skill, 1, "{:?}", with.hits);
    assert_eq!(&text[hit.byte_start..hit.byte_end], "sales");
    assert_eq!(hit.words, vec![(13, 18)]);
    assert!(hit.confidence < CALIBRATION_LABEL, "{}", hit.confidence);
}

#[test]
fn retrieval_adds_nothing_for_words_no_skill_uses() {
    let extractor = retrieval_extractor();
    let extraction = extractor.extract("We offer a friendly office.", Signals::ALL);
    assert!(extraction.hits.is_empty(), "{:?}", extraction.hits);
}

#[test]
fn retrieval_ranks_label_hits_by_the_whole_clause() {
    let extractor = retrieval_extractor();
    // Both labels are in the clause; the rest of it ("background") is also the second
    // skill's, so it ranks first.
    let extraction = extractor.extract(
        "Repair engines with strong mechanical engineering background",
        Signals::ALL,
    );
    let confidence = |skill: u32| {
        extraction
            .hits
            .iter()
            .filter(|h| h.skill == skill)
            .map(|h| h.confidence)
            .fold(0.0f32, f32::max)
    };
    assert!(confidence(2) > confidence(8), "{:?}", extraction.hits);
    assert!(confidence(8) > 0.0, "{:?}", extraction.hits);
    let labels_only = extractor.extract(
        "Repair engines with strong mechanical engineering background",
        NO_RETRIEVAL,
    );
    assert!(
        labels_only
            .hits
            .iter()
            .all(|h| h.confidence <= CALIBRATION_LABEL)
    );
    assert!(extraction.hits.iter().all(|h| h.confidence <= 1.0));
}

/// With the retrieval signal a hit carries what its confidence was made from: its own signal's
/// score, how well its skill answers the clause against the clause's best, the share of the
/// clause its skill accounts for, and how many skills the clause names.
#[test]
fn a_hit_carries_the_evidence_its_confidence_combines() {
    let extractor = retrieval_extractor();
    let extraction = extractor.extract(
        "Repair engines with strong mechanical engineering background",
        Signals::ALL,
    );
    let label = |skill: u32| {
        extraction
            .hits
            .iter()
            .find(|h| h.skill == skill && h.signal == Signal::Label)
            .unwrap_or_else(|| panic!("no label hit of {skill}: {:?}", extraction.hits))
    };
    let (best, other) = (label(2).evidence, label(8).evidence);
    assert_eq!(best.relevance, 1.0, "{best:?}");
    assert!(other.relevance > 0.0 && other.relevance < 1.0, "{other:?}");
    assert!(
        best.coverage > other.coverage && best.coverage <= 1.0,
        "{best:?}"
    );
    assert!(
        best.named >= 2 && best.named == other.named,
        "{best:?} {other:?}"
    );
    assert_eq!(best.cover, 1.0, "{best:?}");
    assert!(best.own > 0.0 && best.prior == 1.0, "{best:?}");
    // Without the retrieval signal nothing ranks the clause.
    let plain = extractor.extract("Repair engines", NO_RETRIEVAL);
    assert_eq!(plain.hits[0].evidence.relevance, 0.0);
    assert_eq!(plain.hits[0].confidence, plain.hits[0].evidence.own);
}

/// Hits below the least confidence are dropped unless their skill is among their clause's most
/// confident: a floor of 1 leaves each clause its best skills alone, a floor of 0 keeps every hit,
/// and so does a text read against a role.
#[test]
fn unlikely_hits_are_dropped_but_each_clause_keeps_its_best() {
    let text = "Selling, mechanical engineering, web development, tree planting, bread baking and \
                engine repair";
    let with_floor = |floor: f32, keep_unlikely: bool| {
        let mut builder = retrieval_builder();
        builder.min_confidence(floor);
        let signals = Signals {
            keep_unlikely,
            ..Signals::ALL
        };
        builder
            .build()
            .expect("builds")
            .extract(text, signals)
            .skills()
    };
    let all = with_floor(0.0, false);
    let best = with_floor(1.0, false);
    assert!(all.len() > crate::extract::CLAUSE_KEEPS, "{all:?}");
    assert_eq!(
        best.len(),
        crate::extract::CLAUSE_KEEPS,
        "{best:?} of {all:?}"
    );
    assert!(best.iter().all(|s| all.contains(s)), "{best:?} {all:?}");
    assert_eq!(with_floor(1.0, true), all, "kept when asked");
}
