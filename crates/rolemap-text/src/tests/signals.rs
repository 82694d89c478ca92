//! Negation, the paraphrase signal and word roots, and determinism.

use super::*;

#[test]
fn negation_marks_hits_and_they_are_not_counted() {
    check(
        "There is no budget management responsibility. SQL is not required. \
         Experience of stakeholder management, but no experience of risk management needed. \
         You don't lead change; you will coach employees.",
        Signals::LABELS,
        "budget management -> manage budgets (negated)
SQL -> SQL (negated)
stakeholder management -> stakeholder management
risk management -> risk management (negated)
lead change -> lead change (negated)
coach employees -> coaching",
    );
    assert_eq!(
        skills_of("No budget management. Not only SQL but also C++."),
        ["C++", "SQL"]
    );
}

#[test]
fn negation_does_not_cross_clauses_or_turns() {
    check(
        "Not a desk job. Manage budgets without delay, however risk management matters.",
        Signals::LABELS,
        "Manage budgets -> manage budgets\nrisk management -> risk management",
    );
    check(
        "We use SQL, not C++.",
        Signals::LABELS,
        "SQL -> SQL\nC++ -> C++ (negated)",
    );
}

#[test]
fn paraphrase_finds_what_labels_do_not_contain() {
    check(
        "Managed stakeholder relationships. Improved process efficiency using Lean.",
        NO_RETRIEVAL,
        "Managed stakeholder -> stakeholder management (paraphrase)
Improved process -> improve business processes (paraphrase)
Lean -> continuous improvement",
    );
    let extraction = extractor().extract("Managed stakeholder relationships.", NO_RETRIEVAL);
    let hit = &extraction.hits[0];
    assert!(
        hit.confidence < 0.25 && hit.confidence > 0.15,
        "{}",
        hit.confidence
    );
    assert_eq!(hit.words, [(0, 7), (8, 19)]);
    assert!(
        extractor()
            .extract("Managed stakeholder relationships.", Signals::LABELS)
            .hits
            .is_empty()
    );
}

#[test]
fn paraphrase_respects_negation() {
    check(
        "No stakeholders to manage.",
        Signals::ALL,
        "stakeholders to manage -> stakeholder management (paraphrase) (negated)",
    );
}

#[test]
fn results_are_deterministic_and_bulk_matches_single() {
    let texts = [
        "Lead change and manage risk.",
        "Trend analysis and key performance indicators.",
        "",
        "Managed stakeholder relationships.",
    ];
    let extractor = extractor();
    let bulk = extractor.extract_all(&texts, Signals::ALL);
    for (text, extraction) in texts.iter().zip(&bulk) {
        assert_eq!(*extraction, extractor.extract(text, Signals::ALL));
    }
    assert!(bulk[2].hits.is_empty());
}

#[test]
fn paraphrase_joins_words_derived_from_one_another() {
    let extractor = extractor_with(
        &[
            (1, "regulatory compliance", &[], "Meeting the rules."),
            (
                2,
                "provide mentorship",
                &[],
                "Guide less experienced people.",
            ),
        ],
        &[],
    );
    // "compliant" and "compliance", "mentoring" and "mentorship" have different stems.
    assert_eq!(
        found(&extractor, "Keep the unit compliant with regulatory rules."),
        [(1, Signal::Paraphrase)]
    );
    assert_eq!(
        found(&extractor, "Provide mentoring to new starters."),
        [(2, Signal::Paraphrase)]
    );
}

#[test]
fn roots_join_derived_words_and_keep_others_apart() {
    let vocabulary = crate::stem::Vocabulary::default();
    let root = |word: &str| crate::paraphrase::root(&vocabulary.stem_word(word), &vocabulary);
    assert_eq!(root("strategy"), root("strategic"));
    assert_eq!(root("compliance"), root("compliant"));
    assert_eq!(root("mentorship"), root("mentor"));
    assert_eq!(root("relationship"), root("relation"));
    assert_eq!(root("governance"), root("govern"));
    assert_ne!(root("policy"), root("police"));
    assert_eq!(root("budget"), "budget");
}

#[test]
fn paraphrase_counts_only_content_words_between_its_words() {
    let extractor = extractor_with(
        &[(
            1,
            "manage relationships with stakeholders",
            &[],
            "Keep internal and external relationships with stakeholders based on trust.",
        )],
        &[],
    );
    assert_eq!(
        found(
            &extractor,
            "Maintain relationships with key senior internal and external stakeholders."
        ),
        [(1, Signal::Paraphrase)]
    );
}
