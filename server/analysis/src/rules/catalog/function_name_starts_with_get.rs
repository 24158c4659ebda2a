//! FunctionNameStartsWithGet: function names that start with `Получить`.

use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};
use bsl_syntax::MethodKind;

/// Flags functions whose name starts with `Получить` (`Get`) followed by a capital letter,
/// standard 647. Off by default: a matter of the team's style.
///
/// ## Why
/// A function's name says what it returns; "get" adds nothing (every function gets
/// something). `КурсВалюты(Дата)` reads better at the call site than
/// `ПолучитьКурсВалюты(Дата)`.
///
/// ## Example
/// ```bsl
/// Функция ПолучитьКурсВалюты(Валюта, Дата) // flagged
/// Function GetRate(Currency, Date)         // flagged
///
/// Функция КурсВалюты(Валюта, Дата)         // better
/// ```
///
/// Procedures are not checked (`ПолучитьДанные()` that fills a form is an action), nor
/// names where `Получить` is part of a longer word (`Получатель`).
pub struct FunctionNameStartsWithGet;

static META: RuleMeta = RuleMeta {
    code: "FunctionNameStartsWithGet",
    name_ru: "Имя функции не должно начинаться с \"Получить\"",
    name_en: "Function names should not start with \"Get\"",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard"],
    minutes_to_fix: 3,
    enabled_by_default: false,
    params: &[],
    module_kinds: &[],
};

fn starts_with_get(name: &str) -> bool {
    for prefix in ["Получить", "Get"] {
        if let Some(rest) = name.strip_prefix(prefix)
            && rest.chars().next().is_some_and(char::is_uppercase)
        {
            return true;
        }
    }
    false
}

impl Rule for FunctionNameStartsWithGet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let module = ctx.module();
        for method in module.methods.iter().filter(|m| m.kind == MethodKind::Function && starts_with_get(&m.name)) {
            let message = ctx.tr(
                format!("Имя функции \"{}\" начинается с \"Получить\"", method.name),
                format!("Function name \"{}\" starts with \"Get\"", method.name),
            );
            ctx.report(method.name_range.clone(), message);
        }
    }
}
