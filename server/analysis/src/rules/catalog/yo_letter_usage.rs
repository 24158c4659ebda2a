//! YoLetterUsage: the letter `ё` in names.

use tree_sitter::Node;

use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags names (of variables, methods, parameters, members) that contain `ё` or `Ё`,
/// standard 456.
///
/// ## Why
/// Half of the code base types `е` where the other half types `ё`, so `Счётчик` and
/// `Счетчик` become two different names, and a search for one misses the other. Strings
/// and comments may use `ё` freely; only names are checked.
///
/// ## Example
/// ```bsl
/// Счётчик = 0; // flagged
/// ```
pub struct YoLetterUsage;

static META: RuleMeta = RuleMeta {
    code: "YoLetterUsage",
    name_ru: "Использование буквы \"ё\" в текстах модулей",
    name_en: "Using the letter \"ё\" in names",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for YoLetterUsage {
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
        if name.contains(['ё', 'Ё']) {
            let message = ctx.tr(
                format!("Имя \"{name}\" содержит букву \"ё\""),
                format!("Name \"{name}\" contains the letter \"ё\""),
            );
            ctx.report(node.byte_range(), message);
        }
    }
}
