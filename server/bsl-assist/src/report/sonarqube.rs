//! `--format sonarqube`: SonarQube's generic external issue format (`sonar.externalIssuesReportPaths`).

use std::io::{self, Write};

use bsl_analysis::{RuleType, Severity};
use serde_json::{Value, json};

use super::{Reporter, display_path, findings_of};
use crate::cli::scan::{FileReport, ScanTotals};

#[derive(Default)]
pub struct Sonarqube {
    issues: Vec<Value>,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Blocker => "BLOCKER",
        Severity::Critical => "CRITICAL",
        Severity::Major => "MAJOR",
        Severity::Minor => "MINOR",
        Severity::Info => "INFO",
    }
}

fn issue_type(rule_type: RuleType) -> &'static str {
    match rule_type {
        RuleType::Error => "BUG",
        // The generic format has no hotspot type; a hotspot is reviewed like a vulnerability.
        RuleType::Vulnerability | RuleType::SecurityHotspot => "VULNERABILITY",
        RuleType::CodeSmell => "CODE_SMELL",
    }
}

impl Reporter for Sonarqube {
    fn file(&mut self, report: &FileReport, _out: &mut dyn Write) -> io::Result<()> {
        let path = display_path(&report.path);
        for f in findings_of(report) {
            // SonarQube columns are zero-based; an empty range must still cover a character.
            let (start_column, mut end_column) = (f.col - 1, f.end_col - 1);
            if f.end_line == f.line && end_column <= start_column {
                end_column = start_column + 1;
            }
            let secondary: Vec<_> = f
                .related
                .iter()
                .map(|&[line, col, end_line, end_col]| {
                    let end_col = if end_line == line && end_col <= col { col + 1 } else { end_col };
                    json!({
                        "message": f.message,
                        "filePath": path,
                        "textRange": { "startLine": line, "endLine": end_line, "startColumn": col - 1, "endColumn": end_col - 1 },
                    })
                })
                .collect();
            let mut issue = json!({
                "engineId": "bsl-assist",
                "ruleId": f.code,
                "severity": severity(f.severity),
                "type": issue_type(f.rule_type),
                "effortMinutes": f.minutes(),
                "primaryLocation": {
                    "message": f.message,
                    "filePath": path,
                    "textRange": {
                        "startLine": f.line,
                        "endLine": f.end_line,
                        "startColumn": start_column,
                        "endColumn": end_column,
                    }
                }
            });
            if !secondary.is_empty() {
                issue["secondaryLocations"] = secondary.into();
            }
            self.issues.push(issue);
        }
        Ok(())
    }

    fn finish(&mut self, _totals: &ScanTotals, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &json!({ "issues": std::mem::take(&mut self.issues) }))?;
        writeln!(out)
    }
}
