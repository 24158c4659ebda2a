//! IfElseDuplicatedCondition: two branches of one `Если` chain test the same condition.

use tree_sitter::Node;

use crate::rules::support::c_normalize::{if_branches, normalized, overlaps_masked};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags an `ИначеЕсли` (`ElsIf`) whose condition repeats the condition of an earlier
/// branch of the same chain. Conditions are compared as code: letter case, the language of
/// keywords, line breaks, blanks and comments do not matter.
///
/// ## Why
/// The chain stops at the first true condition, so a branch that repeats an earlier
/// condition can never run. Usually one of the two conditions was meant to test something
/// else (a copied line that was not edited), and the case it should handle is silently
/// missed.
///
/// ## Example
/// ```bsl
/// Если Вид = "Приход" Тогда
///     Сумма = Сумма + Количество;
/// ИначеЕсли Вид = "Приход" Тогда // flagged: this branch never runs
///     Сумма = Сумма - Количество;
/// КонецЕсли;
/// ```
///
/// Fixed:
/// ```bsl
/// Если Вид = "Приход" Тогда
///     Сумма = Сумма + Количество;
/// ИначеЕсли Вид = "Расход" Тогда
///     Сумма = Сумма - Количество;
/// КонецЕсли;
/// ```
///
/// Only the conditions of one chain are compared; a nested `Если` starts a chain of its own.
pub struct IfElseDuplicatedCondition;

static META: RuleMeta = RuleMeta {
    code: "IfElseDuplicatedCondition",
    name_ru: "Повторяющиеся условия в синтаксической конструкции Если...Тогда...ИначеЕсли...",
    name_en: "Duplicated conditions in If...Then...ElsIf",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["suspicious"],
    minutes_to_fix: 10,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for IfElseDuplicatedCondition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::MethodAtLine
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["if_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let branches = if_branches(node);
        if branches.len() < 2 {
            return;
        }
        let text = ctx.text();
        let mut seen: Vec<(String, usize)> = Vec::new();
        for branch in &branches {
            let Some(condition) = branch.condition else { continue };
            if condition.has_error() || condition.is_missing() || overlaps_masked(condition, ctx.parse().masked()) {
                continue;
            }
            let key = normalized(condition, text);
            if let Some((_, line)) = seen.iter().find(|(k, _)| *k == key) {
                let line = *line;
                let message = ctx.tr(
                    format!("Условие повторяет условие ветки в строке {line}: эта ветка никогда не выполнится"),
                    format!("The condition repeats the one of the branch on line {line}: this branch never runs"),
                );
                ctx.report(condition.byte_range(), message);
            } else {
                seen.push((key, condition.start_position().row + 1));
            }
        }
    }
}
