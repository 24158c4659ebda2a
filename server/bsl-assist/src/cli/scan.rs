//! Parses many modules on all cores and gathers per-file results in a stable order.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bsl_syntax::{Encoding, Parse, SyntaxError};
use rayon::prelude::*;

use crate::files::{ReadError, read_module};

/// What parsing one file found.
pub struct FileReport {
    pub path: PathBuf,
    pub bytes: usize,
    pub lines: usize,
    /// `(line, column, message)`, one-based, columns in characters (UTF-16 units).
    pub errors: Vec<(u32, u32, String)>,
    /// Set when the file was not parsed (binary, not UTF-8, unreadable).
    pub skipped: Option<String>,
}

pub struct ScanSummary {
    pub reports: Vec<FileReport>,
    pub wall: Duration,
    pub cpu: Duration,
    pub threads: usize,
}

fn scan_file(path: &Path) -> FileReport {
    let mut report = FileReport { path: path.to_path_buf(), bytes: 0, lines: 0, errors: Vec::new(), skipped: None };
    match read_module(path) {
        Err(ReadError::Io(error)) => report.skipped = Some(format!("cannot read: {error}")),
        Err(ReadError::Decode(error)) => report.skipped = Some(error.to_string()),
        Ok((bytes, text)) => {
            report.bytes = bytes;
            let parse = Parse::new(text);
            report.lines = parse.line_index().line_count();
            report.errors = located(&parse, parse.errors());
        }
    }
    report
}

fn located(parse: &Parse, errors: Vec<SyntaxError>) -> Vec<(u32, u32, String)> {
    let index = parse.line_index();
    errors
        .iter()
        .map(|error| {
            let at = index.position(parse.text(), error.range.start, Encoding::Utf16);
            (at.line + 1, at.col + 1, error.to_string())
        })
        .collect()
}

/// Parses `files` with `jobs` threads (0: one per core).
pub fn scan(files: &[PathBuf], jobs: usize) -> anyhow::Result<ScanSummary> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let threads = pool.current_num_threads();
    let started = Instant::now();
    let cpu_before = cpu_time();
    let reports: Vec<FileReport> = pool.install(|| files.par_iter().map(|path| scan_file(path)).collect());
    let cpu = cpu_time().saturating_sub(cpu_before);
    Ok(ScanSummary { reports, wall: started.elapsed(), cpu, threads })
}

/// CPU time of this process so far (user + system), from /proc where available.
pub fn cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return Duration::ZERO;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    let total = ticks(11) + ticks(12);
    Duration::from_millis(total * 10)
}
