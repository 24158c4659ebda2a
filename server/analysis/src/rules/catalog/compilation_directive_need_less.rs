//! CompilationDirectiveNeedLess: compilation directives where they mean nothing.

use crate::diagnostic::Edit;
use crate::module_kind::ModuleKind;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags compilation directives in modules whose code always runs in one place, so the
/// directive decides nothing: object, manager, record set and value manager modules (server
/// side) and common modules (their metadata flags decide), standard 439.
///
/// ## Why
/// A directive there suggests a client/server split that does not exist and misleads the
/// reader; the platform ignores it or, for some directives, refuses the module.
///
/// ## Fix
/// Removes the directive's line.
pub struct CompilationDirectiveNeedLess;

static META: RuleMeta = RuleMeta {
    code: "CompilationDirectiveNeedLess",
    name_ru: "Лишние директивы компиляции",
    name_en: "Needless compilation directives",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["clumsy", "standard", "unpredictable"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[
        ModuleKind::Common,
        ModuleKind::Object,
        ModuleKind::Manager,
        ModuleKind::RecordSet,
        ModuleKind::ValueManager,
    ],
};

impl Rule for CompilationDirectiveNeedLess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let module = ctx.module();
        let text = ctx.text();
        let annotations = module
            .methods
            .iter()
            .flat_map(|m| m.annotations.iter())
            .chain(module.variables.iter().flat_map(|v| v.annotations.iter()))
            .filter(|a| matches!(a.kind, bsl_syntax::AnnotationKind::Directive(_)));
        let mut found: Vec<(String, std::ops::Range<usize>)> =
            annotations.map(|a| (a.name.clone(), a.range.clone())).collect();
        found.sort_by_key(|(_, r)| r.start);
        found.dedup_by_key(|(_, r)| r.start);
        for (name, range) in found {
            let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[range.end..].find('\n').map_or(text.len(), |i| range.end + i + 1);
            let alone = text[line_start..range.start].trim().is_empty() && text[range.end..line_end].trim().is_empty();
            let removal = if alone { line_start..line_end } else { range.clone() };
            let message = ctx.tr(
                format!("Директива &{name} в этом модуле ничего не решает"),
                format!("Directive &{name} decides nothing in this module"),
            );
            let fix = ctx.fix(
                "Удалить директиву",
                "Remove the directive",
                vec![Edit { range: removal, new_text: String::new() }],
            );
            ctx.report(range, message).fix = Some(fix);
        }
    }
}
