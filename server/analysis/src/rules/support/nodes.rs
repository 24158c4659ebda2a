//! Small tree queries several rules share.

use tree_sitter::Node;

/// Every descendant of `node` (itself included) of one of `kinds`, in document order,
/// walked without recursion.
pub fn descendants_of_kind<'t>(node: Node<'t>, kinds: &[&str]) -> Vec<Node<'t>> {
    bsl_syntax::walk::preorder(node).filter(|n| kinds.contains(&n.kind())).collect()
}
