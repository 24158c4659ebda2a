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
