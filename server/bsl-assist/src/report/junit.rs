//! `--format junit`: JUnit XML with one test case per file, failed when the file has findings.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Reporter, display_path, findings_of};
use crate::cli::scan::{FileReport, ScanTotals};

#[derive(Default)]
pub struct Junit {
    cases: String,
    tests: usize,
    failures: usize,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

impl Reporter for Junit {
    fn file(&mut self, report: &FileReport, _out: &mut dyn Write) -> io::Result<()> {
        self.tests += 1;
        let path = escape(&display_path(&report.path));
        let findings = findings_of(report);
        if findings.is_empty() {
            let _ = writeln!(self.cases, "    <testcase name=\"{path}\" classname=\"bsl-assist\"/>");
            return Ok(());
        }
        self.failures += 1;
        let mut body = String::new();
        for f in &findings {
            let _ = writeln!(body, "{}:{}: {}: [{}] {}", f.line, f.col, f.severity.name(), f.code, f.message);
        }
        let _ = writeln!(
            self.cases,
            "    <testcase name=\"{path}\" classname=\"bsl-assist\">\n      <failure message=\"{} problems\" type=\"{}\">{}</failure>\n    </testcase>",
            findings.len(),
            escape(findings[0].code),
            escape(&body)
        );
        Ok(())
    }

    fn finish(&mut self, totals: &ScanTotals, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(out, "<testsuites tests=\"{}\" failures=\"{}\">", self.tests, self.failures)?;
        writeln!(
            out,
            "  <testsuite name=\"bsl-assist\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3}\">",
            self.tests,
            self.failures,
            totals.wall.as_secs_f64()
        )?;
        out.write_all(self.cases.as_bytes())?;
        writeln!(out, "  </testsuite>\n</testsuites>")
    }
}
