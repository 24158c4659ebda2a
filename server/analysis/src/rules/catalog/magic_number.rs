//! MagicNumber: numbers written into expressions without a name.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::b_literals::{argument_of, named_by_call, named_by_context, outermost};
use crate::rules::util::is_any;
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a numeric literal used in an expression, other than the numbers listed in
/// `authorizedNumbers` (`-1,0,1` by default).
///
/// ## Why
/// A bare `86400` or `17` in a condition leaves the reader guessing what it means and
/// whether the other `17` two screens down is the same thing. Give the number a name: a
/// variable, a function returning it, or a constant; then a change is made in one place.
///
/// ## Example
/// ```bsl
/// Если СтрДлина(Код) > 11 Тогда // flagged
///
/// // Better.
/// МаксимальнаяДлинаКода = 11;
/// Если СтрДлина(Код) > МаксимальнаяДлинаКода Тогда
/// ```
///
/// ## Not flagged
/// The places where the number is already named or where its meaning is fixed by the
/// platform:
/// * the whole right side of an assignment to a variable or property
///   (`Лимит = 100;`, `Элемент.Ширина = 20;`) and the value of `Возврат` (a function
///   returning a constant is the usual way to name it);
/// * default values of parameters and arguments of annotations;
/// * indexes and index arithmetic (`Части[2]`, `Части[Индекс + 2]`) while
///   `allowMagicIndexes` is on;
/// * arguments of constructors (`Новый КвалификаторыЧисла(15, 2)`,
///   `Новый Структура("Таймаут", 30)`): the constructor's parameters name them;
/// * the value after a key string in `Вставить("Ключ", 30)` and
///   `УстановитьПараметр("Лимит", 30)`, and the key or position in `Вставить(75, Текст)`
///   (a table of codes defines its numbers);
/// * the interval of `ПодключитьОбработчикОжидания("Обработчик", 0.1, Истина)`;
/// * the numbers of `Дата(2024, 1, 1)`: a date written that way is MagicDate's concern.
pub struct MagicNumber;

static META: RuleMeta = RuleMeta {
    code: "MagicNumber",
    name_ru: "Магические числа",
    name_en: "Magic numbers",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[
        ParamMeta {
            name: "authorizedNumbers",
            default: ParamDefault::Str("-1,0,1"),
            description_ru: "Допустимые числа через запятую",
            description_en: "Numbers allowed anywhere, comma-separated",
        },
        ParamMeta {
            name: "allowMagicIndexes",
            default: ParamDefault::Bool(true),
            description_ru: "Разрешить числа в индексах коллекций",
            description_en: "Allow numbers as collection indexes",
        },
    ],
    module_kinds: &[],
};

/// The literal's value with its sign, when it is negated.
fn signed_value(node: Node<'_>, text: &str) -> Option<f64> {
    let value: f64 = text.get(node.byte_range())?.parse().ok()?;
    let negated = node.parent().is_some_and(|p| {
        p.kind_str() == "unary_expression" && p.field("operator").is_some_and(|o| o.kind_str() == "-")
    });
    Some(if negated { -value } else { value })
}

/// Whether the argument's place in a call or constructor names it.
fn named_argument(call: Node<'_>, position: usize, ctx: &RuleContext<'_, '_>) -> bool {
    match call.kind_str() {
        "new_expression" => true,
        "call_expression" => {
            let Some(function) = call.field("function") else { return false };
            let name = match function.kind_str() {
                "identifier" => ctx.node_text(function),
                "member_expression" => function.field("property").map_or("", |p| ctx.node_text(p)),
                _ => return false,
            };
            if function.kind_str() == "identifier" && is_any(name, &["Дата", "Date"]) {
                return true;
            }
            // The interval of an idle handler: `0.1` means "as soon as possible".
            position == 1 && is_any(name, &["ПодключитьОбработчикОжидания", "AttachIdleHandler"])
        }
        _ => false,
    }
}

/// Whether an expression is an index or part of an index's arithmetic (`Части[И + 2]`).
fn in_index(expression: Node<'_>) -> bool {
    let mut current = expression;
    while let Some(parent) = current.parent() {
        match parent.kind_str() {
            "binary_expression" | "unary_expression" | "parenthesized_expression" => current = parent,
            "index_expression" => return parent.field("index").is_some_and(|i| i.id() == current.id()),
            _ => return false,
        }
    }
    false
}

impl Rule for MagicNumber {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["number"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(value) = signed_value(node, ctx.text()) else { return };
        let authorized = ctx.param_str("authorizedNumbers");
        if authorized.split(',').filter_map(|n| n.trim().parse::<f64>().ok()).any(|n| n == value) {
            return;
        }
        if named_by_context(node) {
            return;
        }
        let expression = outermost(node);
        if ctx.param_bool("allowMagicIndexes") && in_index(expression) {
            return;
        }
        if named_by_call(expression, ctx.text()) {
            return;
        }
        if let Some((call, position)) = argument_of(expression)
            && named_argument(call, position, ctx)
        {
            return;
        }
        let literal = ctx.node_text(expression);
        let message = ctx.tr(
            format!("Магическое число {literal}: дайте ему имя"),
            format!("Magic number {literal}: give it a name"),
        );
        ctx.report(expression.byte_range(), message);
    }
}
