//! `--format sarif`: a SARIF 2.1.0 log with one run, the rules that fired, and the results
//! with paths relative to the folder the check ran from. Results are streamed as files are
//! checked; the tool and its rules, known only at the end, follow them (the order of a JSON
//! object's members does not matter), so memory stays flat however many results there are.

use std::collections::BTreeMap;
use std::io::{self, Write};

use bsl_analysis::Severity;
use bsl_analysis::rules::find_rule;
use serde_json::{Value, json};

use super::{Reporter, display_path, findings_of};
use crate::cli::scan::{FileReport, ScanTotals};

#[derive(Default)]
pub struct Sarif {
    /// Whether the log's opening and the first result are written.
    opened: bool,
    results: usize,
    /// Rule code to its index in the driver's rule list.
    rules: BTreeMap<&'static str, usize>,
    rule_order: Vec<&'static str>,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Blocker | Severity::Critical => "error",
        Severity::Major | Severity::Minor => "warning",
        Severity::Info => "note",
    }
}

fn rule_descriptor(code: &str) -> Value {
    match find_rule(code) {
        Some(rule) => {
            let meta = rule.rule.meta();
            json!({
                "id": meta.code,
                "name": meta.code,
                "shortDescription": { "text": meta.name_en },
                "fullDescription": { "text": rule.doc.lines().next().unwrap_or(meta.name_en) },
                "help": { "text": rule.doc, "markdown": rule.doc },
                "defaultConfiguration": { "level": level(meta.severity), "enabled": meta.enabled_by_default },
                "properties": { "tags": meta.tags, "nameRu": meta.name_ru, "type": meta.rule_type.name() },
            })
        }
        None => json!({ "id": code, "shortDescription": { "text": "The file could not be read" } }),
    }
}

impl Reporter for Sarif {
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        self.open(out)?;
        let uri = display_path(&report.path);
        for f in findings_of(report) {
            let index = *self.rules.entry(f.code).or_insert_with(|| {
                self.rule_order.push(f.code);
                self.rule_order.len() - 1
            });
            out.write_all(if self.results > 0 { b",\n" } else { b"\n" })?;
            self.results += 1;
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri, "uriBaseId": "SRCROOT" },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.col,
                            "endLine": f.end_line,
                            "endColumn": f.end_col,
                        }
                    }
                }],
                "partialFingerprints": { "primaryLocationLineHash": super::fingerprint(&uri, &f) },
            });
            if !f.related.is_empty() {
                result["relatedLocations"] = f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, [line, column, end_line, end_column])| {
                        json!({
                            "id": id,
                            "physicalLocation": {
                                "artifactLocation": { "uri": uri, "uriBaseId": "SRCROOT" },
                                "region": {
                                    "startLine": line,
                                    "startColumn": column,
                                    "endLine": end_line,
                                    "endColumn": end_column,
                                }
                            }
                        })
                    })
                    .collect();
            }
            serde_json::to_writer(&mut *out, &result)?;
        }
        Ok(())
    }

    fn finish(&mut self, _totals: &ScanTotals, out: &mut dyn Write) -> io::Result<()> {
        self.open(out)?;
        let rules: Vec<Value> = self.rule_order.iter().map(|code| rule_descriptor(code)).collect();
        let tool = json!({
            "driver": {
                "name": "bsl-assist",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/bsl-assist",
                "rules": rules,
            }
        });
        out.write_all(b"\n],\n\"tool\": ")?;
        serde_json::to_writer_pretty(&mut *out, &tool)?;
        out.write_all(b"\n}]\n}\n")
    }
}

impl Sarif {
    /// Writes the log up to the opening of the results array, once.
    fn open(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.opened {
            return Ok(());
        }
        self.opened = true;
        let root = std::env::current_dir().map(|d| d.to_string_lossy().replace('\\', "/")).unwrap_or_default();
        let root_uri = format!("file://{}/", root.trim_end_matches('/'));
        let base = json!({ "SRCROOT": { "uri": root_uri } });
        write!(
            out,
            "{{\n\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n\"version\": \"2.1.0\",\n\"runs\": [{{\n\"originalUriBaseIds\": {base},\n\"columnKind\": \"utf16CodeUnits\",\n\"results\": ["
        )
    }
}
