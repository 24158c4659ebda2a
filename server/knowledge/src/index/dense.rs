//! Dense vectors beside the BM25 index, and their fusion with BM25 by reciprocal rank.
//!
//! Every knowledge document (and, when asked, every workspace method: its signature, doc
//! comment and the start of its body) is embedded once; the vectors are cached in
//! `vectors/<model key>.bin` in the cache directory, keyed by a hash of the text, so a rebuild
//! or a reopened workspace embeds only new or changed texts. A question is embedded and
//! compared with every vector (brute-force cosine: vectors are unit length, so a dot
//! product); the two ranked lists are fused with [`Fusion`].

use std::collections::HashMap;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use sha2::{Digest, Sha256};

use super::Scope;
use crate::embed::{EmbedError, Embedder};

/// Characters of a document's text given to the model (the model reads at most
/// [`crate::embed::onnx::MAX_TOKENS`] tokens anyway).
const DENSE_CHARS: usize = 1200;

/// Texts embedded per call when building (progress and memory stay bounded).
const BUILD_BATCH: usize = 256;

/// The text of a document the model sees: its label and the start of its body.
pub(crate) fn dense_text(label: &str, body: &str) -> String {
    let mut text = String::with_capacity(label.len() + 1 + body.len().min(DENSE_CHARS * 2));
    text.push_str(label);
    text.push('\n');
    text.extend(body.chars().take(DENSE_CHARS));
    text
}

/// How BM25's and the dense ranking are fused: each list gives a document
/// `weight / (k + rank)` (rank from 1), summed over the lists; `bm25_lead` first places of
/// BM25's list stay where they are and the fused order fills the places after them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fusion {
    /// RRF's constant (60 in the original paper).
    pub k: f32,
    pub bm25_weight: f32,
    pub dense_weight: f32,
    /// BM25's first places kept as they are.
    pub bm25_lead: usize,
    /// How deep each list is read.
    pub depth: usize,
}

impl Fusion {
    /// Plain reciprocal rank fusion: k = 60, equal weights, nothing kept.
    pub const PLAIN: Fusion = Fusion { k: 60.0, bm25_weight: 1.0, dense_weight: 1.0, bm25_lead: 0, depth: 50 };
}

impl Default for Fusion {
    /// The fusion used unless told otherwise; see the module's figures for why.
    fn default() -> Fusion {
        Fusion { k: 60.0, bm25_weight: 1.0, dense_weight: 0.5, bm25_lead: 4, depth: 50 }
    }
}

/// What to embed and where to cache the vectors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DenseOptions {
    /// Where `vectors/` goes; by default the index's own cache directory (none for an index in
    /// memory: nothing is cached).
    pub cache_dir: Option<PathBuf>,
    /// Also embed the workspace's methods (one vector per method, not per body chunk).
    pub embed_code: bool,
    pub fusion: Fusion,
}

/// What enabling dense retrieval did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DenseReport {
    /// [`Embedder::describe`].
    pub model: String,
    pub knowledge_docs: usize,
    pub code_docs: usize,
    /// Texts embedded now.
    pub embedded: usize,
    /// Texts whose vectors came from the cache.
    pub cached: usize,
    pub seconds: f64,
    /// The vector cache file, when there is one.
    pub cache_file: Option<PathBuf>,
}

type TextKey = [u8; 16];

fn text_key(text: &str) -> TextKey {
    let digest = Sha256::digest(text.as_bytes());
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

const MAGIC: &[u8; 8] = b"BSLVEC01";

/// Vectors by text hash, for one model, read from and written to one file.
struct VectorCache {
    file: Option<PathBuf>,
    dim: usize,
    map: HashMap<TextKey, Vec<f32>>,
}

impl VectorCache {
    fn open(file: Option<PathBuf>) -> VectorCache {
        let mut cache = VectorCache { file, dim: 0, map: HashMap::new() };
        if let Some(path) = &cache.file
            && let Ok((dim, map)) = read_cache(path)
        {
            cache.dim = dim;
            cache.map = map;
        }
        cache
    }

    /// Writes the vectors of `keep` (the texts in use) to the file, dropping the rest.
    fn save(&mut self, keep: &[TextKey]) -> std::io::Result<()> {
        let Some(path) = &self.file else { return Ok(()) };
        let kept: HashMap<TextKey, Vec<f32>> =
            keep.iter().filter_map(|k| self.map.get(k).map(|v| (*k, v.clone()))).collect();
        self.map = kept;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let temporary = path.with_extension("tmp");
        {
            let mut out = BufWriter::new(std::fs::File::create(&temporary)?);
            out.write_all(MAGIC)?;
            out.write_all(&(self.dim as u32).to_le_bytes())?;
            out.write_all(&(self.map.len() as u64).to_le_bytes())?;
            for (key, vector) in &self.map {
                out.write_all(key)?;
                for x in vector {
                    out.write_all(&x.to_le_bytes())?;
                }
            }
            out.flush()?;
        }
        std::fs::rename(&temporary, path)
    }
}

fn read_cache(path: &Path) -> std::io::Result<(usize, HashMap<TextKey, Vec<f32>>)> {
    let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, "not a vector cache");
    let mut input = BufReader::new(std::fs::File::open(path)?);
    let mut magic = [0u8; 8];
    input.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(bad());
    }
    let mut word = [0u8; 4];
    input.read_exact(&mut word)?;
    let dim = u32::from_le_bytes(word) as usize;
    let mut long = [0u8; 8];
    input.read_exact(&mut long)?;
    let count = u64::from_le_bytes(long) as usize;
    let size = std::fs::metadata(path)?.len() as usize;
    if dim == 0 || dim > 65_536 || 20 + count * (16 + dim * 4) != size {
        return Err(bad());
    }
    let mut map = HashMap::with_capacity(count);
    let mut bytes = vec![0u8; dim * 4];
    for _ in 0..count {
        let mut key = [0u8; 16];
        input.read_exact(&mut key)?;
        input.read_exact(&mut bytes)?;
        let vector = bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        map.insert(key, vector);
    }
    Ok((dim, map))
}

/// A document with a vector.
#[derive(Debug, Clone)]
pub(crate) struct DenseDoc {
    pub id: String,
    pub code: bool,
    /// The file, for code.
    pub path: Option<String>,
    /// What is shown (`Модуль.Метод`): with the path, the method a code hit stands for.
    pub label: String,
    pub text: String,
}

/// The vectors in memory: rows of `dim` floats, one per entry; removed entries are dead
/// until the next compaction.
#[derive(Default)]
struct Rows {
    dim: usize,
    docs: Vec<DenseDoc>,
    keys: Vec<TextKey>,
    alive: Vec<bool>,
    data: Vec<f32>,
    dead: usize,
}

impl Rows {
    fn push(&mut self, doc: DenseDoc, key: TextKey, vector: &[f32]) {
        self.docs.push(doc);
        self.keys.push(key);
        self.alive.push(true);
        self.data.extend_from_slice(vector);
    }

    fn remove_path(&mut self, path: &str) {
        for (i, d) in self.docs.iter().enumerate() {
            if self.alive[i] && d.path.as_deref() == Some(path) {
                self.alive[i] = false;
                self.dead += 1;
            }
        }
        if self.dead > 1000 && self.dead * 2 > self.docs.len() {
            self.compact();
        }
    }

    fn compact(&mut self) {
        let dim = self.dim;
        let mut rows = Rows { dim, ..Rows::default() };
        for i in 0..self.docs.len() {
            if self.alive[i] {
                rows.push(self.docs[i].clone(), self.keys[i], &self.data[i * dim..(i + 1) * dim]);
            }
        }
        *self = rows;
    }
}

/// The dense side of a [`super::SearchIndex`].
pub(crate) struct Dense {
    embedder: Arc<dyn Embedder>,
    pub options: DenseOptions,
    rows: RwLock<Rows>,
    cache: Mutex<VectorCache>,
    pub report: DenseReport,
}

impl Dense {
    /// Embeds `docs` (taking what the cache holds), keeping the cache file to the texts in use.
    pub fn build(embedder: Arc<dyn Embedder>, options: DenseOptions, docs: Vec<DenseDoc>) -> Result<Dense, EmbedError> {
        let started = Instant::now();
        let file =
            options.cache_dir.as_ref().map(|dir| dir.join("vectors").join(format!("{}.bin", embedder.model_key())));
        let mut cache = VectorCache::open(file.clone());
        let keys: Vec<TextKey> = docs.iter().map(|d| text_key(&d.text)).collect();
        let missing: Vec<usize> = (0..docs.len()).filter(|&i| !cache.map.contains_key(&keys[i])).collect();
        let mut report = DenseReport {
            model: embedder.describe(),
            knowledge_docs: docs.iter().filter(|d| !d.code).count(),
            code_docs: docs.iter().filter(|d| d.code).count(),
            embedded: missing.len(),
            cached: docs.len() - missing.len(),
            cache_file: file,
            ..DenseReport::default()
        };
        for chunk in missing.chunks(BUILD_BATCH) {
            let texts: Vec<&str> = chunk.iter().map(|&i| docs[i].text.as_str()).collect();
            let vectors = embedder.embed(&texts)?;
            for (&i, vector) in chunk.iter().zip(vectors) {
                cache.dim = vector.len();
                cache.map.insert(keys[i], vector);
            }
        }
        let mut rows = Rows::default();
        for (doc, key) in docs.into_iter().zip(&keys) {
            let Some(vector) = cache.map.get(key) else { continue };
            if rows.dim == 0 {
                rows.dim = vector.len();
            }
            if vector.len() != rows.dim {
                return Err(EmbedError(format!("vectors of two sizes ({} and {})", rows.dim, vector.len())));
            }
            rows.push(doc, *key, vector);
        }
        if report.embedded > 0 || cache.map.len() != rows.docs.len() {
            // A cache that cannot be written only costs time on the next start.
            let _ = cache.save(&keys);
        }
        report.seconds = started.elapsed().as_secs_f64();
        Ok(Dense { embedder, options, rows: RwLock::new(rows), cache: Mutex::new(cache), report })
    }

    /// Replaces a file's code documents (nothing is embedded unless code is).
    pub fn replace_file(&self, path: &str, docs: Vec<DenseDoc>) -> Result<(), EmbedError> {
        if !self.options.embed_code {
            return Ok(());
        }
        let keys: Vec<TextKey> = docs.iter().map(|d| text_key(&d.text)).collect();
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let missing: Vec<usize> = (0..docs.len()).filter(|&i| !cache.map.contains_key(&keys[i])).collect();
        if !missing.is_empty() {
            let texts: Vec<&str> = missing.iter().map(|&i| docs[i].text.as_str()).collect();
            for (&i, vector) in missing.iter().zip(self.embedder.embed(&texts)?) {
                cache.map.insert(keys[i], vector);
            }
        }
        let mut rows = self.rows.write().unwrap_or_else(|e| e.into_inner());
        rows.remove_path(path);
        for (doc, key) in docs.into_iter().zip(keys) {
            if let Some(vector) = cache.map.get(&key)
                && (rows.dim == 0 || vector.len() == rows.dim)
            {
                rows.dim = vector.len();
                rows.push(doc, key, vector);
            }
        }
        Ok(())
    }

    /// Drops a file's code documents.
    pub fn remove_file(&self, path: &str) {
        self.rows.write().unwrap_or_else(|e| e.into_inner()).remove_path(path);
    }

    /// The documents closest to the question, best first, at most `depth`.
    pub fn nearest(&self, question: &str, depth: usize, scope: Scope) -> Result<Vec<(f32, DenseDoc)>, EmbedError> {
        let query = self.embedder.embed(&[question])?.pop().unwrap_or_default();
        let rows = self.rows.read().unwrap_or_else(|e| e.into_inner());
        if query.len() != rows.dim || depth == 0 {
            return Ok(Vec::new());
        }
        let mut scored: Vec<(f32, usize)> = Vec::with_capacity(rows.docs.len());
        for (i, row) in rows.data.chunks_exact(rows.dim).enumerate() {
            let wanted = match scope {
                Scope::All => true,
                Scope::Knowledge => !rows.docs[i].code,
                Scope::Code => rows.docs[i].code,
            };
            if rows.alive[i] && wanted {
                scored.push((dot(&query, row), i));
            }
        }
        let cmp = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0);
        if scored.len() > depth {
            scored.select_nth_unstable_by(depth - 1, cmp);
            scored.truncate(depth);
        }
        scored.sort_by(cmp);
        Ok(scored.into_iter().map(|(s, i)| (s, rows.docs[i].clone())).collect())
    }

    /// How many vectors are held (alive).
    pub fn len(&self) -> usize {
        let rows = self.rows.read().unwrap_or_else(|e| e.into_inner());
        rows.docs.len() - rows.dead
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    // Four accumulators let the compiler vectorize the loop.
    let mut sums = [0f32; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f32 = a4.remainder().iter().zip(b4.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in a4.zip(b4) {
        for j in 0..4 {
            sums[j] += x[j] * y[j];
        }
    }
    sums.iter().sum::<f32>() + tail
}

/// Fuses two rankings of keys (best first) into one: `(key, fused score)` best first.
pub fn fuse<K: Clone + Eq + std::hash::Hash>(bm25: &[K], dense: &[K], fusion: &Fusion) -> Vec<(K, f32)> {
    let mut scores: HashMap<K, f32> = HashMap::new();
    let mut order: Vec<K> = Vec::new();
    for (list, weight) in [(bm25, fusion.bm25_weight), (dense, fusion.dense_weight)] {
        for (rank, key) in list.iter().take(fusion.depth).enumerate() {
            let score = weight / (fusion.k + rank as f32 + 1.0);
            match scores.get_mut(key) {
                Some(s) => *s += score,
                None => {
                    scores.insert(key.clone(), score);
                    order.push(key.clone());
                }
            }
        }
    }
    let lead: Vec<K> = bm25.iter().take(fusion.bm25_lead.min(fusion.depth)).cloned().collect();
    // The lead keeps its places; among the rest, the fused score decides (ties: first seen).
    let mut rest: Vec<(usize, K)> = order.into_iter().enumerate().filter(|(_, k)| !lead.contains(k)).collect();
    rest.sort_by(|(i, a), (j, b)| scores[b].total_cmp(&scores[a]).then(i.cmp(j)));
    let mut fused: Vec<(K, f32)> = Vec::with_capacity(scores.len());
    // Lead scores are raised so that the list stays ordered by score.
    let best_rest = rest.first().map_or(0.0, |(_, k)| scores[k]);
    let lead_len = lead.len();
    for (i, key) in lead.into_iter().enumerate() {
        let score = scores[&key].max(best_rest + (lead_len - i) as f32 * 1e-6);
        fused.push((key, score));
    }
    fused.extend(rest.into_iter().map(|(_, k)| {
        let s = scores[&k];
        (k, s)
    }));
    fused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rrf_sums_reciprocal_ranks() {
        let fused = fuse(&["a", "b", "c"], &["c", "d", "a"], &Fusion::PLAIN);
        let keys: Vec<&str> = fused.iter().map(|(k, _)| *k).collect();
        // a: 1/61 + 1/63; c: 1/63 + 1/61; ties keep the first seen (BM25's).
        assert_eq!(keys, ["a", "c", "b", "d"]);
        assert!((fused[0].1 - (1.0 / 61.0 + 1.0 / 63.0)).abs() < 1e-6);
    }

    #[test]
    fn the_lead_keeps_bm25s_first_places() {
        let fusion = Fusion { bm25_lead: 2, ..Fusion::PLAIN };
        let fused = fuse(&["a", "b", "c", "e"], &["d", "c", "x", "y"], &fusion);
        let keys: Vec<&str> = fused.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys[..3], ["a", "b", "c"]);
        assert!(fused.windows(2).all(|w| w[0].1 >= w[1].1), "{fused:?}");
    }

    #[test]
    fn the_cache_file_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("vectors/m.bin");
        let mut cache = VectorCache::open(Some(file.clone()));
        cache.dim = 3;
        let (a, b) = (text_key("a"), text_key("b"));
        cache.map.insert(a, vec![1.0, 0.0, 0.0]);
        cache.map.insert(b, vec![0.0, 1.0, 0.0]);
        cache.save(&[a]).unwrap();
        let reopened = VectorCache::open(Some(file.clone()));
        assert_eq!(reopened.dim, 3);
        assert_eq!(reopened.map.len(), 1);
        assert_eq!(reopened.map[&a], [1.0, 0.0, 0.0]);
        std::fs::write(&file, b"garbage").unwrap();
        assert!(VectorCache::open(Some(file)).map.is_empty());
    }

    #[test]
    fn dot_products() {
        let a: Vec<f32> = (0..7).map(|i| i as f32).collect();
        assert_eq!(dot(&a, &a), (0..7).map(|i| (i * i) as f32).sum::<f32>());
    }
}
