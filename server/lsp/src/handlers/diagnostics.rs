//! Diagnostics in LSP form, with a link to each rule's documentation.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use bsl_analysis::Diagnostic;
use bsl_analysis::rules::{docs, find_rule};
use bsl_syntax::Parse;
use tower_lsp_server::ls_types::{self as lsp, CodeDescription, NumberOrString, Uri};

use crate::convert;

pub const SOURCE: &str = "bsl-assist";

/// Where rule documentation pages are written for editors to open (`codeDescription`):
/// the cache directory, so the link works offline.
fn docs_dir() -> Option<&'static PathBuf> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = std::env::var_os("BSL_ASSIST_CACHE")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/bsl-assist")))?;
        let dir = base.join("docs/rules");
        std::fs::create_dir_all(&dir).ok()?;
        Some(dir)
    })
    .as_ref()
}

/// A `file://` link to the rule's page, written on first use (and looked up once per rule
/// and process: a file check for each of thousands of findings would cost more than the
/// check).
pub fn rule_doc_uri(code: &str) -> Option<Uri> {
    static LINKS: OnceLock<Mutex<HashMap<String, Option<Uri>>>> = OnceLock::new();
    let links = LINKS.get_or_init(Default::default);
    if let Some(link) = links.lock().unwrap_or_else(|e| e.into_inner()).get(code) {
        return link.clone();
    }
    let link = write_rule_page(code);
    links.lock().unwrap_or_else(|e| e.into_inner()).insert(code.to_string(), link.clone());
    link
}

fn write_rule_page(code: &str) -> Option<Uri> {
    let rule = find_rule(code)?;
    let path = docs_dir()?.join(format!("{code}.md"));
    if !path.exists() {
        std::fs::write(&path, docs::render(rule)).ok()?;
    }
    Uri::from_file_path(path)
}

/// At most this many related places go to the editor per diagnostic (the message gives the
/// count; the reports of `check` list them all).
const MAX_RELATED: usize = 5;

/// A diagnostic of the module at `uri` in LSP form; its related places (the other copies
/// of a duplicated literal) become related information, numbered `2/86`, `3/86`, ...
pub fn to_lsp(parse: &Parse, uri: &Uri, diagnostic: &Diagnostic) -> lsp::Diagnostic {
    let total = diagnostic.related.len() + 1;
    let related = diagnostic
        .related
        .iter()
        .take(MAX_RELATED)
        .enumerate()
        .map(|(i, range)| lsp::DiagnosticRelatedInformation {
            location: lsp::Location { uri: uri.clone(), range: convert::range(parse, range.clone()) },
            message: format!("{}/{total}", i + 2),
        })
        .collect::<Vec<_>>();
    lsp::Diagnostic {
        related_information: (!related.is_empty()).then_some(related),
        range: convert::range(parse, diagnostic.range.clone()),
        severity: Some(convert::severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: rule_doc_uri(diagnostic.code).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: diagnostic.message.clone(),
        tags: unnecessary(diagnostic.code).then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        ..lsp::Diagnostic::default()
    }
}

/// Rules whose findings editors may render faded.
fn unnecessary(code: &str) -> bool {
    matches!(
        code,
        "UnusedLocalVariable" | "UnusedLocalMethod" | "UnusedParameters" | "UnreachableCode" | "CommentedCode"
    )
}

/// The JSON text of the LSP list of `found` (each as [`to_lsp`] makes it) followed by
/// `extra`: the same bytes `serde_json` writes for that list, written straight from the
/// findings. A large module has thousands of findings; making LSP values of them first
/// (a copy of the document's URI for every related place) cost more than writing them.
/// A long list is written in pieces on rayon's threads and joined.
pub fn items_json(parse: &Parse, uri: &Uri, found: &[Diagnostic], extra: &[lsp::Diagnostic]) -> Vec<u8> {
    /// Findings per piece: a piece is worth a thread's time.
    const PIECE: usize = 256;
    let uri_json = serde_json::to_vec(uri.as_str()).expect("a string");
    let pieces: Vec<Vec<u8>> = if found.len() > PIECE {
        use rayon::prelude::*;
        found.par_chunks(PIECE).map(|piece| write_items(parse, &uri_json, piece)).collect()
    } else {
        vec![write_items(parse, &uri_json, found)]
    };
    let mut out = Vec::with_capacity(pieces.iter().map(|p| p.len() + 1).sum::<usize>() + extra.len() * 256 + 2);
    out.push(b'[');
    for piece in pieces.iter().filter(|p| !p.is_empty()) {
        if out.len() > 1 {
            out.push(b',');
        }
        out.extend_from_slice(piece);
    }
    for diagnostic in extra {
        if out.len() > 1 {
            out.push(b',');
        }
        write_json(&mut out, diagnostic);
    }
    out.push(b']');
    out
}

/// `found`'s items separated by commas, without brackets.
fn write_items(parse: &Parse, uri_json: &[u8], found: &[Diagnostic]) -> Vec<u8> {
    let mut out = Vec::with_capacity(found.len() * 700);
    // Per rule, what follows the severity: `"code":..,"codeDescription":..,"source":..`.
    let mut heads: HashMap<&'static str, Vec<u8>> = HashMap::new();
    for (i, diagnostic) in found.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"range\":");
        write_range(&mut out, parse, diagnostic.range.clone());
        out.extend_from_slice(b",\"severity\":");
        write_json(&mut out, &convert::severity(diagnostic.severity));
        let head = heads.entry(diagnostic.code).or_insert_with(|| {
            let mut head = b",\"code\":".to_vec();
            write_json(&mut head, diagnostic.code);
            if let Some(href) = rule_doc_uri(diagnostic.code) {
                head.extend_from_slice(b",\"codeDescription\":");
                write_json(&mut head, &CodeDescription { href });
            }
            head.extend_from_slice(b",\"source\":");
            write_json(&mut head, SOURCE);
            head
        });
        out.extend_from_slice(head);
        out.extend_from_slice(b",\"message\":");
        write_json(&mut out, &diagnostic.message);
        if !diagnostic.related.is_empty() {
            let total = diagnostic.related.len() + 1;
            out.extend_from_slice(b",\"relatedInformation\":[");
            for (i, range) in diagnostic.related.iter().take(MAX_RELATED).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(b"{\"location\":{\"uri\":");
                out.extend_from_slice(uri_json);
                out.extend_from_slice(b",\"range\":");
                write_range(&mut out, parse, range.clone());
                out.extend_from_slice(b"},\"message\":");
                write_json(&mut out, &format!("{}/{total}", i + 2));
                out.push(b'}');
            }
            out.push(b']');
        }
        if unnecessary(diagnostic.code) {
            out.extend_from_slice(b",\"tags\":");
            write_json(&mut out, &[lsp::DiagnosticTag::UNNECESSARY]);
        }
        out.push(b'}');
    }
    out
}

fn write_json(out: &mut Vec<u8>, value: &(impl serde::Serialize + ?Sized)) {
    serde_json::to_writer(out, value).expect("LSP values are JSON");
}

/// An LSP range as `serde_json` writes one, without going through its serializer (the
/// ranges of a large module's report are a good part of the time it takes to write).
fn write_range(out: &mut Vec<u8>, parse: &Parse, range: std::ops::Range<usize>) {
    let range = convert::range(parse, range);
    out.extend_from_slice(b"{\"start\":{\"line\":");
    write_number(out, range.start.line);
    out.extend_from_slice(b",\"character\":");
    write_number(out, range.start.character);
    out.extend_from_slice(b"},\"end\":{\"line\":");
    write_number(out, range.end.line);
    out.extend_from_slice(b",\"character\":");
    write_number(out, range.end.character);
    out.extend_from_slice(b"}}");
}

fn write_number(out: &mut Vec<u8>, mut value: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsl_analysis::rules::Config;
    use bsl_analysis::{ModuleKind, RuleSet};

    /// The written list is byte for byte what `serde_json` makes of the LSP values.
    #[test]
    fn items_are_written_as_serde_writes_them() {
        let text = "Процедура П(Неиспользуемый) Экспорт\n\tА = \"Значение \"\"x\"\"\" + \"Значение \"\"x\"\"\" + \"Значение \"\"x\"\"\" + \"Значение \"\"x\"\"\" + \"Значение \"\"x\"\"\";\n\tЕсли А = 1 Тогда\tКонецЕсли;\n\tБ = 10 * 365;   \nКонецПроцедуры\n\nПроцедура Лишняя()\nКонецПроцедуры\n";
        // And a module with more findings than one piece holds, which is written in pieces.
        let long: String = (0..200)
            .map(|i| format!("Процедура П{i}(Лишний)\n\tБ = 10 * 365 + \"Повтор\";   \nКонецПроцедуры\n"))
            .collect();
        let uri: Uri = "file:///%D0%BC%D0%BE%D0%B4%D1%83%D0%BB%D1%8C/Module.bsl".parse().unwrap();
        let extra = [lsp::Diagnostic { message: "риск \"x\"".into(), ..lsp::Diagnostic::default() }];
        for (text, pieces) in [(text, false), (long.as_str(), true)] {
            let parse = Parse::new(text);
            let found = RuleSet::new(&Config::default()).check(&parse, ModuleKind::Common);
            assert!(found.iter().any(|d| !d.related.is_empty()), "a finding with related places");
            assert!(found.iter().any(|d| unnecessary(d.code)), "a finding shown faded");
            assert_eq!(found.len() > 256, pieces, "{} findings", found.len());
            for (found, extra) in [(&found[..], &extra[..]), (&found, &[]), (&[], &extra), (&[], &[])] {
                let mut expected: Vec<lsp::Diagnostic> = found.iter().map(|d| to_lsp(&parse, &uri, d)).collect();
                expected.extend(extra.iter().cloned());
                let written = items_json(&parse, &uri, found, extra);
                assert_eq!(String::from_utf8(written).unwrap(), serde_json::to_string(&expected).unwrap());
            }
        }
    }
}
