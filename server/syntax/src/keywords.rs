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

/// Whether `word` is a keyword in either language, ignoring case.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|(_, ru, en)| eq_ignore_case(word, ru) || eq_ignore_case(word, en))
}

/// Case-insensitive comparison for Cyrillic and Latin words, as the platform compares names.
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}
