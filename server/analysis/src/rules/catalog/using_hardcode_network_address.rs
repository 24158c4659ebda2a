//! UsingHardcodeNetworkAddress: URLs and IP addresses written into string literals.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::r2_addresses::find_address;
use crate::rules::support::r2_strings::{contains_any, enclosing_statement, string_value, word_list};
use crate::rules::util::{call_object, called_name, is_any};
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags string literals that hold a network address: a URL with a host (`http`, `https`,
/// `ftp`, `ftps`, `ws`, `wss`), an IPv4 address or an IPv6 address.
///
/// ## Why
/// An address written into the code is the same in every installation: moving a service,
/// switching to a test server or a proxy then needs a new release. Addresses belong to
/// settings (constants, registers, configuration files) where an administrator can change
/// them.
///
/// ## What is not flagged
/// * XML namespace and schema URIs, which identify a vocabulary and are never fetched:
///   `http://www.w3.org/...`, `http://schemas.xmlsoap.org/...` and similar, and 1C's package
///   namespaces such as `http://v8.1c.ru/8.1/data/core` or `http://www.1c.ru/SaaS/...`;
///   strings passed to `ФабрикаXDTO.Тип`, `ЗаписатьНачалоЭлемента`, `ЗаписатьАтрибут`,
///   `ЗаписатьXML`, `ПрочитатьXML` and `Пакеты.Получить`.
/// * Loopback addresses (`localhost`, `127.0.0.1`, `::1`), `0.0.0.0`, network masks and
///   example domains (`example.com`, `*.test`): they do not change between installations.
/// * A URL without a host (`"https://" + Сервер`) or with a placeholder (`http://<адрес>`).
/// * Dotted numbers that start with a number below 10 (`3.1.12.238`, `2.5.29.15`) unless
///   a port (`:8080`) or `//` marks them as an address: versions and object identifiers look
///   exactly like them.
/// * Statements that mention one of the words of `searchWordsExclusion` (versions,
///   namespaces, ...), and `Возврат` in a function whose name mentions one.
///
/// ## Example
/// ```bsl
/// Соединение = Новый HTTPСоединение("192.168.10.5", 8080); // flagged
/// Адрес = "https://api.service.ru/v2/orders"; // flagged
/// ```
/// Read the address from a setting instead:
/// ```bsl
/// Адрес = Константы.АдресСервиса.Получить();
/// ```
pub struct UsingHardcodeNetworkAddress;

static META: RuleMeta = RuleMeta {
    code: "UsingHardcodeNetworkAddress",
    name_ru: "Хранение сетевых адресов в коде",
    name_en: "Hardcoded network address",
    rule_type: RuleType::Vulnerability,
    severity: Severity::Critical,
    tags: &["standard"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "searchWordsExclusion",
        default: ParamDefault::Str("Верси|Version|Пространств|Namespace|xmlns|XDTO|ЗапуститьПриложение|RunApp"),
        description_ru: "Слова через |, при которых строка в инструкции не проверяется",
        description_en: "Words separated by |; a statement mentioning one is not checked",
    }],
    module_kinds: &[],
};

/// Calls whose string arguments are namespace URIs.
const NAMESPACE_CALLS: &[&str] = &[
    "Тип",
    "Type",
    "ЗаписатьНачалоЭлемента",
    "WriteStartElement",
    "ЗаписатьАтрибут",
    "WriteAttribute",
    "ЗаписатьXML",
    "WriteXML",
    "ПрочитатьXML",
    "ReadXML",
    "ЗаписатьСоответствиеПространстваИмен",
    "WriteNamespaceMapping",
];

impl Rule for UsingHardcodeNetworkAddress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["string"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let raw = &text[node.byte_range()];
        // Cheap test first: every address has `://`, a dot between digits or a colon.
        if !raw.contains("://") && !raw.contains(':') && !has_digit_dot(raw) {
            return;
        }
        let value = string_value(node, text);
        let Some(address) = find_address(&value) else { return };
        if namespace_argument(node, text) || excluded_by_context(node, ctx) {
            return;
        }
        let message = ctx.tr(
            format!("Сетевой адрес \"{address}\" в коде: вынесите его в настройки"),
            format!("Network address \"{address}\" in the code: move it to settings"),
        );
        ctx.report(node.byte_range(), message);
    }
}

fn has_digit_dot(raw: &str) -> bool {
    raw.as_bytes().windows(2).any(|w| w[0].is_ascii_digit() && w[1] == b'.')
}

/// Whether the literal is a direct argument of a call that takes a namespace URI.
fn namespace_argument(node: Node<'_>, text: &str) -> bool {
    let Some(call) = node.parent().filter(|p| p.kind_str() == "arguments").and_then(|a| a.parent()) else {
        return false;
    };
    if call.kind_str() != "call_expression" {
        return false;
    }
    let name = called_name(call, text).unwrap_or("");
    if is_any(name, NAMESPACE_CALLS) {
        return true;
    }
    let packages = call_object(call).is_some_and(|o| {
        let object = &text[o.byte_range()];
        let last = object.rsplit('.').next().unwrap_or(object);
        is_any(last, &["Пакеты", "Packages"])
    });
    packages && is_any(name, &["Получить", "Get"])
}

fn excluded_by_context(node: Node<'_>, ctx: &RuleContext<'_, '_>) -> bool {
    let words = word_list(&ctx.param_str("searchWordsExclusion"));
    if words.is_empty() {
        return false;
    }
    let text = ctx.text();
    let context = match enclosing_statement(node) {
        Some(statement) => &text[statement.byte_range()],
        None => {
            let start = text[..node.start_byte()].rfind('\n').map_or(0, |i| i + 1);
            let end = text[node.end_byte()..].find('\n').map_or(text.len(), |i| node.end_byte() + i);
            &text[start..end]
        }
    };
    if contains_any(&context.to_lowercase(), &words) {
        return true;
    }
    let returned = enclosing_statement(node).is_some_and(|s| s.kind_str() == "return_statement");
    returned && ctx.module().method_at(node.start_byte()).is_some_and(|m| contains_any(&m.name.to_lowercase(), &words))
}
