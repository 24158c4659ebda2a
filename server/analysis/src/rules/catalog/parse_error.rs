//! ParseError: syntax errors.

use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Reports every syntax error of the module: text the grammar cannot place, a missing end
/// keyword, an unpaired `#Область`/`#КонецОбласти` or `#Если`/`#КонецЕсли`, a malformed
/// preprocessor condition. The message says what was expected there and in which
/// construct (`Если`, `Процедура Имя`, ...).
///
/// ## Why
/// The platform refuses to compile a module with a syntax error, and every other rule sees
/// only what the parser could make of it, so these come first.
///
/// ## Example
/// ```bsl
/// Процедура П()
///     Если А Тогда
///         Б();
/// КонецПроцедуры // flagged: missing КонецЕсли
/// ```
pub struct ParseError;

static META: RuleMeta = RuleMeta {
    code: "ParseError",
    name_ru: "Ошибка разбора исходного кода",
    name_en: "Source code parse error",
    rule_type: RuleType::Error,
    severity: Severity::Critical,
    tags: &["error"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        for error in ctx.parse().errors() {
            // The syntax layer's messages are in English; the construct names are Russian.
            let message = ctx.tr(format!("Синтаксическая ошибка: {error}"), format!("Syntax error: {error}"));
            ctx.report(error.range.clone(), message);
        }
    }
}
