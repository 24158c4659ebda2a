//! ExecuteExternalCode: `Выполнить` and `Вычислить` on the server.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::module_kind::ModuleKind;
use crate::rules::support::global_calls::is_global_call;
use crate::rules::util::enclosing_method;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `Выполнить(...)` and `Вычислить(...)` (`Execute`, `Eval`) in code that runs on the
/// server: object, manager, record set, common and session modules, and form methods marked
/// `&НаСервере`/`&НаСервереБезКонтекста`, standard 770. A vulnerability.
///
/// ## Why
/// Text executed on the server runs with the server's rights; when any part of it comes
/// from a user, it is arbitrary code. Such calls must run in safe mode
/// (`УстановитьБезопасныйРежим(Истина)`), and with the Standard Subsystems Library through
/// `ОбщегоНазначения.ВыполнитьВБезопасномРежиме`. A call that follows
/// `УстановитьБезопасныйРежим(Истина)` in the same method is not flagged.
pub struct ExecuteExternalCode;

static META: RuleMeta = RuleMeta {
    code: "ExecuteExternalCode",
    name_ru: "Выполнение произвольного кода на сервере",
    name_en: "Executing arbitrary code on the server",
    rule_type: RuleType::Vulnerability,
    severity: Severity::Critical,
    tags: &["standard", "error"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[
        ModuleKind::Common,
        ModuleKind::Object,
        ModuleKind::Manager,
        ModuleKind::RecordSet,
        ModuleKind::ValueManager,
        ModuleKind::Session,
        ModuleKind::Form,
    ],
};

impl Rule for ExecuteExternalCode {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["execute_statement", "call_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let executes = node.kind_str() == "execute_statement" || is_global_call(node, ctx.text(), &["Вычислить", "Eval"]);
        if !executes {
            return;
        }
        if ctx.module_kind() == ModuleKind::Form {
            let on_server = enclosing_method(node)
                .and_then(|m| ctx.module().method_at(m.start_byte()).and_then(|method| method.directive()));
            let server = matches!(
                on_server,
                Some(bsl_syntax::CompilationDirective::AtServer | bsl_syntax::CompilationDirective::AtServerNoContext)
            );
            if !server {
                return;
            }
        }
        // Safe mode switched on earlier in the same method covers the call.
        if let Some(method) = enclosing_method(node) {
            let before = &ctx.text()[method.start_byte()..node.start_byte()].to_lowercase();
            let safe = ["установитьбезопасныйрежим(истина)", "setsafemode(true)"];
            if safe.iter().any(|s| before.replace(' ', "").contains(s)) {
                return;
            }
        }
        let message = ctx.tr(
            "Выполнение произвольного кода на сервере: включите безопасный режим",
            "Arbitrary code is executed on the server: switch safe mode on",
        );
        ctx.report(node.byte_range(), message);
    }
}
