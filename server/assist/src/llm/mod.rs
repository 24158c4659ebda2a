//! The LLM provider: an OpenAI-compatible client for chat completions (plain and streaming
//! over SSE) and embeddings, with the safety net the assistants need. Nothing is sent until the user configures
//! a provider; the API key is read from the environment variable whose *name* the settings
//! hold (never the key itself), secrets in the prompt are redacted first (`redact`), every
//! call is appended to an audit log (JSONL: time, role, endpoint host, tokens, redactions),
//! `local_only` refuses endpoints off loopback. Calls retry on 429 and 5xx with backoff,
//! honouring `Retry-After`; a semaphore bounds concurrent calls and a sliding window the
//! calls per minute; tokens are counted per role; answers are cached by a hash of the
//! prompt (in memory and, optionally, in a folder). Dropping a call's future cancels it.

mod client;
pub mod redact;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use client::{LlmClient, RateLimiter};

/// How to reach the model. Holds no secret: `api_key_env` names the variable with the key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LlmSettings {
    /// The API root, e.g. `http://127.0.0.1:8080/v1` (`/chat/completions` is appended).
    pub base_url: String,
    pub model: String,
    /// The model for embeddings, when it differs from `model`.
    pub embedding_model: Option<String>,
    /// The name of the environment variable holding the API key; none for local servers.
    pub api_key_env: Option<String>,
    #[serde(with = "millis")]
    pub connect_timeout: Duration,
    /// For a plain call: the whole call; for a stream: until the headers and between chunks.
    #[serde(with = "millis")]
    pub request_timeout: Duration,
    pub max_tokens: u32,
    pub temperature: f32,
    pub max_retries: u32,
    /// The first backoff; doubled on each retry (when the server sends no `Retry-After`).
    #[serde(with = "millis")]
    pub backoff: Duration,
    /// The longest wait honoured from `Retry-After`.
    #[serde(with = "millis")]
    pub max_retry_after: Duration,
    pub max_concurrent: usize,
    /// 0: unlimited.
    pub requests_per_minute: u32,
    pub cache_dir: Option<PathBuf>,
    pub audit_log: Option<PathBuf>,
    /// Refuse endpoints whose host is not loopback.
    pub local_only: bool,
}

impl Default for LlmSettings {
    fn default() -> Self {
        LlmSettings {
            base_url: String::new(),
            model: String::new(),
            embedding_model: None,
            api_key_env: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(120),
            max_tokens: 1024,
            temperature: 0.2,
            max_retries: 3,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(60),
            max_concurrent: 2,
            requests_per_minute: 30,
            cache_dir: None,
            audit_log: None,
            local_only: false,
        }
    }
}

impl LlmSettings {
    /// Whether a provider is configured at all (else the assistants stay deterministic).
    pub fn is_configured(&self) -> bool {
        !self.base_url.trim().is_empty() && !self.model.trim().is_empty()
    }
}

mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_millis(u64::deserialize(d)?))
    }
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: String,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Self {
        Message { role: "system".into(), content: content.into() }
    }

    pub fn user(content: impl Into<String>) -> Self {
        Message { role: "user".into(), content: content.into() }
    }
}

/// A model's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatResponse {
    pub content: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// Served from the cache, no request made.
    #[serde(default)]
    pub cached: bool,
    /// Secrets replaced in the prompt before sending.
    #[serde(default)]
    pub redactions: usize,
}

/// Tokens and calls of one role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenUsage {
    pub requests: u64,
    pub cached: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// Why a call gave no answer; the assistants then return the deterministic result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LlmError {
    NotConfigured,
    BadUrl(String),
    /// `local_only` is set and the endpoint's host is not loopback.
    NotLocal(String),
    /// The environment variable named in the settings is not set.
    MissingKey(String),
    Timeout,
    Http {
        status: u16,
        body: String,
    },
    Transport(String),
    Malformed(String),
}

impl std::fmt::Display for LlmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LlmError::NotConfigured => write!(f, "no LLM provider is configured"),
            LlmError::BadUrl(u) => write!(f, "the LLM endpoint {u:?} is not a valid URL"),
            LlmError::NotLocal(h) => write!(f, "localOnly is set and the LLM endpoint host {h} is not loopback"),
            LlmError::MissingKey(v) => write!(f, "the environment variable {v} with the LLM API key is not set"),
            LlmError::Timeout => write!(f, "the LLM endpoint did not answer in time"),
            LlmError::Http { status, body } => write!(f, "the LLM endpoint answered HTTP {status}: {body}"),
            LlmError::Transport(e) => write!(f, "cannot reach the LLM endpoint: {e}"),
            LlmError::Malformed(e) => write!(f, "the LLM endpoint's answer is malformed: {e}"),
        }
    }
}

impl std::error::Error for LlmError {}
