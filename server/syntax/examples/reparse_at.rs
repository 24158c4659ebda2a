//! Re-parse cost of a one-character edit at several places of a module (a probe of how
//! tree-sitter's incremental parse scales): `cargo run --release -p bsl-syntax --example
//! reparse_at -- <module.bsl>`.

use bsl_syntax::{Parse, TextEdit};
use std::time::Instant;

/// Milliseconds per edit over 40 edits alternating `put` and `back` (which undoes it).
fn per_edit(parse: &mut Parse, put: &TextEdit, back: &TextEdit) -> f64 {
    let started = Instant::now();
    for i in 0..40 {
        parse.edit(if i % 2 == 0 { put } else { back });
    }
    started.elapsed().as_secs_f64() * 1e3 / 40.0
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: reparse_at <module.bsl>");
    let text = bsl_syntax::source::decode(&std::fs::read(&path).expect("readable")).expect("text");
    let mut parse = Parse::new(text.as_str());
    for tenth in [1, 3, 5, 7, 9] {
        let middle = bsl_syntax::floor_char_boundary(&text, text.len() * tenth / 10);
        let at = text[middle..].find(|c: char| c.is_alphabetic()).map_or(middle, |i| middle + i);
        let width = text[at..].chars().next().map_or(0, char::len_utf8);
        let put = TextEdit::new(at..at + width, "Ж");
        let back = TextEdit::new(at..at + "Ж".len(), &text[at..at + width]);
        println!("{tenth}/10: {:.2} ms per edit", per_edit(&mut parse, &put, &back));
    }
    // Where `bsl-assist bench` types: a character put before the middle line and taken out.
    let line = text.lines().count() / 2;
    let at: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let (put, back) = (TextEdit::new(at..at, "Ж"), TextEdit::new(at..at + "Ж".len(), ""));
    println!("start of line {}: {:.2} ms per edit", line + 1, per_edit(&mut parse, &put, &back));
}
