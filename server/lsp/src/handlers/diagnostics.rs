//! Diagnostics in LSP form, with a link to each rule's documentation.

use std::path::PathBuf;
use std::sync::OnceLock;

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

/// A `file://` link to the rule's page, written on first use.
pub fn rule_doc_uri(code: &str) -> Option<Uri> {
    let rule = find_rule(code)?;
    let path = docs_dir()?.join(format!("{code}.md"));
    if !path.exists() {
        std::fs::write(&path, docs::render(rule)).ok()?;
    }
    Uri::from_file_path(path)
}

pub fn to_lsp(parse: &Parse, diagnostic: &Diagnostic) -> lsp::Diagnostic {
    lsp::Diagnostic {
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
