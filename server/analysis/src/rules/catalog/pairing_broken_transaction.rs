//! PairingBrokenTransaction: begin, commit and rollback of a transaction in different methods.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::c_normalize::{
    BEGIN_TRANSACTION, COMMIT_TRANSACTION, ROLLBACK_TRANSACTION, mentions_transaction,
};
use crate::rules::support::global_calls::is_global_call;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags, within one method (or the module's own statements), transaction calls that have
/// no partner (standard 783):
/// - `НачатьТранзакцию()` (`BeginTransaction()`) with no `ЗафиксироватьТранзакцию()`
///   (`CommitTransaction()`) after it, and a commit with no begin before it (or in a method
///   that never begins a transaction);
/// - `НачатьТранзакцию()` in a method that never calls `ОтменитьТранзакцию()`
///   (`RollbackTransaction()`), and a rollback in a method that never begins a transaction.
///
/// ## Why
/// A transaction opened in one method and closed in another depends on every caller to
/// close it on every path; one missed path (an exception, an early `Возврат`) leaves the
/// transaction open for the rest of the session, and all later writes fail or are rolled
/// back together. Keeping begin, commit and rollback in one method, in one
/// `Попытка ... Исключение`, makes the pairing visible at a glance.
///
/// ## Example
/// ```bsl
/// Процедура Записать(Объект)
///     НачатьТранзакцию(); // flagged: no commit, no rollback in this method
///     Объект.Записать();
///     ЗавершитьЗапись();
/// КонецПроцедуры
/// ```
///
/// Fixed:
/// ```bsl
/// Процедура Записать(Объект)
///     НачатьТранзакцию();
///     Попытка
///         Объект.Записать();
///         ЗафиксироватьТранзакцию();
///     Исключение
///         ОтменитьТранзакцию();
///         ВызватьИсключение;
///     КонецПопытки;
/// КонецПроцедуры
/// ```
///
/// The check is about order, not counts: early exits may commit or roll back in their
/// own branch before `Возврат`, and a rollback outside `Исключение` (the "try and undo"
/// idiom: begin, write, roll back) closes a transaction like a commit. Flagged are a commit
/// before the method's first begin, and a begin after the method's last commit, which
/// together catch the "commit what the caller began, begin what the caller will commit"
/// pattern.
///
/// The clean-up loop `Пока ТранзакцияАктивна() Цикл ОтменитьТранзакцию(); КонецЦикла;`,
/// which closes transactions left open by others, is not flagged.
pub struct PairingBrokenTransaction;

static META: RuleMeta = RuleMeta {
    code: "PairingBrokenTransaction",
    name_ru: "Нарушение парности использования методов \"НачатьТранзакцию()\" и \"ЗафиксироватьТранзакцию()\"",
    name_en: "Violation of pairing using methods \"BeginTransaction()\" & \"CommitTransaction()\"",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["standard"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

#[derive(Clone, Copy, PartialEq)]
enum Call {
    Begin,
    Commit,
    Rollback,
}

impl Rule for PairingBrokenTransaction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["method_declaration", "source_file"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let is_root = node.kind_str() == "source_file";
        if !is_root && !mentions_transaction(ctx.node_text(node)) {
            return;
        }
        // The module's own statements are one scope; methods are checked on their own.
        let walk = ctx.scope_nodes(node);
        let mut calls: Vec<(Call, Node<'_>)> = Vec::new();
        for n in walk {
            if n.kind_str() != "call_expression" {
                continue;
            }
            let call = if is_global_call(n, text, BEGIN_TRANSACTION) {
                Call::Begin
            } else if is_global_call(n, text, COMMIT_TRANSACTION) {
                Call::Commit
            } else if is_global_call(n, text, ROLLBACK_TRANSACTION) {
                Call::Rollback
            } else {
                continue;
            };
            calls.push((call, n));
        }
        if calls.is_empty() {
            return;
        }
        let has_begin = calls.iter().any(|(c, _)| *c == Call::Begin);
        let has_rollback = calls.iter().any(|(c, _)| *c == Call::Rollback);
        let mut findings: Vec<(Node<'_>, String)> = Vec::new();
        if !has_begin {
            for &(call, n) in &calls {
                let message = match call {
                    Call::Commit => ctx.tr(
                        "ЗафиксироватьТранзакцию() в методе, который не начинает транзакцию",
                        "CommitTransaction() in a method that does not begin a transaction",
                    ),
                    Call::Rollback if !in_cleanup_loop(n, text) => ctx.tr(
                        "ОтменитьТранзакцию() в методе, который не начинает транзакцию",
                        "RollbackTransaction() in a method that does not begin a transaction",
                    ),
                    _ => continue,
                };
                findings.push((n, message));
            }
        } else {
            // A commit before the first begin closes a transaction opened elsewhere; a begin
            // after the last commit (or rollback outside `Исключение`, the "try and undo"
            // idiom) is left for someone else to close.
            let first_begin = calls.iter().find(|(c, _)| *c == Call::Begin).map_or(0, |(_, n)| n.start_byte());
            let last_closer = calls
                .iter()
                .filter(|(c, n)| *c == Call::Commit || (*c == Call::Rollback && !in_except(*n)))
                .map(|(_, n)| n.start_byte())
                .max();
            for &(call, n) in &calls {
                match call {
                    Call::Commit if n.start_byte() < first_begin => {
                        let message = ctx.tr(
                            "ЗафиксироватьТранзакцию() раньше вызова НачатьТранзакцию() в этом методе",
                            "CommitTransaction() comes before BeginTransaction() in this method",
                        );
                        findings.push((n, message));
                    }
                    Call::Begin if last_closer.is_none_or(|last| last < n.start_byte()) => {
                        let message = ctx.tr(
                            "НачатьТранзакцию() без парного вызова ЗафиксироватьТранзакцию() после него в этом методе",
                            "BeginTransaction() has no CommitTransaction() after it in this method",
                        );
                        findings.push((n, message));
                    }
                    _ => {}
                }
            }
            if !has_rollback {
                for &(call, n) in &calls {
                    if call == Call::Begin && !findings.iter().any(|(f, _)| *f == n) {
                        let message = ctx.tr(
                            "НачатьТранзакцию() без вызова ОтменитьТранзакцию() в этом методе",
                            "BeginTransaction() with no RollbackTransaction() in this method",
                        );
                        findings.push((n, message));
                    }
                }
            }
        }
        for (n, message) in findings {
            ctx.report(n.byte_range(), message);
        }
    }
}

/// Whether the call stands in an `Исключение` block of its method.
fn in_except(call: Node<'_>) -> bool {
    let mut current = call.parent();
    while let Some(n) = current {
        match n.kind_str() {
            "except_clause" => return true,
            "method_declaration" => return false,
            _ => current = n.parent(),
        }
    }
    false
}

/// Whether the rollback is the clean-up idiom `Пока ТранзакцияАктивна() Цикл
/// ОтменитьТранзакцию(); КонецЦикла;`, which closes transactions left open elsewhere.
fn in_cleanup_loop(call: Node<'_>, text: &str) -> bool {
    let Some(loop_node) = call.parent().and_then(|s| s.parent()).and_then(|b| b.parent()) else { return false };
    loop_node.kind_str() == "while_statement"
        && loop_node
            .field("condition")
            .is_some_and(|c| is_global_call(c, text, &["ТранзакцияАктивна", "TransactionActive"]))
}
