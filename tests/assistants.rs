//! End-to-end tests of the assistants' commands over LSP: the real server, a scripted
//! editor that applies the edits the server asks for, a small Designer-layout project in a
//! temporary folder, and (for the LLM path) a fake OpenAI-compatible endpoint on loopback.

#[path = "support/fs.rs"]
mod fs;
use fs::copy_tree;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

#[path = "support/lsp_client.rs"]
mod client;

use client::*;

const MODULE: &str = "Функция Сумма(А, Б) Экспорт\n\tВозврат А + Б;\nКонецФункции\n\n\
                      Функция Разность(А, Б) Экспорт\n\tВозврат Деньги.Округлить(А - Б);\nКонецФункции\n";

/// A configuration with two common modules and an empty tests extension beside it.
fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let cf = root.join("cf");
    for (name, text) in
        [("Мат", MODULE), ("Деньги", "Функция Округлить(Ч) Экспорт\n\tВозврат Окр(Ч, 2);\nКонецФункции\n")]
    {
        std::fs::create_dir_all(cf.join("CommonModules").join(name).join("Ext")).unwrap();
        std::fs::write(cf.join("CommonModules").join(name).join("Ext/Module.bsl"), text).unwrap();
    }
    std::fs::write(
        cf.join("CommonModules/Деньги.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MetaDataObject xmlns=\"http://v8.1c.ru/8.3/MDClasses\">\n\t<CommonModule uuid=\"1\">\n\t\t<Properties>\n\t\t\t<Name>Деньги</Name>\n\t\t\t<Server>true</Server>\n\t\t</Properties>\n\t</CommonModule>\n</MetaDataObject>\n",
    )
    .unwrap();
    std::fs::write(
        cf.join("Configuration.xml"),
        "<MetaDataObject>\n\t<Configuration>\n\t\t<ChildObjects>\n\t\t\t<CommonModule>Деньги</CommonModule>\n\t\t\t<CommonModule>Мат</CommonModule>\n\t\t</ChildObjects>\n\t</Configuration>\n</MetaDataObject>\n",
    )
    .unwrap();
    let tests = root.join("tests");
    std::fs::create_dir_all(&tests).unwrap();
    std::fs::write(
        tests.join("Configuration.xml"),
        "<MetaDataObject>\n\t<Configuration>\n\t\t<ChildObjects>\n\t\t\t<Language>Русский</Language>\n\t\t</ChildObjects>\n\t</Configuration>\n</MetaDataObject>\n",
    )
    .unwrap();
    (tmp, root)
}

/// The file path of a `file://` URI (percent-decoded).
fn path_of(uri: &str) -> PathBuf {
    let raw = uri.strip_prefix("file://").unwrap();
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&raw[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    PathBuf::from(String::from_utf8(out).unwrap())
}

/// The byte offset of an LSP position (UTF-16 columns).
fn offset(text: &str, position: &Value) -> usize {
    let (line, character) =
        (position["line"].as_u64().unwrap() as usize, position["character"].as_u64().unwrap() as usize);
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Applies a `WorkspaceEdit` to disk as an editor would: creates files, then applies text
/// edits (each document's edits from the last to the first). Returns the file events a
/// watcher would report: `(uri, 1)` created, `(uri, 2)` changed.
fn apply(edit: &Value) -> Vec<(String, u8)> {
    let mut events = Vec::new();
    let mut operations: Vec<Value> = edit["documentChanges"].as_array().cloned().unwrap_or_default();
    if let Some(changes) = edit["changes"].as_object() {
        for (uri, edits) in changes {
            operations.push(json!({ "textDocument": { "uri": uri }, "edits": edits }));
        }
    }
    for op in operations {
        if op["kind"] == "create" {
            let path = path_of(op["uri"].as_str().unwrap());
            assert!(
                !path.exists() || op["options"]["ignoreIfExists"] == true,
                "create must not overwrite {}",
                path.display()
            );
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            if !path.exists() {
                std::fs::write(&path, "").unwrap();
                events.push((op["uri"].as_str().unwrap().to_string(), 1));
            }
            continue;
        }
        let path = path_of(op["textDocument"]["uri"].as_str().unwrap());
        let mut text = std::fs::read_to_string(&path).unwrap();
        let mut edits: Vec<&Value> = op["edits"].as_array().unwrap().iter().collect();
        edits.sort_by_key(|e| std::cmp::Reverse(offset(&text, &e["range"]["start"])));
        for e in edits {
            let (start, end) = (offset(&text, &e["range"]["start"]), offset(&text, &e["range"]["end"]));
            text.replace_range(start..end, e["newText"].as_str().unwrap());
        }
        std::fs::write(&path, text).unwrap();
        let uri = op["textDocument"]["uri"].as_str().unwrap().to_string();
        if !events.iter().any(|(u, _)| *u == uri) {
            events.push((uri, 2));
        }
    }
    events
}

/// Runs a command, applies the edit the server sent meanwhile (if any), returns the result.
fn command(client: &mut Client, name: &str, arguments: Value) -> (Value, Option<Value>) {
    let before = client.notifications.len();
    let response = client.request("workspace/executeCommand", json!({ "command": name, "arguments": arguments }));
    assert!(response.get("error").is_none(), "{name}: {response}");
    let edit = client.notifications[before.min(client.notifications.len())..]
        .iter()
        .find(|m| m["method"] == "workspace/applyEdit")
        .map(|m| m["params"]["edit"].clone());
    if let Some(edit) = &edit {
        let changes: Vec<Value> =
            apply(edit).into_iter().map(|(uri, typ)| json!({ "uri": uri, "type": typ })).collect();
        client.notify("workspace/didChangeWatchedFiles", json!({ "changes": changes }));
    }
    (response["result"].clone(), edit)
}

const EDITOR: &str = r#"{"workspace": {"applyEdit": true, "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]}}, "window": {"workDoneProgress": true}}"#;

fn initialize_project(client: &mut Client, root: &Path, options: Value) {
    let response = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri(root),
            "workspaceFolders": [{ "uri": uri(root), "name": "p" }],
            "capabilities": serde_json::from_str::<Value>(EDITOR).unwrap(),
            "initializationOptions": options,
        }),
    );
    let commands = &response["result"]["capabilities"]["executeCommandProvider"]["commands"];
    for name in ["bsl-assist.generateTests", "bsl-assist.review", "bsl-assist.chat", "bsl-assist.diagram"] {
        assert!(commands.as_array().unwrap().iter().any(|c| c == name), "{name} in {commands}");
    }
    client.notify("initialized", json!({}));
}

#[test]
fn every_role_answers_and_tests_land_in_the_tests_project_without_overwriting() {
    let (_tmp, root) = project();
    let cache = root.join(".cache-outside");
    let mut client = Client::start_with(&[("BSL_ASSIST_CACHE", &cache)]);
    initialize_project(&mut client, &root, json!({ "bsl-assist": { "tests": { "folder": "tests" } } }));
    let status = client
        .wait_notification("bsl-assist/status", |m| m["params"]["indexing"].is_null() && m["params"]["modules"] == 2);
    assert_eq!(status["params"]["llm"], "off");
    let module = root.join("cf/CommonModules/Мат/Ext/Module.bsl");
    let (module_uri, _) = open(&mut client, &module);

    // Tester: the first run creates the module, its metadata and the configuration's entry.
    let (result, edit) = command(&mut client, "bsl-assist.generateTests", json!([module_uri, "Сумма"]));
    assert_eq!(result["applied"], true, "{result}");
    assert!(edit.is_some(), "the server asked the editor to apply the tests");
    let tests_module = root.join("tests/CommonModules/ОМ_Мат/Ext/Module.bsl");
    let text = std::fs::read_to_string(&tests_module).unwrap();
    assert!(text.contains("Процедура Тест_Сумма()") && !text.contains("Тест_Разность"), "{text}");
    assert!(
        std::fs::read_to_string(root.join("tests/CommonModules/ОМ_Мат.xml")).unwrap().contains("<Name>ОМ_Мат</Name>")
    );
    let configuration = std::fs::read_to_string(root.join("tests/Configuration.xml")).unwrap();
    assert!(
        configuration.contains("\t\t\t<CommonModule>ОМ_Мат</CommonModule>\n\t\t</ChildObjects>"),
        "{configuration}"
    );

    // The user edits the tests; the second run (whole module) adds only what is missing.
    std::fs::write(&tests_module, text.replace("// Действие", "// Действие: проверено вручную")).unwrap();
    let (result, _) = command(&mut client, "bsl-assist.generateTests", json!([module_uri, ""]));
    assert_eq!(result["applied"], true, "{result}");
    let merged = std::fs::read_to_string(&tests_module).unwrap();
    assert!(merged.contains("проверено вручную"), "the user's text stays: {merged}");
    assert!(
        merged.contains("Процедура Тест_Разность()") && merged.contains(".ДобавитьТест(\"Тест_Разность\")"),
        "{merged}"
    );
    assert_eq!(merged.matches("Процедура Тест_Сумма()").count(), 1, "{merged}");
    // A third run has nothing to add and changes nothing.
    let (result, edit) = command(&mut client, "bsl-assist.generateTests", json!([module_uri, ""]));
    assert!(edit.is_none(), "{result}");
    assert_eq!(std::fs::read_to_string(&tests_module).unwrap(), merged);

    // Developer: the doc comment goes above the method through the editor.
    let (result, edit) = command(&mut client, "bsl-assist.addDocComment", json!([module_uri, "Сумма"]));
    assert_eq!(result["applied"], true, "{result}");
    let edit = edit.unwrap();
    let inserted = edit["changes"][&module_uri][0]["newText"].as_str().unwrap();
    assert!(inserted.starts_with("// ") && inserted.contains("Параметры:"), "{inserted}");
    let (result, _) = command(&mut client, "bsl-assist.explainMethod", json!([module_uri, "Разность"]));
    assert!(result["markdown"].as_str().unwrap().contains("Разность"), "{result}");
    assert_eq!(result["llm"], false);

    // Reviewer: the review, and its findings as diagnostics citing the standards.
    let (result, _) = command(&mut client, "bsl-assist.review", json!([module_uri]));
    assert!(result["markdown"].as_str().unwrap().starts_with("# Ревью модуля Мат"), "{result}");
    assert!(result["reviewDiagnostics"].as_u64().unwrap() > 0, "{result}");
    let published = client.wait_notification("textDocument/publishDiagnostics", |m| {
        m["params"]["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["source"] == "bsl-assist-review"))
    });
    let cited = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["source"] == "bsl-assist-review")
        .unwrap();
    assert!(cited["message"].as_str().unwrap().starts_with("Стандарт "), "{cited}");
    assert!(cited["codeDescription"]["href"].as_str().unwrap().starts_with("https://its.1c.ru/db/v8std"), "{cited}");

    // Project manager: an estimate of changing the selected methods.
    let (result, _) = command(&mut client, "bsl-assist.estimate", json!([module_uri, 4, 6]));
    assert_eq!(result["methods"].as_array().unwrap().len(), 1, "{result}");
    assert!(
        result["markdown"].as_str().unwrap().contains("| Разность |") && result["hours"].as_f64().unwrap() > 0.0,
        "{result}"
    );

    // Architect, analyst and project manager, chat.
    let (result, _) = command(&mut client, "bsl-assist.generateDiagram", json!([module_uri]));
    assert!(result["mermaid"].as_str().unwrap().starts_with("flowchart LR"), "{result}");
    let (result, _) =
        command(&mut client, "bsl-assist.analyzeRequirements", json!(["Округлять деньги при расчёте скидок"]));
    let analysis = result["markdown"].as_str().unwrap();
    assert!(analysis.contains("**ОбщийМодуль.Деньги**") && analysis.contains("скидок"), "{analysis}");
    let (result, _) = command(&mut client, "bsl-assist.diagram", json!([module_uri]));
    let mermaid = result["mermaid"].as_str().unwrap();
    assert!(mermaid.starts_with("flowchart LR") && mermaid.contains("\"Деньги\""), "{result}");
    let (result, _) = command(&mut client, "bsl-assist.report", json!([]));
    let report = result["markdown"].as_str().unwrap();
    assert!(report.contains("# Отчёт по проекту") && report.contains("Замечаний правил:"), "{report}");
    assert!(report.contains("YAxUnit-модули есть для 1 из 2 общих модулей"), "{report}");
    let (result, _) = command(&mut client, "bsl-assist.chat", json!([{ "question": "Как найти подстроку в строке?" }]));
    assert!(result["markdown"].as_str().unwrap().contains("СтрНайти"), "{result}");
    // The chat request keeps the conversation per workspace until it is cleared.
    let answer = client.request("bsl-assist/chat", json!({ "role": "architect", "message": "Где хранятся деньги?" }));
    assert!(answer["result"]["markdown"].as_str().unwrap().contains("ОбщийМодуль.Деньги"), "{answer}");
    let history = std::fs::read_dir(cache.join("chat")).unwrap().next().unwrap().unwrap().path();
    assert!(std::fs::read_to_string(&history).unwrap().contains("Где хранятся деньги?"));
    let bad_role = client.request("bsl-assist/chat", json!({ "role": "poet", "message": "?" }));
    assert!(bad_role["error"]["message"].as_str().unwrap().contains("unknown role"), "{bad_role}");
    let cleared = client.request("bsl-assist/clearHistory", Value::Null);
    assert_eq!(cleared["result"]["cleared"], true, "{cleared}");
    assert!(!history.exists());
    let (result, _) = command(&mut client, "bsl-assist.auditLog", json!([]));
    assert!(result["path"].as_str().unwrap().ends_with("llm-audit.jsonl"), "{result}");

    // A bad call is an error naming the problem; the server goes on.
    let bad = client.request("workspace/executeCommand", json!({ "command": "bsl-assist.review", "arguments": [42] }));
    assert!(bad["error"]["message"].as_str().unwrap().contains("argument 1"), "{bad}");

    // Stats count what happened.
    let stats = client.request("bsl-assist/stats", Value::Null);
    let calls = &stats["result"]["requests"]["workspace/executeCommand"];
    assert!(calls["count"].as_u64().unwrap() >= 10, "{stats}");
    assert_eq!(calls["errors"], 1, "{stats}");
    assert_eq!(stats["result"]["requests"]["bsl-assist/chat"]["errors"], 1, "{stats}");
    assert_eq!(stats["result"]["index"]["modules"], 3, "the new test module joined the index: {stats}");
    client.shutdown();
}

/// The body of a plain HTTP GET on loopback.
fn http_get(port: u16, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split_once("\r\n\r\n").map(|(_, body)| body.to_string()).unwrap_or_default()
}

/// A fake OpenAI-compatible endpoint: answers every chat completion with `answer`.
fn fake_llm(answer: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let reply = json!({
                "id": "x", "object": "chat.completion", "model": "fake",
                "choices": [{ "index": 0, "message": { "role": "assistant", "content": answer }, "finish_reason": "stop" }],
                "usage": { "prompt_tokens": 100, "completion_tokens": 7, "total_tokens": 107 },
            })
            .to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    port
}

#[test]
fn with_an_llm_enabled_answers_come_from_the_model_and_are_audited() {
    let (_tmp, root) = project();
    let cache = root.join(".cache-outside");
    let port = fake_llm("Метод вычитает и округляет: модельный ответ.");
    let metrics_port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let metrics_address = PathBuf::from(format!("127.0.0.1:{metrics_port}"));
    let mut client = Client::start_with(&[("BSL_ASSIST_CACHE", &cache), ("BSL_ASSIST_METRICS", &metrics_address)]);
    let llm = json!({ "enabled": true, "baseUrl": format!("http://127.0.0.1:{port}/v1"), "model": "fake" });
    initialize_project(&mut client, &root, json!({ "bsl-assist": { "llm": llm } }));
    let status = client.wait_notification("bsl-assist/status", |m| m["params"]["indexing"].is_null());
    assert_eq!(status["params"]["llm"], "local");
    let module = root.join("cf/CommonModules/Мат/Ext/Module.bsl");
    let (module_uri, _) = open(&mut client, &module);
    let (result, _) = command(&mut client, "bsl-assist.explainMethod", json!([module_uri, "Разность"]));
    let markdown = result["markdown"].as_str().unwrap();
    assert_eq!(result["llm"], true, "{result}");
    assert!(markdown.starts_with("Метод вычитает и округляет") && markdown.contains("Разность"), "{markdown}");
    let (result, _) = command(&mut client, "bsl-assist.chat", json!([{ "question": "Что делает Разность?" }]));
    assert!(result["markdown"].as_str().unwrap().contains("Источники:"), "{result}");
    // The model's prose must keep the standard's shape, or ours stays (with the reason).
    let (result, edit) = command(&mut client, "bsl-assist.addDocComment", json!([module_uri, "Разность"]));
    assert!(result["llmNote"].as_str().unwrap().contains("kept ours"), "{result}");
    assert!(edit.unwrap()["changes"][&module_uri][0]["newText"].as_str().unwrap().contains("Параметры:"));
    // A method from its description: the model's answer is not one method, so the skeleton.
    let comment = "\n// Возвращает произведение чисел.\n//\n// Параметры:\n//  А - Число - первый множитель.\n//  Б - Число - второй множитель.\n//\n// Возвращаемое значение:\n//  Число - произведение.\n";
    let lines = MODULE.lines().count();
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": module_uri, "version": 2 }, "contentChanges": [{ "text": format!("{MODULE}{comment}") }] }),
    );
    let (result, edit) = command(&mut client, "bsl-assist.generateMethod", json!([module_uri, lines + 1]));
    assert!(result["llmNote"].as_str().unwrap().contains("kept the skeleton"), "{result}");
    let inserted = edit.unwrap()["changes"][&module_uri][0]["newText"].as_str().unwrap().to_string();
    assert!(inserted.contains("Функция Произведение") || inserted.contains("Функция "), "{inserted}");
    let stats = client.request("bsl-assist/stats", Value::Null);
    assert_eq!(
        stats["result"]["llm"]["usage"]["developer"]["prompt_tokens"], 300,
        "explain, doc comment, method: {stats}"
    );
    // The same figures as Prometheus text, which the official parser accepts.
    let text = http_get(metrics_port, "/metrics");
    assert!(text.contains("bsl_lsp_llm_prompt_tokens{role=\"developer\"} 300"), "{text}");
    assert!(text.contains("bsl_lsp_requests_total{method=\"workspace/executeCommand\"}"), "{text}");
    assert!(text.contains("bsl_lsp_index_modules 2"), "{text}");
    let parsed = std::process::Command::new("python3")
        .args(["-c", "import sys\nfrom prometheus_client.parser import text_string_to_metric_families as p\nprint(len(list(p(sys.stdin.read()))))"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(text.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(
        parsed.status.success(),
        "prometheus_client rejects the metrics: {}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    assert!(String::from_utf8_lossy(&parsed.stdout).trim().parse::<u32>().unwrap() >= 8);
    assert!(http_get(metrics_port, "/other").starts_with("not found"));
    let audit = std::fs::read_to_string(cache.join("llm-audit.jsonl")).unwrap();
    assert!(audit.lines().count() >= 2 && audit.contains("\"developer\"") && audit.contains("127.0.0.1"), "{audit}");

    // Remote endpoints are refused while localOnly is on (the default).
    let remote = json!({ "bsl-assist": { "llm": { "enabled": true, "baseUrl": "https://llm.example.invalid/v1", "model": "m" } } });
    client.notify("workspace/didChangeConfiguration", json!({ "settings": remote }));
    let warning = client.wait_notification("window/showMessage", |m| {
        m["params"]["message"].as_str().is_some_and(|t| t.contains("localOnly"))
    });
    assert_eq!(warning["params"]["type"], 2);
    let (result, _) = command(&mut client, "bsl-assist.explainMethod", json!([module_uri, "Сумма"]));
    assert_eq!(result["llm"], false, "{result}");
    client.shutdown();
}

/// The architect's subsystem level over LSP, on the Designer fixture with nested subsystems
/// (`server/analysis/tests/fixtures/workspace/subsystems/designer`).
#[test]
fn the_diagram_command_draws_subsystems_at_the_level_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap().join("cf");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../analysis/tests/fixtures/workspace/subsystems/designer");
    copy_tree(&fixture, &root);
    let cache = tmp.path().join("cache");
    let mut client = Client::start_with(&[("BSL_ASSIST_CACHE", &cache)]);
    initialize_project(&mut client, &root, json!({}));
    client
        .wait_notification("bsl-assist/status", |m| m["params"]["indexing"].is_null() && m["params"]["modules"] == 12);

    let (top, _) = command(&mut client, "bsl-assist.generateDiagram", json!([{ "level": "subsystem" }]));
    assert_eq!(top["level"], "subsystem", "{top}");
    assert_eq!((top["subsystems"].as_u64(), top["max_depth"].as_u64()), (Some(8), Some(3)), "{top}");
    let mermaid = top["mermaid"].as_str().unwrap();
    assert!(mermaid.starts_with("flowchart LR\n") && !mermaid.contains("subgraph"), "{mermaid}");
    assert!(mermaid.contains("s4 ==>|\"6, клиент→сервер 2\"| s0"), "{mermaid}");

    let (nested, _) =
        command(&mut client, "bsl-assist.diagram", json!([{ "level": "subsystem", "depth": 2, "outside": true }]));
    let mermaid = nested["mermaid"].as_str().unwrap();
    assert!(mermaid.contains("subgraph g4[\"Торговля\"]") && mermaid.contains("s2[\"Журнал\"]:::server"), "{mermaid}");
    assert!(mermaid.contains("outside[\"Вне подсистем\"]"), "{mermaid}");
    let edges = nested["edges"].as_array().unwrap();
    assert!(edges.iter().any(|e| e["from"] == "Сервис.Журнал" && e["to"] == "Торговля.Закупки" && e["calls"] == 1));

    let (inside, _) = command(
        &mut client,
        "bsl-assist.generateDiagram",
        json!([{ "level": "subsystem", "subsystem": "Торговля.Продажи", "depth": 1 }]),
    );
    assert!(inside["title"].as_str().unwrap().contains("Торговля.Продажи"), "{inside}");
    assert!(inside["mermaid"].as_str().unwrap().contains("s7[\"Скидки\"]"), "{inside}");

    // The module level still answers a URI or an object naming one.
    let module = root.join("CommonModules/Журнал/Ext/Module.bsl");
    let (modules, _) = command(&mut client, "bsl-assist.diagram", json!([{ "level": "module", "uri": uri(&module) }]));
    assert!(modules["mermaid"].as_str().unwrap().contains("[[\"Журнал\"]]"), "{modules}");

    for (arguments, fragment) in [
        (json!([{ "level": "subsystem", "subsystem": "Нет" }]), "Сервис, Торговля"),
        (json!([{ "level": "subsystem", "depth": 0 }]), "`depth`"),
        (json!([{ "level": "everything" }]), "`level`"),
    ] {
        let answer = client.request(
            "workspace/executeCommand",
            json!({ "command": "bsl-assist.generateDiagram", "arguments": arguments }),
        );
        assert!(answer["error"]["message"].as_str().unwrap_or_default().contains(fragment), "{answer}");
    }
    client.shutdown();
}
