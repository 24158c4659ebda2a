//! The keywords of the language with their Russian and English spellings, keyed by the
//! name their anonymous node has in the tree (`"endif"` is `КонецЕсли`/`EndIf`).

/// `(node name, Russian, English)` for every keyword.
pub const KEYWORDS: &[(&str, &str, &str)] = &[
    ("if", "Если", "If"),
    ("then", "Тогда", "Then"),
    ("elsif", "ИначеЕсли", "ElsIf"),
    ("else", "Иначе", "Else"),
    ("endif", "КонецЕсли", "EndIf"),
    ("for", "Для", "For"),
    ("each", "Каждого", "Each"),
    ("in", "Из", "In"),
    ("to", "По", "To"),
    ("while", "Пока", "While"),
    ("do", "Цикл", "Do"),
    ("enddo", "КонецЦикла", "EndDo"),
    ("break", "Прервать", "Break"),
    ("continue", "Продолжить", "Continue"),
    ("procedure", "Процедура", "Procedure"),
    ("endprocedure", "КонецПроцедуры", "EndProcedure"),
    ("function", "Функция", "Function"),
    ("endfunction", "КонецФункции", "EndFunction"),
    ("var", "Перем", "Var"),
    ("export", "Экспорт", "Export"),
    ("val", "Знач", "Val"),
    ("return", "Возврат", "Return"),
    ("try", "Попытка", "Try"),
    ("except", "Исключение", "Except"),
    ("endtry", "КонецПопытки", "EndTry"),
    ("raise", "ВызватьИсключение", "Raise"),
    ("goto", "Перейти", "Goto"),
    ("new", "Новый", "New"),
    ("execute", "Выполнить", "Execute"),
    ("and", "И", "And"),
    ("or", "ИЛИ", "Or"),
    ("not", "НЕ", "Not"),
    ("true", "Истина", "True"),
    ("false", "Ложь", "False"),
    ("undefined", "Неопределено", "Undefined"),
    ("null", "NULL", "NULL"),
    ("addhandler", "ДобавитьОбработчик", "AddHandler"),
    ("removehandler", "УдалитьОбработчик", "RemoveHandler"),
    ("async", "Асинх", "Async"),
    ("await", "Ждать", "Await"),
];

/// The Russian and English spelling of a keyword node, if `kind` is one.
pub fn spelling(kind: &str) -> Option<(&'static str, &'static str)> {
    KEYWORDS.iter().find(|(name, _, _)| *name == kind).map(|&(_, ru, en)| (ru, en))
}

/// [`spelling`] by kind id, from a table built once: the keyword rules ask it of every
/// token of a module.
pub fn spelling_of_id(kind: u16) -> Option<(&'static str, &'static str)> {
    static TABLE: std::sync::OnceLock<Vec<Option<(&'static str, &'static str)>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let count = crate::parse::language().node_kind_count();
        (0..count).map(|id| spelling(crate::node_ext::kind_name(id as u16))).collect()
    });
    table.get(usize::from(kind)).copied().flatten()
}

/// Whether `word` is a keyword in either language, ignoring case.
pub fn is_keyword(word: &str) -> bool {
    keyword_named(&lowercase(word)).is_some()
}

/// The node name of the keyword a lowercased word spells in either language (`"если"` and
/// `"if"` give `"if"`), from a table built once: [`eq_ignore_case`] against every spelling,
/// in one lookup.
pub fn keyword_named(lowercased: &str) -> Option<&'static str> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<String, &'static str>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = std::collections::HashMap::new();
        for &(name, ru, en) in KEYWORDS {
            table.entry(lowercase(ru)).or_insert(name);
            table.entry(lowercase(en)).or_insert(name);
        }
        table
    });
    table.get(lowercased).copied()
}

/// A word in lowercase, as [`eq_ignore_case`] compares: two words are equal ignoring case
/// exactly when their lowercase forms are.
pub fn lowercase(word: &str) -> String {
    word.chars().flat_map(char::to_lowercase).collect()
}

/// Case-insensitive comparison for Cyrillic and Latin words, as the platform compares names.
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    // Names are ASCII and Cyrillic: fold those letters directly, and fall back to full
    // Unicode case folding as soon as anything else turns up.
    let (mut x, mut y) = (a.chars(), b.chars());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(c), Some(d)) if c == d => {}
            (Some(c), Some(d)) => match (fold_simple(c), fold_simple(d)) {
                (Some(c), Some(d)) if c == d => {}
                (Some(_), Some(_)) => return false,
                _ => break,
            },
            (Some(c), None) | (None, Some(c)) if fold_simple(c).is_some() => return false,
            _ => break,
        }
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// Whether a character may be part of a name: a letter, a digit or `_` (`char::is_alphanumeric`
/// or `_`), answered without Unicode tables for ASCII and basic Cyrillic.
#[inline]
pub fn is_name_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else if matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё') {
        true
    } else {
        c.is_alphanumeric()
    }
}

/// The lowercase of an ASCII or basic Cyrillic character (`Ё` included), `None` for any
/// other character, whose case folding needs the full tables.
pub fn fold_simple(c: char) -> Option<char> {
    match c {
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        '\0'..='\u{7f}' => Some(c),
        'А'..='Я' => char::from_u32(c as u32 + 0x20),
        'Ѐ'..='Џ' => char::from_u32(c as u32 + 0x50),
        'а'..='я' | 'ѐ'..='џ' => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod case_tests {
    use super::*;

    #[test]
    fn case_insensitive_comparison_of_names() {
        for (a, b, same) in [
            ("Если", "ЕСЛИ", true),
            ("ёлка", "ЁЛКА", true),
            ("Ёлка", "Елка", false),
            ("If", "iF", true),
            ("Вопрос", "Вопросы", false),
            ("Вопросы", "Вопрос", false),
            ("ΑΒΓ", "αβγ", true),
            ("ΑΒΓ", "αβδ", false),
            ("ТекущаяДата", "текущаядата", true),
            ("", "", true),
        ] {
            assert_eq!(eq_ignore_case(a, b), same, "{a} / {b}");
        }
    }

    #[test]
    fn name_characters_are_what_unicode_says() {
        for c in (0..0x1_0000).filter_map(char::from_u32) {
            assert_eq!(is_name_char(c), c.is_alphanumeric() || c == '_', "{c:?}");
        }
    }

    #[test]
    fn keyword_spellings_by_id_match_by_name() {
        let language = crate::parse::language();
        for id in 0..language.node_kind_count() as u16 {
            assert_eq!(spelling_of_id(id), spelling(crate::node_ext::kind_name(id)), "{id}");
        }
    }

    #[test]
    fn keyword_lookup_agrees_with_comparing_each_spelling() {
        let words = [
            "если",
            "ЕСЛИ",
            "If",
            "iF",
            "КонецЕсли",
            "ENDIF",
            "Null",
            "ИЛИ",
            "или",
            "Ждать",
            "Ёлка",
            "Истина",
            "х",
            "",
        ];
        for word in words {
            let slow = KEYWORDS
                .iter()
                .find(|(_, ru, en)| eq_ignore_case(word, ru) || eq_ignore_case(word, en))
                .map(|(name, _, _)| *name);
            assert_eq!(keyword_named(&lowercase(word)), slow, "{word}");
        }
    }
}
