//! UsingThisForm: the old `ЭтаФорма` property in managed form modules.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::module_kind::ModuleKind;
use crate::rules::util::is_any;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `ЭтаФорма` (`ThisForm`) in form modules.
///
/// ## Why
/// In a managed form `ЭтаФорма` is kept for compatibility with ordinary forms; the form
/// module's own object is `ЭтотОбъект` (`ThisObject`), which reads the same in every kind
/// of module.
///
/// ## Example
/// ```bsl
/// ОткрытьФорму("ОбщаяФорма.Вопрос", , ЭтаФорма); // flagged
/// ```
///
/// Ordinary (non-managed) forms keep `ЭтаФорма`: a form module is taken for a managed one
/// only when its methods carry compilation directives, which ordinary forms do not use.
///
/// ## Fix
/// Replaces the name with `ЭтотОбъект` (`ThisObject` in English code).
pub struct UsingThisForm;

static META: RuleMeta = RuleMeta {
    code: "UsingThisForm",
    name_ru: "Использование устаревшего свойства ЭтаФорма",
    name_en: "Using the deprecated ThisForm property",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "deprecated"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[ModuleKind::Form],
};

impl Rule for UsingThisForm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["identifier"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let name = ctx.node_text(node);
        if !is_any(name, &["ЭтаФорма", "ThisForm"]) {
            return;
        }
        // `Объект.ЭтаФорма` is some object's property, not the form.
        if node
            .parent()
            .is_some_and(|p| p.kind_str() == "member_expression" && p.field("property") == Some(node))
        {
            return;
        }
        if !ctx.module().methods.iter().any(|m| m.directive().is_some()) {
            return;
        }
        let replacement = if is_any(name, &["ThisForm"]) { "ThisObject" } else { "ЭтотОбъект" };
        let message = ctx.tr(
            format!("Используйте \"ЭтотОбъект\" вместо \"{name}\""),
            format!("Use \"ThisObject\" instead of \"{name}\""),
        );
        let fix = ctx.fix(
            "Заменить на ЭтотОбъект",
            "Replace with ThisObject",
            vec![Edit { range: node.byte_range(), new_text: replacement.to_string() }],
        );
        ctx.report(node.byte_range(), message).fix = Some(fix);
    }
}
