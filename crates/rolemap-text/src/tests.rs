//! Unit tests: normalisation and spans, overlap resolution, negation, the paraphrase signal, and
//! the source documents' own duty statements against a small hand-written skill list.

use crate::extract::{CALIBRATION_LABEL, resolve_for_test};
use crate::{Extraction, Extractor, ExtractorBuilder, LabelKind, Normaliser, Signal, Signals};

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

/// Seed 003: the Senior leader standard's 12 duties.
const SENIOR_LEADER_DUTIES: &str = "Set the overall strategic direction of their area of responsibility in partnership with the Board (or equivalent), encouraging employees to buy into the organisation’s vision.
Lead on the development and critical review of operational policies and practices within their area of responsibility, to ensure they are aligned to the needs of the organisation and remain fit for purpose and sustainable.
Lead and influence agreed projects to deliver organisational strategy such as change and agile transformation programmes, diversification, new product implementation, and customer experience improvement.
Make decisions about organisational resource requirements (budgets, people, technology) based on strategic insight and reliable evidence.
Lead and respond to crisis management, assessing the risks and opportunities which could affect the business/department performance, and finding solutions that meet the needs of both the organisation and its customers/stakeholders in a responsible and ethical way.
Lead people development including talent management, succession planning, workforce design, and coaching, and mentoring arrangements for people within their area of responsibility.
Promote an ethical, inclusive, innovative, and supportive culture that generates continuous business improvement.
Report to the Board (or relevant governance/management structure) on the progress of their operational activities towards achieving business goals.
Cultivate and maintain collaborative relationships with key senior internal and external stakeholders to influence key decision makers as appropriate.
Shape the approach to external communications for their area of responsibility and ensure it aligns with any wider organisational communications strategy.
Proactively keep up to date with social, economic and technological trends and developments relevant to their area of responsibility and wider organisation, and promote innovation to address changing requirements and to take advantage of new opportunities.
Ensure that their area of responsibility is compliant with internal governance, such as any assurance framework requirements, and with external governance, such as any regulatory and statutory requirements.";

/// Seed 000/001: the operations manager's duties.
const OPERATIONS_MANAGER_DUTIES: &str = "Provide leadership and people management.
Keep up to date with IT and digital interventions such as Artificial Intelligence (AI) and software that can be used in their sector.
Analyse, interpret and cascade data to enable tracking, trend analysis and metric reporting to enable decision making for managing objectives and targets.
Manage and influence activities and projects within budget and resources to deliver change and continuous improvement.
Collaborate with and manage stakeholder relationships.
Lead the creation and implementation of their resource plans considering future organisation needs and impact on change requirements.
Interpret and comply with relevant legislation and regulation and the impact on their organisation.
Lead the team and individual training needs and support continuous professional development.
Lead and respond to risk management, assessing the opportunities which could affect individual and team performance, and finding solutions that meet their needs.
Develop and implement their operational plan that aligns with the strategic direction of the organisation.";

#[test]
fn senior_leader_duties_yield_strategy_change_risk_stakeholders_coaching_governance() {
    let skills = skills_of(SENIOR_LEADER_DUTIES);
    for expected in [
        "strategic planning",
        "lead change",
        "risk management",
        "stakeholder management",
        "coaching",
        "corporate governance",
    ] {
        assert!(
            skills.contains(&expected),
            "{expected} missing from {skills:?}"
        );
    }
}

#[test]
fn operations_manager_duties_yield_people_budgets_data_stakeholders_risk_improvement() {
    let skills = skills_of(OPERATIONS_MANAGER_DUTIES);
    for expected in [
        "people management",
        "manage resources",
        "data analysis",
        "stakeholder management",
        "risk management",
        "continuous improvement",
    ] {
        assert!(
            skills.contains(&expected),
            "{expected} missing from {skills:?}"
        );
    }
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
