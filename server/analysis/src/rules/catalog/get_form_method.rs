//! GetFormMethod: getting a form object with `ПолучитьФорму`.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::util::{call_object, called_name, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags calls of the global `ПолучитьФорму(...)` (`GetForm(...)`) and of a manager's
/// `.ПолучитьФорму(...)`, standard 404.
///
/// ## Why
/// A form obtained and then opened is created twice when it is already open, loses the
/// uniqueness key and the owner, and its parameters are set after creation instead of
/// being passed. `ОткрытьФорму("Документ.Заказ.ФормаОбъекта", Параметры, ЭтотОбъект)` does
/// all of this in one call.
///
/// ## Example
/// ```bsl
/// Форма = ПолучитьФорму("Документ.Заказ.ФормаОбъекта"); // flagged
/// Форма.Открыть();
/// ```
pub struct GetFormMethod;

static META: RuleMeta = RuleMeta {
    code: "GetFormMethod",
    name_ru: "Использование метода ПолучитьФорму",
    name_en: "Using the GetForm method",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for GetFormMethod {
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
        let text = ctx.text();
        if !called_name(node, text).is_some_and(|n| is_any(n, &["ПолучитьФорму", "GetForm"])) {
            return;
        }
        // `Форма.ПолучитьФорму` on an arbitrary object is some method of its own; the
        // platform's are the global one and those of managers (`Документы.Заказ.`).
        if let Some(object) = call_object(node)
            && object.kind_str() != "member_expression"
        {
            return;
        }
        let message = ctx.tr("Используйте ОткрытьФорму вместо ПолучитьФорму", "Use OpenForm instead of GetForm");
        ctx.report(node.byte_range(), message);
    }
}
