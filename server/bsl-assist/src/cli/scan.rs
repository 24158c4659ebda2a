//! Parses (and optionally checks or fixes) many modules on all cores and hands each file's
//! report to the caller in path order as soon as it and all files before it are done, so
//! reports stream and nothing but small per-file reports is ever held.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bsl_analysis::rules::find_rule;
use bsl_analysis::{ModuleKind, RuleSet, RuleType, Severity, apply_edits};
use bsl_syntax::{Encoding, Parse};

use crate::files::{ReadError, read_module, write_module};

/// One finding, positioned for people: one-based lines and columns (UTF-16 units).
#[derive(Debug, Clone)]
pub struct Finding {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
    pub code: &'static str,
    pub severity: Severity,
    pub rule_type: RuleType,
    pub message: String,
    /// Other places the finding is about: line, column, end line and end column, from 1.
    pub related: Vec<[u32; 4]>,
}

impl Finding {
    /// Minutes to fix, from the rule's metadata.
    pub fn minutes(&self) -> u32 {
        find_rule(self.code).map_or(0, |r| r.rule.meta().minutes_to_fix)
    }
}

/// What analysing one file found.
pub struct FileReport {
    pub path: PathBuf,
    pub bytes: usize,
    pub lines: usize,
    pub findings: Vec<Finding>,
    /// Set when the file was not analysed (binary, not UTF-8, unreadable).
    pub skipped: Option<String>,
    /// How many findings `--fix` resolved in this file.
    pub fixed: usize,
}

/// Totals of a scan.
#[derive(Debug, Default)]
pub struct ScanTotals {
    pub files: usize,
    pub bytes: usize,
    pub lines: usize,
    pub wall: Duration,
    pub cpu: Duration,
    pub threads: usize,
}

/// What to do with each parsed module.
#[derive(Clone, Copy)]
pub enum Work<'a> {
    /// Report syntax errors.
    Syntax,
    /// Run rules; with `fix`, apply their fixes to the file first.
    Rules { rules: &'a RuleSet, fix: bool },
}

fn scan_file(path: &Path, work: Work<'_>) -> FileReport {
    let mut report =
        FileReport { path: path.to_path_buf(), bytes: 0, lines: 0, findings: Vec::new(), skipped: None, fixed: 0 };
    let (bytes, text, had_bom) = match read_module(path) {
        Err(ReadError::Io(error)) => {
            report.skipped = Some(format!("cannot read: {error}"));
            return report;
        }
        Err(ReadError::Decode(error)) => {
            report.skipped = Some(error.to_string());
            return report;
        }
        Ok(read) => read,
    };
    report.bytes = bytes;
    let kind = ModuleKind::from_path(path);
    let mut parse = Parse::new(text);
    report.findings = match work {
        Work::Syntax => parse
            .errors()
            .iter()
            .map(|e| {
                finding(&parse, e.range.clone(), "ParseError", Severity::Critical, RuleType::Error, e.to_string(), &[])
            })
            .collect(),
        Work::Rules { rules, fix } => {
            let mut diagnostics = rules.check(&parse, kind);
            if fix {
                let outcome = fix_module(rules, parse, kind, diagnostics.len());
                if outcome.fixed > 0 {
                    if let Err(error) = write_module(path, outcome.parse.text(), had_bom) {
                        report.skipped = Some(format!("cannot write the fixed file: {error}"));
                    } else {
                        report.fixed = outcome.fixed;
                    }
                }
                parse = outcome.parse;
                diagnostics = outcome.diagnostics;
            }
            diagnostics
                .into_iter()
                .map(|d| finding(&parse, d.range, d.code, d.severity, d.rule_type, d.message, &d.related))
                .collect()
        }
    };
    report.lines = parse.line_index().line_count();
    report
}

/// The outcome of `--fix` on one module.
struct Fixed {
    parse: Parse,
    diagnostics: Vec<bsl_analysis::Diagnostic>,
    /// How many findings went away; 0 when nothing was (or could safely be) fixed.
    fixed: usize,
}

/// Applies fixes until none is left (at most five rounds). Keeps the original when a
/// round would introduce a syntax error, so `--fix` never breaks a module.
fn fix_module(rules: &RuleSet, parse: Parse, kind: ModuleKind, found: usize) -> Fixed {
    let was_valid = parse.is_valid();
    let mut current = parse;
    let mut diagnostics = rules.check(&current, kind);
    for _ in 0..5 {
        let edits: Vec<_> = diagnostics.iter().filter_map(|d| d.fix.as_ref()).flat_map(|f| f.edits.clone()).collect();
        if edits.is_empty() {
            break;
        }
        let next = Parse::new(apply_edits(current.text(), &edits));
        if was_valid && !next.is_valid() {
            let diagnostics = rules.check(&current, kind);
            return Fixed { parse: current, diagnostics, fixed: 0 };
        }
        current = next;
        diagnostics = rules.check(&current, kind);
    }
    let fixed = found.saturating_sub(diagnostics.len());
    Fixed { parse: current, diagnostics, fixed }
}

fn finding(
    parse: &Parse,
    range: std::ops::Range<usize>,
    code: &'static str,
    severity: Severity,
    rule_type: RuleType,
    message: String,
    related: &[std::ops::Range<usize>],
) -> Finding {
    let index = parse.line_index();
    let span = |range: &std::ops::Range<usize>| {
        let start = index.position(parse.text(), range.start, Encoding::Utf16);
        let end = index.position(parse.text(), range.end, Encoding::Utf16);
        [start.line + 1, start.col + 1, end.line + 1, end.col + 1]
    };
    let [line, col, end_line, end_col] = span(&range);
    Finding {
        related: related.iter().map(span).collect(),
        line,
        col,
        end_line,
        end_col,
        code,
        severity,
        rule_type,
        message,
    }
}

/// Analyses `files` with `jobs` threads (0: one per core), calling `on_report` for each file
/// in the order of `files`, from the calling thread.
pub fn scan(
    files: &[PathBuf],
    jobs: usize,
    work: Work<'_>,
    mut on_report: impl FnMut(FileReport) -> anyhow::Result<()>,
) -> anyhow::Result<ScanTotals> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let mut totals = ScanTotals { threads: pool.current_num_threads(), ..ScanTotals::default() };
    let started = Instant::now();
    let cpu_before = cpu_time();
    let (sender, receiver) = mpsc::sync_channel::<(usize, FileReport)>(256);
    // Largest files first, each worker taking the next one when it is free: no worker is
    // left alone with a big module at the end (reports still come out in `files` order).
    let mut order: Vec<(u64, usize)> =
        files.iter().enumerate().map(|(i, p)| (std::fs::metadata(p).map_or(0, |m| m.len()), i)).collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let next_job = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        scope.spawn(|| {
            pool.broadcast(|_| {
                let sender = sender.clone();
                loop {
                    let at = next_job.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&(_, index)) = order.get(at) else { break };
                    // The receiver only hangs up after an error; the remaining work is moot.
                    if sender.send((index, scan_file(&files[index], work))).is_err() {
                        break;
                    }
                }
            });
            drop(sender);
        });
        // Reorder: hold reports that arrive early until the ones before them are in.
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (index, report) in receiver {
            waiting.insert(index, report);
            while let Some(report) = waiting.remove(&next) {
                totals.files += 1;
                totals.bytes += report.bytes;
                totals.lines += report.lines;
                on_report(report)?;
                next += 1;
            }
        }
        Ok(())
    })?;
    totals.wall = started.elapsed();
    totals.cpu = cpu_time().saturating_sub(cpu_before);
    Ok(totals)
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

/// Peak resident memory of this process in kB (`VmHWM`), 0 where /proc is missing.
pub fn peak_memory_kb() -> u64 {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return 0 };
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
