//! TimeoutsInExternalResources: connections to external resources without a timeout.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::global_calls::is_new_of;
use crate::rules::support::r2_args::argument_at;
use crate::rules::util::{enclosing_method, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `Новый HTTPСоединение`, `FTPСоединение`, `WSОпределения` and `WSПрокси` (and the
/// English names) created without a timeout, or with a timeout of `0`, unless the same
/// method then sets the object's `Таймаут` property to something else. For
/// `ИнтернетПочтовыйПрофиль`, whose timeout has a non-zero default, flags an explicit
/// `Профиль.Таймаут = 0`. Standard 748.
///
/// ## Why
/// Without a timeout a call waits for an answer as long as the connection lives: a remote
/// server that hangs hangs the session, a background job or a user's client with it, and
/// holds its locks and its license. A timeout turns the hang into an error the code can
/// handle.
///
/// The timeout is the constructor's parameter number 6 for `HTTPСоединение` and
/// `WSПрокси`, 7 for `FTPСоединение` and 5 for `WSОпределения`. The array form
/// `Новый("HTTPСоединение", Параметры)` is not checked.
///
/// ## Example
/// ```bsl
/// Соединение = Новый HTTPСоединение(Сервер, 443, , , , , Новый ЗащищенноеСоединениеOpenSSL); // flagged
/// Соединение = Новый HTTPСоединение(Сервер, 443, , , , 60, Новый ЗащищенноеСоединениеOpenSSL); // fine
/// ```
pub struct TimeoutsInExternalResources;

static META: RuleMeta = RuleMeta {
    code: "TimeoutsInExternalResources",
    name_ru: "Таймауты при работе с внешними ресурсами",
    name_en: "Timeouts working with external resources",
    rule_type: RuleType::Error,
    severity: Severity::Critical,
    tags: &["standard", "unpredictable", "badpractice"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

/// Types and the position of the timeout among their constructor's parameters.
const TIMEOUT_AT: &[(&str, &str, usize)] = &[
    ("HTTPСоединение", "HTTPConnection", 5),
    ("FTPСоединение", "FTPConnection", 6),
    ("WSОпределения", "WSDefinitions", 4),
    ("WSПрокси", "WSProxy", 5),
];

const TIMEOUT: &[&str] = &["Таймаут", "Timeout"];

impl Rule for TimeoutsInExternalResources {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["new_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let Some(type_node) = node.field("type") else { return };
        let type_name = &text[type_node.byte_range()];
        let target = assigned_to(node, text);
        if is_new_of(node, text, &["ИнтернетПочтовыйПрофиль", "InternetMailProfile"]) {
            let Some(target) = target else { return };
            for (assignment, zero) in timeout_assignments(node, text, target) {
                if zero {
                    let message = ctx.tr(
                        "Таймаут почтового профиля 0: ожидание ответа сервера не ограничено",
                        "The mail profile's timeout is 0: waiting for the server is unlimited",
                    );
                    ctx.report(assignment.byte_range(), message);
                }
            }
            return;
        }
        let Some(&(_, _, position)) = TIMEOUT_AT.iter().find(|(ru, en, _)| is_any(type_name, &[ru, en])) else {
            return;
        };
        let zero = match argument_at(node, position) {
            Some(argument) if is_zero(argument, text) => true,
            Some(_) => return,
            None => false,
        };
        if let Some(target) = target
            && timeout_assignments(node, text, target).iter().any(|(_, zero)| !zero)
        {
            return;
        }
        let message = if zero {
            ctx.tr(
                format!("{type_name} с таймаутом 0: ожидание ответа не ограничено"),
                format!("{type_name} with a timeout of 0: waiting for an answer is unlimited"),
            )
        } else {
            ctx.tr(
                format!("{type_name} без таймаута: ожидание ответа не ограничено"),
                format!("{type_name} without a timeout: waiting for an answer is unlimited"),
            )
        };
        ctx.report(node.byte_range(), message);
    }
}

/// The variable or property the new object is assigned to, as written.
fn assigned_to<'a>(node: Node<'_>, text: &'a str) -> Option<&'a str> {
    let parent = node.parent().filter(|p| p.kind_str() == "assignment_statement")?;
    let left = parent.field("left")?;
    matches!(left.kind_str(), "identifier" | "member_expression").then(|| &text[left.byte_range()])
}

/// `<target>.Таймаут = ...` assignments after `node` in the same method, each with whether
/// the value is the literal `0`.
fn timeout_assignments<'t>(node: Node<'t>, text: &str, target: &str) -> Vec<(Node<'t>, bool)> {
    let Some(scope) = enclosing_method(node).or_else(|| {
        let mut top = node;
        while let Some(parent) = top.parent() {
            top = parent;
        }
        Some(top)
    }) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for candidate in bsl_syntax::walk::preorder(scope) {
        if candidate.kind_str() != "assignment_statement" || candidate.start_byte() < node.end_byte() {
            continue;
        }
        let Some(left) = candidate.field("left").filter(|l| l.kind_str() == "member_expression") else {
            continue;
        };
        let (Some(object), Some(property)) = (left.field("object"), left.field("property"))
        else {
            continue;
        };
        let same_object = bsl_syntax::keywords::eq_ignore_case(&text[object.byte_range()], target);
        if same_object && is_any(&text[property.byte_range()], TIMEOUT) {
            let zero = candidate.field("right").is_some_and(|r| is_zero(r, text));
            out.push((candidate, zero));
        }
    }
    out
}

fn is_zero(node: Node<'_>, text: &str) -> bool {
    node.kind_str() == "number"
        && text[node.byte_range()].trim_start_matches('0').trim_start_matches('.').trim_matches('0').is_empty()
}
