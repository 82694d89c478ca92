#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn doc(kind: Kind, id: i64, framework: &str, preferred: &str) -> SearchDoc {
    SearchDoc {
        kind,
        id,
        framework: framework.into(),
        preferred: preferred.into(),
        ..SearchDoc::default()
    }
}

fn sample() -> SearchIndex {
    let mut ict = doc(Kind::Role, 1, "esco", "ICT operations manager");
    ict.alternative = vec![
        "IT operations manager".into(),
        "ICT operations supervisor".into(),
    ];
    ict.description = "ICT operations managers are responsible for the daily running of \
                       computer systems and networks."
        .into();
    let mut ops = doc(Kind::Role, 2, "esco", "operations manager");
    ops.alternative = vec!["head of operations".into()];
    let mut hotel = doc(Kind::Role, 3, "esco", "hotel concierge");
    hotel.hidden = vec!["hall porter".into()];
    hotel.description = "Hotel concierges welcome guests and help them with reservations.".into();
    let mut skill = doc(Kind::Skill, 10, "esco", "manage ICT operations");
    skill.alternative = vec!["run IT operations".into()];
    let mut nurse = doc(Kind::Role, 4, "esco", "nurse responsible for general care");
    nurse.alternative = vec!["general nurse".into()];
    let local = doc(Kind::Role, 100, "acme", "operations manager");
    let mut py = doc(Kind::Skill, 11, "esco", "Python (computer programming)");
    py.description = "The techniques of software development in Python.".into();
    let mut managing = doc(Kind::Skill, 12, "esco", "managing budgets");
    managing.alternative = vec!["budget control".into()];
    SearchIndex::build([ict, ops, hotel, skill, nurse, local, py, managing]).unwrap()
}

fn ids(hits: &[Hit]) -> Vec<(Kind, i64)> {
    hits.iter().map(|h| (h.kind, h.id)).collect()
}

#[test]
fn typos_find_the_role() {
    let index = sample();
    let hits = index.search(&Query::new("opertions manger")).unwrap();
    assert_eq!(hits[0].label, "operations manager", "{hits:#?}");
    assert_eq!(hits[0].field, MatchField::Preferred);
    assert!(ids(&hits).contains(&(Kind::Role, 1)));
}

#[test]
fn word_order_does_not_matter() {
    let index = sample();
    let hits = index
        .search(&Query::new("manager ICT operations").kind(Kind::Role))
        .unwrap();
    assert_eq!(hits[0].id, 1, "{hits:#?}");
    assert_eq!(hits[0].matched, "ICT operations manager");
    assert_eq!(hits[0].field, MatchField::Preferred);
    assert!(hits[0].score > 0.99, "{}", hits[0].score);
}

#[test]
fn exact_label_ranks_first() {
    let index = sample();
    let hits = index
        .search(&Query::new("operations manager").framework("esco"))
        .unwrap();
    assert_eq!(hits[0].id, 2, "{hits:#?}");
    assert_eq!(hits[1].id, 1);
}

#[test]
fn an_alternative_label_hit_names_it() {
    let index = sample();
    let hits = index.search(&Query::new("head of operations")).unwrap();
    assert_eq!(hits[0].id, 2, "{hits:#?}");
    assert_eq!(hits[0].matched, "head of operations");
    assert_eq!(hits[0].field, MatchField::Alternative);
    assert_eq!(hits[0].label, "operations manager");

    let hits = index.search(&Query::new("IT operations manager")).unwrap();
    assert_eq!(hits[0].id, 1, "{hits:#?}");
    assert_eq!(hits[0].matched, "IT operations manager");
    assert_eq!(hits[0].field, MatchField::Alternative);
}

#[test]
fn a_hidden_label_is_found() {
    let index = sample();
    let hits = index.search(&Query::new("hall porter")).unwrap();
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(hits[0].id, 3);
    assert_eq!(hits[0].field, MatchField::Hidden);
    assert_eq!(hits[0].matched, "hall porter");
    assert_eq!(hits[0].label, "hotel concierge");
}

#[test]
fn a_description_hit_quotes_it() {
    let index = sample();
    let hits = index.search(&Query::new("reservations guests")).unwrap();
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(hits[0].id, 3);
    assert_eq!(hits[0].field, MatchField::Description);
    assert!(hits[0].matched.contains("guests"), "{}", hits[0].matched);
}

#[test]
fn labels_rank_above_descriptions() {
    let index = sample();
    let hits = index.search(&Query::new("python")).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].field, MatchField::Preferred);
    let hits = index.search(&Query::new("computer")).unwrap();
    // The skill's label says "computer"; the role's description does.
    assert_eq!(
        ids(&hits),
        vec![(Kind::Skill, 11), (Kind::Role, 1)],
        "{hits:#?}"
    );
    assert_eq!(hits[1].field, MatchField::Description);
}

#[test]
fn kind_filter() {
    let index = sample();
    let hits = index
        .search(&Query::new("ICT operations").kind(Kind::Skill))
        .unwrap();
    assert_eq!(ids(&hits), vec![(Kind::Skill, 10)], "{hits:#?}");
    let hits = index
        .search(&Query::new("ICT operations").kind(Kind::Role))
        .unwrap();
    assert_eq!(ids(&hits), vec![(Kind::Role, 1)], "{hits:#?}");
}

#[test]
fn framework_filter() {
    let index = sample();
    let hits = index
        .search(&Query::new("operations manager").framework("acme"))
        .unwrap();
    assert_eq!(ids(&hits), vec![(Kind::Role, 100)]);
    assert_eq!(hits[0].framework, "acme");
    let hits = index
        .search(&Query::new("operations manager").framework("nope"))
        .unwrap();
    assert!(hits.is_empty());
}

#[test]
fn limit_is_kept() {
    let index = sample();
    let all = index.search(&Query::new("operations")).unwrap();
    assert!(all.len() >= 4, "{all:#?}");
    let two = index.search(&Query::new("operations").limit(2)).unwrap();
    assert_eq!(two, all[..2].to_vec());
    assert!(
        index
            .search(&Query::new("operations").limit(0))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn empty_and_blank_queries_find_nothing() {
    let index = sample();
    for text in ["", "   ", "?!,", "—"] {
        assert!(
            index.search(&Query::new(text)).unwrap().is_empty(),
            "{text:?}"
        );
    }
}

#[test]
fn all_words_matter() {
    let index = sample();
    let hits = index.search(&Query::new("hotel manager")).unwrap();
    // No concept has both words; the ones with one of them come after, with low scores.
    assert!(hits.iter().all(|h| h.score < 0.2), "{hits:#?}");
    let hits = index.search(&Query::new("ICT operations manager")).unwrap();
    assert_eq!(hits[0].id, 1);
    assert!(hits[0].score > 0.9);
    assert!(hits[1..].iter().all(|h| h.score < hits[0].score));
}

#[test]
fn last_word_is_a_prefix_while_typing() {
    let index = sample();
    let hits = index.search(&Query::new("hotel conc")).unwrap();
    assert_eq!(ids(&hits), vec![(Kind::Role, 3)], "{hits:#?}");
    // Not once the word is finished.
    let hits = index.search(&Query::new("hotel conc ")).unwrap();
    assert!(hits.iter().all(|h| h.score < 0.2), "{hits:#?}");
}

#[test]
fn stems_and_stop_words() {
    let index = sample();
    let hits = index.search(&Query::new("manage budget")).unwrap();
    assert_eq!(hits[0].id, 12, "{hits:#?}");
    let hits = index.search(&Query::new("the general nurse")).unwrap();
    assert_eq!(hits[0].id, 4, "{hits:#?}");
    assert_eq!(hits[0].matched, "general nurse");
}

#[test]
fn accents_and_case_fold() {
    let index = SearchIndex::build([doc(Kind::Skill, 1, "x", "Café management")]).unwrap();
    let hits = index.search(&Query::new("CAFE")).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].matched, "Café management");
}

#[test]
fn results_are_deterministic() {
    // Concepts with the same label tie on score; they come in id order, however they were given.
    let docs: Vec<SearchDoc> = (0..50)
        .map(|i| doc(Kind::Skill, (i * 37) % 50, "esco", "data analysis"))
        .collect();
    let mut reversed = docs.clone();
    reversed.reverse();
    let a = SearchIndex::build(docs).unwrap();
    let b = SearchIndex::build(reversed).unwrap();
    let query = Query::new("data analysys").limit(10);
    let first = a.search(&query).unwrap();
    assert_eq!(
        first.iter().map(|h| h.id).collect::<Vec<_>>(),
        (0..10).collect::<Vec<_>>()
    );
    for _ in 0..5 {
        assert_eq!(a.search(&query).unwrap(), first);
        assert_eq!(b.search(&query).unwrap(), first);
    }
}

#[test]
fn edit_distance_counts_swaps_as_one() {
    let d = |a: &str, b: &str, max| edit_distance(&a.chars().collect::<Vec<_>>(), b, max);
    assert_eq!(d("manager", "manager", 2), Some(0));
    assert_eq!(d("manger", "manager", 1), Some(1));
    assert_eq!(d("mnaager", "manager", 1), Some(1));
    assert_eq!(d("mangaer", "manager", 1), Some(1));
    assert_eq!(d("opertions", "operations", 2), Some(1));
    assert_eq!(d("abc", "xyz", 2), None);
    assert_eq!(d("ab", "ab", 0), None);
}

#[test]
fn an_empty_index_finds_nothing() {
    let index = SearchIndex::build(Vec::new()).unwrap();
    assert!(index.is_empty());
    assert!(index.search(&Query::new("anything")).unwrap().is_empty());
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<SearchIndex>();
}

#[test]
fn a_typo_in_a_short_word_still_finds_the_rest() {
    let index = sample();
    // "ICT" mistyped as "ITC": too short to be corrected, so concepts matching the other words come.
    let hits = index.search(&Query::new("ITC operations manager")).unwrap();
    assert_eq!(hits[0].id, 2, "{hits:#?}");
    assert!(ids(&hits).contains(&(Kind::Role, 1)));
    assert!(hits.iter().all(|h| h.score < 0.2));
}

#[test]
fn a_label_repeated_among_the_alternatives_is_named_as_preferred() {
    let mut d = doc(Kind::Role, 1, "esco", "technical director");
    d.alternative = vec!["Technical Director".into(), "technical manager".into()];
    let index = SearchIndex::build([d]).unwrap();
    let hits = index.search(&Query::new("technical director")).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].field, MatchField::Preferred);
    assert_eq!(hits[0].matched, "technical director");
    assert_eq!(index.entries.len(), 2);
}

const QUERIES: &[&str] = &[
    "opertions manger",
    "manager ICT operations",
    "hall porter",
    "concierge",
    "general nurse",
    "pyth",
    "budget",
    "managing",
    "daily running computer",
    "the",
];

#[test]
fn an_index_kept_as_files_answers_as_the_one_built() {
    let built = sample();
    let files = built.to_files().unwrap();
    assert!(files.iter().any(|(name, _)| name == "meta.json"));
    assert!(files.iter().any(|(name, _)| name == "rolemap.entries"));
    let opened = SearchIndex::from_files(&files).unwrap();
    assert_eq!(opened.len(), built.len());
    for text in QUERIES {
        for query in [
            Query::new(*text),
            Query::new(*text).kind(Kind::Skill),
            Query::new(*text).framework("acme").limit(3),
        ] {
            assert_eq!(
                opened.search(&query).unwrap(),
                built.search(&query).unwrap(),
                "{query:?}"
            );
        }
    }
    // And again: what was opened keeps as well as what was built.
    let again = SearchIndex::from_files(&opened.to_files().unwrap()).unwrap();
    assert_eq!(
        again.search(&Query::new("opertions manger")).unwrap(),
        built.search(&Query::new("opertions manger")).unwrap()
    );
}

#[test]
fn damaged_or_foreign_files_are_refused_not_trusted() {
    let files = sample().to_files().unwrap();
    let entries_at = files
        .iter()
        .position(|(name, _)| name == "rolemap.entries")
        .unwrap();
    let with_entries = |bytes: Vec<u8>| {
        let mut changed = files.clone();
        changed[entries_at].1 = bytes;
        changed
    };
    let entries = files[entries_at].1.clone();
    let refused = |files: &[(String, Vec<u8>)]| match SearchIndex::from_files(files) {
        Err(SearchError::Corrupt(message)) => message,
        Err(other) => other.to_string(),
        Ok(_) => panic!("damaged files were accepted"),
    };
    assert!(refused(&with_entries(b"RM".to_vec())).contains("ends too early"));
    let mut magic = entries.clone();
    magic[0] = b'X';
    assert!(refused(&with_entries(magic)).contains("not a rolemap search index"));
    let mut version = entries.clone();
    version[4] = 99;
    assert!(refused(&with_entries(version)).contains("format 99"));
    let mut longer = entries.clone();
    longer.push(0);
    assert!(refused(&with_entries(longer)).contains("bytes after the end"));
    let without: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter(|(name, _)| name != "rolemap.entries")
        .cloned()
        .collect();
    assert!(refused(&without).contains("no rolemap.entries"));
    let without_meta: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter(|(name, _)| name != "meta.json")
        .cloned()
        .collect();
    refused(&without_meta);
    let mut sneaky = files.clone();
    sneaky.push(("../escape".to_owned(), Vec::new()));
    assert!(refused(&sneaky).contains("unexpected file name"));
}

/// Every truncation and many single-byte changes of the entries file either are refused or open an
/// index that searches without panicking.
#[test]
fn no_damage_to_the_entries_file_panics() {
    let files = sample().to_files().unwrap();
    let entries_at = files
        .iter()
        .position(|(name, _)| name == "rolemap.entries")
        .unwrap();
    let entries = files[entries_at].1.clone();
    let try_bytes = |bytes: Vec<u8>| {
        let mut changed = files.clone();
        changed[entries_at].1 = bytes;
        if let Ok(index) = SearchIndex::from_files(&changed) {
            for text in QUERIES {
                let _ = index.search(&Query::new(*text));
            }
        }
    };
    for cut in 0..entries.len() {
        try_bytes(entries[..cut].to_vec());
    }
    // Every third byte keeps the test quick; the lengths and numbers are all covered.
    for at in (0..entries.len()).step_by(3) {
        for value in [0u8, 0xff] {
            let mut changed = entries.clone();
            changed[at] = value;
            try_bytes(changed);
        }
    }
}

#[test]
fn files_written_before_the_ids_are_completed_with_them() {
    let mut index = sample();
    let before = index.to_files_before_ids().unwrap();
    let missing = index.assign_ids(|_, _, _| None);
    assert_eq!(missing, index.len());
    index.assign_ids(|_, _, key| Some(1000 + key.len() as i64));
    let files = before.finish(&index);
    assert_eq!(files, index.to_files().unwrap());
    let opened = SearchIndex::from_files(&files).unwrap();
    let hits = opened.search(&Query::new("opertions manger")).unwrap();
    assert_eq!(hits, index.search(&Query::new("opertions manger")).unwrap());
    assert!(hits.iter().all(|h| h.id == 1000 + h.key.len() as i64));
}
