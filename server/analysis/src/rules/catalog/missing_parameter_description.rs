//! MissingParameterDescription: a described method whose parameters are not all described.

use crate::rules::support::r1_doc;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Checks the `Параметры:` section of a method that has a description comment
/// (standard 453): every parameter of the signature is described there, and every name
/// described there is a parameter.
///
/// ## Why
/// The description is what callers read in hover and completion. A parameter missing from
/// it leaves them guessing what to pass; a described parameter that the signature no longer
/// has (renamed or removed) misleads them.
///
/// ## What is reported
/// - a parameter of the signature not named in `Параметры:` — at the parameter;
/// - a name at the outer level of `Параметры:` that the signature does not have — at the
///   name in the comment (nested fields, `* Ключ - ...` or deeper-indented, are not names of
///   parameters);
/// - no `Параметры:` section at all, for a method with parameters whose description is
///   meant as documentation: an exported method of the module's interface
///   (`ПрограммныйИнтерфейс`, `СлужебныйПрограммныйИнтерфейс`), or a comment that already has
///   another section (`Возвращаемое значение:`, `Пример:`). A one-line note above a private
///   method or an exported callback (`// Продолжение процедуры Записать.`) is not held to
///   the full form.
///
/// Methods without a comment are left to `PublicMethodsDescription`. A comment that only
/// points elsewhere (`// См. ОбщийМодуль.Метод`, `// See ...`) counts as complete, and so does
/// a `Параметры:` section that starts with such a reference; `Параметр<n>` describes
/// `Параметр1`, `Параметр2`, ...; `Нет.` under `Параметры:` names no parameter. A one-line
/// `// Устарела.` above a method kept for compatibility is not held to the full form. English headers (`Parameters:`,
/// `Returns:`) are accepted.
///
/// ## Example
/// ```bsl
/// // Складывает два числа.
/// //
/// // Параметры:
/// //  А - Число - первое слагаемое.
/// //
/// // Возвращаемое значение:
/// //  Число - сумма.
/// Функция Сумма(А, Б) Экспорт // flagged: "Б" is not described
///     Возврат А + Б;
/// КонецФункции
/// ```
pub struct MissingParameterDescription;

static META: RuleMeta = RuleMeta {
    code: "MissingParameterDescription",
    name_ru: "Описание параметров метода не соответствует сигнатуре",
    name_en: "Method parameters are not described as in the signature",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for MissingParameterDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let mut found = Vec::new();
        for method in &ctx.module().methods {
            let Some(comment) = &method.doc_comment else { continue };
            let doc = r1_doc::read_cached(ctx, comment);
            if !doc.has_text && !doc.structured || doc.reference || doc.parameters_reference {
                continue;
            }
            if !doc.has_parameters {
                if !method.parameters.is_empty() && r1_doc::section_required(ctx.module(), method, &doc) {
                    found.push((method.name_range.clone(), 0, method.name.clone()));
                }
                continue;
            }
            let described = |name: &str| doc.parameters.iter().any(|d| d.covers(name));
            for parameter in &method.parameters {
                if !described(&parameter.name) {
                    found.push((parameter.name_range.clone(), 1, parameter.name.clone()));
                }
            }
            for extra in doc.parameters.iter().filter(|d| d.top_level) {
                if !method.parameters.iter().any(|p| extra.covers(&p.name)) {
                    found.push((extra.range.clone(), 2, extra.name.clone()));
                }
            }
        }
        for (range, what, name) in found {
            let message = match what {
                0 => ctx.tr(
                    format!("В описании метода \"{name}\" нет раздела \"Параметры:\""),
                    format!("The description of \"{name}\" has no \"Parameters:\" section"),
                ),
                1 => ctx.tr(
                    format!("Параметр \"{name}\" не описан в комментарии к методу"),
                    format!("Parameter \"{name}\" is not described in the method's comment"),
                ),
                _ => ctx.tr(
                    format!("Описан параметр \"{name}\", которого нет у метода"),
                    format!("\"{name}\" is described, but the method has no such parameter"),
                ),
            };
            ctx.report(range, message);
        }
    }
}
