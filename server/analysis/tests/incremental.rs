//! The incremental check gives exactly the full check's findings: modules of the shared
//! corpus are edited the way a user types (a character inside a method body, a deleted
//! line, a new method, a new module variable, an edit undone), and after every edit
//! `RuleSet::check_cached` with a cache carried across the edits must equal
//! `RuleSet::check` on the same text.

use std::path::{Path, PathBuf};

use bsl_analysis::ModuleKind;
use bsl_analysis::rules::{CheckCache, Config, RuleSet};
use bsl_syntax::{Parse, TextEdit};

fn modules(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            modules(&path, out);
        } else if path.extension().is_some_and(|e| e == "bsl" || e == "os") {
            out.push(path);
        }
    }
}

/// The offset of a character boundary near `fraction` of the text, inside a method body
/// when there is one there.
fn inside_a_body(parse: &Parse, fraction: f64) -> Option<usize> {
    let module = parse.module();
    let method = module.methods.get(((module.methods.len() as f64) * fraction) as usize)?;
    let body = method.body_range.clone()?;
    let text = parse.text();
    let mut at = body.start + (body.end - body.start) / 2;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    Some(at)
}

fn edits_for(parse: &Parse) -> Vec<(&'static str, TextEdit)> {
    let text = parse.text();
    let mut edits = Vec::new();
    if let Some(at) = inside_a_body(parse, 0.5) {
        edits.push(("a character typed in a body", TextEdit::new(at..at, "Ж")));
    }
    if let Some(at) = inside_a_body(parse, 0.2) {
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        edits.push(("a line deleted", TextEdit::new(start..end, "")));
    }
    if let Some(at) = inside_a_body(parse, 0.8) {
        edits.push(("a statement typed", TextEdit::new(at..at, "\nЕсли А = А Тогда\nКонецЕсли;\n")));
    }
    edits.push((
        "a new method",
        TextEdit::new(text.len()..text.len(), "\nПроцедура Новая()\n\tА = 1;\nКонецПроцедуры\n"),
    ));
    edits.push(("a new module variable", TextEdit::new(0..0, "Перем НоваяПеременная;\n")));
    edits
}

/// What only one of the two results has.
fn difference(full: &[bsl_analysis::Diagnostic], cached: &[bsl_analysis::Diagnostic]) -> String {
    let only = |a: &[bsl_analysis::Diagnostic], b: &[bsl_analysis::Diagnostic]| -> Vec<String> {
        a.iter().filter(|d| !b.contains(d)).take(3).map(|d| format!("{} {:?} {}", d.code, d.range, d.message)).collect()
    };
    format!("only in the full check: {:?}; only in the incremental one: {:?}", only(full, cached), only(cached, full))
}

#[test]
fn incremental_findings_equal_full_findings() {
    let corpus = std::env::var_os("BSL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    assert!(corpus.is_dir(), "the shared corpus is missing at {}", corpus.display());
    let mut files = Vec::new();
    modules(&corpus, &mut files);
    files.sort();
    let config = Config::default();
    let rules = RuleSet::new(&config);
    let mut checked = 0;
    // Every 50th module: a spread over every project and module kind, in CI time.
    for path in files.iter().step_by(50) {
        let Ok(text) = bsl_syntax::source::decode(&std::fs::read(path).unwrap()) else { continue };
        let kind = ModuleKind::from_path(path);
        let mut parse = Parse::new(text.as_str());
        let mut cache = CheckCache::default();
        assert_eq!(rules.check_cached(&parse, kind, &mut cache), rules.check(&parse, kind), "{}", path.display());
        for (what, edit) in edits_for(&parse) {
            let before = parse.text().to_string();
            parse.edit(&edit);
            let full = rules.check(&parse, kind);
            let cached = rules.check_cached(&parse, kind, &mut cache);
            assert!(
                cached == full,
                "{}: after {what}, the incremental check differs: {}",
                path.display(),
                difference(&full, &cached)
            );
            // And undone.
            parse = Parse::new(before.as_str());
            let cached = rules.check_cached(&parse, kind, &mut cache);
            assert!(cached == rules.check(&parse, kind), "{}: after undoing {what}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} edits checked");
}

/// Statements of the module body (or of a method that lost its end) stand at the top level,
/// and two parts with the same text mean different things by their neighbours: the first
/// `Б = 2` shares its line with another statement, the second does not. Each keeps its own
/// findings. (The case fuzzing found, the same text parsed as two kinds of node, a `;`
/// token and a block holding only `;`, needs a longer broken module; its input is kept in
/// `fuzz/regressions/rules` and replays with the fuzz target.)
#[test]
fn equal_parts_in_different_places_keep_their_own_findings() {
    let rules = RuleSet::new(&Config::default());
    let text = "А = 1; Б = 2;\nБ = 2;\nВ = 3;\n";
    let mut parse = Parse::new(text);
    let mut cache = CheckCache::default();
    let kind = ModuleKind::Common;
    let first = rules.check_cached(&parse, kind, &mut cache);
    let full = rules.check(&parse, kind);
    assert!(first == full, "{}", difference(&full, &first));
    assert_eq!(full.iter().filter(|d| d.code == "OneStatementPerLine").count(), 1, "{full:?}");
    let at = text.find('3').unwrap();
    parse.edit(&TextEdit::new(at..at + 1, "4"));
    let full = rules.check(&parse, kind);
    let cached = rules.check_cached(&parse, kind, &mut cache);
    assert!(cached == full, "{}", difference(&full, &cached));
}
