//! `bsl-assist doctor`: says what the assistants can look things up in — the knowledge base,
//! the workspace's search index (where it is, what it holds, whether it is usable) and which
//! retrieval is active and why (BM25 alone, or hybrid with the embedding model of the
//! `BSL_ASSIST_*` variables or the `--embed-*` flags, loaded and tried).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use bsl_knowledge::{KnowledgeBase, SearchIndex};
use clap::Args;

#[derive(Args)]
pub struct DoctorArgs {
    /// The workspace whose search index to inspect (default: the current directory).
    #[arg(long)]
    workspace: Option<PathBuf>,
    /// The cache directory of the index, when not the default one.
    #[arg(long)]
    cache_dir: Option<PathBuf>,
    #[command(flatten)]
    embed: super::search::EmbedArgs,
}

pub fn run(args: &DoctorArgs) -> anyhow::Result<ExitCode> {
    println!("bsl-assist {}", env!("CARGO_PKG_VERSION"));
    let kb = KnowledgeBase::embedded();
    let type_methods: usize = kb.types().iter().map(|t| t.methods.len()).sum();
    println!(
        "knowledge: {} global methods and properties, {} types ({type_methods} methods), {} standards, \
         {} YAxUnit modules ({} methods), {} articles, {} prompt templates",
        kb.methods().len(),
        kb.types().len(),
        kb.standards().len(),
        kb.yaxunit_modules().len(),
        kb.yaxunit_methods().len(),
        kb.articles().len(),
        kb.prompts().len()
    );
    println!("retrieval:");
    // The embedder is loaded and asked for one vector, so a broken setup says what broke.
    for mode in bsl_knowledge::retrieval_status_for(&args.embed.settings()) {
        println!("  {:<10} {:<3}  {}", mode.name, if mode.active { "on" } else { "off" }, mode.reason);
    }
    let workspace = match &args.workspace {
        Some(w) => w.clone(),
        None => std::env::current_dir()?,
    };
    let root = workspace.canonicalize().with_context(|| format!("{}: cannot read", workspace.display()))?;
    let cache_dir = args.cache_dir.clone().unwrap_or_else(|| bsl_knowledge::default_cache_dir(&root));
    println!("workspace: {}", root.display());
    println!("index: {}", cache_dir.display());
    match SearchIndex::open_read_only(&cache_dir) {
        Ok(index) => {
            let stats = index.stats()?;
            println!(
                "  usable: {} files, {} code documents, {} knowledge documents, {} segments, {:.1} MB",
                stats.files,
                stats.code_docs,
                stats.knowledge_docs,
                stats.segments,
                stats.size_bytes as f64 / 1e6
            );
        }
        Err(reason) => {
            println!("  not usable: {reason}");
            println!("  `bsl-assist search --workspace {} \"...\"` builds it", root.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
