//! Parser benchmarks on the shared corpus: whole-file parse throughput over SSL 3.1, and an
//! incremental re-parse after a one-character edit in the largest SSL module.
//!
//! Run with `cargo bench -p bsl-syntax`. The corpus is read from `../shared/corpus` beside
//! the checkout (or `BSL_CORPUS`); without it the benchmarks print a note and do nothing.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use bsl_syntax::{Parse, TextEdit};
use divan::{Bencher, counter::BytesCount};

fn corpus_dir() -> PathBuf {
    std::env::var_os("BSL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

fn modules_under(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "bsl" || e == "os")
                && let Ok(text) = bsl_syntax::source::decode(&std::fs::read(&path).unwrap_or_default())
            {
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

fn ssl() -> &'static [(PathBuf, String)] {
    static SSL: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    SSL.get_or_init(|| modules_under(&corpus_dir().join("ssl_3_1")))
}

/// The largest SSL module (3.5 MB).
fn largest() -> Option<&'static (PathBuf, String)> {
    static LARGEST: OnceLock<Option<(PathBuf, String)>> = OnceLock::new();
    LARGEST.get_or_init(|| ssl().iter().max_by_key(|(_, t)| t.len()).cloned()).as_ref()
}

fn main() {
    if ssl().is_empty() {
        eprintln!("no corpus at {}: set BSL_CORPUS", corpus_dir().display());
        return;
    }
    if let Some((path, text)) = largest() {
        eprintln!("largest module: {} ({} bytes)", path.display(), text.len());
    }
    divan::main();
}

/// Single-threaded parse of every SSL 3.1 module, counted in bytes.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn parse_ssl(bencher: Bencher) {
    let files = ssl();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        for (_, text) in files {
            divan::black_box(Parse::new(text.as_str()));
        }
    });
}

/// Re-parse of the largest module after replacing one character in its middle.
#[divan::bench(sample_count = 50)]
fn reparse_one_char_edit(bencher: Bencher) {
    let Some((_, text)) = largest() else { return };
    let parse = Parse::new(text.as_str());
    // Edit inside an identifier near the middle, so the change is one token.
    let middle = text.len() / 2;
    let at = text[middle..].find(|c: char| c.is_alphabetic()).map(|i| middle + i).unwrap_or(middle);
    let width = text[at..].chars().next().map_or(0, char::len_utf8);
    bencher.with_inputs(|| parse.clone()).bench_local_values(|mut parse| {
        parse.edit(&TextEdit::new(at..at + width, "Ж"));
        parse
    });
}

/// The part fingerprints after a one-character edit (what the rules and the semantic tokens
/// key their caches by), taken over from the version before the edit...
#[divan::bench(sample_count = 50)]
fn part_hashes_after_edit(bencher: Bencher) {
    let Some((_, text)) = largest() else { return };
    let parse = Parse::new(text.as_str());
    parse.part_hashes();
    let middle = text.len() / 2;
    let at = text[middle..].find(|c: char| c.is_alphabetic()).map(|i| middle + i).unwrap_or(middle);
    let width = text[at..].chars().next().map_or(0, char::len_utf8);
    bencher
        .with_inputs(|| {
            let mut edited = parse.clone();
            edited.edit(&TextEdit::new(at..at + width, "Ж"));
            edited
        })
        .bench_local_refs(|edited| edited.part_hashes().len());
}

/// ...and computed afresh, every part hashed (what an edit cost before they were kept).
#[divan::bench(sample_count = 50)]
fn part_hashes_fresh(bencher: Bencher) {
    let Some((_, text)) = largest() else { return };
    bencher.with_inputs(|| Parse::new(text.as_str())).bench_local_refs(|parse| parse.part_hashes().len());
}
