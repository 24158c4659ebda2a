//! `bsl-assist merge`: joins reports of `check --shard` runs into one. SARIF logs become one
//! run whose rule list is the union (result rule indexes are renumbered); JSON arrays,
//! SonarQube issue lists and GitLab reports are concatenated.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use serde_json::{Value, json};

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Sarif,
    Json,
    Sonarqube,
    Gitlab,
}

#[derive(Args)]
pub struct MergeArgs {
    /// Reports to join, all in the same format.
    #[arg(required = true)]
    reports: Vec<PathBuf>,
    /// Their format.
    #[arg(long, value_enum)]
    format: Kind,
    /// Where to write the joined report (standard output by default).
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
}

fn read(path: &PathBuf) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
    serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))
}

fn merge_sarif(logs: Vec<(PathBuf, Value)>) -> anyhow::Result<Value> {
    let mut rules: BTreeMap<String, Value> = BTreeMap::new();
    let mut results = Vec::new();
    let mut first_run: Option<Value> = None;
    for (path, log) in logs {
        let Some(runs) = log["runs"].as_array() else { bail!("{}: not a SARIF log (no runs)", path.display()) };
        for run in runs {
            let run_rules = run["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
            for rule in &run_rules {
                if let Some(id) = rule["id"].as_str() {
                    rules.entry(id.to_string()).or_insert_with(|| rule.clone());
                }
            }
            results.extend(run["results"].as_array().cloned().unwrap_or_default());
            first_run.get_or_insert_with(|| run.clone());
        }
    }
    let order: Vec<String> = rules.keys().cloned().collect();
    for result in &mut results {
        let id = result["ruleId"].as_str().unwrap_or_default().to_string();
        if let Some(index) = order.iter().position(|r| *r == id) {
            result["ruleIndex"] = json!(index);
        }
    }
    let mut run = first_run.unwrap_or_else(|| json!({ "tool": { "driver": { "name": "bsl-assist" } } }));
    run["tool"]["driver"]["rules"] = Value::Array(rules.into_values().collect());
    run["results"] = Value::Array(results);
    Ok(json!({ "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run] }))
}

pub fn run(args: &MergeArgs) -> anyhow::Result<ExitCode> {
    let mut reports = Vec::new();
    for path in &args.reports {
        reports.push((path.clone(), read(path)?));
    }
    let merged = match args.format {
        Kind::Sarif => merge_sarif(reports)?,
        Kind::Json | Kind::Gitlab => {
            let mut all = Vec::new();
            for (path, report) in reports {
                let Value::Array(items) = report else { bail!("{}: expected a JSON array", path.display()) };
                all.extend(items);
            }
            Value::Array(all)
        }
        Kind::Sonarqube => {
            let mut issues = Vec::new();
            for (path, report) in reports {
                let Some(items) = report["issues"].as_array() else {
                    bail!("{}: expected a SonarQube report with `issues`", path.display())
                };
                issues.extend(items.iter().cloned());
            }
            json!({ "issues": issues })
        }
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => {
            Box::new(std::fs::File::create(path).with_context(|| format!("{}: cannot create", path.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    serde_json::to_writer_pretty(&mut out, &merged)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}
