//! UnusedParameters: a parameter the method body never uses.

use bsl_syntax::NodeExt;
use crate::hashing::FastSet;

use bsl_syntax::AnnotationKind;

use crate::rules::support::a_handlers::is_event_handler;
use crate::rules::support::a_names::{PartNames, fold_hash, runs_dynamic_code};
use crate::rules::util::is_any;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a parameter that the method's body never reads or assigns.
///
/// ## Why
/// An unused parameter makes every caller compute and pass a value that changes nothing,
/// and misleads the reader into thinking it matters. It usually outlived a refactoring.
///
/// ## Example
/// ```bsl
/// Процедура ЗаполнитьШапку(Документ, Организация) // Организация is flagged
///     Документ.Дата = ТекущаяДатаСеанса();
/// КонецПроцедуры
/// ```
///
/// ## What is not checked
/// The rule looks only at methods whose signature is the module's own business: private
/// methods the module itself calls. Left alone are:
/// - exported methods: other modules depend on their signature;
/// - methods nothing in the module calls: platform event handlers and form handlers bound
///   in metadata (their parameters are fixed by the platform), or dead code, which
///   `UnusedLocalMethod` reports;
/// - methods named in a string or in `ДобавитьОбработчик`: callbacks whose parameters are
///   fixed by the caller;
/// - event handlers of object, manager, record set and application modules, methods with
///   extension or OneScript annotations, and in form modules methods with the parameters
///   of an item or command handler (`Элемент`, `Команда`, `СтандартнаяОбработка`, ...);
/// - methods with an empty body, or one that is only `Возврат;`: a stub keeps its signature
///   on purpose;
/// - methods that run code from strings (`Выполнить`, `Вычислить`), which can read any
///   name.
pub struct UnusedParameters;

static META: RuleMeta = RuleMeta {
    code: "UnusedParameters",
    name_ru: "Неиспользуемый параметр",
    name_en: "Unused parameter",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["design"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

/// Parameter names of form item and command handlers, whose signature the platform fixes.
const HANDLER_PARAMETERS: &[&str] = &[
    "Элемент",
    "Item",
    "Команда",
    "Command",
    "СтандартнаяОбработка",
    "StandardProcessing",
    "ВыбраннаяСтрока",
    "SelectedRow",
    "Поле",
    "Field",
    "ДанныеСобытия",
    "EventData",
];

/// A body that is only `Возврат;`: a stub that keeps its signature on purpose.
fn is_stub(body: tree_sitter::Node<'_>) -> bool {
    let mut cursor = body.walk();
    body.named_children(&mut cursor)
        .filter(|c| !c.is_extra())
        .all(|c| c.kind_str() == "return_statement" && c.field("value").is_none())
}

impl Rule for UnusedParameters {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let module = ctx.module();
        let kind = ctx.module_kind();
        let candidates: Vec<_> = module
            .methods
            .iter()
            .filter(|m| !m.export && !m.parameters.is_empty() && m.body_range.is_some())
            .filter(|m| m.annotations.iter().all(|a| matches!(a.kind, AnnotationKind::Directive(_))))
            .filter(|m| !is_event_handler(&m.name, kind))
            .filter(|m| !(kind.is_form() && m.parameters.iter().any(|p| is_any(&p.name, HANDLER_PARAMETERS))))
            .collect();
        if candidates.is_empty() {
            return;
        }
        let text = ctx.text();
        let root = ctx.parse().root();
        // What each top-level part of the module says about names, kept per part so an edit
        // re-reads only the part it changed.
        let parts = PartNames::of_every_part(ctx);
        let candidate_names: FastSet<u64> = candidates.iter().map(|m| fold_hash(&m.name)).collect();
        let calls: FastSet<u64> = parts
            .iter()
            .flat_map(|(_, p)| p.calls.iter().copied())
            .filter(|name| candidate_names.contains(name))
            .collect();
        let callbacks: FastSet<u64> = parts
            .iter()
            .flat_map(|(_, p)| p.callbacks.iter().copied())
            .filter(|name| candidate_names.contains(name))
            .collect();
        let mut unused = Vec::new();
        for method in candidates {
            let name = fold_hash(&method.name);
            let called = calls.contains(&name);
            let callback = callbacks.contains(&name);
            if !called || callback {
                continue;
            }
            let Some(body) = method.body_range.clone() else { continue };
            let Some(own) = PartNames::holding(&parts, method.name_range.start) else {
                continue;
            };

            let unused_here: Vec<_> = method
                .parameters
                .iter()
                .filter(|p| !own.in_body.contains(&fold_hash(&p.name)))
                .map(|p| (p.name.clone(), p.name_range.clone()))
                .collect();
            if unused_here.is_empty() {
                continue;
            }
            let Some(body_node) = root.descendant_for_byte_range(body.start, body.end) else { continue };
            if is_stub(body_node) || runs_dynamic_code(body_node, text) {
                continue;
            }
            unused.extend(unused_here);
        }
        for (name, range) in unused {
            let message =
                ctx.tr(format!("Параметр \"{name}\" не используется"), format!("Parameter \"{name}\" is not used"));
            ctx.report(range, message);
        }
    }
}
