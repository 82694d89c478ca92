//! Text search over roles (occupations) and skills: find them by their preferred, alternative and
//! hidden labels and by their descriptions, tolerant of typos and word order, with each result
//! naming the label it matched.
//!
//! The index lives in RAM. Building the whole of ESCO v1.1.1 (16,903 concepts, 148k labels, 17k
//! descriptions) takes about 0.2 s in release, and a query about 0.6 ms (`examples/bench_search.rs`);
//! an index written out as files (`SearchIndex::to_files`) opens again from them in a fraction of
//! that (`SearchIndex::from_files`), which rolemap does through its database until a framework
//! changes.
//!
//! ```
//! use rolemap_search::{Kind, Query, SearchDoc, SearchIndex, MatchField};
//!
//! let index = SearchIndex::build([SearchDoc {
//!     kind: Kind::Role,
//!     id: 1,
//!     framework: "esco".into(),
//!     key: "ict-operations-manager".into(),
//!     preferred: "ICT operations manager".into(),
//!     alternative: vec!["IT operations manager".into()],
//!     hidden: vec![],
//!     description: "ICT operations managers plan and run the daily ICT operations.".into(),
//! }])?;
//! let hits = index.search(&Query::new("opertions manger"))?;
//! assert_eq!(hits[0].id, 1);
//! assert_eq!(hits[0].matched, "ICT operations manager");
//! assert_eq!(hits[0].field, MatchField::Preferred);
//! # Ok::<(), rolemap_search::SearchError>(())
//! ```
//!
//! # How it works
//!
//! * Every label (preferred, each alternative, each hidden) and every non-empty description is an
//!   entry, kept with its words (as numbers into the vocabulary) and the entries each word occurs
//!   in. tantivy indexes the vocabulary alone, one document per word, and finds the words a query
//!   word matches; their entries that hold every query word are the candidates. The entry says
//!   which concept and which label, so the label a hit names is the one that matched, exactly.
//! * Text is split on anything that is not a letter or digit, lower-cased and folded to ASCII
//!   ("Café" finds "cafe"). Query words that are English stop words ("of", "and", …) are dropped
//!   unless the query has nothing else.
//! * A query word matches a label word that is the same, has the same English stem ("managing",
//!   "manage"), or is within an edit distance of 1 (words of 4 to 7 letters) or 2 (8 letters or
//!   more), a swap of two neighbouring letters counting as one edit. The last word also matches as
//!   a prefix (3 letters or more), for typing as you go.
//! * Every word must match; word order does not matter. Only when that finds nothing, and the
//!   query has two words or more, are concepts that match all words but one shown (so a typo in a
//!   word too short to be corrected still finds something).
//! * Only stop words ("the"): they are looked for as they are, without prefix or typo matching.
//! * Score, in (0, 1]: the field's weight (preferred 1.0, alternative 0.92, hidden 0.85,
//!   description 0.6) × the mean quality of the query words' matches (same word 1.0, same stem
//!   0.9, prefix 0.8, one edit 0.7, two edits 0.5, none 0) × (0.8 + 0.2 × the share of the label's
//!   words that were matched; descriptions count as 0). A concept keeps its best entry. A concept
//!   that missed a word has its score multiplied by 0.2, so it stays below all complete matches.
//! * Ties are broken by preferred label, then id, then kind and framework: the same index and
//!   query always give the same list. Descriptions are scored only while they can still reach the
//!   first `limit` concepts, which keeps broad queries ("manager", "man") to a few milliseconds.
//! * The index is `Send + Sync`; share it behind an `Arc` and swap in a rebuilt one after an
//!   import.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, Query as TantivyQuery, TermQuery};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use tantivy::{DocId, Index, IndexWriter, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

/// The best score a description can have.
const DESCRIPTION_MAX: f32 = 0.6 * 0.8;

/// Whether a concept is a role (an occupation) or a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Kind {
    #[default]
    Role,
    Skill,
}

/// Which of a concept's texts a hit matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchField {
    Preferred,
    Alternative,
    Hidden,
    Description,
}

impl MatchField {
    fn weight(self) -> f32 {
        match self {
            MatchField::Preferred => 1.0,
            MatchField::Alternative => 0.92,
            MatchField::Hidden => 0.85,
            MatchField::Description => 0.6,
        }
    }
}

/// One concept to index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchDoc {
    pub kind: Kind,
    /// The concept's id in the store.
    pub id: i64,
    /// The framework's key (e.g. "esco").
    pub framework: String,
    /// The concept's key in its framework (ESCO's URI, say); hits carry it back.
    pub key: String,
    pub preferred: String,
    pub alternative: Vec<String>,
    pub hidden: Vec<String>,
    /// May be empty.
    pub description: String,
}

/// What to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    /// Only roles, or only skills.
    pub kind: Option<Kind>,
    /// Only this framework (its key, as given in [`SearchDoc::framework`]).
    pub framework: Option<String>,
    /// At most this many hits.
    pub limit: usize,
}

impl Query {
    /// Default limit of a query.
    pub const DEFAULT_LIMIT: usize = 20;

    /// A query for `text` over every kind and framework, with [`Query::DEFAULT_LIMIT`].
    pub fn new(text: impl Into<String>) -> Query {
        Query {
            text: text.into(),
            kind: None,
            framework: None,
            limit: Self::DEFAULT_LIMIT,
        }
    }

    pub fn kind(mut self, kind: Kind) -> Query {
        self.kind = Some(kind);
        self
    }

    pub fn framework(mut self, framework: impl Into<String>) -> Query {
        self.framework = Some(framework.into());
        self
    }

    pub fn limit(mut self, limit: usize) -> Query {
        self.limit = limit;
        self
    }
}

/// One concept found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: Kind,
    pub id: i64,
    pub framework: String,
    /// The concept's key in its framework.
    pub key: String,
    /// The concept's preferred label.
    pub label: String,
    /// The label that matched, or for a description match an excerpt of the description around
    /// the first matched word (with "…" where it was cut).
    pub matched: String,
    pub field: MatchField,
    /// In (0, 1]; higher is better.
    pub score: f32,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("too many labels to index ({0})")]
    TooLarge(usize),
    /// Files given to [`SearchIndex::from_files`] are not a whole index of this version.
    #[error("search index files: {0}")]
    Corrupt(String),
}

const TOKENIZER: &str = "rolemap";
/// The field holding a vocabulary word's number.
const WORD: &str = "word";
/// tantivy's least: ESCO's vocabulary (about 22k words) stays well inside one segment.
const WRITER_MEMORY: usize = 15_000_000;
/// Words longer than this are dropped by the tokenizer (they are not words).
const MAX_WORD: usize = 40;

/// Sorted. Not "it", which in these labels means information technology.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
    "with",
];

/// FxHash (rustc's): the maps here have short keys and no untrusted-input concerns, and SipHash
/// was a visible share of the build time.
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Debug)]
struct Parent {
    kind: Kind,
    id: i64,
    framework: String,
    key: String,
    preferred: String,
}

#[derive(Debug)]
struct Entry {
    parent: u32,
    field: MatchField,
    /// The label's text, or the whole description: where it is in [`Arena::texts`].
    text: (u32, u32),
    /// Token ids into [`SearchIndex::vocab`]: where they are in [`Arena::tokens`].
    tokens: (u32, u32),
    /// Tokens that are not stop words.
    content_tokens: u16,
}

/// The entries' texts and words, each kind in one allocation: an index of ESCO's size would
/// otherwise hold 300,000 small ones, built one by one and freed one by one.
#[derive(Debug, Default)]
struct Arena {
    texts: String,
    tokens: Vec<u32>,
}

impl Arena {
    /// Keeps an entry's text and words; `None` past 4 GiB of either.
    fn push(&mut self, text: &str, tokens: &[u32]) -> Option<((u32, u32), (u32, u32))> {
        let text_at = u32::try_from(self.texts.len()).ok()?;
        let text_end = u32::try_from(self.texts.len() + text.len()).ok()?;
        let tokens_at = u32::try_from(self.tokens.len()).ok()?;
        let tokens_end = u32::try_from(self.tokens.len() + tokens.len()).ok()?;
        self.texts.push_str(text);
        self.tokens.extend_from_slice(tokens);
        Some(((text_at, text_end), (tokens_at, tokens_end)))
    }

    fn text(&self, entry: &Entry) -> &str {
        let (from, to) = entry.text;
        self.texts.get(from as usize..to as usize).unwrap_or("")
    }

    fn tokens(&self, entry: &Entry) -> &[u32] {
        let (from, to) = entry.tokens;
        self.tokens.get(from as usize..to as usize).unwrap_or(&[])
    }
}

/// For each vocabulary word, the entries holding it, ascending: those of word `t` are
/// `entries[offsets[t]..offsets[t + 1]]`.
#[derive(Debug, Default)]
struct Postings {
    offsets: Vec<u32>,
    entries: Vec<u32>,
}

impl Postings {
    /// Counted from the entries' words, each entry once per word.
    fn of(entries: &[Entry], arena: &Arena, words: usize) -> Postings {
        let mut offsets = vec![0u32; words + 1];
        let mut last = vec![u32::MAX; words];
        for (e, entry) in entries.iter().enumerate() {
            for &t in arena.tokens(entry) {
                let t = t as usize;
                if last[t] != e as u32 {
                    last[t] = e as u32;
                    offsets[t + 1] += 1;
                }
            }
        }
        for t in 0..words {
            offsets[t + 1] += offsets[t];
        }
        let mut next = offsets.clone();
        let mut list = vec![0u32; offsets[words] as usize];
        last.fill(u32::MAX);
        for (e, entry) in entries.iter().enumerate() {
            for &t in arena.tokens(entry) {
                let t = t as usize;
                if last[t] != e as u32 {
                    last[t] = e as u32;
                    list[next[t] as usize] = e as u32;
                    next[t] += 1;
                }
            }
        }
        Postings {
            offsets,
            entries: list,
        }
    }

    fn of_word(&self, word: u32) -> &[u32] {
        let t = word as usize;
        match (self.offsets.get(t), self.offsets.get(t + 1)) {
            (Some(&from), Some(&to)) => &self.entries[from as usize..to as usize],
            _ => &[],
        }
    }
}

/// The in-RAM index. Cheap to share behind an `Arc`; searching takes `&self`.
pub struct SearchIndex {
    /// tantivy's index of the vocabulary: one document per word.
    searcher: Searcher,
    /// Where tantivy keeps the index, for [`SearchIndex::to_files`].
    ram: tantivy::directory::RamDirectory,
    text: Field,
    analyzer: TextAnalyzer,
    stemmer: TextAnalyzer,
    parents: Vec<Parent>,
    entries: Vec<Entry>,
    arena: Arena,
    /// Token id → the token.
    vocab: Vec<Box<str>>,
    /// The token → its id.
    ids: FxMap<Box<str>, u32>,
    /// Token id → whether it is a stop word.
    stop: Vec<bool>,
    /// Token id → stem id (an index into a separate stem table; only compared for equality).
    vocab_stem: Vec<u32>,
    /// Stem → its id.
    stems: FxMap<Box<str>, u32>,
    /// Stem id → the tokens that have it.
    stem_tokens: Vec<Vec<u32>>,
    postings: Postings,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("concepts", &self.parents.len())
            .field("entries", &self.entries.len())
            .field("words", &self.vocab.len())
            .finish()
    }
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn stemmer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(Stemmer::new(Language::English))
        .build()
}

fn stem_of(stemmer: &mut TextAnalyzer, token: &str) -> String {
    let mut stream = stemmer.token_stream(token);
    let mut out = String::new();
    while stream.advance() {
        out.push_str(&stream.token().text);
    }
    if out.is_empty() {
        token.to_owned()
    } else {
        out
    }
}

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Builds the vocabulary while the index is being built.
struct VocabBuilder {
    ids: FxMap<Box<str>, u32>,
    vocab: Vec<Box<str>>,
    vocab_stem: Vec<u32>,
    stems: FxMap<Box<str>, u32>,
    stem_tokens: Vec<Vec<u32>>,
    stop: Vec<bool>,
    stemmer: TextAnalyzer,
}

impl VocabBuilder {
    fn id(&mut self, token: &str) -> u32 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = self.vocab.len() as u32;
        let stem = stem_of(&mut self.stemmer, token);
        let next_stem = self.stems.len() as u32;
        let stem_id = *self.stems.entry(stem.into_boxed_str()).or_insert(next_stem);
        if stem_id == next_stem {
            self.stem_tokens.push(Vec::new());
        }
        self.stem_tokens[stem_id as usize].push(id);
        self.vocab.push(token.into());
        self.vocab_stem.push(stem_id);
        self.stop.push(is_stop_word(token));
        self.ids.insert(token.into(), id);
        id
    }
}

/// How a query word may match.
#[derive(Debug)]
struct Word {
    text: String,
    chars: Vec<char>,
    /// Edit distance allowed.
    distance: u8,
    prefix: bool,
    /// Stem id, when some indexed token has this stem.
    stem: Option<u32>,
}

impl Word {
    fn new(text: String, prefix: bool, index: &SearchIndex, stemmer: &mut TextAnalyzer) -> Word {
        let chars: Vec<char> = text.chars().collect();
        let distance = match chars.len() {
            0..=3 => 0,
            4..=7 => 1,
            _ => 2,
        };
        let stem = index.stems.get(stem_of(stemmer, &text).as_str()).copied();
        Word {
            prefix: prefix && chars.len() >= 3,
            text,
            chars,
            distance,
            stem,
        }
    }

    /// How well this word matches a token of the vocabulary, in [0, 1].
    fn quality(&self, index: &SearchIndex, token: u32) -> f32 {
        let text = &*index.vocab[token as usize];
        if text == self.text {
            return 1.0;
        }
        if self.stem == Some(index.vocab_stem[token as usize]) {
            return 0.9;
        }
        if self.prefix && text.starts_with(self.text.as_str()) {
            return 0.8;
        }
        match edit_distance(&self.chars, text, self.distance) {
            Some(1) => 0.7,
            Some(2) => 0.5,
            _ => 0.0,
        }
    }

    /// The tantivy query finding the entries this word matches.
    fn query(&self, field: Field, index: &SearchIndex) -> Box<dyn TantivyQuery> {
        let term = Term::from_field_text(field, &self.text);
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        if self.distance > 0 {
            clauses.push((
                Occur::Should,
                Box::new(FuzzyTermQuery::new(term.clone(), self.distance, true)),
            ));
        } else {
            clauses.push((
                Occur::Should,
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic)),
            ));
        }
        if self.prefix {
            clauses.push((
                Occur::Should,
                Box::new(FuzzyTermQuery::new_prefix(term, 0, true)),
            ));
        }
        if let Some(stem) = self.stem {
            for &token in &index.stem_tokens[stem as usize] {
                let other = &*index.vocab[token as usize];
                if other != self.text {
                    clauses.push((
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, other),
                            IndexRecordOption::Basic,
                        )),
                    ));
                }
            }
        }
        if clauses.len() == 1 {
            clauses.remove(0).1
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }
}

/// Optimal-string-alignment distance between `a` and `b` if it is at most `max`.
fn edit_distance(a: &[char], b: &str, max: u8) -> Option<u8> {
    if max == 0 {
        return None;
    }
    let b: Vec<char> = b.chars().collect();
    let max = max as usize;
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut prev2 = vec![0usize; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur = vec![0usize; width];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d as u8)
}

/// Collects the numbers of the vocabulary words tantivy matches (only those below `words`: an
/// index read back from files cannot point past the vocabulary it came with).
struct WordCollector {
    words: usize,
}

struct WordSegmentCollector {
    column: Column<u64>,
    found: Vec<u32>,
    words: usize,
}

impl Collector for WordCollector {
    type Fruit = Vec<u32>;
    type Child = WordSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<WordSegmentCollector> {
        Ok(WordSegmentCollector {
            column: segment.fast_fields().u64(WORD)?,
            found: Vec::new(),
            words: self.words,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u32>>) -> tantivy::Result<Vec<u32>> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for WordSegmentCollector {
    type Fruit = Vec<u32>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(word) = self.column.first(doc)
            && word < self.words as u64
        {
            self.found.push(word as u32);
        }
    }

    fn harvest(self) -> Vec<u32> {
        self.found
    }
}

/// A set of entries, one bit each.
#[derive(Debug, Clone)]
struct EntrySet(Vec<u64>);

impl EntrySet {
    fn empty(entries: usize) -> EntrySet {
        EntrySet(vec![0; entries.div_ceil(64)])
    }

    fn insert(&mut self, entry: u32) {
        if let Some(word) = self.0.get_mut(entry as usize / 64) {
            *word |= 1 << (entry % 64);
        }
    }

    fn unite(&mut self, other: &EntrySet) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    fn intersect(&mut self, other: &EntrySet) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }

    /// The entries, ascending.
    fn list(&self) -> Vec<u32> {
        let mut out = Vec::new();
        for (i, &word) in self.0.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                out.push(i as u32 * 64 + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
        out
    }
}

/// The best entry found for a concept.
#[derive(Debug, Clone, Copy)]
struct Best {
    entry: u32,
    score: f32,
    complete: bool,
}

impl SearchIndex {
    /// Indexes the concepts. Their order only decides which of two equally good labels of one
    /// concept is named (the first); results are otherwise independent of it.
    pub fn build(docs: impl IntoIterator<Item = SearchDoc>) -> Result<SearchIndex, SearchError> {
        let mut schema = Schema::builder();
        let text_options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        );
        let text = schema.add_text_field("text", text_options);
        let word_field = schema.add_u64_field(WORD, FAST);
        let ram = tantivy::directory::RamDirectory::create();
        let index = Index::create(
            ram.clone(),
            schema.build(),
            tantivy::IndexSettings::default(),
        )?;
        index.tokenizers().register(TOKENIZER, analyzer());

        // One indexing thread, one segment.
        let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_MEMORY)?;

        let mut analyzer = analyzer();
        let mut vocab = VocabBuilder {
            ids: FxMap::default(),
            vocab: Vec::new(),
            vocab_stem: Vec::new(),
            stems: FxMap::default(),
            stem_tokens: Vec::new(),
            stop: Vec::new(),
            stemmer: stemmer(),
        };
        let mut parents = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut arena = Arena::default();
        let mut scratch = Vec::new();
        for doc in docs {
            let parent =
                u32::try_from(parents.len()).map_err(|_| SearchError::TooLarge(parents.len()))?;
            let SearchDoc {
                kind,
                id,
                framework,
                key,
                preferred,
                alternative,
                hidden,
                description,
            } = doc;
            let first_entry = entries.len();
            let labels = std::iter::once((MatchField::Preferred, &preferred))
                .chain(alternative.iter().map(|t| (MatchField::Alternative, t)))
                .chain(hidden.iter().map(|t| (MatchField::Hidden, t)))
                .chain(std::iter::once((MatchField::Description, &description)));
            for (field, label) in labels {
                scratch.clear();
                {
                    let mut stream = analyzer.token_stream(label);
                    while stream.advance() {
                        scratch.push(vocab.id(&stream.token().text));
                    }
                }
                // A label that says what an earlier one of the same concept says (ESCO repeats
                // the preferred label among the alternatives 15k times) adds nothing.
                if scratch.is_empty()
                    || entries[first_entry..]
                        .iter()
                        .any(|e| arena.tokens(e) == scratch.as_slice())
                {
                    continue;
                }
                let number = entries.len();
                if u32::try_from(number).is_err() {
                    return Err(SearchError::TooLarge(number));
                }
                let content_tokens = scratch.iter().filter(|&&t| !vocab.stop[t as usize]).count();
                let (text, tokens) = arena
                    .push(label, &scratch)
                    .ok_or(SearchError::TooLarge(number))?;
                entries.push(Entry {
                    parent,
                    field,
                    text,
                    tokens,
                    content_tokens: u16::try_from(content_tokens).unwrap_or(u16::MAX),
                });
            }
            parents.push(Parent {
                kind,
                id,
                framework,
                key,
                preferred,
            });
        }
        for (number, word) in vocab.vocab.iter().enumerate() {
            let mut document = tantivy::TantivyDocument::default();
            document.add_text(text, word);
            document.add_u64(word_field, number as u64);
            writer.add_document(document)?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        let postings = Postings::of(&entries, &arena, vocab.vocab.len());
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        Ok(SearchIndex {
            searcher,
            ram,
            text,
            analyzer,
            stemmer: vocab.stemmer,
            parents,
            entries,
            arena,
            vocab: vocab.vocab,
            ids: vocab.ids,
            stop: vocab.stop,
            vocab_stem: vocab.vocab_stem,
            stems: vocab.stems,
            stem_tokens: vocab.stem_tokens,
            postings,
        })
    }

    /// Gives each concept the id `id_of(kind, framework, key)` answers, for an index built before
    /// its concepts were stored (and so had their ids). Concepts it has no answer for keep theirs;
    /// their number is returned.
    pub fn assign_ids(&mut self, mut id_of: impl FnMut(Kind, &str, &str) -> Option<i64>) -> usize {
        let mut missing = 0;
        for parent in &mut self.parents {
            match id_of(parent.kind, &parent.framework, &parent.key) {
                Some(id) => parent.id = id,
                None => missing += 1,
            }
        }
        missing
    }

    /// Number of concepts indexed.
    pub fn len(&self) -> usize {
        self.parents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parents.is_empty()
    }

    /// The concepts that match `query`, best first. A blank query finds nothing.
    pub fn search(&self, query: &Query) -> Result<Vec<Hit>, SearchError> {
        if query.limit == 0 {
            return Ok(Vec::new());
        }
        let words = self.words(&query.text);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // The entries each query word matches.
        let collector = WordCollector {
            words: self.vocab.len(),
        };
        let mut matched = Vec::with_capacity(words.len());
        for word in &words {
            let mut set = EntrySet::empty(self.entries.len());
            for token in self
                .searcher
                .search(&*word.query(self.text, self), &collector)?
            {
                for &entry in self.postings.of_word(token) {
                    set.insert(entry);
                }
            }
            matched.push(set);
        }
        // Each word's quality against each token met so far; NaN where not yet worked out.
        let mut memo: Vec<Vec<f32>> = vec![vec![f32::NAN; self.vocab.len()]; words.len()];
        let mut best: FxMap<u32, Best> = FxMap::default();

        // Entries that hold every word.
        let mut all = matched[0].clone();
        for set in &matched[1..] {
            all.intersect(set);
        }
        self.score_into(&all.list(), query, &words, &mut memo, &mut best);

        if best.is_empty() && words.len() >= 2 {
            // Entries that hold every word but (at most) one.
            let mut some = EntrySet::empty(self.entries.len());
            for skipped in 0..matched.len() {
                let mut rest: Option<EntrySet> = None;
                for (i, set) in matched.iter().enumerate() {
                    if i != skipped {
                        match &mut rest {
                            Some(rest) => rest.intersect(set),
                            None => rest = Some(set.clone()),
                        }
                    }
                }
                if let Some(rest) = rest {
                    some.unite(&rest);
                }
            }
            self.score_into(&some.list(), query, &words, &mut memo, &mut best);
        }

        let mut ranked: Vec<(u32, Best)> = best.into_iter().collect();
        ranked.sort_by(|(pa, a), (pb, b)| {
            let (x, y) = (&self.parents[*pa as usize], &self.parents[*pb as usize]);
            b.complete
                .cmp(&a.complete)
                .then(b.score.total_cmp(&a.score))
                .then_with(|| x.preferred.cmp(&y.preferred))
                .then(x.id.cmp(&y.id))
                .then(x.kind.cmp(&y.kind))
                .then_with(|| x.framework.cmp(&y.framework))
        });
        ranked.truncate(query.limit);
        Ok(ranked
            .into_iter()
            .map(|(p, b)| self.hit(p, b, &words))
            .collect())
    }

    /// The query's words, stop words dropped unless there is nothing else.
    fn words(&self, text: &str) -> Vec<Word> {
        let mut analyzer = self.analyzer.clone();
        let mut raw = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            raw.push(stream.token().text.clone());
        }
        let ends_in_word = text.chars().last().is_some_and(|c| c.is_alphanumeric());
        let mut content: Vec<String> = raw.iter().filter(|w| !is_stop_word(w)).cloned().collect();
        let mut ends_in_word = ends_in_word;
        if content.is_empty() {
            // Only stop words: look for them as they are.
            content = raw;
            ends_in_word = false;
        }
        content.dedup();
        let mut stemmer = self.stemmer.clone();
        let n = content.len();
        content
            .into_iter()
            .enumerate()
            .map(|(i, w)| Word::new(w, ends_in_word && i + 1 == n, self, &mut stemmer))
            .collect()
    }

    /// Scores the entries found into `best`, labels first; descriptions only when they can still
    /// reach the first `limit` concepts.
    fn score_into(
        &self,
        found: &[u32],
        query: &Query,
        words: &[Word],
        memo: &mut [Vec<f32>],
        best: &mut FxMap<u32, Best>,
    ) {
        let wanted = |e: &u32| {
            let parent = &self.parents[self.entries[*e as usize].parent as usize];
            !(query.kind.is_some_and(|k| k != parent.kind)
                || query
                    .framework
                    .as_deref()
                    .is_some_and(|f| f != parent.framework))
        };
        let (descriptions, labels): (Vec<u32>, Vec<u32>) = found
            .iter()
            .copied()
            .filter(wanted)
            .partition(|&e| self.entries[e as usize].field == MatchField::Description);
        for e in labels {
            self.offer(e, words, memo, best);
        }
        let above = best.values().filter(|b| b.score > DESCRIPTION_MAX).count();
        if above >= query.limit {
            return;
        }
        for e in descriptions {
            // Not when a label of the same concept already did better.
            let parent = self.entries[e as usize].parent;
            if best
                .get(&parent)
                .is_some_and(|b| b.score >= DESCRIPTION_MAX)
            {
                continue;
            }
            self.offer(e, words, memo, best);
        }
    }

    fn offer(&self, e: u32, words: &[Word], memo: &mut [Vec<f32>], best: &mut FxMap<u32, Best>) {
        let entry = &self.entries[e as usize];
        let (score, complete) = self.score(entry, words, memo);
        if score <= 0.0 {
            return;
        }
        let candidate = Best {
            entry: e,
            score,
            complete,
        };
        best.entry(entry.parent)
            .and_modify(|b| {
                let old = &self.entries[b.entry as usize];
                let better = (candidate.complete, candidate.score)
                    .partial_cmp(&(b.complete, b.score))
                    .is_some_and(|o| o.is_gt())
                    || (candidate.complete == b.complete
                        && candidate.score == b.score
                        && (entry.field, e) < (old.field, b.entry));
                if better {
                    *b = candidate;
                }
            })
            .or_insert(candidate);
    }

    /// The entry's score for these words, and whether every word matched.
    fn score(&self, entry: &Entry, words: &[Word], memo: &mut [Vec<f32>]) -> (f32, bool) {
        let mut total = 0.0;
        let mut complete = true;
        for (w, word) in words.iter().enumerate() {
            let mut q: f32 = 0.0;
            for &t in self.arena.tokens(entry) {
                let slot = &mut memo[w][t as usize];
                if slot.is_nan() {
                    *slot = word.quality(self, t);
                }
                let v = *slot;
                q = q.max(v);
                if q >= 1.0 {
                    break;
                }
            }
            complete &= q > 0.0;
            total += q;
        }
        let mean = total / words.len() as f32;
        let coverage = if entry.field == MatchField::Description {
            0.0
        } else {
            let mut matched = 0usize;
            for &t in self.arena.tokens(entry) {
                if self.is_stop(t) {
                    continue;
                }
                let hit = words.iter().enumerate().any(|(w, word)| {
                    let slot = &mut memo[w][t as usize];
                    if slot.is_nan() {
                        *slot = word.quality(self, t);
                    }
                    *slot > 0.0
                });
                matched += usize::from(hit);
            }
            if entry.content_tokens == 0 {
                1.0
            } else {
                (matched as f32 / f32::from(entry.content_tokens)).min(1.0)
            }
        };
        let mut score = entry.field.weight() * mean * (0.8 + 0.2 * coverage);
        if !complete {
            score *= 0.2;
        }
        (score, complete)
    }

    fn is_stop(&self, token: u32) -> bool {
        self.stop[token as usize]
    }

    fn hit(&self, parent: u32, best: Best, words: &[Word]) -> Hit {
        let p = &self.parents[parent as usize];
        let entry = &self.entries[best.entry as usize];
        let matched = if entry.field == MatchField::Description {
            self.excerpt(self.arena.text(entry), words)
        } else {
            self.arena.text(entry).to_owned()
        };
        Hit {
            kind: p.kind,
            id: p.id,
            framework: p.framework.clone(),
            key: p.key.clone(),
            label: p.preferred.clone(),
            matched,
            field: entry.field,
            score: best.score,
        }
    }

    /// About a dozen words of `text` around its first word that matches a query word.
    fn excerpt(&self, text: &str, words: &[Word]) -> String {
        const BEFORE: usize = 6;
        const AFTER: usize = 12;
        let mut analyzer = self.analyzer.clone();
        let mut spans = Vec::new();
        let mut first = None;
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            if first.is_none() {
                let id = self.vocab_id(&token.text);
                if id.is_some_and(|t| words.iter().any(|w| w.quality(self, t) > 0.0)) {
                    first = Some(spans.len());
                }
            }
            spans.push((token.offset_from, token.offset_to));
        }
        let Some(at) = first else {
            return text.to_owned();
        };
        let start_token = at.saturating_sub(BEFORE);
        let end_token = (at + AFTER).min(spans.len() - 1);
        let start = if start_token == 0 {
            0
        } else {
            spans[start_token].0
        };
        let end = if end_token + 1 == spans.len() {
            text.len()
        } else {
            spans[end_token].1
        };
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        out.push_str(text[start..end].trim());
        if end < text.len() {
            out.push('…');
        }
        out
    }

    fn vocab_id(&self, token: &str) -> Option<u32> {
        self.ids.get(token).copied()
    }
}

mod files;

pub use files::FilesBeforeIds;

#[cfg(test)]
mod tests;
