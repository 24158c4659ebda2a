//! NonExportMethodsInApiRegion: a method that is not exported inside an interface region.

use crate::module_kind::ModuleKind;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags methods without `Экспорт` placed in the `ПрограммныйИнтерфейс` or
/// `СлужебныйПрограммныйИнтерфейс` regions (`Public`, `Internal`), standard 455.
///
/// ## Why
/// These regions are the module's contract: a reader expects to find there exactly what
/// other modules may call. A private helper placed there looks like part of the interface
/// and hides the real boundary; it belongs in `СлужебныеПроцедурыИФункции` (`Private`).
///
/// ## Example
/// ```bsl
/// #Область ПрограммныйИнтерфейс
/// Функция Округлить(Число) Экспорт
///     Возврат Окр(Число, Точность());
/// КонецФункции
/// Функция Точность() // flagged: not exported
///     Возврат 2;
/// КонецФункции
/// #КонецОбласти
/// ```
/// Move `Точность` to the private region.
///
/// Only the innermost region counts, so a nested region of private helpers inside the
/// interface region is not flagged, and neither are form, command and OneScript modules,
/// whose regions follow other conventions.
pub struct NonExportMethodsInApiRegion;

static META: RuleMeta = RuleMeta {
    code: "NonExportMethodsInApiRegion",
    name_ru: "Неэкспортные методы в областях программного интерфейса",
    name_en: "Non-export methods in interface regions",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "design"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[
        ModuleKind::Common,
        ModuleKind::Object,
        ModuleKind::Manager,
        ModuleKind::RecordSet,
        ModuleKind::ValueManager,
        ModuleKind::Unknown,
    ],
};

const API_REGIONS: &[&str] = &["ПрограммныйИнтерфейс", "СлужебныйПрограммныйИнтерфейс", "Public", "Internal"];

impl Rule for NonExportMethodsInApiRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let module = ctx.module();
        for method in &module.methods {
            if method.export {
                continue;
            }
            let Some(region) = module.region_at(method.range.start) else { continue };
            if API_REGIONS.iter().any(|name| bsl_syntax::keywords::eq_ignore_case(name, &region.name)) {
                let message = ctx.tr(
                    format!("Метод \"{}\" не экспортный, а стоит в области \"{}\"", method.name, region.name),
                    format!("Method \"{}\" is not exported but stands in region \"{}\"", method.name, region.name),
                );
                ctx.report(method.name_range.clone(), message);
            }
        }
    }
}
