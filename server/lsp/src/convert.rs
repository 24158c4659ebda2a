//! Conversions between editor-neutral data (byte offsets, analysis types) and LSP types.
//! Positions are UTF-16 code units, LSP's default encoding; out-of-range positions clamp.

use std::ops::Range;
use std::path::PathBuf;

use bsl_analysis::{ModuleKind, Severity};
use bsl_syntax::{Encoding, LineCol, Parse};
use tower_lsp_server::ls_types::{DiagnosticSeverity, Position, Range as LspRange, Uri};

/// The byte offset of an LSP position.
pub fn offset(parse: &Parse, position: Position) -> usize {
    parse.line_index().offset(parse.text(), LineCol { line: position.line, col: position.character }, Encoding::Utf16)
}

/// The LSP position of a byte offset.
pub fn position(parse: &Parse, offset: usize) -> Position {
    let at = parse.line_index().position(parse.text(), offset, Encoding::Utf16);
    Position { line: at.line, character: at.col }
}

pub fn range(parse: &Parse, range: Range<usize>) -> LspRange {
    LspRange { start: position(parse, range.start), end: position(parse, range.end) }
}

pub fn byte_range(parse: &Parse, range: LspRange) -> Range<usize> {
    let start = offset(parse, range.start);
    start..offset(parse, range.end).max(start)
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Blocker | Severity::Critical => DiagnosticSeverity::ERROR,
        Severity::Major => DiagnosticSeverity::WARNING,
        Severity::Minor => DiagnosticSeverity::INFORMATION,
        Severity::Info => DiagnosticSeverity::HINT,
    }
}

pub fn path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// The module kind judged from the document's path.
pub fn module_kind(uri: &Uri) -> ModuleKind {
    match path(uri) {
        Some(path) => ModuleKind::from_path(&path),
        None => {
            // An untitled or virtual document: judge by the name in the URI.
            let text = uri.as_str();
            if text.ends_with(".os") { ModuleKind::OneScriptModule } else { ModuleKind::Unknown }
        }
    }
}
