//! The formatter over real code: on every module of the shared corpus, formatting keeps the
//! module valid, changes nothing but blanks and keyword case, and a second run changes
//! nothing. Prints how many modules changed.

use std::path::{Path, PathBuf};

use bsl_analysis::apply_edits;
use bsl_analysis::format::{FormatOptions, format};
use bsl_syntax::Parse;

fn modules(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            modules(&path, out);
        } else if path.extension().is_some_and(|e| e == "bsl" || e == "os") {
            out.push(path);
        }
    }
}

/// The tokens of a module, lower-cased, without blanks: what formatting must preserve.
fn tokens(parse: &Parse) -> Vec<String> {
    // Strings are single tokens: their parts are not walked.
    let leaves = bsl_syntax::walk::preorder_where(parse.root(), |n| n.kind() != "string")
        .filter(|n| n.child_count() == 0 || n.kind() == "string");
    leaves
        .map(|node| {
            if node.kind() == "string" {
                // Blanks before a `|` continuation are not part of the value: they move with
                // the statement's indentation.
                let text = parse.node_text(node).to_lowercase();
                let lines: Vec<&str> = text.split('\n').map(|l| l.trim_start_matches([' ', '\t'])).collect();
                lines.join("\n")
            } else if node.kind() == "comment" {
                // A run of comment lines: each line moves with the code's indentation, and
                // trailing blanks are removed on purpose.
                let lines: Vec<String> = bsl_syntax::comment_lines(parse.text(), node.byte_range())
                    .map(|line| parse.text()[line].trim_end().to_lowercase())
                    .collect();
                lines.join("\n")
            } else {
                // Trailing blanks of preprocessor lines are removed on purpose.
                parse.node_text(node).trim_end().to_lowercase()
            }
        })
        .collect()
}

#[test]
fn formatting_the_corpus_is_safe_and_idempotent() {
    let corpus = std::env::var_os("BSL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    assert!(corpus.is_dir(), "the shared corpus is missing at {}", corpus.display());
    let mut files = Vec::new();
    modules(&corpus, &mut files);
    files.sort();
    let mut changed = 0;
    let mut failures = Vec::new();
    for file in &files {
        let Ok(text) = bsl_syntax::source::decode(&std::fs::read(file).unwrap()) else { continue };
        let parse = Parse::new(text.as_str());
        let once = apply_edits(&text, &format(&parse, &FormatOptions::default()));
        if once == text {
            continue;
        }
        changed += 1;
        let reparsed = Parse::new(once.as_str());
        if parse.is_valid() && !reparsed.is_valid() {
            failures.push(format!("{}: formatting introduced a syntax error", file.display()));
            continue;
        }
        let (before, after) = (tokens(&parse), tokens(&reparsed));
        if before != after {
            let at = before.iter().zip(&after).position(|(a, b)| a != b).unwrap_or(before.len().min(after.len()));
            let show = |t: &[String]| t.get(at).cloned().unwrap_or_default();
            failures.push(format!(
                "{}: formatting changed token {at}: {:?} became {:?}",
                file.display(),
                show(&before),
                show(&after)
            ));
            continue;
        }
        let twice = apply_edits(&once, &format(&reparsed, &FormatOptions::default()));
        if twice != once {
            let line = once.lines().zip(twice.lines()).position(|(a, b)| a != b).unwrap_or(0);
            failures.push(format!("{}: not idempotent, first difference on line {}", file.display(), line + 1));
        }
        if failures.len() > 20 {
            break;
        }
    }
    println!("{changed} of {} modules changed by formatting", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Inputs the fuzzer found crashing the formatter (`fuzz/fuzz_targets/format.rs`), kept
/// with the same checks: edits on character boundaries, and on valid code a valid and
/// idempotent result. `format-bom-in-indentation.bsl`: a BOM after a control character made
/// the first line's "indentation" end inside the BOM.
#[test]
fn fuzz_regressions_format() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.file_name().unwrap().to_string_lossy().starts_with("format-") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let options = FormatOptions::default();
        let parse = Parse::new(text.as_str());
        let edits = format(&parse, &options);
        for edit in &edits {
            assert!(
                text.is_char_boundary(edit.range.start) && text.is_char_boundary(edit.range.end),
                "{}",
                path.display()
            );
        }
        let once = apply_edits(&text, &edits);
        let reparsed = Parse::new(once.as_str());
        if parse.is_valid() {
            assert!(reparsed.is_valid(), "{}", path.display());
            assert_eq!(apply_edits(&once, &format(&reparsed, &options)), once, "{}", path.display());
        }
        checked += 1;
    }
    assert!(checked > 0);
}
