//! "Did you mean" suggestions for names that resolve to nothing.

/// Up to `limit` candidates closest to `query`, best first. Substring matches rank above mere
/// similarity; ties break alphabetically so the answer is the same every time.
pub fn did_you_mean<'a>(
    query: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<String> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, String)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let lower = candidate.to_lowercase();
            let similarity = strsim::jaro_winkler(&query, &lower)
                .max(strsim::normalized_levenshtein(&query, &lower));
            let contains = lower.contains(&query) || (query.len() >= 4 && query.contains(&lower));
            let word_hit = query
                .split_whitespace()
                .any(|w| w.len() >= 3 && lower.contains(w));
            let score = similarity
                + if contains {
                    1.0
                } else if word_hit {
                    0.3
                } else {
                    0.0
                };
            (score >= 0.75).then(|| (score, candidate.to_owned()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(limit)
        .map(|(_, name)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn typo_finds_the_role() {
        let names = ["Team Leader", "Operations Manager", "Operations Director"];
        assert_eq!(
            did_you_mean("opertions manger", names, 1),
            vec!["Operations Manager"]
        );
    }

    #[test]
    fn unrelated_text_finds_nothing() {
        assert!(did_you_mean("zzzz", ["Team Leader"], 3).is_empty());
    }

    #[test]
    fn partial_name_ranks_substring_first() {
        let names = [
            "Front Line Help and Advice",
            "Front Line Service Delivery",
            "Team Leader",
        ];
        let got = did_you_mean("help", names, 2);
        assert_eq!(got[0], "Front Line Help and Advice");
    }
}
