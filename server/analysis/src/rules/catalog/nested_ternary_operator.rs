//! NestedTernaryOperator: `?(...)` inside another `?(...)`.

use tree_sitter::Node;

use crate::rules::util::ancestor;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a ternary operator `?(Условие, А, Б)` nested inside another one.
///
/// ## Why
/// One `?(...)` reads as a small choice; two nested ones make the reader keep three
/// conditions and four outcomes in mind on one line. Write an `Если ... ИначеЕсли` block or
/// a small function instead.
///
/// ## Example
/// ```bsl
/// Знак = ?(Число > 0, 1, ?(Число < 0, -1, 0)); // flagged
///
/// // Better.
/// Если Число > 0 Тогда
///     Знак = 1;
/// ИначеЕсли Число < 0 Тогда
///     Знак = -1;
/// Иначе
///     Знак = 0;
/// КонецЕсли;
/// ```
///
/// Each ternary nested in another is reported, in any of its three parts; two ternaries
/// side by side in one expression are not.
pub struct NestedTernaryOperator;

static META: RuleMeta = RuleMeta {
    code: "NestedTernaryOperator",
    name_ru: "Вложенный тернарный оператор",
    name_en: "Nested ternary operator",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["brainoverload"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for NestedTernaryOperator {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["ternary_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        if ancestor(node, &["ternary_expression"]).is_some() {
            let message = ctx.tr("Вложенный тернарный оператор", "A ternary operator nested in another");
            ctx.report(node.byte_range(), message);
        }
    }
}
