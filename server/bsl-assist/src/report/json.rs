//! `--format json`: a JSON array of findings, streamed one element at a time.

use std::io::{self, Write};

use serde_json::json;

use super::{Reporter, display_path, findings_of};
use crate::cli::scan::{FileReport, ScanTotals};

#[derive(Default)]
pub struct Json {
    started: bool,
}

impl Reporter for Json {
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        let path = display_path(&report.path);
        for f in findings_of(report) {
            out.write_all(if self.started { b",\n" } else { b"[\n" })?;
            self.started = true;
            let mut value = json!({
                "path": path,
                "line": f.line,
                "column": f.col,
                "endLine": f.end_line,
                "endColumn": f.end_col,
                "severity": f.severity.name(),
                "type": f.rule_type.name(),
                "code": f.code,
                "message": f.message,
            });
            if !f.related.is_empty() {
                value["related"] = f
                    .related
                    .iter()
                    .map(|[line, column, end_line, end_column]| {
                        json!({ "line": line, "column": column, "endLine": end_line, "endColumn": end_column })
                    })
                    .collect();
            }
            serde_json::to_writer(&mut *out, &value)?;
        }
        Ok(())
    }

    fn finish(&mut self, _totals: &ScanTotals, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.started { b"\n]\n" } else { b"[]\n" })
    }
}
