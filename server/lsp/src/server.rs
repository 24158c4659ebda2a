//! The `LanguageServer` implementation: each method is a thin call into a handler.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::handlers::{
    call_hierarchy, calls, code_actions, code_lens, completion, diagnostics, folding, formatting, hover, links,
    navigation, search, selection, semantic_tokens, symbols, workspace_symbols,
};
use crate::metrics::Metrics;
use crate::session::Session;
use crate::settings::Settings;
use crate::{config, convert};

mod commands;
mod conversation;
mod status;

/// How long the server waits after a keystroke before it recomputes diagnostics.
const DEBOUNCE: Duration = Duration::from_millis(120);

/// The result id and the items' JSON text of the last full report pulled for a document
/// (the text shared with the reply that carried it).
type PulledItems = (String, Arc<Vec<u8>>);

pub struct Backend {
    client: Client,
    session: Arc<Session>,
    /// The last semantic tokens sent per document, for `full/delta`.
    semantic: Mutex<HashMap<Uri, (String, SharedTokens)>>,
    /// The last pulled diagnostics report per document, so an unchanged list is answered
    /// with `unchanged` instead of being sent again.
    pulled: Mutex<HashMap<Uri, PulledItems>>,
    /// Results written as JSON text, which the transport puts in place of their stand-ins.
    raw: Arc<crate::raw::RawReplies>,
    next_result: std::sync::atomic::AtomicU64,
    /// The knowledge and code search index, opened on the first `bsl-assist/search`.
    search_index: tokio::sync::OnceCell<std::result::Result<Arc<bsl_knowledge::SearchIndex>, String>>,
    /// The number of the last completion list and its document, for
    /// `completionItem/resolve`.
    completion_list: Mutex<Option<(u64, Uri)>>,
    /// What the client said it supports in `initialize`.
    progress_supported: std::sync::atomic::AtomicBool,
    watch_supported: std::sync::atomic::AtomicBool,
    capabilities: ClientCaps,
    /// Per-method counters and latencies, kept by the service wrapper.
    metrics: Arc<Metrics>,
    /// The settings besides the rules', and the rules' configuration (for commands that
    /// run the rules outside a document).
    settings: std::sync::RwLock<Settings>,
    rules_config: std::sync::RwLock<Arc<bsl_analysis::Config>>,
    /// The model client, when the user has enabled one.
    llm: Arc<std::sync::RwLock<Option<Arc<bsl_assistant::llm::LlmClient>>>>,
    /// The reviewer's diagnostics per document, for the version they were made on.
    reviews: Arc<Mutex<Reviews>>,
    /// Indexing progress `(done, total)` while the workspace loads.
    indexing: Arc<Mutex<Option<(usize, usize)>>>,
}

/// Everything shown on an open document: the rules' findings, risk hints above the
/// threshold, layering breaches, and the review made on this version (a review stays until
/// the next edit).
fn document_items(
    snap: &crate::session::Snapshot,
    found: &[bsl_analysis::Diagnostic],
    risk_threshold: f64,
    reviews: &Mutex<Reviews>,
) -> Vec<Diagnostic> {
    let mut items: Vec<_> = found.iter().map(|d| diagnostics::to_lsp(&snap.parse, &snap.uri, d)).collect();
    items.extend(extra_items(snap, risk_threshold, reviews));
    items
}

/// What [`document_items`] adds to the rules' findings: risk hints, layering breaches and
/// the review of this version.
fn extra_items(snap: &crate::session::Snapshot, risk_threshold: f64, reviews: &Mutex<Reviews>) -> Vec<Diagnostic> {
    let mut items = crate::handlers::risk::diagnostics(snap, risk_threshold);
    items.extend(crate::handlers::risk::layering(snap));
    let mut reviews = reviews.lock().expect("reviews lock");
    match reviews.get(&snap.uri) {
        Some((v, review)) if *v == snap.version => items.extend(review.iter().cloned()),
        Some(_) => {
            reviews.remove(&snap.uri);
        }
        None => {}
    }
    items
}

/// What the Prometheus metrics add to the per-method counters: the index's size, open
/// documents, the model client's calls and tokens per role, the risk model's quality.
fn gauges(
    session: Arc<Session>,
    llm: Arc<std::sync::RwLock<Option<Arc<bsl_assistant::llm::LlmClient>>>>,
) -> crate::metrics::Gauges {
    Box::new(move || {
        let mut out = Vec::new();
        let index = session.workspace.index();
        out.push(("bsl_lsp_index_modules".to_string(), String::new(), index.module_count() as f64));
        let methods: usize = index.modules().map(|m| m.methods.len()).sum();
        out.push(("bsl_lsp_index_methods".to_string(), String::new(), methods as f64));
        drop(index);
        out.push(("bsl_lsp_open_documents".to_string(), String::new(), session.open_documents().len() as f64));
        if let Some(client) = llm.read().expect("llm lock").as_ref() {
            for (role, usage) in client.usage() {
                let labels = format!("role=\"{role}\"");
                out.push(("bsl_lsp_llm_calls".to_string(), labels.clone(), usage.requests as f64));
                out.push(("bsl_lsp_llm_prompt_tokens".to_string(), labels.clone(), usage.prompt_tokens as f64));
                out.push(("bsl_lsp_llm_completion_tokens".to_string(), labels, usage.completion_tokens as f64));
            }
        }
        if let Some(risk) = session.workspace.risk() {
            if let Some(auc) = risk.evaluation().auc {
                out.push(("bsl_lsp_risk_model_auc".to_string(), String::new(), auc));
            }
            out.push(("bsl_lsp_risk_heuristic".to_string(), String::new(), f64::from(u8::from(risk.is_heuristic()))));
        }
        out
    })
}

/// A document's semantic tokens as last sent, part by part, shared by the map and the
/// answer's delta.
type SharedTokens = Arc<semantic_tokens::TokenParts>;

/// The reviewer's diagnostics per document, with the version they were made on.
type Reviews = HashMap<Uri, (i32, Vec<Diagnostic>)>;

/// What the client can do with edits the server sends, and how it takes diagnostics.
#[derive(Default)]
struct ClientCaps {
    apply_edit: std::sync::atomic::AtomicBool,
    create_files: std::sync::atomic::AtomicBool,
    /// The client pulls diagnostics (`textDocument/diagnostic`): an open document's are
    /// then never pushed as well, which editors would show twice (VS Code keeps pulled and
    /// pushed diagnostics in separate collections).
    pull_diagnostics: std::sync::atomic::AtomicBool,
    /// The client re-pulls on `workspace/diagnostic/refresh` (after a review, a new risk
    /// model, new settings).
    diagnostic_refresh: std::sync::atomic::AtomicBool,
    /// The client fetches a completion item's documentation with `completionItem/resolve`
    /// (it lists `documentation` among the properties it resolves), so the list need not
    /// carry every method's doc comment.
    resolve_documentation: std::sync::atomic::AtomicBool,
    /// And the signature (`detail`) too.
    resolve_detail: std::sync::atomic::AtomicBool,
}

impl ClientCaps {
    /// Whether the client pulls diagnostics and pulls again when asked to.
    fn refreshes_diagnostics(&self) -> bool {
        let relaxed = std::sync::atomic::Ordering::Relaxed;
        self.pull_diagnostics.load(relaxed) && self.diagnostic_refresh.load(relaxed)
    }
}

impl Backend {
    pub fn new(client: Client, metrics: Arc<Metrics>, raw: Arc<crate::raw::RawReplies>) -> Self {
        let session = Arc::new(Session::new());
        let llm: Arc<std::sync::RwLock<Option<Arc<bsl_assistant::llm::LlmClient>>>> = Arc::default();
        metrics.set_gauges(gauges(session.clone(), llm.clone()));
        Backend {
            capabilities: ClientCaps::default(),
            metrics,
            settings: std::sync::RwLock::new(Settings::default()),
            rules_config: std::sync::RwLock::new(Arc::new(bsl_analysis::Config::default())),
            llm,
            indexing: Arc::new(Mutex::new(None)),
            reviews: Arc::new(Mutex::new(HashMap::new())),
            client,
            session,
            semantic: Mutex::new(HashMap::new()),
            pulled: Mutex::new(HashMap::new()),
            completion_list: Mutex::new(None),
            raw,
            next_result: std::sync::atomic::AtomicU64::new(1),
            search_index: tokio::sync::OnceCell::new(),
            progress_supported: std::sync::atomic::AtomicBool::new(false),
            watch_supported: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Publishes diagnostics for `version` after the debounce, unless a newer edit came.
    fn schedule_diagnostics(&self, uri: Uri, version: i32, delay: Duration) {
        let risk_threshold = self.settings.read().expect("settings lock").risk.diagnostics_threshold;
        let reviews = self.reviews.clone();
        let session = self.session.clone();
        let client = self.client.clone();
        let pull = self.capabilities.pull_diagnostics.load(std::sync::atomic::Ordering::Relaxed);
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            if session.version(&uri) != Some(version) {
                return;
            }
            if let (Some(path), Some(parse)) = (convert::path(&uri), session.open_parse(&uri)) {
                session.workspace.update_open(&path, &parse);
            }
            // A client that pulls asks for the new list itself.
            if pull {
                return;
            }
            let Ok((computed, found)) = session.diagnostics(&uri).await else { return };
            let Ok(snap) = session.snapshot(&uri) else { return };
            if snap.version != computed {
                return;
            }
            let items = document_items(&snap, &found, risk_threshold, &reviews);
            client.publish_diagnostics(uri, items, Some(computed)).await;
        });
    }

    /// Asks a client that pulls diagnostics to pull again (what it shows changed without
    /// an edit); the pushed kind are published by `schedule_diagnostics` instead.
    async fn refresh_diagnostics(&self) {
        if self.capabilities.refreshes_diagnostics() {
            // Not awaited here: the handler that asks must not wait on the client's answer.
            let client = self.client.clone();
            tokio::spawn(async move { client.workspace_diagnostic_refresh().await });
        }
    }

    /// Publishes the whole list of `version` (see `document_items`) with the review just
    /// made, right away (or has a client that pulls pull it again).
    async fn publish_with_reviews(&self, uri: Uri, version: i32, found: Arc<Vec<bsl_analysis::Diagnostic>>) {
        if self.capabilities.pull_diagnostics.load(std::sync::atomic::Ordering::Relaxed) {
            self.refresh_diagnostics().await;
            return;
        }
        let Ok(snap) = self.session.snapshot(&uri) else { return };
        if snap.version != version {
            return;
        }
        let risk_threshold = self.settings.read().expect("settings lock").risk.diagnostics_threshold;
        let items = document_items(&snap, &found, risk_threshold, &self.reviews);
        self.client.publish_diagnostics(uri, items, Some(version)).await;
    }

    /// The open document's tokens part by part, keeping the parts of the last answer's
    /// whose text is unchanged; with that last answer (its result id and tokens), which
    /// this one then replaces.
    async fn token_parts(&self, uri: &Uri) -> Result<(Option<(String, SharedTokens)>, String, SharedTokens)> {
        let id = self.result_id();
        let previous = self.semantic.lock().expect("semantic lock").get(uri).cloned();
        let kept = previous.as_ref().map(|(_, parts)| parts.clone());
        let tokens = self
            .session
            .read(uri, move |snap| {
                Ok(Arc::new(semantic_tokens::TokenParts::of(snap, kept.as_deref().unwrap_or(&Default::default()))))
            })
            .await?;
        self.semantic.lock().expect("semantic lock").insert(uri.clone(), (id.clone(), tokens.clone()));
        Ok((previous, id, tokens))
    }

    fn result_id(&self) -> String {
        self.next_result.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_string()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let mut roots: Vec<_> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        // A client without workspace folders names its one root the older way.
        #[allow(deprecated)]
        if params.workspace_folders.is_none()
            && let Some(root) = params.root_uri.as_ref().and_then(|uri| uri.to_file_path())
        {
            roots.push(root.into_owned());
        }
        *self.session.roots.lock().expect("roots lock") = roots;
        let capabilities = &params.capabilities;
        self.progress_supported.store(
            capabilities.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
            std::sync::atomic::Ordering::Relaxed,
        );
        self.watch_supported.store(
            capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            std::sync::atomic::Ordering::Relaxed,
        );
        if let Some(workspace) = &capabilities.workspace {
            let relaxed = std::sync::atomic::Ordering::Relaxed;
            self.capabilities.apply_edit.store(workspace.apply_edit.unwrap_or(false), relaxed);
            let create = workspace
                .workspace_edit
                .as_ref()
                .and_then(|e| e.resource_operations.as_ref())
                .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create))
                && workspace.workspace_edit.as_ref().and_then(|e| e.document_changes).unwrap_or(false);
            self.capabilities.create_files.store(create, relaxed);
            let refresh = workspace.diagnostics.as_ref().and_then(|d| d.refresh_support).unwrap_or(false);
            self.capabilities.diagnostic_refresh.store(refresh, relaxed);
        }
        let resolved: Vec<String> = capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.resolve_support.as_ref())
            .map(|r| r.properties.clone())
            .unwrap_or_default();
        let relaxed = std::sync::atomic::Ordering::Relaxed;
        let resolves = |property: &str| resolved.iter().any(|p| p == property);
        self.capabilities.resolve_documentation.store(resolves("documentation"), relaxed);
        self.capabilities.resolve_detail.store(resolves("documentation") && resolves("detail"), relaxed);
        let pull = capabilities.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some());
        self.capabilities.pull_diagnostics.store(pull, std::sync::atomic::Ordering::Relaxed);
        if let Some(options) = &params.initialization_options {
            self.apply_settings(options).await;
        }
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "bsl-assist".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(PositionEncodingKind::UTF16),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..TextDocumentSyncOptions::default()
                })),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: commands::all(),
                    ..ExecuteCommandOptions::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec![".".into(), "&".into(), "#".into()]),
                    resolve_provider: Some(true),
                    ..CompletionOptions::default()
                }),
                signature_help_provider: Some(SignatureHelpOptions {
                    trigger_characters: Some(vec!["(".into(), ",".into()]),
                    ..SignatureHelpOptions::default()
                }),
                inlay_hint_provider: Some(OneOf::Left(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                call_hierarchy_provider: Some(CallHierarchyServerCapability::Simple(true)),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![
                        CodeActionKind::QUICKFIX,
                        CodeActionKind::SOURCE_FIX_ALL,
                        CodeActionKind::REFACTOR_REWRITE,
                        CodeActionKind::REFACTOR_EXTRACT,
                    ]),
                    ..CodeActionOptions::default()
                })),
                // Offered to clients that pull; the others get every list pushed.
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("bsl-assist".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..DiagnosticOptions::default()
                    })
                }),
                semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
                    SemanticTokensOptions {
                        legend: semantic_tokens::legend(),
                        full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                        range: Some(false),
                        ..SemanticTokensOptions::default()
                    },
                )),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // The knowledge base is parsed once; do it now rather than in the first hover.
        tokio::task::spawn_blocking(|| {
            bsl_knowledge::KnowledgeBase::embedded();
        });
        self.watch_files().await;
        self.index_workspace().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        for change in params.changes {
            let Some(path) = convert::path(&change.uri) else { continue };
            // An open document's text is the editor's, not the disk's.
            if self.session.version(&change.uri).is_some() {
                continue;
            }
            // Applied before any `.await`, so requests that follow see the change.
            if change.typ == FileChangeType::DELETED {
                self.session.workspace.remove_file(&path);
            } else {
                self.session.workspace.update_file(&path);
            }
            // A metadata file's own diagnostics: its error now, or none once it is fixed.
            // A module that is not open gets its readability diagnostic the same way.
            if matches!(path.extension().and_then(|e| e.to_str()), Some("xml" | "mdo" | "bsl" | "os")) {
                let items = self.session.workspace.metadata_diagnostics_of(&path);
                self.client.publish_diagnostics(change.uri.clone(), items, None).await;
            }
        }
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let workspace = self.session.workspace.clone();
        let found = tokio::task::spawn_blocking(move || workspace_symbols::search(&workspace, &params.query))
            .await
            .map_err(|e| crate::session::internal_error(e.to_string()))?;
        Ok(Some(WorkspaceSymbolResponse::Flat(found)))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let with_risk = self.settings.read().expect("settings lock").risk.code_lens;
        let lenses = self
            .session
            .read(&params.text_document.uri, move |snap| {
                let mut lenses = code_lens::complexity(snap);
                if with_risk {
                    lenses.extend(crate::handlers::risk::lenses(snap));
                }
                Ok(lenses)
            })
            .await?;
        Ok(Some(lenses))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        self.run_command(params).await
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        self.session.open(document.uri.clone(), document.version, document.text);
        self.schedule_diagnostics(document.uri, document.version, Duration::ZERO);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        // Applied before the first `.await`, so changes apply in arrival order.
        if let Some(version) = self.session.change(&uri, params.text_document.version, params.content_changes) {
            self.schedule_diagnostics(uri, version, DEBOUNCE);
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.session.close(&uri);
        // The editor's text leaves with the editor: the index goes back to the disk's file
        // (or forgets the module when the file is gone).
        if let Some(path) = convert::path(&uri) {
            self.session.workspace.update_file(&path);
        }
        self.reviews.lock().expect("reviews lock").remove(&uri);
        self.semantic.lock().expect("semantic lock").remove(&uri);
        self.pulled.lock().expect("pulled lock").remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.apply_settings(&params.settings).await;
        self.refresh_diagnostics().await;
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let (computed, found) = self.session.diagnostics(&uri).await?;
        let snap = self.session.snapshot(&uri)?;
        if snap.version != computed {
            return Err(crate::session::content_modified());
        }
        // The same list a push would carry (`document_items`), written as JSON text here
        // rather than through tower-lsp's `Value` (see `raw.rs`).
        let risk_threshold = self.settings.read().expect("settings lock").risk.diagnostics_threshold;
        let extra = extra_items(&snap, risk_threshold, &self.reviews);
        let items = diagnostics::items_json(&snap.parse, &snap.uri, &found, &extra);
        // A keystroke inside a line moves no finding of the other lines: the list the
        // client already has is often still right, and then it is not sent again.
        let mut pulled = self.pulled.lock().expect("pulled lock");
        if let Some((id, last)) = pulled.get(&uri)
            && params.previous_result_id.as_ref() == Some(id)
            && **last == items
        {
            return Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
                RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id: id.clone() },
                },
            )));
        }
        let id = self.result_id();
        // `{"kind":"full","resultId":..,"items":[..]}`, the items shared with `pulled`.
        let head = crate::raw::object_head(r#""kind":"full","resultId""#, &id, "items");
        let items = Arc::new(items);
        pulled.insert(uri, (id, items.clone()));
        // The stand-in the transport replaces by the report.
        let token = self.raw.register_pieces(vec![Arc::new(head), items, Arc::new(b"}".to_vec())]);
        Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(token),
                    items: Vec::new(),
                },
            },
        )))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let (_, found) = self.session.diagnostics(&uri).await?;
        let actions =
            self.session.read(&uri, move |snap| Ok(code_actions::code_actions(snap, &found, &params))).await?;
        Ok(Some(actions))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        // Hover never waits for the rules: it shows the findings already computed.
        let found = self.session.cached_diagnostics(&uri).map(|(_, d)| d).unwrap_or_default();
        self.session.read(&uri, move |snap| Ok(hover::hover(snap, position, &found))).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let position = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        let location = self.session.read(&uri, move |snap| Ok(navigation::definition(snap, position))).await?;
        Ok(location.map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let position = params.text_document_position.position;
        let include = params.context.include_declaration;
        let uri = params.text_document_position.text_document.uri;
        let found = self.session.read(&uri, move |snap| Ok(navigation::references(snap, position, include))).await?;
        Ok(Some(found))
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        let position = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        let found = self.session.read(&uri, move |snap| Ok(navigation::highlights(snap, position))).await?;
        Ok(Some(found))
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let position = params.position;
        self.session.read(&params.text_document.uri, move |snap| Ok(navigation::prepare_rename(snap, position))).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let position = params.text_document_position.position;
        let uri = params.text_document_position.text_document.uri;
        let new_name = params.new_name;
        self.session.read(&uri, move |snap| navigation::rename(snap, position, &new_name)).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let position = params.text_document_position.position;
        let uri = params.text_document_position.text_document.uri;
        let relaxed = std::sync::atomic::Ordering::Relaxed;
        let deferred = self.capabilities.resolve_documentation.load(relaxed).then(|| {
            let mut last = self.completion_list.lock().expect("completion list lock");
            let list = last.as_ref().map_or(1, |(n, _)| n + 1);
            *last = Some((list, uri.clone()));
            completion::Deferred { list, detail: self.capabilities.resolve_detail.load(relaxed) }
        });
        let items = self.session.read(&uri, move |snap| Ok(completion::completion(snap, position, deferred))).await?;
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn completion_resolve(&self, item: CompletionItem) -> Result<CompletionItem> {
        // Clients resolve the items of the list on screen: the last one. An item of an
        // older list, or of a document closed since, comes back as it was.
        let Some(source) = completion::DocSource::of(&item) else { return Ok(item) };
        let uri = match &*self.completion_list.lock().expect("completion list lock") {
            Some((list, uri)) if *list == source.list => uri.clone(),
            _ => return Ok(item),
        };
        let unresolved = item.clone();
        Ok(self.session.read(&uri, move |snap| Ok(completion::resolve(snap, item))).await.unwrap_or(unresolved))
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let position = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        self.session.read(&uri, move |snap| Ok(calls::signature_help(snap, position))).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let range = params.range;
        let hints =
            self.session.read(&params.text_document.uri, move |snap| Ok(calls::inlay_hints(snap, range))).await?;
        Ok(Some(hints))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let options = params.options;
        let edits =
            self.session.read(&params.text_document.uri, move |snap| Ok(formatting::document(snap, &options))).await?;
        Ok(Some(edits))
    }

    async fn range_formatting(&self, params: DocumentRangeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let (range, options) = (params.range, params.options);
        let edits = self
            .session
            .read(&params.text_document.uri, move |snap| Ok(formatting::range(snap, range, &options)))
            .await?;
        Ok(Some(edits))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let found = self.session.read(&params.text_document.uri, |snap| Ok(links::document_links(snap))).await?;
        Ok(Some(found))
    }

    async fn prepare_call_hierarchy(
        &self,
        params: CallHierarchyPrepareParams,
    ) -> Result<Option<Vec<CallHierarchyItem>>> {
        let position = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        self.session.read(&uri, move |snap| Ok(call_hierarchy::prepare(snap, position))).await
    }

    async fn incoming_calls(
        &self,
        params: CallHierarchyIncomingCallsParams,
    ) -> Result<Option<Vec<CallHierarchyIncomingCall>>> {
        let uri = params.item.uri.clone();
        let found = self.session.read(&uri, move |snap| Ok(call_hierarchy::incoming(snap, &params.item))).await?;
        Ok(Some(found))
    }

    async fn outgoing_calls(
        &self,
        params: CallHierarchyOutgoingCallsParams,
    ) -> Result<Option<Vec<CallHierarchyOutgoingCall>>> {
        let uri = params.item.uri.clone();
        let found = self.session.read(&uri, move |snap| Ok(call_hierarchy::outgoing(snap, &params.item))).await?;
        Ok(Some(found))
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let symbols = self.session.read(&params.text_document.uri, |snap| Ok(symbols::document_symbols(snap))).await?;
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let ranges = self.session.read(&params.text_document.uri, |snap| Ok(folding::folding_ranges(snap))).await?;
        Ok(Some(ranges))
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        let positions = params.positions;
        let ranges = self
            .session
            .read(&params.text_document.uri, move |snap| Ok(selection::selection_ranges(snap, &positions)))
            .await?;
        Ok(Some(ranges))
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        let (_, id, tokens) = self.token_parts(&params.text_document.uri).await?;
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: Some(id), data: tokens.encode() })))
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let (previous, id, tokens) = self.token_parts(&params.text_document.uri).await?;
        Ok(Some(match previous {
            Some((previous_id, old)) if previous_id == params.previous_result_id => {
                SemanticTokensFullDeltaResult::TokensDelta(tokens.delta(&old, id))
            }
            _ => SemanticTokensFullDeltaResult::Tokens(SemanticTokens { result_id: Some(id), data: tokens.encode() }),
        }))
    }
}

impl Backend {
    /// `bsl-assist/search`: hits from the knowledge base and the workspace's methods.
    pub async fn search_request(&self, params: search::SearchParams) -> Result<Vec<bsl_knowledge::Hit>> {
        let index = self.search_index().await?;
        tokio::task::spawn_blocking(move || search::search(&index, &params))
            .await
            .map_err(|e| crate::session::internal_error(e.to_string()))?
            .map_err(crate::session::invalid_params)
    }

    /// The knowledge and code search index, opened (or built) on first use with the
    /// user's knowledge folders beside ours.
    async fn search_index(&self) -> Result<Arc<bsl_knowledge::SearchIndex>> {
        let workspace = self.session.workspace.clone();
        let roots = self.session.roots.lock().expect("roots lock").clone();
        let folders = self.settings.read().expect("settings lock").knowledge.folders.clone();
        let client = self.client.clone();
        self.search_index
            .get_or_init(|| async move {
                let opened = tokio::task::spawn_blocking(move || search::open(&workspace, &roots, &folders))
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
                match opened {
                    Ok((index, warnings)) => {
                        for warning in warnings {
                            client.show_message(MessageType::WARNING, warning).await;
                        }
                        Ok(index)
                    }
                    Err(e) => Err(e),
                }
            })
            .await
            .clone()
            .map_err(crate::session::internal_error)
    }

    /// `bsl-assist/stats`: per-method counts and latencies, the index's size, the model
    /// client's token use per role and the risk model's quality.
    pub async fn stats_request(&self) -> Result<serde_json::Value> {
        let index = self.session.workspace.index();
        let (modules, methods) = (index.module_count(), index.modules().map(|m| m.methods.len()).sum::<usize>());
        drop(index);
        let llm = self.llm.read().expect("llm lock").clone();
        let risk = self.session.workspace.risk();
        Ok(serde_json::json!({
            "uptimeSeconds": self.metrics.uptime().as_secs_f64(),
            "requests": self.metrics.json(),
            "index": { "modules": modules, "methods": methods, "ready": self.session.workspace.is_ready() },
            "openDocuments": self.session.open_documents().len(),
            "llm": {
                "state": self.llm_state(),
                "usage": llm.map(|c| serde_json::to_value(c.usage()).unwrap_or_default()),
            },
            "risk": risk.map(|r| serde_json::json!({
                "heuristic": r.is_heuristic(),
                "auc": r.evaluation().auc,
                "precisionAtK": r.evaluation().precision_at_k,
                "heuristicAuc": r.evaluation().heuristic_auc,
                "methods": r.ranking().len(),
            })),
        }))
    }

    /// Asks the client to tell us when module and metadata files change on disk.
    async fn watch_files(&self) {
        if !self.watch_supported.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let watchers = ["**/*.bsl", "**/*.os", "**/*.xml", "**/*.mdo", "**/lib.config"]
            .into_iter()
            .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.into()), kind: None })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "bsl-assist-watch".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(error) = self.client.register_capability(vec![registration]).await {
            self.client.log_message(MessageType::WARNING, format!("cannot watch files: {error}")).await;
        }
    }

    /// Indexes the workspace folders in the background, reporting `$/progress` when the
    /// client supports it. Requests for open files are answered meanwhile.
    async fn index_workspace(&self) {
        let roots = self.session.roots.lock().expect("roots lock").clone();
        let token = ProgressToken::String("bsl-assist/indexing".into());
        let progress = if self.progress_supported.load(std::sync::atomic::Ordering::Relaxed)
            && self.client.create_work_done_progress(token.clone()).await.is_ok()
        {
            Some(self.client.progress(token, "Индексация bsl-assist").with_percentage(0).begin().await)
        } else {
            None
        };
        let (sender, mut receiver) = tokio::sync::watch::channel((0usize, 0usize));
        let session = self.session.clone();
        let client = self.client.clone();
        let status = self.status_source();
        let retrain = self.settings.read().expect("settings lock").risk.retrain_minutes;
        let refresh = self.capabilities.refreshes_diagnostics();
        *status.indexing.lock().expect("indexing lock") = Some((0, 0));
        status.send().await;
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let open = session.open_files();
            let workspace = session.workspace.clone();
            let load = tokio::task::spawn_blocking(move || {
                workspace.load(&roots, &open, |done, total| {
                    let _ = sender.send((done, total));
                })
            });
            tokio::pin!(load);
            let mut last = 0;
            loop {
                tokio::select! {
                    _ = &mut load => break,
                    changed = receiver.changed() => {
                        if changed.is_err() {
                            // The loader dropped its sender: it is done.
                            let _ = (&mut load).await;
                            break;
                        }
                        let (done, total) = *receiver.borrow_and_update();
                        let percent = (done * 100).checked_div(total).unwrap_or(0) as u32;
                        if percent > last {
                            last = percent;
                            if let Some(progress) = &progress {
                                progress.report_with_message(format!("{done}/{total}"), percent).await;
                            }
                            *status.indexing.lock().expect("indexing lock") = Some((done, total));
                            status.send().await;
                        }
                    }
                }
            }
            // A broken metadata file is a diagnostic on that file, not a dead index.
            for (uri, items) in session.workspace.metadata_diagnostics() {
                client.publish_diagnostics(uri, items, None).await;
            }
            *status.indexing.lock().expect("indexing lock") = None;
            status.send().await;
            let modules = session.workspace.index().module_count();
            let message = format!("{modules} modules indexed in {:.1} s", started.elapsed().as_secs_f64());
            if let Some(progress) = progress {
                progress.finish_with_message(message.clone()).await;
            }
            client.log_message(MessageType::INFO, message).await;
            // Layering and other cross-module hints of open documents may have changed.
            if refresh {
                let _ = client.workspace_diagnostic_refresh().await;
            }
            // Then the risk model of the repository's history, never blocking requests,
            // retrained in the background when new commits arrive.
            let first_root = session.roots.lock().expect("roots lock").first().cloned();
            if let Some(root) = first_root {
                let workspace = session.workspace.clone();
                let first = root.clone();
                let loaded = tokio::task::spawn_blocking(move || workspace.load_risk(&first)).await;
                let message = match loaded {
                    Ok(Ok(())) => "risk model ready".to_string(),
                    Ok(Err(why)) => why,
                    Err(e) => e.to_string(),
                };
                client.log_message(MessageType::INFO, message).await;
                if refresh {
                    let _ = client.workspace_diagnostic_refresh().await;
                }
                if retrain > 0.0 && root.join(".git").exists() {
                    let period = Duration::from_secs_f64((retrain * 60.0).max(1.0));
                    let workspace = session.workspace.clone();
                    tokio::spawn(async move {
                        loop {
                            tokio::time::sleep(period).await;
                            let (w, r) = (workspace.clone(), root.clone());
                            if let Ok(Ok(true)) = tokio::task::spawn_blocking(move || w.refresh_risk(&r)).await {
                                client.log_message(MessageType::INFO, "risk model retrained on new commits").await;
                                if refresh {
                                    let _ = client.workspace_diagnostic_refresh().await;
                                }
                            }
                        }
                    });
                }
            }
        });
    }

    /// Reads settings sent by the client (`initializationOptions` or
    /// `workspace/didChangeConfiguration`); a bad setting is reported and ignored.
    async fn apply_settings(&self, settings: &serde_json::Value) {
        match config::from_settings(settings) {
            Ok(Some(config)) => {
                *self.rules_config.write().expect("config lock") = Arc::new(config.clone());
                self.session.set_config(config);
                for uri in self.session.open_documents() {
                    if let Some(version) = self.session.version(&uri) {
                        self.schedule_diagnostics(uri, version, Duration::ZERO);
                    }
                }
            }
            Ok(None) => {}
            Err(message) => self.client.show_message(MessageType::WARNING, message).await,
        }
        match Settings::from_client(settings) {
            Ok(parsed) => {
                let llm = match parsed.llm_settings(&crate::settings::cache_dir()) {
                    None => None,
                    Some(llm_settings) => match bsl_assistant::llm::LlmClient::new(llm_settings) {
                        Ok(client) => Some(Arc::new(client)),
                        Err(e) => {
                            self.client.show_message(MessageType::WARNING, format!("bsl-assist LLM: {e}")).await;
                            None
                        }
                    },
                };
                *self.llm.write().expect("llm lock") = llm;
                *self.settings.write().expect("settings lock") = parsed;
            }
            Err(message) => self.client.show_message(MessageType::WARNING, message).await,
        }
        self.send_status().await;
    }
}
