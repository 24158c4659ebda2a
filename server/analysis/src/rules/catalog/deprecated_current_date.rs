//! DeprecatedCurrentDate: `ТекущаяДата()` where the session's date is meant.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::rules::support::global_calls::is_global_call;
use crate::rules::util::is_any;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags calls of `ТекущаяДата()` (`CurrentDate()`), standard 643.
///
/// ## Why
/// `ТекущаяДата()` is the clock of the computer the code runs on: the server's in server
/// code, the user's in client code. In a service whose users live in different time zones
/// neither is the user's date; `ТекущаяДатаСеанса()` is the date in the session's time zone,
/// the same on the client and on the server.
///
/// ## Example
/// ```bsl
/// Документ.Дата = ТекущаяДата(); // flagged
/// ```
///
/// ## Fix
/// Replaces the call with `ТекущаяДатаСеанса()` (`CurrentSessionDate()` in English code).
/// OneScript has no sessions, so its modules are not checked.
pub struct DeprecatedCurrentDate;

static META: RuleMeta = RuleMeta {
    code: "DeprecatedCurrentDate",
    name_ru: "Использование устаревшего метода ТекущаяДата",
    name_en: "Using the deprecated CurrentDate method",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["standard", "deprecated"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: crate::ModuleKind::PLATFORM,
};

impl Rule for DeprecatedCurrentDate {
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
        if !is_global_call(node, ctx.text(), &["ТекущаяДата", "CurrentDate"]) {
            return;
        }
        let Some(function) = node.field("function") else { return };
        let english = is_any(ctx.node_text(function), &["CurrentDate"]);
        let replacement = if english { "CurrentSessionDate" } else { "ТекущаяДатаСеанса" };
        let message = ctx.tr(
            "Используйте ТекущаяДатаСеанса() вместо ТекущаяДата()",
            "Use CurrentSessionDate() instead of CurrentDate()",
        );
        let fix = ctx.fix(
            "Заменить на ТекущаяДатаСеанса()",
            "Replace with CurrentSessionDate()",
            vec![Edit { range: function.byte_range(), new_text: replacement.to_string() }],
        );
        ctx.report(node.byte_range(), message).fix = Some(fix);
    }
}
