//! Calls: signature help while typing arguments (this module's methods, then platform
//! methods from the knowledge base), and inlay hints naming the parameter each argument
//! fills.

use bsl_analysis::resolve::{self, Symbol};
use bsl_syntax::Module;
use bsl_syntax::tree_sitter::Node;
use tower_lsp_server::ls_types::{
    InlayHint, InlayHintKind, InlayHintLabel, ParameterInformation, ParameterLabel, Position, Range, SignatureHelp,
    SignatureInformation,
};

use super::hover;
use crate::convert;
use crate::session::Snapshot;

/// The method a call expression calls, if it is one of this module's.
fn called_method<'m>(snap: &Snapshot, module: &'m Module, call: Node<'_>) -> Option<&'m bsl_syntax::Method> {
    let function = call.child_by_field_name("function")?;
    if function.kind() != "identifier" {
        return None;
    }
    match resolve::symbol_at(&snap.parse, module, function.start_byte())? {
        Symbol::Method(index) => module.methods.get(index),
        _ => None,
    }
}

/// The argument index at `offset` inside an `arguments` node: the commas before it.
fn argument_index(arguments: Node<'_>, offset: usize) -> usize {
    let mut cursor = arguments.walk();
    arguments.children(&mut cursor).filter(|c| c.kind() == "," && c.end_byte() <= offset).count()
}

pub fn signature_help(snap: &Snapshot, position: Position) -> Option<SignatureHelp> {
    let parse = &snap.parse;
    let offset = convert::offset(parse, position);
    let module = parse.module();
    let mut node = parse.root().descendant_for_byte_range(offset, offset);
    // The innermost call whose parentheses hold the cursor.
    while let Some(current) = node {
        if current.kind() == "arguments"
            && current.start_byte() < offset
            && (offset < current.end_byte()
                || current.child(current.child_count().saturating_sub(1)).is_some_and(|c| c.is_missing()))
            && let Some(call) = current.parent().filter(|p| p.kind() == "call_expression")
        {
            let active = argument_index(current, offset) as u32;
            let Some(method) = called_method(snap, &module, call) else {
                // A platform method, from the knowledge base.
                let mut signature = super::platform::signature(snap, call)?;
                signature.active_parameter = Some(active);
                return Some(SignatureHelp {
                    signatures: vec![signature],
                    active_signature: Some(0),
                    active_parameter: Some(active),
                });
            };
            let parameters = method
                .parameters
                .iter()
                .map(|p| ParameterInformation { label: ParameterLabel::Simple(p.name.clone()), documentation: None })
                .collect();
            return Some(SignatureHelp {
                signatures: vec![SignatureInformation {
                    label: hover::signature(method),
                    documentation: None,
                    parameters: Some(parameters),
                    active_parameter: Some(argument_index(current, offset) as u32),
                }],
                active_signature: Some(0),
                active_parameter: Some(argument_index(current, offset) as u32),
            });
        }
        node = current.parent();
    }
    None
}

pub fn inlay_hints(snap: &Snapshot, range: Range) -> Vec<InlayHint> {
    let parse = &snap.parse;
    let visible = convert::byte_range(parse, range);
    let module = parse.module();
    let mut hints = Vec::new();
    let inside = |node: Node<'_>| node.end_byte() >= visible.start && node.start_byte() <= visible.end;
    for node in bsl_syntax::walk::preorder_where(parse.root(), inside) {
        if inside(node)
            && node.kind() == "call_expression"
            && let Some(method) = called_method(snap, &module, node)
            && let Some(arguments) = node.child_by_field_name("arguments")
        {
            let mut index = 0;
            let mut child_cursor = arguments.walk();
            for child in arguments.children(&mut child_cursor) {
                match child.kind() {
                    "," => index += 1,
                    "(" | ")" => {}
                    _ if child.is_extra() => {}
                    _ => {
                        let text = parse.node_text(child);
                        let Some(parameter) = method.parameters.get(index) else { continue };
                        // A name equal to the parameter's says it already.
                        if !bsl_syntax::keywords::eq_ignore_case(text, &parameter.name) {
                            hints.push(InlayHint {
                                position: convert::position(parse, child.start_byte()),
                                label: InlayHintLabel::String(format!("{}:", parameter.name)),
                                kind: Some(InlayHintKind::PARAMETER),
                                text_edits: None,
                                tooltip: None,
                                padding_left: None,
                                padding_right: Some(true),
                                data: None,
                            });
                        }
                    }
                }
            }
        }
    }
    hints
}
