//! libFuzzer target: LSP message decoding in the real server. One `bsl-assist lsp` process
//! (the binary named by `BSL_ASSIST`, else `../target/debug/bsl-assist` under
//! `CARGO_TARGET_DIR`) is started for the whole run and initialized; each input is sent as
//! one frame body (first byte even) or as a header block (first byte odd; `Content-Length`
//! removed so the stream stays in step), then a request the server must answer. A dead
//! server, a missing answer within 10 s or a reply that is not a frame is a crash.

#![no_main]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

struct Server {
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

impl Server {
    fn start() -> Server {
        let bin = std::env::var("BSL_ASSIST").unwrap_or_else(|_| {
            let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "../target".to_string());
            format!("{target}/debug/bsl-assist")
        });
        let mut child = Command::new(&bin)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(v) = header.strip_prefix("Content-Length:") {
                        length = v.trim().parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a reply with a Content-Length")];
                reader.read_exact(&mut body).expect("a whole reply");
                let value = serde_json::from_slice(&body).expect("a JSON reply");
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        std::mem::forget(child);
        let mut server = Server { stdin, messages, next_id: 1 };
        server.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} }));
        server.send(&framed(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }).to_string().as_bytes()));
        server
    }

    fn send(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("the server reads its input");
        self.stdin.flush().expect("the server reads its input");
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string();
        self.send(&framed(body.as_bytes()));
        loop {
            let message = self.messages.recv_timeout(Duration::from_secs(10)).expect("an answer within 10 s");
            if message.get("method").is_some() {
                if let Some(request) = message.get("id") {
                    let reply = json!({ "jsonrpc": "2.0", "id": request, "result": null }).to_string();
                    self.send(&framed(reply.as_bytes()));
                }
                continue;
            }
            if message.get("id") == Some(&json!(id)) {
                return message;
            }
        }
    }
}

fn server() -> &'static Mutex<Server> {
    static SERVER: OnceLock<Mutex<Server>> = OnceLock::new();
    SERVER.get_or_init(|| Mutex::new(Server::start()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let mut server = server().lock().unwrap();
    if mode % 2 == 0 {
        server.send(&framed(rest));
    } else {
        let header = String::from_utf8_lossy(rest).to_ascii_lowercase().replace("content-length", "x");
        server.send(format!("{header}\r\n\r\n").as_bytes());
    }
    let answer = server.request("textDocument/hover", json!({
        "textDocument": { "uri": "file:///fuzz.bsl" }, "position": { "line": 0, "character": 0 }
    }));
    assert!(answer.get("id").is_some());
});
