//! `bsl-assist bench <dir>`: the performance figures of a folder, as a table (and JSON with
//! `--json`): single-threaded parse throughput; `check` wall time, CPU and peak memory (in a
//! child process); and, through a real `bsl-assist lsp` child, the time to the first
//! diagnostics of the largest module, edit-to-diagnostics-and-tokens latency (pulled
//! diagnostics and a semantic tokens delta, each against the last answer, asked for
//! together as editors do; the time runs until both answers are in and decoded, each in one
//! pass over its text, the diagnostics into LSP values as a Rust client such as Zed or
//! Helix decodes them), and hover and
//! completion latency (p50, p99). `scripts/bench-compare.py` compares two JSON results.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use serde_json::{Value, json};

use crate::files::{discover, read_module};

#[derive(Args)]
pub struct BenchArgs {
    /// The folder to measure (for example ../shared/corpus/ssl_3_1).
    dir: PathBuf,
    /// Also write the figures as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Requests per latency measurement.
    #[arg(long, default_value_t = 40)]
    samples: usize,
    /// Also time the hover's risk hint on the methods of this git repository, once its
    /// risk model is trained (for example a clone of ../shared/history/gitsync.bundle).
    #[arg(long)]
    risk_repo: Option<PathBuf>,
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let rank = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[rank.min(samples.len() - 1)]
}

/// A minimal LSP client over a child's stdio.
struct Lsp {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Incoming>,
    /// Notifications that came in while an answer was awaited, oldest first.
    held: std::collections::VecDeque<Incoming>,
    /// Answers that came while another was awaited, by request id.
    answers: std::collections::HashMap<i64, Incoming>,
    next_id: i64,
}

/// A message from the server, decoded in one pass over its text as an editor decodes one:
/// a result's `items` (a pulled diagnostics report's list) into typed LSP values, as a Rust
/// client such as Zed or Helix does, and everything else into a JSON tree.
struct Incoming {
    id: Option<i64>,
    method: Option<String>,
    /// The members other than `id`, `method` and `result`.
    rest: serde_json::Map<String, Value>,
    result: Option<Answer>,
}

/// A result: an object's `items` typed, its other members (or a result that is not an
/// object) as JSON.
#[derive(Default)]
struct Answer {
    items: Option<Vec<bsl_lsp::ls_types::Diagnostic>>,
    value: Value,
}

impl Incoming {
    /// The whole message as a JSON tree.
    fn value(&self) -> Value {
        let mut message = self.rest.clone();
        if let Some(id) = self.id {
            message.insert("id".into(), id.into());
        }
        if let Some(method) = &self.method {
            message.insert("method".into(), method.clone().into());
        }
        if let Some(result) = &self.result {
            let mut value = result.value.clone();
            if let (Some(items), Value::Object(members)) = (&result.items, &mut value) {
                members.insert("items".into(), serde_json::to_value(items).unwrap_or_default());
            }
            message.insert("result".into(), value);
        }
        Value::Object(message)
    }
}

impl<'de> serde::Deserialize<'de> for Incoming {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> serde::de::Visitor<'de> for Members {
            type Value = Incoming;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON-RPC message")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Incoming, M::Error> {
                let mut message = Incoming { id: None, method: None, rest: Default::default(), result: None };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "id" => message.id = map.next_value::<Value>()?.as_i64(),
                        "method" => message.method = Some(map.next_value()?),
                        "result" => message.result = Some(map.next_value()?),
                        _ => {
                            message.rest.insert(key, map.next_value()?);
                        }
                    }
                }
                Ok(message)
            }
        }
        deserializer.deserialize_map(Members)
    }
}

impl<'de> serde::Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnyResult;
        impl<'de> serde::de::Visitor<'de> for AnyResult {
            type Value = Answer;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a result")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Answer, M::Error> {
                let mut answer = Answer::default();
                let mut members = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "items" {
                        answer.items = Some(map.next_value()?);
                    } else {
                        members.insert(key, map.next_value()?);
                    }
                }
                answer.value = Value::Object(members);
                Ok(answer)
            }
            fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<Answer, S::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Value>()? {
                    items.push(item);
                }
                Ok(Answer { items: None, value: Value::Array(items) })
            }
            fn visit_unit<E>(self) -> Result<Answer, E> {
                Ok(Answer::default())
            }
            fn visit_bool<E>(self, v: bool) -> Result<Answer, E> {
                Ok(Answer { items: None, value: v.into() })
            }
            fn visit_i64<E>(self, v: i64) -> Result<Answer, E> {
                Ok(Answer { items: None, value: v.into() })
            }
            fn visit_u64<E>(self, v: u64) -> Result<Answer, E> {
                Ok(Answer { items: None, value: v.into() })
            }
            fn visit_f64<E>(self, v: f64) -> Result<Answer, E> {
                Ok(Answer { items: None, value: v.into() })
            }
            fn visit_str<E>(self, v: &str) -> Result<Answer, E> {
                Ok(Answer { items: None, value: v.into() })
            }
        }
        deserializer.deserialize_any(AnyResult)
    }
}

impl Lsp {
    fn start() -> anyhow::Result<Lsp> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take().context("child stdin")?;
        let stdout = child.stdout.take().context("child stdout")?;
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0usize;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(value) = header.strip_prefix("Content-Length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(message) = serde_json::from_slice::<Incoming>(&body) else { return };
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Ok(Lsp { child, stdin, messages, held: Default::default(), answers: Default::default(), next_id: 1 })
    }

    fn send(&mut self, message: Value) -> anyhow::Result<()> {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        self.stdin.flush()?;
        Ok(())
    }

    fn notify(&mut self, method: &str, params: Value) -> anyhow::Result<()> {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    fn request(&mut self, method: &str, params: Value) -> anyhow::Result<Value> {
        let id = self.ask(method, params)?;
        self.answer(id)
    }

    /// Sends a request without waiting for its answer; see [`Lsp::answer`].
    fn ask(&mut self, method: &str, params: Value) -> anyhow::Result<i64> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))?;
        Ok(id)
    }

    /// The answer to the request `id` as a JSON tree, waiting for it if it has not come yet.
    fn answer(&mut self, id: i64) -> anyhow::Result<Value> {
        Ok(self.answer_message(id)?.value())
    }

    /// The answer to the request `id`, as it was decoded; an error answer is an error here
    /// too, so that no figure times a failure.
    fn answer_message(&mut self, id: i64) -> anyhow::Result<Incoming> {
        let answer = self.wait_for_answer(id)?;
        if let Some(error) = answer.rest.get("error") {
            bail!("request {id} failed in the server: {error}");
        }
        Ok(answer)
    }

    fn wait_for_answer(&mut self, id: i64) -> anyhow::Result<Incoming> {
        if let Some(answer) = self.answers.remove(&id) {
            return Ok(answer);
        }
        loop {
            let message = self.messages.recv_timeout(Duration::from_secs(120)).context("no answer from the server")?;
            match message.id {
                Some(got) if message.method.is_none() => {
                    if got == id {
                        return Ok(message);
                    }
                    self.answers.insert(got, message);
                }
                Some(_) => {}
                None => self.held.push_back(message),
            }
        }
    }

    fn wait_for(&mut self, method: &str) -> anyhow::Result<Value> {
        if let Some(at) = self.held.iter().position(|m| m.method.as_deref() == Some(method)) {
            let message = self.held.remove(at).expect("a held notification");
            self.held.drain(..at);
            return Ok(message.value());
        }
        self.held.clear();
        loop {
            let message = self.messages.recv_timeout(Duration::from_secs(120)).context("no notification")?;
            if message.method.as_deref() == Some(method) {
                return Ok(message.value());
            }
        }
    }

    /// Waits for a `window/logMessage` that contains `needle`.
    fn wait_for_log(&mut self, needle: &str) -> anyhow::Result<Value> {
        loop {
            let message = self.wait_for("window/logMessage")?;
            if message["params"]["message"].as_str().is_some_and(|m| m.contains(needle)) {
                return Ok(message);
            }
        }
    }

    fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        let _ = self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

/// Hover on method names of `repo` once the server's risk model of it is ready: the
/// milliseconds of each answer that carries a risk hint.
fn risk_hover(repo: &Path, samples: usize) -> anyhow::Result<Vec<f64>> {
    let repo = repo.canonicalize().with_context(|| format!("{}: no such folder", repo.display()))?;
    let mut lsp = Lsp::start()?;
    let root = file_uri(&repo);
    lsp.request(
        "initialize",
        json!({ "processId": null, "workspaceFolders": [{ "uri": root, "name": "risk" }], "capabilities": {} }),
    )?;
    lsp.notify("initialized", json!({}))?;
    let ready = lsp.wait_for_log("risk")?;
    let said = ready["params"]["message"].as_str().unwrap_or_default().to_string();
    anyhow::ensure!(said.contains("ready"), "{}: no risk model: {said}", repo.display());
    // Method names: the word after `Процедура`/`Функция`/`Procedure`/`Function` at a line's start.
    let mut targets = Vec::new();
    for entry in walkdir::WalkDir::new(&repo).into_iter().flatten() {
        let path = entry.path();
        if targets.len() >= samples || !path.extension().is_some_and(|e| e == "os" || e == "bsl") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let text = text.trim_start_matches('\u{feff}').to_string();
        let uri = file_uri(path);
        let mut opened = false;
        for (line, content) in text.lines().enumerate() {
            let trimmed = content.trim_start();
            let lower = trimmed.to_lowercase();
            let keyword = ["процедура ", "функция ", "procedure ", "function "].iter().find(|k| lower.starts_with(*k));
            let Some(keyword) = keyword else { continue };
            if targets.len() >= samples {
                break;
            }
            if !opened {
                lsp.notify(
                    "textDocument/didOpen",
                    json!({ "textDocument": { "uri": uri, "languageId": "bsl", "version": 1, "text": text } }),
                )?;
                opened = true;
            }
            let indent = content.len() - trimmed.len();
            let character = content[..indent + keyword.len()].encode_utf16().count() + 1;
            targets.push((uri.clone(), line, character));
        }
    }
    let mut times = Vec::new();
    for (uri, line, character) in targets {
        let started = Instant::now();
        let hover = lsp.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        )?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        if hover["result"]["contents"].to_string().contains("Риск ошибки") {
            times.push(elapsed);
        }
    }
    lsp.stop();
    anyhow::ensure!(!times.is_empty(), "{}: no hover carried a risk hint", repo.display());
    Ok(times)
}

/// A user typing on one line of an open document: a character inserted at the line's
/// start, then taken out again (so the text does not drift), each keystroke followed by
/// what an editor asks for: pulled diagnostics and a semantic-tokens delta, both against
/// the last answers, asked for together (VS Code sends both after a change without waiting
/// for either answer).
struct Typing {
    uri: String,
    line: usize,
    version: usize,
    tokens_id: Value,
    diagnostics_id: Value,
    /// How many diagnostics the last full report carried, and how many keystrokes got a
    /// full report (not `unchanged`).
    diagnostics_count: usize,
    full_reports: usize,
}

impl Typing {
    /// One keystroke; the milliseconds until both answers are in.
    fn keystroke(&mut self, lsp: &mut Lsp) -> anyhow::Result<f64> {
        let insert = self.version % 2 == 1;
        let (end, text_change) = if insert { (0, "Ж") } else { (1, "") };
        self.version += 1;
        let started = Instant::now();
        let range =
            json!({ "start": { "line": self.line, "character": 0 }, "end": { "line": self.line, "character": end } });
        lsp.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": self.uri, "version": self.version },
                "contentChanges": [{ "range": range, "text": text_change }],
            }),
        )?;
        let diagnostics = lsp.ask(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": self.uri }, "previousResultId": self.diagnostics_id }),
        )?;
        let tokens = lsp.ask(
            "textDocument/semanticTokens/full/delta",
            json!({ "textDocument": { "uri": self.uri }, "previousResultId": self.tokens_id }),
        )?;
        let report = lsp.answer_message(diagnostics)?.result.context("no diagnostics report")?;
        self.diagnostics_id = report.value["resultId"].clone();
        if report.value["kind"] == "full" {
            self.diagnostics_count = report.items.map_or(0, |items| items.len());
            self.full_reports += 1;
        }
        let delta = lsp.answer(tokens)?;
        self.tokens_id = delta["result"]["resultId"].clone();
        Ok(started.elapsed().as_secs_f64() * 1000.0)
    }
}

fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Positions (line, UTF-16 column) of identifiers spread over the text.
fn identifier_positions(text: &str, count: usize) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let step = (lines.len() / count.max(1)).max(1);
    let mut out = Vec::new();
    for (number, line) in lines.iter().enumerate().step_by(step) {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") || trimmed.starts_with('|') || trimmed.is_empty() {
            continue;
        }
        let indent: usize = line[..line.len() - trimmed.len()].chars().map(char::len_utf16).sum();
        out.push((number, indent + 1));
        if out.len() == count {
            break;
        }
    }
    out
}

pub fn run(args: &BenchArgs) -> anyhow::Result<std::process::ExitCode> {
    let dir = args.dir.canonicalize().with_context(|| format!("{}: cannot read", args.dir.display()))?;
    let files = discover(std::slice::from_ref(&dir))?;
    if files.is_empty() {
        bail!("{}: no modules", dir.display());
    }
    let mut figures = serde_json::Map::new();

    // 1. Parse throughput on one thread.
    let mut texts = Vec::new();
    let mut bytes = 0usize;
    for file in &files {
        if let Ok((size, text, _)) = read_module(file) {
            bytes += size;
            texts.push((file.clone(), text));
        }
    }
    let started = Instant::now();
    for (_, text) in &texts {
        std::hint::black_box(bsl_syntax::Parse::new(text.as_str()));
    }
    let parse_seconds = started.elapsed().as_secs_f64();
    figures.insert("parse_mb_per_s".into(), json!(bytes as f64 / 1e6 / parse_seconds));

    // 2. `check` in a child process: wall, CPU, peak memory.
    let started = Instant::now();
    let check = Command::new(std::env::current_exe()?)
        .args(["check", "--format", "json", "--stats", "-o", "/dev/null"])
        .arg(&dir)
        .output()?;
    let check_wall = started.elapsed().as_secs_f64();
    let stats = String::from_utf8_lossy(&check.stderr);
    let time_line = stats.lines().find(|l| l.starts_with("Time:")).unwrap_or_default().to_string();
    let number_before = |unit: &str| -> f64 {
        time_line
            .split(',')
            .find(|part| part.contains(unit))
            .and_then(|part| part.split_whitespace().find_map(|w| w.parse::<f64>().ok()))
            .unwrap_or(0.0)
    };
    figures.insert("check_wall_s".into(), json!(check_wall));
    figures.insert("check_cpu_s".into(), json!(number_before("CPU")));
    figures.insert("check_peak_mb".into(), json!(number_before("peak memory")));

    // 3. The workspace index, in a child process for its own peak memory.
    let index = Command::new(std::env::current_exe()?).args(["index", "--json"]).arg(&dir).output()?;
    let index: Value = serde_json::from_slice(&index.stdout).unwrap_or(Value::Null);
    figures.insert("index_s".into(), json!(index["seconds"].as_f64().unwrap_or(0.0)));
    figures.insert("index_peak_mb".into(), json!(index["peak_mb"].as_f64().unwrap_or(0.0)));

    // 4. The language server on the largest module.
    let (largest, text) = texts.iter().max_by_key(|(_, t)| t.len()).cloned().context("a module")?;
    let uri = file_uri(&largest);
    let mut lsp = Lsp::start()?;
    let started = Instant::now();
    let root = file_uri(&dir);
    lsp.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": root,
            "workspaceFolders": [{ "uri": root, "name": "bench" }],
            // As VS Code declares: diagnostics are pulled, not pushed as well; a completion
            // item's documentation is fetched when the item is shown.
            "capabilities": { "textDocument": {
                "diagnostic": { "relatedDocumentSupport": false },
                "completion": { "completionItem": {
                    "resolveSupport": { "properties": ["documentation", "detail", "additionalTextEdits"] } } },
            } },
        }),
    )?;
    lsp.notify("initialized", json!({}))?;
    lsp.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "bsl", "version": 1, "text": text } }),
    )?;
    let first = lsp.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } }))?;
    figures.insert("first_diagnostics_ms".into(), json!(started.elapsed().as_secs_f64() * 1000.0));

    let middle_line = text.lines().count() / 2;
    // As editors do: the full tokens once, then deltas against the last answer.
    let tokens = lsp.request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri } }))?;
    let mut typing = Typing {
        uri: uri.clone(),
        line: middle_line,
        version: 1,
        tokens_id: tokens["result"]["resultId"].clone(),
        diagnostics_id: first["result"]["resultId"].clone(),
        diagnostics_count: first["result"]["items"].as_array().map_or(0, Vec::len),
        full_reports: 0,
    };
    // The first keystrokes land while the workspace is still being indexed on the other
    // cores; the steady state, once the index is ready, is what the targets are about.
    let mut indexing_ms = Vec::new();
    for _ in 0..args.samples.div_ceil(4) {
        indexing_ms.push(typing.keystroke(&mut lsp)?);
    }
    lsp.wait_for_log("indexed")?;
    figures.insert("index_ready_ms".into(), json!(started.elapsed().as_secs_f64() * 1000.0));
    let mut edit_ms = Vec::new();
    typing.full_reports = 0;
    for _ in 0..args.samples {
        edit_ms.push(typing.keystroke(&mut lsp)?);
    }
    // What the timed answers carried: a whole list each time, or `unchanged`.
    figures.insert("edit_diagnostics".into(), json!(typing.diagnostics_count));
    figures.insert("edit_full_reports".into(), json!(typing.full_reports));
    // The server's own time per message of a keystroke (its request metrics, over the
    // recent keystrokes): the gap to the figures above is what the host's scheduling, the
    // pipes and the client's decoding add, which moves with the machine more than the code.
    let stats = lsp.request("bsl-assist/stats", Value::Null)?;
    for (name, method) in [
        ("server_did_change", "textDocument/didChange"),
        ("server_diagnostic", "textDocument/diagnostic"),
        ("server_tokens_delta", "textDocument/semanticTokens/full/delta"),
    ] {
        if let Some(p50) = stats["result"]["requests"][method]["p50_ms"].as_f64() {
            figures.insert(format!("{name}_p50_ms"), json!(p50));
        }
    }
    let positions = identifier_positions(&text, args.samples);
    let mut hover_ms = Vec::new();
    let mut completion_ms = Vec::new();
    let mut resolve_ms = Vec::new();
    for &(line, character) in &positions {
        let at = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
        let started = Instant::now();
        lsp.request("textDocument/hover", at.clone())?;
        hover_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        let list = lsp.request("textDocument/completion", at)?;
        completion_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        // The editor then asks for the documentation of the item it shows first.
        let first = list["result"].as_array().and_then(|items| items.iter().find(|i| i.get("data").is_some()));
        if let Some(item) = first {
            let started = Instant::now();
            lsp.request("completionItem/resolve", item.clone())?;
            resolve_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    lsp.stop();
    let mut risk_ms = match &args.risk_repo {
        Some(repo) => risk_hover(repo, args.samples)?,
        None => Vec::new(),
    };
    if !risk_ms.is_empty() {
        figures.insert("risk_hover_count".into(), json!(risk_ms.len()));
    }
    for (name, samples) in [
        ("edit_while_indexing", &mut indexing_ms),
        ("edit", &mut edit_ms),
        ("hover", &mut hover_ms),
        ("completion", &mut completion_ms),
        ("completion_resolve", &mut resolve_ms),
        ("risk_hover", &mut risk_ms),
    ] {
        if samples.is_empty() {
            continue;
        }
        figures.insert(format!("{name}_p50_ms"), json!(percentile(samples, 0.5)));
        figures.insert(format!("{name}_p99_ms"), json!(percentile(samples, 0.99)));
    }

    println!("bsl-assist bench: {} ({} modules, {:.1} MB)", dir.display(), files.len(), bytes as f64 / 1e6);
    println!("largest module: {} ({:.1} MB)", largest.display(), text.len() as f64 / 1e6);
    println!("{:<44} {:>12}", "measure", "value");
    let rows = [
        ("parse, one thread (MB/s)", "parse_mb_per_s"),
        ("check, all cores: wall (s)", "check_wall_s"),
        ("check: CPU (s)", "check_cpu_s"),
        ("check: peak memory (MB)", "check_peak_mb"),
        ("workspace index: wall (s)", "index_s"),
        ("workspace index: peak memory (MB)", "index_peak_mb"),
        ("start to first diagnostics (ms)", "first_diagnostics_ms"),
        ("start to workspace index ready (ms)", "index_ready_ms"),
        ("edit while indexing -> diagnostics + tokens p50 (ms)", "edit_while_indexing_p50_ms"),
        ("edit -> diagnostics + tokens p50 (ms)", "edit_p50_ms"),
        ("edit -> diagnostics + tokens p99 (ms)", "edit_p99_ms"),
        ("edit: diagnostics in each full report", "edit_diagnostics"),
        ("edit: keystrokes answered with a full report", "edit_full_reports"),
        ("edit, in the server: didChange p50 (ms)", "server_did_change_p50_ms"),
        ("edit, in the server: diagnostic p50 (ms)", "server_diagnostic_p50_ms"),
        ("edit, in the server: tokens delta p50 (ms)", "server_tokens_delta_p50_ms"),
        ("hover p50 (ms)", "hover_p50_ms"),
        ("hover p99 (ms)", "hover_p99_ms"),
        ("completion p50 (ms)", "completion_p50_ms"),
        ("completion p99 (ms)", "completion_p99_ms"),
        ("completion item resolve p50 (ms)", "completion_resolve_p50_ms"),
        ("hovers with a risk hint timed", "risk_hover_count"),
        ("hover with a risk hint p50 (ms)", "risk_hover_p50_ms"),
        ("hover with a risk hint p99 (ms)", "risk_hover_p99_ms"),
    ];
    for (label, key) in rows {
        if let Some(value) = figures.get(key).and_then(Value::as_f64) {
            println!("{label:<44} {value:>12.2}");
        }
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&Value::Object(figures))?)
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(std::process::ExitCode::SUCCESS)
}
