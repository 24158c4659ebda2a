//! IfElseIfEndsWithElse: an `Если ... ИначеЕсли` chain without a final `Иначе`.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags an `Если` with at least one `ИначеЕсли` and no closing `Иначе` branch.
///
/// ## Why
/// A chain of conditions reads as a list of cases; without `Иначе` the reader cannot tell
/// whether the remaining case was considered and does nothing on purpose, or was forgotten.
/// An explicit `Иначе` with a comment (or an exception for "impossible" values) says which.
///
/// Off by default: 1C's own code leaves most `ИначеЕсли` chains open (about 2,800 in the
/// Standard Subsystems Library), so switched on everywhere it would bury other findings.
///
/// ## Fix
/// Adds an empty `Иначе` branch (`Else` in English code) before `КонецЕсли`, indented like
/// the `Если`.
pub struct IfElseIfEndsWithElse;

static META: RuleMeta = RuleMeta {
    code: "IfElseIfEndsWithElse",
    name_ru: "Использование синтаксической конструкции Если...ИначеЕсли без Иначе",
    name_en: "If...ElsIf without a final Else",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["badpractice"],
    minutes_to_fix: 10,
    enabled_by_default: false,
    params: &[],
    module_kinds: &[],
};

impl Rule for IfElseIfEndsWithElse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["if_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
        let has_elsif = children.iter().any(|c| c.kind_str() == "elsif_clause");
        let has_else = children.iter().any(|c| c.kind_str() == "else_clause");
        let Some(end) = children.iter().find(|c| c.kind_str() == "endif") else { return };
        if !has_elsif || has_else || end.is_missing() {
            return;
        }
        let text = ctx.text();
        let line_start = text[..node.start_byte()].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        let end_line_start = text[..end.start_byte()].rfind('\n').map_or(0, |i| i + 1);
        let english = ctx.node_text(*end).eq_ignore_ascii_case("endif");
        let word = if english { "Else" } else { "Иначе" };
        let keyword = children[0].byte_range();
        let message =
            ctx.tr("Цепочка ИначеЕсли не завершается веткой Иначе", "The ElsIf chain has no final Else branch");
        // On its own line the end keyword gets the new branch above it; otherwise before it.
        let edit = if text[end_line_start..end.start_byte()].trim().is_empty() {
            Edit { range: end_line_start..end_line_start, new_text: format!("{indent}{word}\n") }
        } else {
            Edit { range: end.start_byte()..end.start_byte(), new_text: format!("{word} ") }
        };
        let fix = ctx.fix("Добавить ветку Иначе", "Add an Else branch", vec![edit]);
        ctx.report(keyword, message).fix = Some(fix);
    }
}
