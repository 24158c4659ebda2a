//! ProcedureReturnsValue: `Возврат <значение>` inside a procedure.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::rules::util::enclosing_method;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `Возврат <значение>` (`Return <value>`) inside a `Процедура`.
///
/// ## Why
/// A procedure has no value to give back; the platform refuses to compile a module with such
/// a return. It usually means the method was meant to be a function, or the value is a
/// leftover.
///
/// ## Example
/// ```bsl
/// Процедура Проверить()
///     Возврат Истина; // flagged
/// КонецПроцедуры
/// ```
///
/// ## Fix
/// Drops the value and keeps a bare `Возврат`.
pub struct ProcedureReturnsValue;

static META: RuleMeta = RuleMeta {
    code: "ProcedureReturnsValue",
    name_ru: "Процедура не должна возвращать значение",
    name_en: "A procedure must not return a value",
    rule_type: RuleType::Error,
    severity: Severity::Blocker,
    tags: &["error"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for ProcedureReturnsValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["return_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(value) = node.field("value") else { return };
        let Some(method) = enclosing_method(node) else { return };
        if method.field("kind").is_none_or(|k| k.kind_str() != "procedure") {
            return;
        }
        let keyword_end = node.child(0).map_or(node.start_byte(), |k| k.end_byte());
        let message = ctx.tr("Процедура не может возвращать значение", "A procedure cannot return a value");
        let fix = ctx.fix(
            "Убрать возвращаемое значение",
            "Remove the returned value",
            vec![Edit { range: keyword_end..value.end_byte(), new_text: String::new() }],
        );
        ctx.report(node.byte_range(), message).fix = Some(fix);
    }
}
