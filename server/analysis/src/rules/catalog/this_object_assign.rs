//! ThisObjectAssign: assigning to `ЭтотОбъект`.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::util::is_any;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags assignments to `ЭтотОбъект` (`ThisObject`): `ЭтотОбъект = ...;`.
///
/// ## Why
/// `ЭтотОбъект` is the module's own object and cannot be replaced; in modern platform
/// versions the assignment is a compile error, in older ones it silently did nothing that
/// the author meant. The intent is usually to fill the object's attributes
/// (`ЗаполнитьЗначенияСвойств(ЭтотОбъект, Источник)`).
///
/// ## Example
/// ```bsl
/// ЭтотОбъект = Документы.Заказ.СоздатьДокумент(); // flagged
/// ```
pub struct ThisObjectAssign;

static META: RuleMeta = RuleMeta {
    code: "ThisObjectAssign",
    name_ru: "Присвоение значения свойству ЭтотОбъект",
    name_en: "Assigning to ThisObject",
    rule_type: RuleType::Error,
    severity: Severity::Blocker,
    tags: &["error"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for ThisObjectAssign {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["assignment_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(left) = node.field("left").filter(|l| l.kind_str() == "identifier") else { return };
        if is_any(ctx.node_text(left), &["ЭтотОбъект", "ThisObject"]) {
            let message = ctx.tr("Значение ЭтотОбъект нельзя заменить", "ThisObject cannot be replaced");
            ctx.report(node.byte_range(), message);
        }
    }
}
