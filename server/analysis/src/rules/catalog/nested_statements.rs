//! NestedStatements: control-flow statements nested deeper than allowed.

use tree_sitter::Node;

use crate::rules::support::b_metrics::{CONTROL_FLOW_KINDS, control_depth, control_depth_flat};
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a control-flow statement (`Если`, `Пока`, `Для`, `Для Каждого`, `Попытка`) that
/// stands deeper than `maxAllowedLevel` (4 by default) such statements.
///
/// The diagnostic stands on the keyword of the first statement that goes too deep; the
/// statements inside it are not reported again, so one deep spot gives one diagnostic.
/// `ИначеЕсли` and `Иначе` belong to their `Если` and do not add a level.
///
/// ## Why
/// Each level is one more condition the reader keeps in mind to know when a line runs.
/// Five levels of `Если` inside loops inside `Попытка` are where mistakes hide. Return or
/// `Продолжить` early, and move inner blocks into methods with telling names.
///
/// ## Example
/// ```bsl
/// Попытка                                          // 1
///     Для Каждого Документ Из Документы Цикл       // 2
///         Если Документ.Проведен Тогда             // 3
///             Для Каждого Строка Из Документ.Товары Цикл // 4
///                 Если Строка.Количество = 0 Тогда // 5: flagged
///                 ...
///
/// // Better: the inner loop is a method of its own.
/// Если Документ.Проведен Тогда
///     ПроверитьТовары(Документ);
/// КонецЕсли;
/// ```
pub struct NestedStatements;

static META: RuleMeta = RuleMeta {
    code: "NestedStatements",
    name_ru: "Управляющие конструкции не должны быть вложены слишком глубоко",
    name_en: "Control flow statements should not be nested too deep",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Critical,
    tags: &["badpractice", "brainoverload"],
    minutes_to_fix: 30,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "maxAllowedLevel",
        default: ParamDefault::Int(4),
        description_ru: "Допустимая глубина вложенности",
        description_en: "Deepest nesting allowed",
    }],
    module_kinds: &[],
};

impl Rule for NestedStatements {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        CONTROL_FLOW_KINDS
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let limit = ctx.param_int("maxAllowedLevel").max(0) as u32;
        // Exactly one level too deep: the top of an offending subtree; deeper statements
        // inside it are covered by this report.
        let depth = match ctx.facts.flat_of(node) {
            Some((flat, at)) => control_depth_flat(flat, at),
            None => control_depth(node),
        };
        if depth != limit + 1 {
            return;
        }
        let keyword = node.child(0).map_or(node.byte_range(), |k| k.byte_range());
        let message = ctx.tr(
            format!("Вложенность управляющих конструкций {}, допустимо {limit}", limit + 1),
            format!("Control flow statements are nested {} deep, at most {limit} allowed", limit + 1),
        );
        ctx.report(keyword, message);
    }
}
