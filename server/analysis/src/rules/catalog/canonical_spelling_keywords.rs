//! CanonicalSpellingKeywords: keywords not written in their canonical form.

use crate::diagnostic::Edit;
use crate::format::canonical_keyword_of_id;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags keywords whose spelling differs from the canonical one: `если` or `ЕСЛИ` for
/// `Если`, `КОНЕЦЦИКЛА` for `КонецЦикла`, `endif` for `EndIf` (standard 441). Forms as common in
/// 1C's own code as the canonical ones are accepted: `ИЛИ`/`Или`, `НЕ`/`Не`, `Для каждого`
/// and `Null`.
///
/// ## Why
/// The language ignores case, people do not: mixed spellings make code look like it was
/// pasted from several places and defeat plain-text search.
///
/// ## Fix
/// Respells the keyword (the formatter does the same for a whole module).
pub struct CanonicalSpellingKeywords;

static META: RuleMeta = RuleMeta {
    code: "CanonicalSpellingKeywords",
    name_ru: "Каноническое написание ключевых слов",
    name_en: "Canonical keyword spelling",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for CanonicalSpellingKeywords {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let parse = ctx.parse();
        let facts = ctx.facts;
        let mut found = Vec::new();
        // Keywords are anonymous leaves, which rules cannot subscribe to: walk the leaves of
        // each top-level part, kept per part so an edit re-reads only the part it changed.
        for &index in facts.code_parts() {
            let start = facts.parts()[index].start_byte();
            let text = parse.text();
            let misspelled = ctx.memo_part(index, |part| {
                facts
                    .part_flat(index)
                    .nodes
                    .iter()
                    .enumerate()
                    .filter(|(at, entry)| !entry.named && entry.end as usize == at + 1)
                    .filter_map(|(_, entry)| {
                        let n = entry.node;
                        let canonical = canonical_keyword_of_id(entry.kind, &text[n.byte_range()])?;
                        Some((n.start_byte() - part.start_byte()..n.end_byte() - part.start_byte(), canonical))
                    })
                    .collect::<Vec<_>>()
            });
            found.extend(
                misspelled.iter().map(|(range, canonical)| (range.start + start..range.end + start, *canonical)),
            );
        }
        for (range, canonical) in found {
            let written = &ctx.text()[range.clone()];
            let message = ctx.tr(
                format!("Ключевое слово \"{written}\" пишется \"{canonical}\""),
                format!("Keyword \"{written}\" is spelled \"{canonical}\""),
            );
            let fix = ctx.fix(
                "Исправить написание",
                "Fix the spelling",
                vec![Edit { range: range.clone(), new_text: canonical.to_string() }],
            );
            ctx.report(range, message).fix = Some(fix);
        }
    }
}
