//! `bsl-assist parse`: parses modules, prints syntax errors as `path:line:col: message`, and
//! with `--stats` the totals and throughput.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::scan::{Work, scan};
use crate::files::discover;

#[derive(Args)]
pub struct ParseArgs {
    /// Files or directories; directories are searched for `.bsl` and `.os` files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print totals: files, lines, bytes, files with errors, time and throughput.
    #[arg(long)]
    stats: bool,
    /// Report syntax errors but exit with 0.
    #[arg(long)]
    allow_errors: bool,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    jobs: usize,
}

pub fn run(args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let files = discover(&args.paths)?;
    let summary = scan(&files, args.jobs, Work::Syntax)?;
    let mut files_with_errors = 0;
    let mut skipped = 0;
    let (mut bytes, mut lines) = (0usize, 0usize);
    for report in &summary.reports {
        bytes += report.bytes;
        lines += report.lines;
        if let Some(reason) = &report.skipped {
            skipped += 1;
            eprintln!("{}: {reason}", report.path.display());
            continue;
        }
        if !report.findings.is_empty() {
            files_with_errors += 1;
        }
        for finding in &report.findings {
            println!("{}:{}:{}: {}", report.path.display(), finding.line, finding.col, finding.message);
        }
    }
    if args.stats {
        let seconds = summary.wall.as_secs_f64();
        let megabytes = bytes as f64 / 1_000_000.0;
        println!("files:             {}", summary.reports.len());
        println!("files with errors: {files_with_errors}");
        println!("files skipped:     {skipped}");
        println!("lines:             {lines}");
        println!("bytes:             {bytes} ({megabytes:.1} MB)");
        println!(
            "time:              {:.3} s wall, {:.2} s CPU, {} threads",
            seconds,
            summary.cpu.as_secs_f64(),
            summary.threads
        );
        println!("throughput:        {:.1} MB/s", megabytes / seconds.max(1e-9));
    }
    Ok(if files_with_errors > 0 && !args.allow_errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
