//! Property test of LSP message decoding: `bsl-assist lsp` is fed random and malformed
//! frames (bodies that are not JSON, JSON that is not a request, bad and missing
//! `Content-Length` headers, unknown methods, known methods with nonsense parameters,
//! edits and positions outside the document) between well-formed messages. Every frame
//! that cannot be a message must be answered with a JSON-RPC error, every reply must be a
//! well-formed frame, and a final `shutdown` must succeed and `exit` end the process.
//!
//! Each case starts a server, so CI runs a handful of cases; `BSL_FUZZ_CASES=500` runs
//! longer locally.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{Value, json};

fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("BSL_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    // Shrinking restarts the server for every step: keep it short.
    ProptestConfig { cases, max_shrink_iters: 64, failure_persistence: None, ..ProptestConfig::default() }
}

/// What the client sends, and whether it must be answered with an error.
#[derive(Debug, Clone)]
enum Frame {
    /// Raw bytes sent as they are; `errors` is how many error replies they must produce.
    Raw { bytes: Vec<u8>, errors: usize },
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

const METHODS: &[&str] = &[
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/completion",
    "textDocument/documentSymbol",
    "textDocument/formatting",
    "textDocument/rename",
    "textDocument/signatureHelp",
    "textDocument/codeAction",
    "textDocument/semanticTokens/full",
    "textDocument/didChange",
    "textDocument/didOpen",
    "textDocument/didClose",
    "workspace/symbol",
    "workspace/executeCommand",
    "$/cancelRequest",
    "unknown/method",
    "",
];

const URI: &str = "file:///fuzz/Модуль.bsl";

/// Arbitrary JSON values, shallow.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        Just(json!(URI)),
        Just(json!({ "line": 4_000_000_000u64, "character": -1 })),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map(
                proptest::sample::select(
                    &[
                        "textDocument",
                        "uri",
                        "position",
                        "line",
                        "character",
                        "range",
                        "start",
                        "end",
                        "text",
                        "contentChanges",
                        "version",
                        "query",
                        "command",
                        "arguments",
                        "id"
                    ][..]
                )
                .prop_map(str::to_string),
                inner,
                0..5,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A position, mostly inside a small document, sometimes far outside.
fn position() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (0u32..6, 0u32..20).prop_map(|(l, c)| json!({ "line": l, "character": c })),
        1 => (any::<u32>(), any::<u32>()).prop_map(|(l, c)| json!({ "line": l, "character": c })),
    ]
}

fn frame() -> impl Strategy<Value = Frame> {
    let id = 1_000_000i64..2_000_000;
    prop_oneof![
        // Not JSON at all.
        2 => proptest::collection::vec(any::<u8>(), 0..64).prop_map(|mut b| {
            b.insert(0, b'{');
            Frame::Raw { bytes: framed(&b), errors: 1 }
        }),
        // Truncated JSON.
        1 => (id.clone(), 1usize..40).prop_map(|(id, cut)| {
            let body = json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {} }).to_string();
            let cut = cut.min(body.len() - 1);
            Frame::Raw { bytes: framed(&body.as_bytes()[..cut]), errors: 1 }
        }),
        // JSON that is not a request: must be refused with -32600.
        2 => prop_oneof![
            json_value().prop_filter("not an object", |v| !v.is_object()),
            (json_value(), json_value()).prop_map(|(id, params)| json!({ "jsonrpc": "1.0", "id": id, "method": "textDocument/hover", "params": params })),
            id.clone().prop_map(|id| json!({ "jsonrpc": "2.0", "id": id })),
            (id.clone(), any::<i64>()).prop_map(|(id, m)| json!({ "jsonrpc": "2.0", "id": id, "method": m })),
            (id.clone(), prop_oneof![any::<i64>().prop_map(Value::from), ".{0,5}".prop_map(Value::from), any::<bool>().prop_map(Value::from)])
                .prop_map(|(id, p)| json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": p })),
        ]
        .prop_map(|v| Frame::Raw { bytes: framed(v.to_string().as_bytes()), errors: 1 }),
        // Bad headers (each ends with the blank line, so the stream stays in step).
        1 => prop_oneof![
            Just(b"Content-Length: abc\r\n\r\n".to_vec()),
            Just(b"Content-Length: -5\r\n\r\n".to_vec()),
            Just(b"Content-Length: 99999999999999999999999\r\n\r\n".to_vec()),
            Just(b"Content-Length: 1000000000\r\n\r\n".to_vec()),
            Just(b"Content-Type: application/json\r\n\r\n".to_vec()),
            "[a-zA-Z0-9 ]{1,20}".prop_map(|h| format!("{h}\r\n\r\n").into_bytes()),
        ]
        .prop_map(|bytes| Frame::Raw { bytes, errors: 1 }),
        // Requests and notifications of real and unknown methods with nonsense parameters:
        // the server answers or ignores them, but must not die.
        3 => (id.clone(), proptest::sample::select(METHODS), json_value(), any::<bool>()).prop_map(|(id, method, params, request)| {
            let params = if params.is_object() || params.is_array() { params } else { json!({ "textDocument": { "uri": URI }, "x": params }) };
            let mut message = json!({ "jsonrpc": "2.0", "method": method, "params": params });
            if request {
                message["id"] = json!(id);
            }
            Frame::Raw { bytes: framed(message.to_string().as_bytes()), errors: 0 }
        }),
        // Well-formed requests at positions inside and outside the open document.
        2 => (id.clone(), proptest::sample::select(&METHODS[..10]), position()).prop_map(|(id, method, position)| {
            let message = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": {
                "textDocument": { "uri": URI }, "position": position, "newName": "Новое",
                "range": { "start": position, "end": position }, "context": { "diagnostics": [], "includeDeclaration": true },
                "options": { "tabSize": 4, "insertSpaces": false },
            }});
            Frame::Raw { bytes: framed(message.to_string().as_bytes()), errors: 0 }
        }),
        // Edits of the open document, with ranges inside and outside it.
        2 => (position(), position(), ".{0,10}", 2i64..1000).prop_map(|(start, end, text, version)| {
            let message = json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": { "uri": URI, "version": version },
                "contentChanges": [{ "range": { "start": start, "end": end }, "text": text }],
            }});
            Frame::Raw { bytes: framed(message.to_string().as_bytes()), errors: 0 }
        }),
    ]
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Result<Value, String>>,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bsl-assist"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    match reader.read_line(&mut header) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let header = header.trim();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(value) = header.strip_prefix("Content-Length:") {
                        length = value.trim().parse::<usize>().ok();
                    }
                }
                let message = match length {
                    None => Err("a reply without a valid Content-Length".to_string()),
                    Some(length) => {
                        let mut body = vec![0; length];
                        if reader.read_exact(&mut body).is_err() {
                            return;
                        }
                        serde_json::from_slice(&body).map_err(|e| format!("a reply that is not JSON: {e}"))
                    }
                };
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Server { child, stdin, messages }
    }

    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stdin.write_all(bytes)?;
        self.stdin.flush()
    }

    /// Reads messages until the response to `id`, answering the server's own requests;
    /// returns it and every other message seen.
    fn until_response(&mut self, id: i64) -> Result<(Value, Vec<Value>), String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message =
                self.messages.recv_timeout(left).map_err(|_| format!("no response to {id} within 30 s"))??;
            if message.get("method").is_some() {
                if let Some(request_id) = message.get("id") {
                    let reply = json!({ "jsonrpc": "2.0", "id": request_id, "result": null }).to_string();
                    self.send(&framed(reply.as_bytes())).map_err(|e| e.to_string())?;
                }
                seen.push(message);
                continue;
            }
            if message.get("id") == Some(&json!(id)) {
                return Ok((message, seen));
            }
            seen.push(message);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn session(frames: &[Frame]) -> Result<(), TestCaseError> {
    let root = tempfile::tempdir().unwrap();
    let mut server = Server::start();
    let root_uri = format!("file://{}", root.path().display());
    let initialize = json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": root_uri, "capabilities": {},
    }});
    server.send(&framed(initialize.to_string().as_bytes())).unwrap();
    let (response, _) = server.until_response(1).map_err(TestCaseError::fail)?;
    prop_assert!(response.get("result").is_some(), "{}", response);
    let open = json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} });
    server.send(&framed(open.to_string().as_bytes())).unwrap();
    let open = json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": {
        "uri": URI, "languageId": "bsl", "version": 1,
        "text": "Процедура А() Экспорт\n\tБ = 1;\n\tСообщить(\"привет 😀\");\nКонецПроцедуры\n",
    }}});
    server.send(&framed(open.to_string().as_bytes())).unwrap();

    let mut must_fail = 0;
    for Frame::Raw { bytes, errors } in frames {
        server.send(bytes).map_err(|e| TestCaseError::fail(format!("the server stopped reading: {e}")))?;
        must_fail += errors;
    }
    let shutdown = json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" });
    server.send(&framed(shutdown.to_string().as_bytes())).unwrap();
    let (response, seen) = server.until_response(2).map_err(TestCaseError::fail)?;
    prop_assert!(response.get("error").is_none(), "shutdown failed: {}", response);
    let refused = seen
        .iter()
        .filter(|m| m.get("method").is_none() && matches!(m["error"]["code"].as_i64(), Some(-32700 | -32600)))
        .count();
    prop_assert!(refused >= must_fail, "{} malformed frames, {} refused", must_fail, refused);
    server.send(&framed(json!({ "jsonrpc": "2.0", "method": "exit" }).to_string().as_bytes())).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            prop_assert!(status.success(), "exit status {:?}", status);
            break;
        }
        prop_assert!(Instant::now() < deadline, "the server did not exit after `exit`");
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(12))]

    #[test]
    fn malformed_frames_are_refused_and_the_server_stays_alive(frames in proptest::collection::vec(frame(), 1..40)) {
        session(&frames)?;
    }
}
