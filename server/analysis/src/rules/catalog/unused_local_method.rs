//! UnusedLocalMethod: a non-exported method that nothing in its module refers to.

use std::collections::HashMap;

use bsl_syntax::AnnotationKind;

use crate::module_kind::ModuleKind;
use crate::rules::support::a_handlers::is_event_handler;
use crate::rules::support::a_names::{Role, fold, identifiers, string_words};
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

    fn check_module(&self, ctx: &mut RuleContext<'_>) {
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
        let text = ctx.text();
        let root = ctx.parse().root();
        // Where each name is mentioned, other than where a method or variable is declared.
        let mut mentions: HashMap<String, Vec<usize>> = HashMap::new();
        // Folding every identifier costs an allocation: look only at those as long as a
        // candidate's name.
        let lengths: std::collections::HashSet<usize> = candidates.iter().map(|m| m.name.len()).collect();
        for (node, role) in identifiers(root) {
            if matches!(role, Role::Other | Role::Declaration) || !lengths.contains(&node.byte_range().len()) {
                continue;
            }
            mentions.entry(fold(&text[node.byte_range()])).or_default().push(node.start_byte());
        }
        let strings = string_words(root, text, &lengths);
        let mut unused = Vec::new();
        for method in candidates {
            let name = fold(&method.name);
            let outside = |at: usize| !method.range.contains(&at);
            let called = mentions.get(&name).is_some_and(|at| at.iter().any(|&a| outside(a)));
            let named = strings.get(&name).is_some_and(|at| at.iter().any(|&a| outside(a)));
            if !called && !named {
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
