//! Completion: parameters and locals of the current method, module variables and methods,
//! keywords in the language the file is written in, and statement snippets.

use bsl_analysis::resolve;
use bsl_syntax::{MethodKind, keywords};
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, Documentation, InsertTextFormat, MarkupContent, MarkupKind, Position,
};

use super::hover;
use crate::convert;
use crate::session::Snapshot;

/// Whether the module is written with English keywords: more English than Russian keyword
/// tokens among its first ones.
fn english(snap: &Snapshot) -> bool {
    let text = &snap.parse.text()[..snap.parse.text().len().min(20_000)];
    let english = ["Procedure", "Function", "EndProcedure", "EndFunction", "If ", "Then"];
    let russian = ["Процедура", "Функция", "КонецПроцедуры", "КонецФункции", "Если ", "Тогда"];
    let count = |words: &[&str]| words.iter().map(|w| text.matches(w).count()).sum::<usize>();
    count(&english) > count(&russian)
}

/// `(label, snippet)` pairs for statements, in Russian and English.
const SNIPPETS_RU: &[(&str, &str)] = &[
    ("Если", "Если ${1:Условие} Тогда\n\t$0\nКонецЕсли;"),
    ("ЕслиИначе", "Если ${1:Условие} Тогда\n\t$2\nИначе\n\t$0\nКонецЕсли;"),
    ("Для Каждого", "Для Каждого ${1:Элемент} Из ${2:Коллекция} Цикл\n\t$0\nКонецЦикла;"),
    ("Для", "Для ${1:Индекс} = ${2:0} По ${3:Граница} Цикл\n\t$0\nКонецЦикла;"),
    ("Пока", "Пока ${1:Условие} Цикл\n\t$0\nКонецЦикла;"),
    ("Попытка", "Попытка\n\t$1\nИсключение\n\t$0\n\tВызватьИсключение;\nКонецПопытки;"),
    ("Процедура", "Процедура ${1:Имя}(${2})\n\t$0\nКонецПроцедуры"),
    ("Функция", "Функция ${1:Имя}(${2})\n\t$0\n\tВозврат ${3:Неопределено};\nКонецФункции"),
    ("Область", "#Область ${1:Имя}\n\n$0\n\n#КонецОбласти"),
    (
        "Транзакция",
        "НачатьТранзакцию();\nПопытка\n\t$0\n\tЗафиксироватьТранзакцию();\nИсключение\n\tОтменитьТранзакцию();\n\tВызватьИсключение;\nКонецПопытки;",
    ),
];

const SNIPPETS_EN: &[(&str, &str)] = &[
    ("If", "If ${1:Condition} Then\n\t$0\nEndIf;"),
    ("For Each", "For Each ${1:Item} In ${2:Collection} Do\n\t$0\nEndDo;"),
    ("For", "For ${1:Index} = ${2:0} To ${3:Bound} Do\n\t$0\nEndDo;"),
    ("While", "While ${1:Condition} Do\n\t$0\nEndDo;"),
    ("Try", "Try\n\t$1\nExcept\n\t$0\n\tRaise;\nEndTry;"),
    ("Procedure", "Procedure ${1:Name}(${2})\n\t$0\nEndProcedure"),
    ("Function", "Function ${1:Name}(${2})\n\t$0\n\tReturn ${3:Undefined};\nEndFunction"),
    ("Region", "#Region ${1:Name}\n\n$0\n\n#EndRegion"),
];

pub fn completion(snap: &Snapshot, position: Position) -> Vec<CompletionItem> {
    let parse = &snap.parse;
    let offset = convert::offset(parse, position);
    // After a dot the names are members of another object: the workspace answers those.
    let before = parse.text()[..offset].trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
    if before.ends_with('.') {
        return Vec::new();
    }
    let module = parse.module();
    let mut items = Vec::new();
    if let Some(index) = module.methods.iter().position(|m| m.range.contains(&offset)) {
        for p in &module.methods[index].parameters {
            items.push(CompletionItem {
                label: p.name.clone(),
                kind: Some(CompletionItemKind::VARIABLE),
                detail: Some("параметр".into()),
                sort_text: Some(format!("0{}", p.name)),
                ..CompletionItem::default()
            });
        }
        for (name, _) in resolve::locals(parse, &module, index) {
            items.push(CompletionItem {
                label: name.clone(),
                kind: Some(CompletionItemKind::VARIABLE),
                detail: Some("локальная переменная".into()),
                sort_text: Some(format!("0{name}")),
                ..CompletionItem::default()
            });
        }
    }
    for v in &module.variables {
        items.push(CompletionItem {
            label: v.name.clone(),
            kind: Some(CompletionItemKind::VARIABLE),
            detail: Some("переменная модуля".into()),
            sort_text: Some(format!("1{}", v.name)),
            ..CompletionItem::default()
        });
    }
    for m in &module.methods {
        let snippet = if m.parameters.is_empty() { format!("{}()", m.name) } else { format!("{}($0)", m.name) };
        items.push(CompletionItem {
            label: m.name.clone(),
            kind: Some(match m.kind {
                MethodKind::Function => CompletionItemKind::FUNCTION,
                MethodKind::Procedure => CompletionItemKind::METHOD,
            }),
            detail: Some(hover::signature(m)),
            documentation: m
                .doc_comment
                .as_ref()
                .map(|d| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: d.text() })),
            insert_text: Some(snippet),
            insert_text_format: Some(InsertTextFormat::SNIPPET),
            sort_text: Some(format!("2{}", m.name)),
            ..CompletionItem::default()
        });
    }
    let english = english(snap);
    for &(_, ru, en) in keywords::KEYWORDS {
        let word = if english { en } else { ru };
        items.push(CompletionItem {
            label: word.to_string(),
            kind: Some(CompletionItemKind::KEYWORD),
            sort_text: Some(format!("3{word}")),
            ..CompletionItem::default()
        });
    }
    for &(label, body) in if english { SNIPPETS_EN } else { SNIPPETS_RU } {
        items.push(CompletionItem {
            label: label.to_string(),
            kind: Some(CompletionItemKind::SNIPPET),
            insert_text: Some(body.to_string()),
            insert_text_format: Some(InsertTextFormat::SNIPPET),
            sort_text: Some(format!("4{label}")),
            ..CompletionItem::default()
        });
    }
    items
}
