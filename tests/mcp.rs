//! `bsl-assist mcp` end to end: the official MCP Python SDK as the client on the YAxUnit
//! corpus (every tool, resources, malformed calls, the Prometheus endpoint parsed by
//! `prometheus_client`, then streamable HTTP with a bearer token; skipped with a message when the packages cannot be installed), raw
//! JSON-RPC over standard input and output, and the streamable HTTP transport with sessions,
//! origins and bearer tokens.

#[path = "support/fs.rs"]
mod fs;
use fs::copy_tree;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_bsl-assist")
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/yaxunit")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Whether the Python packages are importable, installing them when they are not.
fn python_packages() -> Result<(), String> {
    let importable = || {
        Command::new("python3")
            .args(["-c", "import mcp, prometheus_client"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if importable() {
        return Ok(());
    }
    for extra in [&[][..], &["--break-system-packages"][..]] {
        let _ = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "mcp", "prometheus-client"])
            .args(extra)
            .status();
        if importable() {
            return Ok(());
        }
    }
    Err("python3 with the `mcp` and `prometheus-client` packages is not available and pip could not install them"
        .into())
}

#[test]
fn the_python_sdk_calls_every_tool_and_reads_the_metrics() {
    let workspace = corpus();
    if !workspace.is_dir() {
        eprintln!("SKIPPED: the YAxUnit corpus is not at {}", workspace.display());
        return;
    }
    if let Err(why) = python_packages() {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/mcp/client.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg(binary())
        .arg(workspace.canonicalize().unwrap())
        .arg(free_port().to_string())
        .arg(cache.path().join("logs"))
        .env("XDG_CACHE_HOME", cache.path())
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && stdout.contains("all checks passed"), "{stdout}\n{stderr}");
    // The log file is JSON lines with the tool calls and without code.
    let logs: Vec<PathBuf> = std::fs::read_dir(cache.path().join("logs")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    let log = std::fs::read_to_string(&logs[0]).unwrap();
    assert!(log.lines().all(|l| serde_json::from_str::<Value>(l).is_ok()), "{log}");
    assert!(log.contains("\"tool\":\"hover\""), "{log}");
    assert!(!log.contains("как найти подстроку"), "a query appears at info level: {log}");
    assert!(!log.contains("test-token"), "the bearer token appears in the log: {log}");
}

/// A server on standard input and output.
struct StdioServer {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl StdioServer {
    fn start(workspace: &Path, logs: &Path) -> Self {
        let mut child = Command::new(binary())
            .args(["mcp", "--workspace"])
            .arg(workspace)
            .arg("--log-dir")
            .arg(logs)
            .env("XDG_CACHE_HOME", logs)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        StdioServer { child, input, output }
    }

    fn send_line(&mut self, line: &str) {
        writeln!(self.input, "{line}").unwrap();
        self.input.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut line = String::new();
        self.output.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
    }

    fn request(&mut self, id: u64, method: &str, params: Value) -> Value {
        self.send_line(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string());
        let answer = self.receive();
        assert_eq!(answer["id"], id, "{answer}");
        answer
    }

    fn call(&mut self, id: u64, tool: &str, arguments: Value) -> Value {
        self.request(id, "tools/call", json!({"name": tool, "arguments": arguments}))
    }
}

fn small_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("src/CommonModules/Склад/Ext/Module.bsl");
    std::fs::create_dir_all(module.parent().unwrap()).unwrap();
    std::fs::write(
        &module,
        "#Область ПрограммныйИнтерфейс\n\n// Остаток товара.\nФункция Остаток(Товар) Экспорт\n\tРезультат = Товар;\n\tВозврат Результат;\nКонецФункции\n\n#КонецОбласти\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("Сломан.bsl"), "Процедура А(\n").unwrap();
    dir
}

#[test]
fn raw_json_rpc_over_stdio() {
    let workspace = small_workspace();
    let logs = tempfile::tempdir().unwrap();
    let mut server = StdioServer::start(workspace.path(), logs.path());
    let init = server.request(
        1,
        "initialize",
        json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}),
    );
    assert_eq!(init["result"]["protocolVersion"], "2025-06-18", "{init}");
    assert!(init["result"]["capabilities"]["tools"].is_object(), "{init}");
    // An unknown version is answered with the newest one.
    let init = server.request(2, "initialize", json!({"protocolVersion": "1999-01-01", "capabilities": {}}));
    assert_eq!(init["result"]["protocolVersion"], "2025-11-25", "{init}");
    server.send_line(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
    assert_eq!(server.request(3, "ping", json!({}))["result"], json!({}));

    let tools = server.request(4, "tools/list", json!({}));
    for tool in tools["result"]["tools"].as_array().unwrap() {
        let schema = &tool["inputSchema"];
        assert_eq!(schema["type"], "object", "{tool}");
        assert_eq!(schema["additionalProperties"], false, "{tool}");
    }

    let path = "src/CommonModules/Склад/Ext/Module.bsl";
    let symbols = server.call(5, "document_symbols", json!({"path": path}));
    let data = &symbols["result"]["structuredContent"];
    assert_eq!(data["methods"][0]["name"], "Остаток", "{symbols}");
    assert_eq!(data["methods"][0]["line"], 4);
    assert_eq!(data["regions"][0]["name"], "ПрограммныйИнтерфейс");
    // `Результат` on line 6 is the local assigned on line 5.
    let definition = server.call(6, "definition", json!({"path": path, "line": 6, "column": 10}));
    let location = &definition["result"]["structuredContent"]["locations"][0];
    assert_eq!((location["line"].as_u64(), location["column"].as_u64()), (Some(5), Some(2)), "{definition}");
    let references = server.call(7, "references", json!({"path": path, "line": 5, "column": 3}));
    assert_eq!(references["result"]["structuredContent"]["total"], 2, "{references}");
    let hover = server.call(8, "hover", json!({"path": path, "line": 4, "column": 10}));
    let markdown = hover["result"]["structuredContent"]["markdown"].as_str().unwrap();
    assert!(markdown.contains("Функция Остаток(Товар) Экспорт") && markdown.contains("Остаток товара."), "{hover}");
    let diagnostics = server.call(9, "diagnostics", json!({"path": "."}));
    let data = &diagnostics["result"]["structuredContent"];
    assert_eq!(data["files"], 2, "{diagnostics}");
    assert!(
        data["findings"].as_array().unwrap().iter().any(|f| f["code"] == "ParseError" && f["path"] == "Сломан.bsl")
    );

    // Tool errors a model can act on.
    for (id, tool, arguments, fragment) in [
        (10, "hover", json!({"path": path, "line": 2, "column": 1}), "no name at 2:1"),
        (11, "definition", json!({"path": path, "line": 99, "column": 1}), "past the end"),
        (12, "document_symbols", json!({"path": "../../etc/passwd"}), "outside the workspace"),
        (13, "document_symbols", json!({"path": "/etc/hostname"}), "outside the workspace"),
        (14, "diagnostics", json!({"path": ".", "rules": ["NoSuchRule"]}), "no rule `NoSuchRule`"),
        (15, "document_symbols", json!({"path": "src"}), "is a folder"),
        (16, "document_symbols", json!({"path": "Нет.bsl"}), "does not exist"),
    ] {
        let answer = server.call(id, tool, arguments);
        assert_eq!(answer["result"]["isError"], true, "{answer}");
        let text = answer["result"]["content"][0]["text"].as_str().unwrap();
        assert!(text.contains(fragment), "{text}");
    }

    // Protocol errors.
    let unknown = server.request(20, "tools/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad = server.call(21, "hover", json!({"path": path, "line": "4", "column": 1}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    let bad = server.request(22, "tools/call", json!({"arguments": {}}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    server.send_line("{not json");
    assert_eq!(server.receive()["error"]["code"], -32700);
    server.send_line(r#"{"jsonrpc":"2.0","id":23}"#);
    assert_eq!(server.receive()["error"]["code"], -32600);
    // A batch is answered with an array; its notification gets no entry.
    server.send_line(r#"[{"jsonrpc":"2.0","id":24,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x"}]"#);
    let batch = server.receive();
    assert_eq!(batch.as_array().map(Vec::len), Some(1), "{batch}");

    let stats = server.call(25, "stats", json!({}));
    let data = &stats["result"]["structuredContent"];
    assert_eq!(data["tools"]["hover"]["calls"], 2, "{stats}");
    assert_eq!(data["tools"]["hover"]["errors"], 1, "{stats}");
    assert!(data["protocol_errors"]["-32602"].as_u64() >= Some(2), "{stats}");

    drop(server.input);
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

/// One HTTP/1.1 exchange: the status, the headers (lower-case names) and the body.
fn http(port: u16, method: &str, headers: &[(&str, &str)], body: &str) -> (u16, Vec<(String, String)>, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut request = format!("{method} /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn start_http(workspace: &Path, logs: &Path, extra: &[&str]) -> (Child, u16) {
    let port = free_port();
    let child = Command::new(binary())
        .args(["mcp", "--workspace"])
        .arg(workspace)
        .args(["--log-dir"])
        .arg(logs)
        .args(["--http", &port.to_string()])
        .args(extra)
        .env("XDG_CACHE_HOME", logs)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server does not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, port)
}

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#;

#[test]
fn streamable_http_with_sessions_and_origins() {
    let workspace = small_workspace();
    let logs = tempfile::tempdir().unwrap();
    let (mut child, port) = start_http(workspace.path(), logs.path(), &[]);
    let (status, headers, body) = http(port, "POST", &[("Accept", "application/json, text/event-stream")], INITIALIZE);
    assert_eq!(status, 200, "{body}");
    assert!(header(&headers, "content-type").is_some_and(|c| c.starts_with("application/json")));
    let session = header(&headers, "mcp-session-id").expect("a session id").to_string();
    let with_session = [("Mcp-Session-Id", session.as_str()), ("MCP-Protocol-Version", "2025-11-25")];
    let (status, _, body) =
        http(port, "POST", &with_session, r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
    assert_eq!((status, body.as_str()), (202, ""));
    let call = r#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"document_symbols","arguments":{"path":"src/CommonModules/Склад/Ext/Module.bsl"}}}"#;
    let (status, _, body) = http(port, "POST", &with_session, call);
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["result"]["structuredContent"]["methods"][0]["name"], "Остаток", "{answer}");
    // No session, an unknown session, a foreign origin, a bad version, GET, bad JSON.
    assert_eq!(http(port, "POST", &[], call).0, 400);
    assert_eq!(http(port, "POST", &[("Mcp-Session-Id", "nope")], call).0, 404);
    let foreign = [("Mcp-Session-Id", session.as_str()), ("Origin", "http://evil.example")];
    assert_eq!(http(port, "POST", &foreign, call).0, 403);
    let local = [("Mcp-Session-Id", session.as_str()), ("Origin", "http://localhost:6274")];
    assert_eq!(http(port, "POST", &local, call).0, 200);
    assert_eq!(
        http(port, "POST", &[("Mcp-Session-Id", session.as_str()), ("MCP-Protocol-Version", "1999-01-01")], call).0,
        400
    );
    let (status, headers, _) = http(port, "GET", &with_session, "");
    assert_eq!((status, header(&headers, "allow")), (405, Some("POST, DELETE")));
    let (status, _, body) = http(port, "POST", &with_session, "{oops");
    assert_eq!(status, 400);
    assert!(body.contains("-32700"), "{body}");
    // Ending the session.
    assert_eq!(http(port, "DELETE", &with_session, "").0, 200);
    assert_eq!(http(port, "POST", &with_session, call).0, 404);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_token_is_required_off_loopback_and_enforced_when_given() {
    let workspace = small_workspace();
    let logs = tempfile::tempdir().unwrap();
    let output = Command::new(binary())
        .args(["mcp", "--http", "0", "--bind", "0.0.0.0", "--log-dir"])
        .arg(logs.path())
        .arg("--workspace")
        .arg(workspace.path())
        .env_remove("BSL_ASSIST_MCP_TOKEN")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("without a token"), "{output:?}");
    let output = Command::new(binary())
        .args(["mcp", "--metrics", "0.0.0.0:9464", "--log-dir"])
        .arg(logs.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");

    let (mut child, port) = start_http(workspace.path(), logs.path(), &["--token", "s3cret-token"]);
    let (status, headers, _) = http(port, "POST", &[], INITIALIZE);
    assert_eq!((status, header(&headers, "www-authenticate")), (401, Some("Bearer")));
    assert_eq!(http(port, "POST", &[("Authorization", "Bearer wrong-token")], INITIALIZE).0, 401);
    let (status, _, body) = http(port, "POST", &[("Authorization", "Bearer s3cret-token")], INITIALIZE);
    assert_eq!(status, 200, "{body}");
    child.kill().unwrap();
    child.wait().unwrap();
    // The token never reaches the log.
    for entry in std::fs::read_dir(logs.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            assert!(!std::fs::read_to_string(&path).unwrap().contains("s3cret"), "{}", path.display());
        }
    }
}

/// `dependency_diagram` at the subsystem level, on the EDT fixture with nested subsystems
/// (`server/analysis/tests/fixtures/workspace/subsystems/edt`).
#[test]
fn dependency_diagram_between_subsystems() {
    let workspace = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../analysis/tests/fixtures/workspace/subsystems/edt");
    copy_tree(&fixture, workspace.path());
    let logs = tempfile::tempdir().unwrap();
    let mut server = StdioServer::start(workspace.path(), logs.path());
    server.request(1, "initialize", json!({"protocolVersion": "2025-06-18", "capabilities": {}}));
    server.send_line(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);

    let tools = server.request(2, "tools/list", json!({}));
    let tool = tools["result"]["tools"].as_array().unwrap().iter().find(|t| t["name"] == "dependency_diagram").unwrap();
    let properties = &tool["inputSchema"]["properties"];
    assert_eq!(properties["level"]["enum"], json!(["module", "subsystem"]), "{tool}");
    assert_eq!(properties["depth"]["type"], "integer", "{tool}");
    assert!(properties["subsystem"].is_object() && properties["outside"].is_object(), "{tool}");

    let top = server.call(3, "dependency_diagram", json!({"level": "subsystem"}));
    let data = &top["result"]["structuredContent"];
    assert_eq!((data["subsystems"].as_u64(), data["max_depth"].as_u64()), (Some(5), Some(3)), "{top}");
    assert_eq!(data["edges"], json!([{"from": "Склад", "to": "Финансы", "calls": 4, "client_to_server": 1}]), "{top}");
    assert!(data["mermaid"].as_str().unwrap().contains("s0 ==>|\"4, клиент→сервер 1\"| s3"), "{top}");

    let deep = server.call(4, "dependency_diagram", json!({"level": "subsystem", "depth": 3}));
    let mermaid = deep["result"]["structuredContent"]["mermaid"].as_str().unwrap();
    assert!(mermaid.contains("subgraph g1[\"Учет\"]") && mermaid.contains("s4[\"Учет\"]:::server"), "{mermaid}");
    let inside = server.call(5, "dependency_diagram", json!({"level": "subsystem", "subsystem": "Склад.Учет"}));
    let edges = inside["result"]["structuredContent"]["edges"].as_array().unwrap().clone();
    assert!(
        edges.iter().all(|e| e["from"].as_str().unwrap().starts_with("Склад.Учет")
            || e["to"].as_str().unwrap().starts_with("Склад.Учет")),
        "{inside}"
    );
    assert!(!edges.is_empty(), "{inside}");

    for (id, arguments, fragment) in [
        (6, json!({"level": "subsystem", "subsystem": "Учет"}), "there is no subsystem `Учет`"),
        (7, json!({"level": "subsystem", "path": "src/CommonModules/Учет/Module.bsl"}), "leave it out"),
        (8, json!({"depth": 2}), "applies to level `subsystem` only"),
    ] {
        let answer = server.call(id, "dependency_diagram", arguments);
        assert_eq!(answer["result"]["isError"], true, "{answer}");
        assert!(answer["result"]["content"][0]["text"].as_str().unwrap().contains(fragment), "{answer}");
    }
    let bad = server.call(9, "dependency_diagram", json!({"level": "subsystem", "depth": 0}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");

    drop(server.input);
    assert!(server.child.wait().unwrap().success());
}
