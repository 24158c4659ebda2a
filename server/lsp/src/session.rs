//! The server's state: open documents, their versions and parses, and the configuration.
//!
//! tower-lsp-server runs up to four handlers at once, but it starts them in arrival order
//! (its queue is first-in, first-out), so a handler that changes state before its first
//! `.await` changes it in arrival order: `didChange` applies its edits synchronously, under
//! the documents lock, before anything else. Versions guard against the rest: a change
//! whose version is not newer than the document's is stale and ignored. Requests read an
//! immutable snapshot (`Arc<Parse>` plus the version) and run on the blocking pool inside
//! `catch_unwind`; a request whose document changed while it ran is answered with
//! `ContentModified` instead of stale data.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use bsl_analysis::rules::{CheckCache, Config};
use bsl_analysis::{Diagnostic, ModuleKind, RuleSet};
use bsl_syntax::{Parse, TextEdit};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::convert;
use crate::workspace::{Locator, Workspace};

/// An open document.
pub struct Document {
    pub version: i32,
    pub parse: Arc<Parse>,
    pub kind: ModuleKind,
    /// Diagnostics computed for `diagnostics_version`.
    diagnostics: Option<(i32, Arc<Vec<Diagnostic>>)>,
    /// What the rules computed for earlier versions, so an edit re-checks only what changed.
    check_cache: Arc<Mutex<CheckCache>>,
}

/// Looks up an open document's current parse by URI.
pub type OpenDocuments = Arc<dyn Fn(&Uri) -> Option<Arc<Parse>> + Send + Sync>;

/// What a request sees of a document.
#[derive(Clone)]
pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub parse: Arc<Parse>,
    pub kind: ModuleKind,
    pub config: Arc<Config>,
    pub rules: Arc<RuleSet>,
    pub workspace: Arc<Workspace>,
    /// The open documents' parses, for turning byte ranges of other files into locations.
    pub open: OpenDocuments,
}

impl Snapshot {
    /// A snapshot of a text outside any session (benchmarks and tests).
    pub fn detached(
        uri: Uri,
        version: i32,
        parse: Arc<Parse>,
        kind: ModuleKind,
        config: Arc<Config>,
        rules: Arc<RuleSet>,
    ) -> Self {
        Snapshot {
            uri,
            version,
            parse,
            kind,
            config,
            rules,
            workspace: Arc::new(Workspace::default()),
            open: Arc::new(|_: &Uri| None),
        }
    }

    /// Converts ranges of workspace files into locations (open documents first).
    pub fn locator(&self) -> Locator<'_> {
        Locator::new(&*self.open)
    }

    pub fn path(&self) -> Option<std::path::PathBuf> {
        convert::path(&self.uri)
    }
}

pub struct Session {
    documents: RwLock<HashMap<Uri, Document>>,
    /// Held while diagnostics are computed, so that concurrent requests for the same
    /// version wait for one computation instead of each running the rules.
    computing: tokio::sync::Mutex<()>,
    config: RwLock<(Arc<Config>, Arc<RuleSet>)>,
    /// Workspace folders from `initialize`.
    pub roots: Mutex<Vec<PathBuf>>,
    pub workspace: Arc<Workspace>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    pub fn new() -> Self {
        let config = Config::default();
        let rules = RuleSet::new(&config);
        Session {
            documents: RwLock::new(HashMap::new()),
            computing: tokio::sync::Mutex::new(()),
            config: RwLock::new((Arc::new(config), Arc::new(rules))),
            roots: Mutex::new(Vec::new()),
            workspace: Arc::new(Workspace::default()),
        }
    }

    pub fn set_config(&self, config: Config) {
        let rules = RuleSet::new(&config);
        *self.config.write().expect("config lock") = (Arc::new(config), Arc::new(rules));
        // Cached diagnostics were computed under the old rules.
        for document in self.documents.write().expect("documents lock").values_mut() {
            document.diagnostics = None;
        }
    }

    pub fn open(&self, uri: Uri, version: i32, text: String) {
        let kind = convert::module_kind(&uri);
        let document = Document {
            version,
            parse: Arc::new(Parse::new(text)),
            kind,
            diagnostics: None,
            check_cache: Arc::default(),
        };
        self.documents.write().expect("documents lock").insert(uri, document);
    }

    pub fn close(&self, uri: &Uri) {
        self.documents.write().expect("documents lock").remove(uri);
    }

    /// Applies a change; returns the new version, or `None` when the document is not open
    /// or the change is stale (its version is not newer).
    pub fn change(&self, uri: &Uri, version: i32, changes: Vec<TextDocumentContentChangeEvent>) -> Option<i32> {
        let mut documents = self.documents.write().expect("documents lock");
        let document = documents.get_mut(uri)?;
        if version <= document.version {
            return None;
        }
        // Readers hold their own `Arc`; the text is copied only while one is alive.
        let parse = Arc::make_mut(&mut document.parse);
        for change in changes {
            apply_change(parse, change);
        }
        document.version = version;
        document.diagnostics = None;
        Some(version)
    }

    /// The current parse of an open document.
    pub fn open_parse(&self, uri: &Uri) -> Option<Arc<Parse>> {
        self.documents.read().expect("documents lock").get(uri).map(|d| d.parse.clone())
    }

    /// The paths and parses of every open document on disk.
    pub fn open_files(&self) -> Vec<(PathBuf, Arc<Parse>)> {
        let documents = self.documents.read().expect("documents lock");
        documents.iter().filter_map(|(uri, d)| Some((convert::path(uri)?, d.parse.clone()))).collect()
    }

    /// A snapshot of an open document, or an error a client understands.
    pub fn snapshot(self: &Arc<Self>, uri: &Uri) -> Result<Snapshot> {
        let documents = self.documents.read().expect("documents lock");
        let document = documents.get(uri).ok_or_else(|| invalid_params(format!("{} is not open", uri.as_str())))?;
        let (config, rules) = self.config.read().expect("config lock").clone();
        Ok(Snapshot {
            uri: uri.clone(),
            version: document.version,
            parse: document.parse.clone(),
            kind: document.kind,
            config,
            rules,
            workspace: self.workspace.clone(),
            open: {
                let session = Arc::downgrade(self);
                Arc::new(move |uri: &Uri| session.upgrade()?.open_parse(uri))
            },
        })
    }

    /// Every open document.
    pub fn open_documents(&self) -> Vec<Uri> {
        self.documents.read().expect("documents lock").keys().cloned().collect()
    }

    /// The version a document has now, if it is open.
    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.documents.read().expect("documents lock").get(uri).map(|d| d.version)
    }

    /// Runs `work` on a snapshot on the blocking pool. A panic becomes an internal error
    /// of this request alone; a document changed meanwhile yields `ContentModified`.
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        uri: &Uri,
        work: impl FnOnce(&Snapshot) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let snapshot = self.snapshot(uri)?;
        let version = snapshot.version;
        let result =
            tokio::task::spawn_blocking(move || std::panic::catch_unwind(AssertUnwindSafe(|| work(&snapshot)))).await;
        let result = match result {
            Ok(Ok(result)) => result,
            Ok(Err(panic)) => Err(internal_error(panic_message(&panic))),
            Err(join) => Err(internal_error(join.to_string())),
        };
        if self.version(uri) != Some(version) {
            return Err(content_modified());
        }
        result
    }

    /// The diagnostics of the current version if they are already computed.
    pub fn cached_diagnostics(&self, uri: &Uri) -> Option<(i32, Arc<Vec<Diagnostic>>)> {
        let documents = self.documents.read().expect("documents lock");
        let document = documents.get(uri)?;
        let (version, cached) = document.diagnostics.as_ref()?;
        (*version == document.version).then(|| (*version, cached.clone()))
    }

    /// The diagnostics of a document's current version, computed once per version.
    pub async fn diagnostics(self: &Arc<Self>, uri: &Uri) -> Result<(i32, Arc<Vec<Diagnostic>>)> {
        if let Some(cached) = self.cached_diagnostics(uri) {
            return Ok(cached);
        }
        let _computing = self.computing.lock().await;
        if let Some(cached) = self.cached_diagnostics(uri) {
            return Ok(cached);
        }
        let cache = self.documents.read().expect("documents lock").get(uri).map(|d| d.check_cache.clone());
        let (version, diagnostics) = self
            .read(uri, move |snap| {
                let diagnostics = match cache {
                    Some(cache) => {
                        let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
                        snap.rules.check_cached(&snap.parse, snap.kind, &mut cache)
                    }
                    None => snap.rules.check(&snap.parse, snap.kind),
                };
                Ok((snap.version, Arc::new(diagnostics)))
            })
            .await?;
        if let Some(document) = self.documents.write().expect("documents lock").get_mut(uri)
            && document.version == version
        {
            document.diagnostics = Some((version, diagnostics.clone()));
        }
        Ok((version, diagnostics))
    }
}

/// Applies one LSP content change (ranged, or the whole text) to a parse.
fn apply_change(parse: &mut Parse, change: TextDocumentContentChangeEvent) {
    match change.range {
        None => *parse = Parse::new(change.text),
        Some(range) => {
            let start = convert::offset(parse, range.start);
            let end = convert::offset(parse, range.end).max(start);
            parse.edit(&TextEdit::new(start..end, change.text));
        }
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    format!("internal error while answering: {detail}")
}

pub fn invalid_params(message: impl Into<String>) -> Error {
    Error { code: ErrorCode::InvalidParams, message: message.into().into(), data: None }
}

pub fn internal_error(message: impl Into<String>) -> Error {
    Error { code: ErrorCode::InternalError, message: message.into().into(), data: None }
}

/// LSP's `ContentModified` (-32801): the answer would describe an older text.
pub fn content_modified() -> Error {
    Error {
        code: ErrorCode::ServerError(-32801),
        message: "the document changed while the request ran".into(),
        data: None,
    }
}
