//! r2_args: arguments of calls and constructors by position.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

/// The argument at a position of a call or `Новый`, counting left-out arguments
/// (`Ф(А, , В)`: `В` is at 2); `None` when it is left out or absent.
pub fn argument_at(node: Node<'_>, position: usize) -> Option<Node<'_>> {
    let arguments = node.field("arguments")?;
    let mut cursor = arguments.walk();
    let mut index = 0;
    for child in arguments.children(&mut cursor) {
        if child.is_extra() {
            continue;
        }
        match child.kind_str() {
            "," => index += 1,
            "(" | ")" => {}
            _ if index == position => return Some(child),
            _ => {}
        }
    }
    None
}
