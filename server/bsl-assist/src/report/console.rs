//! Human-readable reports: `console` groups findings under each file and colors them on a
//! terminal; `text` writes one grep-friendly line per finding.

use std::io::{self, Write};

use bsl_analysis::Severity;

use super::{Reporter, display_path, findings_of};
use crate::cli::scan::{FileReport, ScanTotals};

pub struct Console {
    color: bool,
    problems: usize,
    files_with_problems: usize,
}

impl Console {
    pub fn new(color: bool) -> Self {
        Console { color, problems: 0, files_with_problems: 0 }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
}

fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Blocker | Severity::Critical => "1;31",
        Severity::Major => "33",
        Severity::Minor => "36",
        Severity::Info => "2",
    }
}

impl Reporter for Console {
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        let findings = findings_of(report);
        if findings.is_empty() {
            return Ok(());
        }
        self.files_with_problems += 1;
        self.problems += findings.len();
        writeln!(out, "{}", self.paint("1;4", &display_path(&report.path)))?;
        for f in &findings {
            let position = format!("{}:{}", f.line, f.col);
            let severity = format!("{:<8}", f.severity.name());
            writeln!(
                out,
                "  {:>9}  {}  {}  {}",
                position,
                self.paint(severity_color(f.severity), &severity),
                f.message,
                self.paint("2", &format!("[{}]", f.code))
            )?;
        }
        writeln!(out)
    }

    fn finish(&mut self, totals: &ScanTotals, out: &mut dyn Write) -> io::Result<()> {
        let summary = format!(
            "{} problems in {} of {} files ({:.2} s)",
            self.problems,
            self.files_with_problems,
            totals.files,
            totals.wall.as_secs_f64()
        );
        writeln!(out, "{}", self.paint("1", &summary))
    }
}

pub struct Text;

impl Reporter for Text {
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        let path = display_path(&report.path);
        for f in findings_of(report) {
            writeln!(out, "{path}:{}:{}: {}: [{}] {}", f.line, f.col, f.severity.name(), f.code, f.message)?;
        }
        Ok(())
    }

    fn finish(&mut self, _totals: &ScanTotals, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}
