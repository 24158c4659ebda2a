//! A scripted LSP client for end-to-end tests: it starts the real `bsl-assist lsp`, speaks
//! JSON-RPC over its stdio the way an editor does, and answers the server's requests
//! (`workspace/applyEdit` as applied, anything else with `null`).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

pub struct Client {
    pub child: Child,
    pub stdin: ChildStdin,
    pub messages: Receiver<Value>,
    pub next_id: i64,
    /// Notifications seen while waiting for responses.
    pub notifications: Vec<Value>,
}

impl Client {
    pub fn start() -> Client {
        Client::start_with(&[])
    }

    /// Starts the server with extra environment variables.
    pub fn start_with(env: &[(&str, &Path)]) -> Client {
        let (mut client, stdout) = Client::start_paused(env);
        client.resume(stdout);
        client
    }

    /// Starts the server with nobody reading its output: the caller reads with
    /// [`read_message`] or not at all, and hands the reader to [`Client::resume`] to get an
    /// ordinary client. Until then `messages` yields nothing.
    pub fn start_paused(env: &[(&str, &Path)]) -> (Client, BufReader<ChildStdout>) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bsl-assist"))
            .arg("lsp")
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (_, messages) = channel();
        (Client { child, stdin, messages, next_id: 1, notifications: Vec::new() }, stdout)
    }

    /// Starts reading the server's output on a thread (after [`Client::start_paused`]).
    pub fn resume(&mut self, stdout: BufReader<ChildStdout>) {
        self.messages = spawn_reader(stdout);
    }

    /// The request's frame, numbered with the next id (returned), for sending later.
    pub fn request_frame(&mut self, method: &str, params: Value) -> (i64, Vec<u8>) {
        let id = self.next_id;
        self.next_id += 1;
        (id, frame(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })))
    }

    pub fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send_raw(&json!({ "jsonrpc": "2.0", "method": method, "params": params }).to_string());
    }

    /// Sends a request and waits for its response (result or error object).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send_raw(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string());
        self.response(id)
    }

    /// The next message from the server; requests from the server (progress tokens,
    /// registrations) are answered with an empty result, as an editor does.
    pub fn next(&mut self, what: &str) -> Value {
        loop {
            let message =
                self.messages.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| panic!("{what} within 60 s"));
            if message.get("id").is_some() && message.get("method").is_some() {
                // An editor applies the edits the server asks for; the test applies them
                // itself from the recorded request.
                let result =
                    if message["method"] == "workspace/applyEdit" { json!({ "applied": true }) } else { Value::Null };
                let reply = json!({ "jsonrpc": "2.0", "id": message["id"], "result": result });
                self.send_raw(&reply.to_string());
                self.notifications.push(message);
                continue;
            }
            return message;
        }
    }

    pub fn response(&mut self, id: i64) -> Value {
        // It may have arrived while an earlier response was awaited.
        if let Some(found) =
            self.notifications.iter().position(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
        {
            return self.notifications.remove(found);
        }
        loop {
            let message = self.next("a response");
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// Waits for a notification of `method` matching `pred`.
    pub fn wait_notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(found) = self.notifications.iter().position(|n| n["method"] == method && pred(n)) {
            return self.notifications.remove(found);
        }
        loop {
            let message = self.next("a notification");
            if message["method"] == method && pred(&message) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    pub fn shutdown(mut self) {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the server exits cleanly after `exit`");
    }
}

/// One JSON-RPC message framed for the wire.
pub fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// Reads one message from the server's output; `None` at its end.
pub fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 {
            return None;
        }
        let header = header.trim();
        if header.is_empty() {
            break;
        }
        if let Some(value) = header.strip_prefix("Content-Length:") {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).unwrap())
}

/// A thread that reads the server's messages into a channel until the output ends.
fn spawn_reader(mut reader: BufReader<ChildStdout>) -> Receiver<Value> {
    let (sender, messages) = channel();
    std::thread::spawn(move || {
        while let Some(message) = read_message(&mut reader) {
            if sender.send(message).is_err() {
                return;
            }
        }
    });
    messages
}

/// The resident memory of a process in bytes (`VmRSS`), `None` once it has exited.
pub fn rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.trim_start_matches("VmRSS:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}

pub fn corpus() -> PathBuf {
    let dir = std::env::var_os("BSL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    assert!(dir.is_dir(), "the shared corpus is missing at {}", dir.display());
    dir.canonicalize().unwrap()
}

pub fn uri(path: &Path) -> String {
    // Cyrillic path segments are percent-encoded, as editors send them.
    let mut out = String::from("file://");
    for byte in path.to_str().unwrap().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub fn initialize(client: &mut Client, root: &Path) {
    initialize_with(client, root, json!({}));
}

/// Initializes with the client capabilities given.
pub fn initialize_with(client: &mut Client, root: &Path, capabilities: Value) {
    let response = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri(root),
            "workspaceFolders": [{ "uri": uri(root), "name": "ssl" }],
            "capabilities": capabilities,
        }),
    );
    let capabilities = &response["result"]["capabilities"];
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental sync: {response}");
    client.notify("initialized", json!({}));
}

pub fn open(client: &mut Client, path: &Path) -> (String, String) {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8(bytes).unwrap().trim_start_matches('\u{FEFF}').to_string();
    let uri = uri(path);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "bsl", "version": 1, "text": text } }),
    );
    (uri, text)
}

/// Waits until the server says the workspace is indexed.
pub fn wait_indexed(client: &mut Client) {
    client.wait_notification("window/logMessage", |m| {
        m["params"]["message"].as_str().is_some_and(|t| t.contains("modules indexed"))
    });
}

/// Position (line, UTF-16 column) of the `nth` occurrence of `needle`.
pub fn find(text: &str, needle: &str, nth: usize) -> Value {
    let offset = text.match_indices(needle).nth(nth).expect("needle present").0;
    let line = text[..offset].matches('\n').count();
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": character })
}
