//! UnusedLocalMethod: a non-exported method that nothing in its module refers to.


use bsl_syntax::AnnotationKind;

use crate::module_kind::ModuleKind;
use crate::rules::support::a_handlers::is_event_handler;
use crate::rules::support::a_names::{PartNames, fold_hash};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a method without `Экспорт` that nothing in its own module calls or names: it can
/// only be dead code, since a non-exported method is invisible outside its module.
///
/// A method counts as used when its name appears anywhere in the module outside its own
/// body: a call, `ДобавитьОбработчик`, or a string literal, because handlers are attached
/// by name (`Новый ОписаниеОповещения("ПослеВыбора", ЭтотОбъект)`,
/// `ПодключитьОбработчикОжидания("Обновить", 1)`). A method that only calls itself is
/// still unused.
///
/// ## Why
/// Dead methods cost reading time, keep stale dependencies alive, and hide from searches
/// the fact that nobody needs them.
///
/// ## Example
/// ```bsl
/// Функция СтарыйРасчет(Сумма) // flagged: nothing calls it
///     Возврат Сумма * 2;
/// КонецФункции
/// ```
///
/// ## Exceptions
/// - Form and command modules are not checked: their handlers are bound in metadata. Nor
///   are modules of an unknown kind (web and HTTP services, loose files), whose methods
///   may be operations bound in metadata too.
/// - Methods with an annotation other than a compilation directive (`&Перед`, `&После`,
///   `&Вместо`, `&ИзменениеИКонтроль` in extensions, OneScript's own annotations).
/// - Event handlers the platform calls by name in object, manager, record set, value
///   manager, session and application modules (`ПередЗаписью`, `ОбработкаПроведения`,
///   `ОбработкаПолученияДанныхВыбора`, `ПриНачалеРаботыСистемы`, ...), business process
///   route point handlers (`<Точка>ПриСозданииЗадач`, `<Точка>ПроверкаУсловия`, ...),
///   settings storage handlers, and OneScript's `ПриСозданииОбъекта`.
pub struct UnusedLocalMethod;

static META: RuleMeta = RuleMeta {
    code: "UnusedLocalMethod",
    name_ru: "Неиспользуемый локальный метод",
    name_en: "Unused local method",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "suspicious", "unused"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[
        ModuleKind::Common,
        ModuleKind::Object,
        ModuleKind::Manager,
        ModuleKind::RecordSet,
        ModuleKind::ValueManager,
        ModuleKind::Session,
        ModuleKind::Application,
        ModuleKind::ManagedApplication,
        ModuleKind::OrdinaryApplication,
        ModuleKind::ExternalConnection,
        ModuleKind::OneScriptClass,
        ModuleKind::OneScriptModule,
    ],
};

impl Rule for UnusedLocalMethod {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let module = ctx.module();
        let kind = ctx.module_kind();
        let candidates: Vec<_> = module
            .methods
            .iter()
            .filter(|m| !m.export && !m.name.is_empty())
            .filter(|m| m.annotations.iter().all(|a| matches!(a.kind, AnnotationKind::Directive(_))))
            .filter(|m| !is_event_handler(&m.name, kind))
            .collect();
        if candidates.is_empty() {
            return;
        }
        // In how many top-level parts (methods, statements of the module body) each name is
        // mentioned, kept across edits so an edit re-counts only the parts it changed.
        let counts = PartNames::counts(ctx);
        let mut unused = Vec::new();
        for method in candidates {
            let name = fold_hash(&method.name);
            let mentioned = counts.mentions.get(&name).copied().unwrap_or(0);
            // A method that only calls itself is still unused.
            let in_own = mentioned == 1
                && PartNames::holding_part(ctx, method.name_range.start)
                    .is_some_and(|(_, names)| names.mentions.contains(&name));
            if mentioned <= in_own as i64 {
                unused.push((method.name.clone(), method.name_range.clone()));
            }
        }
        for (name, range) in unused {
            let message = ctx.tr(
                format!("Метод \"{name}\" не используется в модуле"),
                format!("Method \"{name}\" is not used in the module"),
            );
            ctx.report(range, message);
        }
    }
}
