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
    let mut files_with_errors = 0;
    let mut skipped = 0;
    let totals = scan(&files, args.jobs, Work::Syntax, |report| {
        if let Some(reason) = &report.skipped {
            skipped += 1;
            eprintln!("{}: {reason}", report.path.display());
        }
        if !report.findings.is_empty() {
            files_with_errors += 1;
        }
        for finding in &report.findings {
            println!("{}:{}:{}: {}", report.path.display(), finding.line, finding.col, finding.message);
        }
        Ok(())
    })?;
    if args.stats {
        let seconds = totals.wall.as_secs_f64();
        let megabytes = totals.bytes as f64 / 1_000_000.0;
        println!("files:             {}", totals.files);
        println!("files with errors: {files_with_errors}");
        println!("files skipped:     {skipped}");
        println!("lines:             {}", totals.lines);
        println!("bytes:             {} ({megabytes:.1} MB)", totals.bytes);
        println!(
            "time:              {seconds:.3} s wall, {:.2} s CPU, {} threads",
            totals.cpu.as_secs_f64(),
            totals.threads
        );
        println!("throughput:        {:.1} MB/s", megabytes / seconds.max(1e-9));
    }
    Ok(if files_with_errors > 0 && !args.allow_errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
