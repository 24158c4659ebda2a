//! The custom request `bsl-assist/search`: BM25 search over the knowledge base and the
//! workspace's methods (`bsl_knowledge::SearchIndex`). The index is opened or built on the
//! first request, from the files the workspace index knows, in the cache directory (never
//! inside the workspace); later starts reopen it in milliseconds.

use std::path::PathBuf;
use std::sync::Arc;

use bsl_knowledge::{Hit, KnowledgeBase, Scope, SearchIndex};
use serde::Deserialize;

use crate::workspace::Workspace;

/// The request's parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    pub query: String,
    #[serde(default = "default_limit")]
    pub limit: usize,
    /// `all` (the default), `knowledge` or `code`.
    #[serde(default)]
    pub scope: Option<String>,
}

fn default_limit() -> usize {
    10
}

/// Opens (or builds) the index for the first workspace folder, or an in-memory index of
/// the knowledge base alone when there is no folder. The user's knowledge `folders` are
/// indexed beside ours; a folder that cannot be read is a warning, not a failure. With an
/// embedding model configured, retrieval is hybrid (BM25 fused with dense vectors).
pub fn open(
    workspace: &Workspace,
    roots: &[PathBuf],
    folders: &[PathBuf],
) -> Result<(Arc<SearchIndex>, Vec<String>), String> {
    let mut warnings = Vec::new();
    let mut kb: Option<KnowledgeBase> = None;
    for folder in folders {
        let folder = match roots.first() {
            Some(root) if folder.is_relative() => root.join(folder),
            _ => folder.clone(),
        };
        match KnowledgeBase::load_dir(&folder) {
            Ok(extra) => kb.get_or_insert_with(|| KnowledgeBase::embedded().clone()).extend(extra),
            Err(e) => warnings.push(format!("bsl-assist knowledge folder {}: {e}", folder.display())),
        }
    }
    let files: Vec<(PathBuf, String)> = {
        let index = workspace.index();
        let mut paths: Vec<PathBuf> = index.modules().map(|m| m.path.clone()).collect();
        paths.sort();
        paths
            .into_iter()
            .filter_map(|path| {
                let text = bsl_syntax::source::decode(&std::fs::read(&path).ok()?).ok()?;
                Some((path, text))
            })
            .collect()
    };
    let opened = match (roots.first(), &kb) {
        (Some(root), None) => SearchIndex::open_for_workspace(root, &files),
        // The user's entries change the knowledge part: a cache folder of its own.
        (Some(root), Some(kb)) => {
            let cache = bsl_knowledge::default_cache_dir(root).join("with-user-knowledge");
            SearchIndex::open_or_build_with(&cache, kb, &files)
        }
        (None, kb) => SearchIndex::in_memory(kb.as_ref().unwrap_or(KnowledgeBase::embedded()), &files),
    };
    let mut index = opened.map_err(|e| format!("the search index cannot be opened: {e:?}"))?;
    // Hybrid retrieval when the user configured an embedding model or endpoint (the
    // `BSL_ASSIST_EMBED_*` variables, as for `bsl-assist search`); vectors are cached on
    // disk, so only the first start embeds the knowledge base. Any failure keeps BM25.
    let embed = bsl_knowledge::EmbedSettings::from_env();
    if let Err(e) = index.enable_dense_with(&embed) {
        warnings.push(format!("bsl-assist: hybrid retrieval is off, BM25 only: {e:?}"));
    }
    Ok((Arc::new(index), warnings))
}

pub fn search(index: &SearchIndex, params: &SearchParams) -> Result<Vec<Hit>, String> {
    let scope = match params.scope.as_deref() {
        None | Some("all") => Scope::All,
        Some("knowledge") => Scope::Knowledge,
        Some("code") => Scope::Code,
        Some(other) => return Err(format!("unknown scope `{other}`: use all, knowledge or code")),
    };
    index.search_in(&params.query, params.limit.clamp(1, 100), scope).map_err(|e| format!("search failed: {e:?}"))
}
