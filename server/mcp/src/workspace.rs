//! The workspace a server serves: loaded once (on a background thread as the server starts,
//! so `initialize` is answered at once), with the rules configuration found beside it, and
//! the search index, built on the first search. Paths from clients are resolved against the
//! root and must stay inside it.

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use bsl_analysis::rules::config_file::{FileConfig, parse_bsl_ls_json, parse_toml};
use bsl_analysis::workspace::WorkspaceIndex;
use bsl_analysis::{Config, ModuleKind, RuleSet};
use bsl_knowledge::SearchIndex;
use bsl_syntax::Parse;
use bsl_workspace::LoadReport;
use serde_json::Value;

/// The loaded workspace.
pub struct Loaded {
    pub index: WorkspaceIndex,
    pub report: LoadReport,
    pub rules: RuleSet,
    pub config_path: Option<PathBuf>,
    pub seconds: f64,
}

/// The workspace of one server and everything computed from it once.
pub struct Workspace {
    root: PathBuf,
    loaded: OnceLock<Loaded>,
    search: OnceLock<Result<SearchIndex, String>>,
    report: OnceLock<Value>,
    /// A configuration file that could not be read: reported by the tools that use rules.
    config_error: OnceLock<String>,
}

impl Workspace {
    /// A workspace rooted at `root` (which must exist); nothing is read yet.
    pub fn new(root: &Path) -> anyhow::Result<Self> {
        let root = root
            .canonicalize()
            .map_err(|e| anyhow::anyhow!("{}: cannot open the workspace folder: {e}", root.display()))?;
        if !root.is_dir() {
            anyhow::bail!("{}: the workspace is not a folder", root.display());
        }
        Ok(Workspace {
            root,
            loaded: OnceLock::new(),
            search: OnceLock::new(),
            report: OnceLock::new(),
            config_error: OnceLock::new(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The loaded workspace, loading it on first use (other callers wait for that load).
    pub fn loaded(&self) -> &Loaded {
        self.loaded.get_or_init(|| {
            let started = Instant::now();
            let projects = bsl_workspace::discover(std::slice::from_ref(&self.root));
            let (index, report) = bsl_workspace::load_with_report(&projects, |_, _| {});
            let (config, config_path) = match find_config(&self.root) {
                Ok(found) => found,
                Err(error) => {
                    tracing::warn!(%error, "rules configuration ignored");
                    let _ = self.config_error.set(error);
                    (Config::default(), None)
                }
            };
            let seconds = started.elapsed().as_secs_f64();
            tracing::info!(
                root = %self.root.display(),
                projects = projects.len(),
                modules = report.modules,
                metadata_files = report.metadata_files,
                unreadable = report.unreadable.len(),
                seconds,
                "workspace loaded"
            );
            Loaded { index, report, rules: RuleSet::new(&config), config_path, seconds }
        })
    }

    /// The loaded workspace if it is ready, without waiting.
    pub fn loaded_if_ready(&self) -> Option<&Loaded> {
        self.loaded.get()
    }

    pub fn config_error(&self) -> Option<&str> {
        self.config_error.get().map(String::as_str)
    }

    /// The search index of the knowledge base and the workspace's modules, kept in the
    /// cache directory outside the workspace; built or brought up to date on first use.
    pub fn search(&self) -> Result<&SearchIndex, String> {
        self.search
            .get_or_init(|| {
                let started = Instant::now();
                let loaded = self.loaded();
                let mut files = Vec::new();
                for module in loaded.index.modules() {
                    if let Ok(text) = read_text(&module.path) {
                        let relative = module.path.strip_prefix(&self.root).unwrap_or(&module.path).to_path_buf();
                        files.push((relative, text));
                    }
                }
                let index = SearchIndex::open_for_workspace(&self.root, &files).map_err(|e| e.to_string());
                tracing::info!(
                    files = files.len(),
                    ok = index.is_ok(),
                    seconds = started.elapsed().as_secs_f64(),
                    "search index ready"
                );
                index
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The search index if it was built already.
    pub fn search_if_ready(&self) -> Option<&SearchIndex> {
        self.search.get().and_then(|r| r.as_ref().ok())
    }

    /// The workspace report, computed once.
    pub fn report(&self, compute: impl FnOnce() -> Value) -> &Value {
        self.report.get_or_init(compute)
    }

    /// A client's path (relative to the root or absolute) as an absolute path inside the
    /// workspace; the error says what is wrong in words a model can act on.
    pub fn resolve(&self, given: &str) -> Result<PathBuf, String> {
        let path = Path::new(given);
        let joined = if path.is_absolute() { path.to_path_buf() } else { self.root.join(path) };
        // `..` may not climb out, even through a path that does not exist yet.
        let mut normal = PathBuf::new();
        for component in joined.components() {
            match component {
                Component::ParentDir => {
                    normal.pop();
                }
                Component::CurDir => {}
                other => normal.push(other),
            }
        }
        let canonical = normal.canonicalize().map_err(|_| {
            format!(
                "`{given}` does not exist in the workspace {}; give a path relative to it (the `document_symbols` or `search` tools list modules)",
                self.root.display()
            )
        })?;
        if !canonical.starts_with(&self.root) {
            return Err(format!(
                "`{given}` is outside the workspace {}; only files inside it can be analysed",
                self.root.display()
            ));
        }
        Ok(canonical)
    }

    /// A path as clients see it: relative to the root.
    pub fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.root).unwrap_or(path).to_string_lossy().replace('\\', "/")
    }

    /// Reads and parses one module of the workspace.
    pub fn parse(&self, path: &Path) -> Result<(Parse, ModuleKind), String> {
        if path.is_dir() {
            return Err(format!("`{}` is a folder; give a `.bsl` or `.os` file", self.display(path)));
        }
        let text = read_text(path).map_err(|e| format!("`{}`: {e}", self.display(path)))?;
        Ok((Parse::new(text), ModuleKind::from_path(path)))
    }
}

/// A module's text: UTF-8 (with or without a BOM) or UTF-16 with a BOM.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    bsl_syntax::source::decode(&bytes).map_err(|e| format!("not a text module: {e}"))
}

/// `.bsl-assist.toml`, else `.bsl-language-server.json`, in the root or the nearest folder
/// above it, as `bsl-assist check` finds it.
fn find_config(root: &Path) -> Result<(Config, Option<PathBuf>), String> {
    for dir in root.ancestors() {
        for name in [".bsl-assist.toml", ".bsl-language-server.json"] {
            let path = dir.join(name);
            if !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            let parsed: Result<FileConfig, _> =
                if name.ends_with(".json") { parse_bsl_ls_json(&text) } else { parse_toml(&text) };
            let config = parsed.map_err(|e| format!("{}:{e}", path.display()))?;
            return Ok((config.config, Some(path)));
        }
    }
    Ok((Config::default(), None))
}
