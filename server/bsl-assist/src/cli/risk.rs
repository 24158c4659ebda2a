//! `bsl-assist risk`: mines a repository's git history, trains (or loads) its defect-risk
//! model and prints the riskiest methods, one a line, most risky first, with the path
//! relative to the repository, the name, the score and the top reasons, then the model's
//! evaluation. See `bsl_assistant::risk` for the model.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use bsl_assistant::risk::{RiskModel, RiskOptions, default_cache_dir, metrics::fan_in};
use clap::Args;

#[derive(Args)]
pub struct RiskArgs {
    /// The repository's working tree.
    repo: PathBuf,
    /// How many methods to print.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// The prediction horizon in days.
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// Where the mined history and the model are kept (default:
    /// ~/.cache/bsl-assist/risk/<hash of the repository path>).
    #[arg(long)]
    cache_dir: Option<PathBuf>,
}

pub fn run(args: &RiskArgs) -> anyhow::Result<ExitCode> {
    let repo = args.repo.canonicalize().with_context(|| format!("{}: cannot read", args.repo.display()))?;
    let cache_dir = args.cache_dir.clone().unwrap_or_else(|| default_cache_dir(&repo));
    let options = RiskOptions { days: args.days, ..RiskOptions::default() };
    let started = Instant::now();
    let model = RiskModel::load_or_train_with(&repo, &cache_dir, &options)?;
    let seconds = started.elapsed().as_secs_f64();
    let top: Vec<_> = model.ranking().iter().take(args.top).collect();
    // Fan-in of the printed methods from the workspace index (the impact of a defect there).
    let projects = bsl_workspace::discover(std::slice::from_ref(&repo));
    let index = bsl_workspace::load(&projects, |_, _| {});
    let fan_ins: Vec<Option<u32>> = top
        .iter()
        .map(|r| {
            let path = repo.join(&r.path);
            index.module(&path).map(|_| fan_in(&index, &path, &r.method))
        })
        .collect();
    let evaluation = model.evaluation();
    let stats = &model.mine_stats;
    if args.json {
        let methods: Vec<serde_json::Value> = top
            .iter()
            .zip(&fan_ins)
            .map(|(r, f)| {
                let mut v = serde_json::to_value(r).unwrap_or_default();
                v["fan_in"] = serde_json::json!(f);
                v
            })
            .collect();
        let out = serde_json::json!({
            "heuristic": model.is_heuristic(),
            "trained": model.trained,
            "mining": {
                "new_commits": stats.new_commits,
                "total_commits": stats.total_commits,
                "parsed_blobs": stats.parsed_blobs,
                "seconds": stats.seconds,
            },
            "seconds": seconds,
            "evaluation": evaluation,
            "methods": methods,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    for (r, f) in top.iter().zip(&fan_ins) {
        let fan = f.map(|f| format!(", fan-in {f}")).unwrap_or_default();
        println!("{:.3}\t{}\t{}\t{}{fan}", r.risk.score, r.path, r.method, r.risk.reasons.join("; "));
    }
    let fmt = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.3}"));
    println!();
    if model.is_heuristic() {
        println!("Heuristic scores: {}", evaluation.note);
    } else {
        println!(
            "Model: AUC {} (heuristic {}), precision@{} {} (heuristic {}); {}",
            fmt(evaluation.auc),
            fmt(evaluation.heuristic_auc),
            evaluation.k,
            fmt(evaluation.precision_at_k),
            fmt(evaluation.heuristic_precision_at_k),
            evaluation.note
        );
    }
    println!(
        "History: {} commits ({} fixes), {} new this run, mined in {:.2} s; total {:.2} s",
        evaluation.commits, evaluation.fix_commits, stats.new_commits, stats.seconds, seconds
    );
    Ok(ExitCode::SUCCESS)
}
