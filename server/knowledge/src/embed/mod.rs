//! Dense vectors for hybrid retrieval: the [`Embedder`] trait and its two implementations, an
//! ONNX sentence-embedding model run through ONNX Runtime ([`OnnxEmbedder`], the runtime's
//! shared library loaded at run time) and an OpenAI-compatible `/v1/embeddings` endpoint
//! ([`HttpEmbedder`]). [`EmbedSettings`] says which one is configured (from the environment,
//! `BSL_ASSIST_*`, and the command line) and [`EmbedSettings::embedder`] builds it, or says why
//! it cannot.
//!
//! Nothing here is used unless the user configures it: BM25 stays the default retrieval.

mod http;
mod onnx;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use http::HttpEmbedder;
pub use onnx::OnnxEmbedder;

/// The environment variable with the path of ONNX Runtime's shared library
/// (`libonnxruntime.so.1.31.1` from the PyPI wheel `onnxruntime==1.31.1`).
pub const ENV_ORT_DYLIB: &str = "BSL_ASSIST_ORT_DYLIB";
/// The environment variable with the path of the ONNX sentence-embedding model.
pub const ENV_MODEL: &str = "BSL_ASSIST_EMBED_MODEL";
/// The environment variable with the path of the model's `tokenizer.json`.
pub const ENV_TOKENIZER: &str = "BSL_ASSIST_EMBED_TOKENIZER";
/// The environment variable with an OpenAI-compatible API root (`http://127.0.0.1:8080/v1`;
/// `/embeddings` is appended unless the URL already ends with it).
pub const ENV_URL: &str = "BSL_ASSIST_EMBED_URL";
/// The environment variable with the model name sent to that endpoint.
pub const ENV_URL_MODEL: &str = "BSL_ASSIST_EMBED_URL_MODEL";
/// The environment variable holding the *name* of the variable with the endpoint's API key.
pub const ENV_API_KEY_ENV: &str = "BSL_ASSIST_EMBED_API_KEY_ENV";
/// `1` also embeds the workspace's methods (signature and doc comment), not only knowledge.
pub const ENV_EMBED_CODE: &str = "BSL_ASSIST_EMBED_CODE";

/// Why vectors could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedError(pub String);

impl fmt::Display for EmbedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EmbedError {}

/// Turns texts into unit-length vectors of one fixed dimension.
pub trait Embedder: Send + Sync {
    /// Identifies the model (a hash of its files, or the endpoint and model name): cached
    /// vectors are kept per key, so vectors of two models never mix.
    fn model_key(&self) -> &str;
    /// One line for `bsl-assist doctor`: what the model is and where it comes from.
    fn describe(&self) -> String;
    /// One L2-normalized vector per text, in order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError>;
}

/// Scales a vector to unit length (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in v {
            *x /= norm;
        }
    }
}

/// Which embedder to use. Empty (the default) means BM25 alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedSettings {
    /// ONNX Runtime's shared library.
    pub ort_dylib: Option<PathBuf>,
    /// The ONNX model (inputs `input_ids`, `attention_mask`, optionally `token_type_ids`;
    /// output `last_hidden_state`, mean-pooled).
    pub model: Option<PathBuf>,
    /// The model's `tokenizer.json`.
    pub tokenizer: Option<PathBuf>,
    /// An OpenAI-compatible API root, used when no ONNX model is configured.
    pub url: Option<String>,
    /// The model name for the endpoint.
    pub url_model: Option<String>,
    /// The name of the environment variable with the endpoint's API key.
    pub api_key_env: Option<String>,
    /// Also embed the workspace's methods (signature and doc comment).
    pub embed_code: bool,
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}

fn env_string(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl EmbedSettings {
    /// The settings from the `BSL_ASSIST_*` environment variables ([`ENV_ORT_DYLIB`],
    /// [`ENV_MODEL`], [`ENV_TOKENIZER`], [`ENV_URL`], [`ENV_URL_MODEL`], [`ENV_API_KEY_ENV`],
    /// [`ENV_EMBED_CODE`]).
    pub fn from_env() -> EmbedSettings {
        EmbedSettings {
            ort_dylib: env_path(ENV_ORT_DYLIB),
            model: env_path(ENV_MODEL),
            tokenizer: env_path(ENV_TOKENIZER),
            url: env_string(ENV_URL),
            url_model: env_string(ENV_URL_MODEL),
            api_key_env: env_string(ENV_API_KEY_ENV),
            embed_code: env_string(ENV_EMBED_CODE).is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true")),
        }
    }

    /// These settings with every value `over` sets put over them (command-line flags over
    /// the environment).
    pub fn overridden_by(self, over: EmbedSettings) -> EmbedSettings {
        EmbedSettings {
            ort_dylib: over.ort_dylib.or(self.ort_dylib),
            model: over.model.or(self.model),
            tokenizer: over.tokenizer.or(self.tokenizer),
            url: over.url.or(self.url),
            url_model: over.url_model.or(self.url_model),
            api_key_env: over.api_key_env.or(self.api_key_env),
            embed_code: over.embed_code || self.embed_code,
        }
    }

    /// Whether the user asked for dense vectors at all (a model or an endpoint is set).
    pub fn requested(&self) -> bool {
        self.model.is_some() || self.url.is_some()
    }

    /// The embedder these settings describe: `Ok(None)` when none is configured, an error
    /// that names the missing or broken piece otherwise. An ONNX model wins over an endpoint.
    pub fn embedder(&self) -> Result<Option<Arc<dyn Embedder>>, EmbedError> {
        if let Some(model) = &self.model {
            let dylib = self.ort_dylib.as_deref().ok_or_else(|| {
                EmbedError(format!(
                    "the ONNX model {} is set but not ONNX Runtime's library: set {ENV_ORT_DYLIB} or --ort-dylib",
                    model.display()
                ))
            })?;
            let tokenizer = match &self.tokenizer {
                Some(t) => t.clone(),
                None => {
                    let beside = model.with_file_name("tokenizer.json");
                    if !beside.is_file() {
                        return Err(EmbedError(format!(
                            "no tokenizer for {}: set {ENV_TOKENIZER} or --embed-tokenizer (no tokenizer.json beside the model)",
                            model.display()
                        )));
                    }
                    beside
                }
            };
            let embedder = OnnxEmbedder::new(dylib, model, &tokenizer)?;
            return Ok(Some(Arc::new(embedder)));
        }
        if let Some(url) = &self.url {
            let model = self.url_model.as_deref().ok_or_else(|| {
                EmbedError(format!(
                    "the embeddings endpoint {url} is set but no model: set {ENV_URL_MODEL} or --embed-url-model"
                ))
            })?;
            let embedder = HttpEmbedder::new(url, model, self.api_key_env.as_deref())?;
            return Ok(Some(Arc::new(embedder)));
        }
        Ok(None)
    }
}

/// Checks that a configured file exists, naming what it is for.
fn existing_file(path: &Path, what: &str) -> Result<(), EmbedError> {
    if path.is_file() { Ok(()) } else { Err(EmbedError(format!("{what} {} does not exist", path.display()))) }
}
