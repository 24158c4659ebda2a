//! Report formats for `bsl-assist check`: a reporter sees each file's findings in path order
//! and writes them (streaming where the format allows), then closes the report.

mod console;
mod gitlab;
mod json;
mod junit;
mod sarif;
mod sonarqube;

use std::io::{self, Write};
use std::path::Path;

use bsl_analysis::{RuleType, Severity};
use clap::ValueEnum;

use crate::cli::scan::{FileReport, Finding, ScanTotals};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Grouped by file, colored on a terminal.
    Console,
    /// One `path:line:col: severity: [Code] message` line per problem.
    Text,
    /// A JSON array of problems.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// SonarQube's generic issue import format.
    Sonarqube,
    /// JUnit XML, one test case per file.
    Junit,
    /// GitLab Code Quality.
    Gitlab,
}

pub trait Reporter {
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()>;
    fn finish(&mut self, totals: &ScanTotals, out: &mut dyn Write) -> io::Result<()>;
}

pub fn reporter(format: Format, color: bool) -> Box<dyn Reporter> {
    match format {
        Format::Console => Box::new(console::Console::new(color)),
        Format::Text => Box::new(console::Text),
        Format::Json => Box::new(json::Json::default()),
        Format::Sarif => Box::new(sarif::Sarif::default()),
        Format::Sonarqube => Box::new(sonarqube::Sonarqube::default()),
        Format::Junit => Box::new(junit::Junit::default()),
        Format::Gitlab => Box::new(gitlab::Gitlab::default()),
    }
}

/// A path as reports show it: relative to the current folder when inside it, with `/`.
pub fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf));
    let path = relative.as_deref().unwrap_or(path);
    // `./src/x.bsl` and `src/x.bsl` are the same file: drop the `.` components.
    let cleaned: std::path::PathBuf =
        path.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect();
    cleaned.to_string_lossy().replace('\\', "/")
}

/// The findings of a report, with an unreadable file turned into one finding.
pub fn findings_of(report: &FileReport) -> Vec<Finding> {
    let mut findings = report.findings.clone();
    if let Some(reason) = &report.skipped {
        findings.insert(
            0,
            Finding {
                line: 1,
                col: 1,
                end_line: 1,
                end_col: 1,
                code: "FileUnreadable",
                severity: Severity::Major,
                rule_type: RuleType::Error,
                message: reason.clone(),
                related: Vec::new(),
            },
        );
    }
    findings
}

/// A stable fingerprint of a finding (FNV-1a over path, rule, line text position and
/// message), for tools that track issues across runs.
pub fn fingerprint(path: &str, finding: &Finding) -> String {
    let mut hash: u64 = 0xcbf29ce484222325;
    for part in [path, finding.code, &finding.line.to_string(), &finding.message] {
        for byte in part.bytes().chain([0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x100000001b3);
        }
    }
    format!("{hash:016x}")
}
