//! The server's view of the workspace: the index over every project under the workspace
//! folders, loaded in the background, kept current from open documents and watched files,
//! and the conversion of its byte ranges into LSP locations.
//!
//! Open documents win over files on disk: their current text feeds the index as the user
//! types, and positions in them are computed from that text. When the first folder is a git
//! repository, the risk model of its history is loaded or trained after indexing, for hover
//! hints.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};

use bsl_analysis::workspace::WorkspaceIndex;
use bsl_assistant::risk::RiskModel;
use bsl_syntax::{Encoding, LineIndex, Parse};
use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, Location, Position, Range as LspRange, Uri};

#[derive(Default)]
pub struct Workspace {
    index: RwLock<WorkspaceIndex>,
    /// Set once the first load has finished.
    ready: AtomicBool,
    /// The defect-risk model of the git repository at the first workspace folder, trained
    /// (or loaded from the cache) in the background after indexing, replaced when it is
    /// retrained on new commits.
    risk: RwLock<Option<Arc<RiskModel>>>,
    /// Files that could not be read as text (binary data, invalid UTF-8 or UTF-16), with
    /// the reason: each is a diagnostic on that file.
    unreadable: RwLock<Vec<(PathBuf, String)>>,
}

impl Workspace {
    pub fn index(&self) -> RwLockReadGuard<'_, WorkspaceIndex> {
        self.index.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Finds the projects under `roots` and indexes them; `progress(done, total)` is called
    /// as files finish. Documents opened meanwhile are re-added on top of what was loaded.
    pub fn load(&self, roots: &[PathBuf], open: &[(PathBuf, Arc<Parse>)], progress: impl Fn(usize, usize) + Sync) {
        let projects = bsl_workspace::discover(roots);
        let progress = &progress;
        let (mut index, report) = in_background_pool(|| bsl_workspace::load_with_report(&projects, progress));
        for (path, parse) in open {
            index.add_module(path, parse);
        }
        let unreadable = report.unreadable.into_iter().map(|(path, why)| unreadable_reason(path, why)).collect();
        *self.unreadable.write().unwrap_or_else(|e| e.into_inner()) = unreadable;
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = index;
        self.ready.store(true, Ordering::Release);
    }

    /// The risk model, once it is ready.
    pub fn risk(&self) -> Option<Arc<RiskModel>> {
        self.risk.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Loads or trains the risk model of the repository at `root` (a folder with `.git`);
    /// the reason when there is none.
    pub fn load_risk(&self, root: &Path) -> Result<(), String> {
        if !root.join(".git").exists() {
            return Err(format!("{} is not a git repository: no risk hints", root.display()));
        }
        let model = RiskModel::load_or_train(root, &bsl_assistant::risk::default_cache_dir(root))
            .map_err(|e| format!("the risk model is not available: {e:#}"))?;
        *self.risk.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(model));
        Ok(())
    }

    /// Mines new commits (incremental, cheap when there are none) and retrains when `HEAD`
    /// moved; `Ok(true)` when the model changed.
    pub fn refresh_risk(&self, root: &Path) -> Result<bool, String> {
        let model = RiskModel::load_or_train(root, &bsl_assistant::risk::default_cache_dir(root))
            .map_err(|e| format!("the risk model is not available: {e:#}"))?;
        let changed = model.trained;
        if changed {
            *self.risk.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(model));
        }
        Ok(changed)
    }

    /// Re-reads an open document's facts.
    pub fn update_open(&self, path: &Path, parse: &Parse) {
        self.index.write().unwrap_or_else(|e| e.into_inner()).add_module(path, parse);
    }

    /// Diagnostics for every metadata file that did not parse and every file that could not
    /// be read as text, by file.
    pub fn metadata_diagnostics(&self) -> Vec<(Uri, Vec<Diagnostic>)> {
        let index = self.index();
        let unreadable = self.unreadable.read().unwrap_or_else(|e| e.into_inner());
        index
            .metadata_errors()
            .filter_map(|(path, error)| Some((Uri::from_file_path(path)?, vec![metadata_diagnostic(error)])))
            .chain(
                unreadable
                    .iter()
                    .filter_map(|(path, why)| Some((Uri::from_file_path(path)?, vec![unreadable_diagnostic(why)]))),
            )
            .collect()
    }

    /// The diagnostics of one file from the workspace's view: its metadata parse error or
    /// why it cannot be read, if either.
    pub fn metadata_diagnostics_of(&self, path: &Path) -> Vec<Diagnostic> {
        let index = self.index();
        let unreadable = self.unreadable.read().unwrap_or_else(|e| e.into_inner());
        index
            .metadata_errors()
            .filter(|(p, _)| *p == path)
            .map(|(_, e)| metadata_diagnostic(e))
            .chain(unreadable.iter().filter(|(p, _)| p == path).map(|(_, why)| unreadable_diagnostic(why)))
            .collect()
    }

    /// A file changed or appeared on disk.
    pub fn update_file(&self, path: &Path) {
        let Ok(bytes) = std::fs::read(path) else {
            self.remove_file(path);
            return;
        };
        let mut unreadable = self.unreadable.write().unwrap_or_else(|e| e.into_inner());
        unreadable.retain(|(p, _)| p != path);
        let text = match bsl_syntax::source::decode(&bytes) {
            Ok(text) => text,
            Err(error) => {
                unreadable.push((path.to_path_buf(), format!("{}: {error}", path.display())));
                return;
            }
        };
        drop(unreadable);
        // An empty metadata file is one being written (an editor creates the file, then
        // fills it): wait for the change that fills it rather than report it as broken.
        let metadata = matches!(path.extension().and_then(|e| e.to_str()), Some("xml" | "mdo"));
        if metadata && text.trim().is_empty() {
            return;
        }
        // A broken metadata file stays in the index as an error on that file.
        let _ = self.index.write().unwrap_or_else(|e| e.into_inner()).update_file(path, &text);
    }

    pub fn remove_file(&self, path: &Path) {
        self.unreadable.write().unwrap_or_else(|e| e.into_inner()).retain(|(p, _)| p != path);
        self.index.write().unwrap_or_else(|e| e.into_inner()).remove_file(path);
    }
}

/// Converts byte ranges of files into LSP locations, reading each file once; open documents
/// are taken from their current parse.
pub struct Locator<'a> {
    open: &'a dyn Fn(&Uri) -> Option<Arc<Parse>>,
    files: HashMap<PathBuf, Option<(Arc<str>, LineIndex)>>,
}

impl<'a> Locator<'a> {
    pub fn new(open: &'a dyn Fn(&Uri) -> Option<Arc<Parse>>) -> Self {
        Locator { open, files: HashMap::new() }
    }

    /// The text of a file as the user sees it, or `None` when it cannot be read.
    pub fn text(&mut self, path: &Path) -> Option<Arc<str>> {
        self.load(path).map(|(text, _)| text.clone())
    }

    fn load(&mut self, path: &Path) -> Option<&(Arc<str>, LineIndex)> {
        if !self.files.contains_key(path) {
            let loaded = Uri::from_file_path(path)
                .and_then(|uri| (self.open)(&uri))
                .map(|parse| (Arc::<str>::from(parse.text()), parse.line_index().clone()))
                .or_else(|| {
                    let bytes = std::fs::read(path).ok()?;
                    let text = bsl_syntax::source::decode(&bytes).ok()?;
                    let index = LineIndex::new(&text);
                    Some((Arc::<str>::from(text), index))
                });
            self.files.insert(path.to_path_buf(), loaded);
        }
        self.files.get(path)?.as_ref()
    }

    /// The location of a byte range of a file.
    pub fn location(&mut self, path: &Path, range: Range<usize>) -> Option<Location> {
        let uri = Uri::from_file_path(path)?;
        let (text, index) = self.load(path)?;
        let at = |offset: usize| {
            let p = index.position(text, offset.min(text.len()), Encoding::Utf16);
            Position { line: p.line, character: p.col }
        };
        Some(Location { uri, range: LspRange { start: at(range.start), end: at(range.end) } })
    }
}

/// The reason a file could not be read, naming it: the decoder's own words when the bytes
/// are there but are not text (the loader keeps only a terse form).
fn unreadable_reason(path: PathBuf, why: String) -> (PathBuf, String) {
    let reason = match std::fs::read(&path).map(|bytes| bsl_syntax::source::decode(&bytes)) {
        Ok(Err(error)) => error.to_string(),
        Ok(Ok(_)) => why,
        Err(error) => error.to_string(),
    };
    let message = format!("{}: {reason}", path.display());
    (path, message)
}

fn unreadable_diagnostic(message: &str) -> Diagnostic {
    Diagnostic {
        range: LspRange::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("bsl-assist".into()),
        message: format!("The file cannot be read as a module: {message}"),
        ..Diagnostic::default()
    }
}

fn metadata_diagnostic(error: &bsl_analysis::workspace::MetadataError) -> Diagnostic {
    // The error's line and column count from 1.
    let at = Position { line: error.line.saturating_sub(1), character: error.column.saturating_sub(1) };
    Diagnostic {
        range: LspRange { start: at, end: at },
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("bsl-assist".into()),
        message: format!("The metadata description cannot be read: {}", error.message),
        ..Diagnostic::default()
    }
}

/// Runs `work` (which may fan out with rayon) on threads that yield to the editor's: the
/// first indexing of a large workspace fills every core, and a keystroke's diagnostics
/// would otherwise wait their turn behind it. On a machine with nothing else to do the
/// indexing runs as fast as before.
fn in_background_pool<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("bsl-assist-index-{i}"))
        .start_handler(|_| lower_priority())
        .build();
    match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// Lowers the calling thread's scheduling priority (nice 10).
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn lower_priority() {
    // SAFETY: on Linux `setpriority(PRIO_PROCESS, 0, ..)` sets the nice value of the calling
    // thread alone (threads are scheduled on their own); it reads and writes no memory of
    // ours, and a failure (not permitted) only leaves the priority as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}
