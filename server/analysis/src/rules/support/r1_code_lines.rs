//! r1_code_lines: whether the text of a comment line is a line of BSL code, judged by
//! parsing it (with the block keywords it needs around it) rather than by its look alone.

use std::cell::RefCell;

use bsl_syntax::keywords::{eq_ignore_case, is_name_char};
use tree_sitter::Parser;

/// How a comment line counts when deciding whether a comment block is code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A complete statement, a block keyword, a method header, a preprocessor line.
    Code,
    /// A block keyword alone on its line (`Иначе`, `Исключение`, `КонецЕсли`): code among
    /// other code, but a single word may as well be a note.
    Keyword,
    /// Text.
    Prose,
    /// Neither: blank, separators, query lines, the middle of a statement split across lines.
    Neutral,
}

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut parser = Parser::new();
        parser.set_language(bsl_syntax::language()).expect("the BSL grammar loads");
        parser
    });
}

const BLOCK_WORDS: &[&str] = &[
    "КонецЕсли",
    "КонецЦикла",
    "КонецПопытки",
    "КонецПроцедуры",
    "КонецФункции",
    "Иначе",
    "Попытка",
    "Исключение",
    "EndIf",
    "EndDo",
    "EndTry",
    "EndProcedure",
    "EndFunction",
    "Else",
    "Try",
    "Except",
];

const PREPROCESSOR_WORDS: &[&str] = &[
    "Если",
    "ИначеЕсли",
    "Иначе",
    "КонецЕсли",
    "Область",
    "КонецОбласти",
    "If",
    "ElsIf",
    "Else",
    "EndIf",
    "Region",
    "EndRegion",
];

const STATEMENT_WORDS: &[&str] =
    &["Возврат", "Return", "Перем", "Var", "Прервать", "Break", "Продолжить", "Continue", "ВызватьИсключение", "Raise"];

fn first_word(s: &str) -> &str {
    let end = s.find(|c: char| !is_name_char(c)).unwrap_or(s.len());
    &s[..end]
}

fn last_word(s: &str) -> &str {
    let start =
        s.char_indices().rev().find(|(_, c)| !is_name_char(*c)).map_or(0, |(i, c)| i + c.len_utf8());
    &s[start..]
}

fn any(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| eq_ignore_case(word, w))
}

/// Whether the snippet parses without errors into at least one statement or declaration.
fn parses(snippet: &str) -> bool {
    PARSER.with(|parser| {
        let Some(tree) = parser.borrow_mut().parse(snippet, None) else { return false };
        let root = tree.root_node();
        if root.has_error() {
            return false;
        }
        let mut cursor = root.walk();
        root.named_children(&mut cursor).any(|c| !c.is_extra())
    })
}

/// Classifies the text of one comment line (without `//`).
pub fn classify(content: &str) -> LineKind {
    let s = content.trim();
    if s.is_empty() || s.chars().all(|c| !c.is_alphanumeric()) {
        return LineKind::Neutral;
    }
    if s.starts_with(['|', '{', '}', ')', '"', '.', '+']) {
        return LineKind::Neutral;
    }
    let word = first_word(s);
    let bare = s.trim_end_matches(';').trim_end();
    if bare.len() == word.len() && any(word, BLOCK_WORDS) {
        return LineKind::Keyword;
    }
    if let Some(rest) = s.strip_prefix('#') {
        return if any(first_word(rest.trim_start()), PREPROCESSOR_WORDS) { LineKind::Code } else { LineKind::Prose };
    }
    if let Some(rest) = s.strip_prefix('&') {
        let name = first_word(rest);
        let known = bsl_syntax::CompilationDirective::from_name(name).is_some()
            || bsl_syntax::ExtensionAnnotation::from_name(name).is_some();
        return if known && rest.len() <= name.len() + 40 { LineKind::Code } else { LineKind::Prose };
    }
    let last = last_word(bare);
    let opens_if = any(last, &["Тогда", "Then"]) && bare.ends_with(last);
    let opens_loop = any(last, &["Цикл", "Do"]) && bare.ends_with(last);
    let header = any(word, &["Процедура", "Функция", "Procedure", "Function", "Асинх", "Async"]);
    let statement_word = any(word, STATEMENT_WORDS);
    // Only lines that end the way code lines end are worth parsing.
    let code_end = s.ends_with([';', ')']) || s.contains('=') && !s.ends_with(['.', ':', '!', '?']);
    if !(code_end || opens_if || opens_loop || header || statement_word) {
        let fragment = s.ends_with(['(', ',']) && s.contains(['(', '=', '"']);
        return if fragment { LineKind::Neutral } else { LineKind::Prose };
    }
    let lower = s.to_lowercase();
    if lower.starts_with("см.") || lower.starts_with("see ") || lower.starts_with("todo") {
        return LineKind::Prose;
    }
    let snippet = if opens_if {
        if any(word, &["ИначеЕсли", "ElsIf"]) {
            format!("Если Истина Тогда\n{s}\nКонецЕсли;")
        } else {
            format!("{s}\nКонецЕсли;")
        }
    } else if opens_loop {
        format!("{s}\nКонецЦикла;")
    } else if header {
        let function = lower.starts_with("функция") || lower.contains("function ");
        format!("{s}\n{}", if function { "КонецФункции" } else { "КонецПроцедуры" })
    } else if statement_word {
        format!("Функция Ф()\nПока Истина Цикл\n{s}\nКонецЦикла;\nКонецФункции")
    } else {
        s.to_string()
    };
    if !parses(&snippet) {
        // A statement split across lines: its parts are neither code nor text on their own.
        let fragment = s.ends_with(['(', ',']) && s.contains(['(', '=', '"']) || s.ends_with(");");
        return if fragment { LineKind::Neutral } else { LineKind::Prose };
    }
    if opens_if || opens_loop || header || s.ends_with(';') {
        return LineKind::Code;
    }
    // A call without `;` (the last statement before an end keyword): only when written like
    // code, with the parenthesis right after the name.
    if s.ends_with(')') && !s.contains(" (") {
        return LineKind::Code;
    }
    LineKind::Neutral
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        for code in [
            "А = 1;",
            "Если А = 1 Тогда",
            "ИначеЕсли Б Тогда",
            "Для Каждого Стр Из Таблица Цикл",
            "Возврат;",
            "Возврат Результат;",
            "Сообщить(\"Привет\")",
            "Процедура Тест(А, Б) Экспорт",
            "#Если Сервер Тогда",
            "&НаСервере",
            "If A = 1 Then",
        ] {
            assert_eq!(classify(code), LineKind::Code, "{code}");
        }
        for prose in [
            "Параметры:",
            "Если параметр не указан, то используется значение по умолчанию.",
            "Ключ - Строка - описание;",
            "См. ОбщегоНазначения.Метод()",
            "Значение = Истина, если объект записан.",
            "Returns the value (or Undefined).",
        ] {
            assert_eq!(classify(prose), LineKind::Prose, "{prose}");
        }
        assert_eq!(classify("КонецЕсли;"), LineKind::Keyword);
        assert_eq!(classify("Исключение"), LineKind::Keyword);
        for neutral in ["", "////////", "|ВЫБРАТЬ", "Ф(А,", "А = 1", "Возврат значения", "Описание (подробное)"]
        {
            assert_eq!(classify(neutral), LineKind::Neutral, "{neutral}");
        }
    }
}
