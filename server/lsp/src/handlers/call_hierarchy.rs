//! Call hierarchy between the methods of a module: who calls a method, and what it calls.

use std::collections::BTreeMap;
use std::ops::Range;

use bsl_analysis::resolve::{self, Symbol};
use bsl_syntax::{Method, MethodKind, Module};
use tower_lsp_server::ls_types::{
    CallHierarchyIncomingCall, CallHierarchyItem, CallHierarchyOutgoingCall, Position, SymbolKind,
};

use crate::convert;
use crate::session::Snapshot;

fn item(snap: &Snapshot, method: &Method) -> CallHierarchyItem {
    CallHierarchyItem {
        name: method.name.clone(),
        kind: match method.kind {
            MethodKind::Function => SymbolKind::FUNCTION,
            MethodKind::Procedure => SymbolKind::METHOD,
        },
        tags: None,
        detail: Some(super::hover::signature(method)),
        uri: snap.uri.clone(),
        range: convert::range(&snap.parse, method.range.clone()),
        selection_range: convert::range(&snap.parse, method.name_range.clone()),
        data: None,
    }
}

fn method_for(snap: &Snapshot, module: &Module, position: Position) -> Option<usize> {
    let offset = convert::offset(&snap.parse, position);
    match resolve::symbol_at(&snap.parse, module, offset) {
        Some(Symbol::Method(index)) => Some(index),
        _ => None,
    }
}

pub fn prepare(snap: &Snapshot, position: Position) -> Option<Vec<CallHierarchyItem>> {
    let module = snap.parse.module();
    let index = method_for(snap, &module, position)?;
    Some(vec![item(snap, &module.methods[index])])
}

/// Every call of a module method: (calling method, called method, call name range).
fn calls(snap: &Snapshot, module: &Module) -> Vec<(usize, usize, Range<usize>)> {
    let parse = &snap.parse;
    let mut out = Vec::new();
    for node in bsl_syntax::walk::preorder(parse.root()) {
        if node.kind() == "call_expression"
            && let Some(function) = node.child_by_field_name("function").filter(|f| f.kind() == "identifier")
            && let Some(caller) = module.methods.iter().position(|m| m.range.contains(&node.start_byte()))
            && let Some(Symbol::Method(callee)) = resolve::symbol_at(parse, module, function.start_byte())
        {
            out.push((caller, callee, function.byte_range()));
        }
    }
    out
}

pub fn incoming(snap: &Snapshot, target: &CallHierarchyItem) -> Vec<CallHierarchyIncomingCall> {
    let module = snap.parse.module();
    let Some(index) = method_for(snap, &module, target.selection_range.start) else { return Vec::new() };
    let mut by_caller: BTreeMap<usize, Vec<Range<usize>>> = BTreeMap::new();
    for (caller, callee, range) in calls(snap, &module) {
        if callee == index {
            by_caller.entry(caller).or_default().push(range);
        }
    }
    by_caller
        .into_iter()
        .map(|(caller, ranges)| CallHierarchyIncomingCall {
            from: item(snap, &module.methods[caller]),
            from_ranges: ranges.into_iter().map(|r| convert::range(&snap.parse, r)).collect(),
        })
        .collect()
}

pub fn outgoing(snap: &Snapshot, source: &CallHierarchyItem) -> Vec<CallHierarchyOutgoingCall> {
    let module = snap.parse.module();
    let Some(index) = method_for(snap, &module, source.selection_range.start) else { return Vec::new() };
    let mut by_callee: BTreeMap<usize, Vec<Range<usize>>> = BTreeMap::new();
    for (caller, callee, range) in calls(snap, &module) {
        if caller == index {
            by_callee.entry(callee).or_default().push(range);
        }
    }
    by_callee
        .into_iter()
        .map(|(callee, ranges)| CallHierarchyOutgoingCall {
            to: item(snap, &module.methods[callee]),
            from_ranges: ranges.into_iter().map(|r| convert::range(&snap.parse, r)).collect(),
        })
        .collect()
}
