//! Edit-to-results latency: after a one-character edit in the largest SSL module, the time
//! until updated diagnostics (all default rules) and semantic tokens are ready, measured on
//! the same code paths the server runs. `cargo bench -p bsl-lsp`; the corpus is read from
//! `../shared/corpus` (or `BSL_CORPUS`).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bsl_analysis::rules::{CheckCache, Config};
use bsl_analysis::{ModuleKind, RuleSet};
use bsl_lsp::handlers::semantic_tokens;
use bsl_lsp::session::Snapshot;
use bsl_syntax::{Parse, TextEdit};
use divan::Bencher;
use tower_lsp_server::ls_types::Uri;

/// The largest module of SSL and its text; `None`, said on stderr, without the corpus.
fn largest_ssl_module() -> Option<(PathBuf, String)> {
    let found = find_largest_ssl_module();
    if found.is_none() {
        eprintln!("no corpus: set BSL_CORPUS");
    }
    found
}

fn find_largest_ssl_module() -> Option<(PathBuf, String)> {
    let corpus = std::env::var_os("BSL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    let mut stack = vec![corpus.join("ssl_3_1")];
    let mut best: Option<(PathBuf, u64)> = None;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "bsl") {
                let size = entry.metadata().ok()?.len();
                if best.as_ref().is_none_or(|(_, s)| size > *s) {
                    best = Some((path, size));
                }
            }
        }
    }
    let (path, _) = best?;
    let text = bsl_syntax::source::decode(&std::fs::read(&path).ok()?).ok()?;
    Some((path, text))
}

/// The allocator the `bsl-assist` binary runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// One keystroke (a character replaced in the middle of the module), then diagnostics and
/// the semantic tokens delta for the new text, computed side by side as the server does when an
/// editor asks for both at once (VS Code pulls diagnostics and a tokens delta after each
/// change without waiting for one answer before asking for the other).
#[divan::bench(sample_count = 200)]
fn edit_then_diagnostics_and_tokens(bencher: Bencher) {
    let Some((path, text)) = largest_ssl_module() else { return };
    let kind = ModuleKind::from_path(&path);
    let config = Arc::new(Config::default());
    let rules = Arc::new(RuleSet::new(&config));
    let parse = Parse::new(text.as_str());
    let middle = text.len() / 2;
    let at = text[middle..].find(|c: char| c.is_alphabetic()).map_or(middle, |i| middle + i);
    let width = text[at..].chars().next().map_or(0, char::len_utf8);
    let uri = Uri::from_file_path(&path).expect("an absolute path");
    // The server keeps the last answer's tokens part by part between requests.
    let first = Snapshot::detached(uri.clone(), 1, Arc::new(parse.clone()), kind, config.clone(), rules.clone());
    let tokens = semantic_tokens::TokenParts::of(&first, &semantic_tokens::TokenParts::default());
    // The server keeps the rules' per-method findings between edits, too.
    let mut checks = CheckCache::default();
    rules.check_cached(&parse, kind, &mut checks);
    // One document that is edited back and forth, as a user types and deletes.
    let state = RefCell::new((Arc::new(parse), tokens, checks, false));
    bencher.bench_local(|| {
        let mut state = state.borrow_mut();
        let (parse, tokens, checks, typed) = &mut *state;
        // As the server does: the document's parse is edited in place when no reader holds it.
        let editable = Arc::make_mut(parse);
        if *typed {
            editable.edit(&TextEdit::new(at..at + "Ж".len(), &text[at..at + width]));
        } else {
            editable.edit(&TextEdit::new(at..at + width, "Ж"));
        }
        *typed = !*typed;
        let snapshot = Snapshot::detached(uri.clone(), 2, parse.clone(), kind, config.clone(), rules.clone());
        // Diagnostics, and the tokens delta against the last answer (what `full/delta` sends).
        let (diagnostics, (next, delta)) = rayon::join(
            || rules.check_cached(&snapshot.parse, kind, checks),
            || {
                let next = semantic_tokens::TokenParts::of(&snapshot, tokens);
                let delta = next.delta(tokens, "2".into());
                (next, delta)
            },
        );
        *tokens = next;
        (diagnostics, delta)
    });
}

/// Writing the pulled diagnostics report of the largest module as JSON text (what the
/// server sends after each keystroke: every finding, its range in UTF-16 columns).
#[divan::bench(sample_count = 100)]
fn report_json(bencher: Bencher) {
    let Some((path, text)) = largest_ssl_module() else { return };
    let kind = ModuleKind::from_path(&path);
    let parse = Parse::new(text.as_str());
    let found = RuleSet::new(&Config::default()).check(&parse, kind);
    let uri = Uri::from_file_path(&path).expect("an absolute path");
    bencher.bench_local(|| bsl_lsp::handlers::diagnostics::items_json(&parse, &uri, &found, &[]));
}
