//! PublicMethodsDescription: an exported method without the standard description comment.

use crate::diagnostic::Edit;
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};
use bsl_syntax::MethodKind;

/// Flags exported methods that have no description comment above them, standard 453.
///
/// ## Why
/// An exported method is an interface: its callers read the comment (in hover, in
/// completion) to learn what it does, what each parameter means and what it returns. The
/// standard form is a description, then `Параметры:` with one `Имя - Тип - описание` line
/// per parameter, then `Возвращаемое значение:` for functions.
///
/// By default only the module's interface is checked: exported methods inside the
/// `ПрограммныйИнтерфейс` (`Public`) region, as the standard asks. With `checkAllRegion`
/// every exported method is checked, wherever it stands.
///
/// ## Fix
/// Inserts that template above the method (above its annotations), in the keyword language
/// of the module, with placeholders to fill in.
pub struct PublicMethodsDescription;

static META: RuleMeta = RuleMeta {
    code: "PublicMethodsDescription",
    name_ru: "Все экспортные методы должны быть описаны",
    name_en: "Exported methods must be described",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard", "brainoverload", "badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "checkAllRegion",
        default: ParamDefault::Bool(false),
        description_ru: "Проверять экспортные методы во всех областях, а не только в программном интерфейсе",
        description_en: "Check exported methods in every region, not only in the public interface",
    }],
    module_kinds: &[],
};

impl Rule for PublicMethodsDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let english = text.contains("EndProcedure") || text.contains("EndFunction");
        let all_regions = ctx.param_bool("checkAllRegion");
        let module = ctx.module();
        let in_interface = |offset: usize| {
            module.regions.iter().any(|r| {
                r.range.contains(&offset)
                    && ["ПрограммныйИнтерфейс", "Public"]
                        .iter()
                        .any(|n| bsl_syntax::keywords::eq_ignore_case(n, &r.name))
            })
        };
        let mut found = Vec::new();
        for method in module.methods.iter().filter(|m| m.export && m.doc_comment.is_none()) {
            if !all_regions && !in_interface(method.range.start) {
                continue;
            }
            let line_start = text[..method.range.start].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            let mut lines = vec![if english {
                "// Describe what the method does.".to_string()
            } else {
                "// Опишите, что делает метод.".to_string()
            }];
            if !method.parameters.is_empty() {
                lines.push("//".into());
                lines.push(if english { "// Parameters:" } else { "// Параметры:" }.into());
                for parameter in &method.parameters {
                    let placeholder =
                        if english { "Arbitrary - description" } else { "Произвольный - описание" };
                    lines.push(format!("//  {} - {placeholder}", parameter.name));
                }
            }
            if method.kind == MethodKind::Function {
                lines.push("//".into());
                lines.push(if english { "// Returns:" } else { "// Возвращаемое значение:" }.into());
                lines.push(
                    if english {
                        "//  Arbitrary - description"
                    } else {
                        "//  Произвольный - описание"
                    }
                    .into(),
                );
            }
            let template: String = lines.iter().map(|l| format!("{indent}{l}\n")).collect();
            found.push((method.name.clone(), method.name_range.clone(), line_start, template));
        }
        for (name, range, at, template) in found {
            let message = ctx.tr(
                format!("Экспортный метод \"{name}\" не описан"),
                format!("Exported method \"{name}\" has no description"),
            );
            let fix = ctx.fix(
                "Добавить описание метода",
                "Add a method description",
                vec![Edit { range: at..at, new_text: template }],
            );
            ctx.report(range, message).fix = Some(fix);
        }
    }
}
