//! Document and range formatting through the analysis layer's formatter.

use bsl_analysis::format::{FormatOptions, format, format_range};
use tower_lsp_server::ls_types::{FormattingOptions, Range, TextEdit};

use crate::convert;
use crate::session::Snapshot;

fn options(client: &FormattingOptions) -> FormatOptions {
    // The editor's choice of tabs or spaces wins over what the file suggests.
    let indent =
        if client.insert_spaces { " ".repeat(client.tab_size.clamp(1, 16) as usize) } else { "\t".to_string() };
    FormatOptions { indent: Some(indent) }
}

pub fn document(snap: &Snapshot, client: &FormattingOptions) -> Vec<TextEdit> {
    to_lsp(snap, format(&snap.parse, &options(client)))
}

pub fn range(snap: &Snapshot, range: Range, client: &FormattingOptions) -> Vec<TextEdit> {
    let bytes = convert::byte_range(&snap.parse, range);
    to_lsp(snap, format_range(&snap.parse, &options(client), bytes))
}

fn to_lsp(snap: &Snapshot, edits: Vec<bsl_analysis::Edit>) -> Vec<TextEdit> {
    edits.into_iter().map(|e| TextEdit { range: convert::range(&snap.parse, e.range), new_text: e.new_text }).collect()
}
