//! UsingExternalCodeTools: loading code from outside the configuration.

use tree_sitter::Node;

use crate::rules::support::global_calls::is_global_call;
use crate::rules::util::{call_object, called_name, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags loading code that is not part of the configuration: `ВнешниеОбработки.Создать`,
/// `ВнешниеОбработки.Подключить`, `ВнешниеОтчеты.Создать`/`Подключить` and
/// `ПодключитьВнешнююКомпоненту` (and their English names). A security hotspot.
///
/// ## Why
/// Such code runs with the session's rights but was never reviewed with the configuration.
/// Review where the file comes from and whether safe mode is on.
pub struct UsingExternalCodeTools;

static META: RuleMeta = RuleMeta {
    code: "UsingExternalCodeTools",
    name_ru: "Использование возможностей выполнения внешнего кода",
    name_en: "Using external code tools",
    rule_type: RuleType::SecurityHotspot,
    severity: Severity::Critical,
    tags: &["standard", "design"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[],
    module_kinds: crate::ModuleKind::PLATFORM,
};

impl Rule for UsingExternalCodeTools {
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
        let external_object = call_object(node).is_some_and(|object| {
            is_any(
                &text[object.byte_range()],
                &["ВнешниеОбработки", "ExternalDataProcessors", "ВнешниеОтчеты", "ExternalReports"],
            )
        }) && called_name(node, text)
            .is_some_and(|n| is_any(n, &["Создать", "Create", "Подключить", "Connect"]));
        let component = is_global_call(node, text, &["ПодключитьВнешнююКомпоненту", "AttachAddIn"]);
        if external_object || component {
            let message = ctx.tr(
                "Подключение внешнего кода: проверьте источник и безопасный режим",
                "External code is loaded: check its source and safe mode",
            );
            ctx.report(node.byte_range(), message);
        }
    }
}
