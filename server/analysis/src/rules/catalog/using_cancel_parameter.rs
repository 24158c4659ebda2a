//! UsingCancelParameter: the `Отказ` parameter set to something else than `Истина`.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::c_normalize::unparenthesized;
use crate::rules::util::is_any;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags assignments to a method's `Отказ` (`Cancel`) parameter whose value is not
/// `Истина` (standard 686): `Отказ = Ложь;`, `Отказ = НЕ Проверено;`,
/// `Отказ = ЕстьОшибки;`.
///
/// ## Why
/// Several handlers share one `Отказ`: the platform, subscriptions and the extensions'
/// handlers each may have set it. A handler that writes `Ложь` or the result of its own
/// check into it can reset a refusal made by someone else, and the object gets written
/// despite the error. A handler may only raise the flag.
///
/// ## Example
/// ```bsl
/// Процедура ПередЗаписью(Отказ)
///     Отказ = НЕ ПроверитьЗаполнение(); // flagged
/// КонецПроцедуры
/// ```
///
/// Fixed:
/// ```bsl
/// Процедура ПередЗаписью(Отказ)
///     Если НЕ ПроверитьЗаполнение() Тогда
///         Отказ = Истина;
///     КонецЕсли;
/// КонецПроцедуры
/// ```
///
/// ## Accepted forms
/// Values that keep an earlier refusal are not flagged: `Отказ = Отказ ИЛИ Условие;`
/// (any `ИЛИ` chain with `Отказ` among its operands) and `Отказ = ?(Условие, Истина,
/// Отказ);`. `Отказ = Отказ И Условие;` can reset the flag and is flagged.
///
/// A value read back from a collection after `Отказ` was handed to a call of the same
/// method is a round trip through a handler called by name, not a decision of this
/// method, and is not flagged:
/// ```bsl
/// Параметры = Новый Массив;
/// Параметры.Добавить(Отказ);
/// ОбщегоНазначения.ВыполнитьМетодОбъекта(Обработка, ИмяОбработчика, Параметры);
/// Отказ = Параметры[0];
/// ```
pub struct UsingCancelParameter;

static META: RuleMeta = RuleMeta {
    code: "UsingCancelParameter",
    name_ru: "Работа с параметром \"Отказ\"",
    name_en: "Using the Cancel parameter",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 10,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

const CANCEL: &[&str] = &["Отказ", "Cancel"];

/// Whether assigning `value` to the parameter `name` never clears it.
fn keeps_refusal(value: Node<'_>, name: &str, text: &str) -> bool {
    let value = unparenthesized(value);
    let is_name = |n: Node<'_>| n.kind_str() == "identifier" && is_any(&text[n.byte_range()], &[name]);
    let is_true = |n: Node<'_>| n.kind_str() == "boolean" && is_any(&text[n.byte_range()], &["Истина", "True"]);
    match value.kind_str() {
        "boolean" => is_true(value),
        "binary_expression" if value.field("operator").is_some_and(|o| o.kind_str() == "or") => {
            // Any operand of the `ИЛИ` chain is the parameter itself.
            let mut stack = vec![value];
            while let Some(current) = stack.pop() {
                let current = unparenthesized(current);
                if is_name(current) {
                    return true;
                }
                if current.kind_str() == "binary_expression"
                    && current.field("operator").is_some_and(|o| o.kind_str() == "or")
                {
                    stack.extend(current.field("left"));
                    stack.extend(current.field("right"));
                }
            }
            false
        }
        "ternary_expression" => {
            let ok = |n: Option<Node<'_>>| n.map(unparenthesized).is_some_and(|n| is_name(n) || is_true(n));
            ok(value.field("consequence")) && ok(value.field("alternative"))
        }
        _ => false,
    }
}

impl Rule for UsingCancelParameter {
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
        let Some(parameters) = node.field("parameters") else { return };
        let text = ctx.text();
        let mut cursor = parameters.walk();
        let Some(name) = parameters
            .named_children(&mut cursor)
            .filter_map(|p| p.field("name"))
            .map(|n| &text[n.byte_range()])
            .find(|n| is_any(n, CANCEL))
        else {
            return;
        };
        let Some(body) = node.field("body") else { return };
        // Where `Отказ` is handed to a call (`Параметры.Добавить(Отказ)`), for the
        // round-trip exception.
        let mut passed_at: Option<usize> = None;
        for statement in bsl_syntax::walk::preorder(body) {
            if statement.kind_str() == "arguments" && passed_at.is_none() {
                let mut cursor = statement.walk();
                let passed = statement
                    .named_children(&mut cursor)
                    .any(|a| a.kind_str() == "identifier" && is_any(&text[a.byte_range()], &[name]));
                if passed {
                    passed_at = Some(statement.start_byte());
                }
                continue;
            }
            if statement.kind_str() != "assignment_statement" {
                continue;
            }
            let (Some(left), Some(right)) =
                (statement.field("left"), statement.field("right"))
            else {
                continue;
            };
            if left.kind_str() != "identifier" || !is_any(&text[left.byte_range()], &[name]) {
                continue;
            }
            if right.has_error() || keeps_refusal(right, name, text) {
                continue;
            }
            let round_trip = matches!(right.kind_str(), "index_expression" | "member_expression")
                && passed_at.is_some_and(|at| at < statement.start_byte());
            if round_trip {
                continue;
            }
            let message = ctx.tr(
                format!(
                    "Параметру \"{name}\" можно присваивать только Истина: иначе сбрасывается отказ других обработчиков"
                ),
                format!("Only True may be assigned to \"{name}\": anything else can reset other handlers' refusal"),
            );
            ctx.report(statement.byte_range(), message);
        }
    }
}
