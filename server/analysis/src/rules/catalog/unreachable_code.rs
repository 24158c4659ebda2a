//! UnreachableCode: statements after a jump in the same block.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags statements that follow `Возврат`, `ВызватьИсключение`, `Прервать`, `Продолжить` or
/// `Перейти` in the same block: they never run. A label (`~Метка:`) makes the code after it
/// reachable again, and so does a preprocessor line between them (`#Иначе`, `#КонецЕсли`:
/// the code may belong to another branch).
///
/// ## Why
/// Dead code misleads the reader, who assumes it runs, and usually marks a mistake: a
/// `Возврат` left from debugging, or a statement that belongs above the jump.
pub struct UnreachableCode;

static META: RuleMeta = RuleMeta {
    code: "UnreachableCode",
    name_ru: "Недостижимый код",
    name_en: "Unreachable code",
    rule_type: RuleType::Error,
    severity: Severity::Minor,
    tags: &["design", "suspicious"],
    minutes_to_fix: 10,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

fn jumps(kind: &str) -> bool {
    matches!(kind, "return_statement" | "raise_statement" | "break_statement" | "continue_statement" | "goto_statement")
}

impl Rule for UnreachableCode {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["block"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let mut cursor = node.walk();
        let statements: Vec<Node<'_>> =
            node.named_children(&mut cursor).filter(|c| !c.is_extra() && c.kind_str() != "var_declaration").collect();
        let Some(jump) = statements.iter().position(|s| jumps(s.kind_str())) else { return };
        let rest = &statements[jump + 1..];
        let dead_end = rest.iter().position(|s| s.kind_str() == "label_statement").unwrap_or(rest.len());
        if dead_end == 0 {
            return;
        }
        // Both branches of `#Если ... #Иначе` stand in one block: code after a directive line
        // may be in a branch the jump is not in.
        let text = ctx.text();
        let between = &text[statements[jump].end_byte()..rest[0].start_byte()];
        if between.lines().any(|line| line.trim_start().starts_with('#')) {
            return;
        }
        let range = rest[0].start_byte()..rest[dead_end - 1].end_byte();
        let message = ctx.tr("Этот код никогда не выполняется", "This code never runs");
        ctx.report(range, message);
    }
}
