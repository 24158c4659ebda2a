//! Runs the tree-sitter test corpus (`test/corpus/*.txt`) through the Rust binding, so the
//! grammar is tested without the tree-sitter CLI. `UPDATE_EXPECT=1` rewrites the expected trees.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tree_sitter::Parser;

/// One case: a header line of `=`, the name (with optional `:attributes` lines), the source,
/// a line of `-`, and the expected S-expression.
struct Case {
    name: String,
    attributes: Vec<String>,
    source: String,
    expected: String,
    /// Byte range of the expected tree inside the file, for `UPDATE_EXPECT`.
    expected_range: std::ops::Range<usize>,
}

fn is_rule(line: &str, ch: char) -> bool {
    line.len() >= 3 && line.trim_end().chars().all(|c| c == ch)
}

fn parse_cases(text: &str) -> Vec<Case> {
    // Split into lines keeping byte offsets.
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        lines.push((offset, line));
        offset += line.len();
    }
    let mut cases = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !is_rule(lines[i].1.trim_end(), '=') {
            i += 1;
            continue;
        }
        // Header: name lines until the closing `=` rule.
        i += 1;
        let mut name = String::new();
        let mut attributes = Vec::new();
        while i < lines.len() && !is_rule(lines[i].1.trim_end(), '=') {
            let line = lines[i].1.trim();
            if let Some(attribute) = line.strip_prefix(':') {
                attributes.push(attribute.to_string());
            } else if !line.is_empty() {
                name = line.to_string();
            }
            i += 1;
        }
        i += 1;
        let source_start = lines.get(i).map_or(text.len(), |l| l.0);
        while i < lines.len() && !is_rule(lines[i].1.trim_end(), '-') {
            i += 1;
        }
        let source_end = lines.get(i).map_or(text.len(), |l| l.0);
        i += 1;
        let expected_start = lines.get(i).map_or(text.len(), |l| l.0);
        while i < lines.len() && !is_rule(lines[i].1.trim_end(), '=') {
            i += 1;
        }
        let expected_end = lines.get(i).map_or(text.len(), |l| l.0);
        let source =
            text[source_start..source_end].strip_suffix('\n').unwrap_or(&text[source_start..source_end]).to_string();
        cases.push(Case {
            name,
            attributes,
            source,
            expected: text[expected_start..expected_end].to_string(),
            expected_range: expected_start..expected_end,
        });
    }
    cases
}

/// Whitespace-insensitive form of an S-expression, as the tree-sitter CLI compares them.
fn normalize(sexp: &str) -> String {
    let collapsed = sexp.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.replace("( ", "(").replace(" )", ")")
}

/// Drops `field: ` prefixes, for expectations written without fields.
fn strip_fields(sexp: &str) -> String {
    sexp.split(' ').filter(|token| !token.ends_with(':')).collect::<Vec<_>>().join(" ")
}

/// Indents an S-expression one node per line, the way the CLI writes it.
fn pretty(sexp: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut pending_field = false;
    for token in sexp.split(' ') {
        if token.starts_with('(') {
            if !out.is_empty() && !pending_field {
                out.push('\n');
                out.push_str(&"  ".repeat(depth));
            }
            pending_field = false;
            let closes = token.chars().rev().take_while(|c| *c == ')').count();
            out.push_str(token);
            depth += token.matches('(').count();
            depth -= closes.min(depth);
        } else if token.ends_with(':') {
            out.push('\n');
            out.push_str(&"  ".repeat(depth));
            out.push_str(token);
            out.push(' ');
            pending_field = true;
        } else {
            let closes = token.chars().filter(|c| *c == ')').count();
            out.push(' ');
            out.push_str(token);
            depth -= closes.min(depth);
        }
    }
    out
}

fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("test/corpus exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    files
}

#[test]
fn corpus() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_bsl::LANGUAGE.into()).unwrap();
    let mut failures = String::new();
    let mut total = 0;
    for file in corpus_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let cases = parse_cases(&text);
        let mut rewritten = text.clone();
        for case in cases.iter().rev() {
            total += 1;
            let tree = parser.parse(&case.source, None).unwrap();
            let root = tree.root_node();
            let actual = normalize(&root.to_sexp());
            let wants_error = case.attributes.iter().any(|a| a == "error");
            if wants_error {
                if !root.has_error() {
                    let _ = writeln!(failures, "{}: `{}` should have a syntax error", file.display(), case.name);
                }
                continue;
            }
            let expected = normalize(&case.expected);
            let compared = if expected.contains(": ") { actual.clone() } else { strip_fields(&actual) };
            if compared != expected {
                if update {
                    rewritten.replace_range(case.expected_range.clone(), &format!("{}\n\n", pretty(&actual)));
                } else {
                    let _ = writeln!(
                        failures,
                        "{}: `{}`\n  expected: {}\n  actual:   {}\n",
                        file.display(),
                        case.name,
                        expected,
                        compared
                    );
                }
            }
        }
        if update && rewritten != text {
            std::fs::write(&file, rewritten.trim_end().to_string() + "\n").unwrap();
        }
    }
    assert!(total > 0, "the corpus holds no cases");
    assert!(failures.is_empty(), "{failures}");
}
