//! BeginTransactionBeforeTryCatch: `НачатьТранзакцию()` not right before `Попытка`.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::global_calls::is_global_call;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `НачатьТранзакцию()` (`BeginTransaction()`) that is not immediately followed by
/// `Попытка` (`Try`), standard 783.
///
/// ## Why
/// Between the start of a transaction and the `Попытка` that guards it, any exception
/// leaves the transaction open: nothing rolls it back, and the whole session's later work
/// fails. The standard pattern is `НачатьТранзакцию(); Попытка ... ЗафиксироватьТранзакцию();
/// Исключение ОтменитьТранзакцию(); ВызватьИсключение; КонецПопытки;`.
pub struct BeginTransactionBeforeTryCatch;

static META: RuleMeta = RuleMeta {
    code: "BeginTransactionBeforeTryCatch",
    name_ru: "Нарушение правил работы с транзакциями для метода \"НачатьТранзакцию\"",
    name_en: "BeginTransaction must stand right before Try",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["standard"],
    minutes_to_fix: 10,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for BeginTransactionBeforeTryCatch {
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
        let Some(call) = node.named_child(0) else { return };
        if !is_global_call(call, ctx.text(), &["НачатьТранзакцию", "BeginTransaction"]) {
            return;
        }
        // The next statement, skipping `;`, comments and preprocessor lines.
        let mut next = node.next_sibling();
        while let Some(n) = next {
            if n.kind_str() == ";" || n.is_extra() {
                next = n.next_sibling();
            } else {
                break;
            }
        }
        if next.is_some_and(|n| n.kind_str() == "try_statement") {
            return;
        }
        let message = ctx.tr(
            "После НачатьТранзакцию() сразу должна идти Попытка",
            "BeginTransaction() must be followed by Try at once",
        );
        ctx.report(call.byte_range(), message);
    }
}
