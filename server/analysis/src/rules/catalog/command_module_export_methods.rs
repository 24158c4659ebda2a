//! CommandModuleExportMethods: exported methods in a command module.

use crate::module_kind::ModuleKind;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags exported methods in command modules, standard 544.
///
/// ## Why
/// Nothing can call into a command module from outside: the platform calls its
/// `ОбработкаКоманды` handler and nothing else. `Экспорт` there promises an interface that
/// does not exist; shared code belongs in a common module.
///
/// ## Example
/// ```bsl
/// Процедура Подготовить() Экспорт // flagged
/// ```
pub struct CommandModuleExportMethods;

static META: RuleMeta = RuleMeta {
    code: "CommandModuleExportMethods",
    name_ru: "Экспортные методы в модулях команд",
    name_en: "Exported methods in command modules",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard", "clumsy"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[ModuleKind::Command],
};

impl Rule for CommandModuleExportMethods {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        for method in ctx.module().methods.iter().filter(|m| m.export) {
            let message = ctx.tr(
                format!("Метод \"{}\" модуля команды не нужно экспортировать", method.name),
                format!("Method \"{}\" of a command module needs no Export", method.name),
            );
            ctx.report(method.name_range.clone(), message);
        }
    }
}
