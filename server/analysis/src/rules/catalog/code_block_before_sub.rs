//! CodeBlockBeforeSub: module-level statements placed before method declarations.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::module_kind::ModuleKind;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags executable statements at module level that stand before (or between) method
/// declarations.
///
/// ## Why
/// A module is laid out as variables, then methods, then the module's main program, which
/// runs when the module is initialised. The platform refuses statements placed before a
/// method ("Процедуры и функции должны быть описаны до исполняемых операторов"), and a
/// reader looking for the initialisation code looks at the end of the module.
///
/// ## Example
/// ```bsl
/// Перем Кэш;
/// Кэш = Новый Соответствие; // flagged: statements before a method
///
/// Процедура Очистить()
///     Кэш.Очистить();
/// КонецПроцедуры
/// ```
/// Move the statement to the end of the module:
/// ```bsl
/// Перем Кэш;
///
/// Процедура Очистить()
///     Кэш.Очистить();
/// КонецПроцедуры
///
/// Кэш = Новый Соответствие;
/// ```
///
/// Module variable declarations (`Перем`) before methods are fine. OneScript modules are
/// not checked: scripts put their statements first.
pub struct CodeBlockBeforeSub;

static META: RuleMeta = RuleMeta {
    code: "CodeBlockBeforeSub",
    name_ru: "Определения методов должны размещаться перед операторами тела модуля",
    name_en: "Method definitions must be placed before the module body statements",
    rule_type: RuleType::Error,
    severity: Severity::Blocker,
    tags: &["error"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: ModuleKind::PLATFORM,
};

impl Rule for CodeBlockBeforeSub {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let root = ctx.parse().root();
        let children: Vec<Node<'_>> =
            ctx.children(root).iter().copied().filter(|c| c.is_named() && !c.is_extra()).collect();
        let Some(last_method) = children.iter().rposition(|c| c.kind_str() == "method_declaration") else { return };
        // Runs of statements before the last method, each reported once.
        let mut runs = Vec::new();
        let mut current: Option<std::ops::Range<usize>> = None;
        for child in &children[..last_method] {
            if child.kind_str().ends_with("_statement") {
                match &mut current {
                    Some(run) => run.end = child.end_byte(),
                    None => current = Some(child.byte_range()),
                }
            } else if child.kind_str() == "method_declaration" {
                runs.extend(current.take());
            }
        }
        runs.extend(current);
        for range in runs {
            let message = ctx.tr(
                "Исполняемые операторы модуля должны стоять после объявлений методов",
                "Module statements must come after the method declarations",
            );
            ctx.report(range, message);
        }
    }
}
