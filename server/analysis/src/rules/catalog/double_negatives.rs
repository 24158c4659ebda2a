//! DoubleNegatives: `НЕ НЕ А` or a negated inequality `НЕ А <> Б`.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::c_normalize::unparenthesized;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags two negations that cancel each other: `НЕ НЕ А`, `НЕ (НЕ А)`, and the negation of
/// an inequality, `НЕ А <> Б` (`НЕ` binds looser than comparisons, so this is
/// `НЕ (А <> Б)`).
///
/// ## Why
/// Every negation makes the reader stop and invert the meaning in their head; two in a row
/// are easy to get wrong, and the expression says the same thing without them.
///
/// ## Example
/// ```bsl
/// Если НЕ Документ.Проведен <> Истина Тогда // flagged
///     Провести(Документ);
/// КонецЕсли;
/// Если Не Не ЕстьОшибки Тогда // flagged
/// ```
///
/// Fixed:
/// ```bsl
/// Если Документ.Проведен = Истина Тогда
///     Провести(Документ);
/// КонецЕсли;
/// Если ЕстьОшибки Тогда
/// ```
///
/// A single negation of a call or a comparison other than `<>` (`НЕ А = Б`) is left
/// alone.
pub struct DoubleNegatives;

static META: RuleMeta = RuleMeta {
    code: "DoubleNegatives",
    name_ru: "Двойные отрицания",
    name_en: "Double negatives",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["brainoverload", "badpractice"],
    minutes_to_fix: 3,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

/// Whether the node negates a negation.
fn double_negation(node: Node<'_>) -> Option<&'static str> {
    let operand = unparenthesized(node.field("operand")?);
    match operand.kind_str() {
        "not_expression" => Some("not"),
        "binary_expression" if operand.field("operator").is_some_and(|o| o.kind_str() == "<>") => Some("<>"),
        _ => None,
    }
}

impl Rule for DoubleNegatives {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["not_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(kind) = double_negation(node) else { return };
        // `НЕ НЕ НЕ А` is reported once, at the outermost negation.
        let mut parent = node.parent();
        while let Some(p) = parent.filter(|p| p.kind_str() == "parenthesized_expression") {
            parent = p.parent();
        }
        if parent.is_some_and(|p| p.kind_str() == "not_expression" && double_negation(p) == Some("not")) {
            return;
        }
        let message = if kind == "not" {
            ctx.tr("Двойное отрицание: уберите оба НЕ", "Double negation: remove both Not")
        } else {
            ctx.tr(
                "Отрицание неравенства: используйте сравнение на равенство \"=\"",
                "Negated inequality: compare for equality with \"=\" instead",
            )
        };
        ctx.report(node.byte_range(), message);
    }
}
