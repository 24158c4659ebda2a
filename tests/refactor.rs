//! The developer's refactorings end to end: extract method, wrap in a transaction and a
//! method from its description as code actions of the real server, applied as an editor
//! would; and extract method and the transaction wrap on every top-level statement of SSL
//! methods, each result parsed with no new syntax error.

use std::path::{Path, PathBuf};

use bsl_syntax::{Encoding, LineCol, LineIndex, Parse};
use serde_json::{Value, json};

#[path = "support/lsp_client.rs"]
mod client;

use client::*;

const MODULE: &str = "&НаСервере\nПроцедура Провести(Документ)\n\tСумма = Документ.Сумма;\n\
                      \tСообщить(Сумма);\n\tДокумент.Записать();\nКонецПроцедуры\n\n\
                      // Возвращает сумму документа.\n//\n// Параметры:\n//  Документ - ДокументСсылка - документ.\n\
                      //\n// Возвращаемое значение:\n//  Число - сумма.\n\n";

/// The byte offset of an LSP position (UTF-16 columns).
fn offset(text: &str, position: &Value) -> usize {
    let at = LineCol {
        line: position["line"].as_u64().unwrap() as u32,
        col: position["character"].as_u64().unwrap() as u32,
    };
    LineIndex::new(text).offset(text, at, Encoding::Utf16)
}

/// The text after the action's edits (from the last to the first).
fn apply(text: &str, action: &Value, uri: &str) -> String {
    let mut edits: Vec<(usize, usize, String)> = action["edit"]["changes"][uri]
        .as_array()
        .expect("a workspace edit for the document")
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().into(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

fn actions(client: &mut Client, uri: &str, range: Value) -> Vec<Value> {
    let response = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": [], "only": ["refactor"] } }),
    );
    response["result"].as_array().cloned().unwrap_or_default()
}

fn titled<'a>(actions: &'a [Value], prefix: &str) -> Option<&'a Value> {
    actions.iter().find(|a| a["title"].as_str().is_some_and(|t| t.starts_with(prefix)))
}

#[test]
fn refactorings_as_code_actions() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let path = root.join("Модуль.bsl");
    std::fs::write(&path, MODULE).unwrap();
    let mut client = Client::start_with(&[("BSL_ASSIST_CACHE", &root.join(".cache"))]);
    initialize(&mut client, &root);
    let (uri, text) = open(&mut client, &path);

    // Two statements selected as whole lines.
    let range = json!({ "start": { "line": 3, "character": 0 }, "end": { "line": 5, "character": 0 } });
    let offered = actions(&mut client, &uri, range.clone());
    let extract = titled(&offered, "Извлечь метод НовыйМетод").expect("extract method is offered");
    assert_eq!(extract["kind"], "refactor.extract");
    let after = apply(&text, extract, &uri);
    assert!(
        after.contains(
            "\tСумма = Документ.Сумма;\n\tНовыйМетод(Сумма, Документ);\nКонецПроцедуры\n\n&НаСервере\n\
             Процедура НовыйМетод(Сумма, Документ)\n\tСообщить(Сумма);\n\tДокумент.Записать();\nКонецПроцедуры\n"
        ),
        "{after}"
    );
    let wrap = titled(&offered, "Обернуть в транзакцию").expect("the transaction wrap is offered");
    assert_eq!(wrap["kind"], "refactor.rewrite");
    let after = apply(&text, wrap, &uri);
    assert!(
        after.contains(
            "\tНачатьТранзакцию();\n\tПопытка\n\t\tСообщить(Сумма);\n\t\tДокумент.Записать();\n\
             \t\tЗафиксироватьТранзакцию();\n\tИсключение\n\t\tОтменитьТранзакцию();\n"
        ),
        "{after}"
    );
    assert!(Parse::new(after).is_valid());

    // Half a statement: neither is offered.
    let half = json!({ "start": { "line": 3, "character": 1 }, "end": { "line": 3, "character": 9 } });
    let offered = actions(&mut client, &uri, half);
    assert!(titled(&offered, "Извлечь метод").is_none() && titled(&offered, "Обернуть").is_none(), "{offered:?}");

    // The cursor on the description comment that no method follows.
    let cursor = find(&text, "Возвращает", 0);
    let offered = actions(&mut client, &uri, json!({ "start": cursor, "end": cursor }));
    let generate = titled(&offered, "Создать метод СуммаДокумента").expect("the method from its description");
    let after = apply(&text, generate, &uri);
    assert!(
        after.ends_with(
            "//  Число - сумма.\n&НаСервере\nФункция СуммаДокумента(Документ)\n\t// Реализуйте метод.\n\
             \tВозврат 0;\nКонецФункции\n\n"
        ),
        "{after:?}"
    );
    assert!(Parse::new(after).is_valid());
    client.shutdown();
}

fn modules(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "bsl"))
        .collect()
}

/// Every top-level statement of the bodies of SSL's first methods (modules in path order),
/// selected alone and with the next one: extract method and the transaction wrap, when offered, leave a module
/// that parses with no new syntax error.
#[test]
fn refactorings_on_ssl_methods_parse() {
    const METHODS: usize = 200;
    let mut methods = 0;
    let (mut statements, mut extracted, mut wrapped, mut by_reference) = (0, 0, 0, 0);
    let mut refusals: std::collections::BTreeMap<&str, usize> = Default::default();
    'modules: for path in modules(&corpus().join("ssl_3_1")) {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8(bytes).unwrap().trim_start_matches('\u{FEFF}').to_string();
        let parse = Parse::new(text.clone());
        let errors = parse.errors().len();
        let module = parse.module();
        for method in &module.methods {
            let Some(body) =
                bsl_assistant::roles::method_node(&parse, method).and_then(|n| n.child_by_field_name("body"))
            else {
                continue;
            };
            methods += 1;
            if methods > METHODS {
                break 'modules;
            }
            let mut cursor = body.walk();
            let top: Vec<_> = body.named_children(&mut cursor).filter(|n| n.kind().ends_with("_statement")).collect();
            // Each statement alone, then each two consecutive statements.
            let singles = top.iter().map(|s| s.byte_range());
            let pairs = top.windows(2).map(|w| w[0].start_byte()..w[1].end_byte());
            for range in singles.chain(pairs) {
                statements += 1;
                let check = |what: &str, edits: &[bsl_analysis::Edit]| {
                    let after = bsl_analysis::apply_edits(&text, edits);
                    let new = Parse::new(after);
                    assert!(
                        new.errors().len() <= errors,
                        "{what} of {}..{} in {} adds a syntax error: {:?}",
                        range.start,
                        range.end,
                        path.display(),
                        new.errors().first()
                    );
                };
                match bsl_assistant::roles::refactor::extract_method(&parse, range.clone()) {
                    Ok(done) => {
                        check("extract method", &done.edits);
                        extracted += 1;
                        by_reference += usize::from(done.edits[0].new_text.contains("Неопределено;"));
                    }
                    Err(why) => *refusals.entry(why).or_default() += 1,
                }
                if let Ok(done) = bsl_assistant::roles::refactor::wrap_in_transaction(&parse, range.clone()) {
                    check("transaction wrap", &done.edits);
                    wrapped += 1;
                }
            }
        }
    }
    eprintln!(
        "{} methods, {statements} selections: {extracted} extracted ({by_reference} of them set outputs to \
         Неопределено first), \
         {wrapped} wrapped; refused: {refusals:?}",
        METHODS.min(methods)
    );
    assert!(extracted > statements / 2, "most selections can be extracted: {extracted} of {statements}");
}
