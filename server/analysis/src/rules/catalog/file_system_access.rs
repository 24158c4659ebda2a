//! FileSystemAccess: File system access.

use tree_sitter::Node;

use crate::rules::support::global_calls::{is_global_call, is_new_of};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags direct work with files: the objects `Новый Файл`, `ЧтениеТекста` and `ЗаписьТекста`,
/// and the global `КопироватьФайл`, `ПереместитьФайл`, `УдалитьФайлы`, `НайтиФайлы` and
/// `СоздатьКаталог` (and their English names). A security hotspot, off by default: switch it
/// on to review code that must not touch the file system.
///
/// ## Why
/// A path that comes from a user can point anywhere the 1C process may read or write.
///
/// ## Example
/// ```bsl
/// УдалитьФайлы(КаталогОбмена, "*.xml"); // flagged
/// ```
pub struct FileSystemAccess;

static META: RuleMeta = RuleMeta {
    code: "FileSystemAccess",
    name_ru: "Доступ к файловой системе",
    name_en: "File system access",
    rule_type: RuleType::SecurityHotspot,
    severity: Severity::Major,
    tags: &["security"],
    minutes_to_fix: 15,
    enabled_by_default: false,
    params: &[],
    module_kinds: &[],
};

impl Rule for FileSystemAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["new_expression", "call_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        if is_new_of(node, text, &["Файл", "File", "ЧтениеТекста", "TextReader", "ЗаписьТекста", "TextWriter"])
            || is_global_call(
                node,
                text,
                &[
                    "КопироватьФайл",
                    "FileCopy",
                    "ПереместитьФайл",
                    "MoveFile",
                    "УдалитьФайлы",
                    "DeleteFiles",
                    "НайтиФайлы",
                    "FindFiles",
                    "СоздатьКаталог",
                    "CreateDirectory",
                ],
            )
        {
            let message = ctx.tr(
                "Обращение к файловой системе: проверьте, откуда берётся путь",
                "File system access: check where the path comes from",
            );
            ctx.report(node.byte_range(), message);
        }
    }
}
