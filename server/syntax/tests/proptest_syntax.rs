//! Property tests of the syntax layer on arbitrary text: modules glued together from
//! BSL-ish tokens (keywords in both languages, identifiers, strings with `|` continuation
//! lines, preprocessor lines, dates, operators, stray bytes) must parse without a panic;
//! `errors()`, `module()` and the line index must work on them, and the line index must
//! convert offsets to positions and back in both encodings. A random sequence of edits
//! applied with `Parse::edit` must give the text and the tree of a fresh parse.
//!
//! CI runs a few hundred cases per property; `BSL_FUZZ_CASES=100000` runs longer locally.

use bsl_syntax::{Encoding, LineCol, Parse, TextEdit};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

fn cases(default: u32) -> u32 {
    std::env::var("BSL_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default),
        max_shrink_iters: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
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
    "ElsIf",
    "Иначе",
    "Else",
    "КонецЕсли",
    "EndIf",
    "Для",
    "For",
    "Каждого",
    "Each",
    "Из",
    "In",
    "По",
    "To",
    "Пока",
    "While",
    "Цикл",
    "Do",
    "КонецЦикла",
    "EndDo",
    "Попытка",
    "Try",
    "Исключение",
    "Except",
    "ВызватьИсключение",
    "Raise",
    "КонецПопытки",
    "EndTry",
    "Возврат",
    "Return",
    "Продолжить",
    "Continue",
    "Прервать",
    "Break",
    "Перем",
    "Var",
    "Знач",
    "Val",
    "Экспорт",
    "Export",
    "Новый",
    "New",
    "Выполнить",
    "Execute",
    "И",
    "And",
    "Или",
    "Or",
    "Не",
    "Not",
    "Истина",
    "True",
    "Ложь",
    "False",
    "Неопределено",
    "Undefined",
    "NULL",
    "Асинх",
    "Async",
    "Ждать",
    "Await",
    "Перейти",
    "Goto",
    "ДобавитьОбработчик",
    "УдалитьОбработчик",
    "&НаСервере",
    "&НаКлиенте",
    "&AtServer",
    "&Перед(\"Метод\")",
    "&Вместо(\"М\")",
    "А",
    "Б",
    "Имя",
    "Значение",
    "x",
    "_",
    "ёжик",
    "Структура",
    "Сообщить",
    "Запрос.Текст",
    "~Метка:",
    "\"строка\"",
    "\"\"",
    "\"не закрыта",
    "\"нач\n|прод\n|кон\"",
    "\"a\n// коммент\n|b\"",
    "\"a\n#Если Сервер Тогда\n|b\n#КонецЕсли\n|c\"",
    "\"с \"\"кавычкой\"\"\"",
    "'20240101'",
    "'20240101120000'",
    "'2024-01-01'",
    "'",
    "0",
    "1.5",
    "123456789012345678901234567890",
    ".",
    ",",
    ";",
    ":",
    "(",
    ")",
    "[",
    "]",
    "=",
    "<>",
    "<",
    ">",
    "<=",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "?",
    "|",
    "\n#Если Сервер Тогда\n",
    "\n#If Client Then\n",
    "\n#ИначеЕсли Клиент Тогда\n",
    "\n#Иначе\n",
    "\n#КонецЕсли\n",
    "\n#EndIf\n",
    "\n#Область Имя\n",
    "\n#Region R\n",
    "\n#КонецОбласти\n",
    "\n#EndRegion\n",
    "\n#Вставка\n",
    "\n#КонецВставки\n",
    "\n#Удаление\n",
    "\n#КонецУдаления\n",
    "\n#Использовать lib\n",
    "\n#",
    "// комментарий",
    "//",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "  ",
    "\u{feff}",
    "\u{1F600}",
    "€",
    "\0",
];

/// One piece of a module: mostly tokens, sometimes arbitrary characters.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(TOKENS).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
        1 => "[ -~]{0,4}",
    ]
}

/// A module: tokens separated by blanks now and then.
fn module_text() -> impl Strategy<Value = String> {
    proptest::collection::vec((piece(), proptest::sample::select(&["", " ", " ", "\n", ";\n"][..])), 0..120)
        .prop_map(|parts| parts.into_iter().map(|(p, sep)| p + sep).collect())
}

fn check_parse(parse: &Parse) {
    let text = parse.text();
    let root = parse.root();
    // The root spans the tokens, leading and trailing blanks excluded.
    assert!(root.start_byte() <= root.end_byte() && root.end_byte() <= text.len());
    for error in parse.errors() {
        assert!(error.range.start <= error.range.end && error.range.end <= text.len(), "{error:?}");
    }
    let module = parse.module();
    for method in &module.methods {
        if let Some(body) = &method.body_range {
            assert!(body.end <= text.len() && text.is_char_boundary(body.start) && text.is_char_boundary(body.end));
        }
    }
    for range in parse.masked() {
        assert!(range.end <= text.len());
    }
    let index = parse.line_index();
    let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    offsets.push(text.len());
    for &offset in &offsets {
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let position = index.position(text, offset, encoding);
            let back = index.offset(text, position, encoding);
            // A `\r\n` is one line end: its `\n` maps to the same position as its `\r`.
            let expected = if offset > 0 && text.as_bytes()[offset - 1] == b'\r' && text[offset..].starts_with('\n') {
                offset - 1
            } else {
                offset
            };
            assert_eq!(back, expected, "offset {offset} -> {position:?} ({encoding:?}) in {text:?}");
        }
    }
    // Positions past the end of a line or of the text are clamped, never a panic.
    let far = LineCol { line: index.line_count() as u32 + 3, col: 1_000_000 };
    assert!(index.offset(text, far, Encoding::Utf16) <= text.len());
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn any_module_parses(text in module_text()) {
        check_parse(&Parse::new(text));
    }

    #[test]
    fn any_bytes_parse_as_lossy_text(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        // `source::decode` refuses binary data or reports a bad byte; whatever it accepts parses.
        if let Ok(text) = bsl_syntax::source::decode(&bytes) {
            check_parse(&Parse::new(text));
        }
        check_parse(&Parse::new(String::from_utf8_lossy(&bytes).into_owned()));
    }
}

/// A module of methods, with doc comments, annotations and blank lines here and there, as
/// the typed view reads them.
fn methods_text() -> impl Strategy<Value = String> {
    let method = (
        proptest::sample::select(&["", "// Делает.\n", "//\n// Параметры:\n//  А - Число\n", "  // x\r\n"][..]),
        proptest::sample::select(&["", "&НаСервере\n", "&Вместо(\"П\")\n"][..]),
        proptest::sample::select(&["А", "Б", "Метод", "Ф"][..]),
        proptest::sample::select(&["", "А", "Знач А, Б = 1", "&Аннотация П"][..]),
        proptest::sample::select(&["", " Экспорт"][..]),
        proptest::sample::select(&["", "\tА = 1;\n", "\tЕсли А Тогда\n\t\tВозврат;\n\tКонецЕсли;\n"][..]),
        proptest::sample::select(&["\n", "\n\n", "\r\n", "\n// конец\n"][..]),
    )
        .prop_map(|(doc, annotation, name, parameters, export, body, after)| {
            format!("{doc}{annotation}Процедура {name}({parameters}){export}\n{body}КонецПроцедуры{after}")
        });
    proptest::collection::vec(method, 0..8).prop_map(|methods| methods.concat())
}

/// An edit as fractions of the text, so it applies to whatever text the earlier edits left.
fn edit() -> impl Strategy<Value = (f64, f64, String)> {
    (
        0.0..=1.0f64,
        prop_oneof![2 => 0.0..0.01f64, 1 => 0.0..0.2f64],
        prop_oneof![3 => piece(), 1 => module_text().prop_map(|t| t.chars().take(60).collect())],
    )
}

fn to_edit(text: &str, (at, len, new_text): &(f64, f64, String)) -> TextEdit {
    let start = (text.len() as f64 * at) as usize;
    let end = (start + (text.len() as f64 * len) as usize).min(text.len());
    // Ranges inside a character are clamped by `Parse::edit`; leave a few that way on purpose.
    TextEdit::new(start..end, new_text.clone())
}

/// Clamps like `Parse::edit` does, to know the text the edit must give.
fn expected_text(text: &str, edit: &TextEdit) -> String {
    let start = bsl_syntax::floor_char_boundary(text, edit.range.start);
    let end = bsl_syntax::floor_char_boundary(text, edit.range.end.max(start));
    let mut out = text.to_string();
    out.replace_range(start..end, &edit.new_text);
    out
}

proptest! {
    #![proptest_config(config(200))]

    /// The incremental tree equals a fresh parse's wherever the fresh parse is valid.
    ///
    /// Two things are not comparable and are checked more weakly:
    /// - Error recovery: inside an `ERROR` node tree-sitter's incremental parse may group
    ///   the skipped tokens differently from a fresh parse (it reuses old subtrees), so when
    ///   the fresh parse has errors the incremental one must have errors too, nothing more.
    /// - Masking (see `Parse::masked`): `edit` retries the mask only when the edit touches a
    ///   `#` or the tree was already masked, so an edit elsewhere that removes the last
    ///   unrelated syntax error of a module with a split directive leaves the incremental
    ///   parse unmasked (with errors) while a fresh parse masks. There only the text is
    ///   compared, and the masked side must be error-free.
    #[test]
    fn edits_give_the_tree_of_a_fresh_parse(
        start in prop_oneof![module_text(), methods_text()],
        edits in proptest::collection::vec((edit(), any::<bool>()), 1..12),
    ) {
        let mut parse = Parse::new(start);
        for (e, look) in &edits {
            let edit = to_edit(parse.text(), e);
            let expected = expected_text(parse.text(), &edit);
            parse.edit(&edit);
            prop_assert_eq!(parse.text(), expected.as_str());
            let fresh = Parse::new(expected.clone());
            // Kept up to date across edits rather than built again.
            prop_assert_eq!(parse.line_index(), fresh.line_index(), "after {:?}", edit);
            if parse.masked().is_empty() == fresh.masked().is_empty() {
                prop_assert_eq!(parse.masked(), fresh.masked(), "after {:?}", edit);
                if fresh.is_valid() {
                    prop_assert_eq!(parse.root().to_sexp(), fresh.root().to_sexp(), "after {:?} in {:?}", edit, expected);
                    // Built from the last view read (when one was), reusing untouched methods.
                    if *look {
                        prop_assert_eq!(parse.module(), fresh.module(), "after {:?} in {:?}", edit, expected);
                    }
                } else {
                    prop_assert!(!parse.is_valid(), "after {:?} in {:?}: only the fresh parse has errors", edit, expected);
                }
            } else {
                let masked = if parse.masked().is_empty() { &fresh } else { &parse };
                prop_assert!(masked.is_valid());
            }
        }
        check_parse(&parse);
    }
}
