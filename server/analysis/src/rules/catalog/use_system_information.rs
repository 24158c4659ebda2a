//! UseSystemInformation: Using system information.

use tree_sitter::Node;

use crate::rules::support::global_calls::is_new_of;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `Новый СистемнаяИнформация` (`New SystemInfo`): a security hotspot.
///
/// ## Why
/// The object reveals the operating system, the processor, the memory and the client's
/// identifier. Such facts help an attacker and are personal data in some jurisdictions;
/// each use deserves a review of where the data goes.
///
/// ## Example
/// ```bsl
/// Информация = Новый СистемнаяИнформация; // flagged
/// ```
pub struct UseSystemInformation;

static META: RuleMeta = RuleMeta {
    code: "UseSystemInformation",
    name_ru: "Использование системной информации",
    name_en: "Using system information",
    rule_type: RuleType::SecurityHotspot,
    severity: Severity::Critical,
    tags: &["security"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for UseSystemInformation {
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
        let text = ctx.text();
        if is_new_of(node, text, &["СистемнаяИнформация", "SystemInfo"]) {
            let message = ctx.tr(
                "Получение системной информации: проверьте, куда она передаётся",
                "System information is read: check where it goes",
            );
            ctx.report(node.byte_range(), message);
        }
    }
}
