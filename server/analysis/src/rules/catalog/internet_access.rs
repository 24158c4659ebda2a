//! InternetAccess: Access to Internet resources.

use tree_sitter::Node;

use crate::rules::support::global_calls::is_new_of;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags objects that reach the network: `Новый HTTPСоединение`, `FTPСоединение`,
/// `ИнтернетПочта`, `WSОпределения`, `WSПрокси` (and the English names). A security hotspot.
///
/// ## Why
/// Every outgoing connection is a place where data leaves the application and where an
/// address may come from a user. Review that the address is trusted, the connection is
/// encrypted and a timeout is set.
///
/// ## Example
/// ```bsl
/// Соединение = Новый HTTPСоединение(Сервер, 443, , , , 30, Новый ЗащищенноеСоединениеOpenSSL); // flagged
/// ```
pub struct InternetAccess;

static META: RuleMeta = RuleMeta {
    code: "InternetAccess",
    name_ru: "Обращение к Интернет-ресурсам",
    name_en: "Access to Internet resources",
    rule_type: RuleType::SecurityHotspot,
    severity: Severity::Critical,
    tags: &["security"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for InternetAccess {
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
        if is_new_of(
            node,
            text,
            &[
                "HTTPСоединение",
                "HTTPConnection",
                "FTPСоединение",
                "FTPConnection",
                "ИнтернетПочта",
                "InternetMail",
                "WSОпределения",
                "WSDefinitions",
                "WSПрокси",
                "WSProxy",
            ],
        ) {
            let message = ctx.tr(
                "Обращение к сети: проверьте адрес, шифрование и таймаут",
                "Network access: check the address, encryption and timeout",
            );
            ctx.report(node.byte_range(), message);
        }
    }
}
