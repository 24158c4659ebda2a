//! Vectors from an OpenAI-compatible `/v1/embeddings` endpoint (a local llama.cpp or vLLM
//! server, or a hosted API), over reqwest's blocking client with rustls. Call it from a plain
//! thread (the language server's blocking pool), not from inside an async task.

use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{EmbedError, Embedder, normalize};

/// Texts per request.
const BATCH: usize = 64;

/// An OpenAI-compatible embeddings endpoint and the model to ask for.
pub struct HttpEmbedder {
    client: reqwest::blocking::Client,
    url: reqwest::Url,
    model: String,
    api_key: Option<String>,
    key: String,
}

impl std::fmt::Debug for HttpEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpEmbedder").field("url", &self.url.as_str()).field("model", &self.model).finish()
    }
}

impl HttpEmbedder {
    /// `base` is the API root (`http://127.0.0.1:8080/v1`) or the full `.../embeddings` URL;
    /// `api_key_env` names the environment variable with the key (the key itself is never
    /// part of the settings).
    pub fn new(base: &str, model: &str, api_key_env: Option<&str>) -> Result<HttpEmbedder, EmbedError> {
        let base = base.trim().trim_end_matches('/');
        let full = if base.ends_with("/embeddings") { base.to_string() } else { format!("{base}/embeddings") };
        let url = reqwest::Url::parse(&full).map_err(|e| EmbedError(format!("bad embeddings URL {full}: {e}")))?;
        let api_key = match api_key_env {
            Some(name) => Some(std::env::var(name).map_err(|_| {
                EmbedError(format!("the API key variable {name} named for the embeddings endpoint is not set"))
            })?),
            None => None,
        };
        let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]" | "::1"));
        let mut builder = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(120));
        if loopback {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| EmbedError(format!("HTTP client: {e}")))?;
        let digest = Sha256::digest(format!("{url}\0{model}").as_bytes());
        let key: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        Ok(HttpEmbedder { client, url, model: model.to_string(), api_key, key: format!("http-{key}") })
    }

    fn request(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut request = self.client.post(self.url.clone()).json(&json!({"model": self.model, "input": texts}));
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let response = request.send().map_err(|e| EmbedError(format!("{}: {e}", self.url)))?;
        let status = response.status();
        let body = response.text().map_err(|e| EmbedError(format!("{}: {e}", self.url)))?;
        if !status.is_success() {
            let head: String = body.chars().take(200).collect();
            return Err(EmbedError(format!("{} answered {status}: {head}", self.url)));
        }
        parse_response(&body, texts.len()).map_err(|e| EmbedError(format!("{}: {e}", self.url)))
    }
}

/// The vectors of an OpenAI-style answer (`{"data": [{"index": 0, "embedding": [...]}]}`),
/// normalized, in the order of the inputs.
pub(crate) fn parse_response(body: &str, inputs: usize) -> Result<Vec<Vec<f32>>, String> {
    let value: Value = serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
    let data = value.get("data").and_then(Value::as_array).ok_or("no `data` in the answer")?;
    let mut vectors = vec![Vec::new(); inputs];
    for (i, item) in data.iter().enumerate() {
        let index = item.get("index").and_then(Value::as_u64).map_or(i, |x| x as usize);
        let mut vector = item
            .get("embedding")
            .and_then(Value::as_array)
            .ok_or("an item has no `embedding`")?
            .iter()
            .map(|x| x.as_f64().map(|x| x as f32).ok_or("an embedding holds a non-number"))
            .collect::<Result<Vec<f32>, _>>()?;
        normalize(&mut vector);
        *vectors.get_mut(index).ok_or("an item's index is out of range")? = vector;
    }
    if vectors.iter().any(Vec::is_empty) {
        return Err(format!("{} inputs, {} embeddings", inputs, data.len()));
    }
    Ok(vectors)
}

impl Embedder for HttpEmbedder {
    fn model_key(&self) -> &str {
        &self.key
    }

    fn describe(&self) -> String {
        format!("OpenAI-compatible endpoint {} (model {})", self.url, self.model)
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut out = Vec::with_capacity(texts.len());
        for chunk in texts.chunks(BATCH) {
            out.extend(self.request(chunk)?);
        }
        Ok(out)
    }
}
