//! `bsl-assist search "<question>"`: searches the knowledge base and, with `--workspace`, the
//! workspace's methods (building or updating the workspace's index in its cache directory);
//! `--bench` measures the index build and the query latency.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use bsl_knowledge::{Hit, KnowledgeBase, Scope, SearchIndex, WorkspaceFile};
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
    let index = match &args.workspace {
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
    let (index, build_seconds, files, megabytes) = match &args.workspace {
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
        println!(
            "query ({} runs of {} questions, limit {}): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
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
