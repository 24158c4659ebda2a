//! ExternalAppStarting: Starting external applications.

use tree_sitter::Node;

use crate::rules::support::global_calls::is_global_call;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags starting programs of the operating system: `ЗапуститьПриложение`,
/// `НачатьЗапускПриложения`, `ЗапуститьПриложениеАсинх`, `КомандаСистемы`,
/// `ПерейтиПоНавигационнойСсылке` with a file, and their English names. A security hotspot.
///
/// ## Why
/// A command line built from data a user controls runs arbitrary programs with the rights
/// of the 1C process. Review where the command comes from.
///
/// ## Example
/// ```bsl
/// ЗапуститьПриложение("cmd /c " + ИмяФайла); // flagged
/// ```
pub struct ExternalAppStarting;

static META: RuleMeta = RuleMeta {
    code: "ExternalAppStarting",
    name_ru: "Запуск внешних приложений",
    name_en: "Starting external applications",
    rule_type: RuleType::SecurityHotspot,
    severity: Severity::Critical,
    tags: &["security"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for ExternalAppStarting {
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
        if is_global_call(
            node,
            text,
            &[
                "ЗапуститьПриложение",
                "RunApp",
                "НачатьЗапускПриложения",
                "BeginRunningApplication",
                "ЗапуститьПриложениеАсинх",
                "RunAppAsync",
                "КомандаСистемы",
                "System",
            ],
        ) {
            let message = ctx.tr(
                "Запуск внешнего приложения: проверьте, откуда берётся команда",
                "An external program is started: check where the command comes from",
            );
            ctx.report(node.byte_range(), message);
        }
    }
}
