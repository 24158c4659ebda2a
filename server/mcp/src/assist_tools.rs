//! The assistants as MCP tools: explain a method, generate its YAxUnit tests (the text; the
//! files only when asked, never overwriting), the defect risk of a method from the
//! repository's history, a module review and a dependency diagram (between modules or
//! between subsystems). The same roles as the language server's commands, over the MCP
//! server's workspace.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use bsl_assistant::risk::RiskModel;
use bsl_assistant::roles::test_placement;
use bsl_assistant::roles::{architect, developer, reviewer, subsystems, tester};
use bsl_knowledge::KnowledgeBase;
use bsl_syntax::Parse;
use bsl_syntax::keywords::eq_ignore_case;
use serde_json::{Value, json};

use crate::tools::Context;

/// `{path, method}`: the schema of the tools that act on one method.
pub fn method_schema(extra: &[(&str, Value)]) -> Value {
    let mut properties = serde_json::Map::new();
    properties.insert(
        "path".into(),
        json!({"type": "string", "minLength": 1, "description": "The module (`.bsl` or `.os` file), relative to the workspace root (or absolute inside it)"}),
    );
    properties.insert(
        "method".into(),
        json!({"type": "string", "minLength": 1, "description": "The method's name, in any case (`document_symbols` lists them)"}),
    );
    for (name, schema) in extra {
        properties.insert((*name).into(), schema.clone());
    }
    json!({"type": "object", "properties": properties, "required": ["path", "method"], "additionalProperties": false})
}

/// The module, its parse and the index of the method named in `args`.
fn method_of(ctx: &Context<'_>, args: &Value) -> Result<(PathBuf, Parse, usize), String> {
    let given = args["path"].as_str().unwrap_or_default();
    let path = ctx.workspace.resolve(given)?;
    let (parse, _) = ctx.workspace.parse(&path)?;
    let name = args["method"].as_str().unwrap_or_default();
    let module = parse.module();
    let index = module.methods.iter().position(|m| eq_ignore_case(&m.name, name)).ok_or_else(|| {
        let names: Vec<&str> = module.methods.iter().take(20).map(|m| m.name.as_str()).collect();
        format!("there is no method `{name}` in `{given}`; its methods include: {}", names.join(", "))
    })?;
    drop(module);
    Ok((path, parse, index))
}

/// The name callers use for the module: its object's name from the index, else the stem.
fn module_name(ctx: &Context<'_>, path: &Path) -> String {
    ctx.workspace
        .loaded()
        .index
        .module(path)
        .map(|m| m.name.clone())
        .unwrap_or_else(|| path.file_stem().and_then(|s| s.to_str()).unwrap_or("Модуль").to_string())
}

pub fn explain_method(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let (path, parse, index) = method_of(ctx, args)?;
    Ok(json!({
        "path": ctx.workspace.display(&path),
        "method": parse.module().methods[index].name,
        "markdown": developer::explain_method(&parse, index),
        "doc_comment": developer::doc_comment(&parse, index),
    }))
}

pub fn generate_tests(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let given = args["path"].as_str().unwrap_or_default();
    let path = ctx.workspace.resolve(given)?;
    let (parse, _) = ctx.workspace.parse(&path)?;
    let module = parse.module();
    let indexes: Vec<usize> = match args.get("method").and_then(Value::as_str) {
        Some(name) => vec![
            module
                .methods
                .iter()
                .position(|m| eq_ignore_case(&m.name, name))
                .ok_or_else(|| format!("there is no method `{name}` in `{given}`"))?,
        ],
        None => tester::exported_indexes(&module),
    };
    drop(module);
    if indexes.is_empty() {
        return Err(format!("`{given}` has no exported methods; name one with `method`"));
    }
    let name = module_name(ctx, &path);
    let text = tester::yaxunit_tests(&parse, &name, &indexes);
    let test_name = tester::test_module_name(&name);
    let mut result = json!({"module": test_name, "text": text, "written": []});
    if args.get("write").and_then(Value::as_bool) != Some(true) {
        return Ok(result);
    }
    let configured = args.get("tests_folder").and_then(Value::as_str).map(PathBuf::from);
    let projects = &ctx.workspace.loaded().index;
    let root = test_placement::tests_root(
        configured.as_deref(),
        projects.projects().iter().map(|p| p.root.as_path()),
        ctx.workspace.root(),
    );
    if !root.starts_with(ctx.workspace.root()) {
        return Err(format!("`tests_folder` {} is outside the workspace", root.display()));
    }
    let edt = projects.format_of(&path) == Some(bsl_analysis::workspace::ProjectFormat::Edt);
    let layout = test_placement::Layout::of_or(
        &root,
        if edt { test_placement::Layout::Edt } else { test_placement::Layout::Designer },
    );
    let written = test_placement::write_tests(&root, layout, &test_name, &text)
        .map_err(|e| format!("cannot write the tests: {e}"))?;
    result["written"] = json!(written.iter().map(|p| ctx.workspace.display(p)).collect::<Vec<_>>());
    Ok(result)
}

/// A risk model, or why there is none.
type Loaded = Result<Arc<RiskModel>, String>;

/// The risk model of each repository root, trained once per process.
fn risk_model(root: &Path) -> Result<Arc<RiskModel>, String> {
    static MODELS: OnceLock<Mutex<HashMap<PathBuf, Loaded>>> = OnceLock::new();
    let models = MODELS.get_or_init(Mutex::default);
    let mut models = models.lock().unwrap_or_else(|e| e.into_inner());
    models
        .entry(root.to_path_buf())
        .or_insert_with(|| {
            let repo = root.ancestors().find(|p| p.join(".git").exists()).ok_or_else(|| {
                format!("{} is not inside a git repository: the risk model learns from its history", root.display())
            })?;
            RiskModel::load_or_train(repo, &bsl_assistant::risk::default_cache_dir(repo))
                .map(Arc::new)
                .map_err(|e| format!("the risk model is not available: {e:#}"))
        })
        .clone()
}

pub fn method_risk(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let (path, parse, index) = method_of(ctx, args)?;
    let method_name = parse.module().methods[index].name.clone();
    let model = match risk_model(ctx.workspace.root()) {
        Ok(model) => model,
        // No history at all: the measures of the code alone, said so.
        Err(why) => return Ok(static_risk(ctx, &path, &parse, &method_name, &why)),
    };
    let risk = model
        .method_risk(&path, &method_name)
        .ok_or_else(|| format!("the history has no record of `{method_name}` (a new or renamed method?)"))?;
    let evaluation = model.evaluation();
    Ok(json!({
        "path": ctx.workspace.display(&path),
        "method": method_name,
        "score": risk.score,
        "percentile": risk.percentile,
        "reasons": risk.reasons,
        "heuristic": risk.heuristic,
        "source": if risk.heuristic { "heuristic: churn × complexity percentiles" } else { "model trained on the repository's history" },
        "model": {"auc": evaluation.auc, "precision_at_k": evaluation.precision_at_k, "note": evaluation.note},
    }))
}

/// Without a repository, risk can only come from the code: the method's cognitive
/// complexity, size and fan-out, mapped to 0..1 (a method of cognitive complexity 15, the
/// usual limit, scores about 0.4). The percentile is among the module's methods.
fn static_risk(ctx: &Context<'_>, path: &Path, parse: &Parse, method: &str, why: &str) -> Value {
    let snapshots = bsl_assistant::risk::metrics::snapshot_of(parse);
    let score_of = |m: &bsl_assistant::risk::metrics::StaticMetrics| {
        let load = f64::from(m.cognitive) + f64::from(m.lines) / 40.0 + f64::from(m.fan_out) / 10.0;
        1.0 - (-load / 30.0).exp()
    };
    let own = snapshots.iter().find(|s| eq_ignore_case(&s.name, method));
    let score = own.map_or(0.0, |s| score_of(&s.metrics));
    let below = snapshots.iter().filter(|s| score_of(&s.metrics) < score).count();
    let percentile = 100.0 * below as f64 / snapshots.len().max(1) as f64;
    let reasons: Vec<String> = own
        .map(|s| {
            vec![
                format!("когнитивная сложность {}", s.metrics.cognitive),
                format!("{} строк", s.metrics.lines),
                format!("{} вызовов", s.metrics.fan_out),
            ]
        })
        .unwrap_or_default();
    json!({
        "path": ctx.workspace.display(path),
        "method": method,
        "score": score,
        "percentile": percentile,
        "reasons": reasons,
        "heuristic": true,
        "source": format!("code measures only ({why})"),
        "model": null,
    })
}

pub fn review_module(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let given = args["path"].as_str().unwrap_or_default();
    let path = ctx.workspace.resolve(given)?;
    let (parse, kind) = ctx.workspace.parse(&path)?;
    let findings = ctx.workspace.loaded().rules.check(&parse, kind);
    let name = module_name(ctx, &path);
    Ok(json!({
        "path": ctx.workspace.display(&path),
        "findings": findings.len(),
        "markdown": reviewer::review_module(&parse, &name, &findings, KnowledgeBase::embedded()),
    }))
}

/// The schema of `dependency_diagram`: a module's neighbourhood, the workspace's core, or
/// the subsystems at a level.
pub fn diagram_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "path": {"type": "string", "minLength": 1, "description": "A module (`.bsl` or `.os` file), relative to the workspace root (or absolute inside it); default: the whole workspace. Only with level `module`"},
            "level": {"type": "string", "enum": ["module", "subsystem"], "description": "`module` (default): calls between modules; `subsystem`: calls between subsystems, nested subsystems as subgraphs"},
            "depth": {"type": "integer", "minimum": 1, "maximum": 20, "description": "With level `subsystem`: how many levels of nesting to tell apart, from the top or below `subsystem` (default 1); deeper subsystems count for their ancestor"},
            "subsystem": {"type": "string", "minLength": 1, "description": "With level `subsystem`: look into this subsystem (full name `Родитель.Имя`, or its own name when unique); other subsystems are drawn only where they call it or it calls them"},
            "outside": {"type": "boolean", "description": "With level `subsystem`: draw code in no subsystem as one node instead of leaving it out (default false)"},
        },
        "additionalProperties": false,
    })
}

pub fn dependency_diagram(ctx: &Context<'_>, args: &Value) -> Result<Value, String> {
    let index = &ctx.workspace.loaded().index;
    let graph = architect::DependencyGraph::build(index);
    let level = args.get("level").and_then(Value::as_str).unwrap_or("module");
    let subsystem_only = ["depth", "subsystem", "outside"].into_iter().find(|key| args.get(key).is_some());
    if level == "subsystem" {
        if args.get("path").is_some() {
            return Err("`path` draws one module's neighbourhood; leave it out with level `subsystem`".into());
        }
        let options = subsystems::SubsystemOptions::from_json(args)?;
        return subsystems::subsystem_diagram(index, &graph, &options).map(|d| d.to_json());
    }
    if let Some(key) = subsystem_only {
        return Err(format!("`{key}` applies to level `subsystem` only"));
    }
    let cycles: Vec<Vec<String>> = graph
        .cycles()
        .into_iter()
        .take(10)
        .map(|c| c.into_iter().map(|p| index.module(p).map(architect::display_name).unwrap_or_default()).collect())
        .collect();
    match args.get("path").and_then(Value::as_str) {
        Some(given) => {
            let path = ctx.workspace.resolve(given)?;
            Ok(json!({"mermaid": architect::module_diagram(index, &graph, &path, 15), "cycles": cycles}))
        }
        None => Ok(json!({"mermaid": architect::workspace_diagram(index, &graph, 20), "cycles": cycles})),
    }
}
