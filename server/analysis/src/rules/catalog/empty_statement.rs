//! EmptyStatement: a `;` that ends no statement.

use bsl_syntax::NodeExt;
use crate::diagnostic::Edit;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a stray `;` that ends no statement: `А = 1;;`, a line holding only `;`, or a `;`
/// right after `Тогда`, `Цикл` or `Попытка`.
///
/// ## Why
/// An empty statement does nothing and reads like something was deleted from there.
///
/// ## Fix
/// Removes the `;`.
pub struct EmptyStatement;

static META: RuleMeta = RuleMeta {
    code: "EmptyStatement",
    name_ru: "Пустой оператор",
    name_en: "Empty statement",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

/// Whether a node ends a statement, so that a `;` right after it terminates it.
fn ends_statement(kind: &str) -> bool {
    kind.ends_with("_statement") || matches!(kind, "var_declaration" | "method_declaration")
}

impl Rule for EmptyStatement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["block", "source_file"]
    }

    fn check_node(&self, node: tree_sitter::Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let mut previous: Option<tree_sitter::Node<'_>> = None;
        let mut stray = Vec::new();
        for &child in ctx.children(node).iter() {
            if child.is_extra() {
                continue;
            }
            if child.kind_str() == ";" && !previous.is_some_and(|p| ends_statement(p.kind_str())) {
                stray.push(child.byte_range());
            }
            previous = Some(child);
        }
        for range in stray {
            let message = ctx.tr("Пустой оператор: лишняя \";\"", "Empty statement: a stray \";\"");
            let fix = ctx.fix(
                "Удалить \";\"",
                "Remove the \";\"",
                vec![Edit { range: range.clone(), new_text: String::new() }],
            );
            ctx.report(range, message).fix = Some(fix);
        }
    }
}
