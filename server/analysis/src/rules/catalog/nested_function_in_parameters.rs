//! NestedFunctionInParameters: calls passed as arguments of other calls, hard to read.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::util::{arguments, called_name, is_any};

/// Built-in functions that convert or format one value: a call of one of them reads as a
/// value, not as a step, so it does not count as a level of nesting.
const LIGHT: &[&str] = &[
    "НСтр",
    "NStr",
    "Тип",
    "Type",
    "ТипЗнч",
    "TypeOf",
    "Строка",
    "String",
    "Число",
    "Number",
    "Булево",
    "Boolean",
    "Дата",
    "Date",
    "Формат",
    "Format",
    "НРег",
    "Lower",
    "ВРег",
    "Upper",
    "ТРег",
    "Title",
    "СокрЛП",
    "TrimAll",
    "СокрЛ",
    "TrimL",
    "СокрП",
    "TrimR",
    "Лев",
    "Left",
    "Прав",
    "Right",
    "Сред",
    "Mid",
    "СтрДлина",
    "StrLen",
    "ПодробноеПредставлениеОшибки",
    "DetailErrorDescription",
    "КраткоеПредставлениеОшибки",
    "BriefErrorDescription",
    "ПредопределенноеЗначение",
    "PredefinedValue",
    "XMLСтрока",
    "XMLString",
    "XMLЗначение",
    "XMLValue",
    "ЗначениеЗаполнено",
    "ValueIsFilled",
    "СтрШаблон",
    "StrTemplate",
    "ПодставитьПараметрыВСтроку",
    "Окр",
    "Round",
    "Цел",
    "Int",
    "Мин",
    "Min",
    "Макс",
    "Max",
    "Base64Строка",
    "Base64String",
    "Base64Значение",
    "Base64Value",
    "НачалоДня",
    "BegOfDay",
    "НачалоМесяца",
    "BegOfMonth",
    "НачалоГода",
    "BegOfYear",
    "НачалоКвартала",
    "BegOfQuarter",
    "НачалоНедели",
    "BegOfWeek",
    "НачалоЧаса",
    "BegOfHour",
    "НачалоМинуты",
    "BegOfMinute",
    "КонецДня",
    "EndOfDay",
    "КонецМесяца",
    "EndOfMonth",
    "КонецГода",
    "EndOfYear",
    "КонецКвартала",
    "EndOfQuarter",
    "КонецНедели",
    "EndOfWeek",
    "КонецЧаса",
    "EndOfHour",
    "КонецМинуты",
    "EndOfMinute",
    "ДобавитьМесяц",
    "AddMonth",
    "День",
    "Day",
    "Месяц",
    "Month",
    "Год",
    "Year",
    "ДеньНедели",
    "WeekDay",
];
/// Calls that gather values: a structure or a collection filled from computed values reads
/// as a list of named values.
const COLLECTORS: &[&str] = &["Добавить", "Add", "Вставить", "Insert"];
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a call argument that is itself a call whose arguments hold yet another call: three
/// levels of calls with arguments in one expression, `А(Б(В(Х)))` (standard 640).
///
/// ## The exact criterion
/// An argument of an outer call is reported when all of this holds:
/// * the outer call, the argument's call and a call among the argument's own arguments
///   each take at least one argument (calls without arguments, like
///   `ТекущаяДатаСеанса()`, read as values);
/// * none of the three is a built-in function that converts or formats one value:
///   `НСтр`, `Тип`, `ТипЗнч`, `Строка`, `Число`, `Формат`, `НРег`/`ВРег`, `СокрЛП`,
///   `Лев`/`Прав`/`Сред`, `СтрШаблон`, `ПодставитьПараметрыВСтроку`, the error
///   presentations, date functions (`НачалоДня`, `КонецМесяца`, `ДобавитьМесяц`, ...) and
///   the like;
/// * the outer call is not `Добавить`/`Вставить`, which gather computed values into a
///   collection or structure.
///
/// Two levels (`ОткрытьФорму(ПолноеИмяФормы("Выбор"), Параметры)`) are common and read
/// well, so they are not flagged. One diagnostic is given per nest: the innermost calls of
/// a reported argument are not reported again.
///
/// ## Why
/// A deep nest of calls is read from the inside out, has no name for any of its steps, and
/// cannot be stepped through in the debugger: when it fails, nobody knows which call
/// failed. Put the intermediate results into variables with telling names.
///
/// ## Example
/// ```bsl
/// // Flagged.
/// ЗаписатьДанные(Файл, ПреобразоватьДанные(ПрочитатьДанные(Источник, Кодировка)));
///
/// // Better.
/// ИсходныеДанные = ПрочитатьДанные(Источник, Кодировка);
/// Результат = ПреобразоватьДанные(ИсходныеДанные);
/// ЗаписатьДанные(Файл, Результат);
/// ```
pub struct NestedFunctionInParameters;

static META: RuleMeta = RuleMeta {
    code: "NestedFunctionInParameters",
    name_ru: "Инициализация параметров методов и конструкторов вызовом вложенных методов",
    name_en: "Initialization of method and constructor parameters by calling nested methods",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "brainoverload", "badpractice"],
    minutes_to_fix: 2,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

/// Whether a node is a call with at least one argument.
fn call_with_arguments(node: Node<'_>) -> bool {
    node.kind_str() == "call_expression"
        && node.field("arguments").is_some_and(|a| {
            let mut cursor = a.walk();
            a.named_children(&mut cursor).any(|c| !c.is_extra())
        })
}

/// Whether a called name is one of the light functions.
fn is_light(name: &str) -> bool {
    is_any(name, LIGHT)
}

/// Whether `argument` of `outer` is a call nesting another call in its arguments, in a way
/// the rule reports. The shape is checked before any name.
fn nests_too_deep(outer: Node<'_>, argument: Node<'_>, text: &str) -> bool {
    if !call_with_arguments(argument) {
        return false;
    }
    let inner_calls: Vec<_> = arguments(argument).into_iter().filter(|inner| call_with_arguments(*inner)).collect();
    if inner_calls.is_empty() {
        return false;
    }
    let Some(outer_name) = called_name(outer, text) else { return false };
    let Some(middle) = called_name(argument, text) else { return false };
    if is_light(outer_name) || is_any(outer_name, COLLECTORS) || is_light(middle) {
        return false;
    }
    inner_calls.into_iter().any(|inner| !called_name(inner, text).is_some_and(is_light))
}

impl Rule for NestedFunctionInParameters {
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
        let Some(arguments_node) = node.field("arguments") else { return };
        let mut cursor = arguments_node.walk();
        let flagged: Vec<_> = arguments_node
            .named_children(&mut cursor)
            .filter(|argument| !argument.is_extra() && nests_too_deep(node, *argument, text))
            .collect();
        if flagged.is_empty() {
            return;
        }
        // Inside a reported argument: the outer report covers it.
        if let Some(parent_arguments) = node.parent().filter(|p| p.kind_str() == "arguments")
            && let Some(parent_call) = parent_arguments.parent().filter(|p| p.kind_str() == "call_expression")
            && nests_too_deep(parent_call, node, text)
        {
            return;
        }
        for argument in flagged {
            let name = called_name(argument, text).unwrap_or_default();
            let message = ctx.tr(
                    format!("Результат \"{name}\" с вложенными вызовами передан параметром: вынесите его в переменную"),
                    format!("The result of \"{name}\", itself made of nested calls, is passed as an argument: put it in a variable"),
                );
            ctx.report(argument.byte_range(), message);
        }
    }
}
