//! SetPrivilegedMode: switching privileged mode on in code.

use tree_sitter::Node;

use crate::rules::util::{arguments, call_object, called_name, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `УстановитьПривилегированныйРежим(Истина)` (`SetPrivilegedMode(True)`), standard 485.
///
/// ## Why
/// Privileged mode skips every access-right check for the rest of the session's server
/// call. Code that turns it on must be reviewed for what a user could reach through it,
/// and it must turn it off again. This is a security hotspot: a place to review, not
/// necessarily a bug.
///
/// ## Example
/// ```bsl
/// УстановитьПривилегированныйРежим(Истина); // flagged
/// Значение = Константы.Секрет.Получить();
/// УстановитьПривилегированныйРежим(Ложь);
/// ```
/// Prefer a privileged common module, or read the one value you need through it.
///
/// Switching it off (`Ложь`) is not flagged.
pub struct SetPrivilegedMode;

static META: RuleMeta = RuleMeta {
    code: "SetPrivilegedMode",
    name_ru: "Установка привилегированного режима",
    name_en: "Setting privileged mode",
    rule_type: RuleType::SecurityHotspot,
    severity: Severity::Major,
    tags: &["standard", "security"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for SetPrivilegedMode {
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
        if call_object(node).is_some() {
            return;
        }
        let text = ctx.text();
        let Some(name) = called_name(node, text) else { return };
        if !is_any(name, &["УстановитьПривилегированныйРежим", "SetPrivilegedMode"]) {
            return;
        }
        let args = arguments(node);
        let Some(first) = args.first() else { return };
        let value = &text[first.byte_range()];
        if is_any(value.trim(), &["Ложь", "False"]) {
            return;
        }
        let message = ctx.tr(
            "Включение привилегированного режима: проверьте, что он нужен и выключается",
            "Privileged mode is switched on: check that it is needed and switched off again",
        );
        ctx.report(node.byte_range(), message);
    }
}
