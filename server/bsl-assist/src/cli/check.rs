//! `bsl-assist check`: runs the rules over every module and reports what they find, as
//! `path:line:col: severity: [Code] message` lines or as JSON lines.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use bsl_analysis::rules::{Config, Language, RuleSet, find_rule};
use clap::{Args, ValueEnum};

use super::scan::{Work, scan};
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
    /// Run only these rules (comma-separated codes), including rules that are off by default.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Language of messages: ru or en.
    #[arg(long, default_value = "ru")]
    language: String,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    jobs: usize,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let language = Language::from_name(&args.language)
        .ok_or_else(|| anyhow::anyhow!("--language: expected ru or en, got `{}`", args.language))?;
    let config = Config { language, ..Config::default() };
    let rules = if args.select.is_empty() {
        RuleSet::new(&config)
    } else {
        let mut selected = Vec::new();
        for code in &args.select {
            let rule = find_rule(code).ok_or_else(|| anyhow::anyhow!("--select: no rule `{code}`"))?;
            selected.push(rule.rule);
        }
        RuleSet::from_rules(selected, &config)
    };
    let files = discover(&args.paths)?;
    let summary = scan(&files, args.jobs, Work::Rules(&rules))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut problems = 0;
    for report in &summary.reports {
        let path = report.path.display().to_string();
        if let Some(reason) = &report.skipped {
            problems += 1;
            write_problem(&mut out, args.format, &path, [1, 1, 1, 1], "FileUnreadable", "major", reason)?;
        }
        for f in &report.findings {
            problems += 1;
            let at = [f.line, f.col, f.end_line, f.end_col];
            write_problem(&mut out, args.format, &path, at, f.code, f.severity.name(), &f.message)?;
        }
    }
    if let Format::Text = args.format {
        writeln!(out, "{} files checked, {problems} problems", summary.reports.len())?;
    }
    Ok(if problems > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn write_problem(
    out: &mut impl Write,
    format: Format,
    path: &str,
    [line, col, end_line, end_col]: [u32; 4],
    code: &str,
    severity: &str,
    message: &str,
) -> std::io::Result<()> {
    match format {
        Format::Text => writeln!(out, "{path}:{line}:{col}: {severity}: [{code}] {message}"),
        Format::Json => writeln!(
            out,
            "{{\"path\":{},\"line\":{line},\"column\":{col},\"endLine\":{end_line},\"endColumn\":{end_col},\"severity\":\"{severity}\",\"code\":\"{code}\",\"message\":{}}}",
            json_string(path),
            json_string(message)
        ),
    }
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
