//! WrongUseOfRollbackTransactionMethod: `ОтменитьТранзакцию()` outside an `Исключение` block.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::c_normalize::{ROLLBACK_TRANSACTION, statement_call};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `ОтменитьТранзакцию()` (`RollbackTransaction()`) that does not stand inside an
/// `Исключение` (`Except`) block (standard 783): a rollback in the `Попытка` body, or
/// outside any `Попытка`. A rollback nested in an `Если` of the `Исключение` block
/// (`Если ТранзакцияАктивна() Тогда ОтменитьТранзакцию(); КонецЕсли;`) is fine.
///
/// ## Why
/// The standard pattern has a single place that cancels the transaction: the `Исключение`
/// of the `Попытка` opened right after `НачатьТранзакцию()`. A rollback elsewhere is a
/// second exit from the transaction: after it, code that goes on (or the `Исключение`
/// block, when something raises later) works outside the transaction it expects, and a
/// second rollback of a nested transaction breaks the outer one. To refuse the work in the
/// body, raise an exception and let `Исключение` roll back.
///
/// ## Example
/// ```bsl
/// НачатьТранзакцию();
/// Попытка
///     Если НЕ Документ.ПроверитьЗаполнение() Тогда
///         ОтменитьТранзакцию(); // flagged
///         Возврат;
///     КонецЕсли;
///     Документ.Записать();
///     ЗафиксироватьТранзакцию();
/// Исключение
///     ОтменитьТранзакцию();
///     ВызватьИсключение;
/// КонецПопытки;
/// ```
///
/// Fixed:
/// ```bsl
/// Если НЕ Документ.ПроверитьЗаполнение() Тогда
///     Возврат;
/// КонецЕсли;
/// НачатьТранзакцию();
/// Попытка
///     Документ.Записать();
///     ЗафиксироватьТранзакцию();
/// Исключение
///     ОтменитьТранзакцию();
///     ВызватьИсключение;
/// КонецПопытки;
/// ```
pub struct WrongUseOfRollbackTransactionMethod;

static META: RuleMeta = RuleMeta {
    code: "WrongUseOfRollbackTransactionMethod",
    name_ru: "Некорректное использование метода ОтменитьТранзакцию()",
    name_en: "Not recommended using of RollbackTransaction method",
    rule_type: RuleType::Error,
    severity: Severity::Critical,
    tags: &["standard"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for WrongUseOfRollbackTransactionMethod {
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
        let Some(call) = statement_call(node, ctx.text(), ROLLBACK_TRANSACTION) else { return };
        let mut in_try_body = false;
        let mut current = node.parent();
        while let Some(n) = current {
            match n.kind_str() {
                "except_clause" => return,
                "method_declaration" => break,
                "try_statement" => in_try_body = true,
                _ => {}
            }
            current = n.parent();
        }
        let message = if in_try_body {
            ctx.tr(
                "ОтменитьТранзакцию() в блоке Попытка: отменяйте транзакцию только в блоке Исключение",
                "RollbackTransaction() in a Try block: roll back only in the Except block",
            )
        } else {
            ctx.tr("ОтменитьТранзакцию() вне блока Исключение", "RollbackTransaction() outside an Except block")
        };
        ctx.report(call.byte_range(), message);
    }
}
