//! `--format gitlab`: GitLab Code Quality report (a JSON array of issues with fingerprints).

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Reporter, display_path, findings_of, fingerprint};
use crate::cli::scan::{FileReport, ScanTotals};

#[derive(Default)]
pub struct Gitlab {
    issues: Vec<Value>,
}

impl Reporter for Gitlab {
    fn file(&mut self, report: &FileReport, _out: &mut dyn Write) -> io::Result<()> {
        let path = display_path(&report.path);
        for f in findings_of(report) {
            self.issues.push(json!({
                "description": f.message,
                "check_name": f.code,
                "fingerprint": fingerprint(&path, &f),
                "severity": f.severity.name(),
                "location": { "path": path, "lines": { "begin": f.line, "end": f.end_line } },
            }));
        }
        Ok(())
    }

    fn finish(&mut self, _totals: &ScanTotals, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &Value::Array(std::mem::take(&mut self.issues)))?;
        writeln!(out)
    }
}
