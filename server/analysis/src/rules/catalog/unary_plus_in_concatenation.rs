//! UnaryPlusInConcatenation: `+ +` where a string concatenation was meant.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a unary plus right after a binary plus: `А + +Б`.
///
/// ## Why
/// A doubled plus is almost always a typo in a concatenation. The unary plus turns the
/// right operand into a number, so `"Итого: " + +Сумма` fails at run time on a string
/// and silently converts otherwise.
///
/// ## Example
/// ```bsl
/// Текст = "Итого: " + +Представление; // flagged
/// ```
pub struct UnaryPlusInConcatenation;

static META: RuleMeta = RuleMeta {
    code: "UnaryPlusInConcatenation",
    name_ru: "Унарный плюс в конкатенации строк",
    name_en: "Unary plus in string concatenation",
    rule_type: RuleType::Error,
    severity: Severity::Blocker,
    tags: &["suspicious", "brainoverload"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for UnaryPlusInConcatenation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["binary_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(operator) = node.field("operator") else { return };
        if operator.kind_str() != "+" {
            return;
        }
        let Some(right) = node.field("right") else { return };
        if right.kind_str() == "unary_expression" && right.field("operator").is_some_and(|o| o.kind_str() == "+")
        {
            let message = ctx.tr("Лишний унарный плюс после \"+\"", "A unary plus right after \"+\"");
            ctx.report(operator.start_byte()..right.start_byte() + 1, message);
        }
    }
}
