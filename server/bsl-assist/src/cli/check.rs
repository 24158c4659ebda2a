//! `bsl-assist check`: reports the problems of every module as `path:line:col: severity:
//! [code] message` or as JSON lines. Today the problems are syntax and preprocessor errors;
//! the rules engine adds its diagnostics here.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::scan::scan;
use crate::files::discover;

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Files or directories; directories are searched for `.bsl` and `.os` files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format: text lines, or one JSON object per problem.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    jobs: usize,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let files = discover(&args.paths)?;
    let summary = scan(&files, args.jobs)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut problems = 0;
    for report in &summary.reports {
        let path = report.path.display().to_string();
        let skipped = report.skipped.iter().map(|reason| (1, 1, "file-unreadable", "warning", reason.clone()));
        let errors = report.errors.iter().map(|(l, c, m)| (*l, *c, "syntax-error", "error", m.clone()));
        for (line, col, code, severity, message) in skipped.chain(errors) {
            problems += 1;
            match args.format {
                Format::Text => writeln!(out, "{path}:{line}:{col}: {severity}: [{code}] {message}")?,
                Format::Json => writeln!(
                    out,
                    "{{\"path\":{},\"line\":{line},\"column\":{col},\"severity\":\"{severity}\",\"code\":\"{code}\",\"message\":{}}}",
                    json_string(&path),
                    json_string(&message)
                )?,
            }
        }
    }
    if let Format::Text = args.format {
        writeln!(out, "{} files checked, {problems} problems", summary.reports.len())?;
    }
    Ok(if problems > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
