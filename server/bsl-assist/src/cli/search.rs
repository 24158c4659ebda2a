//! `bsl-assist search "<question>"`: searches the knowledge base and, with `--workspace`, the
//! workspace's methods (building or updating the workspace's index in its cache directory);
//! `--bench` measures the index build and the query latency. Retrieval is BM25, or hybrid (BM25
//! fused with dense vectors) when an embedding model or endpoint is configured through the
//! `BSL_ASSIST_*` variables or the `--embed-*` flags ([`EmbedArgs`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use bsl_knowledge::{EmbedSettings, Hit, KnowledgeBase, Scope, SearchIndex, WorkspaceFile};
use clap::{Args, ValueEnum};
use rayon::prelude::*;

#[derive(Args)]
pub struct SearchArgs {
    /// The question, in Russian or English, or a name (`СтрНайти`, `StrFind`).
    query: String,
    /// Also search this workspace's modules (the index is kept in a cache directory outside it).
    #[arg(long)]
    workspace: Option<PathBuf>,
    /// The cache directory of the workspace's index (default: `$XDG_CACHE_HOME/bsl-assist/index/<hash>`).
    #[arg(long, requires = "workspace")]
    cache_dir: Option<PathBuf>,
    /// How many results.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Which documents to search.
    #[arg(long, value_enum, default_value_t = SearchScope::All)]
    scope: SearchScope,
    /// Print the results as JSON.
    #[arg(long)]
    json: bool,
    /// Measure: build the index from scratch (in a temporary cache directory unless
    /// `--cache-dir` is given), then run the query and a set of typical questions and print
    /// the build time, the index size and the query latency percentiles.
    #[arg(long)]
    bench: bool,
    /// BM25 alone, even when an embedding model is configured.
    #[arg(long, conflicts_with = "hybrid")]
    bm25: bool,
    /// Require hybrid retrieval: fail when no embedding model is configured or it does not load
    /// (without this flag such a failure is reported and BM25 is used alone).
    #[arg(long)]
    hybrid: bool,
    #[command(flatten)]
    embed: EmbedArgs,
}

/// The embedding model for hybrid retrieval; each flag overrides its environment variable.
#[derive(Args, Default)]
pub struct EmbedArgs {
    /// ONNX Runtime's shared library (`libonnxruntime.so.1.31.1`) [env: BSL_ASSIST_ORT_DYLIB].
    #[arg(long, value_name = "PATH")]
    ort_dylib: Option<PathBuf>,
    /// An ONNX sentence-embedding model [env: BSL_ASSIST_EMBED_MODEL].
    #[arg(long, value_name = "PATH")]
    embed_model: Option<PathBuf>,
    /// The model's tokenizer.json (default: beside the model) [env: BSL_ASSIST_EMBED_TOKENIZER].
    #[arg(long, value_name = "PATH")]
    embed_tokenizer: Option<PathBuf>,
    /// An OpenAI-compatible API root for `/embeddings`, used when no ONNX model is given
    /// [env: BSL_ASSIST_EMBED_URL].
    #[arg(long, value_name = "URL")]
    embed_url: Option<String>,
    /// The model name sent to the endpoint [env: BSL_ASSIST_EMBED_URL_MODEL].
    #[arg(long, value_name = "NAME")]
    embed_url_model: Option<String>,
    /// The environment variable holding the endpoint's API key [env: BSL_ASSIST_EMBED_API_KEY_ENV].
    #[arg(long, value_name = "VAR")]
    embed_api_key_env: Option<String>,
    /// Also embed the workspace's methods (signature and doc comment), not only the knowledge
    /// base [env: BSL_ASSIST_EMBED_CODE=1].
    #[arg(long)]
    embed_code: bool,
}

impl EmbedArgs {
    /// The environment's settings with these flags over them.
    pub fn settings(&self) -> EmbedSettings {
        EmbedSettings::from_env().overridden_by(EmbedSettings {
            ort_dylib: self.ort_dylib.clone(),
            model: self.embed_model.clone(),
            tokenizer: self.embed_tokenizer.clone(),
            url: self.embed_url.clone(),
            url_model: self.embed_url_model.clone(),
            api_key_env: self.embed_api_key_env.clone(),
            embed_code: self.embed_code,
        })
    }
}

/// Turns on hybrid retrieval when it is configured (and not refused with `--bm25`); says on
/// standard error what it did. A model that does not load is an error only with `--hybrid`.
fn enable_hybrid(index: &mut SearchIndex, args: &SearchArgs, quiet: bool) -> anyhow::Result<()> {
    if args.bm25 {
        return Ok(());
    }
    let settings = args.embed.settings();
    if !settings.requested() {
        if args.hybrid {
            bail!(
                "--hybrid: no embedding model is configured (BSL_ASSIST_EMBED_MODEL or --embed-model, or \
                 BSL_ASSIST_EMBED_URL or --embed-url); `bsl-assist doctor` says more"
            );
        }
        return Ok(());
    }
    match index.enable_dense_with(&settings) {
        Ok(Some(report)) => {
            if !quiet {
                eprintln!(
                    "hybrid retrieval: {} knowledge and {} code documents, {} embedded and {} cached in {:.2} s",
                    report.knowledge_docs, report.code_docs, report.embedded, report.cached, report.seconds
                );
            }
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(e) if args.hybrid => Err(e).context("--hybrid: cannot enable hybrid retrieval"),
        Err(e) => {
            eprintln!("hybrid retrieval is off, BM25 alone: {e}");
            Ok(())
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SearchScope {
    All,
    Knowledge,
    Code,
}

impl From<SearchScope> for Scope {
    fn from(scope: SearchScope) -> Scope {
        match scope {
            SearchScope::All => Scope::All,
            SearchScope::Knowledge => Scope::Knowledge,
            SearchScope::Code => Scope::Code,
        }
    }
}

/// Every module under the workspace, read in parallel, with paths relative to its root.
/// Files that cannot be read as text are reported on standard error and skipped.
pub fn workspace_files(root: &Path) -> anyhow::Result<Vec<WorkspaceFile>> {
    let paths = crate::files::discover(&[root.to_path_buf()])?;
    let files = paths
        .par_iter()
        .filter_map(|path| match crate::files::read_module(path) {
            Ok((_, text, _)) => {
                let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                Some((relative, text))
            }
            Err(error) => {
                eprintln!("{}: {error}", path.display());
                None
            }
        })
        .collect();
    Ok(files)
}

fn cache_dir_for(root: &Path, given: Option<&Path>) -> anyhow::Result<PathBuf> {
    let dir = match given {
        Some(dir) => dir.to_path_buf(),
        None => bsl_knowledge::default_cache_dir(root),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create the cache directory", dir.display()))?;
    let canonical = dir.canonicalize()?;
    if canonical.starts_with(root) {
        bail!(
            "the index cache {} is inside the workspace {}; choose a directory outside it",
            dir.display(),
            root.display()
        );
    }
    Ok(dir)
}

pub fn run(args: &SearchArgs) -> anyhow::Result<ExitCode> {
    if args.bench {
        return bench(args);
    }
    let mut index = match &args.workspace {
        Some(workspace) => {
            let root = workspace.canonicalize().with_context(|| format!("{}: cannot read", workspace.display()))?;
            let cache_dir = cache_dir_for(&root, args.cache_dir.as_deref())?;
            let files = workspace_files(&root)?;
            let index = SearchIndex::open_or_build(&cache_dir, &files)?;
            let report = index.sync_report();
            if !args.json {
                eprintln!(
                    "index {} ({:?}): {} files indexed, {} unchanged, {} removed in {:.2} s",
                    cache_dir.display(),
                    index.opened(),
                    report.files_indexed,
                    report.files_unchanged,
                    report.files_removed,
                    report.seconds
                );
            }
            index
        }
        None => SearchIndex::in_memory(KnowledgeBase::embedded(), &[])?,
    };
    enable_hybrid(&mut index, args, args.json)?;
    let hits = index.search_in(&args.query, args.limit, args.scope.into())?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&hits)?);
    } else {
        print_hits(&hits);
    }
    Ok(if hits.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print_hits(hits: &[Hit]) {
    if hits.is_empty() {
        println!("nothing found");
    }
    for (i, hit) in hits.iter().enumerate() {
        let source = match (&hit.path, hit.lines) {
            (Some(path), Some((first, last))) => format!("{path}:{}-{}", first + 1, last + 1),
            _ => hit.source.clone(),
        };
        println!("{:>2}. {:>6.2}  {source}  {}", i + 1, hit.score, hit.title);
        println!("             {}", hit.snippet);
    }
}

/// Typical questions for `--bench`, besides the one given.
const BENCH_QUESTIONS: &[&str] = &[
    "как найти подстроку в строке",
    "how to start a transaction",
    "проверить что значение заполнено",
    "записать в журнал регистрации",
    "yaxunit проверить равенство",
    "чем заменить Сообщить",
    "ЗаписьЖурналаРегистрации",
    "StrFind",
    "получить значение реквизита объекта",
    "отправить HTTP запрос",
    "ОбщегоНазначения.ЗначениеРеквизитаОбъекта",
    "временные таблицы в запросе",
];

fn bench(args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let mut temporary = None;
    let (mut index, build_seconds, files, megabytes) = match &args.workspace {
        Some(workspace) => {
            let root = workspace.canonicalize().with_context(|| format!("{}: cannot read", workspace.display()))?;
            let cache_dir = match &args.cache_dir {
                Some(dir) => cache_dir_for(&root, Some(dir))?,
                None => {
                    let dir = std::env::temp_dir().join(format!("bsl-assist-bench-{}", std::process::id()));
                    let _ = std::fs::remove_dir_all(&dir);
                    temporary = Some(dir.clone());
                    dir
                }
            };
            let read_started = Instant::now();
            let files = workspace_files(&root)?;
            let megabytes = files.iter().map(|(_, t)| t.len()).sum::<usize>() as f64 / 1e6;
            eprintln!(
                "read {} files ({megabytes:.1} MB) in {:.2} s",
                files.len(),
                read_started.elapsed().as_secs_f64()
            );
            let started = Instant::now();
            let index = SearchIndex::open_or_build(&cache_dir, &files)?;
            (index, started.elapsed().as_secs_f64(), files.len(), megabytes)
        }
        None => {
            let started = Instant::now();
            let index = SearchIndex::in_memory(KnowledgeBase::embedded(), &[])?;
            (index, started.elapsed().as_secs_f64(), 0, 0.0)
        }
    };
    enable_hybrid(&mut index, args, true)?;
    let dense = index.dense_report().cloned();
    let stats = index.stats()?;
    let mut questions = vec![args.query.as_str()];
    questions.extend(BENCH_QUESTIONS);
    // Warm up, then time each question 25 times.
    for q in &questions {
        index.search_in(q, args.limit, args.scope.into())?;
    }
    let mut times = Vec::new();
    for _ in 0..25 {
        for q in &questions {
            let started = Instant::now();
            index.search_in(q, args.limit, args.scope.into())?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    let percentile = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    let figures = serde_json::json!({
        "files": files,
        "megabytes": megabytes,
        "build_seconds": build_seconds,
        "index_bytes": stats.size_bytes,
        "knowledge_docs": stats.knowledge_docs,
        "code_docs": stats.code_docs,
        "segments": stats.segments,
        "queries": times.len(),
        "query_ms_p50": percentile(0.50),
        "query_ms_p95": percentile(0.95),
        "query_ms_max": percentile(1.0),
        "retrieval": if dense.is_some() { "hybrid" } else { "bm25" },
        "dense_knowledge_docs": dense.as_ref().map(|d| d.knowledge_docs),
        "dense_code_docs": dense.as_ref().map(|d| d.code_docs),
        "embedded": dense.as_ref().map(|d| d.embedded),
        "embed_cached": dense.as_ref().map(|d| d.cached),
        "embed_seconds": dense.as_ref().map(|d| d.seconds),
    });
    if args.json {
        println!("{figures}");
    } else {
        println!(
            "build: {build_seconds:.2} s for {files} files ({megabytes:.1} MB); index {:.1} MB, {} segments, \
             {} knowledge + {} code documents",
            stats.size_bytes as f64 / 1e6,
            stats.segments,
            stats.knowledge_docs,
            stats.code_docs
        );
        if let Some(d) = &dense {
            println!(
                "hybrid: {} knowledge + {} code documents embedded ({} now, {} from the cache) in {:.2} s with {}",
                d.knowledge_docs, d.code_docs, d.embedded, d.cached, d.seconds, d.model
            );
        }
        println!(
            "{} query ({} runs of {} questions, limit {}): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            if dense.is_some() { "hybrid" } else { "BM25" },
            times.len() / questions.len(),
            questions.len(),
            args.limit,
            percentile(0.50),
            percentile(0.95),
            percentile(1.0)
        );
    }
    drop(index);
    if let Some(dir) = temporary {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok(ExitCode::SUCCESS)
}
