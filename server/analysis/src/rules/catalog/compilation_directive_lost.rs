//! CompilationDirectiveLost: a form method or variable without a compilation directive.

use crate::diagnostic::Edit;
use crate::module_kind::ModuleKind;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags methods and module variables of a form module that have no compilation directive,
/// standard 439.
///
/// ## Why
/// In a form module every method runs either on the client or on the server, and the
/// directive says which. Without one the platform puts the method on the server, which the
/// reader has to know, and which is wrong as often as not for handlers of form events.
///
/// ## Fix
/// Adds `&НаСервере` (`&AtServer` in English code) on its own line above the method or
/// variable, stating what the platform already does.
pub struct CompilationDirectiveLost;

static META: RuleMeta = RuleMeta {
    code: "CompilationDirectiveLost",
    name_ru: "Методы и переменные модулей форм должны иметь директивы компиляции",
    name_en: "Form methods and variables need compilation directives",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "unpredictable"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[ModuleKind::Form],
};

impl Rule for CompilationDirectiveLost {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let module = ctx.module();
        let text = ctx.text();
        let english = text.contains("Procedure ") || text.contains("Function ");
        let directive = if english { "&AtServer" } else { "&НаСервере" };
        let mut found = Vec::new();
        for method in module.methods.iter().filter(|m| m.directive().is_none()) {
            found.push((method.name.clone(), method.name_range.clone(), method.range.start));
        }
        for variable in module.variables.iter().filter(|v| v.directive().is_none()) {
            // The declaration starts at `Перем`, before the first name.
            let start = text[..variable.range.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            found.push((variable.name.clone(), variable.name_range.clone(), start));
        }
        for (name, range, start) in found {
            let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let indent: String = text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            let message = ctx.tr(
                format!("У \"{name}\" нет директивы компиляции"),
                format!("\"{name}\" has no compilation directive"),
            );
            let fix = ctx.fix(
                "Добавить &НаСервере",
                "Add &AtServer",
                vec![Edit { range: line_start..line_start, new_text: format!("{indent}{directive}\n") }],
            );
            ctx.report(range, message).fix = Some(fix);
        }
    }
}
