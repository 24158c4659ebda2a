//! IdenticalExpressions: the same operand on both sides of a binary operator.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::c_normalize::{has_call, normalized, unparenthesized};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a binary operator with the same expression on both sides where that makes no
/// sense: comparisons (`А = А`, `А <> А`, `А < А`, ...), logic (`А И А`, `А ИЛИ А`, also
/// a repeated operand anywhere in one chain, `А И Б И А`) and arithmetic (`А - А`,
/// `А / А`, `А % А`). Operands are compared as code: letter case, the language of keywords,
/// blanks and comments do not matter.
///
/// ## Why
/// The result does not depend on the operand (`А = А` is always true, `А - А` always zero),
/// so the expression is almost always a typo: one side should name another variable or
/// field (`Строка1.Сумма = Строка2.Сумма`).
///
/// ## Example
/// ```bsl
/// Если Документ.Дата <> Документ.Дата Тогда // flagged
///     Отличия.Добавить("Дата");
/// КонецЕсли;
/// ```
///
/// Fixed:
/// ```bsl
/// Если Документ.Дата <> Образец.Дата Тогда
///     Отличия.Добавить("Дата");
/// КонецЕсли;
/// ```
///
/// ## Exceptions
/// - `+` and `*` are not checked: `А + А` and `А * А` are meaningful.
/// - Operands that call a method or create an object (`Случайный.СлучайноеЧисло() =
///   Случайный.СлучайноеЧисло()`, `Выборка.Следующий() И Выборка.Следующий()`) can give a
///   different value each time, so they are not flagged.
/// - Operands made of literals only (`1 = 1`, `Пока 1 = 1 Цикл`) are a deliberate constant,
///   not a typo.
pub struct IdenticalExpressions;

static META: RuleMeta = RuleMeta {
    code: "IdenticalExpressions",
    name_ru: "Одинаковые выражения слева и справа от бинарного оператора",
    name_en: "Identical expressions on both sides of a binary operator",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["suspicious"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

/// Operators for which identical operands are pointless.
const CHECKED: &[&str] = &["=", "<>", "<", ">", "<=", ">=", "and", "or", "-", "/", "%"];

fn operator(node: Node<'_>) -> Option<&'static str> {
    if node.kind_str() != "binary_expression" {
        return None;
    }
    let kind = node.field("operator")?.kind_str();
    CHECKED.iter().find(|k| **k == kind).copied()
}

/// Whether the operand can be compared: no calls, something else than literals, no errors.
fn comparable(node: Node<'_>) -> bool {
    !node.has_error() && !has_call(node) && bsl_syntax::walk::preorder(node).any(|n| n.kind_str() == "identifier")
}

/// The operands of a chain of one associative operator (`А И Б И В`), in order.
fn chain_operands<'t>(node: Node<'t>, op: &str, out: &mut Vec<Node<'t>>) {
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        let inner = unparenthesized(current);
        if operator(inner) == Some(op) {
            // Right first, so that the left operand is popped first.
            if let Some(right) = inner.field("right") {
                stack.push(right);
            }
            if let Some(left) = inner.field("left") {
                stack.push(left);
            }
        } else {
            out.push(current);
        }
    }
}

impl Rule for IdenticalExpressions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["binary_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(op) = operator(node) else { return };
        let text = ctx.text();
        let op_text = node.field("operator").map_or("", |o| ctx.node_text(o));
        if matches!(op, "and" | "or") {
            // A chain is checked once, from its top node.
            let mut parent = node.parent();
            while let Some(p) = parent.filter(|p| p.kind_str() == "parenthesized_expression") {
                parent = p.parent();
            }
            if parent.is_some_and(|p| operator(p) == Some(op)) {
                return;
            }
            let mut operands = Vec::new();
            chain_operands(node, op, &mut operands);
            let mut seen: Vec<String> = Vec::new();
            for operand in operands {
                if !comparable(operand) {
                    continue;
                }
                let key = normalized(unparenthesized(operand), text);
                if seen.contains(&key) {
                    let message = ctx.tr(
                        format!("Выражение уже встречается в этой цепочке \"{op_text}\""),
                        format!("The expression already occurs in this \"{op_text}\" chain"),
                    );
                    ctx.report(operand.byte_range(), message);
                } else {
                    seen.push(key);
                }
            }
            return;
        }
        let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
            return;
        };
        if !comparable(left) || !comparable(right) {
            return;
        }
        if normalized(unparenthesized(left), text) != normalized(unparenthesized(right), text) {
            return;
        }
        let message = ctx.tr(
            format!("Одинаковые выражения слева и справа от оператора \"{op_text}\""),
            format!("Identical expressions on both sides of the \"{op_text}\" operator"),
        );
        ctx.report(node.byte_range(), message);
    }
}
