//! MissingReturnedValueDescription: a described function that does not say what it returns.

use bsl_syntax::MethodKind;

use crate::rules::support::r1_doc;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Checks the `Возвращаемое значение:` section of a method that has a description comment
/// (standard 453).
///
/// ## Why
/// The caller of a function needs to know the type of its result and what it means: a
/// structure with which keys, whether `Неопределено` can come back. A procedure returns
/// nothing, so a returns section above it is left over from an older version and misleads.
///
/// ## What is reported
/// - a function whose description is meant as documentation (an exported function of the
///   module's interface regions, `ПрограммныйИнтерфейс` and `СлужебныйПрограммныйИнтерфейс`,
///   or a comment that already has `Параметры:` or another section) but has no
///   `Возвращаемое значение:` section — at the function's name;
/// - a returns section with nothing in it — at the header;
/// - a returns section above a procedure — at the header (`Нет.` under it is fine).
///
/// Methods without a comment are left to `PublicMethodsDescription`; a comment that only
/// points elsewhere (`// См. ...`, `// See ...`) counts as complete; `Returns:` is accepted
/// for the English header.
///
/// ## Example
/// ```bsl
/// // Проверяет заполнение.
/// //
/// // Параметры:
/// //  Объект - СправочникОбъект - что проверить.
/// Функция Заполнен(Объект) Экспорт // flagged: no "Возвращаемое значение:"
///     Возврат ЗначениеЗаполнено(Объект.Наименование);
/// КонецФункции
/// ```
pub struct MissingReturnedValueDescription;

static META: RuleMeta = RuleMeta {
    code: "MissingReturnedValueDescription",
    name_ru: "Описание возвращаемого значения функции отсутствует",
    name_en: "The function's return value is not described",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for MissingReturnedValueDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let mut found = Vec::new();
        for method in &ctx.module().methods {
            let Some(comment) = &method.doc_comment else { continue };
            let doc = r1_doc::read_cached(ctx, comment);
            if !doc.has_text && !doc.structured || doc.reference {
                continue;
            }
            match (method.kind, doc.has_returns, &doc.returns_range) {
                (MethodKind::Function, false, _) if r1_doc::section_required(ctx.module(), method, &doc) => {
                    found.push((method.name_range.clone(), 0, method.name.clone()));
                }
                (MethodKind::Function, true, Some(range)) if !doc.returns_filled => {
                    found.push((range.clone(), 1, method.name.clone()));
                }
                (MethodKind::Procedure, true, Some(range)) if doc.returns_filled => {
                    found.push((range.clone(), 2, method.name.clone()))
                }
                _ => {}
            }
        }
        for (range, what, name) in found {
            let message = match what {
                0 => ctx.tr(
                    format!("В описании функции \"{name}\" нет раздела \"Возвращаемое значение:\""),
                    format!("The description of function \"{name}\" has no \"Returns:\" section"),
                ),
                1 => ctx.tr(
                    format!("Раздел \"Возвращаемое значение:\" функции \"{name}\" пуст"),
                    format!("The \"Returns:\" section of function \"{name}\" is empty"),
                ),
                _ => ctx.tr(
                    format!("Процедура \"{name}\" не возвращает значение, но описывает его"),
                    format!("Procedure \"{name}\" returns nothing but describes a return value"),
                ),
            };
            ctx.report(range, message);
        }
    }
}
