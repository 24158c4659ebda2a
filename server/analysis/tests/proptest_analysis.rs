//! Property tests of the analysis layer on generated modules: the rules engine never
//! panics (a rule that panics shows as an internal-error diagnostic, which fails here too),
//! every finding and fix lies inside the text on character boundaries, and
//! `RuleSet::check_cached` with a cache carried over random edits equals `RuleSet::check`.
//! The formatter is idempotent and never turns a valid module into an invalid one.
//!
//! The modules are either token soup (keywords of both languages, strings with `|`
//! continuations, preprocessor lines, dates, operators, stray characters) or methods built
//! from statement templates, so that rules find something to say.
//!
//! CI runs a few dozen to a few hundred cases per property; `BSL_FUZZ_CASES=10000` runs
//! longer locally.

use bsl_analysis::format::{FormatOptions, format};
use bsl_analysis::rules::{CheckCache, Config, RuleSet};
use bsl_analysis::{Diagnostic, ModuleKind, apply_edits};
use bsl_syntax::{Parse, TextEdit};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("BSL_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    ProptestConfig { cases, max_shrink_iters: 2000, failure_persistence: None, ..ProptestConfig::default() }
}

const TOKENS: &[&str] = &[
    "Процедура",
    "Procedure",
    "Функция",
    "Function",
    "КонецПроцедуры",
    "EndProcedure",
    "КонецФункции",
    "EndFunction",
    "Если",
    "If",
    "Тогда",
    "Then",
    "ИначеЕсли",
    "Иначе",
    "Else",
    "КонецЕсли",
    "EndIf",
    "Для",
    "Каждого",
    "Из",
    "По",
    "Пока",
    "Цикл",
    "КонецЦикла",
    "Попытка",
    "Исключение",
    "ВызватьИсключение",
    "КонецПопытки",
    "Возврат",
    "Return",
    "Продолжить",
    "Прервать",
    "Перем",
    "Знач",
    "Экспорт",
    "Новый",
    "Выполнить",
    "И",
    "Или",
    "Не",
    "Истина",
    "Ложь",
    "Неопределено",
    "NULL",
    "Асинх",
    "Ждать",
    "Перейти",
    "&НаСервере",
    "&НаКлиенте",
    "&Перед(\"М\")",
    "А",
    "Б",
    "Имя",
    "Запрос",
    "Сообщить",
    "ТекущаяДата()",
    "~М:",
    "\"строка\"",
    "\"нач\n|прод\"",
    "\"не закрыта",
    "'20240101'",
    "'",
    "0",
    "1.5",
    ".",
    ",",
    ";",
    "(",
    ")",
    "[",
    "]",
    "=",
    "<>",
    "<",
    "+",
    "-",
    "*",
    "/",
    "?",
    "\n#Если Сервер Тогда\n",
    "\n#Иначе\n",
    "\n#КонецЕсли\n",
    "\n#Область Имя\n",
    "\n#КонецОбласти\n",
    "\n#Вставка\n",
    "\n#КонецВставки\n",
    "\n#Удаление\n",
    "\n#КонецУдаления\n",
    "\n#Использовать lib\n",
    "// BSLLS:MagicNumber-off",
    "// комментарий",
    "\n",
    "\r\n",
    "\t",
    " ",
    "\u{1F600}",
    "\0",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(TOKENS).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn soup() -> impl Strategy<Value = String> {
    proptest::collection::vec((piece(), proptest::sample::select(&["", " ", "\n", ";\n"][..])), 0..100)
        .prop_map(|parts| parts.into_iter().map(|(p, sep)| p + sep).collect())
}

const NAMES: &[&str] = &["А", "Б", "Результат", "Запрос", "Массив", "х", "ТекущаяДата", "Метод1", "Метод2"];

fn name() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(NAMES)
}

fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        name().prop_map(str::to_string),
        proptest::sample::select(&["1", "2", "100", "1.5", "\"т\"", "'20240101'", "Истина", "Неопределено"][..])
            .prop_map(str::to_string),
        name().prop_map(|n| format!("{n}()")),
        name().prop_map(|n| format!("Новый Структура(\"{n}\")")),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                proptest::sample::select(&["+", "-", "*", "/", "=", "<>", "И", "Или", "%"][..]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("Не {a}")),
            (name(), inner.clone()).prop_map(|(n, a)| format!("{n}.Найти({a})")),
            (inner.clone(), inner.clone(), inner).prop_map(|(a, b, c)| format!("?({a}, {b}, {c})")),
        ]
    })
}

fn statements(depth: u32) -> BoxedStrategy<String> {
    let simple = prop_oneof![
        (name(), expression()).prop_map(|(n, e)| format!("{n} = {e};\n")),
        (name(), expression()).prop_map(|(n, e)| format!("{n}({e});\n")),
        expression().prop_map(|e| format!("Сообщить({e});\n")),
        expression().prop_map(|e| format!("Возврат {e};\n")),
        Just("Возврат;\n".to_string()),
        Just("Запрос = Новый Запрос;\nЗапрос.Текст = \"ВЫБРАТЬ\n|\t*\n|ИЗ\n|\tСправочник.Т\";\n".to_string()),
        Just("// комментарий\n".to_string()),
        Just(";\n".to_string()),
        Just("Выполнить(\"А = 1\");\n".to_string()),
        Just("\n#Если Сервер Тогда\nА = 1;\n#Иначе\nА = 2;\n#КонецЕсли\n".to_string()),
    ];
    if depth == 0 {
        return proptest::collection::vec(simple, 0..4).prop_map(|v| v.concat()).boxed();
    }
    let inner = move || statements(depth - 1);
    let compound = prop_oneof![
        4 => simple,
        1 => (expression(), inner(), inner()).prop_map(|(c, a, b)| format!("Если {c} Тогда\n{a}Иначе\n{b}КонецЕсли;\n")),
        1 => (name(), expression(), inner()).prop_map(|(n, e, a)| format!("Для Каждого {n} Из {e} Цикл\n{a}КонецЦикла;\n")),
        1 => (name(), inner()).prop_map(|(n, a)| format!("Для {n} = 1 По 10 Цикл\n{a}Прервать;\nКонецЦикла;\n")),
        1 => (expression(), inner()).prop_map(|(c, a)| format!("Пока {c} Цикл\n{a}КонецЦикла;\n")),
        1 => (inner(), inner()).prop_map(|(a, b)| format!("Попытка\n{a}Исключение\n{b}КонецПопытки;\n")),
    ];
    proptest::collection::vec(compound, 0..5).prop_map(|v| v.concat()).boxed()
}

fn method() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(
            &["", "&НаСервере\n", "&НаКлиенте\n", "// Описание.\n//\n// Параметры:\n//  А - Число\n"][..],
        ),
        any::<bool>(),
        proptest::sample::select(&["Метод1", "Метод2", "ОбработкаПроведения", "ПриСозданииНаСервере", "х"][..]),
        proptest::sample::select(&["", "А", "Знач А, Б = 1", "А, Б, В, Г, Д, Е, Ж, З"][..]),
        any::<bool>(),
        statements(2),
    )
        .prop_map(|(annotation, function, name, params, export, body)| {
            let (open, close) = if function {
                ("Функция", "КонецФункции")
            } else {
                ("Процедура", "КонецПроцедуры")
            };
            let export = if export { " Экспорт" } else { "" };
            format!("{annotation}{open} {name}({params}){export}\n{body}{close}\n\n")
        })
}

/// A module: variables, methods, some regions, and now and then token soup in between.
fn module_text() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        6 => method(),
        1 => name().prop_map(|n| format!("Перем {n} Экспорт;\n")),
        1 => Just("#Область ПрограммныйИнтерфейс\n".to_string()),
        1 => Just("#КонецОбласти\n".to_string()),
        1 => soup(),
    ];
    prop_oneof![
        4 => proptest::collection::vec(part, 0..8).prop_map(|v| v.concat()),
        1 => soup(),
    ]
}

fn kind() -> impl Strategy<Value = ModuleKind> {
    proptest::sample::select(
        &[
            ModuleKind::Common,
            ModuleKind::Object,
            ModuleKind::Manager,
            ModuleKind::Form,
            ModuleKind::Command,
            ModuleKind::ManagedApplication,
            ModuleKind::OneScriptClass,
            ModuleKind::OneScriptModule,
            ModuleKind::Unknown,
        ][..],
    )
}

fn check_findings(text: &str, findings: &[Diagnostic]) -> Result<(), TestCaseError> {
    let inside = |r: &std::ops::Range<usize>| {
        r.start <= r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    };
    for d in findings {
        // A rule that panicked is reported as `[bsl-assist] Внутренняя ошибка правила ...`.
        prop_assert!(!d.message.starts_with("[bsl-assist]"), "a rule failed: {} {}", d.code, d.message);
        prop_assert!(inside(&d.range), "{} {:?} outside the text of {} bytes", d.code, d.range, text.len());
        if let Some(fix) = &d.fix {
            for edit in &fix.edits {
                prop_assert!(inside(&edit.range), "{} fix {:?} outside the text", d.code, edit.range);
            }
        }
    }
    Ok(())
}

fn difference(full: &[Diagnostic], cached: &[Diagnostic]) -> String {
    let only = |a: &[Diagnostic], b: &[Diagnostic]| -> Vec<String> {
        a.iter().filter(|d| !b.contains(d)).take(3).map(|d| format!("{} {:?} {}", d.code, d.range, d.message)).collect()
    };
    format!("only in the full check: {:?}; only in the cached one: {:?}", only(full, cached), only(cached, full))
}

/// An edit: a fraction of the text where it starts, how much it removes, what it inserts.
fn edit() -> impl Strategy<Value = (f64, usize, String)> {
    (
        0.0..=1.0f64,
        prop_oneof![3 => Just(0usize), 2 => 0usize..4, 1 => 0usize..80],
        prop_oneof![
            3 => piece(),
            2 => proptest::sample::select(&["Ж", "1", ";", "\n", "А = Б;\n", "\nПроцедура Новая()\nКонецПроцедуры\n", "Перем Н;\n", "Метод1();"][..]).prop_map(str::to_string),
            1 => Just(String::new()),
            1 => method(),
        ],
    )
}

fn to_edit(text: &str, (at, len, new_text): &(f64, usize, String)) -> TextEdit {
    let start = bsl_syntax::floor_char_boundary(text, (text.len() as f64 * at) as usize);
    let end = bsl_syntax::floor_char_boundary(text, start + len);
    TextEdit::new(start..end, new_text.clone())
}

proptest! {
    #![proptest_config(config(60))]

    #[test]
    fn rules_never_fail_and_findings_stay_in_the_text(text in module_text(), kind in kind()) {
        let rules = RuleSet::new(&Config::default());
        let parse = Parse::new(text);
        check_findings(parse.text(), &rules.check(&parse, kind))?;
    }

    #[test]
    fn the_cached_check_equals_the_full_check_across_edits(
        text in module_text(),
        kind in kind(),
        edits in proptest::collection::vec(edit(), 1..8),
    ) {
        let rules = RuleSet::new(&Config::default());
        let mut parse = Parse::new(text);
        let mut cache = CheckCache::default();
        let full = rules.check(&parse, kind);
        prop_assert!(rules.check_cached(&parse, kind, &mut cache) == full);
        for e in &edits {
            let edit = to_edit(parse.text(), e);
            parse.edit(&edit);
            let full = rules.check(&parse, kind);
            check_findings(parse.text(), &full)?;
            let cached = rules.check_cached(&parse, kind, &mut cache);
            prop_assert!(cached == full, "after {:?}: {}\n{}", edit, difference(&full, &cached), parse.text());
        }
    }
}

proptest! {
    #![proptest_config(config(150))]

    #[test]
    fn formatting_is_idempotent_and_keeps_valid_modules_valid(text in module_text(), spaces in any::<bool>()) {
        let options = FormatOptions { indent: spaces.then(|| "    ".to_string()) };
        let parse = Parse::new(text.as_str());
        let edits = format(&parse, &options);
        for edit in &edits {
            prop_assert!(edit.range.end <= text.len() && text.is_char_boundary(edit.range.start) && text.is_char_boundary(edit.range.end));
        }
        let once = apply_edits(&text, &edits);
        let reparsed = Parse::new(once.as_str());
        if parse.is_valid() {
            prop_assert!(reparsed.is_valid(), "formatting introduced a syntax error: {:?}\n{}", reparsed.errors().first(), once);
        }
        // Formatting twice changes nothing, syntax errors or not (lines an error touches are
        // left alone).
        let twice = apply_edits(&once, &format(&reparsed, &options));
        prop_assert_eq!(&twice, &once, "not idempotent; input:\n{}", text);
    }
}

/// The inputs fuzzing found, kept as regression tests.
#[test]
fn fuzz_regressions_format_idempotently() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/fuzz-regressions");
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "bsl") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let options = FormatOptions::default();
        let once = apply_edits(&text, &format(&Parse::new(text.as_str()), &options));
        let twice = apply_edits(&once, &format(&Parse::new(once.as_str()), &options));
        assert_eq!(twice, once, "{}", path.display());
    }
}
