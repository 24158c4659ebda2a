//! Converts byte offsets to line/column positions in UTF-8 or UTF-16 units, and back.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the Language Server Protocol counts them.
//! Columns are counted in UTF-16 code units (what LSP clients use by default) or in bytes
//! (UTF-8, what tree-sitter and terminals use). Offsets inside a character or past the end
//! are clamped, never a panic.

use std::ops::Range;

/// A zero-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// The unit a column is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Start offsets of every line of one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
    /// Whether the text is pure ASCII, so UTF-16 columns equal byte columns.
    ascii: bool,
    /// For each block of `1 << BLOCK_BITS` bytes, the line holding the block's first byte:
    /// a lookup searches only the few lines of its block, not the whole table (which, for a
    /// large module, is tens of thousands of lines and as many cache misses).
    block_lines: Vec<u32>,
}

/// The size of a block of [`LineIndex::block_lines`] as a power of two: 4 KiB.
const BLOCK_BITS: u32 = 12;

/// [`LineIndex::block_lines`] of a text with these line starts.
fn block_lines(line_starts: &[u32], len: u32) -> Vec<u32> {
    let blocks = (len >> BLOCK_BITS) as usize + 1;
    let mut out = Vec::with_capacity(blocks);
    let mut line = 0;
    for block in 0..blocks {
        let offset = (block as u32) << BLOCK_BITS;
        while line + 1 < line_starts.len() && line_starts[line + 1] <= offset {
            line += 1;
        }
        out.push(line as u32);
    }
    out
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        push_line_starts(text.as_bytes(), 0, u32::MAX, &mut line_starts);
        let len = text.len() as u32;
        LineIndex { block_lines: block_lines(&line_starts, len), line_starts, len, ascii: text.is_ascii() }
    }

    /// The index of `text` after `start..old_end` of the indexed text was replaced by
    /// `inserted`, without scanning the unchanged lines: starts before the edit are kept,
    /// starts after it are shifted, and only the edited stretch is scanned again. `text`
    /// is the whole text after the edit. The same as [`LineIndex::new`] of it.
    pub fn edit(&mut self, text: &str, start: usize, old_end: usize, inserted: &str) {
        let new_end = start + inserted.len();
        let delta = new_end as i64 - old_end as i64;
        // A start depends on the break before it and, for a `\n`, on the byte before that;
        // starts below `start` read only bytes below `start - 1`, and starts at or above
        // `old_end + 3` only bytes from `old_end` on, which the edit left alone.
        // The first line's start, 0, stands whatever the edit.
        let keep = self.line_starts.partition_point(|&s| (s as usize) < start).max(1);
        let tail_from = self.line_starts.partition_point(|&s| (s as usize) < old_end + 3);
        let resume = (old_end + 3) as i64 + delta;
        let mut middle = Vec::new();
        push_line_starts(text.as_bytes(), start.saturating_sub(1), resume as u32, &mut middle);
        let tail: Vec<u32> = self.line_starts[tail_from..].iter().map(|&s| (s as i64 + delta) as u32).collect();
        self.line_starts.truncate(keep);
        self.line_starts.extend(middle.into_iter().filter(|&s| s as usize >= start));
        self.line_starts.extend(tail);
        self.len = text.len() as u32;
        self.block_lines = block_lines(&self.line_starts, self.len);
        // Once a non-ASCII character is gone, another one may or may not remain.
        self.ascii = if self.ascii { inserted.is_ascii() } else { text.is_ascii() };
    }

    /// The number of lines; an empty text has one.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of a line, including its line break.
    pub fn line_range(&self, line: u32) -> Option<Range<usize>> {
        let start = *self.line_starts.get(line as usize)? as usize;
        let end = self.line_starts.get(line as usize + 1).map_or(self.len as usize, |&e| e as usize);
        Some(start..end)
    }

    /// The line holding a byte offset (offsets past the end belong to the last line).
    pub fn line_of(&self, offset: usize) -> u32 {
        let offset = offset.min(self.len as usize) as u32;
        let block = (offset >> BLOCK_BITS) as usize;
        // The line holding the block's start starts at or before `offset`; the line holding
        // the next block's start is the last that may.
        let first = self.block_lines[block] as usize;
        let last = self.block_lines.get(block + 1).map_or(self.line_starts.len() - 1, |&l| l as usize);
        (first + self.line_starts[first..=last].partition_point(|&start| start <= offset) - 1) as u32
    }

    /// The position of a byte offset, its column counted in `encoding` units.
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.len as usize));
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize] as usize;
        let col = match encoding {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 if self.ascii => offset - start,
            Encoding::Utf16 => utf16_len(&text[start..offset]),
        };
        LineCol { line, col: col as u32 }
    }

    /// The byte offset of a position. A column past the end of its line clamps to the
    /// line's end (before the line break); a line past the end clamps to the text's end.
    pub fn offset(&self, text: &str, position: LineCol, encoding: Encoding) -> usize {
        let Some(range) = self.line_range(position.line) else {
            return self.len as usize;
        };
        let line = trim_line_break(&text[range.clone()]);
        let col = position.col as usize;
        let within = match encoding {
            Encoding::Utf8 => floor_char_boundary(line, col.min(line.len())),
            Encoding::Utf16 if self.ascii => col.min(line.len()),
            Encoding::Utf16 => {
                let mut units = 0;
                let mut bytes = line.len();
                for (i, ch) in line.char_indices() {
                    if units >= col {
                        bytes = i;
                        break;
                    }
                    units += ch.len_utf16();
                    if units > col {
                        // Inside a surrogate pair: stay before the character.
                        bytes = i;
                        break;
                    }
                }
                bytes
            }
        };
        range.start + within
    }
}

/// Pushes the start of every line that begins after a break found in `bytes[from..]`,
/// while below `limit`. A `\n` right at `from` counts on its own: its start is the same
/// whether or not a `\r` stands before it.
fn push_line_starts(bytes: &[u8], from: usize, limit: u32, out: &mut Vec<u32>) {
    let mut crlf_tail = None;
    for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[from.min(bytes.len())..]).map(|i| i + from) {
        // The `\n` of a `\r\n` pair was already counted with its `\r`.
        if crlf_tail == Some(i) {
            continue;
        }
        let start = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            crlf_tail = Some(i + 1);
            i + 2
        } else {
            i + 1
        };
        if start as u64 >= limit as u64 {
            break;
        }
        out.push(start as u32);
    }
}

fn trim_line_break(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// The length of `text` in UTF-16 code units, counted over its bytes (which the compiler
/// vectorises): every byte but a continuation byte starts a character, and a four-byte
/// character is two units.
pub fn utf16_len(text: &str) -> usize {
    // Every byte that does not continue a character starts one (one unit); a character of
    // four bytes is two units. Counted 64 bytes at a time into a byte-wide sum (at most 128
    // per chunk), which compiles to additions of whole vectors of bytes: summing straight
    // into a `usize` widens every byte first and runs several times slower.
    fn units(b: u8) -> u8 {
        u8::from((b as i8) >= -0x40) + u8::from(b >= 0xF0)
    }
    let mut chunks = text.as_bytes().chunks_exact(64);
    let mut total = 0;
    for chunk in &mut chunks {
        total += usize::from(chunk.iter().fold(0u8, |sum, &b| sum + units(b)));
    }
    total + chunks.remainder().iter().map(|&b| usize::from(units(b))).sum::<usize>()
}

/// The largest character boundary not after `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_by_blocks_agrees_with_a_search_of_all_lines() {
        // Lines of every length, breaks of every kind, across many blocks.
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(&"ж".repeat(i % 97));
            text.push_str(["\n", "\r\n", "\r", "\n\n"][i % 4]);
        }
        for text in ["", "\n", "a", &text] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                let naive = (index.line_starts.partition_point(|&s| s as usize <= offset.min(text.len())) - 1) as u32;
                assert_eq!(index.line_of(offset), naive, "offset {offset}");
            }
        }
    }

    #[test]
    fn utf16_length_by_bytes_agrees_with_chars() {
        let short = ["", "abc", "Привет", "a😀b", "\u{10FFFF}ж\u{7FF}\u{800}\u{FFFF}x"];
        // Long texts too: they are counted in chunks of 64 bytes, a chunk of four-byte
        // characters being the most units a chunk can hold.
        let long = ["😀".repeat(40), "Ж".repeat(100), "a😀Жb".repeat(50), "x".repeat(64), "жx😀".repeat(33)];
        for text in short.iter().copied().chain(long.iter().map(String::as_str)) {
            assert_eq!(utf16_len(text), text.chars().map(char::len_utf16).sum::<usize>(), "{text:?}");
        }
    }

    fn roundtrip(text: &str, encoding: Encoding) {
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let position = index.position(text, offset, encoding);
            let back = index.offset(text, position, encoding);
            // A position on a line break maps back to the end of the line's content.
            let line_end = index.line_range(position.line).unwrap();
            let content_end = line_end.start + trim_line_break(&text[line_end.clone()]).len();
            assert_eq!(back, offset.min(content_end), "offset {offset} in {text:?}");
        }
    }

    #[test]
    fn line_breaks_of_every_kind() {
        let text = "а\nб\r\nв\rг";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.position(text, text.find('г').unwrap(), Encoding::Utf16), LineCol { line: 3, col: 0 });
        roundtrip(text, Encoding::Utf8);
        roundtrip(text, Encoding::Utf16);
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "А😀Б = 1;";
        let index = LineIndex::new(text);
        let b = text.find('Б').unwrap();
        assert_eq!(index.position(text, b, Encoding::Utf16).col, 3);
        assert_eq!(index.position(text, b, Encoding::Utf8).col, 6);
        // The middle of the surrogate pair maps to the emoji's start.
        assert_eq!(index.offset(text, LineCol { line: 0, col: 2 }, Encoding::Utf16), 2);
        roundtrip(text, Encoding::Utf16);
    }

    #[test]
    fn an_edited_index_is_the_index_of_the_edited_text() {
        let texts = ["а\nб\r\nв\rг\n", "\r\n\r\n", "abc\r", "\n\rx\r\n", "Ф();\r\nА = 1;\n\nКонец"];
        let inserts = ["", "\n", "\r", "\r\n", "ж", "x\ny", "\n\r"];
        for text in texts {
            for start in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                for end in (start..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                    for inserted in inserts {
                        let mut edited = text.to_string();
                        edited.replace_range(start..end, inserted);
                        let mut index = LineIndex::new(text);
                        index.edit(&edited, start, end, inserted);
                        assert_eq!(index, LineIndex::new(&edited), "{text:?}: {start}..{end} := {inserted:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "Ф();\nА";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, LineCol { line: 0, col: 99 }, Encoding::Utf16), "Ф();".len());
        assert_eq!(index.offset(text, LineCol { line: 9, col: 0 }, Encoding::Utf16), text.len());
        assert_eq!(index.position(text, 999, Encoding::Utf8), LineCol { line: 1, col: 2 });
        // An offset inside a character is moved to the character's start.
        assert_eq!(index.position(text, 1, Encoding::Utf8), LineCol { line: 0, col: 0 });
    }
}
