//! IfConditionComplexity: `Если`/`ИначеЕсли` conditions with too many boolean operators.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::b_metrics::boolean_operator_count;
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags the condition of an `Если` or `ИначеЕсли` that holds more than
/// `maxIfConditionComplexity` (3 by default) `И`/`ИЛИ` operators, counted anywhere in the
/// condition (inside parentheses and `НЕ` too).
///
/// ## Why
/// A condition with many operators must be decoded every time it is read, and mixing `И`
/// with `ИЛИ` invites mistakes about which binds tighter. Give the parts names: a local
/// variable or a function whose name says what is being checked.
///
/// ## Example
/// ```bsl
/// // Flagged: four operators.
/// Если Документ.Проведен И НЕ Документ.ПометкаУдаления
///     И (Документ.Сумма > 0 ИЛИ Документ.ЕстьВозврат) И Документ.Дата >= Начало Тогда
///
/// // Better.
/// ДокументДействует = Документ.Проведен И НЕ Документ.ПометкаУдаления;
/// ЕстьДвижения = Документ.Сумма > 0 ИЛИ Документ.ЕстьВозврат;
/// Если ДокументДействует И ЕстьДвижения И Документ.Дата >= Начало Тогда
/// ```
pub struct IfConditionComplexity;

static META: RuleMeta = RuleMeta {
    code: "IfConditionComplexity",
    name_ru: "Слишком сложное условие",
    name_en: "Too complex an If condition",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["brainoverload"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "maxIfConditionComplexity",
        default: ParamDefault::Int(3),
        description_ru: "Допустимое количество логических операций в условии",
        description_en: "Most boolean operators allowed in a condition",
    }],
    module_kinds: &[],
};

impl Rule for IfConditionComplexity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["if_statement", "elsif_clause"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(condition) = node.field("condition") else { return };
        let limit = ctx.param_int("maxIfConditionComplexity").max(0) as u32;
        let count = boolean_operator_count(condition);
        if count > limit {
            let message = ctx.tr(
                format!("Логических операций в условии: {count}, допустимо {limit}"),
                format!("The condition has {count} boolean operators, at most {limit} allowed"),
            );
            ctx.report(condition.byte_range(), message);
        }
    }
}
