//! UnusedParameters: a parameter the method body never uses.

use std::collections::HashMap;

use bsl_syntax::AnnotationKind;

use crate::rules::support::a_handlers::is_event_handler;
use crate::rules::support::a_names::{Role, fold, identifiers, runs_dynamic_code, string_words};
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
        .all(|c| c.kind() == "return_statement" && c.child_by_field_name("value").is_none())
}

impl Rule for UnusedParameters {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_>) {
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
        let mut mentions: HashMap<String, Vec<(usize, Role)>> = HashMap::new();
        // Folding every identifier costs an allocation: look only at those as long as a
        // candidate's or a parameter's name.
        let lengths: std::collections::HashSet<usize> = candidates
            .iter()
            .flat_map(|m| std::iter::once(m.name.len()).chain(m.parameters.iter().map(|p| p.name.len())))
            .collect();
        for (node, role) in identifiers(root) {
            if !matches!(role, Role::Other | Role::Declaration | Role::Member)
                && lengths.contains(&node.byte_range().len())
            {
                mentions.entry(fold(&text[node.byte_range()])).or_default().push((node.start_byte(), role));
            }
        }
        let strings = string_words(root, text, &lengths);
        let mut unused = Vec::new();
        for method in candidates {
            let name = fold(&method.name);
            let uses = mentions.get(&name).map(Vec::as_slice).unwrap_or_default();
            let called = uses.iter().any(|(_, role)| *role == Role::Call);
            let callback = uses.iter().any(|(_, role)| *role == Role::Handler) || strings.contains_key(&name);
            if !called || callback {
                continue;
            }
            let Some(body) = method.body_range.clone() else { continue };
            let mut unused_here = Vec::new();
            for parameter in &method.parameters {
                let folded = fold(&parameter.name);
                let used = mentions.get(&folded).is_some_and(|m| m.iter().any(|(at, _)| body.contains(at)));
                if !used {
                    unused_here.push((parameter.name.clone(), parameter.name_range.clone()));
                }
            }
            if unused_here.is_empty() {
                continue;
            }
            let Some(node) = root.descendant_for_byte_range(body.start, body.end) else { continue };
            if is_stub(node) || runs_dynamic_code(node, text) {
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
