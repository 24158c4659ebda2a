//! TempFilesDir: building temporary file names from `КаталогВременныхФайлов()`.

use tree_sitter::Node;

use crate::rules::support::global_calls::is_global_call;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags calls of `КаталогВременныхФайлов()` (`TempFilesDir()`), standard 542.
///
/// ## Why
/// A name glued from the temporary folder and a constant or a counter collides when two
/// sessions run the same code on one server, and nobody deletes what it leaves behind.
/// `ПолучитьИмяВременногоФайла("xml")` gives a unique name, and the file is then deleted
/// with `УдалитьФайлы` when the work is done.
///
/// ## Example
/// ```bsl
/// ИмяФайла = КаталогВременныхФайлов() + "выгрузка.xml"; // flagged
/// ```
/// Use instead:
/// ```bsl
/// ИмяФайла = ПолучитьИмяВременногоФайла("xml");
/// ```
pub struct TempFilesDir;

static META: RuleMeta = RuleMeta {
    code: "TempFilesDir",
    name_ru: "Использование метода КаталогВременныхФайлов",
    name_en: "Using TempFilesDir()",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for TempFilesDir {
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
        if is_global_call(node, ctx.text(), &["КаталогВременныхФайлов", "TempFilesDir"]) {
            let message = ctx.tr(
                "Получайте имя временного файла через ПолучитьИмяВременногоФайла()",
                "Get temporary file names from GetTempFileName()",
            );
            ctx.report(node.byte_range(), message);
        }
    }
}
