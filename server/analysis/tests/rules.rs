//! Runs every rule on its fixture and compares the annotated result with a snapshot.
//!
//! A fixture is `tests/fixtures/rules/<Code>.bsl`: flagged cases first, then a line that is
//! exactly `// OK`, then near misses that must stay silent. An optional first line
//! `// module: <kind>` sets the module kind (`form`, `common`, `object`, ...). The snapshot
//! `<Code>.snap` holds the fixture with each diagnostic drawn under its line, and, when the
//! rule offers fixes, the text after applying them until none is left. Fixed text must
//! parse without errors, and fixing must converge. `UPDATE_EXPECT=1` rewrites snapshots;
//! `BSL_RULES=CodeA,CodeB` checks only those rules.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use bsl_analysis::rules::{Config, RegisteredRule, RuleSet, catalog};
use bsl_analysis::{Diagnostic, ModuleKind, apply_edits};
use bsl_syntax::{Encoding, Parse};

const OK_MARKER: &str = "// OK";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn module_kind(text: &str) -> ModuleKind {
    text.lines()
        .take(2)
        .find_map(|l| l.trim().strip_prefix("// module:"))
        .map(|k| ModuleKind::from_name(k.trim()).unwrap_or_else(|| panic!("unknown module kind {k}")))
        .unwrap_or(ModuleKind::Unknown)
}

/// Parameters from a `// params: name=value; name=value` line among the first two lines.
fn config_for(rule: &RegisteredRule, text: &str) -> Config {
    let mut config = Config::default();
    let Some(line) = text.lines().take(2).find_map(|l| l.trim().strip_prefix("// params:")) else { return config };
    let mut rule_config = bsl_analysis::rules::RuleConfig::default();
    for pair in line.split(';').filter(|p| !p.trim().is_empty()) {
        let (name, value) = pair.split_once('=').expect("name=value");
        let value = value.trim();
        let parsed = match (value.parse::<i64>(), value.parse::<bool>()) {
            (Ok(v), _) => bsl_analysis::rules::ParamValue::Int(v),
            (_, Ok(v)) => bsl_analysis::rules::ParamValue::Bool(v),
            _ => bsl_analysis::rules::ParamValue::Str(value.to_string()),
        };
        rule_config.params.insert(name.trim().to_string(), parsed);
    }
    config.rules.insert(rule.rule.meta().code.to_string(), rule_config);
    config
}

fn run(rule: &RegisteredRule, text: &str, kind: ModuleKind) -> (Parse, Vec<Diagnostic>) {
    let set = RuleSet::from_rules([rule.rule], &config_for(rule, text));
    let parse = Parse::new(text);
    let diagnostics = set.check(&parse, kind);
    (parse, diagnostics)
}

/// The fixture with carets under each diagnostic.
fn annotate(parse: &Parse, diagnostics: &[Diagnostic]) -> String {
    let text = parse.text();
    let index = parse.line_index();
    let mut out = String::new();
    for line in 0..index.line_count() as u32 {
        let range = index.line_range(line).unwrap();
        let content = text[range.clone()].trim_end_matches(['\n', '\r']);
        out.push_str(content);
        out.push('\n');
        for d in diagnostics.iter().filter(|d| index.line_of(d.range.start) == line) {
            let start = index.position(text, d.range.start, Encoding::Utf16).col as usize;
            let end_line = index.line_of(d.range.end);
            let end = if end_line == line {
                index.position(text, d.range.end, Encoding::Utf16).col as usize
            } else {
                content.chars().count()
            };
            let pad: String = content.chars().take(start).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            let carets = "^".repeat(end.saturating_sub(start).max(1));
            let more = if end_line > line { format!(" (+{} lines)", end_line - line) } else { String::new() };
            let _ = writeln!(out, "{pad}{carets}{more} {}: {}", d.code, d.message);
        }
        // A finding's related places get tildes, naming the line of the finding.
        for d in diagnostics {
            for related in d.related.iter().filter(|r| index.line_of(r.start) == line) {
                let start = index.position(text, related.start, Encoding::Utf16).col as usize;
                let end = index.position(text, related.end, Encoding::Utf16).col as usize;
                let pad: String = content.chars().take(start).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
                let tildes = "~".repeat(end.saturating_sub(start).max(1));
                let _ = writeln!(out, "{pad}{tildes} {}: related to line {}", d.code, index.line_of(d.range.start) + 1);
            }
        }
    }
    out
}

/// Applies fixes until none is left; returns the final text and the number of rounds.
fn fix_all(rule: &RegisteredRule, text: &str, kind: ModuleKind, had_errors: bool) -> Result<(String, usize), String> {
    let mut current = text.to_string();
    for round in 0..6 {
        let (parse, diagnostics) = run(rule, &current, kind);
        if !had_errors && !parse.is_valid() {
            return Err(format!("fix round {round} left a syntax error:\n{current}"));
        }
        let edits: Vec<_> = diagnostics.iter().filter_map(|d| d.fix.as_ref()).flat_map(|f| f.edits.clone()).collect();
        if edits.is_empty() {
            return Ok((current, round));
        }
        current = apply_edits(&current, &edits);
    }
    Err("fixes do not converge within 5 rounds".to_string())
}

#[test]
fn every_rule_matches_its_fixture() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    // `BSL_RULES=CodeA,CodeB` limits the run to some rules while they are being written.
    let only: Option<Vec<String>> =
        std::env::var("BSL_RULES").ok().map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    for rule in catalog() {
        let code = rule.rule.meta().code;
        if only.as_ref().is_some_and(|only| !only.iter().any(|o| o == code)) {
            continue;
        }
        let fixture = fixtures().join(format!("{code}.bsl"));
        let Ok(text) = std::fs::read_to_string(&fixture) else {
            failures.push(format!("{code}: no fixture at {}", fixture.display()));
            continue;
        };
        let kind = module_kind(&text);
        let (parse, diagnostics) = run(rule, &text, kind);
        let Some(ok_at) = text.lines().position(|l| l.trim() == OK_MARKER) else {
            failures.push(format!("{code}: the fixture has no `{OK_MARKER}` line before its near misses"));
            continue;
        };
        let index = parse.line_index();
        if !diagnostics.iter().any(|d| (index.line_of(d.range.start) as usize) < ok_at) {
            failures.push(format!("{code}: nothing is flagged above `{OK_MARKER}`"));
        }
        for d in diagnostics.iter().filter(|d| index.line_of(d.range.start) as usize > ok_at) {
            failures.push(format!(
                "{code}: near miss flagged on line {}: {}",
                index.line_of(d.range.start) + 1,
                d.message
            ));
        }
        let mut snapshot = annotate(&parse, &diagnostics);
        if diagnostics.iter().any(|d| d.fix.is_some()) {
            match fix_all(rule, &text, kind, !parse.is_valid()) {
                Ok((fixed, _)) => {
                    snapshot.push_str("=== fixed ===\n");
                    snapshot.push_str(&fixed);
                }
                Err(error) => failures.push(format!("{code}: {error}")),
            }
        }
        let snap_path = fixtures().join(format!("{code}.snap"));
        let expected = std::fs::read_to_string(&snap_path).unwrap_or_default();
        if expected != snapshot {
            if update {
                std::fs::write(&snap_path, &snapshot).unwrap();
            } else {
                failures.push(format!(
                    "{code}: snapshot differs (UPDATE_EXPECT=1 to accept)\n--- expected\n{expected}\n--- actual\n{snapshot}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn rule_codes_are_unique_and_documented() {
    let mut codes: Vec<_> = catalog().iter().map(|r| r.rule.meta().code).collect();
    let count = codes.len();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), count, "duplicate rule codes");
    for rule in catalog() {
        let meta = rule.rule.meta();
        assert!(rule.doc.len() > 80, "{}: the doc comment is too thin to be documentation", meta.code);
        assert!(!meta.name_ru.is_empty() && !meta.name_en.is_empty(), "{}: names", meta.code);
    }
}

#[test]
fn docs_are_generated_and_fresh() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let mut stale = Vec::new();
    let mut index = String::from("# Rules\n\nGenerated from the rules' doc comments; do not edit by hand.\n\n");
    index.push_str("| Code | Name | Type | Severity | On by default |\n| --- | --- | --- | --- | --- |\n");
    for rule in catalog() {
        let meta = rule.rule.meta();
        let _ = writeln!(
            index,
            "| [{0}]({0}.md) | {1} | {2} | {3} | {4} |",
            meta.code,
            meta.name_en,
            meta.rule_type.name(),
            meta.severity.name(),
            if meta.enabled_by_default { "yes" } else { "no" }
        );
        stale.extend(compare_or_write(
            &docs.join(format!("{}.md", meta.code)),
            &bsl_analysis::rules::docs::render(rule),
            update,
        ));
    }
    stale.extend(compare_or_write(&docs.join("README.md"), &index, update));
    assert!(stale.is_empty(), "stale generated docs (run with UPDATE_EXPECT=1): {stale:?}");
}

fn compare_or_write(path: &Path, content: &str, update: bool) -> Option<String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(content) {
        return None;
    }
    if update {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        None
    } else {
        Some(path.display().to_string())
    }
}
