//! Text to words: Unicode compatibility normalisation (NFKC), lower case, and every character that
//! is not part of a word treated as a space, each word keeping where it came from in the input so
//! that every span rolemap reports points into the text the user gave.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One word of a text.
///
/// Invariant: `norm` indexes the buffer the word was written to; `start..end` are byte offsets of
/// the word's first and last characters in the original text (on character boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Where the normalised word sits in the normalised buffer.
    pub norm: (u32, u32),
    /// Byte offsets in the original text.
    pub start: u32,
    pub end: u32,
    /// A clause ends between this word and the one before it (`.`, `;`, `:`, `!`, `?`, a
    /// line break, brackets): negation and paraphrase stop there.
    pub clause_break: bool,
}

/// A text as words: the normalised words joined by single spaces, and where each came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalised {
    /// The normalised words joined by single spaces.
    pub text: String,
    pub tokens: Vec<Token>,
}

impl Normalised {
    /// The normalised word of a token.
    pub fn word(&self, token: &Token) -> &str {
        self.text
            .get(token.norm.0 as usize..token.norm.1 as usize)
            .unwrap_or("")
    }

    /// Maps a byte range of the normalised text back to the original text's character offsets
    /// `(start, end)`: from the first word the range touches to the last. `None` when it touches
    /// no word.
    pub fn original_span(
        &self,
        original: &str,
        start: usize,
        end: usize,
    ) -> Option<(usize, usize)> {
        let touched: Vec<&Token> = self
            .tokens
            .iter()
            .filter(|t| (t.norm.0 as usize) < end && (t.norm.1 as usize) > start)
            .collect();
        let first = touched.first()?;
        let last = touched.last()?;
        Some((
            char_offset(original, first.start as usize),
            char_offset(original, last.end as usize),
        ))
    }
}

/// The character offset of a byte offset (on a character boundary) of `text`.
pub fn char_offset(text: &str, byte: usize) -> usize {
    if text.is_ascii() {
        return byte.min(text.len());
    }
    text.get(..byte)
        .map_or_else(|| text.chars().count(), |s| s.chars().count())
}

/// Turns text into words. Stateless; one value can serve any number of threads.
///
/// Rules: NFKC (so full-width letters, ligatures and the like become their plain forms, and a
/// letter with a combining accent becomes one character), lower case, and words made of letters,
/// digits and combining marks; `+` and `#` stay inside a word that has begun (`c++`, `c#`).
/// Everything else separates words; `.;:!?()[]` and line breaks also end a clause.
#[derive(Debug, Clone, Copy, Default)]
pub struct Normaliser;

const fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '.' | ';' | ':' | '!' | '?' | '\n' | '\r' | '(' | ')' | '[' | ']' | '•' | '·'
    ) || matches!(c, '。' | '！' | '？' | '；' | '\u{2029}' | '\u{2028}')
}

const ALNUM: u8 = 1;
/// `+` and `#`, which stay inside a word that has begun.
const JOINS: u8 = 2;
/// Ends a clause.
const BREAK: u8 = 4;

/// What each byte is, for the ASCII fast path: one table read per byte.
const ASCII: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = ALNUM;
        } else if c == b'+' || c == b'#' {
            table[b] = JOINS;
        } else if ends_clause(c as char) {
            table[b] = BREAK;
        }
        b += 1;
    }
    table
};

/// Builds words into a buffer, remembering where each began in the original.
struct Words<'a> {
    buffer: &'a mut String,
    tokens: &'a mut Vec<Token>,
    /// Byte offset in the original of the current word's first character, if a word is open.
    open: Option<(u32, u32)>,
    last_end: u32,
    non_ascii: bool,
    pending_break: bool,
}

impl Words<'_> {
    fn push(&mut self, c: char, at: usize, width: usize) {
        if self.open.is_none() {
            if !self.buffer.is_empty() {
                self.buffer.push(' ');
            }
            self.open = Some((self.buffer.len() as u32, at as u32));
        }
        self.buffer.push(c);
        self.last_end = (at + width) as u32;
    }

    /// A run of ASCII word characters starting at byte `at`.
    fn push_ascii(&mut self, run: &str, at: usize) {
        if self.open.is_none() {
            if !self.buffer.is_empty() {
                self.buffer.push(' ');
            }
            self.open = Some((self.buffer.len() as u32, at as u32));
        }
        let from = self.buffer.len();
        self.buffer.push_str(run);
        if let Some(pushed) = self.buffer.get_mut(from..) {
            pushed.make_ascii_lowercase();
        }
        self.last_end = (at + run.len()) as u32;
    }

    fn close(&mut self) {
        let Some((norm_start, start)) = self.open.take() else {
            return;
        };
        if self.non_ascii {
            // Per-character NFKC cannot compose a letter with a combining mark that follows it;
            // composing the whole word can.
            let word: String = self.buffer[norm_start as usize..].nfc().collect();
            self.buffer.truncate(norm_start as usize);
            self.buffer.push_str(&word);
            self.non_ascii = false;
        }
        self.tokens.push(Token {
            norm: (norm_start, self.buffer.len() as u32),
            start,
            end: self.last_end,
            clause_break: std::mem::take(&mut self.pending_break),
        });
    }

    fn separator(&mut self, c: char) {
        self.close();
        if ends_clause(c) {
            self.pending_break = true;
        }
    }
}

impl Normaliser {
    /// The words of `text`.
    pub fn normalise(&self, text: &str) -> Normalised {
        let mut normalised = Normalised::default();
        self.normalise_into(text, &mut normalised.text, &mut normalised.tokens);
        normalised
    }

    /// The words of `text`, written into buffers the caller reuses (cleared first).
    pub fn normalise_into(&self, text: &str, buffer: &mut String, tokens: &mut Vec<Token>) {
        buffer.clear();
        tokens.clear();
        let mut words = Words {
            buffer,
            tokens,
            open: None,
            last_end: 0,
            non_ascii: false,
            pending_break: false,
        };
        // Runs of ASCII word characters are copied whole and lowered in place (most text is
        // ASCII); other characters are taken one at a time.
        let bytes = text.as_bytes();
        let in_word = |b: u8| ASCII[usize::from(b)] & (ALNUM | JOINS) != 0;
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            if b.is_ascii() {
                if ASCII[usize::from(b)] & ALNUM != 0 || (in_word(b) && words.open.is_some()) {
                    let run = at;
                    while at < bytes.len() && in_word(bytes[at]) {
                        at += 1;
                    }
                    words.push_ascii(text.get(run..at).unwrap_or(""), run);
                } else {
                    words.separator(char::from(b));
                    at += 1;
                }
                continue;
            }
            let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            let width = c.len_utf8();
            for compat in std::iter::once(c).nfkc() {
                for lower in compat.to_lowercase() {
                    if lower.is_alphanumeric() || (is_combining_mark(lower) && words.open.is_some())
                    {
                        words.non_ascii |= !lower.is_ascii();
                        words.push(lower, at, width);
                    } else if !is_combining_mark(lower) {
                        words.separator(lower);
                    }
                }
            }
            at += width;
        }
        words.close();
    }
}

/// The words of an all-ASCII text without copying them: each token's `norm` is its range in the
/// text itself (the reader lowers the bytes), and `keys` gets each word lowered as a number (see
/// `short_key`), or 0 for a word of more than 16 bytes. The same words and clause breaks as
/// [`Normaliser::normalise_into`] finds.
pub(crate) fn ascii_words(text: &str, tokens: &mut Vec<Token>, keys: &mut Vec<u128>) {
    let bytes = text.as_bytes();
    let mut pending_break = false;
    let mut at = 0;
    while at < bytes.len() {
        let class = ASCII[usize::from(bytes[at])];
        if class & ALNUM == 0 {
            pending_break |= class & BREAK != 0;
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && ASCII[usize::from(bytes[at])] & (ALNUM | JOINS) != 0 {
            at += 1;
        }
        let word = &bytes[start..at];
        let mut lowered = [0u8; 16];
        for (slot, b) in lowered.iter_mut().zip(word) {
            *slot = b.to_ascii_lowercase();
        }
        let key = u128::from_le_bytes(lowered);
        tokens.push(Token {
            norm: (start as u32, at as u32),
            start: start as u32,
            end: at as u32,
            clause_break: std::mem::take(&mut pending_break),
        });
        keys.push(if at - start <= 16 { key } else { 0 });
    }
}
