//! OrderOfParams: an optional parameter before a required one.

use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a required parameter that follows an optional one, standard 640.
///
/// ## Why
/// When an optional parameter stands before a required one, every caller has to pass it
/// anyway (or leave an empty place with a bare comma), so the default value is of no use and
/// the signature misleads. Put the required parameters first.
///
/// ## Example
/// ```bsl
/// Процедура Записать(Объект, Проверять = Истина, Режим) // flagged: Режим
/// ```
pub struct OrderOfParams;

static META: RuleMeta = RuleMeta {
    code: "OrderOfParams",
    name_ru: "Порядок параметров метода",
    name_en: "Order of method parameters",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "design"],
    minutes_to_fix: 30,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for OrderOfParams {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        for method in &ctx.module().methods {
            let Some(first_optional) = method.parameters.iter().position(|p| p.default.is_some()) else { continue };
            for parameter in method.parameters[first_optional..].iter().filter(|p| p.default.is_none()) {
                let message = ctx.tr(
                    format!("Обязательный параметр \"{}\" стоит после необязательных", parameter.name),
                    format!("Required parameter \"{}\" follows optional ones", parameter.name),
                );
                ctx.report(parameter.name_range.clone(), message);
            }
        }
    }
}
