//! UsingObjectNotAvailableUnix: objects that exist only on Windows.

use tree_sitter::Node;

use crate::rules::support::global_calls::is_new_of;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags objects the platform provides on Windows only: `Новый COMОбъект`,
/// `Новый COMSafeArray` and `Новый Почта` (`COMObject`, `COMSafeArray`, `Mail`).
///
/// ## Why
/// On a Linux server (or a Linux or macOS client) these constructors raise an exception at
/// run time. Code that needs them must check the platform first
/// (`СистемнаяИнформация.ТипПлатформы`) and offer another way, or use portable objects
/// (`ИнтернетПочта` instead of `Почта`).
///
/// ## Example
/// ```bsl
/// Excel = Новый COMОбъект("Excel.Application"); // flagged
/// ```
pub struct UsingObjectNotAvailableUnix;

static META: RuleMeta = RuleMeta {
    code: "UsingObjectNotAvailableUnix",
    name_ru: "Использование объектов, недоступных в Unix",
    name_en: "Using objects not available on Unix",
    rule_type: RuleType::Error,
    severity: Severity::Critical,
    tags: &["standard", "lockinos"],
    minutes_to_fix: 30,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for UsingObjectNotAvailableUnix {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["new_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let windows_only = ["COMОбъект", "COMObject", "COMSafeArray", "Почта", "Mail"];
        if is_new_of(node, ctx.text(), &windows_only) {
            let message = ctx.tr("Объект недоступен в Linux и macOS", "The object is not available on Linux and macOS");
            ctx.report(node.byte_range(), message);
        }
    }
}
