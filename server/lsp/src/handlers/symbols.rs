//! Hierarchical document symbols: regions holding methods and module variables, nested as
//! the regions nest.

use std::ops::Range;

use bsl_syntax::MethodKind;
use tower_lsp_server::ls_types::{DocumentSymbol, SymbolKind};

use crate::convert;
use crate::session::Snapshot;

struct Item {
    range: Range<usize>,
    selection: Range<usize>,
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be set.
fn to_symbol(snap: &Snapshot, item: &Item, children: Vec<DocumentSymbol>) -> DocumentSymbol {
    DocumentSymbol {
        name: if item.name.is_empty() { "?".to_string() } else { item.name.clone() },
        detail: item.detail.clone(),
        kind: item.kind,
        tags: None,
        deprecated: None,
        range: convert::range(&snap.parse, item.range.clone()),
        selection_range: convert::range(&snap.parse, item.selection.clone()),
        children: (!children.is_empty()).then_some(children),
    }
}

pub fn document_symbols(snap: &Snapshot) -> Vec<DocumentSymbol> {
    let module = snap.parse.module();
    let mut items: Vec<Item> = Vec::new();
    for region in &module.regions {
        items.push(Item {
            range: region.range.clone(),
            selection: region.name_range.clone(),
            name: region.name.clone(),
            detail: None,
            kind: SymbolKind::NAMESPACE,
        });
    }
    for method in &module.methods {
        let parameters: Vec<&str> = method.parameters.iter().map(|p| p.name.as_str()).collect();
        let mut detail = format!("({})", parameters.join(", "));
        if method.export {
            detail.push_str(" Экспорт");
        }
        items.push(Item {
            range: method.range.clone(),
            selection: method.name_range.clone(),
            name: method.name.clone(),
            detail: Some(detail),
            kind: match method.kind {
                MethodKind::Function => SymbolKind::FUNCTION,
                MethodKind::Procedure => SymbolKind::METHOD,
            },
        });
    }
    for variable in &module.variables {
        items.push(Item {
            range: variable.range.clone(),
            selection: variable.name_range.clone(),
            name: variable.name.clone(),
            detail: variable.export.then(|| "Экспорт".to_string()),
            kind: SymbolKind::VARIABLE,
        });
    }
    // Outer items first: by start, then by length descending.
    items.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(b.range.end.cmp(&a.range.end)));
    nest(snap, &items, &mut 0, usize::MAX)
}

/// Builds the symbols that start at `*next` and end within `limit`, consuming them.
fn nest(snap: &Snapshot, items: &[Item], next: &mut usize, limit: usize) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    while *next < items.len() && items[*next].range.end <= limit {
        let item = &items[*next];
        *next += 1;
        let children =
            if item.kind == SymbolKind::NAMESPACE { nest(snap, items, next, item.range.end) } else { Vec::new() };
        out.push(to_symbol(snap, item, children));
    }
    out
}
