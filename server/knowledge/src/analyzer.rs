//! The BSL-aware text analyzer of the search index: words, CamelCase parts, case and `ё`
//! folding, Russian and English stemming, a few stop words, and a length cap counted in
//! characters.
//!
//! A word is a run of letters, digits and `_`. Each word yields its whole form and, when it
//! is an identifier made of several parts (`ЗаписьЖурналаРегистрации`, `HTTPСоединение`,
//! `Мой_Метод`), each part as well, so the identifier is found both by itself and by the words
//! it is made of. Every token is lower-cased, `ё` becomes `е`, and the result is stemmed
//! with the Russian Snowball stemmer when it holds Cyrillic letters and the English one
//! otherwise (each leaves the other alphabet alone, so mixed parts are safe).
//!
//! tantivy's `RemoveLongFilter` counts bytes, so a 40-letter Cyrillic identifier (80 bytes)
//! would be dropped silently by a limit that looks generous; this analyzer never drops a token
//! for its length: a token longer than [`MAX_TOKEN_CHARS`] characters is cut to that many
//! characters, identically at index and query time, so it stays findable.

use std::cell::RefCell;
use std::collections::HashMap;

use frostem::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the analyzer is registered under in the index.
pub const ANALYZER_NAME: &str = "bsl";

/// Tokens longer than this many characters are cut to it (never dropped).
pub const MAX_TOKEN_CHARS: usize = 120;

/// Words that carry no meaning in a developer's question (checked before stemming, on whole
/// words and parts). BSL keywords are not here: `Попытка` or `Транзакция` are worth finding.
const STOP_WORDS: &[&str] = &[
    // Russian
    "а",
    "в",
    "во",
    "и",
    "или",
    "к",
    "ко",
    "с",
    "со",
    "о",
    "об",
    "от",
    "до",
    "у",
    "на",
    "по",
    "из",
    "за",
    "же",
    "ли",
    "бы",
    "то",
    "не",
    "ни",
    "как",
    "что",
    "чтобы",
    "это",
    "этот",
    "эта",
    "при",
    "для",
    "мне",
    "я",
    "мы",
    "его",
    "ее",
    "их",
    "можно",
    "нужно",
    "надо",
    "чем",
    "где",
    "какой",
    "какая",
    "какие",
    "так",
    "там",
    // English
    "a",
    "an",
    "the",
    "to",
    "of",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "into",
    "and",
    "or",
    "is",
    "are",
    "be",
    "do",
    "does",
    "how",
    "what",
    "which",
    "i",
    "my",
    "can",
    "it",
    "its",
    "that",
    "this",
    "as",
    "should",
    "use",
];

/// Analyzes a text into the tokens the index stores (for queries and tests).
pub fn analyze(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for_each_token(text, |token| tokens.push(token.text.clone()));
    tokens
}

/// Splits a word into the parts of an identifier: at `_`, at a lower-case letter followed by
/// an upper-case one, before the last capital of a run of capitals followed by a lower-case
/// letter (`HTTPСоединение` → `HTTP`, `Соединение`), between Latin and Cyrillic letters, and
/// between a digit and a following capital. Returns byte ranges into `word`.
pub fn split_identifier(word: &str) -> Vec<std::ops::Range<usize>> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut parts = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &(offset, c)) in chars.iter().enumerate() {
        if c == '_' {
            if let Some(s) = start.take() {
                parts.push(s..offset);
            }
            continue;
        }
        let Some(s) = start else {
            start = Some(offset);
            continue;
        };
        let prev = chars[i - 1].1;
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let boundary = (c.is_uppercase() && (prev.is_lowercase() || prev.is_ascii_digit()))
            || (c.is_uppercase() && prev.is_uppercase() && next.is_some_and(char::is_lowercase))
            || (c.is_alphabetic() && prev.is_alphabetic() && is_cyrillic(c) != is_cyrillic(prev));
        if boundary {
            parts.push(s..offset);
            start = Some(offset);
        }
    }
    if let Some(s) = start {
        parts.push(s..word.len());
    }
    parts
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Lower case, `ё` → `е`, cut to [`MAX_TOKEN_CHARS`] characters.
fn normalize(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).take(MAX_TOKEN_CHARS).collect()
}

struct Stemmers {
    russian: Stemmer,
    english: Stemmer,
    /// word → its tokens as (text, byte range within the word); identifiers repeat a lot in code.
    cache: HashMap<String, Vec<(String, std::ops::Range<usize>)>>,
}

thread_local! {
    static STEMMERS: RefCell<Stemmers> = RefCell::new(Stemmers {
        russian: Stemmer::new(Algorithm::Russian),
        english: Stemmer::new(Algorithm::English),
        cache: HashMap::new(),
    });
}

/// Cache entries kept per thread before the cache is cleared.
const CACHE_LIMIT: usize = 200_000;

impl Stemmers {
    fn stem(&self, normalized: &str) -> String {
        if normalized.chars().any(is_cyrillic) {
            self.russian.stem(normalized).into_owned()
        } else if normalized.chars().any(|c| c.is_ascii_alphabetic()) {
            self.english.stem(normalized).into_owned()
        } else {
            normalized.to_string()
        }
    }

    fn word_tokens(&mut self, word: &str) -> Vec<(String, std::ops::Range<usize>)> {
        if let Some(tokens) = self.cache.get(word) {
            return tokens.clone();
        }
        let mut tokens = Vec::new();
        let parts = split_identifier(word);
        let whole = normalize(word);
        if parts.len() > 1 {
            tokens.push((self.stem(&whole), 0..word.len()));
            for part in parts {
                let normalized = normalize(&word[part.clone()]);
                if !STOP_WORDS.contains(&normalized.as_str()) {
                    tokens.push((self.stem(&normalized), part));
                }
            }
        } else if !whole.is_empty() && !STOP_WORDS.contains(&whole.as_str()) {
            let range = parts.into_iter().next().unwrap_or(0..word.len());
            tokens.push((self.stem(&whole), range));
        }
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert(word.to_string(), tokens.clone());
        tokens
    }
}

/// Calls `sink` with each token of `text`, positions counting up.
fn for_each_token(text: &str, mut sink: impl FnMut(&Token)) {
    STEMMERS.with(|stemmers| {
        let mut stemmers = stemmers.borrow_mut();
        let mut token = Token::default();
        let mut position = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if !is_word_char(c) {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(offset, c)) = chars.peek() {
                if !is_word_char(c) {
                    break;
                }
                end = offset + c.len_utf8();
                chars.next();
            }
            for (text, range) in stemmers.word_tokens(&text[start..end]) {
                token.text = text;
                token.offset_from = start + range.start;
                token.offset_to = start + range.end;
                token.position = position;
                position += 1;
                sink(&token);
            }
        }
    });
}

/// The analyzer as a tantivy tokenizer (register it under [`ANALYZER_NAME`]).
#[derive(Debug, Clone, Default)]
pub struct BslTokenizer {
    tokens: Vec<Token>,
}

/// The tokens of one text, produced up front.
#[derive(Debug)]
pub struct BslTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl Tokenizer for BslTokenizer {
    type TokenStream<'a> = BslTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BslTokenStream<'a> {
        self.tokens.clear();
        let tokens = &mut self.tokens;
        for_each_token(text, |token| tokens.push(token.clone()));
        BslTokenStream { tokens: &mut self.tokens, next: 0 }
    }
}

impl TokenStream for BslTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_identifiers() {
        let cases: &[(&str, &[&str])] = &[
            ("ЗаписьЖурналаРегистрации", &["Запись", "Журнала", "Регистрации"]),
            ("HTTPСоединение", &["HTTP", "Соединение"]),
            ("ЧтениеJSON", &["Чтение", "JSON"]),
            ("XMLReader", &["XML", "Reader"]),
            ("Мой_Метод", &["Мой", "Метод"]),
            ("Base64Строка", &["Base64", "Строка"]),
            ("СтрНайти", &["Стр", "Найти"]),
            ("строка", &["строка"]),
            ("ABC", &["ABC"]),
            ("_", &[]),
        ];
        for (word, expected) in cases {
            let parts: Vec<&str> = split_identifier(word).into_iter().map(|r| &word[r]).collect();
            assert_eq!(&parts, expected, "{word}");
        }
    }

    #[test]
    fn analyzes_words() {
        let cases: &[(&str, &[&str])] = &[
            // whole identifier, then its stemmed parts
            ("ЗаписьЖурналаРегистрации", &["записьжурналарегистрац", "зап", "журна", "регистрац"]),
            ("запись журнала регистрации", &["зап", "журна", "регистрац"]),
            // ё folds to е, case folds
            ("Ёлка ЁЛКИ", &["елк", "елк"]),
            // English stemming, stop words dropped
            ("How to start transactions", &["start", "transact"]),
            ("как найти подстроку в строке", &["найт", "подстрок", "строк"]),
            ("StrFind", &["strfind", "str", "find"]),
            ("x = 10;", &["x", "10"]),
        ];
        for (text, expected) in cases {
            assert_eq!(&analyze(text), expected, "{text}");
        }
    }

    #[test]
    fn keeps_long_cyrillic_words() {
        // 40 letters = 80 bytes: tantivy's byte-counting RemoveLongFilter(40) would drop it.
        let word = "ИдентификаторДлинойВСорокБуквКириллицейЖ";
        assert_eq!(word.chars().count(), 40);
        let tokens = analyze(word);
        assert_eq!(tokens[0].chars().count(), 40, "{tokens:?}");
        assert_eq!(tokens[0], normalize(word));
        // Longer than the cap: cut, never dropped, the same way on both sides.
        let huge = "Ж".repeat(MAX_TOKEN_CHARS * 3);
        let tokens = analyze(&huge);
        assert_eq!(tokens.len(), 1);
        assert!(tokens[0].chars().count() <= MAX_TOKEN_CHARS);
        assert_eq!(analyze(&huge), tokens);
    }

    #[test]
    fn token_offsets_point_into_the_text() {
        let text = "Если ЗаписьЖурнала Тогда";
        let mut tokenizer = BslTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push(&text[t.offset_from..t.offset_to]);
        }
        assert_eq!(seen, ["Если", "ЗаписьЖурнала", "Запись", "Журнала", "Тогда"]);
    }
}
