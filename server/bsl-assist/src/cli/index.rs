//! `bsl-assist index`: builds the workspace index the language server uses (projects,
//! modules, metadata, call sites) and prints what it found, how long it took and the peak
//! memory: the server's start-up cost, measured without an editor.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

#[derive(Args)]
pub struct IndexArgs {
    /// Workspace folders.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &IndexArgs) -> anyhow::Result<ExitCode> {
    let mut roots = Vec::new();
    for path in &args.paths {
        roots.push(path.canonicalize().with_context(|| format!("{}: cannot read", path.display()))?);
    }
    let started = Instant::now();
    let projects = bsl_workspace::discover(&roots);
    let (index, report) = bsl_workspace::load_with_report(&projects, |_, _| {});
    let seconds = started.elapsed().as_secs_f64();
    let peak_mb = bsl_workspace::peak_rss_kb().map_or(0.0, |kb| kb as f64 / 1024.0);
    let methods: usize = index.modules().map(|m| m.methods.len()).sum();
    let calls: usize = index.modules().map(|m| m.calls.len()).sum();
    let objects: usize = index.object_counts().iter().map(|(_, n)| n).sum();
    if args.json {
        let figures = serde_json::json!({
            "projects": projects.len(),
            "modules": report.modules,
            "metadata_files": report.metadata_files,
            "objects": objects,
            "methods": methods,
            "calls": calls,
            "megabytes": report.bytes as f64 / 1e6,
            "seconds": seconds,
            "peak_mb": peak_mb,
        });
        println!("{figures}");
    } else {
        for project in &projects {
            let name = project.name.as_deref().unwrap_or("");
            println!("{:?} {name} {}", project.format, project.root.display());
        }
        println!(
            "{} modules, {} metadata files, {objects} objects, {methods} methods, {calls} calls ({:.1} MB read)",
            report.modules,
            report.metadata_files,
            report.bytes as f64 / 1e6
        );
        println!("Time: {seconds:.2} s, peak memory {peak_mb:.0} MB");
    }
    for (path, why) in &report.unreadable {
        eprintln!("{}: {why}", path.display());
    }
    for (path, error) in &report.metadata_errors {
        eprintln!("{}: {error}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
