//! Folding ranges: regions, methods, statement blocks, `#Если` branches, runs of comment
//! lines and multi-line strings.

use tower_lsp_server::ls_types::{FoldingRange, FoldingRangeKind};

use crate::session::Snapshot;

const BLOCKS: &[&str] = &[
    "method_declaration",
    "if_statement",
    "elsif_clause",
    "else_clause",
    "while_statement",
    "for_statement",
    "for_each_statement",
    "try_statement",
    "except_clause",
    "string",
    "preproc_delete",
    "arguments",
    "ternary_expression",
];

pub fn folding_ranges(snap: &Snapshot) -> Vec<FoldingRange> {
    let parse = &snap.parse;
    let index = parse.line_index();
    let line = |offset: usize| index.line_of(offset);
    let mut out = Vec::new();
    let mut push = |start: u32, end: u32, kind: Option<FoldingRangeKind>| {
        if end > start {
            out.push(FoldingRange { start_line: start, end_line: end, kind, ..FoldingRange::default() });
        }
    };
    let module = parse.module();
    for region in &module.regions {
        push(line(region.range.start), line(region.range.end), Some(FoldingRangeKind::Region));
    }
    for block in &module.preproc_blocks {
        for branch in &block.branches {
            // From the directive line to the line before the next directive.
            let end = line(branch.body_range.end).saturating_sub(1);
            push(line(branch.directive_range.start), end, Some(FoldingRangeKind::Region));
        }
    }
    // Runs of comment lines, and blocks, in one walk.
    let mut comment_run: Option<(u32, u32)> = None;
    for node in bsl_syntax::walk::preorder(parse.root()) {
        let kind = node.kind();
        if kind == "comment" {
            // A comment token may hold a run of comment lines.
            let (first, last) = (line(node.start_byte()), line(node.end_byte().saturating_sub(1)));
            comment_run = match comment_run {
                Some((start, end)) if end + 1 == first => Some((start, last)),
                Some((start, end)) => {
                    push(start, end, Some(FoldingRangeKind::Comment));
                    Some((first, last))
                }
                None => Some((first, last)),
            };
        } else if BLOCKS.contains(&kind) {
            let kind = (kind == "preproc_delete").then_some(FoldingRangeKind::Region);
            push(line(node.start_byte()), line(node.end_byte().saturating_sub(1)), kind);
        }
    }
    if let Some((start, end)) = comment_run {
        push(start, end, Some(FoldingRangeKind::Comment));
    }
    out.sort_by_key(|f| (f.start_line, std::cmp::Reverse(f.end_line)));
    out.dedup_by(|a, b| a.start_line == b.start_line && a.end_line == b.end_line);
    out
}
