//! Fault tests of `bsl-assist lsp` that drive the real binary: a client that stops reading
//! its output (the server must stall with bounded memory, then answer everything), an LLM
//! endpoint that accepts connections and never answers (the command times out or is
//! cancelled while other requests keep answering), and a workspace of files that cannot be
//! read as text, including one deleted while it is open.

use std::io::{BufRead, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "support/lsp_client.rs"]
mod client;

use client::*;

/// The server's resident memory may not pass this while its client does not read (measured:
/// see the test's output; the margin is wide on purpose).
const RSS_LIMIT: u64 = 1536 * 1024 * 1024;

#[test]
fn a_client_that_stops_reading_stalls_the_server_with_bounded_memory() {
    let module = corpus().join("ssl_3_1/src/cf/CommonModules/ОбщегоНазначения/Ext/Module.bsl");
    let text = bsl_syntax::source::decode(&std::fs::read(&module).unwrap()).unwrap();
    let root = tempfile::tempdir().unwrap();
    let (mut client, mut stdout) = Client::start_paused(&[]);
    let pid = client.child.id();

    // Initialize and open the module, reading only what the handshake needs.
    let (id, bytes) = client
        .request_frame("initialize", json!({ "processId": null, "rootUri": uri(root.path()), "capabilities": {} }));
    client.stdin.write_all(&bytes).unwrap();
    client.stdin.flush().unwrap();
    while read_message(&mut stdout).expect("the initialize response")["id"] != json!(id) {}
    client.notify("initialized", json!({}));
    let uri = uri(&module);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "bsl", "version": 1, "text": text } }),
    );
    let (id, bytes) = client.request_frame("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    client.stdin.write_all(&bytes).unwrap();
    client.stdin.flush().unwrap();
    loop {
        let message = read_message(&mut stdout).expect("the symbols");
        if message["id"] == json!(id) {
            assert!(message["result"].as_array().is_some_and(|s| !s.is_empty()), "symbols of the module: {message}");
            break;
        }
    }
    let baseline = rss_bytes(pid).unwrap();

    // 2,000 requests and 100 small edits, then the whole text four times (3 MB, more than
    // the server's input buffers hold), written by a thread while nobody reads the output.
    let lines = text.lines().count() as u32;
    let mut ids = Vec::new();
    let mut script = Vec::new();
    let mut version = 1;
    let mut inserted = false;
    for i in 0..2000u32 {
        let document = json!({ "uri": uri });
        let (id, bytes) = match i % 20 {
            0 => client.request_frame("textDocument/semanticTokens/full", json!({ "textDocument": document })),
            5 | 15 => client.request_frame("textDocument/documentSymbol", json!({ "textDocument": document })),
            _ => client.request_frame(
                "textDocument/hover",
                json!({ "textDocument": document, "position": { "line": (i * 37) % lines, "character": 12 } }),
            ),
        };
        ids.push(id);
        script.extend_from_slice(&bytes);
        let change = if i % 500 == 499 {
            inserted = false;
            Some(json!({ "text": text }))
        } else if i % 20 == 19 {
            // Insert a comment line, then take it out again: the text stays the module's.
            inserted = !inserted;
            let end = if inserted { 0 } else { 1 };
            Some(json!({
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": end, "character": 0 } },
                "text": if inserted { "// вставка\n" } else { "" },
            }))
        } else {
            None
        };
        if let Some(change) = change {
            version += 1;
            let params = json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] });
            script.extend_from_slice(&frame(
                &json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": params }),
            ));
        }
    }

    let script_len = script.len();
    let pause = Duration::from_secs(6);
    let started = Instant::now();
    let mut peak = baseline;
    let mut written_after = None;
    let messages = std::thread::scope(|scope| {
        let stdin = &mut client.stdin;
        let writer = scope.spawn(move || {
            // Small writes, as an editor sends them; they block while the server stalls.
            for chunk in script.chunks(4096) {
                stdin.write_all(chunk).unwrap();
            }
            stdin.flush().unwrap();
            started.elapsed()
        });
        while started.elapsed() < pause {
            std::thread::sleep(Duration::from_millis(50));
            let rss = rss_bytes(pid).expect("the server is alive while its client does not read");
            peak = peak.max(rss);
            assert!(rss < RSS_LIMIT, "the server holds {} MB while its client does not read", rss >> 20);
            if written_after.is_none() && writer.is_finished() {
                written_after = Some(started.elapsed());
            }
        }
        // Now read: every request gets its answer.
        let (sender, messages) = std::sync::mpsc::channel();
        // Outside the scope, which would wait for it: it reads until the server exits.
        std::thread::spawn(move || {
            while let Some(message) = read_slim(&mut stdout) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(40);
        while !writer.is_finished() {
            assert!(Instant::now() < deadline, "the server took every request once read");
            std::thread::sleep(Duration::from_millis(50));
            if let Some(rss) = rss_bytes(pid) {
                peak = peak.max(rss);
            }
        }
        writer.join().unwrap();
        messages
    });
    eprintln!(
        "backpressure: RSS {} MB before, peak {} MB while not read; {} MB of requests and edits written after {}",
        baseline >> 20,
        peak >> 20,
        script_len >> 20,
        written_after.map_or_else(|| "the client started reading".to_string(), |d| format!("{:.1} s", d.as_secs_f64()))
    );
    assert!(client.child.try_wait().unwrap().is_none(), "the server is still running");

    // The output goes to an ordinary client from here on.
    client.messages = messages;
    let mut answered = 0;
    for id in ids {
        let response = client.response(id);
        let ok = response.get("result").is_some()
            || [-32801, -32800].contains(&response["error"]["code"].as_i64().unwrap_or(0));
        assert!(ok, "request {id}: {response}");
        answered += 1;
    }
    assert_eq!(answered, 2000);
    let peak_after = rss_bytes(pid).unwrap();
    eprintln!("backpressure: RSS {} MB after answering", peak_after >> 20);
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": find(&text, "Функция ", 0) }),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    client.shutdown();
}

/// Reads one message like [`read_message`], with the integers of semantic tokens' `data`
/// arrays dropped first: 200 full token sets as `Value`s would cost the test gigabytes.
fn read_slim(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim();
        if header.is_empty() {
            break;
        }
        if let Some(value) = header.strip_prefix("Content-Length:") {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    const DATA: &[u8] = b"\"data\":[";
    if let Some(at) = body.windows(DATA.len()).position(|w| w == DATA) {
        let start = at + DATA.len();
        if let Some(len) = body[start..].iter().position(|&b| b == b']') {
            body.drain(start..start + len);
        }
    }
    Some(serde_json::from_slice(&body).expect("a JSON message"))
}

/// A fake OpenAI-compatible endpoint that accepts connections, reads what is sent and never
/// answers. Returns its port and the counts of connections opened and closed by the client.
fn hung_llm() -> (u16, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (opened, closed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (o, c) = (opened.clone(), closed.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            o.fetch_add(1, Ordering::SeqCst);
            let c = c.clone();
            std::thread::spawn(move || {
                let mut buffer = [0; 4096];
                while matches!(stream.read(&mut buffer), Ok(n) if n > 0) {}
                c.fetch_add(1, Ordering::SeqCst);
            });
        }
    });
    (port, opened, closed)
}

/// A Designer-layout configuration with one common module.
fn small_project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    std::fs::write(
        root.join("Configuration.xml"),
        "<MetaDataObject>\n\t<Configuration>\n\t\t<ChildObjects>\n\t\t\t<CommonModule>Мат</CommonModule>\n\t\t</ChildObjects>\n\t</Configuration>\n</MetaDataObject>\n",
    )
    .unwrap();
    let module = root.join("CommonModules/Мат/Ext/Module.bsl");
    std::fs::create_dir_all(module.parent().unwrap()).unwrap();
    std::fs::write(
        &module,
        "// Складывает два числа.\nФункция Сумма(А, Б) Экспорт\n\tВозврат А + Б;\nКонецФункции\n\n\
         Функция Удвоить(Ч) Экспорт\n\tВозврат Сумма(Ч, Ч);\nКонецФункции\n",
    )
    .unwrap();
    (tmp, root)
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "{what} within {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_hung_llm_endpoint_times_out_or_is_cancelled_while_other_requests_answer() {
    let (_tmp, root) = small_project();
    let (port, opened, closed) = hung_llm();
    let cache = root.join(".cache-outside");
    let mut client = Client::start_with(&[("BSL_ASSIST_CACHE", &cache)]);
    let llm =
        json!({ "enabled": true, "baseUrl": format!("http://127.0.0.1:{port}/v1"), "model": "m", "timeoutSeconds": 2 });
    let response = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri(&root),
            "workspaceFolders": [{ "uri": uri(&root), "name": "p" }],
            "capabilities": {},
            "initializationOptions": { "bsl-assist": { "llm": llm } },
        }),
    );
    assert!(response.get("error").is_none(), "{response}");
    client.notify("initialized", json!({}));
    wait_indexed(&mut client);
    let (module_uri, text) = open(&mut client, &root.join("CommonModules/Мат/Ext/Module.bsl"));

    // The command hangs on the model; hover and symbols answer meanwhile.
    let started = Instant::now();
    let (explain, bytes) = client.request_frame(
        "workspace/executeCommand",
        json!({ "command": "bsl-assist.explainMethod", "arguments": [module_uri, "Удвоить"] }),
    );
    client.stdin.write_all(&bytes).unwrap();
    client.stdin.flush().unwrap();
    wait_until("the model is called", Duration::from_secs(10), || opened.load(Ordering::SeqCst) >= 1);
    let mut slowest = Duration::ZERO;
    for round in 0..5 {
        let position = find(&text, "Сумма(Ч", 0);
        let asked = Instant::now();
        let hover = client
            .request("textDocument/hover", json!({ "textDocument": { "uri": module_uri }, "position": position }));
        assert!(hover["result"]["contents"].to_string().contains("Складывает"), "round {round}: {hover}");
        let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": module_uri } }));
        assert_eq!(symbols["result"].as_array().map(Vec::len), Some(2), "{symbols}");
        slowest = slowest.max(asked.elapsed());
    }
    let answered_meanwhile = started.elapsed();
    let result = client.response(explain);
    let took = started.elapsed();
    eprintln!(
        "hung LLM: explainMethod answered in {:.2} s; hover + symbols while it hung: slowest {:.0} ms",
        took.as_secs_f64(),
        slowest.as_secs_f64() * 1000.0
    );
    assert!(answered_meanwhile < took, "the other requests were answered while the model hung");
    assert!(slowest < Duration::from_secs(1), "hover and symbols took {slowest:?} while the model hung");
    assert!(took < Duration::from_secs(15), "explainMethod answered after {took:?}");
    let result = &result["result"];
    assert_eq!(result["llm"], false, "{result}");
    assert!(result["markdown"].as_str().is_some_and(|m| m.contains("Удвоить")), "the facts still come: {result}");
    let note = result["llmNote"].as_str().unwrap_or_default();
    assert!(note.contains("in time"), "the note names the time-out: {result}");

    // A cancelled command answers at once and drops its connection to the model.
    let before = opened.load(Ordering::SeqCst);
    let (cancelled, bytes) = client.request_frame(
        "workspace/executeCommand",
        json!({ "command": "bsl-assist.explainMethod", "arguments": [module_uri, "Сумма"] }),
    );
    client.stdin.write_all(&bytes).unwrap();
    client.stdin.flush().unwrap();
    wait_until("the model is called again", Duration::from_secs(10), || opened.load(Ordering::SeqCst) > before);
    let asked = Instant::now();
    client.notify("$/cancelRequest", json!({ "id": cancelled }));
    let response = client.response(cancelled);
    assert_eq!(response["error"]["code"], -32800, "the request is cancelled: {response}");
    assert!(asked.elapsed() < Duration::from_millis(1500), "cancelled after {:?}", asked.elapsed());
    wait_until("every connection to the model is closed", Duration::from_secs(10), || {
        closed.load(Ordering::SeqCst) == opened.load(Ordering::SeqCst)
    });
    client.shutdown();
}

/// A server on `root` whose client watches files, once the workspace is indexed.
fn watching_client(root: &Path) -> Client {
    let mut client = Client::start();
    initialize_with(
        &mut client,
        root,
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
    );
    wait_indexed(&mut client);
    client
}

/// Bytes that are no module: a PNG header and binary data.
const PICTURE: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

#[test]
fn unreadable_binary_and_deleted_files_do_not_break_the_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let names = ["Мат", "Картинка", "Кодировка", "Широкий", "Обломок"];
    let children: String = names.iter().map(|n| format!("\t\t\t<CommonModule>{n}</CommonModule>\n")).collect();
    write(
        &root.join("Configuration.xml"),
        format!("<MetaDataObject>\n\t<Configuration>\n\t\t<ChildObjects>\n{children}\t\t</ChildObjects>\n\t</Configuration>\n</MetaDataObject>\n").as_bytes(),
    );
    let module = |name: &str| root.join("CommonModules").join(name).join("Ext/Module.bsl");
    let good = "Функция Сумма(А, Б) Экспорт\n\tВозврат А + Б;\nКонецФункции\n";
    write(&module("Мат"), good.as_bytes());
    write(&module("Картинка"), PICTURE);
    // Windows-1251 «Процедура Тест() КонецПроцедуры»: not UTF-8.
    write(&module("Кодировка"), b"\xcf\xf0\xee\xf6\xe5\xe4\xf3\xf0\xe0 \xd2\xe5\xf1\xf2()\n\xca\xee\xed\xe5\xf6\xcf\xf0\xee\xf6\xe5\xe4\xf3\xf0\xfb\n");
    // UTF-16 with a BOM is a module like any other.
    write(&module("Широкий"), &utf16le_with_bom("Функция Широкая() Экспорт\n\tВозврат 1;\nКонецФункции\n"));
    // UTF-16 with a BOM, cut in the middle of a code unit and with a lone surrogate.
    let mut broken = utf16le_with_bom("Процедура Обломок()\n");
    broken.extend_from_slice(&[0x00, 0xD8, 0x41, 0x00, 0x42]);
    write(&module("Обломок"), &broken);

    let mut client = watching_client(&root);
    let stats = client.request("bsl-assist/stats", Value::Null);
    assert!(stats.get("error").is_none(), "{stats}");
    let symbols = client.request("workspace/symbol", json!({ "query": "Широкая" }));
    assert!(symbols["result"].to_string().contains("Широкая"), "the UTF-16 module is indexed: {symbols}");

    // The files that cannot be read are diagnostics on those files, naming the problem.
    for (name, why) in [("Картинка", "binary"), ("Кодировка", "UTF-8"), ("Обломок", "UTF-16")] {
        let uri = uri(&module(name));
        let published = client.wait_notification("textDocument/publishDiagnostics", |n| n["params"]["uri"] == uri);
        let message = published["params"]["diagnostics"][0]["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains(why), "{name}: {published}");
    }

    // An editor that opens the picture anyway sends what it decoded; the server answers.
    let picture_uri = uri(&module("Картинка"));
    let decoded = String::from_utf8_lossy(PICTURE).into_owned();
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": picture_uri, "languageId": "bsl", "version": 1, "text": decoded } }),
    );
    for method in ["textDocument/diagnostic", "textDocument/documentSymbol", "textDocument/semanticTokens/full"] {
        let response = client.request(method, json!({ "textDocument": { "uri": picture_uri } }));
        assert!(response.get("result").is_some(), "{method}: {response}");
    }

    // A module deleted while it is open keeps working from the editor's text.
    let (math_uri, text) = open(&mut client, &module("Мат"));
    std::fs::remove_file(module("Мат")).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": math_uri, "type": 3 }] }));
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": math_uri }, "position": find(&text, "Сумма", 0) }),
    );
    assert!(hover["result"]["contents"].to_string().contains("Сумма"), "{hover}");
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": math_uri } }));
    assert_eq!(symbols["result"].as_array().map(Vec::len), Some(1), "{symbols}");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": math_uri, "version": 2 }, "contentChanges": [{ "text": format!("{text}\nПроцедура Новая() Экспорт\nКонецПроцедуры\n") }] }),
    );
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": math_uri } }));
    assert_eq!(symbols["result"].as_array().map(Vec::len), Some(2), "{symbols}");
    // The index takes the open text with the (debounced) diagnostics.
    client.wait_notification("textDocument/publishDiagnostics", |n| {
        n["params"]["uri"] == math_uri && n["params"]["version"] == 2
    });
    let found = client.request("workspace/symbol", json!({ "query": "Новая" }));
    assert!(found["result"].to_string().contains("Новая"), "the open text feeds the index: {found}");
    let diagnostics = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": math_uri } }));
    assert!(diagnostics.get("result").is_some(), "{diagnostics}");

    client.shutdown();
}

/// Closing a document hands the module back to the disk: a module deleted while open leaves
/// the index, and unsaved edits leave it too. No file event comes for either (the file was
/// deleted while open, the unsaved text never reached the disk).
#[test]
fn closing_a_document_hands_the_module_back_to_the_disk() {
    let (_tmp, root) = small_project();
    let other = root.join("CommonModules/Другой/Ext/Module.bsl");
    write(&other, "Процедура Прежняя() Экспорт\nКонецПроцедуры\n".as_bytes());
    let mut client = watching_client(&root);
    let math = root.join("CommonModules/Мат/Ext/Module.bsl");
    let (math_uri, _) = open(&mut client, &math);
    std::fs::remove_file(&math).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": math_uri, "type": 3 }] }));
    let (other_uri, _) = open(&mut client, &other);
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": other_uri, "version": 2 }, "contentChanges": [{ "text": "Процедура Несохранённая() Экспорт\nКонецПроцедуры\n" }] }),
    );
    client.wait_notification("textDocument/publishDiagnostics", |n| {
        n["params"]["uri"] == other_uri && n["params"]["version"] == 2
    });
    for uri in [&math_uri, &other_uri] {
        client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    }
    for (query, expected) in [("Удвоить", 0), ("Несохранённая", 0), ("Прежняя", 1)] {
        let found = client.request("workspace/symbol", json!({ "query": query }));
        assert_eq!(found["result"].as_array().map(Vec::len), Some(expected), "{query}: {found}");
    }
    client.shutdown();
}
