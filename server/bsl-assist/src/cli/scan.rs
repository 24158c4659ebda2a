//! Parses (and optionally checks) many modules on all cores, gathering per-file results in
//! path order. Nothing but the small per-file report outlives a file's analysis.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bsl_analysis::{ModuleKind, RuleSet, Severity};
use bsl_syntax::{Encoding, Parse};
use rayon::prelude::*;

use crate::files::{ReadError, read_module};

/// One finding, positioned for people: one-based lines, columns in UTF-16 units.
pub struct Finding {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

/// What analysing one file found.
pub struct FileReport {
    pub path: PathBuf,
    pub bytes: usize,
    pub lines: usize,
    /// Syntax errors (from `parse`) or rule findings (from `check`).
    pub findings: Vec<Finding>,
    /// Set when the file was not parsed (binary, not UTF-8, unreadable).
    pub skipped: Option<String>,
}

pub struct ScanSummary {
    pub reports: Vec<FileReport>,
    pub wall: Duration,
    pub cpu: Duration,
    pub threads: usize,
}

/// What to do with each parsed module.
#[derive(Clone, Copy)]
pub enum Work<'a> {
    /// Report syntax errors.
    Syntax,
    /// Run rules.
    Rules(&'a RuleSet),
}

fn scan_file(path: &Path, work: Work<'_>) -> FileReport {
    let mut report = FileReport { path: path.to_path_buf(), bytes: 0, lines: 0, findings: Vec::new(), skipped: None };
    match read_module(path) {
        Err(ReadError::Io(error)) => report.skipped = Some(format!("cannot read: {error}")),
        Err(ReadError::Decode(error)) => report.skipped = Some(error.to_string()),
        Ok((bytes, text)) => {
            report.bytes = bytes;
            let parse = Parse::new(text);
            report.lines = parse.line_index().line_count();
            report.findings = match work {
                Work::Syntax => parse
                    .errors()
                    .iter()
                    .map(|e| finding(&parse, e.range.clone(), "ParseError", Severity::Critical, e.to_string()))
                    .collect(),
                Work::Rules(rules) => rules
                    .check(&parse, ModuleKind::from_path(path))
                    .into_iter()
                    .map(|d| finding(&parse, d.range, d.code, d.severity, d.message))
                    .collect(),
            };
        }
    }
    report
}

fn finding(
    parse: &Parse,
    range: std::ops::Range<usize>,
    code: &'static str,
    severity: Severity,
    message: String,
) -> Finding {
    let index = parse.line_index();
    let start = index.position(parse.text(), range.start, Encoding::Utf16);
    let end = index.position(parse.text(), range.end, Encoding::Utf16);
    Finding {
        line: start.line + 1,
        col: start.col + 1,
        end_line: end.line + 1,
        end_col: end.col + 1,
        code,
        severity,
        message,
    }
}

/// Analyses `files` with `jobs` threads (0: one per core).
pub fn scan(files: &[PathBuf], jobs: usize, work: Work<'_>) -> anyhow::Result<ScanSummary> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let threads = pool.current_num_threads();
    let started = Instant::now();
    let cpu_before = cpu_time();
    let reports: Vec<FileReport> = pool.install(|| files.par_iter().map(|path| scan_file(path, work)).collect());
    let cpu = cpu_time().saturating_sub(cpu_before);
    Ok(ScanSummary { reports, wall: started.elapsed(), cpu, threads })
}

/// CPU time of this process so far (user + system), from /proc where available.
pub fn cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return Duration::ZERO };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else { return Duration::ZERO };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    let total = ticks(11) + ticks(12);
    Duration::from_millis(total * 10)
}
