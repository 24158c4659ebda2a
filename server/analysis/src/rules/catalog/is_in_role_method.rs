//! IsInRoleMethod: checking rights with `РольДоступна`.

use tree_sitter::Node;

use crate::rules::support::global_calls::is_global_call;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags calls of `РольДоступна(...)` (`IsInRole(...)`), standard 737.
///
/// ## Why
/// A role is a bundle of rights that changes with every release of a configuration; code
/// that asks for a role by name breaks when roles are split or renamed, and ignores users
/// who get the same right through another role. Ask for the right itself
/// (`ПравоДоступа("Изменение", Метаданные.Справочники.Валюты)`) or, in a configuration built
/// on the Standard Subsystems Library, `Пользователи.РолиДоступны("...")`.
///
/// ## Example
/// ```bsl
/// Если РольДоступна("ПолныеПрава") Тогда // flagged
/// ```
pub struct IsInRoleMethod;

static META: RuleMeta = RuleMeta {
    code: "IsInRoleMethod",
    name_ru: "Использование метода РольДоступна",
    name_en: "Using the IsInRole method",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "error"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for IsInRoleMethod {
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
        if is_global_call(node, ctx.text(), &["РольДоступна", "IsInRole"]) {
            let message = ctx.tr(
                "Проверяйте право (ПравоДоступа) или Пользователи.РолиДоступны, а не роль",
                "Check the right (AccessRight) or Users.RolesAvailable instead of a role",
            );
            ctx.report(node.byte_range(), message);
        }
    }
}
