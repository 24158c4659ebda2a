//! MagicDate: date literals written into the code.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::b_literals::{argument_of, named_by_call, named_by_context};
use crate::rules::util::{arguments, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a date written into an expression: a literal `'20240101'`, or a constant string or
/// numbers passed to `Дата(...)` (`Дата("20240101")`, `Дата(2024, 1, 1)`).
///
/// ## Why
/// A bare date says nothing about its meaning: is it the start of a new tax rate, the
/// release of a version, a test value left behind? When the date changes, every copy must
/// be found by hand. Name it: a variable, a function (`ДатаПереходаНаНовыйУчет()`), a
/// constant or a setting the user can change.
///
/// ## Example
/// ```bsl
/// Если Документ.Дата >= '20240101' Тогда // flagged
///
/// // Better.
/// ДатаНовойСтавки = '20240101';
/// Если Документ.Дата >= ДатаНовойСтавки Тогда
/// ```
///
/// ## Not flagged
/// * the empty date `'00010101'` (and `'00010101000000'`, `'00000000'`) and the last date
///   `'39991231'` / `'39991231235959'`: they mean "no date" and "no limit";
/// * a date that is the whole value of an assignment (`НачалоУчета = '20200101';`): the
///   name on the left names it;
/// * the default value of a parameter, and the value a function returns directly
///   (`Возврат '20200101';`): the parameter's or the function's name names it;
/// * the value after a key string in `Вставить("Ключ", '20200101')` and
///   `УстановитьПараметр("НачалоПериода", '20200101')`: the key names it.
///
/// `Дата('20200101')` is treated as the literal it wraps.
pub struct MagicDate;

static META: RuleMeta = RuleMeta {
    code: "MagicDate",
    name_ru: "Магические даты",
    name_en: "Magic dates",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["badpractice", "brainoverload"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

/// Whether the digits of a date spell the empty date or the last date.
fn is_boundary_date(digits: &str) -> bool {
    if digits.bytes().all(|b| b == b'0') {
        return true;
    }
    let padded = format!("{digits:0<14}");
    padded == "00010101000000" || padded == "39991231000000" || padded == "39991231235959"
}

fn is_date_call(call: Node<'_>, ctx: &RuleContext<'_, '_>) -> bool {
    call.field("function")
        .is_some_and(|f| f.kind_str() == "identifier" && is_any(ctx.node_text(f), &["Дата", "Date"]))
}

impl Rule for MagicDate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["date", "call_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let digits: String = if node.kind_str() == "date" {
            ctx.node_text(node).chars().filter(char::is_ascii_digit).collect()
        } else {
            if !is_date_call(node, ctx) {
                return;
            }
            let args = arguments(node);
            match args.as_slice() {
                [string] if string.kind_str() == "string" => {
                    let text = ctx.node_text(*string).trim_matches('"');
                    if !(text.len() == 8 || text.len() == 14) || !text.bytes().all(|b| b.is_ascii_digit()) {
                        return;
                    }
                    text.to_string()
                }
                [year, ..] if args.len() >= 3 && args.iter().all(|a| a.kind_str() == "number") => {
                    let parts: Vec<u32> = args.iter().filter_map(|a| ctx.node_text(*a).parse().ok()).collect();
                    if parts.len() != args.len() || ctx.node_text(*year).len() != 4 {
                        return;
                    }
                    parts
                        .iter()
                        .enumerate()
                        .map(|(i, p)| if i == 0 { format!("{p:04}") } else { format!("{p:02}") })
                        .collect()
                }
                _ => return,
            }
        };
        if digits.is_empty() || is_boundary_date(&digits) {
            return;
        }
        // `Дата('20240101')` is the literal itself.
        let mut value = node;
        if let Some((call, 0)) = argument_of(node)
            && is_date_call(call, ctx)
            && arguments(call).len() == 1
        {
            value = call;
        }
        if named_by_context(value) || named_by_call(value, ctx.text()) {
            return;
        }
        let message = ctx.tr(
            "Дата в коде без имени: вынесите её в переменную, константу или функцию",
            "A date written into the code: give it a name (a variable, a constant or a function)",
        );
        ctx.report(node.byte_range(), message);
    }
}
