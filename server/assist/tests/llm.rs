//! The LLM client against a hand-written OpenAI-compatible server on 127.0.0.1 that
//! misbehaves on purpose: 429 with `Retry-After` then an answer, 500 then an answer, a
//! streamed answer, a truncated stream, malformed JSON, and a hanging endpoint. Also: no
//! planted secret reaches the server, the audit log counts the redactions and holds no
//! secret, the cache answers repeated prompts, tokens are counted per role; the tester's
//! LLM completion takes a checked answer, retries once with the errors, else falls back.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bsl_assistant::llm::{LlmClient, LlmError, LlmSettings, Message};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone)]
enum Reply {
    Raw(String),
    /// The reply after a pause, in milliseconds.
    Delayed(u64, String),
    Hang,
}

fn json_reply(content: &str) -> Reply {
    let body = serde_json::json!({
        "id": "x", "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
    })
    .to_string();
    Reply::Raw(format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ))
}

fn status_reply(status: &str, extra: &str) -> Reply {
    Reply::Raw(format!("HTTP/1.1 {status}\r\n{extra}Content-Length: 2\r\nConnection: close\r\n\r\n{{}}"))
}

fn stream_reply(pieces: &[&str], done: bool) -> Reply {
    let mut body = String::new();
    for p in pieces {
        let chunk = serde_json::json!({"choices": [{"index": 0, "delta": {"content": p}}]});
        body.push_str(&format!("data: {chunk}\n\n"));
    }
    if done {
        body.push_str("data: [DONE]\n\n");
    }
    Reply::Raw(format!("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n{body}"))
}

struct Server {
    url: String,
    /// The bodies of the requests received, in order.
    requests: Arc<Mutex<Vec<String>>>,
}

/// Serves `replies` in order, one per connection (the last one repeats).
async fn serve(replies: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    tokio::spawn(async move {
        let mut n = 0;
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let reply = replies[n.min(replies.len() - 1)].clone();
            n += 1;
            let seen = seen.clone();
            tokio::spawn(handle(socket, reply, seen));
        }
    });
    Server { url, requests }
}

async fn handle(mut socket: TcpStream, reply: Reply, seen: Arc<Mutex<Vec<String>>>) {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let body = loop {
        let Ok(n) = socket.read(&mut buf).await else { return };
        if n == 0 {
            return;
        }
        data.extend_from_slice(&buf[..n]);
        let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = String::from_utf8_lossy(&data[..end]).to_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
            .unwrap_or(0);
        if data.len() >= end + 4 + length {
            break String::from_utf8_lossy(&data[end + 4..end + 4 + length]).to_string();
        }
    };
    seen.lock().unwrap().push(body);
    match reply {
        Reply::Raw(text) => {
            let _ = socket.write_all(text.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
        Reply::Delayed(ms, text) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            let _ = socket.write_all(text.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    }
}

fn settings(url: &str) -> LlmSettings {
    LlmSettings {
        base_url: url.to_string(),
        model: "test-model".into(),
        request_timeout: Duration::from_millis(800),
        backoff: Duration::from_millis(50),
        local_only: true,
        ..LlmSettings::default()
    }
}

#[tokio::test]
async fn retries_after_429_honouring_retry_after() {
    let server = serve(vec![status_reply("429 Too Many Requests", "Retry-After: 1\r\n"), json_reply("готово")]).await;
    let client = LlmClient::new(settings(&server.url)).unwrap();
    let started = Instant::now();
    let answer = client.chat("tester", &[Message::user("привет")]).await.unwrap();
    assert_eq!(answer.content, "готово");
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After ignored: {:?}", started.elapsed());
    assert_eq!(server.requests.lock().unwrap().len(), 2);
    let usage = client.usage();
    assert_eq!(usage["tester"].prompt_tokens, 11);
    assert_eq!(usage["tester"].completion_tokens, 7);
}

#[tokio::test]
async fn retries_on_500_then_gives_up_with_the_status() {
    let server = serve(vec![status_reply("500 Internal Server Error", ""), json_reply("ok")]).await;
    let client = LlmClient::new(settings(&server.url)).unwrap();
    assert_eq!(client.chat("developer", &[Message::user("a")]).await.unwrap().content, "ok");

    let server = serve(vec![status_reply("503 Service Unavailable", "")]).await;
    let client = LlmClient::new(LlmSettings { max_retries: 2, ..settings(&server.url) }).unwrap();
    let error = client.chat("developer", &[Message::user("a")]).await.unwrap_err();
    assert!(matches!(error, LlmError::Http { status: 503, .. }), "{error:?}");
    assert_eq!(server.requests.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn streams_deltas_until_done() {
    let server = serve(vec![stream_reply(&["Про", "це", "дура"], true)]).await;
    let client = LlmClient::new(settings(&server.url)).unwrap();
    let mut pieces = Vec::new();
    let answer = client.chat_stream("developer", &[Message::user("x")], |d| pieces.push(d.to_string())).await.unwrap();
    assert_eq!(pieces, ["Про", "це", "дура"]);
    assert_eq!(answer.content, "Процедура");
    assert!(answer.completion_tokens > 0, "estimated when the server sends no usage");
    let request: serde_json::Value = serde_json::from_str(&server.requests.lock().unwrap()[0]).unwrap();
    assert_eq!(request["stream"], true);
    assert_eq!(request["model"], "test-model");
}

#[tokio::test]
async fn truncated_stream_and_malformed_json_are_errors() {
    let server = serve(vec![stream_reply(&["a", "b"], false)]).await;
    let client = LlmClient::new(settings(&server.url)).unwrap();
    let error = client.chat_stream("tester", &[Message::user("x")], |_| {}).await.unwrap_err();
    assert!(matches!(error, LlmError::Malformed(_)), "{error:?}");

    let body = "{not json";
    let server = serve(vec![Reply::Raw(format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ))])
    .await;
    let client = LlmClient::new(settings(&server.url)).unwrap();
    let error = client.chat("tester", &[Message::user("x")]).await.unwrap_err();
    assert!(matches!(error, LlmError::Malformed(_)), "{error:?}");
}

#[tokio::test]
async fn a_hanging_endpoint_times_out() {
    let server = serve(vec![Reply::Hang]).await;
    let client = LlmClient::new(settings(&server.url)).unwrap();
    let started = Instant::now();
    assert_eq!(client.chat("tester", &[Message::user("x")]).await.unwrap_err(), LlmError::Timeout);
    assert_eq!(client.chat_stream("tester", &[Message::user("y")], |_| {}).await.unwrap_err(), LlmError::Timeout);
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
}

#[tokio::test]
async fn secrets_never_reach_the_server_and_the_audit_log_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let server = serve(vec![json_reply("ok")]).await;
    let client = LlmClient::new(LlmSettings {
        audit_log: Some(audit.clone()),
        cache_dir: Some(dir.path().join("cache")),
        ..settings(&server.url)
    })
    .unwrap();
    let module = r#"Процедура Подключиться() Экспорт
	Пароль = "Qwerty123";
	Соединение = "Srvr=db;Ref=erp;Usr=admin;Pwd=S3cretPwd;";
	Параметры = Новый Структура("Токен", "tok-9f8e7d6c5b4a");
	Адрес = "https://erp:hunter2@example.org/api";
КонецПроцедуры"#;
    let secrets = ["Qwerty123", "S3cretPwd", "tok-9f8e7d6c5b4a", "hunter2"];
    let answer = client.chat("reviewer", &[Message::system("review"), Message::user(module)]).await.unwrap();
    assert_eq!(answer.redactions, 4);
    // The same prompt again: served from the cache, no second request.
    let again = client.chat("reviewer", &[Message::system("review"), Message::user(module)]).await.unwrap();
    assert!(again.cached);
    let requests = server.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    for secret in secrets {
        assert!(!requests[0].contains(secret), "{secret} reached the server");
    }
    assert!(requests[0].contains("<REDACTED>"));
    let log = std::fs::read_to_string(&audit).unwrap();
    let lines: Vec<serde_json::Value> = log.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["redactions"], 4);
    assert!(lines[0]["time"].as_str().is_some_and(|t| t.ends_with('Z') && t.len() == 24), "{}", lines[0]["time"]);
    assert_eq!(lines[0]["role"], "reviewer");
    assert_eq!(lines[0]["host"], "127.0.0.1");
    assert_eq!(lines[0]["promptTokens"], 11);
    assert_eq!(lines[1]["cached"], true);
    for secret in secrets {
        assert!(!log.contains(secret));
    }
    let usage = client.usage();
    assert_eq!((usage["reviewer"].requests, usage["reviewer"].cached), (2, 1));
    // The disk cache serves a new client too.
    let fresh =
        LlmClient::new(LlmSettings { cache_dir: Some(dir.path().join("cache")), ..settings(&server.url) }).unwrap();
    assert!(fresh.chat("reviewer", &[Message::system("review"), Message::user(module)]).await.unwrap().cached);
    assert_eq!(server.requests.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_key_comes_from_the_named_variable() {
    let server = serve(vec![json_reply("ok")]).await;
    let client = LlmClient::new(LlmSettings {
        api_key_env: Some("BSL_ASSIST_TEST_KEY_THAT_IS_NOT_SET".into()),
        ..settings(&server.url)
    })
    .unwrap();
    let error = client.chat("tester", &[Message::user("x")]).await.unwrap_err();
    assert_eq!(error, LlmError::MissingKey("BSL_ASSIST_TEST_KEY_THAT_IS_NOT_SET".into()));
    assert!(server.requests.lock().unwrap().is_empty());
}

mod tester_completion {
    use super::*;
    use bsl_assistant::roles::tester::complete_with_llm;
    use bsl_knowledge::KnowledgeBase;
    use bsl_syntax::Parse;

    const MODULE: &str = "Функция Сумма(А, Б) Экспорт\n\tВозврат А + Б;\nКонецФункции\n";

    fn good() -> String {
        "```bsl\nПроцедура ИсполняемыеСценарии() Экспорт\n\tЮТТесты.ДобавитьТестовыйНабор(\"Расчеты\").ДобавитьТест(\"Тест_Сумма\");\nКонецПроцедуры\n\nПроцедура Тест_Сумма() Экспорт\n\tЮТест.ОжидаетЧто(Расчеты.Сумма(2, 3)).Равно(5);\nКонецПроцедуры\n```".to_string()
    }

    fn invented() -> String {
        "Процедура ИсполняемыеСценарии() Экспорт\n\tЮТТесты.ДобавитьТест(\"Тест_Сумма\");\nКонецПроцедуры\n\nПроцедура Тест_Сумма() Экспорт\n\tЧисло = ЮТДанные.СлучайноеЧисло();\n\tЮТест.ОжидаетЧто(Расчеты.Сумма(Число, 0)).Равно(Число);\nКонецПроцедуры\n".to_string()
    }

    #[tokio::test]
    async fn a_valid_answer_is_taken() {
        let server = serve(vec![json_reply(&good())]).await;
        let client = LlmClient::new(settings(&server.url)).unwrap();
        let parse = Parse::new(MODULE);
        let done = complete_with_llm(&client, &parse, "Расчеты", &[0], KnowledgeBase::embedded()).await;
        assert!(done.from_model, "{:?}", done.note);
        assert!(done.text.contains(".Равно(5)"));
        assert!(!done.text.contains("```"));
    }

    #[tokio::test]
    async fn an_invented_name_gets_one_retry_with_the_errors() {
        let server = serve(vec![json_reply(&invented()), json_reply(&good())]).await;
        let client = LlmClient::new(settings(&server.url)).unwrap();
        let parse = Parse::new(MODULE);
        let done = complete_with_llm(&client, &parse, "Расчеты", &[0], KnowledgeBase::embedded()).await;
        assert!(done.from_model);
        let requests = server.requests.lock().unwrap().clone();
        assert_eq!(requests.len(), 2);
        assert!(requests[1].contains("ЮТДанные is not a YAxUnit module"), "{}", requests[1]);
    }

    #[tokio::test]
    async fn two_bad_answers_or_a_failing_server_keep_the_deterministic_module() {
        let parse = Parse::new(MODULE);
        let deterministic = bsl_assistant::roles::tester::yaxunit_tests(&parse, "Расчеты", &[0]);

        let server = serve(vec![json_reply(&invented()), json_reply("Процедура Сломано(")]).await;
        let client = LlmClient::new(settings(&server.url)).unwrap();
        let done = complete_with_llm(&client, &parse, "Расчеты", &[0], KnowledgeBase::embedded()).await;
        assert!(!done.from_model);
        assert_eq!(done.text, deterministic);
        assert!(done.note.unwrap().contains("failed the checks"));

        let server = serve(vec![status_reply("500 Internal Server Error", "")]).await;
        let client = LlmClient::new(LlmSettings { max_retries: 0, ..settings(&server.url) }).unwrap();
        let done = complete_with_llm(&client, &parse, "Расчеты", &[0], KnowledgeBase::embedded()).await;
        assert_eq!(done.text, deterministic);
        assert!(done.note.unwrap().contains("HTTP 500"));
    }
}

#[tokio::test]
async fn embeddings_in_input_order_with_redaction() {
    let body = serde_json::json!({
        "object": "list",
        "data": [
            {"object": "embedding", "index": 1, "embedding": [0.5, -1.0]},
            {"object": "embedding", "index": 0, "embedding": [1.0, 2.0]}
        ],
        "usage": {"prompt_tokens": 6, "total_tokens": 6}
    })
    .to_string();
    let server = serve(vec![Reply::Raw(format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ))])
    .await;
    let client = LlmClient::new(settings(&server.url)).unwrap();
    let inputs = vec!["Пароль = \"Qwerty123\";".to_string(), "Процедура А()".to_string()];
    let vectors = client.embeddings("search", &inputs).await.unwrap();
    assert_eq!(vectors, vec![vec![1.0, 2.0], vec![0.5, -1.0]]);
    let request = server.requests.lock().unwrap()[0].clone();
    assert!(!request.contains("Qwerty123"));
    assert!(request.contains("\"input\""));
    assert_eq!(client.usage()["search"].prompt_tokens, 6);
}

fn delayed(ms: u64, content: &str) -> Reply {
    let Reply::Raw(text) = json_reply(content) else { unreachable!() };
    Reply::Delayed(ms, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrency_limit_serialises_calls_and_cancelling_frees_the_slot() {
    let server = serve(vec![delayed(300, "a")]).await;
    let client = Arc::new(LlmClient::new(LlmSettings { max_concurrent: 1, ..settings(&server.url) }).unwrap());
    let started = Instant::now();
    let (one, two) = ([Message::user("one")], [Message::user("two")]);
    let (a, b) = tokio::join!(client.chat("tester", &one), client.chat("tester", &two));
    assert!(a.is_ok() && b.is_ok());
    assert!(started.elapsed() >= Duration::from_millis(590), "not serialised: {:?}", started.elapsed());

    // A call dropped mid-flight (the editor cancelled) gives its slot back at once.
    let server = serve(vec![Reply::Hang, json_reply("b")]).await;
    let client = LlmClient::new(LlmSettings { max_concurrent: 1, ..settings(&server.url) }).unwrap();
    let cancelled =
        tokio::time::timeout(Duration::from_millis(100), client.chat("tester", &[Message::user("x")])).await;
    assert!(cancelled.is_err());
    let started = Instant::now();
    assert_eq!(client.chat("tester", &[Message::user("y")]).await.unwrap().content, "b");
    assert!(started.elapsed() < Duration::from_millis(500));
}
