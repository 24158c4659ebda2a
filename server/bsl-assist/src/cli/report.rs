//! `bsl-assist report <dir>`: the project report for the analyst, the architect and the
//! project manager: composition and metadata, the most depended-on modules, dependency
//! cycles and a Mermaid diagram, the rules' findings with the technical debt in hours,
//! test coverage of common modules, and the risk register from the git history (when the
//! folder is in a repository). Markdown by default, JSON with `--format json`, or one
//! self-contained HTML page with charts with `--format html`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use bsl_assistant::risk::{RiskModel, default_cache_dir};
use bsl_assistant::roles::report;
use clap::{Args, ValueEnum};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Json,
    /// One self-contained page with charts (inline SVG, no scripts or network).
    Html,
}

#[derive(Args)]
pub struct ReportArgs {
    /// The workspace folder.
    dir: PathBuf,
    #[arg(long, value_enum, default_value = "markdown")]
    format: Format,
    /// Skip running the rules (faster; the report then has no findings section).
    #[arg(long)]
    no_check: bool,
    /// Skip the risk register even when the folder is in a git repository.
    #[arg(long)]
    no_risk: bool,
    /// Write the report to this file instead of standard output (refuses to overwrite
    /// an existing file unless `--force`).
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[arg(long)]
    force: bool,
}

pub fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let root = args.dir.canonicalize().with_context(|| format!("{}: cannot read", args.dir.display()))?;
    if let Some(output) = &args.output
        && output.exists()
        && !args.force
    {
        anyhow::bail!("{} exists; pass --force to replace it", output.display());
    }
    let projects = bsl_workspace::discover(std::slice::from_ref(&root));
    let index = bsl_workspace::load(&projects, |_, _| {});
    let findings = (!args.no_check).then(|| {
        let paths: Vec<PathBuf> = index.modules().map(|m| m.path.clone()).collect();
        report::findings_of_files(&paths, &config_at(&root))
    });
    let risk = if args.no_risk {
        None
    } else {
        match root.ancestors().find(|p| p.join(".git").exists()) {
            Some(repo) => match RiskModel::load_or_train(repo, &default_cache_dir(repo)) {
                Ok(model) => Some(model),
                Err(e) => {
                    eprintln!("bsl-assist: no risk register: {e:#}");
                    None
                }
            },
            None => None,
        }
    };
    let built = report::build(&index, findings, risk.as_ref());
    let text = match args.format {
        Format::Markdown => built.markdown(),
        Format::Json => serde_json::to_string_pretty(&built)? + "\n",
        Format::Html => built.html(),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text).with_context(|| format!("{}: cannot write", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The rules' configuration from `.bsl-assist.toml` at the folder's root, else the
/// defaults; a broken file is reported and the defaults are used.
fn config_at(root: &std::path::Path) -> bsl_analysis::Config {
    let path = root.join(".bsl-assist.toml");
    let Ok(text) = std::fs::read_to_string(&path) else { return bsl_analysis::Config::default() };
    match bsl_analysis::rules::config_file::parse_toml(&text) {
        Ok(file) => file.config,
        Err(error) => {
            eprintln!("bsl-assist: {}:{error}; using the default rules", path.display());
            bsl_analysis::Config::default()
        }
    }
}
