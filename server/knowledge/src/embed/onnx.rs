//! A sentence-embedding model in ONNX format (all-MiniLM-L6-v2 and its kin), run through ONNX
//! Runtime loaded from a shared library at run time (`ort`'s `load-dynamic`: nothing is linked
//! or downloaded at build time). Texts are tokenized with the model's `tokenizer.json`, padded
//! to the longest text of a batch and cut at [`MAX_TOKENS`]; the last hidden state is
//! mean-pooled over the attention mask and L2-normalized.

use std::path::Path;
use std::sync::{Mutex, OnceLock};

use ndarray::Array2;
use ort::session::Session;
use ort::value::TensorRef;
use sha2::{Digest, Sha256};
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};

use super::{EmbedError, Embedder, existing_file, normalize};

/// Tokens per text: longer texts are cut (the model was trained on 128-token pieces).
pub const MAX_TOKENS: usize = 128;

/// Texts per call of the model.
const BATCH: usize = 32;

/// ONNX Runtime's environment: one per process, made from the first library that loads.
static ENVIRONMENT: OnceLock<(std::path::PathBuf, ort::environment::Environment)> = OnceLock::new();
static LOADING: Mutex<()> = Mutex::new(());

fn environment(dylib: &Path) -> Result<ort::environment::Environment, EmbedError> {
    let _guard = LOADING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((loaded, env)) = ENVIRONMENT.get() {
        if loaded != dylib {
            return Err(EmbedError(format!(
                "ONNX Runtime was already loaded from {}; a process loads it once ({} asked for)",
                loaded.display(),
                dylib.display()
            )));
        }
        return Ok(env.clone());
    }
    existing_file(dylib, "ONNX Runtime's library")?;
    // `init_from` loads the library and checks its version; a failure is an error (a later call
    // with another path may still succeed), never the panic of ort's environment-variable path.
    let builder = ort::init_from(dylib)
        .map_err(|e| EmbedError(format!("cannot load ONNX Runtime from {}: {e}", dylib.display())))?;
    let env = builder
        .with_name("bsl-assist")
        .build()
        .map_err(|e| EmbedError(format!("cannot start ONNX Runtime from {}: {e}", dylib.display())))?;
    let _ = ENVIRONMENT.set((dylib.to_path_buf(), env.clone()));
    Ok(env)
}

/// An ONNX embedding model with its tokenizer.
pub struct OnnxEmbedder {
    session: Mutex<Session>,
    tokenizer: Tokenizer,
    token_type_ids: bool,
    output: String,
    key: String,
    description: String,
}

impl std::fmt::Debug for OnnxEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnnxEmbedder").field("key", &self.key).finish()
    }
}

impl OnnxEmbedder {
    /// Loads ONNX Runtime from `dylib` (once per process), the model and the tokenizer.
    pub fn new(dylib: &Path, model: &Path, tokenizer: &Path) -> Result<OnnxEmbedder, EmbedError> {
        existing_file(model, "the embedding model")?;
        existing_file(tokenizer, "the tokenizer")?;
        let env = environment(dylib)?;
        let mut tok = Tokenizer::from_file(tokenizer)
            .map_err(|e| EmbedError(format!("cannot read the tokenizer {}: {e}", tokenizer.display())))?;
        // The shipped tokenizer.json pads every text to a fixed length: pad to the batch's
        // longest instead (several times faster on short texts).
        tok.with_padding(Some(PaddingParams::default()));
        tok.with_truncation(Some(TruncationParams { max_length: MAX_TOKENS, ..TruncationParams::default() }))
            .map_err(|e| EmbedError(format!("the tokenizer {}: {e}", tokenizer.display())))?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
        let session = Session::builder(&env)
            .and_then(|b| b.with_intra_threads(threads).map_err(Into::into))
            .and_then(|mut b| b.commit_from_file(model))
            .map_err(|e| EmbedError(format!("cannot load the model {}: {e}", model.display())))?;
        let inputs: Vec<&str> = session.inputs().iter().map(|i| i.name()).collect();
        for needed in ["input_ids", "attention_mask"] {
            if !inputs.contains(&needed) {
                return Err(EmbedError(format!(
                    "the model {} has no input `{needed}` (inputs: {})",
                    model.display(),
                    inputs.join(", ")
                )));
            }
        }
        let token_type_ids = inputs.contains(&"token_type_ids");
        let outputs: Vec<&str> = session.outputs().iter().map(|o| o.name()).collect();
        let output = if outputs.contains(&"last_hidden_state") {
            "last_hidden_state".to_string()
        } else {
            outputs.first().map(|s| s.to_string()).ok_or_else(|| EmbedError("the model has no output".into()))?
        };
        let mut hasher = Sha256::new();
        for file in [model, tokenizer] {
            let bytes = std::fs::read(file).map_err(|e| EmbedError(format!("{}: {e}", file.display())))?;
            hasher.update(&bytes);
        }
        hasher.update(MAX_TOKENS.to_le_bytes());
        let key: String = hasher.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
        let description = format!(
            "ONNX model {} (tokenizer {}, ONNX Runtime {}, {threads} threads)",
            model.display(),
            tokenizer.display(),
            dylib.display()
        );
        Ok(OnnxEmbedder {
            session: Mutex::new(session),
            tokenizer: tok,
            token_type_ids,
            output,
            key: format!("onnx-{key}"),
            description,
        })
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let encodings =
            self.tokenizer.encode_batch(texts.to_vec(), true).map_err(|e| EmbedError(format!("tokenizer: {e}")))?;
        let rows = encodings.len();
        let cols = encodings.iter().map(|e| e.get_ids().len()).max().unwrap_or(0).max(1);
        let mut ids = Array2::<i64>::zeros((rows, cols));
        let mut mask = Array2::<i64>::zeros((rows, cols));
        let mut types = Array2::<i64>::zeros((rows, cols));
        for (r, e) in encodings.iter().enumerate() {
            for (c, ((&id, &m), &t)) in e.get_ids().iter().zip(e.get_attention_mask()).zip(e.get_type_ids()).enumerate()
            {
                ids[[r, c]] = i64::from(id);
                mask[[r, c]] = i64::from(m);
                types[[r, c]] = i64::from(t);
            }
        }
        let fail = |e: ort::Error| EmbedError(format!("the embedding model failed: {e}"));
        let mut session = self.session.lock().unwrap_or_else(|e| e.into_inner());
        let ids_t = TensorRef::from_array_view(ids.view()).map_err(fail)?;
        let mask_t = TensorRef::from_array_view(mask.view()).map_err(fail)?;
        let outputs = if self.token_type_ids {
            let types_t = TensorRef::from_array_view(types.view()).map_err(fail)?;
            session.run(ort::inputs!["input_ids" => ids_t, "attention_mask" => mask_t, "token_type_ids" => types_t])
        } else {
            session.run(ort::inputs!["input_ids" => ids_t, "attention_mask" => mask_t])
        }
        .map_err(fail)?;
        let (shape, hidden) = outputs[self.output.as_str()].try_extract_tensor::<f32>().map_err(fail)?;
        let dims: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
        if dims.len() != 3 || dims[0] != rows || dims[1] != cols || hidden.len() != rows * cols * dims[2] {
            return Err(EmbedError(format!("the model's output has shape {dims:?}, expected [{rows}, {cols}, dim]")));
        }
        let dim = dims[2];
        let mut vectors = Vec::with_capacity(rows);
        for (r, states) in hidden.chunks_exact(cols * dim).enumerate() {
            // Mean over the tokens the attention mask keeps.
            let mut v = vec![0f32; dim];
            let mut count = 0f32;
            for (state, &m) in states.chunks_exact(dim).zip(mask.row(r)) {
                if m == 0 {
                    continue;
                }
                count += 1.0;
                for (x, y) in v.iter_mut().zip(state) {
                    *x += y;
                }
            }
            if count > 0.0 {
                for x in &mut v {
                    *x /= count;
                }
            }
            normalize(&mut v);
            vectors.push(v);
        }
        Ok(vectors)
    }
}

impl Embedder for OnnxEmbedder {
    fn model_key(&self) -> &str {
        &self.key
    }

    fn describe(&self) -> String {
        self.description.clone()
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        // Batches of texts of similar length pad least.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
            for (&i, v) in chunk.iter().zip(self.embed_batch(&batch)?) {
                out[i] = v;
            }
        }
        Ok(out)
    }
}
