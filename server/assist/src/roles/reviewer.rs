//! The reviewer: a review of one module written from the rules' findings, the methods'
//! measures and the standards behind the rules. Deterministic; an LLM may later confirm or
//! dismiss findings (prompt `reviewer/review`), but the review stands without one.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use bsl_analysis::rules::find_rule;
use bsl_analysis::{Diagnostic, Severity};
use bsl_knowledge::KnowledgeBase;
use bsl_syntax::Parse;

use crate::risk::metrics::snapshot_of;

/// Above these, a method is hard to follow and worth splitting.
const COGNITIVE_LIMIT: u32 = 15;
const CYCLOMATIC_LIMIT: u32 = 10;
/// Lines listed per rule before the rest is summarized.
const LINES_SHOWN: usize = 8;

fn severity_ru(s: Severity) -> &'static str {
    match s {
        Severity::Blocker => "блокирующих",
        Severity::Critical => "критичных",
        Severity::Major => "важных",
        Severity::Minor => "незначительных",
        Severity::Info => "информационных",
    }
}

/// A Markdown review of the module `name` given the rules' `findings` on it.
pub fn review_module(parse: &Parse, name: &str, findings: &[Diagnostic], kb: &KnowledgeBase) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Ревью модуля {name}\n");
    let line_of = |offset: usize| parse.line_index().line_of(offset) + 1;

    // The verdict first: how much there is and how long it takes to fix.
    let mut by_severity: BTreeMap<Severity, usize> = BTreeMap::new();
    let mut minutes = 0u32;
    for f in findings {
        *by_severity.entry(f.severity).or_default() += 1;
        minutes += find_rule(f.code).map_or(1, |r| r.rule.meta().minutes_to_fix);
    }
    if findings.is_empty() {
        let _ = writeln!(out, "Правила не нашли замечаний.\n");
    } else {
        let parts: Vec<String> = by_severity.iter().rev().map(|(s, n)| format!("{n} {}", severity_ru(*s))).collect();
        let _ = writeln!(
            out,
            "**Итог:** {} замечаний ({}); исправление займёт около {}.\n",
            findings.len(),
            parts.join(", "),
            duration_ru(minutes)
        );
    }

    // Findings grouped by rule, most severe rules first, with the standard behind each.
    let mut by_rule: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for f in findings {
        by_rule.entry(f.code).or_default().push(f);
    }
    let mut rules: Vec<(&str, Vec<&Diagnostic>)> = by_rule.into_iter().collect();
    rules.sort_by(|a, b| b.1[0].severity.cmp(&a.1[0].severity).then(b.1.len().cmp(&a.1.len())).then(a.0.cmp(b.0)));
    if !rules.is_empty() {
        let _ = writeln!(out, "## Замечания\n");
    }
    for (code, items) in &rules {
        let title = find_rule(code).map_or(*code, |r| r.rule.meta().name_ru);
        let _ = writeln!(out, "### {title} (`{code}`, {}, {})\n", items[0].severity.name(), items.len());
        for f in items.iter().take(LINES_SHOWN) {
            let _ = writeln!(out, "- строка {}: {}", line_of(f.range.start), f.message);
        }
        if items.len() > LINES_SHOWN {
            let _ = writeln!(out, "- и ещё {} в этом модуле", items.len() - LINES_SHOWN);
        }
        if let Some(standard) = kb.standards_for_rule(code).first() {
            let _ = writeln!(
                out,
                "\nСтандарт {} «{}»: {} Почему: {}",
                standard.number,
                standard.title,
                standard.summary.trim(),
                standard.reason.trim()
            );
        }
        out.push('\n');
    }

    // Complexity: the methods a reader struggles with.
    let mut heavy: Vec<_> = snapshot_of(parse)
        .into_iter()
        .filter(|m| m.metrics.cognitive > COGNITIVE_LIMIT || m.metrics.cyclomatic > CYCLOMATIC_LIMIT)
        .collect();
    heavy.sort_by(|a, b| b.metrics.cognitive.cmp(&a.metrics.cognitive).then(a.first_line.cmp(&b.first_line)));
    if !heavy.is_empty() {
        let _ = writeln!(out, "## Сложные методы\n");
        for m in heavy.iter().take(10) {
            let _ = writeln!(
                out,
                "- `{}` (строка {}): когнитивная сложность {}, цикломатическая {}, вложенность {}, {} строк{}",
                m.name,
                m.first_line + 1,
                m.metrics.cognitive,
                m.metrics.cyclomatic,
                m.metrics.nesting,
                m.metrics.lines,
                if m.metrics.queries > 0 {
                    format!(", запросов: {}", m.metrics.queries)
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(
            out,
            "\nВынесите самостоятельные шаги в отдельные методы с говорящими именами и замените глубокую вложенность \
             ранним выходом; цель — когнитивная сложность не выше {COGNITIVE_LIMIT}.\n"
        );
    }

    // Exported methods without a description are the module's contract left unwritten.
    let module = parse.module();
    let undocumented: Vec<&str> =
        module.methods.iter().filter(|m| m.export && m.doc_comment.is_none()).map(|m| m.name.as_str()).collect();
    if !undocumented.is_empty() {
        let _ = writeln!(out, "## Документирование\n");
        let _ = writeln!(
            out,
            "Без описания {} экспортных методов: {}. Действие «Добавить описание метода» создаёт заготовку.\n",
            undocumented.len(),
            undocumented.iter().take(12).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        );
    }
    if findings.is_empty() && heavy.is_empty() && undocumented.is_empty() {
        let _ =
            writeln!(out, "Модуль выглядит аккуратно: сложных методов и недокументированных экспортных методов нет.");
    }
    out
}

/// `95 мин` or `3 ч 10 мин`.
fn duration_ru(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} мин"),
        (h, 0) => format!("{h} ч"),
        (h, m) => format!("{h} ч {m} мин"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsl_analysis::{Config, ModuleKind, RuleSet};

    #[test]
    fn review_lists_findings_with_lines_and_standards() {
        let text = "Процедура Пустая() Экспорт\n\tЕсли Истина Тогда\n\tКонецЕсли;\nКонецПроцедуры\n";
        let parse = Parse::new(text);
        let findings = RuleSet::new(&Config::default()).check(&parse, ModuleKind::Common);
        assert!(!findings.is_empty());
        let review = review_module(&parse, "Тест", &findings, KnowledgeBase::embedded());
        assert!(review.starts_with("# Ревью модуля Тест\n"), "{review}");
        assert!(review.contains("**Итог:**"), "{review}");
        assert!(review.contains("- строка 2:"), "{review}");
        assert!(review.contains("## Документирование"), "{review}");
        assert!(review.contains("`Пустая`"), "{review}");
    }

    #[test]
    fn clean_module_says_so() {
        let parse = Parse::new("// Делает.\nПроцедура А()\nКонецПроцедуры\n");
        let review = review_module(&parse, "М", &[], KnowledgeBase::embedded());
        assert!(review.contains("Правила не нашли замечаний."), "{review}");
        assert_eq!(duration_ru(130), "2 ч 10 мин");
    }
}
