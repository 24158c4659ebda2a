//! ExportVariables: module variables declared with `Экспорт`.

use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags module variables declared `Экспорт` (`Export`), standard 639.
///
/// ## Why
/// An exported variable is state that any code holding the object can change; nothing
/// records who set it and when, and its value is lost between server calls. Pass values as
/// parameters, keep them in attributes, or expose a function that returns them.
///
/// ## Example
/// ```bsl
/// Перем КэшНастроек Экспорт; // flagged
/// ```
/// In OneScript an exported variable is a class's public property, so OneScript modules
/// are not checked.
pub struct ExportVariables;

static META: RuleMeta = RuleMeta {
    code: "ExportVariables",
    name_ru: "Запрет экспортных глобальных переменных модуля",
    name_en: "Ban on exported module variables",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "design", "unpredictable"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: crate::ModuleKind::PLATFORM,
};

impl Rule for ExportVariables {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        for variable in ctx.module().variables.iter().filter(|v| v.export) {
            let message = ctx.tr(
                format!("Экспортная переменная модуля \"{}\"", variable.name),
                format!("Exported module variable \"{}\"", variable.name),
            );
            ctx.report(variable.range.clone(), message);
        }
    }
}
