//! CommitTransactionOutsideTryCatch: `ЗафиксироватьТранзакцию()` not last in a `Попытка` body.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::c_normalize::{COMMIT_TRANSACTION, has_call, statement_call};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `ЗафиксироватьТранзакцию()` (`CommitTransaction()`) that is not the last statement
/// written directly in the body of a `Попытка` (`Try`) block (standard 783): a commit outside
/// any `Попытка`, inside its `Исключение`, nested in an `Если` or a loop of the body, or
/// followed by more statements.
///
/// ## Why
/// The commit is where the transaction's work becomes durable; the `Попытка` around it is
/// what rolls the transaction back when anything fails. A commit outside `Попытка` leaves
/// the transaction open when the work before it raises; statements after the commit that
/// raise send control to `Исключение`, which then rolls back a transaction that no longer
/// exists (or an outer one). With the commit as the last line of `Попытка` there is exactly
/// one successful path and one failing path.
///
/// ## Example
/// ```bsl
/// НачатьТранзакцию();
/// Попытка
///     Документ.Записать();
///     ЗафиксироватьТранзакцию(); // flagged: statements follow it
///     Сообщить("Записано");
/// Исключение
///     ОтменитьТранзакцию();
///     ВызватьИсключение;
/// КонецПопытки;
/// ```
///
/// Fixed:
/// ```bsl
/// НачатьТранзакцию();
/// Попытка
///     Документ.Записать();
///     ЗафиксироватьТранзакцию();
/// Исключение
///     ОтменитьТранзакцию();
///     ВызватьИсключение;
/// КонецПопытки;
/// Сообщить("Записано");
/// ```
///
/// ## Exceptions
/// A jump right after the commit (`Прервать`, `Продолжить`, or `Возврат` whose value calls
/// nothing) cannot raise, so the commit still ends its path: `ЗафиксироватьТранзакцию();
/// Возврат Истина;` at the end of the body is fine, and so is an early exit nested in the
/// body, `Если Объект = Неопределено Тогда ЗафиксироватьТранзакцию(); Продолжить;
/// КонецЕсли;`. A nested commit that falls through to more code of the body is flagged.
pub struct CommitTransactionOutsideTryCatch;

static META: RuleMeta = RuleMeta {
    code: "CommitTransactionOutsideTryCatch",
    name_ru: "Нарушение правил работы с транзакциями для метода \"ЗафиксироватьТранзакцию\"",
    name_en: "Violation of the rules for CommitTransaction",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["standard"],
    minutes_to_fix: 10,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for CommitTransactionOutsideTryCatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(call) = statement_call(node, ctx.text(), COMMIT_TRANSACTION) else { return };
        let block = node.parent().filter(|p| p.kind_str() == "block");
        let in_try_body = block.is_some_and(|b| {
            b.parent().is_some_and(|t| {
                t.kind_str() == "try_statement" && t.field("body").is_some_and(|body| body == b)
            })
        });
        // The statements after the commit in its block.
        let mut rest = Vec::new();
        let mut next = node.next_sibling();
        while let Some(n) = next {
            if n.kind_str() != ";" && !n.is_extra() {
                rest.push(n);
            }
            next = n.next_sibling();
        }
        // A jump right after the commit cannot raise: the commit still ends its path.
        let ends_with_jump = rest.len() == 1
            && match rest[0].kind_str() {
                "break_statement" | "continue_statement" => true,
                "return_statement" => rest[0].field("value").is_none_or(|v| !has_call(v)),
                _ => false,
            };
        if in_try_body {
            if rest.is_empty() || ends_with_jump {
                return;
            }
            let message = ctx.tr(
                "ЗафиксироватьТранзакцию() должен быть последним оператором в блоке Попытка",
                "CommitTransaction() must be the last statement of the Try block",
            );
            ctx.report(call.byte_range(), message);
            return;
        }
        // Somewhere inside a `Попытка` body, or outside any?
        let mut inside_try = false;
        let mut inside_except = false;
        let mut current = node.parent();
        while let Some(n) = current {
            match n.kind_str() {
                "method_declaration" => break,
                "except_clause" => {
                    inside_except = true;
                    break;
                }
                "try_statement" => {
                    inside_try = true;
                    break;
                }
                _ => current = n.parent(),
            }
        }
        // An early exit inside the body: `Если Готово Тогда ЗафиксироватьТранзакцию(); Возврат;`.
        if inside_try && ends_with_jump {
            return;
        }
        let message = if inside_try {
            ctx.tr(
                "ЗафиксироватьТранзакцию() должен стоять прямо в блоке Попытка последним оператором, а не во вложенной конструкции",
                "CommitTransaction() must stand directly in the Try block as its last statement, not in a nested statement",
            )
        } else if inside_except {
            ctx.tr(
                "ЗафиксироватьТранзакцию() в блоке Исключение: фиксируйте транзакцию последним оператором блока Попытка",
                "CommitTransaction() in an Except block: commit as the last statement of the Try block",
            )
        } else {
            ctx.tr(
                "ЗафиксироватьТранзакцию() вне блока Попытка...Исключение",
                "CommitTransaction() outside a Try...Except block",
            )
        };
        ctx.report(call.byte_range(), message);
    }
}
