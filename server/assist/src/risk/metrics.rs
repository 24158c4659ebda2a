//! Static metrics of every method of a module: the rules' measures (cyclomatic and
//! cognitive complexity, nesting, lines, parameters from
//! `bsl_analysis::rules::support::b_metrics`) plus the number of queries built
//! (`Новый Запрос`/`New Query`), transaction calls, the comment ratio and the fan-out
//! (call sites inside the method). Fan-in needs the whole workspace: see [`fan_in`].

use std::path::Path;
use std::sync::OnceLock;

use bsl_analysis::rules::support::b_metrics::method_metrics;
use bsl_analysis::workspace::{WorkspaceIndex, call_sites};
use bsl_syntax::Parse;
use regex::Regex;
use serde::{Deserialize, Serialize};

/// The measures of one method at one revision.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StaticMetrics {
    pub cyclomatic: u32,
    pub cognitive: u32,
    pub nesting: u32,
    pub lines: u32,
    pub parameters: u32,
    /// `Новый Запрос` / `New Query` inside the method.
    pub queries: u32,
    /// `НачатьТранзакцию` / `BeginTransaction` calls inside the method.
    pub transactions: u32,
    /// Comment lines over all lines of the method (0..=1).
    pub comment_ratio: f32,
    /// Call sites inside the method.
    pub fan_out: u32,
    pub export: bool,
}

/// One method of a module snapshot: its name, 0-based line span (inclusive) and measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodSnapshot {
    pub name: String,
    pub first_line: u32,
    pub last_line: u32,
    pub metrics: StaticMetrics,
}

fn query_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\b(?:новый|new)\s+(?:запрос|query)\b").expect("valid regex"))
}

fn transaction_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\b(?:НачатьТранзакцию|BeginTransaction)\s*\(").expect("valid regex"))
}

/// Parses a module's text and measures each of its methods, in text order.
pub fn module_snapshot(text: &str) -> Vec<MethodSnapshot> {
    let parse = Parse::new(text);
    snapshot_of(&parse)
}

/// [`module_snapshot`] of an existing parse.
pub fn snapshot_of(parse: &Parse) -> Vec<MethodSnapshot> {
    let text = parse.text();
    let module = parse.module();
    let index = parse.line_index();
    let calls = call_sites(parse);
    let root = parse.root();
    let mut out = Vec::with_capacity(module.methods.len());
    for method in &module.methods {
        let mut node = root.descendant_for_byte_range(method.name_range.start, method.name_range.end);
        while let Some(n) = node.filter(|n| n.kind() != "method_declaration") {
            node = n.parent();
        }
        let Some(node) = node else { continue };
        let base = method_metrics(node, text);
        let body = &text[method.range.clone()];
        let total_lines = body.lines().count().max(1);
        let comment_lines = body.lines().filter(|l| l.trim_start().starts_with("//")).count();
        let fan_out = calls
            .iter()
            .filter(|c| (c.start as usize) >= method.range.start && (c.end as usize) <= method.range.end)
            .count();
        out.push(MethodSnapshot {
            name: method.name.clone(),
            first_line: index.line_of(method.range.start),
            last_line: index.line_of(method.range.end.saturating_sub(1).max(method.range.start)),
            metrics: StaticMetrics {
                cyclomatic: base.cyclomatic,
                cognitive: base.cognitive,
                nesting: base.max_nesting,
                lines: base.lines,
                parameters: base.parameters,
                queries: query_re().find_iter(body).count() as u32,
                transactions: transaction_re().find_iter(body).count() as u32,
                comment_ratio: comment_lines as f32 / total_lines as f32,
                fan_out: fan_out as u32,
                export: method.export,
            },
        });
    }
    out
}

/// Module-wide sums: the same measures over all methods (comment ratio averaged by lines).
pub fn module_totals(methods: &[MethodSnapshot]) -> StaticMetrics {
    let mut total = StaticMetrics::default();
    let mut comment_lines = 0.0f32;
    for m in methods {
        let s = &m.metrics;
        total.cyclomatic += s.cyclomatic;
        total.cognitive += s.cognitive;
        total.nesting = total.nesting.max(s.nesting);
        total.lines += s.lines;
        total.parameters += s.parameters;
        total.queries += s.queries;
        total.transactions += s.transactions;
        total.fan_out += s.fan_out;
        total.export |= s.export;
        comment_lines += s.comment_ratio * s.lines as f32;
    }
    total.comment_ratio = if total.lines > 0 { comment_lines / total.lines as f32 } else { 0.0 };
    total
}

/// Fan-in: the number of call sites of `method` of the module at `path` across the indexed
/// workspace (`WorkspaceIndex::callers`).
pub fn fan_in(index: &WorkspaceIndex, path: &Path, method: &str) -> u32 {
    index.callers(path, method).iter().map(|(_, ranges)| ranges.len() as u32).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_queries_transactions_and_comments() {
        let text = "Процедура А() Экспорт\n    // комментарий\n    Запрос = Новый Запрос;\n    НачатьТранзакцию();\n    Если Истина Тогда\n        Б();\n    КонецЕсли;\nКонецПроцедуры\n\nПроцедура Б()\nКонецПроцедуры\n";
        let snap = module_snapshot(text);
        assert_eq!(snap.len(), 2);
        let a = &snap[0];
        assert_eq!(a.name, "А");
        assert_eq!((a.first_line, a.last_line), (0, 7));
        assert_eq!(a.metrics.queries, 1);
        assert_eq!(a.metrics.transactions, 1);
        assert!(a.metrics.export);
        assert_eq!(a.metrics.cyclomatic, 2);
        assert!(a.metrics.fan_out >= 2, "{:?}", a.metrics);
        assert!((a.metrics.comment_ratio - 0.125).abs() < 1e-6);
        assert_eq!((snap[1].first_line, snap[1].last_line), (9, 10));
        let totals = module_totals(&snap);
        assert_eq!(totals.queries, 1);
    }
}
