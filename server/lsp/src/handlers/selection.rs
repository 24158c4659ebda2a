//! Selection ranges: from the token under the cursor outwards through its syntax
//! ancestors.

use tower_lsp_server::ls_types::{Position, SelectionRange};

use crate::convert;
use crate::session::Snapshot;

pub fn selection_ranges(snap: &Snapshot, positions: &[Position]) -> Vec<SelectionRange> {
    let parse = &snap.parse;
    positions
        .iter()
        .map(|&position| {
            let offset = convert::offset(parse, position);
            let mut ranges = Vec::new();
            let mut node = parse.root().descendant_for_byte_range(offset, offset);
            while let Some(current) = node {
                let range = current.byte_range();
                if ranges.last() != Some(&range) {
                    ranges.push(range);
                }
                node = current.parent();
            }
            let mut selection: Option<SelectionRange> = None;
            for range in ranges.into_iter().rev() {
                selection =
                    Some(SelectionRange { range: convert::range(parse, range), parent: selection.map(Box::new) });
            }
            selection.unwrap_or(SelectionRange { range: convert::range(parse, offset..offset), parent: None })
        })
        .collect()
}
