//! NonStandardRegion: a top-level region whose name is not a section of the standard layout.

use crate::module_kind::ModuleKind;
use crate::rules::support::r1_regions::standard_regions;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a top-level `#Область` whose name is not one of the sections standard 455 lays out
/// for the kind of module it is in. Names are compared without regard to case, in Russian or
/// English (`СлужебныеПроцедурыИФункции` or `Private`).
///
/// ## Why
/// Every module of a configuration is split into the same few sections, so that a reader
/// knows where the interface ends and the internals begin, and tools can check that only
/// exported methods stand in the interface. A top-level region with a different name breaks
/// that map; nest it inside one of the standard sections instead.
///
/// The sections, by module kind:
///
/// | Module | Top-level regions |
/// | --- | --- |
/// | common | `ПрограммныйИнтерфейс`, `СлужебныйПрограммныйИнтерфейс`, `СлужебныеПроцедурыИФункции` |
/// | object, record set, value manager | `ОписаниеПеременных`, `ПрограммныйИнтерфейс`, `ОбработчикиСобытий`, `СлужебныйПрограммныйИнтерфейс`, `СлужебныеПроцедурыИФункции`, `Инициализация` |
/// | manager | `ПрограммныйИнтерфейс`, `ОбработчикиСобытий`, `СлужебныйПрограммныйИнтерфейс`, `СлужебныеПроцедурыИФункции` |
/// | form | `ОписаниеПеременных`, `ПрограммныйИнтерфейс`, `ОбработчикиСобытийФормы`, `ОбработчикиСобытийЭлементовШапкиФормы`, `ОбработчикиСобытийЭлементовТаблицыФормы<Таблица>`, `ОбработчикиКомандФормы`, `СлужебныеПроцедурыИФункции`, `Инициализация` |
/// | command | `ОбработчикиСобытий`, `СлужебныеПроцедурыИФункции` |
/// | session, application, external connection | `ОписаниеПеременных`, `ПрограммныйИнтерфейс`, `ОбработчикиСобытий`, `СлужебныйПрограммныйИнтерфейс`, `СлужебныеПроцедурыИФункции`, `Инициализация` |
///
/// The English names are `Variables`, `Public`, `EventHandlers`, `Internal`, `Private`,
/// `Initialize`, `FormEventHandlers`, `FormHeaderItemsEventHandlers`,
/// `FormTableItemsEventHandlers<Table>` and `FormCommandsEventHandlers`. Nested regions may be
/// named freely. OneScript modules and files whose kind is unknown are not checked.
///
/// ## Example
/// ```bsl
/// #Область Вспомогательные // flagged: not a section of a common module
/// #КонецОбласти
/// ```
pub struct NonStandardRegion;

static META: RuleMeta = RuleMeta {
    code: "NonStandardRegion",
    name_ru: "Нестандартные разделы модуля",
    name_en: "Non-standard module regions",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[
        ModuleKind::Common,
        ModuleKind::Object,
        ModuleKind::Manager,
        ModuleKind::Form,
        ModuleKind::Command,
        ModuleKind::RecordSet,
        ModuleKind::ValueManager,
        ModuleKind::Session,
        ModuleKind::Application,
        ModuleKind::ManagedApplication,
        ModuleKind::OrdinaryApplication,
        ModuleKind::ExternalConnection,
    ],
};

impl Rule for NonStandardRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let Some(standard) = standard_regions(ctx.module_kind()) else { return };
        let found: Vec<_> = ctx
            .module()
            .regions
            .iter()
            .filter(|r| r.depth == 0 && !r.name.is_empty() && !standard.iter().any(|s| s.matches(&r.name)))
            .map(|r| (r.name.clone(), r.name_range.clone()))
            .collect();
        for (name, range) in found {
            let message = ctx.tr(
                format!("Область \"{name}\" не входит в стандартную структуру модуля"),
                format!("Region \"{name}\" is not a section of the standard module structure"),
            );
            ctx.report(range, message);
        }
    }
}
