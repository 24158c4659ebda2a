//! UnusedParameters: a parameter the method body never uses.

use bsl_syntax::NodeExt;
use std::ops::Range;

use bsl_syntax::AnnotationKind;
use tree_sitter::Node;

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
fn is_stub(body: Node<'_>) -> bool {
    let mut cursor = body.walk();
    body.named_children(&mut cursor)
        .filter(|c| !c.is_extra())
        .all(|c| c.kind_str() == "return_statement" && c.field("value").is_none())
}

/// The parameters of the method named at `name_at` in `part` that its body never reads
/// (offsets relative to the part's start); none for a stub or a body that runs code from a
/// string, where a parameter may be read by name.
fn unread_parameters(part: Node<'_>, names: &PartNames, text: &str, name_at: usize) -> Vec<(String, Range<usize>)> {
    let Some(method) = method_named_at(part, name_at) else { return Vec::new() };
    let Some(body) = method.field("body") else { return Vec::new() };
    let Some(parameters) = method.field("parameters") else { return Vec::new() };
    let mut cursor = parameters.walk();
    let unread: Vec<_> = parameters
        .named_children(&mut cursor)
        .filter(|p| p.kind_str() == "parameter")
        .filter_map(|p| p.field("name"))
        .filter(|name| !names.in_body.contains(&fold_hash(&text[name.byte_range()])))
        .map(|name| (text[name.byte_range()].to_string(), name.start_byte() - part.start_byte()..name.end_byte() - part.start_byte()))
        .collect();
    if unread.is_empty() || is_stub(body) || runs_dynamic_code(body, text) {
        return Vec::new();
    }
    unread
}

/// The method declaration in `part` (the part itself, or one inside an `ERROR` part)
/// whose name starts at `name_at`.
fn method_named_at(part: Node<'_>, name_at: usize) -> Option<Node<'_>> {
    let named = |m: &Node<'_>| m.kind_str() == "method_declaration" && m.field("name").is_some_and(|n| n.start_byte() == name_at);
    if named(&part) {
        return Some(part);
    }
    let mut cursor = part.walk();
    part.named_children(&mut cursor).find(named)
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
        // In how many top-level parts each name is called or handed over, kept across edits
        // so an edit re-counts only the parts it changed.
        let counts = PartNames::counts(ctx);
        let mut unused = Vec::new();
        for method in candidates {
            let name = fold_hash(&method.name);
            let called = counts.calls.contains_key(&name);
            let callback = counts.callbacks.contains_key(&name);
            if !called || callback {
                continue;
            }
            let Some((part, own)) = PartNames::holding_part(ctx, method.name_range.start) else {
                continue;
            };
            // Which parameters the body leaves unread (none for a stub or a body that runs
            // code from a string): a matter of the part's text alone, kept across edits.
            let start = ctx.facts.parts()[part].start_byte();
            let unused_here = ctx.memo_part(part, |part| unread_parameters(part, &own, text, method.name_range.start));
            let unused_here = unused_here.iter().map(|(name, range)| (name.clone(), range.start + start..range.end + start));
            unused.extend(unused_here);
        }
        for (name, range) in unused {
            let message =
                ctx.tr(format!("Параметр \"{name}\" не используется"), format!("Parameter \"{name}\" is not used"));
            ctx.report(range, message);
        }
    }
}
