//! FunctionShouldHaveReturn: a function that never returns a value.

use bsl_syntax::NodeExt;
use crate::module_kind::ModuleKind;
use crate::rules::support::nodes::any_descendant_of_kind;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};
use tree_sitter::Node;

/// Flags a `Функция` without a single `Возврат <значение>` (`Return <value>`).
///
/// ## Why
/// A function that never returns a value gives `Неопределено` to every caller; either it
/// should be a procedure, or a return was forgotten. A function whose every path raises an
/// exception (`ВызватьИсключение`) is deliberate and not flagged.
///
/// ## Example
/// ```bsl
/// Функция Сумма(А, Б) // flagged
///     Итог = А + Б;
/// КонецФункции
/// ```
pub struct FunctionShouldHaveReturn;

static META: RuleMeta = RuleMeta {
    code: "FunctionShouldHaveReturn",
    name_ru: "Функция должна содержать возврат",
    name_en: "A function should return a value",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["suspicious", "unpredictable"],
    minutes_to_fix: 10,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[] as &[ModuleKind],
};

impl Rule for FunctionShouldHaveReturn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["method_declaration"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let is_function = node.field("kind").is_some_and(|k| k.kind_str() == "function");
        let Some(name) = node.field("name") else { return };
        if !is_function {
            return;
        }
        let returns_value = any_descendant_of_kind(ctx.facts, node, &["return_statement", "raise_statement"], |r| {
            r.kind_str() == "raise_statement" || r.field("value").is_some()
        });
        if !returns_value {
            let name_text = ctx.node_text(name).to_string();
            let message = ctx.tr(
                format!("Функция \"{name_text}\" не возвращает значение"),
                format!("Function \"{name_text}\" returns no value"),
            );
            ctx.report(name.byte_range(), message);
        }
    }
}
