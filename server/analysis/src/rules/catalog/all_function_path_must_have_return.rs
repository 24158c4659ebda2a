//! AllFunctionPathMustHaveReturn: a function where some path reaches its end without
//! `Возврат`.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::a_flow::{Flow, block_flow};
use crate::rules::support::nodes::any_descendant_of_kind;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a `Функция` in which some path of execution reaches `КонецФункции` without a
/// `Возврат`: the caller then gets `Неопределено` without the function saying so.
///
/// A path ends well with `Возврат` or `ВызватьИсключение`. `Если` without `Иначе` lets
/// execution fall through, so do `Для`, `Для Каждого` and `Пока` (their body may not run at
/// all), except `Пока Истина Цикл` without `Прервать`. `Попытка` ends well when both the
/// body and the `Исключение` part do.
///
/// ## Why
/// A function that returns a value on some paths only usually lost a branch: the missing
/// `Иначе`, or a case added later. An explicit `Возврат` at the end says what the caller
/// gets.
///
/// ## Example
/// ```bsl
/// Функция Знак(Число) // flagged: Число = 0 reaches the end
///     Если Число > 0 Тогда
///         Возврат 1;
///     ИначеЕсли Число < 0 Тогда
///         Возврат -1;
///     КонецЕсли;
/// КонецФункции
/// ```
/// Return on the last path too:
/// ```bsl
/// Функция Знак(Число)
///     Если Число > 0 Тогда
///         Возврат 1;
///     ИначеЕсли Число < 0 Тогда
///         Возврат -1;
///     КонецЕсли;
///     Возврат 0;
/// КонецФункции
/// ```
///
/// ## Exceptions
/// A function without any `Возврат <значение>` is `FunctionShouldHaveReturn`'s finding and
/// is not reported again here. Functions using `Перейти` are not checked. Both branches of
/// `#Если ... #Иначе` are taken as one sequence, so a `Возврат` in either ends the path.
pub struct AllFunctionPathMustHaveReturn;

static META: RuleMeta = RuleMeta {
    code: "AllFunctionPathMustHaveReturn",
    name_ru: "Все возможные пути выполнения функции должны содержать оператор Возврат",
    name_en: "All execution paths of a function must have a Return statement",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["unpredictable", "badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for AllFunctionPathMustHaveReturn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["method_declaration"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        if node.field("kind").is_none_or(|k| k.kind_str() != "function") || node.has_error() {
            return;
        }
        let Some(body) = node.field("body") else { return };
        if any_descendant_of_kind(ctx.facts, body, &["goto_statement"], |_| true) {
            return;
        }
        // No value returned anywhere: FunctionShouldHaveReturn reports it.
        let returns_value = any_descendant_of_kind(ctx.facts, body, &["return_statement", "raise_statement"], |r| {
            r.kind_str() == "raise_statement" || r.field("value").is_some()
        });
        if !returns_value {
            return;
        }
        if block_flow(Some(body)) == Flow::Exits {
            return;
        }
        let Some(name) = node.field("name") else { return };
        let text = ctx.node_text(name);
        let message = ctx.tr(
            format!("Не все пути выполнения функции \"{text}\" заканчиваются оператором Возврат"),
            format!("Not every path of function \"{text}\" ends with a Return"),
        );
        ctx.report(name.byte_range(), message);
    }
}
