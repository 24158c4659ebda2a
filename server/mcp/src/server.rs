//! The protocol: one JSON-RPC message in, at most one out. `initialize` (with version
//! negotiation), `ping`, `tools/list`, `tools/call`, `resources/list`, `resources/read`,
//! `resources/templates/list`; notifications are accepted silently. Malformed messages,
//! unknown methods, unknown tools and arguments that do not fit a tool's schema are JSON-RPC
//! errors; a tool that runs but cannot answer gives a result with `isError: true`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Instant;

use bsl_knowledge::KnowledgeBase;
use serde_json::{Value, json};

use crate::metrics::{Gauges, Metrics};
use crate::schema;
use crate::tools::{self, Context};
use crate::workspace::Workspace;

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;
/// MCP's code for a resource that does not exist.
pub const RESOURCE_NOT_FOUND: i64 = -32002;

/// Protocol revisions this server speaks through the `initialize` handshake, newest first.
pub const PROTOCOL_VERSIONS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

/// One MCP server: the workspace and the metrics, shared by every connection.
#[derive(Clone)]
pub struct Server {
    pub workspace: Arc<Workspace>,
    pub metrics: Arc<Metrics>,
}

/// Figures about the workspace for metrics, without waiting for anything.
pub fn gauges(workspace: &Workspace) -> Gauges {
    let loaded = workspace.loaded_if_ready();
    Gauges {
        modules: loaded.map(|l| l.index.module_count()),
        metadata_objects: loaded.map(|l| l.index.object_counts().iter().map(|(_, n)| n).sum()),
        load_seconds: loaded.map(|l| l.seconds),
        search_documents: workspace
            .search_if_ready()
            .and_then(|s| s.stats().ok())
            .map(|s| s.knowledge_docs + s.code_docs),
    }
}

/// A JSON-RPC error answer.
pub fn error_response(id: Value, code: i64, message: impl Into<String>) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into()}})
}

struct Failure {
    code: i64,
    message: String,
}

fn failure(code: i64, message: impl Into<String>) -> Failure {
    Failure { code, message: message.into() }
}

impl Server {
    pub fn new(workspace: Workspace) -> Self {
        Server { workspace: Arc::new(workspace), metrics: Arc::new(Metrics::default()) }
    }

    /// Starts loading the workspace on a background thread.
    pub fn preload(&self) {
        let workspace = self.workspace.clone();
        std::thread::spawn(move || {
            workspace.loaded();
        });
    }

    /// The metrics as Prometheus text.
    pub fn prometheus(&self) -> String {
        self.metrics.prometheus(gauges(&self.workspace))
    }

    /// Answers one parsed message; `None` for notifications and responses.
    pub fn handle(&self, message: &Value) -> Option<Value> {
        let started = Instant::now();
        let Some(object) = message.as_object() else {
            self.metrics.protocol_error(INVALID_REQUEST);
            return Some(error_response(Value::Null, INVALID_REQUEST, "a JSON-RPC message must be an object"));
        };
        let id = object.get("id").cloned();
        let Some(method) = object.get("method").and_then(Value::as_str) else {
            if object.contains_key("result") || object.contains_key("error") {
                // A response to a request of ours; we send none, so there is nothing to match.
                return None;
            }
            self.metrics.protocol_error(INVALID_REQUEST);
            return Some(error_response(id.unwrap_or(Value::Null), INVALID_REQUEST, "no `method` in the request"));
        };
        if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
            self.metrics.protocol_error(INVALID_REQUEST);
            return id.map(|id| error_response(id, INVALID_REQUEST, "`jsonrpc` must be \"2.0\""));
        }
        let params = object.get("params").cloned().unwrap_or(Value::Null);
        let Some(id) = id else {
            tracing::debug!(method, "notification");
            self.metrics.request(method, started.elapsed());
            return None;
        };
        if !(id.is_string() || id.is_i64() || id.is_u64()) {
            self.metrics.protocol_error(INVALID_REQUEST);
            return Some(error_response(Value::Null, INVALID_REQUEST, "`id` must be a string or an integer"));
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| self.dispatch(method, &params))).unwrap_or_else(|panic| {
            let what = panic_message(&panic);
            tracing::error!(method, panic = what, "request handler panicked");
            Err(failure(INTERNAL_ERROR, format!("internal error while answering `{method}`: {what}")))
        });
        self.metrics.request(method, started.elapsed());
        Some(match outcome {
            Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
            Err(Failure { code, message }) => {
                tracing::info!(method, code, "request refused");
                self.metrics.protocol_error(code);
                error_response(id, code, message)
            }
        })
    }

    fn dispatch(&self, method: &str, params: &Value) -> Result<Value, Failure> {
        if !(params.is_object() || params.is_null()) {
            return Err(failure(INVALID_PARAMS, "`params` must be an object"));
        }
        match method {
            "initialize" => Ok(self.initialize(params)),
            "ping" => Ok(json!({})),
            "tools/list" => Ok(json!({"tools": tools::all().iter().map(tool_json).collect::<Vec<_>>()})),
            "tools/call" => self.call_tool(params),
            "resources/list" => Ok(json!({"resources": resources()})),
            "resources/templates/list" => Ok(json!({"resourceTemplates": []})),
            "resources/read" => read_resource(params),
            _ => Err(failure(
                METHOD_NOT_FOUND,
                format!("method `{method}` is not supported (this server offers tools, resources and ping)"),
            )),
        }
    }

    fn initialize(&self, params: &Value) -> Value {
        let requested = params.get("protocolVersion").and_then(Value::as_str).unwrap_or_default();
        let version = PROTOCOL_VERSIONS.iter().find(|v| **v == requested).copied().unwrap_or(PROTOCOL_VERSIONS[0]);
        let client = params.pointer("/clientInfo/name").and_then(Value::as_str).unwrap_or("?");
        tracing::info!(client, requested, version, "initialize");
        json!({
            "protocolVersion": version,
            "capabilities": {"tools": {"listChanged": false}, "resources": {"listChanged": false, "subscribe": false}},
            "serverInfo": {"name": "bsl-assist", "title": "bsl-assist for 1C:Enterprise (BSL) and OneScript", "version": env!("CARGO_PKG_VERSION")},
            "instructions": format!(
                "Tools over the 1C:Enterprise (BSL) / OneScript workspace {}. Paths are relative to it; lines and columns are one-based. Rule documentation: bsl-assist://rules/<Code>; development standards: bsl-assist://standards/<key>.",
                self.workspace.root().display()
            ),
        })
    }

    fn call_tool(&self, params: &Value) -> Result<Value, Failure> {
        let Some(name) = params.get("name").and_then(Value::as_str) else {
            return Err(failure(INVALID_PARAMS, "tools/call needs `name`, the tool to call (see tools/list)"));
        };
        let Some(tool) = tools::find(name) else {
            let names: Vec<&str> = tools::all().iter().map(|t| t.name).collect();
            return Err(failure(INVALID_PARAMS, format!("unknown tool `{name}`; the tools are {}", names.join(", "))));
        };
        let arguments = match params.get("arguments") {
            None | Some(Value::Null) => json!({}),
            Some(arguments) => arguments.clone(),
        };
        if let Err(problem) = schema::validate(&(tool.schema)(), &arguments) {
            return Err(failure(INVALID_PARAMS, format!("tool `{name}`: {problem}")));
        }
        let started = Instant::now();
        let context = Context { workspace: &self.workspace, metrics: &self.metrics };
        let outcome = catch_unwind(AssertUnwindSafe(|| (tool.run)(&context, &arguments))).unwrap_or_else(|panic| {
            let what = panic_message(&panic);
            tracing::error!(tool = name, panic = what, "tool panicked");
            Err(format!("internal error in `{name}` ({what}); the call may succeed on another module or position"))
        });
        let took = started.elapsed();
        self.metrics.tool(name, outcome.is_err(), took);
        tracing::info!(tool = name, ok = outcome.is_ok(), ms = took.as_secs_f64() * 1000.0, "tool call");
        tracing::debug!(tool = name, %arguments, "tool arguments");
        Ok(match outcome {
            Ok(structured) => json!({
                "content": [{"type": "text", "text": serde_json::to_string_pretty(&structured).unwrap_or_default()}],
                "structuredContent": structured,
                "isError": false,
            }),
            Err(message) => json!({"content": [{"type": "text", "text": message}], "isError": true}),
        })
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

fn tool_json(tool: &tools::Tool) -> Value {
    json!({
        "name": tool.name,
        "title": tool.title,
        "description": tool.description,
        "inputSchema": (tool.schema)(),
        "annotations": {"title": tool.title, "readOnlyHint": tool.read_only, "openWorldHint": false},
    })
}

const RULES_PREFIX: &str = "bsl-assist://rules/";
const STANDARDS_PREFIX: &str = "bsl-assist://standards/";

fn resources() -> Vec<Value> {
    let mut out = Vec::new();
    for rule in bsl_analysis::catalog() {
        let meta = rule.rule.meta();
        out.push(json!({
            "uri": format!("{RULES_PREFIX}{}", meta.code),
            "name": format!("rule {}", meta.code),
            "title": format!("{} / {}", meta.name_en, meta.name_ru),
            "description": format!("Documentation of the rule {} ({}, {})", meta.code, meta.rule_type.name(), meta.severity.name()),
            "mimeType": "text/markdown",
        }));
    }
    for standard in KnowledgeBase::embedded().standards() {
        out.push(json!({
            "uri": format!("{STANDARDS_PREFIX}{}", standard.key()),
            "name": format!("standard {}", standard.key()),
            "title": standard.title,
            "description": standard.summary,
            "mimeType": "text/markdown",
        }));
    }
    out
}

fn read_resource(params: &Value) -> Result<Value, Failure> {
    let Some(uri) = params.get("uri").and_then(Value::as_str) else {
        return Err(failure(INVALID_PARAMS, "resources/read needs `uri` (see resources/list)"));
    };
    let text = if let Some(code) = uri.strip_prefix(RULES_PREFIX) {
        bsl_analysis::rules::find_rule(code).map(|rule| {
            let meta = rule.rule.meta();
            let mut text = format!(
                "# {} — {} / {}\n\nType: {}; severity: {}; on by default: {}; minutes to fix: {}\n\n{}\n",
                meta.code,
                meta.name_en,
                meta.name_ru,
                meta.rule_type.name(),
                meta.severity.name(),
                meta.enabled_by_default,
                meta.minutes_to_fix,
                rule.doc.trim()
            );
            for standard in KnowledgeBase::embedded().standards_for_rule(meta.code) {
                text.push_str(&format!("\nStandard: {STANDARDS_PREFIX}{} ({})\n", standard.key(), standard.title));
            }
            text
        })
    } else if let Some(key) = uri.strip_prefix(STANDARDS_PREFIX) {
        KnowledgeBase::embedded().standard_by_key(key).map(|s| {
            let mut text = format!(
                "# {} {}\n\n{}\n\n{}\n\n{}\n\n## Нарушение\n\n```bsl\n{}\n```\n\n## Правильно\n\n```bsl\n{}\n```\n",
                s.number,
                s.title,
                s.url(),
                s.summary.trim(),
                s.reason.trim(),
                s.bad.trim_end(),
                s.good.trim_end()
            );
            if !s.rules.is_empty() {
                let rules: Vec<String> = s.rules.iter().map(|r| format!("{RULES_PREFIX}{r}")).collect();
                text.push_str(&format!("\nRules: {}\n", rules.join(", ")));
            }
            text
        })
    } else {
        None
    };
    match text {
        Some(text) => Ok(json!({"contents": [{"uri": uri, "mimeType": "text/markdown", "text": text}]})),
        None => Err(failure(
            RESOURCE_NOT_FOUND,
            format!(
                "no resource `{uri}`; resources/list gives the rules (bsl-assist://rules/<Code>) and standards (bsl-assist://standards/<key>)"
            ),
        )),
    }
}
