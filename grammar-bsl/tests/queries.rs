//! The editor queries compile against the grammar and capture what they should on a small
//! module of our own.

use tree_sitter::{Parser, Query, QueryCursor, StreamingIterator};

const SOURCE: &str = "#Область Интерфейс\n// Складывает.\n&НаСервере\nФункция Сумма(А, Б) Экспорт\n\tЕсли А > Б Тогда\n\t\tТекст = \"ВЫБРАТЬ\n\t\t|\tПоле ИЗ Таблица\";\n\tКонецЕсли;\n\tВозврат Служебная(А);\nКонецФункции\n#КонецОбласти\n";

fn captures(query_source: &str) -> Vec<(String, String)> {
    let language = tree_sitter_bsl::LANGUAGE.into();
    let mut parser = Parser::new();
    parser.set_language(&language).unwrap();
    let tree = parser.parse(SOURCE, None).unwrap();
    let query = Query::new(&language, query_source).expect("the query compiles");
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&query, tree.root_node(), SOURCE.as_bytes());
    let mut out = Vec::new();
    while let Some(m) = matches.next() {
        for capture in m.captures() {
            let name = query.capture_names()[capture.index as usize].to_string();
            out.push((name, capture.node.utf8_text(SOURCE.as_bytes()).unwrap().to_string()));
        }
    }
    out
}

fn has(captures: &[(String, String)], name: &str, text: &str) -> bool {
    captures.iter().any(|(n, t)| n == name && t == text)
}

#[test]
fn highlights() {
    let found = captures(tree_sitter_bsl::HIGHLIGHTS_QUERY);
    assert!(has(&found, "function", "Сумма"), "{found:?}");
    assert!(has(&found, "function.call", "Служебная"));
    assert!(has(&found, "keyword.conditional", "Если"));
    assert!(has(&found, "keyword.function", "Функция"));
    assert!(has(&found, "variable.parameter", "А"));
    assert!(has(&found, "attribute", "НаСервере"));
    assert!(has(&found, "keyword.directive", "#Область Интерфейс"));
    assert!(has(&found, "comment", "// Складывает."));
}

#[test]
fn folds_tags_locals_and_injections() {
    let folds = captures(tree_sitter_bsl::FOLDS_QUERY);
    let folded: Vec<&str> = folds.iter().map(|(_, t)| t.lines().next().unwrap_or("")).collect();
    assert!(folded.contains(&"&НаСервере"), "the method folds: {folded:?}");
    assert!(folded.contains(&"Если А > Б Тогда"), "{folded:?}");
    assert!(folded.contains(&"\"ВЫБРАТЬ"), "a multi-line string folds: {folded:?}");

    let tags = captures(tree_sitter_bsl::TAGS_QUERY);
    assert!(has(&tags, "name", "Сумма") && has(&tags, "name", "Служебная"), "{tags:?}");
    assert!(tags.iter().any(|(n, _)| n == "definition.function"));
    assert!(tags.iter().any(|(n, _)| n == "reference.call"));

    let locals = captures(tree_sitter_bsl::LOCALS_QUERY);
    assert!(has(&locals, "local.definition.parameter", "Б"));
    assert!(has(&locals, "local.definition.var", "Текст"));

    let injections = captures(tree_sitter_bsl::INJECTIONS_QUERY);
    assert!(
        injections.iter().any(|(n, t)| n == "injection.content" && t.starts_with("\"ВЫБРАТЬ")),
        "the query text is injected: {injections:?}"
    );
}
