//! The assistants' commands (`workspace/executeCommand`): explain a method, generate tests
//! into the tests project, add a doc comment, review a module, draw dependencies (between
//! modules, or between subsystems with `{"level": "subsystem"}`), report on the workspace,
//! answer a question, and show the LLM audit log. Every command gives a
//! deterministic result; when the user has enabled an LLM, explain, review and chat ask the
//! model too and fall back to the deterministic result (with the reason) when it fails.
//! Edits go through `workspace/applyEdit`, so the editor applies them (with undo); when the
//! client cannot apply edits, the edit is returned for the client to apply.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bsl_assistant::roles::test_placement::{self, Layout};
use bsl_assistant::roles::{architect, developer, report, reviewer, subsystems, tester};
use bsl_knowledge::KnowledgeBase;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::Backend;
use crate::handlers::assistants::{self as assist_handlers, EXPLAIN, GENERATE_TESTS, REVIEW};
use crate::session::{Snapshot, invalid_params};
use crate::{convert, settings};

pub const ADD_DOC_COMMENT: &str = "bsl-assist.addDocComment";
pub const DIAGRAM: &str = "bsl-assist.diagram";
pub const REPORT: &str = "bsl-assist.report";
pub const CHAT: &str = "bsl-assist.chat";
pub const AUDIT_LOG: &str = "bsl-assist.auditLog";
/// The source of the reviewer's diagnostics, apart from the rules' own.
pub const REVIEW_SOURCE: &str = "bsl-assist-review";
pub const ANALYZE_REQUIREMENTS: &str = "bsl-assist.analyzeRequirements";
pub const GENERATE_METHOD: &str = "bsl-assist.generateMethod";
pub const ESTIMATE: &str = "bsl-assist.estimate";
/// The name for the diagram command; both are served.
pub const GENERATE_DIAGRAM: &str = "bsl-assist.generateDiagram";

/// Every command the server executes.
pub fn all() -> Vec<String> {
    [
        EXPLAIN,
        GENERATE_TESTS,
        ADD_DOC_COMMENT,
        REVIEW,
        DIAGRAM,
        GENERATE_DIAGRAM,
        REPORT,
        CHAT,
        ANALYZE_REQUIREMENTS,
        GENERATE_METHOD,
        ESTIMATE,
        AUDIT_LOG,
    ]
    .map(String::from)
    .to_vec()
}

fn arg_str<'a>(args: &'a [Value], i: usize, what: &str) -> Result<&'a str> {
    args.get(i).and_then(Value::as_str).ok_or_else(|| invalid_params(format!("argument {} must be {what}", i + 1)))
}

fn arg_uri(args: &[Value], i: usize) -> Result<Uri> {
    arg_str(args, i, "a document URI")?.parse().map_err(|_| invalid_params(format!("argument {} is not a URI", i + 1)))
}

/// The method named `name` in the snapshot's module (case-insensitive, either alphabet).
fn method_index(snap: &Snapshot, name: &str) -> std::result::Result<usize, String> {
    snap.parse
        .module()
        .methods
        .iter()
        .position(|m| bsl_syntax::keywords::eq_ignore_case(&m.name, name))
        .ok_or_else(|| format!("there is no method `{name}` in {}", snap.uri.as_str()))
}

impl Backend {
    pub(super) async fn run_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        let args = params.arguments;
        let value = match params.command.as_str() {
            EXPLAIN => self.explain(arg_uri(&args, 0)?, arg_str(&args, 1, "a method name")?.to_string()).await?,
            GENERATE_TESTS => {
                let method = args.get(1).and_then(Value::as_str).unwrap_or("").to_string();
                self.generate_tests(arg_uri(&args, 0)?, method).await?
            }
            ADD_DOC_COMMENT => {
                self.add_doc_comment(arg_uri(&args, 0)?, arg_str(&args, 1, "a method name")?.to_string()).await?
            }
            REVIEW => {
                let method = args.get(1).and_then(Value::as_str).filter(|m| !m.is_empty()).map(str::to_string);
                self.review(arg_uri(&args, 0)?, method).await?
            }
            DIAGRAM | GENERATE_DIAGRAM => match args.first() {
                // `{"level": "subsystem", "depth"?, "subsystem"?, "outside"?, "limit"?}` or
                // `{"level"?: "module", "uri"?}`.
                Some(Value::Object(options)) => {
                    let options = Value::Object(options.clone());
                    match options.get("level").and_then(Value::as_str).unwrap_or("module") {
                        "subsystem" => {
                            let options = subsystems::SubsystemOptions::from_json(&options).map_err(invalid_params)?;
                            self.subsystem_diagram(options).await?
                        }
                        "module" => {
                            let uri = match options.get("uri") {
                                Some(Value::String(uri)) => Some(
                                    uri.parse().map_err(|_| invalid_params(format!("`uri` is not a URI: {uri}")))?,
                                ),
                                _ => None,
                            };
                            self.diagram(uri).await?
                        }
                        other => {
                            return Err(invalid_params(format!(
                                "`level` must be \"module\" or \"subsystem\", got \"{other}\""
                            )));
                        }
                    }
                }
                Some(Value::String(_)) => self.diagram(Some(arg_uri(&args, 0)?)).await?,
                _ => self.diagram(None).await?,
            },
            REPORT => self.report().await?,
            CHAT => {
                let request = args.first().cloned().unwrap_or(Value::Null);
                let question = request
                    .get("question")
                    .and_then(Value::as_str)
                    .or_else(|| request.as_str())
                    .filter(|q| !q.trim().is_empty())
                    .ok_or_else(|| invalid_params("expected [{\"question\": \"...\", \"uri\"?: ..., \"line\"?: n}]"))?
                    .to_string();
                let uri = request.get("uri").and_then(Value::as_str).and_then(|u| u.parse::<Uri>().ok());
                let line = request.get("line").and_then(Value::as_u64).map(|l| l as u32);
                let role = request.get("role").and_then(Value::as_str).unwrap_or("chat").to_string();
                self.converse(&role, question, uri, line).await?
            }
            AUDIT_LOG => json!({ "path": settings::audit_log_path(&settings::cache_dir()) }),
            GENERATE_METHOD => {
                let line = args
                    .get(1)
                    .and_then(Value::as_u64)
                    .ok_or_else(|| invalid_params("argument 2 must be the comment's line"))?;
                self.generate_method(arg_uri(&args, 0)?, line as u32).await?
            }
            ESTIMATE => {
                let line = |i: usize| args.get(i).and_then(Value::as_u64).map(|l| l as u32);
                let (first, last) = (line(1).unwrap_or(0), line(2).or(line(1)).unwrap_or(u32::MAX));
                self.estimate(arg_uri(&args, 0)?, first..last).await?
            }
            ANALYZE_REQUIREMENTS => {
                let text = arg_str(&args, 0, "the requirements text")?.to_string();
                self.converse("analyst", text, None, None).await?
            }
            other => return Err(invalid_params(format!("unknown command `{other}`"))),
        };
        Ok(Some(value))
    }

    /// Asks the model when one is enabled; `Err(reason)` when there is none or it failed.
    async fn ask_llm(&self, role: &str, task: &str, values: &[(&str, &str)]) -> std::result::Result<String, String> {
        self.ask_llm_with(role, task, values, &[]).await
    }

    /// [`Self::ask_llm`] after earlier turns of a conversation.
    pub(super) async fn ask_llm_with(
        &self,
        role: &str,
        task: &str,
        values: &[(&str, &str)],
        history: &[bsl_assistant::llm::Message],
    ) -> std::result::Result<String, String> {
        let Some(client) = self.llm.read().expect("llm lock").clone() else {
            return Err("no LLM is enabled".into());
        };
        let prompt = KnowledgeBase::embedded()
            .prompt(role, task)
            .ok_or_else(|| format!("the prompt {role}/{task} is missing"))?
            .render(values)
            .map_err(|e| e.to_string())?;
        let mut messages = history.to_vec();
        messages.push(bsl_assistant::llm::Message::user(prompt));
        let answer = client.chat(role, &messages).await.map_err(|e| e.to_string())?;
        self.send_status().await;
        Ok(answer.content)
    }

    pub(super) fn language(&self) -> &'static str {
        let config = self.rules_config.read().expect("config lock");
        if config.language == bsl_analysis::rules::Language::En { "English" } else { "Russian" }
    }

    async fn explain(&self, uri: Uri, method: String) -> Result<Value> {
        let (facts, code) = self
            .session
            .read(&uri, move |snap| {
                let index = method_index(snap, &method).map_err(invalid_params)?;
                let m = &snap.parse.module().methods[index];
                Ok((developer::explain_method(&snap.parse, index), snap.parse.text()[m.range.clone()].to_string()))
            })
            .await?;
        let language = self.language();
        match self
            .ask_llm("developer", "explain", &[("code", &code), ("context", &facts), ("language", language)])
            .await
        {
            Ok(answer) => Ok(json!({ "markdown": format!("{}\n\n---\n{facts}", answer.trim()), "llm": true })),
            Err(why) => Ok(json!({ "markdown": facts, "llm": false, "llmNote": why })),
        }
    }

    async fn add_doc_comment(&self, uri: Uri, method: String) -> Result<Value> {
        let found = self
            .session
            .read(&uri, move |snap| {
                let index = method_index(snap, &method).map_err(invalid_params)?;
                let m = &snap.parse.module().methods[index];
                let header_end =
                    snap.parse.text()[m.range.clone()].find('\n').map_or(m.range.end, |i| m.range.start + i);
                let header = snap.parse.text()[m.range.start..header_end].to_string();
                let code = snap.parse.text()[m.range.clone()].to_string();
                Ok(assist_handlers::doc_comment_edit(snap, index).map(|edit| (edit, header, code)))
            })
            .await?;
        let Some((mut edit, header, code)) = found else {
            return Ok(json!({ "applied": false, "reason": "the method already has a description" }));
        };
        // With a model, its comment replaces ours when it keeps the standard's shape: only
        // comment lines, the same sections.
        let mut note = None;
        let ours =
            edit.changes.as_ref().and_then(|c| c.values().next()).and_then(|e| e.first()).map(|e| e.new_text.clone());
        if let Some(ours) = ours {
            let language = self.language();
            match self
                .ask_llm("developer", "doc_comment", &[("code", &code), ("context", &ours), ("language", language)])
                .await
            {
                Ok(answer) => match model_comment(&answer, &ours, &header) {
                    Some(theirs) => {
                        if let Some(e) =
                            edit.changes.as_mut().and_then(|c| c.values_mut().next()).and_then(|e| e.first_mut())
                        {
                            e.new_text = theirs;
                        }
                    }
                    None => {
                        note = Some("the model's comment did not keep the standard's sections; kept ours".to_string())
                    }
                },
                Err(why) => note = Some(why),
            }
        }
        let mut result = self.apply_or_return(edit, "Добавить описание метода").await?;
        result["llmNote"] = json!(note);
        Ok(result)
    }

    /// The project manager's estimate of changing the methods on lines `lines` (0-based,
    /// inclusive; the whole module when no lines are given).
    async fn estimate(&self, uri: Uri, lines: std::ops::Range<u32>) -> Result<Value> {
        self.session
            .read(&uri, move |snap| {
                let path = snap.path().unwrap_or_default();
                let index = snap.workspace.index();
                let estimate = bsl_assistant::roles::estimate::estimate(&snap.parse, &path, &index, lines);
                Ok(json!({ "markdown": estimate.markdown(), "hours": estimate.hours, "low": estimate.low, "high": estimate.high, "methods": estimate.methods }))
            })
            .await
    }

    /// Generates the method a description comment describes: our skeleton, or with a model
    /// its implementation when it parses and declares one method.
    async fn generate_method(&self, uri: Uri, line: u32) -> Result<Value> {
        let (edit, request, skeleton, kind) = self
            .session
            .read(&uri, move |snap| {
                let offset = convert::offset(&snap.parse, Position { line, character: 0 });
                let refactoring = bsl_assistant::roles::refactor::method_from_description(&snap.parse, offset)
                    .map_err(invalid_params)?;
                let edit = refactoring.edits.first().cloned().ok_or_else(|| invalid_params("nothing to generate"))?;
                let start = snap.parse.text()[..edit.range.start].rfind("\n\n").map_or(0, |i| i + 2);
                let request = snap.parse.text()[start..edit.range.start].to_string();
                let range = convert::range(&snap.parse, edit.range.clone());
                Ok((range, request, edit.new_text, format!("{:?} module", snap.kind)))
            })
            .await?;
        let language = self.language();
        let values = [
            ("request", request.as_str()),
            ("module_kind", kind.as_str()),
            ("context", skeleton.as_str()),
            ("language", language),
        ];
        let (text, note) = match self.ask_llm("developer", "generate", &values).await {
            Ok(answer) => {
                let code = tester::strip_fences(&answer);
                let parsed = bsl_syntax::Parse::new(&code);
                if parsed.errors().is_empty() && parsed.module().methods.len() == 1 {
                    let leading = if skeleton.starts_with('\n') { "\n" } else { "" };
                    (format!("{leading}{code}"), None)
                } else {
                    (skeleton, Some("the model's method did not parse as one method; kept the skeleton".to_string()))
                }
            }
            Err(why) => (skeleton, Some(why)),
        };
        let mut changes = std::collections::HashMap::new();
        changes.insert(uri, vec![TextEdit { range: edit, new_text: text }]);
        let workspace_edit = WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() };
        let mut result = self.apply_or_return(workspace_edit, "Создать метод по описанию").await?;
        result["llmNote"] = json!(note);
        Ok(result)
    }

    /// Applies an edit through the client, or returns it when the client cannot apply edits.
    async fn apply_or_return(&self, edit: WorkspaceEdit, label: &str) -> Result<Value> {
        if !self.capabilities.apply_edit.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(json!({ "applied": false, "edit": edit }));
        }
        let params = ApplyWorkspaceEditParams { label: Some(label.to_string()), edit: edit.clone() };
        match self.client.send_request::<request::ApplyWorkspaceEdit>(params).await {
            Ok(response) => Ok(json!({ "applied": response.applied, "reason": response.failure_reason })),
            Err(e) => Ok(json!({ "applied": false, "reason": e.to_string(), "edit": edit })),
        }
    }

    async fn generate_tests(&self, uri: Uri, method: String) -> Result<Value> {
        let (text, module_name, parse, indexes) = self
            .session
            .read(&uri, move |snap| {
                let name = assist_handlers::module_name(snap);
                let module = snap.parse.module();
                let indexes: Vec<usize> = if method.is_empty() {
                    tester::exported_indexes(&module)
                } else {
                    vec![method_index(snap, &method).map_err(invalid_params)?]
                };
                if indexes.is_empty() {
                    return Err(invalid_params("the module has no exported methods to test"));
                }
                Ok((tester::yaxunit_tests(&snap.parse, &name, &indexes), name, snap.parse.clone(), indexes))
            })
            .await?;
        // With a model, the bodies are completed and checked against the real YAxUnit API.
        let client = self.llm.read().expect("llm lock").clone();
        let (text, llm_note) = match client {
            Some(client) => {
                let done =
                    tester::complete_with_llm(&client, &parse, &module_name, &indexes, KnowledgeBase::embedded()).await;
                (done.text, done.note)
            }
            None => (text, None),
        };
        let test_name = tester::test_module_name(&module_name);
        let suggested = format!("{test_name}.bsl");
        let folder = self.tests_folder();
        let Some((root, layout)) = folder else {
            return Ok(json!({ "text": text, "suggestedName": suggested, "applied": false, "llmNote": llm_note }));
        };
        let module_path = layout.module_path(&root, &test_name);
        let edit = tests_edit(
            &root,
            layout,
            &test_name,
            &module_path,
            &text,
            self.session.open_files().into_iter().find(|(p, _)| p == &module_path).map(|(_, parse)| parse),
        );
        let Some(module_uri) = Uri::from_file_path(&module_path) else {
            return Ok(json!({ "text": text, "suggestedName": suggested, "applied": false }));
        };
        let Some(edit) = edit else {
            return Ok(json!({
                "text": text, "suggestedName": suggested, "uri": module_uri.as_str(), "applied": true,
                "reason": "every test is already in the module",
            }));
        };
        if !self.capabilities.create_files.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(json!({
                "text": text, "suggestedName": suggested, "uri": module_uri.as_str(), "applied": false, "edit": edit,
            }));
        }
        let mut result = self.apply_or_return(edit, "Сгенерировать тесты YAxUnit").await?;
        result["text"] = json!(text);
        result["suggestedName"] = json!(suggested);
        result["uri"] = json!(module_uri.as_str());
        result["llmNote"] = json!(llm_note);
        Ok(result)
    }

    /// The tests project: the setting, else a workspace project whose folder is named like
    /// tests, else `tests` beside the first folder's configuration.
    fn tests_folder(&self) -> Option<(PathBuf, Layout)> {
        let configured = self.settings.read().expect("settings lock").tests.folder.clone();
        let roots = self.session.roots.lock().expect("roots lock").clone();
        let first = roots.first()?.clone();
        let index = self.session.workspace.index();
        let configured = PathBuf::from(configured.trim());
        // When the folder is itself the configuration's project, a tests project goes beside
        // it, not inside it.
        let base = match first.parent() {
            Some(parent) if index.projects().iter().any(|p| p.root == first) => parent.to_path_buf(),
            _ => first.clone(),
        };
        let base = if configured.as_os_str().is_empty() { base } else { first.clone() };
        let root =
            test_placement::tests_root(Some(&configured), index.projects().iter().map(|p| p.root.as_path()), &base);
        let edt = index.projects().first().is_some_and(|p| p.format == bsl_analysis::workspace::ProjectFormat::Edt);
        let layout = Layout::of_or(&root, if edt { Layout::Edt } else { Layout::Designer });
        Some((root, layout))
    }

    /// Reviews the module (or one method of it): the review as Markdown, and the findings
    /// again as diagnostics with source `bsl-assist-review`, each citing its standard, shown
    /// until the next edit.
    async fn review(&self, uri: Uri, method: Option<String>) -> Result<Value> {
        let (version, all_findings) = self.session.diagnostics(&uri).await?;
        let findings = all_findings.clone();
        let (markdown, code, listed, context, items) = self
            .session
            .read(&uri, move |snap| {
                let kb = KnowledgeBase::embedded();
                let scope = match &method {
                    Some(name) => {
                        let index = method_index(snap, name).map_err(invalid_params)?;
                        Some(snap.parse.module().methods[index].range.clone())
                    }
                    None => None,
                };
                let findings: Vec<bsl_analysis::Diagnostic> = findings
                    .iter()
                    .filter(|f| scope.as_ref().is_none_or(|r| r.contains(&f.range.start)))
                    .cloned()
                    .collect();
                let mut name = assist_handlers::module_name(snap);
                if let Some(m) = &method {
                    name = format!("{name}.{m}");
                }
                let review = reviewer::review_module(&snap.parse, &name, &findings, kb);
                let listed: String = findings
                    .iter()
                    .take(60)
                    .map(|f| {
                        let line = snap.parse.line_index().line_of(f.range.start) + 1;
                        format!("- line {line}: [{}] {}\n", f.code, f.message)
                    })
                    .collect();
                // The standards behind the findings: the model's context and the citations.
                let mut codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
                codes.sort_unstable();
                codes.dedup();
                let context: String = codes
                    .iter()
                    .filter_map(|c| kb.standards_for_rule(c).first().copied())
                    .map(|s| {
                        format!("- Standard {} \"{}\": {} {}\n", s.number, s.title, s.summary.trim(), s.reason.trim())
                    })
                    .collect();
                let items: Vec<Diagnostic> = findings
                    .iter()
                    .filter_map(|f| {
                        let standard = kb.standards_for_rule(f.code).first().copied()?;
                        let mut d = crate::handlers::diagnostics::to_lsp(&snap.parse, &snap.uri, f);
                        d.source = Some(REVIEW_SOURCE.into());
                        d.message = format!("Стандарт {} «{}»: {}", standard.number, standard.title, f.message);
                        d.code_description = Some(CodeDescription { href: standard.url().parse().ok()? });
                        Some(d)
                    })
                    .collect();
                let code = match &scope {
                    Some(r) => snap.parse.text()[r.clone()].to_string(),
                    None => snap.parse.text().to_string(),
                };
                Ok((review, code, listed, context, items))
            })
            .await?;
        let cited = items.len();
        self.reviews.lock().expect("reviews lock").insert(uri.clone(), (version, items));
        self.publish_with_reviews(uri, version, all_findings).await;
        // A whole large module does not fit a prompt: send the first part.
        let code: String = code.chars().take(24_000).collect();
        let language = self.language();
        let values = [
            ("code", code.as_str()),
            ("findings", listed.as_str()),
            ("context", context.as_str()),
            ("language", language),
        ];
        match self.ask_llm("reviewer", "review", &values).await {
            Ok(answer) => Ok(json!({
                "markdown": format!("{markdown}\n## Мнение модели\n\n{}\n", answer.trim()),
                "llm": true,
                "reviewDiagnostics": cited,
            })),
            Err(why) => Ok(json!({ "markdown": markdown, "llm": false, "llmNote": why, "reviewDiagnostics": cited })),
        }
    }

    async fn diagram(&self, uri: Option<Uri>) -> Result<Value> {
        let workspace = self.session.workspace.clone();
        let path = uri.as_ref().and_then(convert::path);
        tokio::task::spawn_blocking(move || {
            let index = workspace.index();
            let graph = architect::DependencyGraph::build(&index);
            match path {
                Some(path) => {
                    let title = index.module(&path).map(architect::display_name).unwrap_or_else(|| path.display().to_string());
                    json!({ "mermaid": architect::module_diagram(&index, &graph, &path, 15), "title": format!("Зависимости: {title}") })
                }
                None => json!({
                    "mermaid": architect::workspace_diagram(&index, &graph, 20),
                    "title": "Ядро конфигурации: модули, от которых зависят больше всего",
                }),
            }
        })
        .await
        .map_err(|e| crate::session::internal_error(e.to_string()))
    }

    /// Dependencies between subsystems (see `bsl_assistant::roles::subsystems`).
    async fn subsystem_diagram(&self, options: subsystems::SubsystemOptions) -> Result<Value> {
        let workspace = self.session.workspace.clone();
        tokio::task::spawn_blocking(move || {
            let index = workspace.index();
            let graph = architect::DependencyGraph::build(&index);
            subsystems::subsystem_diagram(&index, &graph, &options).map(|d| d.to_json())
        })
        .await
        .map_err(|e| crate::session::internal_error(e.to_string()))?
        .map_err(invalid_params)
    }

    async fn report(&self) -> Result<Value> {
        let workspace = self.session.workspace.clone();
        let config = self.rules_config.read().expect("config lock").clone();
        tokio::task::spawn_blocking(move || {
            let paths: Vec<PathBuf> = workspace.index().modules().map(|m| m.path.clone()).collect();
            let findings = report::findings_of_files(&paths, &config);
            let index = workspace.index();
            let risk = workspace.risk();
            let report = report::build(&index, Some(findings), risk.as_deref());
            json!({ "markdown": report.markdown(), "html": report.html(), "mermaid": report.mermaid, "data": report })
        })
        .await
        .map_err(|e| crate::session::internal_error(e.to_string()))
    }
}

/// The comment lines of a model's answer when they keep the shape of ours: every line a
/// `//` comment, and each section of ours (`Параметры:`, `Возвращаемое значение:`) present.
fn model_comment(answer: &str, ours: &str, header: &str) -> Option<String> {
    let code = tester::strip_fences(answer);
    let lines: Vec<&str> = code.lines().take_while(|l| l.trim_start().starts_with("//")).collect();
    if lines.is_empty() {
        return None;
    }
    for section in ["Параметры:", "Возвращаемое значение:", "Parameters:", "Returns:"] {
        if ours.contains(section) && !lines.iter().any(|l| l.contains(section)) {
            return None;
        }
    }
    let indent: String = header.chars().take_while(|c| c.is_whitespace()).collect();
    Some(lines.iter().map(|l| format!("{indent}{}\n", l.trim_start())).collect())
}

/// The edit that creates (or completes) the test module, its metadata file and its line in
/// the configuration; `None` when nothing is missing. Never replaces existing text.
fn tests_edit(
    root: &Path,
    layout: Layout,
    name: &str,
    module_path: &Path,
    generated: &str,
    open: Option<Arc<bsl_syntax::Parse>>,
) -> Option<WorkspaceEdit> {
    let mut operations: Vec<DocumentChangeOperation> = Vec::new();
    let text_edit = |uri: Uri, edits: Vec<TextEdit>| {
        DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        })
    };
    let create = |uri: Uri| {
        DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
            uri,
            options: Some(CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(true) }),
            annotation_id: None,
        }))
    };
    let module_uri = Uri::from_file_path(module_path)?;
    let existing = match open {
        Some(parse) => Some(parse.text().to_string()),
        None => std::fs::read(module_path).ok().and_then(|b| bsl_syntax::source::decode(&b).ok()),
    };
    match existing {
        Some(existing) => {
            let inserts = test_placement::merge_missing(&existing, generated);
            if inserts.is_empty() {
                return None;
            }
            let index = bsl_syntax::LineIndex::new(&existing);
            let edits = inserts
                .into_iter()
                .map(|(at, text)| {
                    let p = index.position(&existing, at, bsl_syntax::Encoding::Utf16);
                    let pos = Position { line: p.line, character: p.col };
                    TextEdit { range: Range { start: pos, end: pos }, new_text: text }
                })
                .collect();
            operations.push(text_edit(module_uri, edits));
        }
        None => {
            operations.push(create(module_uri.clone()));
            operations.push(text_edit(
                module_uri,
                vec![TextEdit { range: Range::default(), new_text: generated.to_string() }],
            ));
            let metadata = layout.metadata_path(root, name);
            if !metadata.exists() {
                let uri = Uri::from_file_path(&metadata)?;
                operations.push(create(uri.clone()));
                operations.push(text_edit(
                    uri,
                    vec![TextEdit { range: Range::default(), new_text: layout.metadata_text(name) }],
                ));
            }
            let configuration = layout.configuration_path(root);
            if let Some(text) = std::fs::read(&configuration).ok().and_then(|b| String::from_utf8(b).ok()) {
                let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
                let bom = text.len() - body.len();
                if let Some((at, insert)) = layout.configuration_insert(body, name) {
                    let index = bsl_syntax::LineIndex::new(&text);
                    let p = index.position(&text, at + bom, bsl_syntax::Encoding::Utf16);
                    let pos = Position { line: p.line, character: p.col };
                    let uri = Uri::from_file_path(&configuration)?;
                    operations.push(text_edit(
                        uri,
                        vec![TextEdit { range: Range { start: pos, end: pos }, new_text: insert }],
                    ));
                }
            }
        }
    }
    Some(WorkspaceEdit { document_changes: Some(DocumentChanges::Operations(operations)), ..WorkspaceEdit::default() })
}
