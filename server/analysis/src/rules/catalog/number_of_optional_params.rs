//! NumberOfOptionalParams: methods with too many optional parameters.

use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags methods with more than `maxOptionalParamsCount` parameters that have default values
/// (3 by default), standard 640.
///
/// ## Why
/// Each optional parameter doubles the ways a method can be called; callers skip them with
/// bare commas (`Ф(А, , , Истина)`) that nobody can read. Pass a structure of options
/// instead, with defaults filled in one place.
///
/// ## Example
/// ```bsl
/// Функция Найти(Текст, Начало = 1, Конец = 0, Регистр = Ложь, Целиком = Ложь) // flagged
///
/// // Better: the options in one structure, with their defaults filled in one function.
/// Функция Найти(Текст, Настройки = Неопределено)
/// ```
pub struct NumberOfOptionalParams;

static META: RuleMeta = RuleMeta {
    code: "NumberOfOptionalParams",
    name_ru: "Ограничение на количество не обязательных параметров метода",
    name_en: "Limit on the number of optional method parameters",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "brainoverload"],
    minutes_to_fix: 30,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "maxOptionalParamsCount",
        default: ParamDefault::Int(3),
        description_ru: "Допустимое количество необязательных параметров",
        description_en: "Most optional parameters allowed",
    }],
    module_kinds: &[],
};

impl Rule for NumberOfOptionalParams {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let limit = ctx.param_int("maxOptionalParamsCount").max(0) as usize;
        for method in &ctx.module().methods {
            let count = method.parameters.iter().filter(|p| p.default.is_some()).count();
            if count > limit {
                let message = ctx.tr(
                    format!("Необязательных параметров у метода \"{}\": {count}, допустимо {limit}", method.name),
                    format!("Method \"{}\" has {count} optional parameters, at most {limit} allowed", method.name),
                );
                ctx.report(method.name_range.clone(), message);
            }
        }
    }
}
