//! Navigation: go to definition, find references, document highlight, rename with
//! prepareRename. Names of the module are resolved in it; calls into common, manager and
//! OneScript modules, global methods and OneScript classes through the workspace index.

use std::collections::HashMap;

use std::path::{Path, PathBuf};

use bsl_analysis::resolve::{self, Access, Symbol};
use bsl_analysis::workspace::{Target, WorkspaceIndex, target_at};
use bsl_syntax::keywords::{self, eq_ignore_case};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentHighlight, DocumentHighlightKind, Location, Position, PrepareRenameResponse, Range, TextEdit, Uri,
    WorkspaceEdit,
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
    if let Some((module, symbol)) = symbol(snap, position) {
        let (_, range) = resolve::declaration(&module, &symbol);
        return Some(Location { uri: snap.uri.clone(), range: convert::range(&snap.parse, range) });
    }
    let (target, _) = target_at(&snap.parse, convert::offset(&snap.parse, position))?;
    let index = snap.workspace.index();
    let (path, line, column, name) = match &target {
        Target::Method { qualifier, name } => {
            let (module, method) = index.resolve_method(qualifier, name)?;
            (module.path.clone(), method.line, method.column, method.name.as_str())
        }
        Target::Module(qualifier) => (index.resolve_module(qualifier)?.path.clone(), 0, 0, ""),
        Target::Class(name) => (index.onescript_class(name)?.path.clone(), 0, 0, ""),
    };
    let start = Position { line, character: column };
    let end = Position { line, character: column + name.encode_utf16().count() as u32 };
    Some(Location { uri: Uri::from_file_path(&path)?, range: Range { start, end } })
}

/// The method at the cursor as other modules see it: its module's path and its name. Only
/// exported methods and methods of other modules qualify; a private method's references are
/// all in its own module.
fn workspace_method(snap: &Snapshot, index: &WorkspaceIndex, position: Position) -> Option<(PathBuf, String)> {
    if let Some((module, symbol)) = symbol(snap, position) {
        return match symbol {
            Symbol::Method(i) if module.methods[i].export => Some((snap.path()?, module.methods[i].name.clone())),
            _ => None,
        };
    }
    match target_at(&snap.parse, convert::offset(&snap.parse, position))?.0 {
        Target::Method { qualifier, name } => {
            let (module, method) = index.resolve_method(&qualifier, &name)?;
            Some((module.path.clone(), method.name.clone()))
        }
        _ => None,
    }
}

/// Every call of an exported method across the workspace, and its declaration, as
/// locations. A range whose text is not the method's name (the index is older than the
/// file) is left out.
fn workspace_references(snap: &Snapshot, path: &Path, name: &str, include_declaration: bool) -> Vec<Location> {
    // The open document's latest text counts, not the one indexed before the last keystroke.
    if let Some(own) = snap.path() {
        snap.workspace.update_open(&own, &snap.parse);
    }
    let index = snap.workspace.index();
    let mut locator = snap.locator();
    let mut out = Vec::new();
    if include_declaration && let Some(method) = index.module(path).and_then(|m| m.method(name)) {
        out.extend(locator.location(path, method.name_range.start as usize..method.name_range.end as usize));
    }
    for (file, ranges) in index.callers(path, name) {
        let Some(text) = locator.text(file) else { continue };
        for range in ranges {
            if text.get(range.clone()).is_some_and(|t| eq_ignore_case(t, name)) {
                out.extend(locator.location(file, range));
            }
        }
    }
    out
}

pub fn references(snap: &Snapshot, position: Position, include_declaration: bool) -> Vec<Location> {
    let target = workspace_method(snap, &snap.workspace.index(), position);
    if let Some((path, name)) = target {
        return workspace_references(snap, &path, &name, include_declaration);
    }
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

/// Where a rename may start: a name of this module, or a method of another module of the
/// workspace (not a member of a platform object, a keyword or a platform name).
pub fn prepare_rename(snap: &Snapshot, position: Position) -> Option<PrepareRenameResponse> {
    let offset = convert::offset(&snap.parse, position);
    let node = resolve::identifier_at(&snap.parse, offset)?;
    let module = snap.parse.module();
    if resolve::symbol_at(&snap.parse, &module, offset).is_none() {
        workspace_method(snap, &snap.workspace.index(), position)?;
    }
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
    let target = workspace_method(snap, &snap.workspace.index(), position);
    if let Some((path, name)) = target {
        if !snap.workspace.is_ready() {
            return Err(invalid_params(
                "the workspace is still being indexed: try again when indexing ends, so no caller is missed",
            ));
        }
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for location in workspace_references(snap, &path, &name, true) {
            changes
                .entry(location.uri)
                .or_default()
                .push(TextEdit { range: location.range, new_text: new_name.to_string() });
        }
        return Ok(Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }));
    }
    let Some((module, symbol)) = symbol(snap, position) else {
        return Err(invalid_params("there is no name of this module or of the workspace here to rename"));
    };
    let edits: Vec<TextEdit> = resolve::references(&snap.parse, &module, &symbol)
        .into_iter()
        .map(|r| TextEdit { range: convert::range(&snap.parse, r.range), new_text: new_name.to_string() })
        .collect();
    Ok(Some(WorkspaceEdit { changes: Some(HashMap::from([(snap.uri.clone(), edits)])), ..WorkspaceEdit::default() }))
}
