//! DuplicateStringLiteral: the same string literal written many times in one module.

use bsl_syntax::NodeExt;
use std::ops::Range;

use tree_sitter::Node;

use crate::rules::flat::Flat;
use crate::rules::support::b_literals::argument_of_flat;
use crate::rules::util::{called_name, is_any};
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a string literal that occurs in the module more than `allowedNumberCopies` times:
/// one finding on its first occurrence, with the count, and every other copy attached as a
/// related place (one warning per literal, not one per copy).
///
/// ## Why
/// A name, a key or a message typed out again and again must be changed in every place at
/// once, and a typo in one copy (`"Наименвание"`) is a bug the compiler does not see. Put
/// the value in one place: a function that returns it, a module variable, a parameter.
///
/// ## What is compared
/// The text between the quotes, without regard to case unless `caseSensitive` is set.
/// Strings shorter than `minTextLength` characters (`""`, `","`, `"Ок"`) are left alone, and
/// so are multi-line strings: they are query texts and templates, compared better by other
/// means. A string that names a type or a module where it stands is not a value either:
/// the argument of `Тип("Строка")`, of `Новый ОписаниеТипов("Число")`, of
/// `ОбщегоНазначения.ОбщийМодуль("Пользователи")` and of
/// `ОбщегоНазначения.ПодсистемаСуществует("СтандартныеПодсистемы.Свойства")`.
///
/// ## Example
/// ```bsl
/// Отбор.Вставить("Организация", Организация);
/// Колонки.Добавить("Организация");
/// Если Поле = "Организация" Тогда // the third copy
/// КонецЕсли;
/// Параметры.Вставить("Организация"); // the fourth: the first copy is flagged, with the
///                                    // other three as related places
/// ```
pub struct DuplicateStringLiteral;

static META: RuleMeta = RuleMeta {
    code: "DuplicateStringLiteral",
    name_ru: "Использование одинаковых строковых литералов",
    name_en: "Duplicated string literals",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[
        ParamMeta {
            name: "allowedNumberCopies",
            default: ParamDefault::Int(3),
            description_ru: "Сколько раз литерал может встречаться в модуле",
            description_en: "How many times a literal may occur in a module",
        },
        ParamMeta {
            name: "minTextLength",
            default: ParamDefault::Int(5),
            description_ru: "Минимальная длина текста литерала (без кавычек), начиная с которой он проверяется",
            description_en: "Shortest literal text (without the quotes) that is checked",
        },
        ParamMeta {
            name: "caseSensitive",
            default: ParamDefault::Bool(false),
            description_ru: "Учитывать регистр символов при сравнении",
            description_en: "Compare with regard to case",
        },
    ],
    module_kinds: &[],
};

/// Calls whose string argument names a type or a module: `Тип("Строка")`,
/// `ОбщегоНазначения.ОбщийМодуль("Пользователи")`, `ПодсистемаСуществует("...")`.
const NAMING_CALLS: &[&str] =
    &["Тип", "Type", "ОбщийМодуль", "CommonModule", "ПодсистемаСуществует", "SubsystemExists"];

/// Constructors whose string arguments are type names: `Новый ОписаниеТипов("Строка")`.
const TYPE_CONSTRUCTORS: &[&str] = &["ОписаниеТипов", "TypeDescription"];

/// Whether a string names a type or a module where it stands, and so is not a value to
/// keep in one place.
fn names_something(call: Option<Node<'_>>, text: &str) -> bool {
    let Some(call) = call else { return false };
    match call.kind_str() {
        "call_expression" => called_name(call, text).is_some_and(|name| is_any(name, NAMING_CALLS)),
        "new_expression" => {
            call.field("type").is_some_and(|t| is_any(&text[t.byte_range()], TYPE_CONSTRUCTORS))
        }
        _ => false,
    }
}

/// A 64-bit key of a literal's text (collisions would only merge two counts).
fn text_key(chars: impl Iterator<Item = char>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        hash ^= c as u64;
        hash = hash.wrapping_mul(0x100_0000_01b3);
    }
    hash
}

/// The literals of one top-level part worth counting: the folded text and the range,
/// relative to the part's start.
fn gather(flat: &Flat<'_>, text: &str, min_length: usize, case_sensitive: bool) -> Vec<(u64, Range<usize>)> {
    let mut out = Vec::new();
    let part = flat.nodes[0].node;
    let string = bsl_syntax::node_ext::named_kind_id("string");
    for (index, entry) in flat.nodes.iter().enumerate() {
        if entry.kind != string {
            continue;
        }
        let node = entry.node;
        let literal = &text[node.byte_range()];
        if literal.len() < 2 || literal.contains(['\n', '\r']) || !literal.starts_with('"') || !literal.ends_with('"') {
            continue;
        }
        let inner = &literal[1..literal.len() - 1];
        if inner.chars().count() < min_length || names_something(argument_of_flat(flat, index), text) {
            continue;
        }
        let key =
            if case_sensitive { text_key(inner.chars()) } else { text_key(inner.chars().flat_map(char::to_lowercase)) };
        let start = part.start_byte();
        out.push((key, node.start_byte() - start..node.end_byte() - start));
    }
    out
}

impl Rule for DuplicateStringLiteral {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let min_length = ctx.param_int("minTextLength").max(0) as usize;
        let case_sensitive = ctx.param_bool("caseSensitive");
        // Gathered per top-level part, so an edit re-reads only the part it changed.
        let facts = ctx.facts;
        let mut literals: Vec<(u64, Range<usize>)> = Vec::new();
        for &index in facts.code_parts() {
            let start = facts.parts()[index].start_byte();
            let gathered = ctx.memo_part(index, |_| gather(facts.part_flat(index), text, min_length, case_sensitive));
            literals.extend(gathered.iter().map(|(key, r)| (*key, r.start + start..r.end + start)));
        }
        let allowed = ctx.param_int("allowedNumberCopies").max(0) as usize;
        // Copies of one literal side by side, in text order (a stable sort of a list that
        // is in text order already); a large module has thousands of literals.
        literals.sort_by_key(|(key, _)| *key);
        let mut found: Vec<Vec<Range<usize>>> = literals
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|copies| copies.len() > allowed)
            .map(|copies| copies.iter().map(|(_, range)| range.clone()).collect())
            .collect();
        found.sort_by_key(|ranges| ranges[0].start);
        for mut ranges in found {
            let count = ranges.len();
            let first = ranges.remove(0);
            let literal = &text[first.clone()];
            let message = ctx.tr(
                format!("Литерал {literal} встречается в модуле {count} раз: вынесите его в одно место"),
                format!("Literal {literal} occurs {count} times in the module: keep it in one place"),
            );
            ctx.report(first, message).related = ranges;
        }
    }
}
