//! End-to-end tests of `bsl-assist lsp`: a scripted client talks JSON-RPC to the real binary
//! over stdio, the way an editor does, against modules of the shared corpus.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

#[path = "support/lsp_client.rs"]
mod client;

use client::*;

#[test]
fn a_session_on_an_ssl_module() {
    let ssl = corpus().join("ssl_3_1");
    let module = ssl.join("src/cf/CommonModules/ОбщегоНазначенияКлиентСервер/Ext/Module.bsl");
    let mut client = Client::start();
    initialize(&mut client, &ssl);
    let (uri, text) = open(&mut client, &module);

    // Diagnostics are pushed after opening.
    let published = client.wait_notification("textDocument/publishDiagnostics", |n| n["params"]["uri"] == uri);
    let pushed = &published["params"]["diagnostics"];
    assert!(!pushed.as_array().unwrap().is_empty());

    // Pull diagnostics agree with the pushed ones, item for item (a pulled report's text is
    // written by the server itself, a push goes through tower-lsp).
    let pulled = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } }));
    assert_eq!(&pulled["result"]["items"], pushed, "{pulled}");

    // Symbols: regions at the top, methods inside them.
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    let top = symbols["result"].as_array().expect("symbols");
    assert!(top.iter().any(|s| s["name"] == "ПрограммныйИнтерфейс" && s["kind"] == 3), "{top:?}");
    let api = top.iter().find(|s| s["name"] == "ПрограммныйИнтерфейс").unwrap();
    assert!(!api["children"].as_array().unwrap().is_empty());

    let folds = client.request("textDocument/foldingRange", json!({ "textDocument": { "uri": uri } }));
    assert!(folds["result"].as_array().unwrap().len() > 50);

    let tokens = client.request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri } }));
    let data = tokens["result"]["data"].as_array().unwrap();
    assert!(data.len() > 1000 && data.len().is_multiple_of(5));
    let result_id = tokens["result"]["resultId"].as_str().unwrap().to_string();

    // An edit: insert a comment without a space at the top; the delta is small.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "//новая строка\n" }],
        }),
    );
    let delta = client.request(
        "textDocument/semanticTokens/full/delta",
        json!({ "textDocument": { "uri": uri }, "previousResultId": result_id }),
    );
    let edits = delta["result"]["edits"].as_array().expect("a delta");
    assert_eq!(edits.len(), 1, "{delta}");
    // Applied as a client does, the delta gives the tokens a full request gives now.
    let mut applied = data.clone();
    for edit in edits {
        let start = edit["start"].as_u64().unwrap() as usize;
        let deleted = edit["deleteCount"].as_u64().unwrap() as usize;
        applied.splice(start..start + deleted, edit["data"].as_array().cloned().unwrap_or_default());
    }
    assert!(edits[0]["data"].as_array().unwrap().len() < 50, "only the new line's tokens and the next: {delta}");
    let fresh = client.request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri } }));
    assert_eq!(&applied, fresh["result"]["data"].as_array().unwrap());
    let published = client.wait_notification("textDocument/publishDiagnostics", |n| n["params"]["version"] == 2);
    let first = &published["params"]["diagnostics"].as_array().unwrap();
    let comment = first.iter().find(|d| d["code"] == "SpaceAtStartComment" && d["range"]["start"]["line"] == 0);
    let comment = comment.expect("the new comment is flagged").clone();
    assert!(comment["codeDescription"]["href"].as_str().unwrap().ends_with("SpaceAtStartComment.md"));

    // Quick fix, fix-all and suppression for it.
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": comment["range"], "context": { "diagnostics": [comment] } }),
    );
    let titles: Vec<&str> =
        actions["result"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Вставить пробел"), "{titles:?}");
    assert!(titles.iter().any(|t| t.starts_with("Отключить SpaceAtStartComment")), "{titles:?}");
    let fix = actions["result"].as_array().unwrap().iter().find(|a| a["title"] == "Вставить пробел").unwrap();
    let edit = &fix["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], " ");
    assert_eq!(edit["range"]["start"], json!({ "line": 0, "character": 2 }));

    // Inside the first `Возврат` statement (line numbers shifted by the inserted line).
    let line = text.lines().position(|l| l.trim_start().starts_with("Возврат ")).unwrap() + 1;
    let selection = client.request(
        "textDocument/selectionRange",
        json!({ "textDocument": { "uri": uri }, "positions": [{ "line": line, "character": 10 }] }),
    );
    let mut depth = 0;
    let mut current = &selection["result"][0];
    while current.is_object() {
        depth += 1;
        current = &current["parent"];
    }
    assert!(depth >= 4, "token, statement, block, method, ...: {selection}");

    // Pulled diagnostics carry a result id. After an edit that changes no finding (the first
    // letter of the comment typed over with itself) the report is `unchanged`; after one that
    // adds a finding, it is full again.
    let pulled = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } }));
    let id = pulled["result"]["resultId"].as_str().expect("a result id").to_string();
    // The server writes this report's text itself (not through tower-lsp): the client
    // still gets a whole report, never the stand-in the transport replaces.
    assert!(!id.contains("raw"), "{id}");
    assert_eq!(pulled["result"]["kind"], "full", "{pulled}");
    for item in pulled["result"]["items"].as_array().unwrap() {
        assert!(item["range"]["end"]["character"].is_u64() && item["severity"].is_u64(), "{item}");
        assert!(item["message"].is_string() && item["code"].is_string(), "{item}");
    }
    let replace = |client: &mut Client, version: i64, end: u32, text: &str| {
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "range": { "start": { "line": 0, "character": 2 }, "end": { "line": 0, "character": end } }, "text": text }],
            }),
        );
    };
    replace(&mut client, 3, 3, "н");
    let again =
        client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri }, "previousResultId": id }));
    assert_eq!(again["result"]["kind"], "unchanged", "{again}");
    assert_eq!(again["result"]["resultId"], id.as_str());
    replace(&mut client, 4, 2, "\nПерейти ~М;\n//");
    let changed =
        client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri }, "previousResultId": id }));
    assert_eq!(changed["result"]["kind"], "full", "{}", changed["result"]["kind"]);
    assert!(changed["result"]["items"].as_array().unwrap().iter().any(|d| d["code"] == "UsingGoto"));
    client.shutdown();
}

#[test]
fn bad_requests_fail_alone_and_the_server_keeps_running() {
    let ssl = corpus().join("ssl_3_1");
    let mut client = Client::start();
    initialize(&mut client, &ssl);
    // Malformed JSON and an invalid request are answered with errors, never a crash.
    client.send_raw("{ this is not json");
    // The answer has no id to wait for; notifications (status, progress) may come first.
    let parse_error = loop {
        let message = client.messages.recv_timeout(Duration::from_secs(30)).unwrap();
        if message.get("method").is_none() {
            break message;
        }
    };
    assert_eq!(parse_error["error"]["code"], -32700, "{parse_error}");
    client.send_raw(r#"{"jsonrpc":"2.0","id":99,"params":5}"#);
    let invalid = client.response(99);
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
    // An unknown method gets MethodNotFound.
    let unknown = client.request("bsl/noSuchMethod", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // A request for a document that is not open is an error of that request.
    let missing =
        client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": "file:///nope.bsl" } }));
    assert!(missing.get("error").is_some(), "{missing}");
    // Positions far outside the document are clamped.
    let module = ssl.join("src/cf/CommonModules/СтроковыеФункцииКлиентСервер/Ext/Module.bsl");
    let (uri, _) = open(&mut client, &module);
    let selection = client.request(
        "textDocument/selectionRange",
        json!({ "textDocument": { "uri": uri }, "positions": [{ "line": 999999, "character": 999999 }] }),
    );
    assert!(selection["result"].is_array(), "{selection}");
    // An edit with a range past the end is clamped too, and the document stays usable.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 99999, "character": 5 }, "end": { "line": 99999, "character": 9 } }, "text": "\n// хвост\n" }],
        }),
    );
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    assert!(symbols["result"].is_array(), "{symbols}");
    client.shutdown();
}

#[test]
fn navigation_hover_completion_and_rename_in_a_module() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Модуль.bsl");
    let text = "// См. Проверить.\n//\n// Параметры:\n//  А - Число - первое слагаемое.\n//  Б - Число - второе.\n//\n// Возвращаемое значение:\n//  Число - сумма.\nФункция Сумма(А, Б = 0) Экспорт\n\tИтог = А + Б;\n\tВозврат Итог;\nКонецФункции\n\nПроцедура Проверить()\n\tРезультат = Сумма(1, 2);\n\tСообщить(Результат);\nКонецПроцедуры\n";
    std::fs::write(&path, text).unwrap();
    let mut client = Client::start();
    initialize(&mut client, dir.path());
    let (uri, _) = open(&mut client, &path);
    let at = |needle: &str, nth: usize| json!({ "textDocument": { "uri": uri }, "position": find(text, needle, nth) });
    wait_indexed(&mut client);

    let hover = client.request("textDocument/hover", at("Сумма(1", 0));
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.contains("Функция Сумма(А, Б = 0) Экспорт"), "{value}");
    assert!(value.contains("первое слагаемое") && value.contains("**Параметры**"), "{value}");
    assert!(value.contains("См. Проверить"), "{value}");

    let definition = client.request("textDocument/definition", at("Сумма(1", 0));
    assert_eq!(definition["result"]["range"]["start"], find(text, "Сумма(А", 0), "{definition}");

    let references = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": find(text, "Итог", 1), "context": { "includeDeclaration": true } }),
    );
    assert_eq!(references["result"].as_array().unwrap().len(), 2, "{references}");

    let highlights = client.request("textDocument/documentHighlight", at("А + Б", 0));
    assert_eq!(highlights["result"].as_array().unwrap().len(), 2, "{highlights}");

    // Renaming a local changes every use; an exported method is renamed wherever the
    // workspace calls it; a keyword is refused.
    let rename = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": find(text, "Результат", 0), "newName": "Ответ" }),
    );
    assert_eq!(rename["result"]["changes"][&uri].as_array().unwrap().len(), 2, "{rename}");
    let exported = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": find(text, "Сумма(1", 0), "newName": "Итого" }),
    );
    assert_eq!(exported["result"]["changes"][&uri].as_array().unwrap().len(), 2, "{exported}");
    let keyword = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": find(text, "Результат", 0), "newName": "Если" }),
    );
    assert!(keyword.get("error").is_some(), "{keyword}");
    let platform = client.request("textDocument/prepareRename", at("Сообщить", 0));
    assert!(platform["result"].is_null(), "a platform method is not renamed: {platform}");

    let completion = client.request("textDocument/completion", at("Результат);", 0));
    let labels: Vec<&str> =
        completion["result"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    for expected in ["Результат", "Сумма", "Проверить", "Если", "Для Каждого"] {
        assert!(labels.contains(&expected), "{expected} missing from {labels:?}");
    }
    assert!(!labels.contains(&"Итог"), "a local of another method is not offered");

    let signature = client.request("textDocument/signatureHelp", at("2);", 0));
    assert_eq!(signature["result"]["activeParameter"], 1, "{signature}");
    assert_eq!(signature["result"]["signatures"][0]["label"], "Функция Сумма(А, Б = 0) Экспорт");

    let hints = client.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 20, "character": 0 } } }),
    );
    let labels: Vec<&str> = hints["result"].as_array().unwrap().iter().map(|h| h["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["А:", "Б:"]);

    let formatting = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 4, "insertSpaces": false } }),
    );
    assert_eq!(formatting["result"].as_array().unwrap().len(), 0, "the module is already formatted: {formatting}");

    let links = client.request("textDocument/documentLink", json!({ "textDocument": { "uri": uri } }));
    let link = &links["result"][0];
    assert!(link["target"].as_str().unwrap().ends_with("#L14"), "См. Проверить links to its line: {links}");

    let prepared = client.request("textDocument/prepareCallHierarchy", at("Сумма(1", 0));
    let item = prepared["result"][0].clone();
    assert_eq!(item["name"], "Сумма");
    let incoming = client.request("callHierarchy/incomingCalls", json!({ "item": item }));
    assert_eq!(incoming["result"][0]["from"]["name"], "Проверить", "{incoming}");
    let caller = incoming["result"][0]["from"].clone();
    let outgoing = client.request("callHierarchy/outgoingCalls", json!({ "item": caller }));
    let callees: Vec<&str> =
        outgoing["result"].as_array().unwrap().iter().map(|c| c["to"]["name"].as_str().unwrap()).collect();
    assert_eq!(callees, ["Сумма"]);

    // The assistants: a description comment for a method without one, an explanation and
    // a YAxUnit test module.
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": { "start": find(text, "Проверить()", 0), "end": find(text, "Проверить()", 0) },
                "context": { "diagnostics": [], "only": ["refactor.rewrite"] } }),
    );
    let titles: Vec<&str> =
        actions["result"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Добавить описание метода Проверить"), "{titles:?}");
    let describe = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Добавить описание метода Проверить")
        .unwrap();
    let inserted = describe["edit"]["changes"][&uri][0]["newText"].as_str().unwrap();
    assert!(inserted.starts_with("//"), "{inserted}");
    let explained = client.request(
        "workspace/executeCommand",
        json!({ "command": "bsl-assist.explainMethod", "arguments": [uri, "Проверить"] }),
    );
    assert!(explained["result"]["markdown"].as_str().unwrap().contains("Сумма"), "{explained}");
    let tests = client.request(
        "workspace/executeCommand",
        json!({ "command": "bsl-assist.generateTests", "arguments": [uri, "Сумма"] }),
    );
    let module = tests["result"]["text"].as_str().unwrap();
    assert!(module.contains("ИсполняемыеСценарии") && module.contains("Модуль.Сумма("), "{module}");
    assert!(bsl_syntax::Parse::new(module).is_valid(), "the generated tests parse: {module}");
    let unknown = client.request(
        "workspace/executeCommand",
        json!({ "command": "bsl-assist.generateTests", "arguments": [uri, "НетТакого"] }),
    );
    assert!(unknown["error"]["message"].as_str().unwrap().contains("НетТакого"), "{unknown}");
    client.shutdown();
}

#[test]
fn two_hundred_concurrent_requests_and_a_twenty_megabyte_module() {
    let ssl = corpus().join("ssl_3_1");
    let source = ssl.join("src/cf/CommonModules/ОбщегоНазначенияКлиентСервер/Ext/Module.bsl");
    let text = bsl_syntax::source::decode(&std::fs::read(&source).unwrap()).unwrap();
    // About 20 MB: the module repeated, with its methods renamed so the text stays valid.
    let mut big = String::with_capacity(21_000_000);
    let mut copy = 0;
    while big.len() < 20_000_000 {
        big.push_str(
            &text
                .replace("Процедура ", &format!("Процедура К{copy}_"))
                .replace("Функция ", &format!("Функция К{copy}_")),
        );
        big.push('\n');
        copy += 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Большой.bsl");
    std::fs::write(&path, &big).unwrap();
    let mut client = Client::start();
    initialize(&mut client, dir.path());
    let uri = uri(&path);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "bsl", "version": 1, "text": big } }),
    );
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    assert!(symbols["result"].as_array().unwrap().len() > 10, "symbols of the big module");

    // 200 requests at once, answered each.
    let first = client.next_id;
    for i in 0..200 {
        let line = (i * 37) % 5000;
        let params = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 5 } });
        let body = json!({ "jsonrpc": "2.0", "id": first + i, "method": "textDocument/hover", "params": params });
        client.send_raw(&body.to_string());
    }
    client.next_id += 200;
    for i in 0..200 {
        let response = client.response(first + i);
        assert!(response.get("result").is_some() || response["error"]["code"] == -32801, "{response}");
    }
    client.shutdown();
}

/// The largest module (`.bsl` or `.os`) under a folder (the first by path among equals).
fn largest_module(root: &Path) -> PathBuf {
    let size = |p: &PathBuf| std::fs::metadata(p).unwrap().len();
    let modules = files_with(root, &["bsl", "os"]);
    modules.into_iter().rev().max_by_key(size).expect("a module")
}

#[test]
fn no_request_fails_inside_the_largest_module_of_each_corpus() {
    // Handlers slice text by byte offsets; a slip is a panic the server turns into an
    // internal error (-32603) and the feature silently stops working in that module. The
    // largest real modules, Russian and English, at spots spread over them.
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start();
    initialize(&mut client, dir.path());
    for corpus_name in ["ssl_3_1", "yaxunit", "vanessa-automation", "autumn", "gitsync", "opm"] {
        let path = largest_module(&corpus().join(corpus_name));
        let (uri, text) = open(&mut client, &path);
        let doc = json!({ "uri": uri });
        let lines: Vec<&str> = text.lines().collect();
        let mut failures = Vec::new();
        let mut check = |client: &mut Client, method: &str, params: Value| {
            let answer = client.request(method, params.clone());
            if answer["error"]["code"] == -32603 {
                failures.push(format!("{method} {params}: {}", answer["error"]["message"]));
            }
        };
        for method in [
            "textDocument/documentSymbol",
            "textDocument/foldingRange",
            "textDocument/semanticTokens/full",
            "textDocument/codeLens",
            "textDocument/documentLink",
            "textDocument/diagnostic",
        ] {
            check(&mut client, method, json!({ "textDocument": doc }));
        }
        let end = json!({ "line": lines.len(), "character": 0 });
        let whole = json!({ "start": { "line": 0, "character": 0 }, "end": end });
        check(&mut client, "textDocument/inlayHint", json!({ "textDocument": doc, "range": whole }));
        let options = json!({ "tabSize": 4, "insertSpaces": false });
        check(&mut client, "textDocument/formatting", json!({ "textDocument": doc, "options": options }));
        for line in (0..lines.len()).step_by(lines.len() / 8 + 1) {
            let width = lines[line].encode_utf16().count();
            let indent = lines[line].len() - lines[line].trim_start().len();
            for character in [indent + 1, width / 2, width] {
                let at = json!({ "line": line, "character": character });
                let here = json!({ "textDocument": doc, "position": at });
                for method in [
                    "textDocument/hover",
                    "textDocument/completion",
                    "textDocument/signatureHelp",
                    "textDocument/definition",
                    "textDocument/documentHighlight",
                    "textDocument/prepareRename",
                ] {
                    check(&mut client, method, here.clone());
                }
                let references =
                    json!({ "textDocument": doc, "position": at, "context": { "includeDeclaration": true } });
                check(&mut client, "textDocument/references", references);
                check(&mut client, "textDocument/selectionRange", json!({ "textDocument": doc, "positions": [at] }));
                let range = json!({ "start": { "line": line, "character": 0 }, "end": at });
                let actions = json!({ "textDocument": doc, "range": range, "context": { "diagnostics": [] } });
                check(&mut client, "textDocument/codeAction", actions);
            }
        }
        assert!(failures.is_empty(), "{}:\n{}", path.display(), failures.join("\n"));
        client.notify("textDocument/didClose", json!({ "textDocument": doc }));
    }
    client.shutdown();
}

/// Every `.bsl` file under a folder, sorted.
fn bsl_files(root: &Path) -> Vec<PathBuf> {
    files_with(root, &["bsl"])
}

/// Every file under a folder with one of these extensions, sorted.
fn files_with(root: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| extensions.iter().any(|x| e == *x)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn read_module(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap()).trim_start_matches('\u{FEFF}').to_string()
}

/// `(uri, line, UTF-16 column)` of a location.
fn location_key(location: &Value) -> (String, u64, u64) {
    let start = &location["range"]["start"];
    (
        location["uri"].as_str().unwrap().to_string(),
        start["line"].as_u64().unwrap(),
        start["character"].as_u64().unwrap(),
    )
}

#[test]
fn cross_module_navigation_over_the_ssl_workspace() {
    let ssl = corpus().join("ssl_3_1");
    let common = ssl.join("src/cf/CommonModules/ОбщегоНазначения/Ext/Module.bsl");
    let call = "ОбщегоНазначения.ЗначениеРеквизитаОбъекта(";
    // The baseline: a plain text search for qualified calls outside comments, and bare calls
    // inside the module itself (its own declaration excluded).
    let mut expected = std::collections::BTreeSet::new();
    let mut commented = 0;
    let mut caller: Option<PathBuf> = None;
    for path in bsl_files(&ssl) {
        let text = read_module(&path);
        let own = path == common;
        let needle = if own { "ЗначениеРеквизитаОбъекта(" } else { call };
        for (offset, _) in text.match_indices(needle) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = &text[line_start..offset];
            if own && (line.trim_end().ends_with("Функция") || line.ends_with('.') || line.ends_with("Функция "))
            {
                continue;
            }
            if line.contains("//") {
                commented += 1;
                continue;
            }
            let name_offset = if own { offset } else { offset + "ОбщегоНазначения.".len() };
            let column: usize = text[line_start..name_offset].chars().map(char::len_utf16).sum();
            expected.insert((uri(&path), text[..offset].matches('\n').count() as u64, column as u64));
            if caller.is_none() && !own {
                caller = Some(path.clone());
            }
        }
    }
    let caller = caller.expect("SSL calls ЗначениеРеквизитаОбъекта");

    let mut client = Client::start();
    let started = std::time::Instant::now();
    initialize_with(
        &mut client,
        &ssl,
        json!({
            "window": { "workDoneProgress": true },
            "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
        }),
    );
    let (caller_uri, caller_text) = open(&mut client, &caller);
    // Requests for an open file are answered while the workspace is indexed.
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": caller_uri } }));
    assert!(!symbols["result"].as_array().unwrap().is_empty(), "{symbols}");
    // `$/progress` goes from begin to end with percentages.
    let begin = client.wait_notification("$/progress", |m| m["params"]["value"]["kind"] == "begin");
    assert_eq!(begin["params"]["value"]["percentage"], 0, "{begin}");
    let end = client.wait_notification("$/progress", |m| m["params"]["value"]["kind"] == "end");
    eprintln!("indexed in {:.1} s: {}", started.elapsed().as_secs_f64(), end["params"]["value"]["message"]);
    assert!(
        client.notifications.iter().any(|n| n["method"] == "client/registerCapability"
            && n["params"]["registrations"][0]["method"] == "workspace/didChangeWatchedFiles"),
        "the server watches files"
    );

    let at = find(&caller_text, call, 0);
    let on_method = json!({ "line": at["line"], "character": at["character"].as_u64().unwrap() + 20 });
    let params = json!({ "textDocument": { "uri": caller_uri }, "position": on_method });
    let definition = client.request("textDocument/definition", params.clone());
    let common_text = read_module(&common);
    assert_eq!(definition["result"]["uri"], uri(&common), "{definition}");
    assert_eq!(
        definition["result"]["range"]["start"],
        find(&common_text, "ЗначениеРеквизитаОбъекта(Ссылка", 0),
        "{definition}"
    );

    let hover = client.request("textDocument/hover", params.clone());
    let value = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("Функция ЗначениеРеквизитаОбъекта(") && value.contains("Экспорт"), "{hover}");

    let references = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": caller_uri }, "position": on_method, "context": { "includeDeclaration": false } }),
    );
    let found: std::collections::BTreeSet<_> =
        references["result"].as_array().unwrap().iter().map(location_key).collect();
    let hits = found.intersection(&expected).count() as f64;
    let precision = hits / found.len() as f64;
    let recall = hits / expected.len() as f64;
    eprintln!(
        "references: {} found, {} by text search ({commented} more in comments), precision {precision:.3}, recall {recall:.3}",
        found.len(),
        expected.len()
    );
    for missing in expected.difference(&found).take(5) {
        eprintln!("missed: {missing:?}");
    }
    for extra in found.difference(&expected).take(5) {
        eprintln!("extra: {extra:?}");
    }
    assert!(precision >= 0.99 && recall >= 0.99, "precision {precision}, recall {recall}");

    let symbols = client.request("workspace/symbol", json!({ "query": "ЗначениеРеквизитаОбъекта" }));
    let first = &symbols["result"][0];
    assert_eq!(first["name"], "ЗначениеРеквизитаОбъекта", "{symbols}");
    assert_eq!(first["location"]["uri"], uri(&common));

    // Completion after a common module's name lists its exported methods; after a manager,
    // its objects.
    let dot = find(&caller_text, call, 0);
    let after_dot = json!({ "line": dot["line"], "character": dot["character"].as_u64().unwrap() + 17 });
    let completion = client
        .request("textDocument/completion", json!({ "textDocument": { "uri": caller_uri }, "position": after_dot }));
    let labels: Vec<&str> =
        completion["result"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"ЗначенияРеквизитовОбъекта") && labels.len() > 100, "{labels:?}");
    assert!(!labels.contains(&"Если"), "no keywords after a dot");

    let lenses = client.request("textDocument/codeLens", json!({ "textDocument": { "uri": caller_uri } }));
    let lenses = lenses["result"].as_array().unwrap();
    assert!(!lenses.is_empty() && lenses[0]["command"]["title"].as_str().unwrap().contains("когнитивная сложность"));
    client.shutdown();
}

#[test]
fn watched_files_and_onescript_modules_join_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("src/Модули")).unwrap();
    std::fs::write(root.join("packagedef"), "Описание.Имя(\"проба\");\n").unwrap();
    std::fs::write(
        root.join("src/Модули/Помощник.os"),
        "Функция Сложить(А, Б) Экспорт\n\tВозврат А + Б;\nКонецФункции\n",
    )
    .unwrap();
    let main = root.join("src/main.os");
    let text = "Сумма = Помощник.Сложить(1, 2);\nРазность = Другой.Вычесть(3, 1);\n";
    std::fs::write(&main, text).unwrap();

    let mut client = Client::start();
    initialize_with(
        &mut client,
        &root,
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
    );
    let (main_uri, _) = open(&mut client, &main);
    wait_indexed(&mut client);
    let at = |needle: &str| json!({ "textDocument": { "uri": main_uri }, "position": find(text, needle, 0) });
    let definition = client.request("textDocument/definition", at("Сложить"));
    assert_eq!(definition["result"]["uri"], uri(&root.join("src/Модули/Помощник.os")), "{definition}");
    let unknown = client.request("textDocument/definition", at("Вычесть"));
    assert!(unknown["result"].is_null(), "not yet written: {unknown}");

    // A module appears on disk; the editor tells the server.
    let other = root.join("src/Модули/Другой.os");
    std::fs::write(&other, "\nФункция Вычесть(А, Б) Экспорт\n\tВозврат А - Б;\nКонецФункции\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": uri(&other), "type": 1 }] }));
    let definition = client.request("textDocument/definition", at("Вычесть"));
    assert_eq!(definition["result"]["uri"], uri(&other), "{definition}");
    assert_eq!(definition["result"]["range"]["start"], json!({ "line": 1, "character": 8 }));

    // And disappears.
    std::fs::remove_file(&other).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": uri(&other), "type": 3 }] }));
    let gone = client.request("textDocument/definition", at("Вычесть"));
    assert!(gone["result"].is_null(), "{gone}");
    client.shutdown();
}

#[test]
fn completion_in_a_large_module_cut_inside_a_letter() {
    // The keyword language is judged from the first 20 KB; here byte 20,000 falls inside a
    // two-byte Cyrillic letter, which once made every completion outside `Объект.` fail.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Большой.bsl");
    let comment = format!("//{}\n", "ж".repeat(60));
    let mut text = comment.repeat(20_100 / comment.len() + 1);
    text.insert(0, 'x');
    text.insert_str(0, "//");
    text.push_str("Процедура Проверить()\n\tИтог = 1;\nКонецПроцедуры\n");
    assert!(!text.is_char_boundary(20_000));
    std::fs::write(&path, &text).unwrap();
    let mut client = Client::start();
    initialize(&mut client, dir.path());
    let (uri, _) = open(&mut client, &path);
    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": find(&text, "Итог", 0) }),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{completion}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Проверить") && labels.contains(&"Если"), "{labels:?}");
}

#[test]
fn completion_documentation_comes_with_the_list_or_on_resolve_as_the_client_declares() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    // A configuration in Designer's layout with two common modules.
    let cf = root.join("cf");
    std::fs::create_dir_all(cf.join("CommonModules/Деньги/Ext")).unwrap();
    std::fs::create_dir_all(cf.join("CommonModules/Мат/Ext")).unwrap();
    std::fs::write(
        cf.join("CommonModules/Деньги/Ext/Module.bsl"),
        "// Округляет до копеек.\nФункция Округлить(Ч) Экспорт\n\tВозврат Окр(Ч, 2);\nКонецФункции\n",
    )
    .unwrap();
    for name in ["Деньги", "Мат"] {
        let xml = format!(
            "<MetaDataObject>\n\t<CommonModule uuid=\"1\">\n\t\t<Properties>\n\t\t\t<Name>{name}</Name>\n\t\t\t<Server>true</Server>\n\t\t</Properties>\n\t</CommonModule>\n</MetaDataObject>\n"
        );
        std::fs::write(cf.join(format!("CommonModules/{name}.xml")), xml).unwrap();
    }
    std::fs::write(
        cf.join("Configuration.xml"),
        "<MetaDataObject>\n\t<Configuration>\n\t\t<ChildObjects>\n\t\t\t<CommonModule>Деньги</CommonModule>\n\t\t\t<CommonModule>Мат</CommonModule>\n\t\t</ChildObjects>\n\t</Configuration>\n</MetaDataObject>\n",
    )
    .unwrap();
    let path = cf.join("CommonModules/Мат/Ext/Module.bsl");
    let text = "// Складывает два числа.\nФункция Сумма(А, Б)\n\tВозврат А + Б;\nКонецФункции\n\n\
                Процедура Проверить()\n\tИтог = Сумма(1, 2);\n\tДеньги.Округлить(Итог);\nКонецПроцедуры\n";
    std::fs::write(&path, text).unwrap();
    let item = |completion: &Value, label: &str| -> Value {
        let items = completion["result"].as_array().unwrap_or_else(|| panic!("{completion}"));
        items.iter().find(|i| i["label"] == label).unwrap_or_else(|| panic!("{label} missing: {completion}")).clone()
    };
    let documentation = |item: &Value| item["documentation"]["value"].as_str().unwrap_or_default().to_string();

    for lazy in [false, true] {
        let mut client = Client::start();
        let capabilities = if lazy {
            json!({ "textDocument": { "completion": { "completionItem": {
                "resolveSupport": { "properties": ["documentation", "detail"] } } } } })
        } else {
            json!({})
        };
        initialize_with(&mut client, &root, capabilities);
        let (uri, _) = open(&mut client, &path);
        wait_indexed(&mut client);
        let own = client.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": find(text, "Итог =", 0) }),
        );
        let sum = item(&own, "Сумма");
        let dot = find(text, "Округлить(Итог", 0);
        let members =
            client.request("textDocument/completion", json!({ "textDocument": { "uri": uri }, "position": dot }));
        let round = item(&members, "Округлить");
        if !lazy {
            // Everything in the list, nothing to resolve.
            assert!(documentation(&sum).contains("Складывает два числа"), "{sum}");
            assert!(documentation(&round).contains("Округляет до копеек"), "{round}");
            assert!(sum.get("data").is_none() && round.get("data").is_none(), "{sum} {round}");
            continue;
        }
        // Left out of the list, filled in on resolve; an item of an older list stays as it is.
        for item in [&sum, &round] {
            assert!(item.get("documentation").is_none() && item.get("detail").is_none(), "{item}");
        }
        let resolved = client.request("completionItem/resolve", round.clone());
        assert!(documentation(&resolved["result"]).contains("Округляет до копеек"), "{resolved}");
        assert_eq!(resolved["result"]["detail"], "Деньги: Функция Округлить(Ч) Экспорт", "{resolved}");
        let stale = client.request("completionItem/resolve", sum.clone());
        assert!(stale["result"].get("documentation").is_none(), "an item of an older list: {stale}");
        let again = client.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": find(text, "Итог =", 0) }),
        );
        let resolved = client.request("completionItem/resolve", item(&again, "Сумма"));
        assert!(documentation(&resolved["result"]).contains("Складывает два числа"), "{resolved}");
        assert_eq!(resolved["result"]["detail"], "Функция Сумма(А, Б)", "{resolved}");
        // Data the server never gave, or a method that is gone, leave the item as it is.
        let list = item(&again, "Сумма")["data"]["list"].clone();
        for data in [json!("мусор"), json!({ "list": list, "module": "/нет/такого.bsl" }), json!({ "list": -1 })]
        {
            let odd = json!({ "label": "Сумма", "data": data });
            let answer = client.request("completionItem/resolve", odd.clone());
            assert_eq!(answer["result"], odd, "{answer}");
        }
        let gone = json!({ "label": "НетТакого", "data": { "list": list } });
        assert_eq!(client.request("completionItem/resolve", gone.clone())["result"], gone);
    }
}

#[test]
fn platform_facts_in_hover_signature_help_and_completion_of_an_ssl_module() {
    let ssl = corpus().join("ssl_3_1");
    let path = bsl_files(&ssl)
        .into_iter()
        .find(|p| {
            let text = read_module(p);
            text.contains("СтрНайти(") && text.contains("Запрос = Новый Запрос;") && text.contains("Запрос.Текст")
        })
        .expect("an SSL module with both");
    let mut client = Client::start();
    let dir = tempfile::tempdir().unwrap();
    initialize(&mut client, dir.path());
    let (uri, text) = open(&mut client, &path);
    let at = |needle: &str, shift: u64| {
        let p = find(&text, needle, 0);
        json!({ "textDocument": { "uri": uri }, "position": { "line": p["line"], "character": p["character"].as_u64().unwrap() + shift } })
    };

    let hover = client.request("textDocument/hover", at("СтрНайти(", 2));
    let value = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("СтрНайти(") && value.contains("StrFind"), "{hover}");
    assert!(value.contains("Доступность") && value.contains("сервер"), "availability: {value}");

    let signature = client.request("textDocument/signatureHelp", at("СтрНайти(", 9));
    let label = signature["result"]["signatures"][0]["label"].as_str().unwrap_or_default();
    assert!(label.starts_with("СтрНайти("), "{signature}");

    let completion = client.request("textDocument/completion", at("Запрос.Текст", 7));
    let labels: Vec<&str> =
        completion["result"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    for expected in ["Выполнить", "УстановитьПараметр", "Текст"] {
        assert!(labels.contains(&expected), "{expected} missing after `Запрос.`: {labels:?}");
    }
    let hover = client.request("textDocument/hover", at("Новый Запрос;", 7));
    let value = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("Новый Запрос"), "{hover}");

    // The custom search request answers from the knowledge base.
    let found = client.request("bsl-assist/search", json!({ "query": "как найти подстроку в строке", "limit": 5 }));
    let titles: Vec<&str> =
        found["result"].as_array().unwrap().iter().map(|h| h["title"].as_str().unwrap_or_default()).collect();
    assert!(titles.iter().any(|t| t.contains("СтрНайти")), "{found}");
    let bad = client.request("bsl-assist/search", json!({ "query": "x", "scope": "everything" }));
    assert!(bad["error"]["message"].as_str().unwrap_or_default().contains("scope"), "{bad}");
    client.shutdown();
}

#[test]
fn hover_shows_the_risk_of_a_method_from_the_repository_history() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().canonicalize().unwrap().join("repo");
    std::fs::create_dir_all(repo.join("src")).unwrap();
    // Test setup only: the server reads history with gix, never through the git binary.
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("GIT_AUTHOR_NAME", "Тест")
            .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
            .env("GIT_COMMITTER_NAME", "Тест")
            .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    let module = repo.join("src/Модуль.os");
    let mut text = String::new();
    for i in 0..4 {
        text.push_str(&format!(
            "Процедура Метод{i}(А)\n\tЕсли А > {i} Тогда\n\t\tСообщить(А);\n\tКонецЕсли;\nКонецПроцедуры\n\n"
        ));
        std::fs::write(&module, &text).unwrap();
        git(&["add", "."]);
        git(&["commit", "-q", "-m", &format!("исправлена ошибка {i}")]);
    }
    let mut client = Client::start();
    initialize(&mut client, &repo);
    let (uri, text) = open(&mut client, &module);
    client.wait_notification("window/logMessage", |m| {
        m["params"]["message"].as_str().is_some_and(|t| t.contains("risk model ready"))
    });
    let hover = client
        .request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": find(&text, "Метод0", 0) }));
    let value = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("Риск ошибки") && value.contains("эвристика"), "{hover}");
    client.shutdown();
}

#[test]
fn a_broken_metadata_file_is_a_diagnostic_on_that_file() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../analysis/tests/fixtures/workspace");
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    std::fs::copy(fixtures.join("designer/Configuration.xml"), root.join("Configuration.xml")).unwrap();
    std::fs::create_dir_all(root.join("Catalogs")).unwrap();
    let broken = root.join("Catalogs/Валюты.xml");
    std::fs::copy(fixtures.join("broken/mismatched_end.xml"), &broken).unwrap();
    let mut client = Client::start();
    initialize_with(
        &mut client,
        &root,
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
    );
    let published = client.wait_notification("textDocument/publishDiagnostics", |m| m["params"]["uri"] == uri(&broken));
    let message = published["params"]["diagnostics"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("metadata description cannot be read"), "{published}");
    wait_indexed(&mut client);

    // Mended on disk: the diagnostic goes away.
    std::fs::copy(fixtures.join("designer/Configuration.xml"), &broken).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": uri(&broken), "type": 2 }] }));
    let cleared = client.wait_notification("textDocument/publishDiagnostics", |m| {
        m["params"]["uri"] == uri(&broken) && m["params"]["diagnostics"].as_array().is_some_and(|d| d.is_empty())
    });
    assert!(cleared["params"]["diagnostics"].as_array().unwrap().is_empty());
    client.shutdown();
}

/// A client that pulls diagnostics gets them by pulling only: the server offers pull to it
/// and never pushes an open document's list as well (VS Code would show each finding twice,
/// once per collection). A client that does not pull is offered nothing and gets pushes.
#[test]
fn a_client_that_pulls_is_not_also_pushed() {
    let ssl = corpus().join("ssl_3_1");
    let module = ssl.join("src/cf/CommonModules/ОбщегоНазначенияКлиентСервер/Ext/Module.bsl");

    let mut pulling = Client::start();
    let answer = pulling.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": { "textDocument": { "diagnostic": {} } } }),
    );
    assert_eq!(answer["result"]["capabilities"]["diagnosticProvider"]["identifier"], "bsl-assist", "{answer}");
    pulling.notify("initialized", json!({}));
    let (uri, _) = open(&mut pulling, &module);
    let pulled = pulling.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } }));
    assert!(!pulled["result"]["items"].as_array().unwrap().is_empty(), "{pulled}");
    pulling.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "//x\n" }],
        }),
    );
    // Well past the debounce of a push; then a request whose answer comes after anything
    // the server would have sent meanwhile.
    std::thread::sleep(Duration::from_millis(600));
    pulling.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    let pushed = pulling
        .notifications
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri)
        .count();
    assert_eq!(pushed, 0, "{:?}", pulling.notifications);
    pulling.shutdown();

    let mut pushed_to = Client::start();
    let answer = pushed_to.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} }));
    assert!(answer["result"]["capabilities"].get("diagnosticProvider").is_none(), "{answer}");
    pushed_to.notify("initialized", json!({}));
    let (uri, _) = open(&mut pushed_to, &module);
    let published = pushed_to.wait_notification("textDocument/publishDiagnostics", |n| n["params"]["uri"] == uri);
    assert!(!published["params"]["diagnostics"].as_array().unwrap().is_empty());
    pushed_to.shutdown();
}
