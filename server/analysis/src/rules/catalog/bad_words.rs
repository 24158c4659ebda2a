//! BadWords: words the team has banned, found anywhere in the module's text.

use crate::rules::support::r1_regex::Regex;
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags every place in the module's text — names, strings, comments — that matches the
/// regular expression in `badWords`. Off by default, and silent while `badWords` is empty.
///
/// ## Why
/// A team may ban words from its code: rude words in comments that reach customers,
/// `Костыль` and `ВременноеРешение` markers that must not be shipped, the name of a
/// competitor's product in user messages.
///
/// ## Parameters
/// `badWords`: a regular expression, matched without regard to case, for example
/// `костыл\w*|заглушк\w*|\bхак\b`. The supported syntax: literals, `.`, classes (`[а-я]`,
/// `[^...]`), `\d \w \s \b`, groups (`(...)`, `(?:...)`), alternation `|`, quantifiers
/// `* + ? {n,m}`, and `^`/`$` at line boundaries. A pattern that does not compile finds
/// nothing.
///
/// ## Example
/// ```bsl
/// // Костыль: убрать после обновления // flagged with badWords = "костыл\w*"
/// ```
pub struct BadWords;

static META: RuleMeta = RuleMeta {
    code: "BadWords",
    name_ru: "Запрещенные слова",
    name_en: "Prohibited words",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["design"],
    minutes_to_fix: 1,
    enabled_by_default: false,
    params: &[ParamMeta {
        name: "badWords",
        default: ParamDefault::Str(""),
        description_ru: "Регулярное выражение для запрещенных слов (без учета регистра)",
        description_en: "Regular expression of the prohibited words (case-insensitive)",
    }],
    module_kinds: &[],
};

impl Rule for BadWords {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let pattern = ctx.param_str("badWords");
        if pattern.trim().is_empty() {
            return;
        }
        let Ok(regex) = Regex::new(&pattern) else { return };
        let text = ctx.text();
        for range in regex.find_all(text) {
            let word = &text[range.clone()];
            let message = ctx.tr(format!("Запрещенное слово \"{word}\""), format!("Prohibited word \"{word}\""));
            ctx.report(range, message);
        }
    }
}
