//! The tools: their strict input schemas and what they do. Each answers a JSON object (sent
//! as `structuredContent` and as text); a tool that cannot answer returns a message saying
//! what to change, which the server sends as a result with `isError: true`.
//!
//! Positions are one-based lines and columns; columns count UTF-16 code units (characters,
//! for Russian and English text), as `bsl-assist check` reports them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bsl_analysis::resolve::{self, Access, Symbol};
use bsl_analysis::rules::support::b_metrics::method_metrics;
use bsl_analysis::workspace::{MethodInfo, ModuleInfo, Target, target_at};
use bsl_knowledge::{GlobalKind, KnowledgeBase, Scope};
use bsl_syntax::keywords::eq_ignore_case;
use bsl_syntax::{Encoding, LineCol, Method, MethodKind, Parse};
use serde_json::{Value, json};

use crate::metrics::Metrics;
use crate::workspace::{Workspace, read_text};

/// What a tool needs: the workspace and, for `stats`, the metrics.
pub struct Context<'a> {
    pub workspace: &'a Workspace,
    pub metrics: &'a Metrics,
}

/// A tool as `tools/list` shows it.
pub struct Tool {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub schema: fn() -> Value,
    pub run: fn(&Context<'_>, &Value) -> Result<Value, String>,
    /// Whether the tool only reads (all but `generate_tests` with `write`).
    pub read_only: bool,
}

fn path_property(what: &str) -> Value {
    json!({"type": "string", "minLength": 1, "description": format!("{what}, relative to the workspace root (or absolute inside it)")})
}

/// `{path}`: the schema of the tools that take one module.
fn module_schema() -> Value {
    json!({
        "type": "object",
        "properties": {"path": path_property("The module (`.bsl` or `.os` file)")},
        "required": ["path"],
        "additionalProperties": false,
    })
}

fn position_schema(extra: &[(&str, Value)]) -> Value {
    let mut properties = serde_json::Map::new();
    properties.insert("path".into(), path_property("The module (`.bsl` or `.os` file)"));
    properties.insert("line".into(), json!({"type": "integer", "minimum": 1, "description": "One-based line"}));
    properties.insert(
        "column".into(),
        json!({"type": "integer", "minimum": 1, "description": "One-based column (UTF-16 code units) of any character of the name"}),
    );
    for (name, schema) in extra {
        properties.insert((*name).into(), schema.clone());
    }
    json!({"type": "object", "properties": properties, "required": ["path", "line", "column"], "additionalProperties": false})
}

/// Every tool, in the order `tools/list` gives them.
pub fn all() -> &'static [Tool] {
    &[
        Tool {
            name: "diagnostics",
            title: "Diagnostics",
            description: "Run the rules (and report syntax errors) on one BSL/OneScript module or every module under a folder of the workspace. Returns findings with one-based positions, rule codes (documented as resources bsl-assist://rules/<Code>), severities and messages.",
            schema: || {
                json!({
                    "type": "object",
                    "properties": {
                        "path": path_property("A module or a folder"),
                        "rules": {"type": "array", "items": {"type": "string", "minLength": 1}, "description": "Only report these rule codes (default: every enabled rule)"},
                        "limit": {"type": "integer", "minimum": 1, "maximum": 5000, "description": "At most this many findings (default 500)"},
                    },
                    "required": ["path"],
                    "additionalProperties": false,
                })
            },
            run: diagnostics,
            read_only: true,
        },
        Tool {
            name: "document_symbols",
            title: "Document symbols",
            description: "The outline of a module: its methods (kind, export, parameters, compilation directive, region, line range, complexity), regions and module variables.",
            schema: module_schema,
            run: document_symbols,
            read_only: true,
        },
        Tool {
            name: "definition",
            title: "Go to definition",
            description: "Where the name at a position is declared: a method, variable or parameter of the same module, or a method or module elsewhere in the workspace (common, manager, OneScript modules).",
            schema: || position_schema(&[]),
            run: definition,
            read_only: true,
        },
        Tool {
            name: "references",
            title: "Find references",
            description: "Every use of the name at a position: in its module for local names, across the workspace for exported methods.",
            schema: || {
                position_schema(&[
                    (
                        "include_declaration",
                        json!({"type": "boolean", "description": "Also list the declaration (default true)"}),
                    ),
                    (
                        "limit",
                        json!({"type": "integer", "minimum": 1, "maximum": 5000, "description": "At most this many locations (default 500)"}),
                    ),
                ])
            },
            run: references,
            read_only: true,
        },
        Tool {
            name: "hover",
            title: "Hover",
            description: "What the name at a position is: a method's signature and documentation comment (of this module, another module of the workspace or the platform), a parameter or a variable.",
            schema: || position_schema(&[]),
            run: hover,
            read_only: true,
        },
        Tool {
            name: "search",
            title: "Search knowledge and code",
            description: "Full-text search, in Russian or English, over the platform's methods and types, the development standards, the YAxUnit API and the workspace's methods. Returns ranked hits with snippets; code hits carry a path and one-based lines.",
            schema: || {
                json!({
                    "type": "object",
                    "properties": {
                        "query": {"type": "string", "minLength": 1, "description": "A question or a name (`СтрНайти`, `how to start a transaction`)"},
                        "scope": {"type": "string", "enum": ["all", "knowledge", "code"], "description": "Which documents (default all)"},
                        "limit": {"type": "integer", "minimum": 1, "maximum": 50, "description": "How many hits (default 10)"},
                    },
                    "required": ["query"],
                    "additionalProperties": false,
                })
            },
            run: search,
            read_only: true,
        },
        Tool {
            name: "workspace_report",
            title: "Workspace report",
            description: "An overview of the workspace: projects, modules by kind, metadata objects by kind, the most complex methods and the number of findings per rule.",
            schema: || {
                json!({
                    "type": "object",
                    "properties": {
                        "top": {"type": "integer", "minimum": 1, "maximum": 100, "description": "How many of the most complex methods (default 10)"},
                    },
                    "additionalProperties": false,
                })
            },
            run: workspace_report,
            read_only: true,
        },
        Tool {
            name: "explain_method",
            title: "Explain a method",
            description: "What a method does, read from its code: parameters and their likely types, what it returns, the calls, queries and transactions in it, its complexity; plus a ready doc comment in 1C's format.",
            schema: || crate::assist_tools::method_schema(&[]),
            run: crate::assist_tools::explain_method,
            read_only: true,
        },
        Tool {
            name: "generate_tests",
            title: "Generate YAxUnit tests",
            description: "A YAxUnit test module (`ОМ_<Module>`) for one method or every exported method of a module: registration in ИсполняемыеСценарии by where the method runs, arranged inputs, the call, assertions with ЮТест.ОжидаетЧто, and edge cases. Returns the text; with `write: true` it also writes the module, its metadata file and the configuration entry into the tests project, adding only missing tests to an existing module (never overwriting).",
            schema: || {
                json!({
                    "type": "object",
                    "properties": {
                        "path": {"type": "string", "minLength": 1, "description": "The module under test, relative to the workspace root"},
                        "method": {"type": "string", "minLength": 1, "description": "One method (default: every exported method)"},
                        "write": {"type": "boolean", "description": "Write the files into the tests project (default false: only return the text)"},
                        "tests_folder": {"type": "string", "minLength": 1, "description": "The tests project (EDT project or Designer extension folder) inside the workspace; default: a project named like tests, else `tests`"},
                    },
                    "required": ["path"],
                    "additionalProperties": false,
                })
            },
            run: crate::assist_tools::generate_tests,
            read_only: false,
        },
        Tool {
            name: "method_risk",
            title: "Defect risk of a method",
            description: "How likely a method is to be touched by a bug fix soon, learnt from the git history of the repository (a model trained per repository, or a churn × complexity heuristic when history is short): score, percentile and the strongest factors in words.",
            schema: || crate::assist_tools::method_schema(&[]),
            run: crate::assist_tools::method_risk,
            read_only: true,
        },
        Tool {
            name: "review_module",
            title: "Review a module",
            description: "A review of one module in Markdown: the rules' findings grouped by rule with lines and the standards behind them, the estimated time to fix, complex methods and undocumented exported methods.",
            schema: module_schema,
            run: crate::assist_tools::review_module,
            read_only: true,
        },
        Tool {
            name: "dependency_diagram",
            title: "Dependency diagram",
            description: "A Mermaid flowchart of which modules call which: around one module (its callers and callees, edge labels count call sites) or the workspace's most depended-on modules, plus the dependency cycles found; or, with level `subsystem`, which subsystems call which (nested subsystems as subgraphs, to a chosen depth or inside one subsystem), with the edges' call counts and calls from client code into server modules.",
            schema: crate::assist_tools::diagram_schema,
            run: crate::assist_tools::dependency_diagram,
            read_only: true,
        },
        Tool {
            name: "stats",
            title: "Server statistics",
            description: "This server's counters: requests per method, calls, errors and latency per tool, protocol errors, workspace size.",
            schema: || json!({"type": "object", "properties": {}, "additionalProperties": false}),
            run: stats,
            read_only: true,
        },
    ]
}

pub fn find(name: &str) -> Option<&'static Tool> {
    all().iter().find(|t| t.name == name)
}

/// A one-based position of a byte offset.
fn position(parse: &Parse, offset: usize) -> (u32, u32) {
    let at = parse.line_index().position(parse.text(), offset, Encoding::Utf16);
    (at.line + 1, at.col + 1)
}

fn range_json(parse: &Parse, range: std::ops::Range<usize>) -> Value {
    let (line, column) = position(parse, range.start);
    let (end_line, end_column) = position(parse, range.end);
    json!({"line": line, "column": column, "end_line": end_line, "end_column": end_column})
}

fn location(workspace: &Workspace, path: &Path, parse: &Parse, range: std::ops::Range<usize>) -> Value {
    let mut value = range_json(parse, range);
    value["path"] = json!(workspace.display(path));
    value
}

fn u32_arg(args: &Value, name: &str) -> u32 {
    args.get(name).and_then(Value::as_u64).map_or(0, |n| n.min(u64::from(u32::MAX)) as u32)
}

fn usize_arg(args: &Value, name: &str, default: usize) -> usize {
    args.get(name).and_then(Value::as_u64).map_or(default, |n| n as usize)
}

/// The module and the byte offset a position tool is asked about.
fn at_position(ctx: &Context<'_>, args: &Value) -> Result<(PathBuf, Parse, usize), String> {
    let given = args["path"].as_str().unwrap_or_default();
    let path = ctx.workspace.resolve(given)?;
    let (parse, _) = ctx.workspace.parse(&path)?;
    let (line, column) = (u32_arg(args, "line"), u32_arg(args, "column"));
    let lines = parse.line_index().line_count() as u32;
    if line > lines {
        return Err(format!("line {line} is past the end of `{given}`, which has {lines} lines"));
    }
    let offset = parse.line_index().offset(parse.text(), LineCol { line: line - 1, col: column - 1 }, Encoding::Utf16);
    Ok((path, parse, offset))
}

/// An actionable message for a position with nothing to answer.
fn nothing_at(parse: &Parse, offset: usize, what: &str) -> String {
    let (line, column) = position(parse, offset);
    match resolve::identifier_at(parse, offset) {
        Some(node) => format!(
            "no {what} for `{}` at {line}:{column}: it is not a name of this module nor a method or module of the workspace (a platform name or a member of a value whose type is unknown)",
            parse.node_text(node)
        ),
        None => format!(
            "no name at {line}:{column}; point at an identifier (a method, variable or parameter name): the `document_symbols` tool gives methods' lines"
        ),
    }
}

fn diagnostics(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let given = args["path"].as_str().unwrap_or_default();
    let path = ctx.workspace.resolve(given)?;
    let limit = usize_arg(args, "limit", 500);
    let only: Vec<String> = args
        .get("rules")
        .and_then(Value::as_array)
        .map(|codes| codes.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    for code in &only {
        if code != "ParseError" && bsl_analysis::rules::find_rule(code).is_none() {
            return Err(format!(
                "no rule `{code}`; the resources bsl-assist://rules/<Code> list every rule (resources/list)"
            ));
        }
    }
    let files = if path.is_dir() { modules_under(&path) } else { vec![path.clone()] };
    if files.is_empty() {
        return Err(format!("no `.bsl` or `.os` modules under `{given}`"));
    }
    let loaded = ctx.workspace.loaded();
    let mut findings = Vec::new();
    let mut total = 0usize;
    let mut skipped = Vec::new();
    for file in &files {
        let (parse, kind) = match ctx.workspace.parse(file) {
            Ok(parsed) => parsed,
            Err(error) if path.is_dir() => {
                skipped.push(error);
                continue;
            }
            Err(error) => return Err(error),
        };
        let mut found: Vec<(std::ops::Range<usize>, &str, &str, &str, String)> = parse
            .errors()
            .iter()
            .map(|e| (e.range.clone(), "ParseError", "critical", "error", e.to_string()))
            .collect();
        for d in loaded.rules.check(&parse, kind) {
            found.push((d.range, d.code, d.severity.name(), d.rule_type.name(), d.message));
        }
        for (range, code, severity, rule_type, message) in found {
            if !only.is_empty() && !only.iter().any(|c| c.eq_ignore_ascii_case(code)) {
                continue;
            }
            total += 1;
            if findings.len() < limit {
                let mut value = location(ctx.workspace, file, &parse, range);
                value["code"] = json!(code);
                value["severity"] = json!(severity);
                value["type"] = json!(rule_type);
                value["message"] = json!(message);
                findings.push(value);
            }
        }
    }
    Ok(json!({
        "files": files.len(),
        "total": total,
        "truncated": total > findings.len(),
        "findings": findings,
        "skipped": skipped,
        "configuration": loaded.config_path.as_ref().map(|p| p.display().to_string()),
        "configuration_error": ctx.workspace.config_error(),
    }))
}

/// The modules under a folder, sorted, hidden folders skipped.
fn modules_under(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("bsl") || e.eq_ignore_ascii_case("os"))
        })
        .collect();
    out.sort();
    out
}

fn kind_name(kind: MethodKind) -> &'static str {
    match kind {
        MethodKind::Function => "function",
        MethodKind::Procedure => "procedure",
    }
}

/// `Функция Имя(Знач А, Б = 1) Экспорт`.
fn signature(method: &Method) -> String {
    let keyword = match method.kind {
        MethodKind::Function => "Функция",
        MethodKind::Procedure => "Процедура",
    };
    let parameters: Vec<String> = method
        .parameters
        .iter()
        .map(|p| {
            let value = if p.by_value { "Знач " } else { "" };
            let default = p.default.as_ref().map(|d| format!(" = {d}")).unwrap_or_default();
            format!("{value}{}{default}", p.name)
        })
        .collect();
    let prefix = if method.is_async { "Асинх " } else { "" };
    let export = if method.export { " Экспорт" } else { "" };
    format!("{prefix}{keyword} {}({}){export}", method.name, parameters.join(", "))
}

/// The signature of a method of another module, as the workspace index keeps it.
fn info_signature(method: &MethodInfo) -> String {
    let keyword = match method.kind {
        MethodKind::Function => "Функция",
        MethodKind::Procedure => "Процедура",
    };
    let parameters: Vec<String> = method
        .parameters
        .iter()
        .map(|p| {
            let value = if p.by_value { "Знач " } else { "" };
            let default = p.default.as_ref().map(|d| format!(" = {d}")).unwrap_or_default();
            format!("{value}{}{default}", p.name)
        })
        .collect();
    let prefix = if method.is_async { "Асинх " } else { "" };
    let export = if method.export { " Экспорт" } else { "" };
    format!("{prefix}{keyword} {}({}){export}", method.name, parameters.join(", "))
}

fn document_symbols(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let path = ctx.workspace.resolve(args["path"].as_str().unwrap_or_default())?;
    let (parse, kind) = ctx.workspace.parse(&path)?;
    let module = parse.module();
    let root = parse.root();
    let methods: Vec<Value> = module
        .methods
        .iter()
        .map(|m| {
            let mut value = range_json(&parse, m.range.clone());
            value["name"] = json!(m.name);
            value["kind"] = json!(kind_name(m.kind));
            value["export"] = json!(m.export);
            value["async"] = json!(m.is_async);
            value["signature"] = json!(signature(m));
            value["parameters"] = json!(m.parameters.iter().map(|p| p.name.as_str()).collect::<Vec<_>>());
            value["directive"] = json!(m.directive().map(|d| d.names().0));
            value["region"] = json!(module.region_at(m.range.start).map(|r| r.name.as_str()));
            value["documented"] = json!(m.doc_comment.is_some());
            if let Some(node) = method_node(root, m) {
                let metrics = method_metrics(node, parse.text());
                value["cognitive_complexity"] = json!(metrics.cognitive);
                value["cyclomatic_complexity"] = json!(metrics.cyclomatic);
            }
            value
        })
        .collect();
    let regions: Vec<Value> = module
        .regions
        .iter()
        .map(|r| {
            let mut value = range_json(&parse, r.range.clone());
            value["name"] = json!(r.name);
            value["depth"] = json!(r.depth);
            value
        })
        .collect();
    let variables: Vec<Value> = module
        .variables
        .iter()
        .map(|v| {
            let mut value = range_json(&parse, v.name_range.clone());
            value["name"] = json!(v.name);
            value["export"] = json!(v.export);
            value
        })
        .collect();
    Ok(json!({
        "path": ctx.workspace.display(&path),
        "module_kind": format!("{kind:?}"),
        "lines": parse.line_index().line_count(),
        "methods": methods,
        "regions": regions,
        "variables": variables,
        "syntax_errors": parse.errors().len(),
    }))
}

fn method_node<'t>(
    root: bsl_syntax::tree_sitter::Node<'t>,
    method: &Method,
) -> Option<bsl_syntax::tree_sitter::Node<'t>> {
    let mut node = root.descendant_for_byte_range(method.name_range.start, method.name_range.end);
    while let Some(n) = node.filter(|n| n.kind() != "method_declaration") {
        node = n.parent();
    }
    node
}

/// A location in another file of the workspace from the index's zero-based line and UTF-16
/// column.
fn indexed_location(ctx: &Context<'_>, path: &Path, line: u32, column: u32, name: &str) -> Value {
    let width = name.encode_utf16().count() as u32;
    json!({
        "path": ctx.workspace.display(path),
        "line": line + 1,
        "column": column + 1,
        "end_line": line + 1,
        "end_column": column + 1 + width,
    })
}

fn symbol_kind(symbol: &Symbol) -> &'static str {
    match symbol {
        Symbol::Method(_) => "method",
        Symbol::ModuleVariable(_) => "module variable",
        Symbol::Parameter { .. } => "parameter",
        Symbol::Local { .. } => "local variable",
    }
}

fn definition(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let (path, parse, offset) = at_position(ctx, args)?;
    let module = parse.module();
    if let Some(symbol) = resolve::symbol_at(&parse, &module, offset) {
        let (name, range) = resolve::declaration(&module, &symbol);
        return Ok(
            json!({"name": name, "kind": symbol_kind(&symbol), "locations": [location(ctx.workspace, &path, &parse, range)]}),
        );
    }
    let Some((target, _)) = target_at(&parse, offset) else { return Err(nothing_at(&parse, offset, "definition")) };
    let index = &ctx.workspace.loaded().index;
    let found = match &target {
        Target::Method { qualifier, name } => index
            .resolve_method(qualifier, name)
            .map(|(m, method)| (m, "method", method.name.clone(), method.line, method.column)),
        Target::Module(qualifier) => index.resolve_module(qualifier).map(|m| (m, "module", m.name.clone(), 0, 0)),
        Target::Class(name) => index.onescript_class(name).map(|m| (m, "class", m.name.clone(), 0, 0)),
    };
    let Some((module, kind, name, line, column)) = found else { return Err(nothing_at(&parse, offset, "definition")) };
    let shown = if kind == "method" { name.as_str() } else { "" };
    Ok(json!({
        "name": name,
        "kind": kind,
        "module": module.name,
        "locations": [indexed_location(ctx, &module.path, line, column, shown)],
    }))
}

/// The exported method (or a method of another module) the position names, as the workspace
/// sees it: its module's path and its name.
fn workspace_method(ctx: &Context<'_>, path: &Path, parse: &Parse, offset: usize) -> Option<(PathBuf, String)> {
    let module = parse.module();
    if let Some(symbol) = resolve::symbol_at(parse, &module, offset) {
        return match symbol {
            Symbol::Method(i) if module.methods[i].export => Some((path.to_path_buf(), module.methods[i].name.clone())),
            _ => None,
        };
    }
    match target_at(parse, offset)?.0 {
        Target::Method { qualifier, name } => {
            let (module, method) = ctx.workspace.loaded().index.resolve_method(&qualifier, &name)?;
            Some((module.path.clone(), method.name.clone()))
        }
        _ => None,
    }
}

fn references(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let (path, parse, offset) = at_position(ctx, args)?;
    let include_declaration = args.get("include_declaration").and_then(Value::as_bool).unwrap_or(true);
    let limit = usize_arg(args, "limit", 500);
    let mut locations = Vec::new();
    let (name, scope) = if let Some((target, name)) = workspace_method(ctx, &path, &parse, offset) {
        let index = &ctx.workspace.loaded().index;
        if include_declaration && let Some(method) = index.module(&target).and_then(|m| m.method(&name)) {
            locations.push(indexed_location(ctx, &target, method.line, method.column, &method.name));
        }
        for (file, ranges) in index.callers(&target, &name) {
            // The index holds byte ranges; the file's text turns them into positions, and a
            // range whose text is no longer the name (the file changed since) is left out.
            let Ok(text) = read_text(file) else { continue };
            let parse = Parse::new(text);
            for range in ranges {
                if parse.text().get(range.clone()).is_some_and(|t| eq_ignore_case(t, &name)) {
                    locations.push(location(ctx.workspace, file, &parse, range));
                }
            }
        }
        (name, "workspace")
    } else {
        let module = parse.module();
        let Some(symbol) = resolve::symbol_at(&parse, &module, offset) else {
            return Err(nothing_at(&parse, offset, "references"));
        };
        for r in resolve::references(&parse, &module, &symbol) {
            if include_declaration || r.access != Access::Declaration {
                let mut value = location(ctx.workspace, &path, &parse, r.range);
                value["access"] = json!(match r.access {
                    Access::Read => "read",
                    Access::Write => "write",
                    Access::Declaration => "declaration",
                });
                locations.push(value);
            }
        }
        (resolve::declaration(&module, &symbol).0, "module")
    };
    let total = locations.len();
    locations.truncate(limit);
    Ok(json!({"name": name, "scope": scope, "total": total, "truncated": total > limit, "locations": locations}))
}

/// A standard method comment, with its lines as they are.
fn doc_text<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    lines.map(str::trim_end).collect::<Vec<_>>().join("\n")
}

fn method_markdown(method: &Method) -> String {
    let mut out = String::new();
    if let Some(directive) = method.directive() {
        out.push_str(&format!("`&{}`\n", directive.names().0));
    }
    out.push_str(&format!("```bsl\n{}\n```\n", signature(method)));
    if let Some(doc) = &method.doc_comment {
        out.push_str("\n---\n\n");
        out.push_str(&doc_text(doc.lines.iter().map(String::as_str)));
    }
    out
}

fn info_markdown(module: &ModuleInfo, method: &MethodInfo) -> String {
    let mut out = format!("**{}**\n", module.name);
    if let Some(directive) = method.directive {
        out.push_str(&format!("`&{}`\n", directive.names().0));
    }
    out.push_str(&format!("```bsl\n{}\n```\n", info_signature(method)));
    if let Some(doc) = &method.doc {
        out.push_str("\n---\n\n");
        out.push_str(&doc_text(doc.lines()));
    }
    out
}

fn hover(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let (_, parse, offset) = at_position(ctx, args)?;
    let module = parse.module();
    let Some(node) = resolve::identifier_at(&parse, offset) else { return Err(nothing_at(&parse, offset, "hover")) };
    let name = parse.node_text(node).to_string();
    let (kind, markdown) = match resolve::symbol_at(&parse, &module, offset) {
        Some(Symbol::Method(i)) => ("method", method_markdown(&module.methods[i])),
        Some(Symbol::Parameter { method, index }) => {
            let p = &module.methods[method].parameters[index];
            let by_value = if p.by_value { "Знач " } else { "" };
            let default = p.default.as_ref().map(|d| format!(" = {d}")).unwrap_or_default();
            let mut text = format!("```bsl\n(параметр) {by_value}{}{default}\n```", p.name);
            if let Some(doc) = &module.methods[method].doc_comment
                && let Some(line) = doc.lines.iter().find(|l| l.trim_start().starts_with(&p.name))
            {
                text.push_str(&format!("\n{}", line.trim()));
            }
            ("parameter", text)
        }
        Some(Symbol::ModuleVariable(i)) => {
            let v = &module.variables[i];
            let export = if v.export { " Экспорт" } else { "" };
            ("module variable", format!("```bsl\nПерем {}{export}\n```", v.name))
        }
        Some(Symbol::Local { name, .. }) => ("local variable", format!("```bsl\n(локальная переменная) {name}\n```")),
        None => {
            let workspace = match target_at(&parse, offset) {
                Some((Target::Method { qualifier, name }, _)) => ctx
                    .workspace
                    .loaded()
                    .index
                    .resolve_method(&qualifier, &name)
                    .map(|(m, method)| info_markdown(m, method)),
                _ => None,
            };
            match workspace {
                Some(markdown) => ("workspace method", markdown),
                None => match platform(&parse, node, &module) {
                    Some(markdown) => ("platform", markdown),
                    None => return Err(nothing_at(&parse, offset, "hover")),
                },
            }
        }
    };
    Ok(json!({"name": name, "kind": kind, "markdown": markdown}))
}

/// A global method or property of the platform that a bare name stands for.
fn platform(parse: &Parse, node: bsl_syntax::tree_sitter::Node<'_>, module: &bsl_syntax::Module) -> Option<String> {
    let name = parse.node_text(node);
    let parent = node.parent()?;
    let member = parent.kind() == "member_expression" && parent.child_by_field_name("property") == Some(node);
    if member || module.methods.iter().any(|m| eq_ignore_case(&m.name, name)) {
        return None;
    }
    let called = parent.kind() == "call_expression" && parent.child_by_field_name("function") == Some(node);
    let method = KnowledgeBase::embedded().method(name)?;
    (called == (method.kind == GlobalKind::Method)).then(|| method.hover_markdown())
}

fn search(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let query = args["query"].as_str().unwrap_or_default();
    if query.trim().is_empty() {
        return Err(
            "the query is blank; ask a question or give a name (`СтрНайти`, `how to start a transaction`)".into()
        );
    }
    let limit = usize_arg(args, "limit", 10);
    let scope = match args.get("scope").and_then(Value::as_str) {
        Some("knowledge") => Scope::Knowledge,
        Some("code") => Scope::Code,
        _ => Scope::All,
    };
    let index = ctx.workspace.search().map_err(|e| format!("the search index is not available: {e}"))?;
    let hits = index.search_in(query, limit, scope).map_err(|e| e.to_string())?;
    let hits: Vec<Value> = hits
        .iter()
        .map(|hit| {
            let mut value = serde_json::to_value(hit).unwrap_or(Value::Null);
            // Lines are one-based in this API.
            if let Some((first, last)) = hit.lines {
                value["lines"] = json!([first + 1, last + 1]);
            }
            value
        })
        .collect();
    Ok(json!({"query": query, "hits": hits}))
}

fn workspace_report(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let top = usize_arg(args, "top", 10);
    let report = ctx.workspace.report(|| compute_report(ctx));
    let mut report = report.clone();
    if let Some(methods) = report["most_complex_methods"].as_array_mut() {
        methods.truncate(top);
    }
    Ok(report)
}

/// The full report: the top-100 methods are kept, the caller cuts them to `top`.
fn compute_report(ctx: &Context<'_>) -> Value {
    use rayon::prelude::*;
    let loaded = ctx.workspace.loaded();
    let index = &loaded.index;
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for module in index.modules() {
        *by_kind.entry(format!("{:?}", module.kind)).or_default() += 1;
    }
    let objects: BTreeMap<String, usize> =
        index.object_counts().into_iter().map(|(k, n)| (k.name().to_string(), n)).collect();
    let paths: Vec<&Path> = index.modules().map(|m| m.path.as_path()).collect();
    struct PerFile {
        methods: Vec<(u32, u32, String, u32, PathBuf)>,
        rules: BTreeMap<&'static str, usize>,
        syntax_errors: usize,
        lines: usize,
    }
    let per_file: Vec<PerFile> = paths
        .par_iter()
        .filter_map(|path| {
            let (parse, kind) = ctx.workspace.parse(path).ok()?;
            let module = parse.module();
            let root = parse.root();
            let methods = module
                .methods
                .iter()
                .filter_map(|m| {
                    let metrics = method_metrics(method_node(root, m)?, parse.text());
                    let line = position(&parse, m.name_range.start).0;
                    Some((metrics.cognitive, metrics.cyclomatic, m.name.clone(), line, path.to_path_buf()))
                })
                .collect();
            let mut rules = BTreeMap::new();
            for d in loaded.rules.check(&parse, kind) {
                *rules.entry(d.code).or_default() += 1;
            }
            Some(PerFile {
                methods,
                rules,
                syntax_errors: parse.errors().len(),
                lines: parse.line_index().line_count(),
            })
        })
        .collect();
    let mut methods = Vec::new();
    let mut rules: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut syntax_errors, mut lines) = (0, 0);
    for file in per_file {
        methods.extend(file.methods);
        for (code, n) in file.rules {
            *rules.entry(code).or_default() += n;
        }
        syntax_errors += file.syntax_errors;
        lines += file.lines;
    }
    let method_count = methods.len();
    methods.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.4.cmp(&b.4)).then(a.3.cmp(&b.3)));
    methods.truncate(100);
    let most_complex: Vec<Value> = methods
        .into_iter()
        .map(|(cognitive, cyclomatic, name, line, path)| {
            json!({"path": ctx.workspace.display(&path), "method": name, "line": line, "cognitive_complexity": cognitive, "cyclomatic_complexity": cyclomatic})
        })
        .collect();
    let mut per_rule: Vec<(&str, usize)> = rules.into_iter().collect();
    per_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let projects: Vec<Value> = index
        .projects()
        .iter()
        .map(|p| {
            json!({"root": ctx.workspace.display(&p.root), "format": format!("{:?}", p.format), "name": p.name, "extension": p.is_extension})
        })
        .collect();
    json!({
        "root": ctx.workspace.root().display().to_string(),
        "projects": projects,
        "modules": index.module_count(),
        "lines": lines,
        "methods": method_count,
        "modules_by_kind": by_kind,
        "metadata_objects_by_kind": objects,
        "metadata_errors": index.metadata_errors().count(),
        "unreadable_files": loaded.report.unreadable.len(),
        "syntax_errors": syntax_errors,
        "most_complex_methods": most_complex,
        "diagnostics_per_rule": per_rule.into_iter().map(|(code, n)| json!({"code": code, "count": n})).collect::<Vec<_>>(),
        "load_seconds": loaded.seconds,
    })
}

fn stats(ctx: &Context<'_>, _args: &Value) -> Result<Value, String> {
    Ok(ctx.metrics.json(crate::server::gauges(ctx.workspace)))
}
