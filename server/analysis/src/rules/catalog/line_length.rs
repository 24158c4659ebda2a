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
        // Kept per piece of whole lines, so an edit measures only the lines of its method.
        let mut long = Vec::new();
        for piece in ctx.facts.line_pieces() {
            let found = ctx.memo_lines(piece, |text| long_lines(text, limit));
            let base = piece.range.start;
            long.extend(found.iter().map(|(range, width)| (base + range.start..base + range.end, *width)));
        }
        for (range, width) in long {
            let message = ctx.tr(
                format!("Длина строки {width} превышает допустимую ({limit})"),
                format!("Line is {width} characters long, more than {limit}"),
            );
            ctx.report(range, message);
        }
    }
}

/// The lines of `text` wider than `limit` (a tab counts as four), with their widths.
fn long_lines(text: &str, limit: usize) -> Vec<(std::ops::Range<usize>, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let content = &bytes[start..end];
        let mut content = content;
        while let Some(rest) = content.strip_suffix(b"\r") {
            content = rest;
        }
        // Bytes are an upper bound on characters: skip the count for short lines.
        if content.len() > limit {
            // Characters are the bytes that do not continue a UTF-8 sequence.
            let chars = content.iter().filter(|&&b| (b as i8) >= -0x40).count();
            let tabs = content.iter().filter(|&&b| b == b'\t').count();
            let width = chars + 3 * tabs;
            if width > limit {
                out.push((start..start + content.len(), width));
            }
        }
        start = end + 1;
    }
    out
}
