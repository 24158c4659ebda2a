//! FunctionShouldHaveReturn: a function that never returns a value.

use crate::module_kind::ModuleKind;
use crate::rules::support::nodes::descendants_of_kind;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};
use bsl_syntax::MethodKind;

/// Flags a `Функция` without a single `Возврат <значение>` (`Return <value>`).
///
/// ## Why
/// A function that never returns a value gives `Неопределено` to every caller; either it
/// should be a procedure, or a return was forgotten. A function whose every path raises an
/// exception (`ВызватьИсключение`) is deliberate and not flagged.
///
/// ## Example
/// ```bsl
/// Функция Сумма(А, Б) // flagged
///     Итог = А + Б;
/// КонецФункции
/// ```
pub struct FunctionShouldHaveReturn;

static META: RuleMeta = RuleMeta {
    code: "FunctionShouldHaveReturn",
    name_ru: "Функция должна содержать возврат",
    name_en: "A function should return a value",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["suspicious", "unpredictable"],
    minutes_to_fix: 10,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[] as &[ModuleKind],
};

impl Rule for FunctionShouldHaveReturn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_>) {
        let parse = ctx.parse();
        let mut flagged = Vec::new();
        for method in ctx.module().methods.iter().filter(|m| m.kind == MethodKind::Function) {
            let Some(node) = parse.root().descendant_for_byte_range(method.range.start, method.range.end) else {
                continue;
            };
            let returns = descendants_of_kind(node, &["return_statement", "raise_statement"]);
            let returns_value =
                returns.iter().any(|r| r.kind() == "raise_statement" || r.child_by_field_name("value").is_some());
            if !returns_value {
                flagged.push((method.name.clone(), method.name_range.clone()));
            }
        }
        for (name, range) in flagged {
            let message = ctx.tr(
                format!("Функция \"{name}\" не возвращает значение"),
                format!("Function \"{name}\" returns no value"),
            );
            ctx.report(range, message);
        }
    }
}
