//! Navigation inside a module: go to definition, find references, document highlight,
//! rename with prepareRename.

use std::collections::HashMap;

use bsl_analysis::resolve::{self, Access, Symbol};
use bsl_syntax::keywords;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentHighlight, DocumentHighlightKind, Location, Position, PrepareRenameResponse, TextEdit, WorkspaceEdit,
};

use crate::convert;
use crate::session::{Snapshot, invalid_params};

fn symbol(snap: &Snapshot, position: Position) -> Option<(std::sync::Arc<bsl_syntax::Module>, Symbol)> {
    let module = snap.parse.module();
    let offset = convert::offset(&snap.parse, position);
    let symbol = resolve::symbol_at(&snap.parse, &module, offset)?;
    Some((module, symbol))
}

pub fn definition(snap: &Snapshot, position: Position) -> Option<Location> {
    let (module, symbol) = symbol(snap, position)?;
    let (_, range) = resolve::declaration(&module, &symbol);
    Some(Location { uri: snap.uri.clone(), range: convert::range(&snap.parse, range) })
}

pub fn references(snap: &Snapshot, position: Position, include_declaration: bool) -> Vec<Location> {
    let Some((module, symbol)) = symbol(snap, position) else { return Vec::new() };
    resolve::references(&snap.parse, &module, &symbol)
        .into_iter()
        .filter(|r| include_declaration || r.access != Access::Declaration)
        .map(|r| Location { uri: snap.uri.clone(), range: convert::range(&snap.parse, r.range) })
        .collect()
}

pub fn highlights(snap: &Snapshot, position: Position) -> Vec<DocumentHighlight> {
    let Some((module, symbol)) = symbol(snap, position) else { return Vec::new() };
    resolve::references(&snap.parse, &module, &symbol)
        .into_iter()
        .map(|r| DocumentHighlight {
            range: convert::range(&snap.parse, r.range),
            kind: Some(match r.access {
                Access::Read => DocumentHighlightKind::READ,
                Access::Write | Access::Declaration => DocumentHighlightKind::WRITE,
            }),
        })
        .collect()
}

/// Where a rename may start: a name of this module (not a member, keyword or platform name).
pub fn prepare_rename(snap: &Snapshot, position: Position) -> Option<PrepareRenameResponse> {
    let offset = convert::offset(&snap.parse, position);
    let node = resolve::identifier_at(&snap.parse, offset)?;
    let module = snap.parse.module();
    resolve::symbol_at(&snap.parse, &module, offset)?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: convert::range(&snap.parse, node.byte_range()),
        placeholder: snap.parse.node_text(node).to_string(),
    })
}

/// Whether `name` can stand as a name in BSL: a letter or `_`, then letters, digits, `_`,
/// and not a keyword.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && !keywords::is_keyword(name)
}

pub fn rename(snap: &Snapshot, position: Position, new_name: &str) -> Result<Option<WorkspaceEdit>> {
    if !is_valid_name(new_name) {
        return Err(invalid_params(format!("`{new_name}` is not a valid name")));
    }
    let Some((module, symbol)) = symbol(snap, position) else {
        return Err(invalid_params("there is no name of this module here to rename"));
    };
    if let Symbol::Method(index) = symbol
        && module.methods[index].export
    {
        return Err(invalid_params(
            "the method is exported: other modules may call it, rename it where the workspace is indexed",
        ));
    }
    let edits: Vec<TextEdit> = resolve::references(&snap.parse, &module, &symbol)
        .into_iter()
        .map(|r| TextEdit { range: convert::range(&snap.parse, r.range), new_text: new_name.to_string() })
        .collect();
    Ok(Some(WorkspaceEdit { changes: Some(HashMap::from([(snap.uri.clone(), edits)])), ..WorkspaceEdit::default() }))
}
