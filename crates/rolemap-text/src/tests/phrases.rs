//! Phrase hits (a label without its verb or last word) and common one-word labels confirmed by
//! their clause.

use super::*;

#[test]
fn a_label_without_its_verb_is_a_phrase_hit() {
    let fillers = apply_fillers();
    let extractor = extractor_with(
        &[(
            1,
            "apply crisis management",
            &[],
            "Take control in critical circumstances.",
        )],
        &fillers,
    );
    assert_eq!(
        found(&extractor, "Lead and respond to crisis management."),
        [(1, Signal::Phrase)]
    );
    let extraction = extractor.extract("Lead and respond to crisis management.", NO_RETRIEVAL);
    let hit = &extraction.hits[0];
    assert_eq!((hit.start, hit.end), (20, 37));
    // Labels alone, as a dictionary matcher: no phrases.
    assert!(
        extractor
            .extract("Lead and respond to crisis management.", Signals::LABELS)
            .hits
            .is_empty()
    );
    assert!(
        hit.confidence < 0.26 && hit.confidence > 0.2,
        "{}",
        hit.confidence
    );
    // The whole label is a label hit, as before.
    assert_eq!(
        found(&extractor, "You will apply crisis management."),
        [(1, Signal::Label)]
    );
    // One word left is not a phrase: "apply welding coats" gives no phrase for "coats" alone.
    assert!(found(&extractor, "Two coats.").is_empty());
}

#[test]
fn a_noun_label_without_its_last_word_is_a_phrase_hit() {
    let extractor = extractor_with(
        &[(
            1,
            "continuous improvement philosophies",
            &[],
            "Ideas behind quality management systems such as Kaizen.",
        )],
        &[],
    );
    assert_eq!(
        found(&extractor, "Deliver change and continuous improvement."),
        [(1, Signal::Phrase)]
    );
    // Not from a phrase ending in a small word ("decisions about").
    let extractor = extractor_with(
        &[(
            2,
            "making decisions about landscaping",
            &[],
            "Decide on gardens.",
        )],
        &[],
    );
    // (A clause naming nothing else gets its nearest label, a paraphrase, not a phrase.)
    assert!(
        found(&extractor, "Make decisions about budgets.")
            .iter()
            .all(|h| h.1 == Signal::Paraphrase)
    );
}

#[test]
fn phrases_give_way_to_labels_and_stand_for_few_skills() {
    let extractor = extractor_with(
        &[
            (1, "make decisions", &[], "Choose between options."),
            (
                2,
                "make decisions regarding landscaping",
                &[],
                "Decide on gardens.",
            ),
        ],
        &[],
    );
    // "make decisions regarding" would be a phrase of skill 2 (its verb is not known here, so it
    // is the noun rule's), but the label of skill 1 inside it still counts.
    let hits = found(&extractor, "Make decisions regarding budgets.");
    assert!(hits.contains(&(1, Signal::Label)), "{hits:?}");
    // A phrase four skills share names none of them.
    let many: Vec<(u32, String, Vec<&str>, String)> = (1..=4)
        .map(|i| {
            (
                i,
                format!("data quality standard {i}"),
                vec![],
                "Data.".to_owned(),
            )
        })
        .collect();
    let mut builder = ExtractorBuilder::new();
    for (skill, label, _, description) in &many {
        builder.label(*skill, label, LabelKind::Preferred);
        builder.description(*skill, description);
    }
    let extractor = builder.build().expect("builds");
    assert!(
        extractor
            .extract("data quality standard", NO_RETRIEVAL)
            .hits
            .iter()
            .all(|h| h.signal == Signal::Paraphrase && h.confidence < 0.15)
    );
}

#[test]
fn a_common_one_word_label_counts_only_where_its_clause_confirms_it() {
    // "board" in the labels and descriptions of sixty skills: alone it names none of them.
    let fillers: Vec<(String, String)> = (0..60)
        .map(|i| {
            (
                format!("board task {i}"),
                format!("Work on board number {i}."),
            )
        })
        .collect();
    let extractor = extractor_with(
        &[
            (
                1,
                "scaffolding components",
                &["board"],
                "The parts a scaffolding is built from: tubes, couplers and planks.",
            ),
            (2, "spreadsheet software", &["Excel"], "Tabular data tools."),
        ],
        &fillers,
    );
    assert!(found(&extractor, "Report to the Board on progress.").is_empty());
    assert_eq!(
        found(&extractor, "Fix each board with couplers."),
        [(1, Signal::Label)]
    );
    // The clause ends at the full stop: the next sentence does not confirm it.
    assert!(found(&extractor, "Report to the board. Couplers are extra.").is_empty());
    // A word few skills use needs nothing more.
    assert_eq!(
        found(&extractor, "Experience with Excel."),
        [(2, Signal::Label)]
    );
    let skills = extractor.skills_all(&["Report to the Board.", "Fix each board with couplers."]);
    assert_eq!(skills[0], Vec::<u32>::new());
    assert_eq!(skills[1], [1]);
}

/// A skill noun confirms a common one-word label also across "and"/"or" ("communication and
/// presentation skills"), but not past another word or the clause's end.
#[test]
fn a_common_label_is_named_as_a_skill_across_and() {
    let fillers: Vec<(String, String)> = (0..60)
        .map(|i| {
            (
                format!("communication task {i}"),
                format!("Communication number {i}."),
            )
        })
        .collect();
    let extractor = extractor_with(
        &[(
            1,
            "communication",
            &[],
            "Exchanging information with others.",
        )],
        &fillers,
    );
    for named in [
        "Good communication skills.",
        "Excellent communication and collaboration skills.",
        "Good communication and presentation skills in English.",
        "Strong communication or writing abilities.",
    ] {
        assert_eq!(found(&extractor, named), [(1, Signal::Label)], "{named}");
    }
    for not_named in [
        "Radio communication in the field.",
        "Communication with the field team and skills training.",
    ] {
        assert!(found(&extractor, not_named).is_empty(), "{not_named}");
    }
}
