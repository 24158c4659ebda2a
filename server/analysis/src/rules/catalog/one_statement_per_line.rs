//! OneStatementPerLine: a statement that starts on the line where the previous one ended.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a statement that starts on the same line where the previous statement of the
/// same block ends (standard 456).
///
/// ## Why
/// `А = 1; Б = 2;` hides the second statement at the end of a line, where a reader
/// skimming the left edge does not look; the debugger stops on lines, so the two cannot be
/// stepped through one by one; and a change to either shows in the diff as a change to both.
///
/// ## Example
/// ```bsl
/// Количество = 0; Сумма = 0; // flagged: "Сумма = 0;" goes on its own line
/// ```
///
/// The parts of one statement are not separate statements: a `Для ... Цикл` header, a
/// one-line `Если ... Тогда ... КонецЕсли;` with a single statement inside, a label before
/// its statement (`~Метка: А = 1;`) are left alone.
///
/// ## Fix
/// Moves the statement to a new line with the indentation of the line where the previous
/// statement starts.
pub struct OneStatementPerLine;

static META: RuleMeta = RuleMeta {
    code: "OneStatementPerLine",
    name_ru: "Одно выражение в одной строке",
    name_en: "One statement per line",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "design"],
    minutes_to_fix: 2,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

fn is_statement(kind: &str) -> bool {
    kind.ends_with("_statement") || kind == "var_declaration"
}

impl Rule for OneStatementPerLine {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["block", "source_file"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let masked = ctx.parse().masked();
        let mut previous: Option<Node<'_>> = None;
        let mut found = Vec::new();
        for child in ctx.children(node).iter().copied().filter(|c| c.is_named()) {
            if child.is_extra() || !is_statement(child.kind_str()) {
                continue;
            }
            let Some(prev) = previous.replace(child) else { continue };
            let lines = ctx.parse().line_index();
            if lines.line_of(prev.end_byte()) != lines.line_of(child.start_byte())
                || prev.kind_str() == "label_statement"
                || child.has_error()
                || prev.has_error()
                || masked.iter().any(|m| m.start < child.end_byte() && prev.start_byte() < m.end)
            {
                continue;
            }
            let start = child.start_byte();
            let gap_start = text[..start].trim_end_matches([' ', '\t']).len();
            let prev_line_start = text[..prev.start_byte()].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let indent: String = text[prev_line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            let newline = match text[start..].find(['\n', '\r']) {
                Some(i) if text[start + i..].starts_with("\r\n") => "\r\n",
                Some(i) if text[start + i..].starts_with('\r') => "\r",
                _ => "\n",
            };
            found.push((child.start_byte()..child.end_byte(), gap_start..start, format!("{newline}{indent}")));
        }
        for (range, gap, new_text) in found {
            let line_end = ctx.text()[range.start..].find(['\n', '\r']).map_or(range.end, |i| range.start + i);
            let message = ctx.tr(
                "Несколько выражений в одной строке: перенесите это на отдельную строку",
                "Several statements on one line: move this one to its own line",
            );
            let fix = ctx.fix("Перенести на новую строку", "Move to a new line", vec![Edit { range: gap, new_text }]);
            ctx.report(range.start..range.end.min(line_end), message).fix = Some(fix);
        }
    }
}
