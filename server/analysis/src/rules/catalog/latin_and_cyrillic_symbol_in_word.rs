//! LatinAndCyrillicSymbolInWord: a look-alike letter of the other alphabet inside a name.

use std::collections::HashSet;

use crate::rules::support::a_names::fold;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags names where one or two letters of one alphabet stand inside a word written in the
/// other, and look the same as letters of that other alphabet: the Latin `C` in `Cумма`,
/// the Latin `e` in `Будeт`, the Cyrillic `Р` in `Рicture`. Each name is flagged once, where
/// it first appears. Standard 456.
///
/// ## Why
/// The two names look identical and are different: `Cумма` and `Сумма` are two variables.
/// The code compiles, reads right and does the wrong thing; a search for the name misses the
/// place. Such letters come from switching the keyboard layout in the middle of a word.
///
/// ## What is not flagged
/// Names built of whole words in different alphabets: `ЧтениеXML`, `HTTPСоединение`,
/// `ЗначениеВСтрокуjUnit`, `ВариантA` (a capital letter at the end starts a word of its
/// own). Only letters that have a twin in the other alphabet (`А В Е К М Н О Р С Т Х` and
/// `а е о р с у х`) count, so a real mix of words such as `ТипJSON` is left alone.
///
/// ## Example
/// ```bsl
/// Cумма = 0; // flagged: the first letter is Latin
/// ```
pub struct LatinAndCyrillicSymbolInWord;

static META: RuleMeta = RuleMeta {
    code: "LatinAndCyrillicSymbolInWord",
    name_ru: "Смешивание латинских и кириллических символов в одном слове",
    name_en: "Mixing Latin and Cyrillic characters in one word",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "brainoverload", "suspicious"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

const LATIN_TWINS: &str = "ABCEHKMOPTXaceopxy";
const CYRILLIC_TWINS: &str = "АВСЕНКМОРТХасеорху";

#[derive(Clone, Copy, PartialEq)]
enum Script {
    Latin,
    Cyrillic,
}

fn script(c: char) -> Option<Script> {
    if c.is_ascii_alphabetic() {
        Some(Script::Latin)
    } else if matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё') {
        Some(Script::Cyrillic)
    } else {
        None
    }
}

fn is_twin(c: char) -> bool {
    LATIN_TWINS.contains(c) || CYRILLIC_TWINS.contains(c)
}

impl Rule for LatinAndCyrillicSymbolInWord {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let facts = ctx.facts;
        let mut seen: HashSet<String> = HashSet::new();
        let identifier = bsl_syntax::node_ext::named_kind_id("identifier");
        let mut found: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        // Names with letters of both alphabets, gathered per top-level part (kept across
        // edits of other parts); only a name's first occurrence in the module is reported.
        for &index in facts.code_parts() {
            let start = facts.parts()[index].start_byte();
            let mixed = ctx.memo_part(index, |part| {
                facts
                    .part_flat(index)
                    .nodes
                    .iter()
                    .filter(|entry| entry.kind == identifier)
                    .filter_map(|entry| {
                        let n = entry.node;
                        let name = &text[n.byte_range()];
                        // Both alphabets: a Latin letter (all ASCII) and something else.
                        if name.is_ascii() || !name.bytes().any(|b| b.is_ascii_alphabetic()) {
                            return None;
                        }
                        let letters = foreign_letters(name)?;
                        Some((
                            n.start_byte() - part.start_byte()..n.end_byte() - part.start_byte(),
                            fold(name),
                            letters,
                        ))
                    })
                    .collect::<Vec<_>>()
            });
            for (range, folded, letters) in mixed.iter() {
                if seen.insert(folded.clone()) {
                    found.push((range.start + start..range.end + start, letters.clone()));
                }
            }
        }
        for (range, letters) in found {
            let name = &text[range.clone()];
            let (ru, en) =
                if letters.chars().count() == 1 { ("буква", "letter") } else { ("буквы", "letters") };
            let message = ctx.tr(
                format!("В имени \"{name}\" {ru} \"{letters}\" из другого алфавита"),
                format!("The name \"{name}\" has the {en} \"{letters}\" of the other alphabet"),
            );
            ctx.report(range, message);
        }
    }
}

/// The letters of a short run (one or two letters, all look-alikes) of one alphabet inside a
/// word of the other: both neighbours, where present, are letters of the other alphabet, and
/// the word goes on in lowercase after the run or the run is lowercase.
fn foreign_letters(name: &str) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut start = 0;
    while start < chars.len() {
        let Some(run_script) = script(chars[start]) else {
            start += 1;
            continue;
        };
        let mut end = start + 1;
        while end < chars.len() && script(chars[end]) == Some(run_script) {
            end += 1;
        }
        let run = &chars[start..end];
        let before = start.checked_sub(1).map(|i| chars[i]);
        let after = chars.get(end).copied();
        let other = |c: Option<char>| c.and_then(script).is_some_and(|s| s != run_script);
        let neighbours_ok =
            (before.is_none() || other(before)) && (after.is_none() || other(after)) && (other(before) || other(after));
        let inside_word = run.iter().all(|c| c.is_lowercase()) || after.is_some_and(|c| c.is_lowercase());
        if run.len() <= 2 && neighbours_ok && inside_word && run.iter().all(|c| is_twin(*c)) {
            return Some(run.iter().collect());
        }
        start = end;
    }
    None
}
