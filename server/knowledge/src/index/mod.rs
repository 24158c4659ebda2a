//! The search index: BM25 over the knowledge base and the workspace's methods (tantivy).
//!
//! [`SearchIndex::open_or_build`] opens the index a workspace keeps in its cache directory
//! (see [`default_cache_dir`]; never inside the workspace), brings it up to date with the
//! files it is given and returns it; [`SearchIndex::update_file`] and
//! [`SearchIndex::remove_file`] keep it current as files change; [`SearchIndex::search`]
//! answers a free-text question in Russian or English with ranked [`Hit`]s.
//!
//! The cache directory holds the tantivy files in `tantivy/` and a marker,
//! `bsl-assist-index.json`, with the index format, the version of bsl-assist that wrote it, a
//! fingerprint of the indexed knowledge and a content hash of every indexed file. An index
//! written by another version, or one that fails to open or whose files fail their checksums,
//! is deleted and built again; changed knowledge is re-indexed; files are re-indexed only when
//! their content hash changed.
//!
//! Each knowledge entry is one document (`method:СтрНайти`, `type:Запрос`,
//! `type:Запрос.Выполнить`, `standard:499`, `yaxunit:ЮТУтверждения.Равно`,
//! `yaxunit_module:ЮТест`, `article:<id>`); each method of a module is one document with
//! its signature, doc comment and the start of its body, and a long body adds one document per
//! further chunk of [`CHUNK_LINES`] lines.
//!
//! Retrieval is BM25 by default. [`SearchIndex::enable_dense`] (or
//! [`SearchIndex::enable_dense_with`] and the [`EmbedSettings`] of the environment) turns on
//! hybrid retrieval: every knowledge document, and optionally every workspace method, gets a
//! dense vector from an [`Embedder`] (cached in `vectors/` of the cache directory by a hash of
//! the model and the text), and each search fuses BM25's ranking with the brute-force cosine
//! ranking by reciprocal rank ([`Fusion`]); [`retrieval_status`] says which is active and why.
//!
//! # Figures
//!
//! On the 2-core development machine (`bsl-assist search --bench`, `cargo bench -p
//! bsl-knowledge`): building the index of SSL 3.1 (2,197 modules, 78 MB, 42,271 code and
//! 1,088 knowledge documents) takes about 7.5–8.6 s and 36 MB on disk; reopening it unchanged
//! takes 0.05 s; a query takes about 0.5 ms at the median and 5 ms at p95 (knowledge alone:
//! 0.15 ms). On the evaluation set (`tests/data/retrieval_eval.toml`, 76 questions) BM25 has
//! recall@5 0.934 and MRR@10 0.792.
//!
//! Hybrid with all-MiniLM-L6-v2 (int8, English-only; `tests/retrieval.rs`): dense alone has
//! recall@5 0.447 (Russian questions 12/51, English 22/25), and plain RRF (k = 60, equal
//! weights) drops recall@5 to 0.816, because for Russian questions the dense list is noise.
//! The default [`Fusion`] therefore keeps BM25's first four places and gives the dense list half
//! BM25's weight below them: recall@5 0.934 (English 23/25 instead of 22/25, Russian 48/51
//! instead of 49/51), MRR@10 0.793. A multilingual model (multilingual-e5-small in ONNX, or an
//! endpoint) is what would let the dense side help Russian questions.
//!
//! Hybrid costs (`bsl-assist search --bench --hybrid`, release build, measured while the two
//! cores were shared with other builds, load average about 10): embedding the 1,088 knowledge
//! documents took 126 s once (later runs read `vectors/` in 0.01 s); a hybrid query took 43 ms
//! at the median and 70 ms at p95 over the knowledge base, 59 ms and 99 ms over SSL 3.1 (its
//! methods not embedded), nearly all of it embedding the question (BM25 with a depth of 50: p95
//! 9 ms). `--embed-code` on gitsync (620 methods) took 77 s, about 0.12 s per method on that
//! loaded machine, which is why workspace methods are embedded only when asked.

mod dense;
mod docs;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bsl_syntax::Parse;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use dense::{DenseOptions, DenseReport, Fusion, fuse};
pub use docs::{CHUNK_LINES, DocKind};

use crate::KnowledgeBase;
use crate::analyzer::{ANALYZER_NAME, BslTokenizer, analyze};
use crate::embed::{
    ENV_MODEL, ENV_ORT_DYLIB, ENV_TOKENIZER, ENV_URL, ENV_URL_MODEL, EmbedError, EmbedSettings, Embedder,
};
use dense::{Dense, DenseDoc, dense_text};
use docs::{Doc, code_docs, knowledge_docs};

/// Bumped whenever the schema, the analyzer or the documents change shape: an index with
/// another format is rebuilt.
pub const INDEX_FORMAT: u32 = 1;

/// The marker file in the cache directory.
pub const MARKER_FILE: &str = "bsl-assist-index.json";

/// The folder of tantivy's files in the cache directory.
const TANTIVY_DIR: &str = "tantivy";

/// How much more a match in the names counts than one in the text.
const TITLE_BOOST: f32 = 3.0;

/// The weight of a word added by the glossary, against 1 for the question's own words.
const GLOSSARY_WEIGHT: f32 = 0.5;

/// Russian ↔ English words of developers' questions (see the file's header).
pub const GLOSSARY: &str = include_str!("glossary.txt");

/// The glossary as stemmed token → its stemmed translations, both ways.
fn glossary() -> &'static HashMap<String, Vec<String>> {
    static MAP: std::sync::OnceLock<HashMap<String, Vec<String>>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for line in GLOSSARY.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let Some((ru, en)) = line.split_once('|') else { continue };
            // Each word stands for the words of the other language on its line.
            let (ru, en) = (analyze(ru), analyze(en));
            for (from, to) in [(&ru, &en), (&en, &ru)] {
                for f in from {
                    let entry = map.entry(f.clone()).or_default();
                    for t in to {
                        if t != f && !entry.contains(t) {
                            entry.push(t.clone());
                        }
                    }
                }
            }
        }
        map
    })
}

/// Characters in a snippet.
const SNIPPET_CHARS: usize = 160;

/// A workspace file handed to the index: its path (as it should be shown, usually relative
/// to the workspace root) and its text.
pub type WorkspaceFile = (PathBuf, String);

/// Why the index could not be opened, built or searched.
#[derive(Debug)]
pub enum IndexError {
    Tantivy(tantivy::TantivyError),
    Io(std::io::Error),
    /// The embedding model or endpoint failed (hybrid retrieval).
    Embed(EmbedError),
    /// The cache directory would be inside the workspace.
    CacheInsideWorkspace {
        cache_dir: PathBuf,
        workspace: PathBuf,
    },
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexError::Tantivy(e) => write!(f, "search index: {e}"),
            IndexError::Io(e) => write!(f, "search index: {e}"),
            IndexError::Embed(e) => write!(f, "dense vectors: {e}"),
            IndexError::CacheInsideWorkspace { cache_dir, workspace } => write!(
                f,
                "the index cache {} is inside the workspace {}; choose a cache directory outside it",
                cache_dir.display(),
                workspace.display()
            ),
        }
    }
}

impl std::error::Error for IndexError {}

impl From<tantivy::TantivyError> for IndexError {
    fn from(e: tantivy::TantivyError) -> Self {
        IndexError::Tantivy(e)
    }
}

impl From<EmbedError> for IndexError {
    fn from(e: EmbedError) -> Self {
        IndexError::Embed(e)
    }
}

impl From<std::io::Error> for IndexError {
    fn from(e: std::io::Error) -> Self {
        IndexError::Io(e)
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for IndexError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        IndexError::Tantivy(e.into())
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The document's id: `method:СтрНайти`, `standard:499`, `code:<path>#<line>`.
    pub id: String,
    pub kind: DocKind,
    /// Where it comes from: the knowledge kind (`platform method`) or the file's path.
    pub source: String,
    /// `СтрНайти / StrFind`, `#499 Перехват исключений в коде`, `ОбщегоНазначения.Метод`.
    pub title: String,
    /// BM25 score (higher is better; comparable within one query only).
    pub score: f32,
    /// A piece of the text around the matched words, on one line.
    pub snippet: String,
    /// The file, for code.
    pub path: Option<String>,
    /// Zero-based first and last line, for code.
    pub lines: Option<(u32, u32)>,
    /// The module kind (`common`, `object`, `form`, ...), for code.
    pub module_kind: Option<String>,
}

/// Which documents a search looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    All,
    Knowledge,
    Code,
}

/// How [`SearchIndex::open_or_build`] found the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// Nothing was there (or an index held in memory).
    Created,
    /// A valid index was reused (and brought up to date).
    Reused,
    /// An index was there but was rebuilt; the reason says why.
    Rebuilt(String),
}

/// What [`SearchIndex::open_or_build`] did to bring the index up to date.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncReport {
    pub knowledge_reindexed: bool,
    pub files_indexed: usize,
    pub files_unchanged: usize,
    pub files_removed: usize,
    pub seconds: f64,
}

/// Figures for `bsl-assist doctor` and benchmarks.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexStats {
    /// The cache directory, or none for an index in memory.
    pub location: Option<PathBuf>,
    pub knowledge_docs: usize,
    pub code_docs: usize,
    pub files: usize,
    /// Bytes of the tantivy files on disk.
    pub size_bytes: u64,
    pub segments: usize,
}

/// The ids of the documents the knowledge base becomes (`method:СтрНайти`, `standard:499`, ...).
pub fn knowledge_ids(kb: &KnowledgeBase) -> Vec<String> {
    knowledge_docs(kb).into_iter().map(|d| d.id).collect()
}

/// The marker: what wrote the index and what is in it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Marker {
    format: u32,
    version: String,
    knowledge: String,
    files: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    kind: Field,
    origin: Field,
    path: Field,
    label: Field,
    title: Field,
    body: Field,
    first_line: Field,
    last_line: Field,
    module_kind: Field,
}

fn schema() -> (Schema, Fields) {
    let text = || {
        TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(ANALYZER_NAME).set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        origin: b.add_text_field("origin", STRING),
        path: b.add_text_field("path", STRING | STORED),
        label: b.add_text_field("label", STORED),
        title: b.add_text_field("title", text()),
        body: b.add_text_field("body", text()),
        first_line: b.add_u64_field("first_line", STORED | INDEXED),
        last_line: b.add_u64_field("last_line", STORED),
        module_kind: b.add_text_field("module_kind", STORED),
    };
    (b.build(), fields)
}

const ORIGIN_KNOWLEDGE: &str = "knowledge";
const ORIGIN_CODE: &str = "code";

/// The cache directory for a workspace: `$XDG_CACHE_HOME/bsl-assist/index/<hash>`, else
/// `~/.cache/bsl-assist/index/<hash>` (the system's temporary folder when neither is known),
/// where `<hash>` is the start of the SHA-256 of the workspace root's absolute path.
pub fn default_cache_dir(workspace_root: &Path) -> PathBuf {
    let root = workspace_root.canonicalize().unwrap_or_else(|_| workspace_root.to_path_buf());
    let digest = Sha256::digest(root.to_string_lossy().as_bytes());
    let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    cache_base().join("bsl-assist").join("index").join(hash)
}

/// `$XDG_CACHE_HOME`, else `~/.cache`, else the system's temporary folder.
fn cache_base() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
}

/// Where an index held in memory (the knowledge base alone) keeps its dense vectors:
/// `$XDG_CACHE_HOME/bsl-assist/knowledge` (the vectors go into its `vectors/`).
pub fn default_knowledge_cache_dir() -> PathBuf {
    cache_base().join("bsl-assist").join("knowledge")
}

fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

fn path_key(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The fingerprint of the knowledge documents: changes when any indexed text changes.
fn knowledge_fingerprint(docs: &[Doc]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(INDEX_FORMAT.to_le_bytes());
    for d in docs {
        for part in [d.id.as_str(), d.label.as_str(), d.title.as_str(), d.body.as_str()] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
    }
    hasher.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// Russian ↔ English names of the platform's methods and types: the folded name → the
/// names in the other language.
fn synonyms(kb: &KnowledgeBase) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    let mut add = |a: &str, b: &str| {
        for (from, to) in [(a, b), (b, a)] {
            let from = crate::fold_name(from.split(".<").next().unwrap_or(from));
            let to = to.split(".<").next().unwrap_or(to).to_string();
            if from == crate::fold_name(&to) {
                continue;
            }
            let entry = map.entry(from).or_default();
            if !entry.contains(&to) {
                entry.push(to);
            }
        }
    };
    for m in kb.methods() {
        add(&m.name_ru, &m.name_en);
    }
    for t in kb.types() {
        add(&t.name_ru, &t.name_en);
        for m in &t.methods {
            add(&m.name_ru, &m.name_en);
        }
    }
    map
}

/// The index of the knowledge base and a workspace's methods. Searches may run from any
/// thread while another updates it.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    location: Option<PathBuf>,
    marker: Mutex<Marker>,
    synonyms: HashMap<String, Vec<String>>,
    opened: Opened,
    sync: SyncReport,
    /// Dense vectors, when hybrid retrieval is enabled ([`SearchIndex::enable_dense`]).
    dense: Option<Dense>,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex").field("location", &self.location).field("opened", &self.opened).finish()
    }
}

fn register_analyzer(index: &Index) {
    index.tokenizers().register(ANALYZER_NAME, TextAnalyzer::builder(BslTokenizer::default()).build());
}

/// Checks an index found on disk: the schema is ours, every segment opens and its files
/// pass their checksums.
fn open_existing(dir: &Path, schema: &Schema) -> Result<(Index, IndexReader), String> {
    let index = Index::open_in_dir(dir).map_err(|e| format!("cannot open it: {e}"))?;
    if index.schema() != *schema {
        return Err("its schema differs".to_string());
    }
    register_analyzer(&index);
    let damaged = index.validate_checksum().map_err(|e| format!("cannot check it: {e}"))?;
    if !damaged.is_empty() {
        let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
        names.sort();
        return Err(format!("damaged files: {}", names.join(", ")));
    }
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| format!("cannot read it: {e}"))?;
    Ok((index, reader))
}

fn read_marker(cache_dir: &Path) -> Result<Marker, String> {
    let text = std::fs::read_to_string(cache_dir.join(MARKER_FILE)).map_err(|e| format!("no marker ({e})"))?;
    let marker: Marker = serde_json::from_str(&text).map_err(|e| format!("unreadable marker ({e})"))?;
    let version = env!("CARGO_PKG_VERSION");
    if marker.format != INDEX_FORMAT || marker.version != version {
        return Err(format!(
            "written by another version (format {}, bsl-assist {}; this is format {INDEX_FORMAT}, bsl-assist {version})",
            marker.format, marker.version
        ));
    }
    Ok(marker)
}

impl SearchIndex {
    /// Opens the index of a workspace kept in `cache_dir` (created when missing) with the
    /// embedded knowledge, and brings it up to date with `workspace_files`: files whose text
    /// changed are re-indexed, files no longer listed are dropped. An index written by another
    /// version or damaged is deleted and built again ([`SearchIndex::opened`] says so).
    pub fn open_or_build(cache_dir: &Path, workspace_files: &[WorkspaceFile]) -> Result<SearchIndex, IndexError> {
        SearchIndex::open_or_build_with(cache_dir, KnowledgeBase::embedded(), workspace_files)
    }

    /// [`SearchIndex::open_or_build`] in the [`default_cache_dir`] of `workspace_root`.
    pub fn open_for_workspace(
        workspace_root: &Path,
        workspace_files: &[WorkspaceFile],
    ) -> Result<SearchIndex, IndexError> {
        let cache_dir = default_cache_dir(workspace_root);
        let root = workspace_root.canonicalize().unwrap_or_else(|_| workspace_root.to_path_buf());
        std::fs::create_dir_all(&cache_dir)?;
        let cache = cache_dir.canonicalize().unwrap_or_else(|_| cache_dir.clone());
        if cache.starts_with(&root) {
            return Err(IndexError::CacheInsideWorkspace { cache_dir, workspace: root });
        }
        SearchIndex::open_or_build(&cache_dir, workspace_files)
    }

    /// [`SearchIndex::open_or_build`] with a given knowledge base (the embedded one extended
    /// with a user's folders, say).
    pub fn open_or_build_with(
        cache_dir: &Path,
        kb: &KnowledgeBase,
        workspace_files: &[WorkspaceFile],
    ) -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema();
        std::fs::create_dir_all(cache_dir)?;
        let dir = cache_dir.join(TANTIVY_DIR);
        let existing = dir.join("meta.json").exists() || cache_dir.join(MARKER_FILE).exists();
        let found = read_marker(cache_dir).and_then(|marker| {
            let (index, reader) = open_existing(&dir, &schema)?;
            Ok((index, reader, marker))
        });
        let (index, reader, marker, opened) = match found {
            Ok((index, reader, marker)) => (index, reader, marker, Opened::Reused),
            Err(reason) => {
                if dir.exists() {
                    std::fs::remove_dir_all(&dir)?;
                }
                let _ = std::fs::remove_file(cache_dir.join(MARKER_FILE));
                std::fs::create_dir_all(&dir)?;
                let index = Index::create_in_dir(&dir, schema)?;
                register_analyzer(&index);
                let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
                let opened = if existing { Opened::Rebuilt(reason) } else { Opened::Created };
                (index, reader, Marker::default(), opened)
            }
        };
        let mut this = SearchIndex {
            index,
            reader,
            fields,
            location: Some(cache_dir.to_path_buf()),
            marker: Mutex::new(marker),
            synonyms: synonyms(kb),
            opened,
            sync: SyncReport::default(),
            dense: None,
        };
        this.sync = this.sync_all(kb, workspace_files)?;
        Ok(this)
    }

    /// Opens the index in `cache_dir` as it is, without building or updating it (for
    /// `bsl-assist doctor`); the error says why it cannot be used (missing, written by another
    /// version, damaged), in which case [`SearchIndex::open_or_build`] would rebuild it.
    pub fn open_read_only(cache_dir: &Path) -> Result<SearchIndex, String> {
        let (schema, fields) = schema();
        let dir = cache_dir.join(TANTIVY_DIR);
        if !dir.join("meta.json").exists() {
            return Err(format!("no index in {}", cache_dir.display()));
        }
        let marker = read_marker(cache_dir)?;
        let (index, reader) = open_existing(&dir, &schema)?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            location: Some(cache_dir.to_path_buf()),
            marker: Mutex::new(marker),
            synonyms: synonyms(KnowledgeBase::embedded()),
            opened: Opened::Reused,
            sync: SyncReport::default(),
            dense: None,
        })
    }

    /// An index held in memory: the knowledge base and the given files (tests, one-off
    /// searches without a workspace).
    pub fn in_memory(kb: &KnowledgeBase, workspace_files: &[WorkspaceFile]) -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        register_analyzer(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let mut this = SearchIndex {
            index,
            reader,
            fields,
            location: None,
            marker: Mutex::new(Marker::default()),
            synonyms: synonyms(kb),
            opened: Opened::Created,
            sync: SyncReport::default(),
            dense: None,
        };
        this.sync = this.sync_all(kb, workspace_files)?;
        Ok(this)
    }

    /// How the cache was found when the index was opened.
    pub fn opened(&self) -> &Opened {
        &self.opened
    }

    /// What opening did to bring the index up to date.
    pub fn sync_report(&self) -> &SyncReport {
        &self.sync
    }

    fn writer(&self, threads: usize) -> Result<IndexWriter, IndexError> {
        let threads = threads.clamp(1, 8);
        Ok(self.index.writer_with_num_threads(threads, threads * 60_000_000)?)
    }

    fn to_document(&self, doc: Doc) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::new();
        d.add_text(f.id, &doc.id);
        d.add_text(f.kind, doc.kind.as_str());
        d.add_text(f.origin, if doc.kind == DocKind::Code { ORIGIN_CODE } else { ORIGIN_KNOWLEDGE });
        if let Some(path) = &doc.path {
            d.add_text(f.path, path);
        }
        d.add_text(f.label, &doc.label);
        d.add_text(f.title, &doc.title);
        d.add_text(f.body, &doc.body);
        if let Some((first, last)) = doc.lines {
            d.add_u64(f.first_line, u64::from(first));
            d.add_u64(f.last_line, u64::from(last));
        }
        if let Some(kind) = doc.module_kind {
            d.add_text(f.module_kind, kind);
        }
        d
    }

    /// Indexes `files` (parsing them in parallel) through `writer`; returns (path, hash) pairs.
    fn add_files(&self, writer: &IndexWriter, files: &[(String, &str)]) -> Result<(), IndexError> {
        files.par_iter().try_for_each(|(path, text)| -> Result<(), IndexError> {
            writer.delete_term(Term::from_field_text(self.fields.path, path));
            let parse = Parse::new(*text);
            for doc in code_docs(path, &parse) {
                writer.add_document(self.to_document(doc))?;
            }
            Ok(())
        })
    }

    fn sync_all(&self, kb: &KnowledgeBase, files: &[WorkspaceFile]) -> Result<SyncReport, IndexError> {
        let started = Instant::now();
        let mut marker = self.marker.lock().unwrap_or_else(|e| e.into_inner());
        let mut report = SyncReport::default();
        let knowledge = knowledge_docs(kb);
        let fingerprint = knowledge_fingerprint(&knowledge);
        let wanted: Vec<(String, &str, String)> =
            files.par_iter().map(|(path, text)| (path_key(path), text.as_str(), content_hash(text))).collect();
        let wanted_paths: HashSet<&str> = wanted.iter().map(|(p, _, _)| p.as_str()).collect();
        let changed: Vec<(String, &str)> = wanted
            .iter()
            .filter(|(path, _, hash)| marker.files.get(path) != Some(hash))
            .map(|(path, text, _)| (path.clone(), *text))
            .collect();
        let removed: Vec<String> =
            marker.files.keys().filter(|p| !wanted_paths.contains(String::as_str(p))).cloned().collect();
        report.files_indexed = changed.len();
        report.files_unchanged = wanted.len() - changed.len();
        report.files_removed = removed.len();
        report.knowledge_reindexed = marker.knowledge != fingerprint;
        if report.knowledge_reindexed || !changed.is_empty() || !removed.is_empty() {
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let threads = if changed.len() > 50 { threads } else { 1 };
            let mut writer = self.writer(threads)?;
            if report.knowledge_reindexed {
                writer.delete_term(Term::from_field_text(self.fields.origin, ORIGIN_KNOWLEDGE));
                for doc in knowledge {
                    writer.add_document(self.to_document(doc))?;
                }
            }
            for path in &removed {
                writer.delete_term(Term::from_field_text(self.fields.path, path));
            }
            self.add_files(&writer, &changed)?;
            writer.commit()?;
            writer.wait_merging_threads()?;
            self.reader.reload()?;
            marker.format = INDEX_FORMAT;
            marker.version = env!("CARGO_PKG_VERSION").to_string();
            marker.knowledge = fingerprint;
            for path in &removed {
                marker.files.remove(path);
            }
            for (path, _, hash) in wanted {
                marker.files.insert(path, hash);
            }
            self.write_marker(&marker)?;
        }
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    fn write_marker(&self, marker: &Marker) -> Result<(), IndexError> {
        let Some(dir) = &self.location else { return Ok(()) };
        let text = serde_json::to_string(marker).map_err(|e| IndexError::Io(std::io::Error::other(e)))?;
        let temporary = dir.join(format!("{MARKER_FILE}.tmp"));
        std::fs::write(&temporary, text)?;
        std::fs::rename(&temporary, dir.join(MARKER_FILE))?;
        Ok(())
    }

    /// Re-indexes one file from its text (nothing happens when the text is unchanged).
    pub fn update_file(&self, path: &Path, text: &str) -> Result<(), IndexError> {
        self.update(path, text, None)
    }

    /// Re-indexes one file from a parse the caller already has (the language server's).
    pub fn update_parsed(&self, path: &Path, parse: &Parse) -> Result<(), IndexError> {
        self.update(path, parse.text(), Some(parse))
    }

    fn update(&self, path: &Path, text: &str, parse: Option<&Parse>) -> Result<(), IndexError> {
        let key = path_key(path);
        let hash = content_hash(text);
        let mut marker = self.marker.lock().unwrap_or_else(|e| e.into_inner());
        if marker.files.get(&key) == Some(&hash) {
            return Ok(());
        }
        let mut writer = self.writer(1)?;
        writer.delete_term(Term::from_field_text(self.fields.path, &key));
        let owned;
        let parse = match parse {
            Some(parse) => parse,
            None => {
                owned = Parse::new(text);
                &owned
            }
        };
        let docs = code_docs(&key, parse);
        if let Some(dense) = &self.dense {
            dense.replace_file(&key, dense_code_docs(&docs))?;
        }
        for doc in docs {
            writer.add_document(self.to_document(doc))?;
        }
        writer.commit()?;
        self.reader.reload()?;
        marker.files.insert(key, hash);
        self.write_marker(&marker)
    }

    /// Drops a file's documents (a deleted or renamed file).
    pub fn remove_file(&self, path: &Path) -> Result<(), IndexError> {
        let key = path_key(path);
        let mut marker = self.marker.lock().unwrap_or_else(|e| e.into_inner());
        let mut writer = self.writer(1)?;
        writer.delete_term(Term::from_field_text(self.fields.path, &key));
        writer.commit()?;
        self.reader.reload()?;
        if let Some(dense) = &self.dense {
            dense.remove_file(&key);
        }
        marker.files.remove(&key);
        self.write_marker(&marker)
    }

    /// The query for a question: every analyzed word as an optional term in the names and in
    /// the text; platform names written as identifiers (`StrFind`, `Сообщить`) add their name in
    /// the other language, and the words of the [glossary](GLOSSARY) add their translations
    /// with a lower weight.
    fn query(&self, question: &str, scope: Scope) -> Option<BooleanQuery> {
        let mut weights: Vec<(String, f32)> = Vec::new();
        let mut add = |token: String, weight: f32| match weights.iter_mut().find(|(t, _)| *t == token) {
            Some((_, w)) => *w = w.max(weight),
            None => weights.push((token, weight)),
        };
        let own = analyze(question);
        for word in question.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()) {
            let identifier = word.chars().next().is_some_and(char::is_uppercase)
                || crate::analyzer::split_identifier(word).len() > 1;
            if !identifier {
                continue;
            }
            if let Some(others) = self.synonyms.get(&crate::fold_name(word)) {
                for other in others {
                    for token in analyze(other) {
                        add(token, 1.0);
                    }
                }
            }
        }
        let glossary = glossary();
        for token in &own {
            if let Some(translations) = glossary.get(token) {
                for t in translations {
                    add(t.clone(), GLOSSARY_WEIGHT);
                }
            }
        }
        for token in own {
            add(token, 1.0);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (token, weight) in weights {
            for (field, boost) in [(self.fields.title, TITLE_BOOST), (self.fields.body, 1.0)] {
                let term = TermQuery::new(Term::from_field_text(field, &token), IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(term), boost * weight))));
            }
        }
        if clauses.is_empty() {
            return None;
        }
        let origin = match scope {
            Scope::All => None,
            Scope::Knowledge => Some(ORIGIN_KNOWLEDGE),
            Scope::Code => Some(ORIGIN_CODE),
        };
        if let Some(origin) = origin {
            let words = BooleanQuery::new(clauses);
            let filter = TermQuery::new(Term::from_field_text(self.fields.origin, origin), IndexRecordOption::Basic);
            return Some(BooleanQuery::new(vec![
                (Occur::Must, Box::new(words) as Box<dyn Query>),
                (Occur::Must, Box::new(BoostQuery::new(Box::new(filter), 0.0))),
            ]));
        }
        Some(BooleanQuery::new(clauses))
    }

    /// The best `limit` documents for a question, knowledge and code together: BM25, or BM25
    /// fused with dense vectors when [`SearchIndex::enable_dense`] was called.
    pub fn search(&self, question: &str, limit: usize) -> Result<Vec<Hit>, IndexError> {
        self.search_in(question, limit, Scope::All)
    }

    /// [`SearchIndex::search`] limited to the knowledge base or to the workspace's code. Code
    /// chunks of one method count once (its best chunk).
    pub fn search_in(&self, question: &str, limit: usize, scope: Scope) -> Result<Vec<Hit>, IndexError> {
        match &self.dense {
            Some(dense) => self.search_hybrid(dense, question, limit, scope),
            None => self.search_bm25(question, limit, scope),
        }
    }

    /// BM25 alone, whether or not dense vectors are enabled.
    pub fn search_bm25(&self, question: &str, limit: usize, scope: Scope) -> Result<Vec<Hit>, IndexError> {
        let Some(query) = self.query(question, scope) else { return Ok(Vec::new()) };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit * 3).order_by_score())?;
        let mut snippets = SnippetGenerator::create(&searcher, &query, self.fields.body)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::new();
        let mut seen = HashSet::new();
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let hit = self.hit(&doc, score, Some(&snippets));
            if hit.kind == DocKind::Code && !seen.insert((hit.path.clone(), hit.title.clone())) {
                continue;
            }
            hits.push(hit);
            if hits.len() == limit {
                break;
            }
        }
        Ok(hits)
    }

    /// A stored document as a hit; the snippet shows the question's words when a generator
    /// is given, else the start of the text.
    fn hit(&self, doc: &TantivyDocument, score: f32, snippets: Option<&SnippetGenerator>) -> Hit {
        let f = &self.fields;
        let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
        let number = |field: Field| doc.get_first(field).and_then(|v| v.as_u64()).map(|n| n as u32);
        let kind = text(f.kind).and_then(|k| DocKind::from_name(&k)).unwrap_or(DocKind::Code);
        let path = text(f.path);
        let fragment = snippets.map(|s| s.snippet_from_doc(doc).fragment().to_string()).unwrap_or_default();
        let snippet = if fragment.trim().is_empty() {
            text(f.body).unwrap_or_default().chars().take(SNIPPET_CHARS).collect()
        } else {
            fragment
        };
        Hit {
            id: text(f.id).unwrap_or_default(),
            kind,
            source: path.clone().unwrap_or_else(|| kind.label().to_string()),
            title: text(f.label).unwrap_or_default(),
            score,
            snippet: snippet.split_whitespace().collect::<Vec<_>>().join(" "),
            path,
            lines: number(f.first_line).zip(number(f.last_line)),
            module_kind: text(f.module_kind),
        }
    }

    /// BM25's and the dense ranking fused ([`Fusion`]); a method counts once whichever of its
    /// chunks matched. The score is the fused one.
    fn search_hybrid(&self, dense: &Dense, question: &str, limit: usize, scope: Scope) -> Result<Vec<Hit>, IndexError> {
        if limit == 0 || !question.chars().any(char::is_alphanumeric) {
            return Ok(Vec::new());
        }
        let fusion = dense.options.fusion;
        let depth = fusion.depth.max(limit);
        let bm25 = self.search_bm25(question, depth, scope)?;
        let near = dense.nearest(question, depth, scope)?;
        let hit_key = |h: &Hit| match h.kind {
            DocKind::Code => format!("{}\0{}", h.path.as_deref().unwrap_or_default(), h.title),
            _ => h.id.clone(),
        };
        let dense_key = |d: &DenseDoc| match d.code {
            true => format!("{}\0{}", d.path.as_deref().unwrap_or_default(), d.label),
            false => d.id.clone(),
        };
        let bm25_keys: Vec<String> = bm25.iter().map(hit_key).collect();
        let dense_keys: Vec<String> = near.iter().map(|(_, d)| dense_key(d)).collect();
        let mut by_key: HashMap<String, Hit> = bm25.into_iter().map(|h| (hit_key(&h), h)).collect();
        let dense_ids: HashMap<&str, &str> =
            dense_keys.iter().zip(&near).map(|(k, (_, d))| (k.as_str(), d.id.as_str())).collect();
        let searcher = self.reader.searcher();
        let snippets = match self.query(question, scope) {
            Some(query) => {
                let mut generator = SnippetGenerator::create(&searcher, &query, self.fields.body)?;
                generator.set_max_num_chars(SNIPPET_CHARS);
                Some(generator)
            }
            None => None,
        };
        let mut hits = Vec::new();
        for (key, score) in fuse(&bm25_keys, &dense_keys, &fusion) {
            let hit = match by_key.remove(&key) {
                Some(hit) => Some(hit),
                None => match dense_ids.get(key.as_str()) {
                    Some(id) => {
                        let term = TermQuery::new(Term::from_field_text(self.fields.id, id), IndexRecordOption::Basic);
                        match searcher.search(&term, &TopDocs::with_limit(1).order_by_score())?.first() {
                            Some((_, address)) => {
                                let doc: TantivyDocument = searcher.doc(*address)?;
                                Some(self.hit(&doc, 0.0, snippets.as_ref()))
                            }
                            None => None,
                        }
                    }
                    None => None,
                },
            };
            if let Some(mut hit) = hit {
                hit.score = score;
                hits.push(hit);
                if hits.len() == limit {
                    break;
                }
            }
        }
        Ok(hits)
    }

    /// Turns on hybrid retrieval: embeds every knowledge document (and, with
    /// [`DenseOptions::embed_code`], every workspace method) with `embedder`, reusing the
    /// vectors cached in `vectors/` of the cache directory, and fuses dense and BM25 rankings
    /// in every search from now on. Files updated later are embedded as they change.
    pub fn enable_dense(
        &mut self,
        embedder: Arc<dyn Embedder>,
        mut options: DenseOptions,
    ) -> Result<&DenseReport, IndexError> {
        if options.cache_dir.is_none() {
            options.cache_dir = self.location.clone();
        }
        let docs = self.dense_docs(options.embed_code)?;
        let dense = Dense::build(embedder, options, docs)?;
        Ok(&self.dense.insert(dense).report)
    }

    /// [`SearchIndex::enable_dense`] with the embedder `settings` describe (from
    /// [`EmbedSettings::from_env`] and flags); nothing happens when none is configured.
    pub fn enable_dense_with(&mut self, settings: &EmbedSettings) -> Result<Option<&DenseReport>, IndexError> {
        let Some(embedder) = settings.embedder()? else { return Ok(None) };
        let cache_dir = Some(self.location.clone().unwrap_or_else(default_knowledge_cache_dir));
        let options = DenseOptions { cache_dir, embed_code: settings.embed_code, ..DenseOptions::default() };
        Ok(Some(self.enable_dense(embedder, options)?))
    }

    /// Changes how BM25 and dense rankings are fused (no effect without dense vectors).
    pub fn set_fusion(&mut self, fusion: Fusion) {
        if let Some(dense) = &mut self.dense {
            dense.options.fusion = fusion;
        }
    }

    /// What [`SearchIndex::enable_dense`] did, when it was called.
    pub fn dense_report(&self) -> Option<&DenseReport> {
        self.dense.as_ref().map(|d| &d.report)
    }

    /// Vectors held for the dense side (0 without it).
    pub fn dense_len(&self) -> usize {
        self.dense.as_ref().map_or(0, Dense::len)
    }

    /// The documents to embed, read back from the index: every knowledge document, and with
    /// `code` the first document of every method (signature, doc comment, start of the body).
    fn dense_docs(&self, code: bool) -> Result<Vec<DenseDoc>, IndexError> {
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let mut knowledge = Vec::new();
        let mut methods: HashMap<(String, String), (u64, DenseDoc)> = HashMap::new();
        let origins: &[&str] = if code { &[ORIGIN_KNOWLEDGE, ORIGIN_CODE] } else { &[ORIGIN_KNOWLEDGE] };
        for origin in origins {
            let query = TermQuery::new(Term::from_field_text(f.origin, origin), IndexRecordOption::Basic);
            let mut addresses: Vec<_> = searcher.search(&query, &DocSetCollector)?.into_iter().collect();
            addresses.sort();
            for address in addresses {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
                let (id, label, body, path) = (text(f.id), text(f.label), text(f.body), text(f.path));
                if *origin == ORIGIN_KNOWLEDGE {
                    let text = dense_text(&label, &body);
                    knowledge.push(DenseDoc { id, code: false, path: None, label, text });
                    continue;
                }
                let line = doc.get_first(f.first_line).and_then(|v| v.as_u64()).unwrap_or(0);
                let key = (path.clone(), label.clone());
                if methods.get(&key).is_some_and(|(first, _)| *first <= line) {
                    continue;
                }
                let text = dense_text(&label, &body);
                methods.insert(key, (line, DenseDoc { id, code: true, path: Some(path), label, text }));
            }
        }
        knowledge.sort_by(|a, b| a.id.cmp(&b.id));
        let mut code: Vec<DenseDoc> = methods.into_values().map(|(_, d)| d).collect();
        code.sort_by(|a, b| a.id.cmp(&b.id));
        knowledge.extend(code);
        Ok(knowledge)
    }

    /// Document counts, the files indexed and the size on disk.
    pub fn stats(&self) -> Result<IndexStats, IndexError> {
        let searcher = self.reader.searcher();
        let count = |origin: &str| -> Result<usize, IndexError> {
            let query = TermQuery::new(Term::from_field_text(self.fields.origin, origin), IndexRecordOption::Basic);
            Ok(searcher.search(&query, &Count)?)
        };
        let size_bytes = match &self.location {
            Some(dir) => std::fs::read_dir(dir.join(TANTIVY_DIR))?
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum(),
            None => 0,
        };
        Ok(IndexStats {
            location: self.location.clone(),
            knowledge_docs: count(ORIGIN_KNOWLEDGE)?,
            code_docs: count(ORIGIN_CODE)?,
            files: self.marker.lock().unwrap_or_else(|e| e.into_inner()).files.len(),
            size_bytes,
            segments: searcher.segment_readers().len(),
        })
    }
}

/// The documents of one file to embed: the first document of each method (as
/// [`SearchIndex::dense_docs`] picks them from the index).
fn dense_code_docs(docs: &[Doc]) -> Vec<DenseDoc> {
    let mut first: HashMap<&str, &Doc> = HashMap::new();
    for d in docs {
        let line = d.lines.map_or(0, |l| l.0);
        match first.get(d.label.as_str()) {
            Some(seen) if seen.lines.map_or(0, |l| l.0) <= line => {}
            _ => {
                first.insert(&d.label, d);
            }
        }
    }
    let mut out: Vec<DenseDoc> = first
        .into_values()
        .map(|d| DenseDoc {
            id: d.id.clone(),
            code: true,
            path: d.path.clone(),
            label: d.label.clone(),
            text: dense_text(&d.label, &d.body),
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// One way of retrieving documents, whether it is active, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retrieval {
    pub name: &'static str,
    pub active: bool,
    pub reason: String,
}

/// Which retrieval is active and why, for the embedding settings of the environment
/// ([`EmbedSettings::from_env`]).
pub fn retrieval_status() -> Vec<Retrieval> {
    retrieval_status_for(&EmbedSettings::from_env())
}

/// Which retrieval is active and why: BM25 always; hybrid when an embedder is configured and
/// answers (it is loaded and asked for one vector, so the reason tells what failed).
pub fn retrieval_status_for(settings: &EmbedSettings) -> Vec<Retrieval> {
    let bm25 = Retrieval {
        name: "bm25",
        active: true,
        reason: format!(
            "always on: tantivy BM25 over names (boost {TITLE_BOOST}) and text with the BSL analyzer, \
             Russian/English name synonyms and the ru/en glossary"
        ),
    };
    let hybrid = |active: bool, reason: String| Retrieval { name: "hybrid", active, reason };
    let dense = if !settings.requested() {
        hybrid(
            false,
            format!(
                "no embedding model configured; set {ENV_MODEL}, {ENV_TOKENIZER} and {ENV_ORT_DYLIB} (an ONNX \
                 model run by ONNX Runtime; scripts/install-embeddings.sh installs one) or {ENV_URL} and \
                 {ENV_URL_MODEL} (an OpenAI-compatible /v1/embeddings endpoint), or the same as --embed-* flags"
            ),
        )
    } else {
        match settings.embedder() {
            Err(e) => hybrid(false, format!("configured but not usable, BM25 alone: {e}")),
            Ok(None) => hybrid(false, "no embedding model configured".to_string()),
            Ok(Some(embedder)) => {
                let started = Instant::now();
                match embedder.embed(&["как найти подстроку в строке"]) {
                    Err(e) => hybrid(false, format!("{} does not answer, BM25 alone: {e}", embedder.describe())),
                    Ok(v) => {
                        let fusion = Fusion::default();
                        hybrid(
                            true,
                            format!(
                                "{}; {}-dimensional vectors, {:.0} ms for a question; fused with BM25 by \
                                 reciprocal rank (k = {}, weights {} BM25 / {} dense, BM25's first {} kept){}",
                                embedder.describe(),
                                v.first().map_or(0, Vec::len),
                                started.elapsed().as_secs_f64() * 1000.0,
                                fusion.k,
                                fusion.bm25_weight,
                                fusion.dense_weight,
                                fusion.bm25_lead,
                                if settings.embed_code {
                                    "; knowledge and workspace methods embedded"
                                } else {
                                    "; knowledge embedded (workspace methods too with --embed-code)"
                                }
                            ),
                        )
                    }
                }
            }
        }
    };
    vec![bm25, dense]
}
