//! FormDataToValue: converting form data to a value with `ДанныеФормыВЗначение`.

use tree_sitter::Node;

use crate::module_kind::ModuleKind;
use crate::rules::support::global_calls::is_global_call;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `ДанныеФормыВЗначение(...)` (`FormDataToValue(...)`) in form modules, standard 409.
///
/// ## Why
/// The global function copies the whole form data into a new object on the server, which
/// is slow for a large table or a document with many rows. In a form module the form's own
/// method `РеквизитФормыВЗначение("Объект")` does the same with less to type and states
/// which attribute is converted; often no conversion is needed at all.
///
/// ## Example
/// ```bsl
/// ДокументОбъект = ДанныеФормыВЗначение(Объект, Тип("ДокументОбъект.Заказ")); // flagged
/// ```
/// Use instead:
/// ```bsl
/// ДокументОбъект = РеквизитФормыВЗначение("Объект");
/// ```
pub struct FormDataToValue;

static META: RuleMeta = RuleMeta {
    code: "FormDataToValue",
    name_ru: "Использование метода ДанныеФормыВЗначение",
    name_en: "Using FormDataToValue",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[ModuleKind::Form],
};

impl Rule for FormDataToValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        if is_global_call(node, ctx.text(), &["ДанныеФормыВЗначение", "FormDataToValue"]) {
            let message = ctx.tr(
                "Используйте РеквизитФормыВЗначение вместо ДанныеФормыВЗначение",
                "Use FormAttributeToValue instead of FormDataToValue",
            );
            ctx.report(node.byte_range(), message);
        }
    }
}
