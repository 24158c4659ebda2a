//! MethodSize: methods longer than the limit.

use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags methods longer than `maxMethodSize` lines (200 by default), counted from the
/// declaration to the end keyword.
///
/// ## Why
/// A method that does not fit on a few screens does several things; it cannot be read at
/// once, is hard to test and collects the changes of many tasks. Split it along the steps it
/// already has (often marked by comments).
///
/// ## Example
/// ```bsl
/// // Flagged: one procedure reads the data, checks it, computes and writes, 350 lines.
/// Процедура ОбработкаПроведения(Отказ, Режим)
///     ...
/// КонецПроцедуры
///
/// // Better: the handler lists the steps, each step is a method.
/// Процедура ОбработкаПроведения(Отказ, Режим)
///     Данные = ДанныеДляПроведения();
///     ПроверитьДанные(Данные, Отказ);
///     СформироватьДвижения(Данные);
/// КонецПроцедуры
/// ```
pub struct MethodSize;

static META: RuleMeta = RuleMeta {
    code: "MethodSize",
    name_ru: "Ограничение на размер метода",
    name_en: "Method size",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["badpractice"],
    minutes_to_fix: 30,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "maxMethodSize",
        default: ParamDefault::Int(200),
        description_ru: "Максимальная длина метода в строках",
        description_en: "Longest allowed method, in lines",
    }],
    module_kinds: &[],
};

impl Rule for MethodSize {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let limit = ctx.param_int("maxMethodSize").max(1) as u32;
        let index = ctx.parse().line_index();
        for method in &ctx.module().methods {
            let lines = index.line_of(method.declaration_range.end) - index.line_of(method.declaration_range.start) + 1;
            if lines > limit {
                let message = ctx.tr(
                    format!("Строк в методе \"{}\": {lines}, допустимо {limit}", method.name),
                    format!("Method \"{}\" is {lines} lines long, at most {limit} allowed", method.name),
                );
                ctx.report(method.name_range.clone(), message);
            }
        }
    }
}
