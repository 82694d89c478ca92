//! Label matching: normalisation and spans, stems, overlap resolution, word boundaries, short
//! labels' form and case, the ASCII and Unicode paths.

use super::*;

#[test]
fn normalisation_folds_case_punctuation_and_unicode() {
    let n = Normaliser.normalise("Ｍanaged  BUDGETS—and the ﬁnance; C++ & C#, Café (e\u{301})");
    let words: Vec<&str> = n.tokens.iter().map(|t| n.word(t)).collect();
    assert_eq!(
        words,
        [
            "managed", "budgets", "and", "the", "finance", "c++", "c#", "café", "é"
        ]
    );
    assert_eq!(n.text, "managed budgets and the finance c++ c# café é");
    // "c++" starts a clause after the semicolon; "é" after the bracket.
    let breaks: Vec<bool> = n.tokens.iter().map(|t| t.clause_break).collect();
    assert_eq!(
        breaks,
        [false, false, false, false, false, true, false, false, true]
    );
}

#[test]
fn spans_point_into_the_original_text() {
    let text = "Ｍanaged  BUDGETS—and the ﬁnance";
    let n = Normaliser.normalise(text);
    // "budgets" in the normalised text is bytes 8..15.
    assert_eq!(n.original_span(text, 8, 15), Some((9, 16)));
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars[9..16].iter().collect::<String>(), "BUDGETS");
    // "finance" came from a ligature: its span is the original's characters.
    let (s, e) = n.original_span(text, 24, 31).expect("a word");
    assert_eq!(chars[s..e].iter().collect::<String>(), "ﬁnance");
}

#[test]
fn hits_carry_character_spans_for_non_ascii_text() {
    check(
        "Über-motivated: you’ll MANAGE BUDGETS and run the café management.",
        Signals::LABELS,
        "MANAGE BUDGETS -> manage budgets\ncafé management -> café management",
    );
}

#[test]
fn inflections_match_through_stems() {
    check(
        "She managed budgets and managing risks.",
        Signals::LABELS,
        "managed budgets -> manage budgets\nmanaging risks -> risk management",
    );
    let extraction = extractor().extract("manage budgets; managed budgets", Signals::LABELS);
    assert_eq!(
        extraction.hits[0].confidence,
        crate::extract::CALIBRATION_LABEL
    );
    assert!(
        extraction.hits[1].confidence < extraction.hits[0].confidence,
        "stems only: lower confidence"
    );
}

#[test]
fn alternative_and_hidden_labels_match_with_their_kind() {
    let extraction = extractor().extract("Good at budgeting and risk mgmt.", Signals::LABELS);
    let kinds: Vec<(u32, LabelKind)> = extraction.hits.iter().map(|h| (h.skill, h.kind)).collect();
    assert_eq!(kinds, [(1, LabelKind::Alternative), (6, LabelKind::Hidden)]);
    let extractor = extractor();
    assert_eq!(extractor.label(extraction.hits[1].label), "risk mgmt");
}

#[test]
fn longest_match_wins_and_nested_matches_are_dropped() {
    check(
        "Experience with project management software is essential.",
        Signals::LABELS,
        "project management software -> project management software",
    );
}

#[test]
fn crossing_matches_are_both_kept() {
    // "manage staff" and "staff training" share "staff": each is a whole phrase of the text.
    check(
        "You will manage staff training.",
        Signals::LABELS,
        "manage staff -> people management\nstaff training -> staff training",
    );
}

#[test]
fn overlap_resolution_orders_by_position() {
    let mut matches = vec![
        (2, 3, 7),
        (0, 3, 1),
        (0, 1, 2),
        (1, 4, 3),
        (5, 6, 9),
        (3, 4, 8),
    ];
    resolve_for_test(&mut matches);
    // (2,3) and (0,1) lie inside (0,3), (3,4) inside (1,4); (1,4) crosses (0,3) and is kept.
    assert_eq!(matches, [(0, 3, 1), (1, 4, 3), (5, 6, 9)]);
}

#[test]
fn matches_stay_on_word_boundaries() {
    check(
        "Mismanage budgetsheet; sqlite; C+++ C++.",
        Signals::LABELS,
        "C++ -> C++",
    );
}

#[test]
fn an_empty_lexicon_finds_nothing() {
    let extractor = ExtractorBuilder::new().build().expect("builds");
    assert!(
        extractor
            .extract("manage budgets", Signals::ALL)
            .hits
            .is_empty()
    );
}

#[test]
fn ascii_and_unicode_paths_agree() {
    let ascii = "Managed C++ budgets; (SQL) and c#: done. X+Y #tag";
    let n = Normaliser.normalise(ascii);
    // The same text with one non-ASCII character at the end takes the general path.
    let unicode = format!("{ascii} é");
    let m = Normaliser.normalise(&unicode);
    assert_eq!(m.text, format!("{} é", n.text));
    assert_eq!(&m.tokens[..n.tokens.len()], &n.tokens[..]);
}

#[test]
fn ascii_text_is_read_in_place_with_the_same_words() {
    let text = "Managed C++ budgets; (SQL) and c#: done. X+Y #tag a-very-long-hyphenated-word \
                internationalisations";
    let n = Normaliser.normalise(text);
    let (mut tokens, mut keys) = (Vec::new(), Vec::new());
    crate::normalise::ascii_words(text, &mut tokens, &mut keys);
    assert_eq!(tokens.len(), n.tokens.len());
    for ((fast, slow), key) in tokens.iter().zip(&n.tokens).zip(&keys) {
        assert_eq!(
            (fast.start, fast.end, fast.clause_break),
            (slow.start, slow.end, slow.clause_break)
        );
        assert_eq!(*key, crate::stem::short_key(n.word(slow)).unwrap_or(0));
    }
}

#[test]
fn skills_alone_are_the_counted_label_skills() {
    let extractor = extractor();
    let mut scratch = crate::Scratch::default();
    for text in [
        "There is no budget management responsibility. SQL is not required.",
        "Experience with project management software; you will manage staff training.",
        "Über-motivated: MANAGE BUDGETS, risk mgmt, it and C++.",
        "",
    ] {
        let full = extractor.extract(text, Signals::LABELS).skills();
        assert_eq!(extractor.skills_with(&mut scratch, text), full, "{text}");
    }
    let texts = ["manage budgets", "no SQL", "lead change"];
    let all = extractor.skills_all(&texts);
    assert_eq!(all, [vec![1], vec![], vec![7]]);
}

#[test]
fn paraphrases_inside_a_label_match_are_dropped() {
    // "project management software" is a label match; "manage projects" is not also paraphrased
    // from its words, but is from words outside any match.
    check(
        "Experience with project management software. Projects we manage are large.",
        NO_RETRIEVAL,
        "project management software -> project management software
Projects we manage -> project management (paraphrase)",
    );
}

/// Short and case-marked labels: "IT" is not a sentence-initial "It", "re" is not the end of
/// "you're", "iOS" is not "ios", and a short label that is not its skill's own name ("POS" of a
/// consensus mechanism) needs a confirming word in its clause.
#[test]
fn short_labels_need_their_form_and_case() {
    let mut builder = ExtractorBuilder::new();
    builder.label(1, "computer technology", LabelKind::Preferred);
    builder.label(1, "IT", LabelKind::Alternative);
    builder.description(1, "Computers, networks and software.");
    builder.label(2, "instrumentation equipment", LabelKind::Preferred);
    builder.label(2, "re", LabelKind::Alternative);
    builder.description(2, "Devices that measure and control processes.");
    builder.label(3, "iOS", LabelKind::Preferred);
    builder.description(3, "Apple's mobile operating system.");
    builder.label(4, "blockchain consensus mechanisms", LabelKind::Preferred);
    builder.label(4, "POS", LabelKind::Alternative);
    builder.description(
        4,
        "Proof of stake and proof of work secure a blockchain ledger.",
    );
    builder.label(5, "SQL", LabelKind::Preferred);
    builder.description(5, "A query language.");
    let extractor = builder.build().expect("builds");
    let skills = |text: &str| extractor.extract(text, Signals::LABELS).skills();
    assert_eq!(
        skills("It is a great place, you're welcome"),
        Vec::<u32>::new()
    );
    assert_eq!(skills("Support for IT users and their software"), [1]);
    assert_eq!(skills("Experience with ios and sql"), Vec::<u32>::new());
    assert_eq!(skills("Experience with iOS and SQL"), [3, 5]);
    assert_eq!(
        skills("Operate POS terminals in the shop"),
        Vec::<u32>::new()
    );
    assert_eq!(skills("POS validators on a blockchain"), [4]);
}
