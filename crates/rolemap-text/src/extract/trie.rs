//! The label trie over word numbers, and overlap resolution of its matches.

use super::LabelKind;
use rustc_hash::FxHashMap;

/// No node, no pattern.
pub(super) const NONE: u32 = u32::MAX;

/// Every label as a path of word numbers: the goto function of an Aho-Corasick automaton whose
/// alphabet is the vocabulary. Matching starts a walk at every word of the text, so it finds every
/// label occurrence, overlapping ones included, without failure links; with words as letters a
/// walk rarely goes past two or three steps.
///
/// Invariants: node 0 is the root; nodes are numbered by depth, so the first-level nodes every
/// word of a text visits sit together in memory; `nodes[n]` is the pattern ending at node n (or
/// [`NONE`]) and a mask of its children's words (bit `word % 32`), which rules out most
/// second steps without a hash lookup.
#[derive(Debug, Clone, Default)]
pub(super) struct PhraseTrie {
    /// Per word number, the first step from the root.
    pub(super) first: Vec<Step>,
    /// (node << 32 | word) to the next node.
    pub(super) next: FxHashMap<u64, u32>,
    pub(super) nodes: Vec<(u32, u32)>,
}

/// A node as a walk meets it: its number, the pattern ending there (or [`NONE`]) and its
/// children's mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Step {
    pub(super) node: u32,
    pub(super) pattern: u32,
    pub(super) children: u32,
}

pub(super) const NO_STEP: Step = Step {
    node: NONE,
    pattern: NONE,
    children: 0,
};

pub(super) fn bit(term: u32) -> u32 {
    1 << (term % 32)
}

impl PhraseTrie {
    pub(super) fn build(words: usize, patterns: &[Vec<u32>]) -> PhraseTrie {
        // Built by insertion, then renumbered by depth.
        let mut first = vec![NONE; words];
        let mut next: FxHashMap<u64, u32> = FxHashMap::default();
        let mut ends = vec![NONE];
        let mut depths = vec![0u32];
        for (pattern, terms) in patterns.iter().enumerate() {
            let mut node = 0u32;
            for (depth, &term) in terms.iter().enumerate() {
                let existing = if depth == 0 {
                    first[term as usize]
                } else {
                    next.get(&key(node, term)).copied().unwrap_or(NONE)
                };
                node = if existing == NONE {
                    let created = ends.len() as u32;
                    ends.push(NONE);
                    depths.push(depth as u32 + 1);
                    if depth == 0 {
                        first[term as usize] = created;
                    } else {
                        next.insert(key(node, term), created);
                    }
                    created
                } else {
                    existing
                };
            }
            ends[node as usize] = pattern as u32;
        }
        let mut order: Vec<u32> = (0..ends.len() as u32).collect();
        order.sort_by_key(|&n| (depths[n as usize], n));
        let mut renumbered = vec![0u32; ends.len()];
        for (new, &old) in order.iter().enumerate() {
            renumbered[old as usize] = new as u32;
        }
        let mut nodes: Vec<(u32, u32)> = order.iter().map(|&old| (ends[old as usize], 0)).collect();
        for f in first.iter_mut().filter(|f| **f != NONE) {
            *f = renumbered[*f as usize];
        }
        let mut edges: Vec<(u64, u32)> = next
            .into_iter()
            .map(|(k, child)| {
                let (parent, term) = ((k >> 32) as u32, k as u32);
                let parent = renumbered[parent as usize];
                nodes[parent as usize].1 |= bit(term);
                (key(parent, term), renumbered[child as usize])
            })
            .collect();
        edges.sort_unstable();
        let first = first
            .into_iter()
            .map(|node| match nodes.get(node as usize) {
                Some(&(pattern, children)) => Step {
                    node,
                    pattern,
                    children,
                },
                None => NO_STEP,
            })
            .collect();
        PhraseTrie {
            first,
            next: edges.into_iter().collect(),
            nodes,
        }
    }

    /// The first step for a word.
    pub(super) fn first_step(&self, term: u32) -> Step {
        self.first.get(term as usize).copied().unwrap_or(NO_STEP)
    }

    /// Every (first word, end word, pattern) in `terms`, by first word then length; `steps[i]`
    /// is the first step for word i.
    pub(super) fn find_all(&self, terms: &[u32], steps: &[Step], out: &mut Vec<(u32, u32, u32)>) {
        for (start, step) in steps.iter().enumerate() {
            if step.node == NONE {
                continue;
            }
            let (mut node, mut pattern, mut children) = (step.node, step.pattern, step.children);
            let mut end = start + 1;
            loop {
                if pattern != NONE {
                    out.push((start as u32, end as u32, pattern));
                }
                let Some(&t) = terms.get(end) else {
                    break;
                };
                if children & bit(t) == 0 {
                    break;
                }
                match self.next.get(&key(node, t)) {
                    Some(&child) => node = child,
                    None => break,
                }
                (pattern, children) = self.nodes[node as usize];
                end += 1;
            }
        }
    }
}

pub(super) fn key(node: u32, term: u32) -> u64 {
    (u64::from(node) << 32) | u64::from(term)
}

/// A skill a label pattern names.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub(super) skill: u32,
    pub(super) label: u32,
    pub(super) kind: LabelKind,
    /// A hash of the label normalised, to tell an exact match from one of stems only without
    /// reading the label.
    pub(super) surface: u64,
    /// For a one-word label, its word in `Extractor::single_words`; else [`NONE`].
    pub(super) single: u32,
    /// The label is case-marked ("IT", "SQL", "iOS"): the text must write it as the label does
    /// or in capitals, never "it" or a sentence-initial "It" ([`case_matches`]).
    pub(super) acronym: bool,
    /// The label has at most [`SHORT_LABEL`] characters: only its exact form counts (no plural,
    /// no stem, never the end of "you're").
    pub(super) short: bool,
    /// A one-word label whose word is common ([`Paraphrases::is_common`]): it counts only when
    /// its clause holds another word of the skill's labels or description.
    pub(super) confirm: bool,
    /// The pattern is a phrase of the label ([`Signal::Phrase`]): its words after its verb, or
    /// a noun label's words before its last.
    pub(super) phrase: bool,
}

/// Keeps the matches that are not wholly inside a longer one. `matches` are (first word, end
/// word, pattern), ordered by first word then length, as [`PhraseTrie::find_all`] gives them; they
/// stay in that order. One pass: a match is inside another when a longer one starts at the same
/// word, or one starting earlier reaches at least as far.
pub(super) fn resolve_overlaps(matches: &mut Vec<(u32, u32, u32)>) {
    let mut reach = 0u32;
    let mut kept = 0;
    let mut i = 0;
    while i < matches.len() {
        let (start, end, pattern) = matches[i];
        let longest_here = matches.get(i + 1).is_none_or(|next| next.0 != start);
        if longest_here {
            if end > reach {
                matches[kept] = (start, end, pattern);
                kept += 1;
            }
            reach = reach.max(end);
        }
        i += 1;
    }
    matches.truncate(kept);
}

#[cfg(test)]
pub(crate) fn resolve_for_test(matches: &mut Vec<(u32, u32, u32)>) {
    matches.sort_unstable_by_key(|&(s, e, p)| (s, e - s, p));
    resolve_overlaps(matches)
}
