//! UsingModalWindows: modal dialogs that block the web client.

use tree_sitter::Node;

use crate::rules::support::global_calls::is_global_call;
use crate::rules::util::{call_object, called_name, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags calls that open modal windows: the global `Вопрос`, `Предупреждение`,
/// `ОткрытьФормуМодально`, `ВвестиЗначение`, `ВвестиЧисло`, `ВвестиСтроку`, `ВвестиДату`,
/// `ОткрытьЗначение` and a form's `.ОткрытьМодально()` (and their English names), standard 703.
///
/// ## Why
/// Modal windows do not work in the web client and on mobile devices when the configuration
/// runs in the recommended mode without modality; the call raises an exception there. The
/// non-modal counterparts (`ПоказатьВопрос`, `ПоказатьПредупреждение`, `ОткрытьФорму` with a
/// notification, or `Ждать` with the `...Асинх` methods) work everywhere.
///
/// ## Example
/// ```bsl
/// Ответ = Вопрос("Удалить?", РежимДиалогаВопрос.ДаНет); // flagged
/// ```
pub struct UsingModalWindows;

static META: RuleMeta = RuleMeta {
    code: "UsingModalWindows",
    name_ru: "Использование модальных окон",
    name_en: "Using modal windows",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[],
    module_kinds: crate::ModuleKind::PLATFORM,
};

const MODAL: &[&str] = &[
    "Вопрос",
    "DoQueryBox",
    "Предупреждение",
    "DoMessageBox",
    "ОткрытьФормуМодально",
    "OpenFormModal",
    "ВвестиЗначение",
    "InputValue",
    "ВвестиЧисло",
    "InputNumber",
    "ВвестиСтроку",
    "InputString",
    "ВвестиДату",
    "InputDate",
    "ОткрытьЗначение",
    "OpenValue",
];

impl Rule for UsingModalWindows {
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
        let modal_method = call_object(node).is_some()
            && called_name(node, text).is_some_and(|n| is_any(n, &["ОткрытьМодально", "DoModal"]));
        if !modal_method && !is_global_call(node, text, MODAL) {
            return;
        }
        let name = called_name(node, text).unwrap_or_default();
        let message = ctx.tr(
            format!("Модальный вызов \"{name}\": используйте немодальный аналог"),
            format!("Modal call \"{name}\": use the non-modal counterpart"),
        );
        ctx.report(node.byte_range(), message);
    }
}
