//! UsingHardcodePath: absolute file paths written into string literals.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::r2_strings::{string_value, word_list};
use crate::rules::util::{called_name, is_any};
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags string literals that hold an absolute file path: a Windows path from a drive
/// (`C:\Обмен`, `d:/data`), a network share (`\\server\share`) or a Unix path from one of
/// the standard top-level folders with a name below it (`/home/user`, `/tmp/обмен`,
/// `/var/log/...`, `/opt/...`).
///
/// ## Why
/// A path written into the code holds only on the computer it was written for: another
/// server has other disks, another user has another home folder, Linux has no `C:`. Paths
/// belong to settings, or come from the platform: `КаталогВременныхФайлов()`,
/// `ПолучитьИмяВременногоФайла()`, `КаталогДокументов()`, `РабочийКаталогДанныхПользователя()`.
///
/// ## What is not flagged
/// * Relative paths, and `/` inside URLs, query texts, regular expressions or dates.
/// * A standard Unix folder alone, with nothing below it (`"/bin"`, `"/tmp"`,
///   `"/sys/" + ИмяМетода`): such strings are as often keys, aliases or resources of an HTTP
///   service as paths.
/// * Device and interpreter paths that are the same on every Unix system: `/dev/null`,
///   `/dev/stdout` and the other standard streams, `/bin/sh`, `/bin/bash`, `/usr/bin/env`;
///   Windows device names (`\\.\PhysicalDrive0`, `\\?\...`).
/// * Texts shown to the user through `НСтр` (`NStr`): a path there is an example in a hint.
///
/// ## Example
/// ```bsl
/// ЗаписьТекста = Новый ЗаписьТекста("C:\Обмен\выгрузка.txt"); // flagged
/// КаталогЛогов = "/var/log/exchange/"; // flagged
/// ```
pub struct UsingHardcodePath;

static META: RuleMeta = RuleMeta {
    code: "UsingHardcodePath",
    name_ru: "Хранение путей к файлам в коде",
    name_en: "Hardcoded file path",
    rule_type: RuleType::Error,
    severity: Severity::Critical,
    tags: &["standard"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "searchWordsStdPathsUnix",
        default: ParamDefault::Str(
            "bin|boot|dev|etc|home|lib|lib64|media|mnt|opt|proc|root|run|sbin|srv|sys|tmp|usr|var",
        ),
        description_ru: "Корневые каталоги Unix через |, с которых начинается абсолютный путь",
        description_en: "Top-level Unix folders that start an absolute path, separated by |",
    }],
    module_kinds: &[],
};

/// Paths that name the same thing on every system.
const UNIVERSAL: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/stdin",
    "/dev/stdout",
    "/dev/stderr",
    "/dev/tty",
    "/dev/random",
    "/dev/urandom",
    "/bin/sh",
    "/bin/bash",
    "/usr/bin/env",
];

impl Rule for UsingHardcodePath {
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
        if !raw.contains(":\\") && !raw.contains(":/") && !raw.contains("\\\\") && !raw.contains('/') {
            return;
        }
        if in_nstr(node, text) {
            return;
        }
        let value = string_value(node, text);
        let unix = word_list(&ctx.param_str("searchWordsStdPathsUnix"));
        let Some(path) = find_path(&value, &unix) else { return };
        let message = ctx.tr(
            format!("Путь \"{path}\" в коде: получайте его из настроек или от платформы"),
            format!("Path \"{path}\" in the code: take it from settings or from the platform"),
        );
        ctx.report(node.byte_range(), message);
    }
}

/// Whether the literal is the text of `НСтр(...)`.
fn in_nstr(node: Node<'_>, text: &str) -> bool {
    node.parent().filter(|p| p.kind_str() == "arguments").and_then(|a| a.parent()).is_some_and(|call| {
        call.kind_str() == "call_expression" && called_name(call, text).is_some_and(|n| is_any(n, &["НСтр", "NStr"]))
    })
}

/// Characters after which a path may start inside a longer text.
fn starts_path(previous: Option<char>) -> bool {
    previous.is_none_or(|c| c.is_whitespace() || "\"'=(,;[{<".contains(c))
}

/// The first absolute path in `value`, up to the next quote, `;`, `|` or line end.
fn find_path<'v>(value: &'v str, unix: &[String]) -> Option<&'v str> {
    let mut previous = None;
    for (at, c) in value.char_indices() {
        let here = &value[at..];
        if starts_path(previous) {
            let found = if c.is_ascii_alphabetic() {
                windows_drive(here)
            } else if c == '\\' {
                unc(here)
            } else if c == '/' {
                unix_path(here, unix)
            } else {
                false
            };
            if found {
                let end = here.find(['"', '\'', '\n', ';', '|']).unwrap_or(here.len());
                let path = here[..end].trim_end();
                if !UNIVERSAL.iter().any(|u| path.eq_ignore_ascii_case(u) || path.split_whitespace().next() == Some(u))
                {
                    return Some(path);
                }
            }
        }
        previous = Some(c);
    }
    None
}

/// `C:\...` or `C:/x...`.
fn windows_drive(here: &str) -> bool {
    let bytes = here.as_bytes();
    bytes.len() >= 3
        && bytes[1] == b':'
        && (bytes[2] == b'\\' || (bytes[2] == b'/' && bytes.get(3).is_some_and(|b| *b != b'/')))
}

/// `\\server\share`, not the device names `\\.\` and `\\?\`.
fn unc(here: &str) -> bool {
    let Some(rest) = here.strip_prefix("\\\\") else { return false };
    let server_len = rest.find('\\').unwrap_or(0);
    let server = &rest[..server_len];
    server_len > 0
        && server != "."
        && server != "?"
        && server.chars().all(|c| c.is_alphanumeric() || ".-_$".contains(c))
        && rest[server_len + 1..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$')
}

/// `/tmp/обмен`, `/home/user`: one of the standard top-level folders and at least one name
/// below it. A folder alone (`"/bin"`, `"/sys/" + Метод`) is as often a key, an alias or a
/// resource of an HTTP service as a path.
fn unix_path(here: &str, unix: &[String]) -> bool {
    let rest = &here[1..];
    let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '_')).unwrap_or(rest.len());
    let name = rest[..name_len].to_ascii_lowercase();
    let below = rest[name_len..].strip_prefix('/');
    !name.is_empty()
        && unix.contains(&name)
        && below.is_some_and(|b| b.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.'))
}
