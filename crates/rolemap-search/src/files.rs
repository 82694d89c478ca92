//! An index as a set of named files and back, so a caller can keep it (rolemap keeps it in its
//! database) and open it again in a few milliseconds instead of building it anew.
//!
//! The files are tantivy's own, byte for byte, and `rolemap.entries`: the concepts, the entries
//! beside the index and the vocabulary, in a small binary format of unsigned LEB128 numbers and
//! length-prefixed UTF-8 strings, headed by a magic number and a format version, with the
//! concepts' ids (little-endian i64) last, so that an index can be written out before its concepts
//! have their ids and completed after ([`SearchIndex::to_files_before_ids`]). Reading checks every
//! length and number against what is left and what it refers to, so a damaged or foreign file
//! gives an error, never a panic or a wrong answer.

use std::path::Path;

use tantivy::Index;
use tantivy::directory::{Directory, RamDirectory};

use crate::{
    Arena, Entry, FxMap, Kind, MatchField, Parent, Postings, SearchError, SearchIndex, TOKENIZER,
    WORD, analyzer, is_stop_word, stemmer,
};

/// The name of the file holding what rolemap keeps beside tantivy's index.
const ENTRIES_FILE: &str = "rolemap.entries";
const MAGIC: &[u8; 4] = b"RMSI";
/// Bumped whenever the layout of `rolemap.entries` or the analysis of text changes: files of
/// another version are refused (and the caller builds the index again).
const FORMAT: u32 = 2;

impl SearchIndex {
    /// The index as named files (tantivy's, and rolemap's entries), to keep and reopen with
    /// [`SearchIndex::from_files`].
    pub fn to_files(&self) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
        Ok(self.to_files_before_ids()?.finish(self))
    }

    /// [`SearchIndex::to_files`] but for the concepts' ids, which [`FilesBeforeIds::finish`]
    /// adds: for an index written out while its concepts are still being stored, then given
    /// their ids with [`SearchIndex::assign_ids`].
    pub fn to_files_before_ids(&self) -> Result<FilesBeforeIds, SearchError> {
        let mut names: Vec<String> = self
            .searcher
            .index()
            .directory()
            .list_managed_files()
            .into_iter()
            .filter_map(|p| p.to_str().map(str::to_owned))
            .collect();
        for fixed in ["meta.json", ".managed.json"] {
            if !names.iter().any(|n| n == fixed) {
                names.push(fixed.to_owned());
            }
        }
        names.sort();
        let mut files = Vec::with_capacity(names.len() + 1);
        for name in names {
            // The raw bytes, footers included, exactly as tantivy wrote them.
            let Ok(slice) = self.ram.open_read(Path::new(&name)) else {
                continue;
            };
            let bytes = slice.read_bytes().map_err(tantivy::TantivyError::from)?;
            files.push((name, bytes.as_slice().to_vec()));
        }
        files.push((ENTRIES_FILE.to_owned(), self.encode_entries()));
        Ok(FilesBeforeIds {
            files,
            parents: self.parents.len(),
        })
    }

    /// Opens an index kept with [`SearchIndex::to_files`].
    pub fn from_files(files: &[(String, Vec<u8>)]) -> Result<SearchIndex, SearchError> {
        let ram = RamDirectory::create();
        let mut entries_file = None;
        for (name, bytes) in files {
            if name == ENTRIES_FILE {
                entries_file = Some(bytes.as_slice());
            } else if name.contains('/') || name.contains("..") {
                return Err(SearchError::Corrupt(format!(
                    "unexpected file name {name:?}"
                )));
            } else {
                ram.atomic_write(Path::new(name), bytes)
                    .map_err(|e| SearchError::Corrupt(format!("{name}: {e}")))?;
            }
        }
        let entries_file =
            entries_file.ok_or_else(|| SearchError::Corrupt(format!("no {ENTRIES_FILE}")))?;
        let mut decoded = Decoder {
            bytes: entries_file,
        }
        .entries()?;
        let index = Index::open(ram.clone())?;
        index.tokenizers().register(TOKENIZER, analyzer());
        let schema = index.schema();
        let text = schema.get_field("text")?;
        schema.get_field(WORD)?;
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        let searcher: tantivy::Searcher = reader.searcher();
        if searcher.num_docs() != decoded.vocab.len() as u64 {
            return Err(SearchError::Corrupt(format!(
                "the index has {} documents for {} words",
                searcher.num_docs(),
                decoded.vocab.len()
            )));
        }
        let mut ids = FxMap::default();
        let mut stop = Vec::with_capacity(decoded.vocab.len());
        for (id, token) in decoded.vocab.iter().enumerate() {
            ids.insert(token.clone(), id as u32);
            stop.push(is_stop_word(token));
        }
        let mut stems = FxMap::default();
        let mut stem_tokens = vec![Vec::new(); decoded.stems.len()];
        for (id, stem) in decoded.stems.drain(..).enumerate() {
            stems.insert(stem, id as u32);
        }
        for (token, &stem) in decoded.vocab_stem.iter().enumerate() {
            stem_tokens[stem as usize].push(token as u32);
        }
        let postings = Postings::of(&decoded.entries, &decoded.arena, decoded.vocab.len());
        Ok(SearchIndex {
            postings,
            searcher,
            ram,
            text,
            analyzer: analyzer(),
            stemmer: stemmer(),
            parents: decoded.parents,
            entries: decoded.entries,
            arena: decoded.arena,
            vocab: decoded.vocab,
            ids,
            stop,
            vocab_stem: decoded.vocab_stem,
            stems,
            stem_tokens,
        })
    }

    fn encode_entries(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            64 + self
                .entries
                .iter()
                .map(|e| self.arena.text(e).len() + self.arena.tokens(e).len() + 8)
                .sum::<usize>(),
        );
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        put_u64(&mut out, self.parents.len() as u64);
        for p in &self.parents {
            out.push(match p.kind {
                Kind::Role => 0,
                Kind::Skill => 1,
            });
            put_str(&mut out, &p.framework);
            put_str(&mut out, &p.key);
            put_str(&mut out, &p.preferred);
        }
        put_u64(&mut out, self.entries.len() as u64);
        for e in &self.entries {
            put_u64(&mut out, u64::from(e.parent));
            out.push(match e.field {
                MatchField::Preferred => 0,
                MatchField::Alternative => 1,
                MatchField::Hidden => 2,
                MatchField::Description => 3,
            });
            put_str(&mut out, self.arena.text(e));
            let tokens = self.arena.tokens(e);
            put_u64(&mut out, tokens.len() as u64);
            for &t in tokens {
                put_u64(&mut out, u64::from(t));
            }
            put_u64(&mut out, u64::from(e.content_tokens));
        }
        put_u64(&mut out, self.vocab.len() as u64);
        for (token, &stem) in self.vocab.iter().zip(&self.vocab_stem) {
            put_str(&mut out, token);
            put_u64(&mut out, u64::from(stem));
        }
        let mut stems: Vec<(&str, u32)> = self.stems.iter().map(|(s, &id)| (&**s, id)).collect();
        stems.sort_by_key(|&(_, id)| id);
        put_u64(&mut out, stems.len() as u64);
        for (stem, _) in stems {
            put_str(&mut out, stem);
        }
        out
    }
}

/// An index's files but for its concepts' ids (see [`SearchIndex::to_files_before_ids`]).
#[derive(Debug, Clone)]
pub struct FilesBeforeIds {
    /// `rolemap.entries` last.
    files: Vec<(String, Vec<u8>)>,
    parents: usize,
}

impl FilesBeforeIds {
    /// The files, with the ids `index` gives its concepts now. `index` is the one these files
    /// were written from, its ids apart; given another with a different number of concepts,
    /// the files are refused when opened.
    pub fn finish(mut self, index: &SearchIndex) -> Vec<(String, Vec<u8>)> {
        if let Some((_, entries)) = self.files.last_mut() {
            entries.reserve(8 * index.parents.len());
            for p in index.parents.iter().take(self.parents) {
                entries.extend_from_slice(&p.id.to_le_bytes());
            }
        }
        self.files
    }
}

/// Unsigned LEB128: seven bits a byte, low first, the high bit set on all but the last.
fn put_u64(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_u64(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}
/// What `rolemap.entries` holds.
struct Decoded {
    parents: Vec<Parent>,
    entries: Vec<Entry>,
    arena: Arena,
    vocab: Vec<Box<str>>,
    vocab_stem: Vec<u32>,
    stems: Vec<Box<str>>,
}

struct Decoder<'a> {
    bytes: &'a [u8],
}

fn corrupt(what: &str) -> SearchError {
    SearchError::Corrupt(format!("{ENTRIES_FILE}: {what}"))
}

impl<'a> Decoder<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SearchError> {
        if self.bytes.len() < n {
            return Err(corrupt("ends too early"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, SearchError> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, SearchError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// An unsigned LEB128 number of at most 64 bits.
    fn varint(&mut self) -> Result<u64, SearchError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(corrupt("a number too long"))
    }

    /// A number that must fit in 32 bits.
    fn number(&mut self) -> Result<u32, SearchError> {
        u32::try_from(self.varint()?).map_err(|_| corrupt("a number too large"))
    }

    fn i64(&mut self) -> Result<i64, SearchError> {
        let mut word = [0u8; 8];
        word.copy_from_slice(self.take(8)?);
        Ok(i64::from_le_bytes(word))
    }

    /// A count of items each at least `min_size` bytes long: never more than the bytes left allow.
    fn count(&mut self, min_size: usize) -> Result<usize, SearchError> {
        let n = self.number()? as usize;
        if n.saturating_mul(min_size) > self.bytes.len() {
            return Err(corrupt("a count larger than the file"));
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, SearchError> {
        self.str().map(str::to_owned)
    }

    fn str(&mut self) -> Result<&'a str, SearchError> {
        let n = self.number()? as usize;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes).map_err(|_| corrupt("text that is not UTF-8"))
    }

    fn entries(&mut self) -> Result<Decoded, SearchError> {
        if self.take(4)? != MAGIC {
            return Err(corrupt("not a rolemap search index"));
        }
        let format = self.u32()?;
        if format != FORMAT {
            return Err(corrupt(&format!(
                "format {format}, this rolemap reads {FORMAT}"
            )));
        }
        // A concept takes at least its kind, three lengths and its id.
        let n = self.count(12)?;
        let mut parents = Vec::with_capacity(n);
        for _ in 0..n {
            let kind = match self.u8()? {
                0 => Kind::Role,
                1 => Kind::Skill,
                _ => return Err(corrupt("an unknown kind of concept")),
            };
            parents.push(Parent {
                kind,
                id: 0,
                framework: self.string()?,
                key: self.string()?,
                preferred: self.string()?,
            });
        }
        let n = self.count(5)?;
        let mut entries = Vec::with_capacity(n);
        let mut arena = Arena::default();
        let mut tokens = Vec::new();
        for _ in 0..n {
            let parent = self.number()?;
            if parent as usize >= parents.len() {
                return Err(corrupt("an entry of no concept"));
            }
            let field = match self.u8()? {
                0 => MatchField::Preferred,
                1 => MatchField::Alternative,
                2 => MatchField::Hidden,
                3 => MatchField::Description,
                _ => return Err(corrupt("an unknown field")),
            };
            let text = self.str()?;
            let len = self.count(1)?;
            tokens.clear();
            for _ in 0..len {
                tokens.push(self.number()?);
            }
            let content_tokens =
                u16::try_from(self.varint()?).map_err(|_| corrupt("a count of words too large"))?;
            let (text, tokens) = arena
                .push(text, &tokens)
                .ok_or_else(|| corrupt("entries too large"))?;
            entries.push(Entry {
                parent,
                field,
                text,
                tokens,
                content_tokens,
            });
        }
        let n = self.count(2)?;
        let mut vocab = Vec::with_capacity(n);
        let mut vocab_stem = Vec::with_capacity(n);
        for _ in 0..n {
            vocab.push(self.string()?.into_boxed_str());
            vocab_stem.push(self.number()?);
        }
        let n = self.count(1)?;
        let mut stems = Vec::with_capacity(n);
        for _ in 0..n {
            stems.push(self.string()?.into_boxed_str());
        }
        for parent in &mut parents {
            parent.id = self.i64()?;
        }
        if !self.bytes.is_empty() {
            return Err(corrupt("bytes after the end"));
        }
        if arena.tokens.iter().any(|&t| t as usize >= vocab.len()) {
            return Err(corrupt("a word missing from the vocabulary"));
        }
        if vocab_stem.iter().any(|&s| s as usize >= stems.len()) {
            return Err(corrupt("a stem missing from the stems"));
        }
        Ok(Decoded {
            parents,
            entries,
            arena,
            vocab,
            vocab_stem,
            stems,
        })
    }
}
