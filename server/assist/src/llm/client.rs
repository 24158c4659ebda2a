//! The HTTP side of the LLM provider: requests, retries, streaming, limits, cache, usage
//! and the audit log.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::Write;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use super::redact::redact;
use super::{ChatResponse, LlmError, LlmSettings, Message, TokenUsage};

/// A sliding-window limit of calls per window (a minute in production).
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    times: tokio::sync::Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    /// `limit` 0 means unlimited.
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimiter { limit, window, times: tokio::sync::Mutex::new(VecDeque::new()) }
    }

    /// Waits until one more call fits in the window, and records it.
    pub async fn acquire(&self) {
        if self.limit == 0 {
            return;
        }
        loop {
            let mut times = self.times.lock().await;
            let now = Instant::now();
            while times.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
                times.pop_front();
            }
            if times.len() < self.limit as usize {
                times.push_back(now);
                return;
            }
            let wait = self.window.saturating_sub(now.duration_since(*times.front().expect("full window")));
            drop(times);
            tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
        }
    }
}

/// The client. One per configured provider; share it (`Arc`) between requests.
#[derive(Debug)]
pub struct LlmClient {
    settings: LlmSettings,
    endpoint: reqwest::Url,
    embeddings_endpoint: reqwest::Url,
    host: String,
    http: reqwest::Client,
    semaphore: Semaphore,
    limiter: RateLimiter,
    cache: Mutex<HashMap<String, ChatResponse>>,
    usage: Mutex<BTreeMap<String, TokenUsage>>,
    audit: Mutex<()>,
}

/// Whether a URL's host is loopback (`localhost`, `127.0.0.0/8`, `::1`).
pub fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl LlmClient {
    /// Checks the settings (configured, valid URL, loopback when `local_only`).
    pub fn new(settings: LlmSettings) -> Result<Self, LlmError> {
        if !settings.is_configured() {
            return Err(LlmError::NotConfigured);
        }
        let base = settings.base_url.trim().trim_end_matches('/');
        let endpoint = reqwest::Url::parse(&format!("{base}/chat/completions"))
            .map_err(|_| LlmError::BadUrl(settings.base_url.clone()))?;
        let embeddings_endpoint = reqwest::Url::parse(&format!("{base}/embeddings"))
            .map_err(|_| LlmError::BadUrl(settings.base_url.clone()))?;
        let host = endpoint.host_str().unwrap_or_default().to_string();
        let loopback = is_loopback(&endpoint);
        if settings.local_only && !loopback {
            return Err(LlmError::NotLocal(host));
        }
        let mut builder = reqwest::Client::builder().connect_timeout(settings.connect_timeout);
        if loopback {
            // A proxy from the environment must not see loopback traffic.
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| LlmError::Transport(e.to_string()))?;
        Ok(LlmClient {
            semaphore: Semaphore::new(settings.max_concurrent.max(1)),
            limiter: RateLimiter::new(settings.requests_per_minute, Duration::from_secs(60)),
            settings,
            endpoint,
            embeddings_endpoint,
            host,
            http,
            cache: Mutex::new(HashMap::new()),
            usage: Mutex::new(BTreeMap::new()),
            audit: Mutex::new(()),
        })
    }

    pub fn settings(&self) -> &LlmSettings {
        &self.settings
    }

    /// The endpoint's host, as the audit log names it.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Tokens and calls per role so far.
    pub fn usage(&self) -> BTreeMap<String, TokenUsage> {
        self.usage.lock().expect("usage lock").clone()
    }

    /// A chat completion.
    pub async fn chat(&self, role: &str, messages: &[Message]) -> Result<ChatResponse, LlmError> {
        self.call(role, messages, None).await
    }

    /// A streamed chat completion: `on_delta` gets each piece of text as it arrives (or the
    /// whole cached answer at once); the result holds the whole text.
    pub async fn chat_stream(
        &self,
        role: &str,
        messages: &[Message],
        mut on_delta: impl FnMut(&str) + Send,
    ) -> Result<ChatResponse, LlmError> {
        self.call(role, messages, Some(&mut on_delta)).await
    }

    async fn call(
        &self,
        role: &str,
        messages: &[Message],
        on_delta: Option<&mut (dyn FnMut(&str) + Send)>,
    ) -> Result<ChatResponse, LlmError> {
        let started = Instant::now();
        let mut redactions = 0;
        let messages: Vec<Message> = messages
            .iter()
            .map(|m| {
                let (content, n) = redact(&m.content);
                redactions += n;
                Message { role: m.role.clone(), content }
            })
            .collect();
        let key = self.cache_key(&messages);
        let stream = on_delta.is_some();
        if let Some(mut hit) = self.cache_get(&key) {
            hit.cached = true;
            hit.redactions = redactions;
            if let Some(f) = on_delta {
                f(&hit.content);
            }
            self.account(role, &hit);
            self.audit(role, stream, &Ok(hit.clone()), started);
            return Ok(hit);
        }
        let result = {
            let _permit = self.semaphore.acquire().await.map_err(|e| LlmError::Transport(e.to_string()))?;
            let body = json!({
                "model": self.settings.model,
                "messages": messages,
                "max_tokens": self.settings.max_tokens,
                "temperature": self.settings.temperature,
                "stream": stream,
            });
            match on_delta {
                None => self.plain(&body).await,
                Some(f) => self.streamed(&body, f).await,
            }
        };
        let result = result.map(|mut r| {
            r.redactions = redactions;
            if r.prompt_tokens == 0 {
                r.prompt_tokens = estimate_tokens(messages.iter().map(|m| m.content.as_str()));
            }
            if r.completion_tokens == 0 {
                r.completion_tokens = estimate_tokens([r.content.as_str()]);
            }
            r
        });
        if let Ok(r) = &result {
            self.account(role, r);
            self.cache_put(&key, r);
        }
        self.audit(role, stream, &result, started);
        result
    }

    /// Sends with retries on 429 and 5xx; the response has a success status.
    async fn send(&self, url: &reqwest::Url, body: &Value) -> Result<reqwest::Response, LlmError> {
        let mut attempt = 0u32;
        loop {
            self.limiter.acquire().await;
            let mut request = self.http.post(url.clone()).json(body);
            if let Some(var) = &self.settings.api_key_env {
                let key = std::env::var(var).map_err(|_| LlmError::MissingKey(var.clone()))?;
                request = request.bearer_auth(key);
            }
            let response = match tokio::time::timeout(self.settings.request_timeout, request.send()).await {
                Err(_) => return Err(LlmError::Timeout),
                Ok(Err(e)) if e.is_timeout() => return Err(LlmError::Timeout),
                Ok(Err(e)) => return Err(LlmError::Transport(e.to_string())),
                Ok(Ok(r)) => r,
            };
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            if (status.as_u16() == 429 || status.is_server_error()) && attempt < self.settings.max_retries {
                let wait = retry_after(&response)
                    .map(|d| d.min(self.settings.max_retry_after))
                    .unwrap_or_else(|| self.settings.backoff.saturating_mul(1 << attempt.min(16)));
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            let text = tokio::time::timeout(self.settings.request_timeout, response.text())
                .await
                .ok()
                .and_then(Result::ok)
                .unwrap_or_default();
            return Err(LlmError::Http { status: status.as_u16(), body: text.chars().take(300).collect() });
        }
    }

    async fn plain(&self, body: &Value) -> Result<ChatResponse, LlmError> {
        let response = self.send(&self.endpoint, body).await?;
        let bytes = match tokio::time::timeout(self.settings.request_timeout, response.bytes()).await {
            Err(_) => return Err(LlmError::Timeout),
            Ok(Err(e)) => return Err(LlmError::Transport(e.to_string())),
            Ok(Ok(b)) => b,
        };
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| LlmError::Malformed(e.to_string()))?;
        let content = value
            .pointer("/choices/0/message/content")
            .and_then(Value::as_str)
            .ok_or_else(|| LlmError::Malformed("no choices[0].message.content".into()))?;
        let (prompt_tokens, completion_tokens) = usage_of(&value);
        Ok(ChatResponse {
            content: content.to_string(),
            prompt_tokens,
            completion_tokens,
            cached: false,
            redactions: 0,
        })
    }

    async fn streamed(&self, body: &Value, on_delta: &mut (dyn FnMut(&str) + Send)) -> Result<ChatResponse, LlmError> {
        let response = self.send(&self.endpoint, body).await?;
        let mut stream = response.bytes_stream();
        let mut buffer: Vec<u8> = Vec::new();
        let mut content = String::new();
        let (mut prompt_tokens, mut completion_tokens) = (0, 0);
        loop {
            let chunk = match tokio::time::timeout(self.settings.request_timeout, stream.next()).await {
                Err(_) => return Err(LlmError::Timeout),
                Ok(None) => return Err(LlmError::Malformed("the stream ended before [DONE]".into())),
                Ok(Some(Err(e))) => return Err(LlmError::Transport(e.to_string())),
                Ok(Some(Ok(c))) => c,
            };
            buffer.extend_from_slice(&chunk);
            while let Some(end) = buffer.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = buffer.drain(..=end).collect();
                let line = String::from_utf8_lossy(&line);
                let line = line.trim();
                let Some(data) = line.strip_prefix("data:") else { continue };
                let data = data.trim();
                if data == "[DONE]" {
                    return Ok(ChatResponse {
                        content,
                        prompt_tokens,
                        completion_tokens,
                        cached: false,
                        redactions: 0,
                    });
                }
                let value: Value = serde_json::from_str(data).map_err(|e| LlmError::Malformed(e.to_string()))?;
                if let Some(delta) = value.pointer("/choices/0/delta/content").and_then(Value::as_str)
                    && !delta.is_empty()
                {
                    content.push_str(delta);
                    on_delta(delta);
                }
                let (p, c) = usage_of(&value);
                if p + c > 0 {
                    (prompt_tokens, completion_tokens) = (p, c);
                }
            }
        }
    }

    /// Embeddings of `inputs` (redacted first) from `{base}/embeddings`, one vector each, in
    /// order. Retries, limits, usage and the audit log as for chat; not cached.
    pub async fn embeddings(&self, role: &str, inputs: &[String]) -> Result<Vec<Vec<f32>>, LlmError> {
        let started = Instant::now();
        let mut redactions = 0;
        let inputs: Vec<String> = inputs
            .iter()
            .map(|t| {
                let (t, n) = redact(t);
                redactions += n;
                t
            })
            .collect();
        let result = async {
            let _permit = self.semaphore.acquire().await.map_err(|e| LlmError::Transport(e.to_string()))?;
            let url = &self.embeddings_endpoint;
            let model = self.settings.embedding_model.as_deref().unwrap_or(&self.settings.model);
            let response = self.send(url, &json!({"model": model, "input": inputs})).await?;
            let bytes = match tokio::time::timeout(self.settings.request_timeout, response.bytes()).await {
                Err(_) => return Err(LlmError::Timeout),
                Ok(Err(e)) => return Err(LlmError::Transport(e.to_string())),
                Ok(Ok(b)) => b,
            };
            let value: Value = serde_json::from_slice(&bytes).map_err(|e| LlmError::Malformed(e.to_string()))?;
            let data =
                value.get("data").and_then(Value::as_array).ok_or_else(|| LlmError::Malformed("no data".into()))?;
            let mut vectors = vec![Vec::new(); inputs.len()];
            for (i, item) in data.iter().enumerate() {
                let index = item.get("index").and_then(Value::as_u64).map_or(i, |x| x as usize);
                let vector = item
                    .get("embedding")
                    .and_then(Value::as_array)
                    .ok_or_else(|| LlmError::Malformed("no embedding".into()))?
                    .iter()
                    .map(|x| x.as_f64().map(|x| x as f32).ok_or_else(|| LlmError::Malformed("not a number".into())))
                    .collect::<Result<Vec<f32>, _>>()?;
                *vectors.get_mut(index).ok_or_else(|| LlmError::Malformed("index out of range".into()))? = vector;
            }
            if vectors.iter().any(Vec::is_empty) {
                return Err(LlmError::Malformed("an input has no embedding".into()));
            }
            let (prompt_tokens, _) = usage_of(&value);
            Ok((vectors, prompt_tokens))
        }
        .await;
        let summary = result.as_ref().map(|(_, p)| ChatResponse {
            content: String::new(),
            prompt_tokens: if *p > 0 { *p } else { estimate_tokens(inputs.iter().map(String::as_str)) },
            completion_tokens: 0,
            cached: false,
            redactions,
        });
        let summary = summary.map_err(Clone::clone);
        if let Ok(r) = &summary {
            self.account(role, r);
        }
        self.audit(role, false, &summary, started);
        result.map(|(v, _)| v)
    }

    fn cache_key(&self, messages: &[Message]) -> String {
        let s = &self.settings;
        let text = json!({"model": s.model, "t": s.temperature, "max": s.max_tokens, "m": messages}).to_string();
        let digest = Sha256::digest(text.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn cache_get(&self, key: &str) -> Option<ChatResponse> {
        if let Some(hit) = self.cache.lock().expect("cache lock").get(key) {
            return Some(hit.clone());
        }
        let dir = self.settings.cache_dir.as_ref()?;
        let text = std::fs::read_to_string(dir.join(format!("{key}.json"))).ok()?;
        let hit: ChatResponse = serde_json::from_str(&text).ok()?;
        self.cache.lock().expect("cache lock").insert(key.to_string(), hit.clone());
        Some(hit)
    }

    fn cache_put(&self, key: &str, response: &ChatResponse) {
        let mut stored = response.clone();
        stored.cached = false;
        if let Some(dir) = &self.settings.cache_dir
            && std::fs::create_dir_all(dir).is_ok()
            && let Ok(text) = serde_json::to_string(&stored)
        {
            let tmp = dir.join(format!("{key}.tmp"));
            if std::fs::write(&tmp, text).is_ok() {
                let _ = std::fs::rename(&tmp, dir.join(format!("{key}.json")));
            }
        }
        self.cache.lock().expect("cache lock").insert(key.to_string(), stored);
    }

    fn account(&self, role: &str, r: &ChatResponse) {
        let mut usage = self.usage.lock().expect("usage lock");
        let u = usage.entry(role.to_string()).or_default();
        u.requests += 1;
        if r.cached {
            u.cached += 1;
        } else {
            u.prompt_tokens += r.prompt_tokens;
            u.completion_tokens += r.completion_tokens;
        }
    }

    /// One JSONL line per call; holds no prompt text and no key.
    fn audit(&self, role: &str, stream: bool, result: &Result<ChatResponse, LlmError>, started: Instant) {
        let Some(path) = &self.settings.audit_log else { return };
        let time = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let mut line = json!({
            "time": rfc3339(time),
            "role": role,
            "host": self.host,
            "model": self.settings.model,
            "stream": stream,
            "latencyMs": started.elapsed().as_millis() as u64,
        });
        match result {
            Ok(r) => {
                line["status"] = json!("ok");
                line["cached"] = json!(r.cached);
                line["promptTokens"] = json!(r.prompt_tokens);
                line["completionTokens"] = json!(r.completion_tokens);
                line["redactions"] = json!(r.redactions);
            }
            Err(e) => {
                line["status"] = json!("error");
                let (message, _) = redact(&e.to_string());
                line["error"] = json!(message);
            }
        }
        let _guard = self.audit.lock().expect("audit lock");
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = writeln!(file, "{line}");
        }
    }
}

/// `2026-11-29T15:04:05.123Z` from a time since the Unix epoch (UTC, proleptic Gregorian).
fn rfc3339(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60,
        since_epoch.subsec_millis()
    )
}

fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

fn usage_of(value: &Value) -> (u64, u64) {
    let get = |k: &str| value.pointer(&format!("/usage/{k}")).and_then(Value::as_u64).unwrap_or(0);
    (get("prompt_tokens"), get("completion_tokens"))
}

/// About four characters a token, when the server does not say.
fn estimate_tokens<'a>(texts: impl IntoIterator<Item = &'a str>) -> u64 {
    let chars: usize = texts.into_iter().map(|t| t.chars().count()).sum();
    chars.div_ceil(4) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn rate_limiter_waits_for_the_window() {
        let limiter = RateLimiter::new(2, Duration::from_millis(300));
        let started = Instant::now();
        limiter.acquire().await;
        limiter.acquire().await;
        assert!(started.elapsed() < Duration::from_millis(200));
        limiter.acquire().await;
        assert!(started.elapsed() >= Duration::from_millis(290));
    }

    #[test]
    fn audit_times_are_rfc3339() {
        assert_eq!(rfc3339(Duration::from_millis(0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(Duration::from_millis(951_782_400_250)), "2000-02-29T00:00:00.250Z");
        assert_eq!(rfc3339(Duration::from_secs(1_795_964_645)), "2026-11-29T15:04:05.000Z");
    }

    #[test]
    fn local_only_refuses_other_hosts() {
        let settings = |url: &str| LlmSettings {
            base_url: url.into(),
            model: "m".into(),
            local_only: true,
            ..LlmSettings::default()
        };
        assert_eq!(
            LlmClient::new(settings("https://api.example.com/v1")).unwrap_err(),
            LlmError::NotLocal("api.example.com".into())
        );
        assert!(LlmClient::new(settings("http://10.0.0.1:8080/v1")).is_err());
        assert!(LlmClient::new(settings("http://127.0.0.1:8080/v1")).is_ok());
        assert!(LlmClient::new(settings("http://localhost:8080/v1")).is_ok());
        assert!(LlmClient::new(settings("http://[::1]:8080/v1")).is_ok());
        assert_eq!(LlmClient::new(LlmSettings::default()).unwrap_err(), LlmError::NotConfigured);
    }
}
