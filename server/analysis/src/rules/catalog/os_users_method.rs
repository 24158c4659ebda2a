//! OSUsersMethod: reading the operating system's users with `ПользователиОС()`.

use tree_sitter::Node;

use crate::rules::support::global_calls::is_global_call;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags calls of `ПользователиОС()` (`OSUsers()`).
///
/// ## Why
/// The function lists the accounts of the operating system the server runs on. Code that
/// reads them learns about the machine, not about the application's users, and behaves
/// differently on every server; it is also an unusual thing for an application to need,
/// and worth a second look as a security hotspot.
///
/// ## Example
/// ```bsl
/// Для Каждого Пользователь Из ПользователиОС() Цикл // flagged
/// ```
/// Work with the application's users (`ПользователиИнформационнойБазы`) instead.
pub struct OSUsersMethod;

static META: RuleMeta = RuleMeta {
    code: "OSUsersMethod",
    name_ru: "Использование метода ПользователиОС",
    name_en: "Using OSUsers()",
    rule_type: RuleType::SecurityHotspot,
    severity: Severity::Critical,
    tags: &["suspicious", "security"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for OSUsersMethod {
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
        if is_global_call(node, ctx.text(), &["ПользователиОС", "OSUsers"]) {
            let message =
                ctx.tr("Получение пользователей операционной системы", "Reading the operating system's users");
            ctx.report(node.byte_range(), message);
        }
    }
}
