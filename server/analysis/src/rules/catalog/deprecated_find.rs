//! DeprecatedFind: the global string search `Найти` instead of `СтрНайти`.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::rules::support::global_calls::is_global_call;
use crate::rules::util::{arguments, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags the global `Найти(Строка, Подстрока)` (`Find(...)`).
///
/// ## Why
/// Since platform 8.3.6 the global `Найти` is kept only for compatibility. `СтрНайти` finds
/// the same with the same two arguments and can also search from the end and from a given
/// position, and it reads as a string function next to `СтрЗаменить` and `СтрДлина`.
///
/// ## Example
/// ```bsl
/// Если Найти(Текст, "ошибка") > 0 Тогда // flagged
/// ```
///
/// ## Fix
/// Renames the call to `СтрНайти` (`StrFind` in English code); the arguments stay.
/// Methods of objects (`Массив.Найти(Значение)`) are other functions and are not flagged.
pub struct DeprecatedFind;

static META: RuleMeta = RuleMeta {
    code: "DeprecatedFind",
    name_ru: "Использование устаревшего метода Найти",
    name_en: "Using the deprecated Find method",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["deprecated"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for DeprecatedFind {
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
        if !is_global_call(node, ctx.text(), &["Найти", "Find"]) || arguments(node).len() != 2 {
            return;
        }
        let Some(function) = node.field("function") else { return };
        let english = is_any(ctx.node_text(function), &["Find"]);
        let message = ctx.tr("Используйте СтрНайти вместо Найти", "Use StrFind instead of Find");
        let fix = ctx.fix(
            "Заменить на СтрНайти",
            "Replace with StrFind",
            vec![Edit {
                range: function.byte_range(), new_text: if english { "StrFind" } else { "СтрНайти" }.into()
            }],
        );
        ctx.report(node.byte_range(), message).fix = Some(fix);
    }
}
