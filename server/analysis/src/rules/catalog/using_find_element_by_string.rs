//! UsingFindElementByString: finding catalog items by a literal name or code.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::util::{arguments, call_object, called_name, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `.НайтиПоНаименованию("...")` and `.НайтиПоКоду("...")` (`FindByDescription`,
/// `FindByCode`) with a string literal.
///
/// ## Why
/// A name or a code typed into the code ties it to one database's data: the item may be
/// renamed, recoded or absent in another database, and the search then silently returns an
/// empty reference. Predefined items, constants or settings say what is meant and survive.
///
/// ## Example
/// ```bsl
/// Рубль = Справочники.Валюты.НайтиПоКоду("643"); // flagged
/// ```
pub struct UsingFindElementByString;

static META: RuleMeta = RuleMeta {
    code: "UsingFindElementByString",
    name_ru: "Использование методов поиска элементов по строке",
    name_en: "Finding items by a literal string",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "badpractice", "performance"],
    minutes_to_fix: 2,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for UsingFindElementByString {
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
        let text = ctx.text();
        let Some(name) = called_name(node, text) else { return };
        let searches = ["НайтиПоНаименованию", "НайтиПоКоду", "FindByDescription", "FindByCode"];
        if call_object(node).is_none() || !is_any(name, &searches) {
            return;
        }
        if arguments(node).first().is_some_and(|first| first.kind_str() == "string") {
            let message = ctx.tr(
                format!("Поиск элемента по строковой константе ({name})"),
                format!("An item is found by a literal string ({name})"),
            );
            ctx.report(node.byte_range(), message);
        }
    }
}
