//! SeveralCompilerDirectives: a method or variable with more than one compilation directive.

use crate::module::AnnotationKindExt;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags methods and module variables that carry more than one compilation directive
/// (`&НаКлиенте`, `&НаСервере`, ...).
///
/// ## Why
/// The platform takes one directive per method; a second one is either a leftover or a
/// misunderstanding of where the code runs (`&НаКлиентеНаСервере` already says "both").
///
/// ## Example
/// ```bsl
/// &НаКлиенте
/// &НаСервере
/// Процедура Обновить() // flagged
/// ```
pub struct SeveralCompilerDirectives;

static META: RuleMeta = RuleMeta {
    code: "SeveralCompilerDirectives",
    name_ru: "Ошибочное указание нескольких директив компиляции",
    name_en: "Several compilation directives",
    rule_type: RuleType::Error,
    severity: Severity::Critical,
    tags: &["unpredictable", "error"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for SeveralCompilerDirectives {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let module = ctx.module();
        let mut found = Vec::new();
        for method in &module.methods {
            if method.annotations.iter().filter(|a| a.kind.is_directive()).count() > 1 {
                found.push((method.name.clone(), method.name_range.clone()));
            }
        }
        for variable in &module.variables {
            if variable.annotations.iter().filter(|a| a.kind.is_directive()).count() > 1 {
                found.push((variable.name.clone(), variable.name_range.clone()));
            }
        }
        for (name, range) in found {
            let message = ctx.tr(
                format!("У \"{name}\" несколько директив компиляции"),
                format!("\"{name}\" has several compilation directives"),
            );
            ctx.report(range, message);
        }
    }
}
