//! LineLength: lines longer than the limit.

use crate::module_kind::ModuleKind;
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags lines longer than `maxLineLength` characters (120 by default, standard 456).
///
/// ## Why
/// A long line does not fit on the screen or in a side-by-side diff, and the reader has to
/// scroll sideways to see the end of a condition or the last argument of a call.
///
/// ## Example
/// ```bsl
/// Результат = ОбщегоНазначения.ЗначениеРеквизитаОбъекта(Ссылка, "Наименование") + " " + Строка(Количество) + " шт.";
/// ```
/// Break it after an operator or between arguments:
/// ```bsl
/// Результат = ОбщегоНазначения.ЗначениеРеквизитаОбъекта(Ссылка, "Наименование")
///     + " " + Строка(Количество) + " шт.";
/// ```
///
/// Tabs count as four characters. Comment lines count like code.
pub struct LineLength;

static META: RuleMeta = RuleMeta {
    code: "LineLength",
    name_ru: "Ограничение на длину строки",
    name_en: "Line length limit",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "maxLineLength",
        default: ParamDefault::Int(120),
        description_ru: "Максимальная длина строки в символах",
        description_en: "Longest allowed line, in characters",
    }],
    module_kinds: &[] as &[ModuleKind],
};

impl Rule for LineLength {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let limit = ctx.param_int("maxLineLength").max(1) as usize;
        let text = ctx.text();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            // Bytes are an upper bound on characters: skip the count for short lines.
            if content.len() > limit {
                let width: usize = content.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
                if width > limit {
                    let message = ctx.tr(
                        format!("Длина строки {width} превышает допустимую ({limit})"),
                        format!("Line is {width} characters long, more than {limit}"),
                    );
                    ctx.report(start..start + content.len(), message);
                }
            }
            start += line.len();
        }
    }
}
