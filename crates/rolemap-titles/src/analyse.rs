//! How a title becomes words: folded to lowercase ASCII where it can be, punctuation dropped,
//! abbreviations spelt out, and each word given a weight (seniority words count for less).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Abbreviations people write in job titles, and what they stand for. A word is looked up whole
/// (after folding), so "it" means ICT only as a word of its own; the expansion is analysed as if
/// it had been written out.
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("acct", "accountant"),
    ("admin", "administrator"),
    ("assoc", "associate"),
    ("asst", "assistant"),
    ("ceo", "chief executive officer"),
    ("cfo", "chief financial officer"),
    ("cio", "chief information officer"),
    ("coo", "chief operating officer"),
    ("coord", "coordinator"),
    ("cto", "chief technology officer"),
    ("cust", "customer"),
    ("dba", "database administrator"),
    ("dept", "department"),
    ("dev", "developer"),
    ("devs", "developers"),
    ("dir", "director"),
    ("elec", "electrical"),
    ("eng", "engineer"),
    ("engr", "engineer"),
    ("exec", "executive"),
    ("gp", "general practitioner"),
    ("hgv", "heavy goods vehicle"),
    ("hr", "human resources"),
    ("it", "ict"),
    ("jnr", "junior"),
    ("jr", "junior"),
    ("maint", "maintenance"),
    ("mech", "mechanical"),
    ("mfg", "manufacturing"),
    ("mgmt", "management"),
    ("mgr", "manager"),
    ("mgrs", "managers"),
    ("mkt", "marketing"),
    ("mktg", "marketing"),
    ("mngr", "manager"),
    ("ops", "operations"),
    ("pa", "personal assistant"),
    ("pm", "project manager"),
    ("qa", "quality assurance"),
    ("qc", "quality control"),
    ("rep", "representative"),
    ("snr", "senior"),
    ("sr", "senior"),
    ("supv", "supervisor"),
    ("svc", "service"),
    ("sw", "software"),
    ("sysadmin", "system administrator"),
    ("tech", "technician"),
    ("ux", "user experience"),
    ("vp", "vice president"),
];

/// Words that say how senior a job is more than what it is: they count for less than other
/// words (by [`crate::Weights::seniority`]) in the query and in the labels alike.
pub const SENIORITY_WORDS: &[&str] = &[
    "apprentice",
    "associate",
    "chief",
    "deputy",
    "entry",
    "experienced",
    "graduate",
    "head",
    "intern",
    "junior",
    "lead",
    "level",
    "principal",
    "senior",
    "trainee",
];

/// Words that join others and say little about the job; left out of the word scores.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "with",
];

/// One word of an analysed title and how much it counts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    pub(crate) text: String,
    pub(crate) weight: f32,
    /// A joining word: left out of the word scores, kept for the spelling score.
    pub(crate) stop: bool,
}

/// Lowercase words of `title`: accents folded, apostrophes dropped, any other character that is
/// not a letter or digit read as a space, and runs of single letters joined ("g.p." is "gp").
pub fn normalise(title: &str) -> Vec<String> {
    let mut folded = String::with_capacity(title.len());
    for c in title.nfkd() {
        if is_combining_mark(c) || c == '\'' || c == '\u{2019}' {
            continue;
        }
        if c.is_alphanumeric() {
            folded.extend(c.to_lowercase());
        } else {
            folded.push(' ');
        }
    }
    let mut words: Vec<String> = Vec::new();
    let mut letters = String::new();
    for word in folded.split_whitespace() {
        if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
            letters.push_str(word);
            continue;
        }
        if !letters.is_empty() {
            words.push(std::mem::take(&mut letters));
        }
        words.push(word.to_owned());
    }
    if !letters.is_empty() {
        words.push(letters);
    }
    words
}

/// The words of `title` with abbreviations spelt out, seniority words weighted by `seniority`.
pub(crate) fn words(title: &str, seniority: f32) -> Vec<Word> {
    let mut out = Vec::new();
    for word in normalise(title) {
        let expansion = ABBREVIATIONS
            .binary_search_by(|(short, _)| (*short).cmp(word.as_str()))
            .ok()
            .map(|i| ABBREVIATIONS[i].1);
        match expansion {
            Some(long) => out.extend(long.split(' ').map(|w| word_of(w, seniority))),
            None => out.push(word_of(&word, seniority)),
        }
    }
    out
}

/// Which word of a title names the job (its head): the last word before the first joining word
/// ("manager" in "manager of sales"), else the last word ("manager" in "sales manager").
pub(crate) fn head(words: &[Word]) -> Option<usize> {
    match words.iter().position(|w| w.stop) {
        Some(0) | None => words.iter().rposition(|w| !w.stop),
        Some(at) => Some(at - 1),
    }
}

fn word_of(text: &str, seniority: f32) -> Word {
    let weight = if SENIORITY_WORDS.binary_search(&text).is_ok() {
        seniority
    } else {
        1.0
    };
    Word {
        text: text.to_owned(),
        weight,
        stop: STOP_WORDS.binary_search(&text).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(title: &str, expected: &[&str]) {
        let got: Vec<String> = words(title, 1.0).into_iter().map(|w| w.text).collect();
        assert_eq!(got, expected, "{title}");
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(SENIORITY_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn folds_case_accents_and_punctuation() {
        check("Café  Manager/Owner", &["cafe", "manager", "owner"]);
        check("Director's P.A.", &["directors", "personal", "assistant"]);
        check("G.P.", &["general", "practitioner"]);
    }

    #[test]
    fn spells_out_abbreviations() {
        check(
            "Snr IT Ops Mgr",
            &["senior", "ict", "operations", "manager"],
        );
        check("HR admin", &["human", "resources", "administrator"]);
    }

    #[test]
    fn the_head_word_is_the_last_before_a_joining_word() {
        let head = |title: &str| {
            let words = words(title, 1.0);
            head(&words).map(|at| words[at].text.clone())
        };
        assert_eq!(head("sales manager").as_deref(), Some("manager"));
        assert_eq!(head("manager of sales").as_deref(), Some("manager"));
        assert_eq!(head("of the sea").as_deref(), Some("sea"));
        assert_eq!(head("").as_deref(), None);
    }

    #[test]
    fn weighs_seniority_words_down() {
        let got = words("senior nurse", 0.5);
        assert_eq!(got[0].weight, 0.5);
        assert_eq!(got[1].weight, 1.0);
    }
}
