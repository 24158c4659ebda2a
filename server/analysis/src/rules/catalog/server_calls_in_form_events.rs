//! ServerCallsInFormEvents: server calls from handlers of a form's frequent activation events.

use bsl_syntax::NodeExt;
use std::collections::{HashMap, HashSet};

use bsl_syntax::CompilationDirective;
use tree_sitter::Node;

use crate::module_kind::ModuleKind;
use crate::rules::support::a_names::fold;
use crate::rules::util::{call_object, called_name};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags, in form modules, server calls made by client handlers of the activation events
/// that fire on every move of the cursor: `ПриАктивизацииСтроки`, `ПриАктивизацииЯчейки`,
/// `ПриАктивизацииПоля`, `ПриАктивизацииОбласти` and `ПриАктивизации` (and the English
/// names). A server call is a call of a `&НаСервере` or `&НаСервереБезКонтекста` method of
/// the module, a call of a method of a `...ВызовСервера` common module, or a call of a
/// client method of the module that (directly or through other client methods) makes one.
///
/// ## Why
/// The user moves through a list with the arrow keys; each step fires the event, and each
/// server call is a round trip over the network. On a slow connection the list stops
/// responding. Attach an idle handler instead (`ПодключитьОбработчикОжидания("...", 0.1,
/// Истина)`) and call the server from it, once the cursor stops.
///
/// ## How handlers are recognized
/// The form binds handlers by name in its description; this rule recognizes them by the
/// platform's default name (the element's name followed by the event's, e.g.
/// `СписокПриАктивизацииСтроки`), a `&НаКлиенте` directive and at least one parameter (the
/// element).
///
/// ## Example
/// ```bsl
/// &НаКлиенте
/// Процедура СписокПриАктивизацииСтроки(Элемент)
///     ОбновитьКартинкуНаСервере(); // flagged
/// КонецПроцедуры
/// ```
pub struct ServerCallsInFormEvents;

static META: RuleMeta = RuleMeta {
    code: "ServerCallsInFormEvents",
    name_ru: "Обращение к серверу в клиентских событиях формы",
    name_en: "Server calls in form events",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "performance"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[ModuleKind::Form],
};

/// Event names, Russian and English, that end a handler's default name.
const EVENTS: &[&str] = &[
    "ПриАктивизацииСтроки",
    "OnActivateRow",
    "ПриАктивизацииЯчейки",
    "OnActivateCell",
    "ПриАктивизацииПоля",
    "OnActivateField",
    "ПриАктивизацииОбласти",
    "OnActivateArea",
    "ПриАктивизации",
    "OnActivate",
];

/// How deep calls through client methods are followed.
const DEPTH: usize = 4;

impl Rule for ServerCallsInFormEvents {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let module = ctx.module();
        let mut server: HashSet<String> = HashSet::new();
        let mut client: HashMap<String, Node<'_>> = HashMap::new();
        let mut handlers: Vec<Node<'_>> = Vec::new();
        let root = ctx.parse().root();
        for node in ctx.children(root).iter().copied().filter(|n| n.kind_str() == "method_declaration") {
            let Some(method) = module.method_at(node.start_byte()) else { continue };
            let name = fold(&method.name);
            match method.directive() {
                Some(CompilationDirective::AtServer | CompilationDirective::AtServerNoContext) => {
                    server.insert(name);
                }
                Some(CompilationDirective::AtClient) => {
                    if !method.parameters.is_empty() && is_activation_handler(&name) {
                        handlers.push(node);
                    }
                    client.insert(name, node);
                }
                _ => {}
            }
        }
        if handlers.is_empty() {
            return;
        }
        let mut found = Vec::new();
        for handler in handlers {
            for call in calls(handler) {
                let mut visited = HashSet::new();
                if let Some(target) = server_call(call, text, &server, &client, &mut visited, 0) {
                    found.push((call.byte_range(), target));
                }
            }
        }
        for (range, target) in found {
            let name = text[range.clone()].split('(').next().unwrap_or("").trim().to_string();
            let message = if name == target {
                ctx.tr(
                    format!("Вызов сервера \"{target}\" в обработчике активизации: перенесите в обработчик ожидания"),
                    format!("Server call \"{target}\" in an activation handler: move it to an idle handler"),
                )
            } else {
                ctx.tr(
                    format!("\"{name}\" вызывает сервер (\"{target}\") в обработчике активизации"),
                    format!("\"{name}\" calls the server (\"{target}\") in an activation handler"),
                )
            };
            ctx.report(range, message);
        }
    }
}

fn is_activation_handler(folded_name: &str) -> bool {
    EVENTS.iter().any(|event| folded_name.ends_with(&fold(event)))
}

/// The calls in a method's body, in document order.
fn calls(method: Node<'_>) -> Vec<Node<'_>> {
    let Some(body) = method.field("body") else { return Vec::new() };
    bsl_syntax::walk::preorder(body).filter(|n| n.kind_str() == "call_expression").collect()
}

/// The server method a call reaches, if it does: itself, or through client methods.
fn server_call(
    call: Node<'_>,
    text: &str,
    server: &HashSet<String>,
    client: &HashMap<String, Node<'_>>,
    visited: &mut HashSet<String>,
    depth: usize,
) -> Option<String> {
    let name = called_name(call, text)?;
    if let Some(object) = call_object(call) {
        let object = &text[object.byte_range()];
        let is_server_module = object.chars().all(|c| c.is_alphanumeric() || c == '_')
            && (fold(object).ends_with("вызовсервера") || fold(object).ends_with("servercall"));
        return is_server_module.then(|| format!("{object}.{name}"));
    }
    let folded = fold(name);
    if server.contains(&folded) {
        return Some(name.to_string());
    }
    if depth >= DEPTH || !visited.insert(folded.clone()) {
        return None;
    }
    let method = client.get(&folded)?;
    calls(*method).into_iter().find_map(|inner| server_call(inner, text, server, client, visited, depth + 1))
}
