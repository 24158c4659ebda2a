//! DeprecatedMessage: messages to the user through the global `Сообщить`.

use tree_sitter::Node;

use crate::rules::support::global_calls::is_global_call;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags calls of the global `Сообщить(...)` (`Message(...)`), standard 418.
///
/// ## Why
/// `Сообщить` prints a line and forgets it: the message cannot point at the form field it is
/// about, is lost when called during a background job or a server call that ends in an
/// error, and cannot carry data. `Новый СообщениеПользователю` (or, with the Standard
/// Subsystems Library, `ОбщегоНазначения.СообщитьПользователю`) binds the message to a
/// field and survives until the client shows it.
///
/// ## Example
/// ```bsl
/// Сообщить("Не заполнена дата"); // flagged
/// ```
/// Use instead:
/// ```bsl
/// ОбщегоНазначения.СообщитьПользователю(НСтр("ru = 'Не заполнена дата'"), , "Объект.Дата");
/// ```
/// OneScript's `Сообщить` writes to the console and is how scripts print, so OneScript
/// modules are not checked.
pub struct DeprecatedMessage;

static META: RuleMeta = RuleMeta {
    code: "DeprecatedMessage",
    name_ru: "Ограничение на использование устаревшего метода Сообщить",
    name_en: "Restriction on the use of the deprecated Message method",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "deprecated"],
    minutes_to_fix: 2,
    enabled_by_default: true,
    params: &[],
    module_kinds: crate::ModuleKind::PLATFORM,
};

impl Rule for DeprecatedMessage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        if is_global_call(node, ctx.text(), &["Сообщить", "Message"]) {
            let message = ctx.tr(
                "Используйте СообщениеПользователю вместо устаревшего Сообщить()",
                "Use UserMessage instead of the deprecated Message()",
            );
            ctx.report(node.byte_range(), message);
        }
    }
}
