//! UseLessForEach: a `Для Каждого` loop that never uses its variable.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::util::is_any;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `Для Каждого Элемент Из Коллекция Цикл` loops whose body never mentions `Элемент`.
///
/// ## Why
/// Such a loop repeats the same statements once per element without looking at the
/// element: either the body uses the wrong name (a bug), or the loop should be a counter
/// (`Для Индекс = 1 По Коллекция.Количество()`) or no loop at all.
pub struct UseLessForEach;

static META: RuleMeta = RuleMeta {
    code: "UseLessForEach",
    name_ru: "Бесполезный перебор коллекции",
    name_en: "Useless collection iteration",
    rule_type: RuleType::Error,
    severity: Severity::Critical,
    tags: &["clumsy"],
    minutes_to_fix: 2,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for UseLessForEach {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["for_each_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(variable) = node.field("variable") else { return };
        let name = ctx.node_text(variable);
        let mentions = |n: &Node<'_>| n.kind_str() == "identifier" && is_any(ctx.node_text(*n), &[name]);
        let facts = ctx.facts;
        let used = node.field("body").is_some_and(|body| match facts.subtree(body) {
            Some(nodes) => nodes.iter().any(|e| mentions(&e.node)),
            None => bsl_syntax::walk::preorder(body).any(|n| mentions(&n)),
        });
        // The first-element idiom reads the variable after the loop.
        let used_after = || match facts.flat_of(node) {
            Some((flat, at)) => {
                let mut method = flat.parent(at);
                while let Some(m) = method.filter(|&m| flat.nodes[m].kind_str() != "method_declaration") {
                    method = flat.parent(m);
                }
                method.is_some_and(|m| {
                    flat.subtree(m).iter().any(|e| e.node.start_byte() >= node.end_byte() && mentions(&e.node))
                })
            }
            None => crate::rules::util::enclosing_method(node).is_some_and(|method| {
                bsl_syntax::walk::preorder(method).any(|n| n.start_byte() >= node.end_byte() && mentions(&n))
            }),
        };
        if !used && !used_after() {
            let message = ctx.tr(
                format!("Переменная цикла \"{name}\" не используется в теле"),
                format!("Loop variable \"{name}\" is not used in the body"),
            );
            ctx.report(variable.byte_range(), message);
        }
    }
}
