//! NumberOfParams: methods with too many parameters.

use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags methods with more than `maxParamsCount` parameters (7 by default), standard 640.
///
/// ## Why
/// A long parameter list is hard to call right: arguments are passed by position, so the
/// reader of a call cannot tell which value is which, and every new parameter changes
/// every caller. Group related values into a structure, or split the method.
///
/// ## Example
/// ```bsl
/// Процедура Создать(Вид, Код, Имя, Родитель, Владелец, Комментарий, Ответственный, Дата) // flagged
///
/// // Better: the values travel together in one structure.
/// Процедура Создать(Реквизиты) // Реквизиты: Структура - Вид, Код, Имя, ...
/// ```
pub struct NumberOfParams;

static META: RuleMeta = RuleMeta {
    code: "NumberOfParams",
    name_ru: "Ограничение на количество параметров метода",
    name_en: "Limit on the number of method parameters",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "brainoverload"],
    minutes_to_fix: 30,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "maxParamsCount",
        default: ParamDefault::Int(7),
        description_ru: "Допустимое количество параметров",
        description_en: "Most parameters allowed",
    }],
    module_kinds: &[],
};

impl Rule for NumberOfParams {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let limit = ctx.param_int("maxParamsCount").max(0) as usize;
        for method in &ctx.module().methods {
            let count = method.parameters.len();
            if count > limit {
                let message = ctx.tr(
                    format!("Параметров у метода \"{}\": {count}, допустимо {limit}", method.name),
                    format!("Method \"{}\" takes {count} parameters, at most {limit} allowed", method.name),
                );
                ctx.report(method.name_range.clone(), message);
            }
        }
    }
}
