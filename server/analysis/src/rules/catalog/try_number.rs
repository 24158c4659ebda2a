//! TryNumber: `Число(...)` inside `Попытка` to test whether a value is a number.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::util::{arguments, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a call of `Число(...)` (`Number(...)`) inside the body of a `Попытка`: the usual
/// sign that an exception is used to learn whether a string holds a number.
///
/// ## Why
/// Exceptions are for failures, not for ordinary checks: raising one is slow, it is
/// written to the event log when it happens inside a transaction or on the server, it
/// breaks the transaction, and the `Исключение` branch swallows any other error of the same
/// block. A type description converts without raising: it returns 0 when the string is not
/// a number.
///
/// ## Example
/// ```bsl
/// // Flagged.
/// Попытка
///     Количество = Число(Текст);
/// Исключение
///     Количество = 0;
/// КонецПопытки;
///
/// // Better.
/// ОписаниеЧисла = Новый ОписаниеТипов("Число");
/// Количество = ОписаниеЧисла.ПривестиЗначение(Текст);
/// ```
///
/// When the string must be told apart from a real zero, check it first with
/// `СтроковыеФункцииКлиентСервер.ЭтоЧисло` or by its characters.
///
/// ## Not flagged
/// * calls in the `Исключение` branch, and `Модуль.Число(...)` methods of modules;
/// * calls inside a `Попытка` body of more than four statements (nested ones included):
///   such a block guards a whole operation against other failures, and the cast is one
///   step of it, not a test.
pub struct TryNumber;

static META: RuleMeta = RuleMeta {
    code: "TryNumber",
    name_ru: "Приведение к числу в попытке",
    name_en: "Cast to number in a try block",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard"],
    minutes_to_fix: 2,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

/// The most statements a `Попытка` body may hold for the rule to take it as a test of the
/// conversion: a bigger block is there for other failures, and a cast inside it is just a
/// step of the work.
const MAX_TRY_STATEMENTS: usize = 4;

/// The statements in a block, nested ones included, counted up to `cap`.
fn statement_count(block: Node<'_>, cap: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![block];
    while let Some(node) = stack.pop() {
        if count >= cap {
            break;
        }
        if node.kind_str().ends_with("_statement") {
            count += 1;
        }
        let mut cursor = node.walk();
        stack.extend(
            node.named_children(&mut cursor)
                .filter(|c| c.kind_str().ends_with("_statement") || c.kind_str().ends_with("clause") || c.kind_str() == "block"),
        );
    }
    count
}

/// Whether the node stands in the body of a short `Попытка` of the same method.
fn inside_short_try_body(node: Node<'_>) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind_str() {
            "method_declaration" => return false,
            "block" if n.parent().is_some_and(|p| p.kind_str() == "try_statement") => {
                return statement_count(n, MAX_TRY_STATEMENTS + 1) <= MAX_TRY_STATEMENTS;
            }
            _ => current = n.parent(),
        }
    }
    false
}

impl Rule for TryNumber {
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
        let Some(function) = node.field("function") else { return };
        if function.kind_str() != "identifier" || !is_any(ctx.node_text(function), &["Число", "Number"]) {
            return;
        }
        if arguments(node).is_empty() || !inside_short_try_body(node) {
            return;
        }
        let message = ctx.tr(
            "Приведение к числу в попытке: используйте ОписаниеТипов(\"Число\").ПривестиЗначение()",
            "Cast to number in a try block: use TypeDescription(\"Number\").AdjustValue()",
        );
        ctx.report(node.byte_range(), message);
    }
}
