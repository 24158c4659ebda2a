//! Small tree queries several rules share.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

/// Every descendant of `node` (itself included) of one of `kinds`, in document order,
/// walked without recursion.
pub fn descendants_of_kind<'t>(node: Node<'t>, kinds: &[&str]) -> Vec<Node<'t>> {
    bsl_syntax::walk::preorder(node).filter(|n| kinds.contains(&n.kind_str())).collect()
}

/// Whether `test` holds for one of [`descendants_of_kind`], read from the check's shared flat
/// lists when `node` is in one (no walk of the tree).
pub fn any_descendant_of_kind(
    facts: &crate::rules::ModuleFacts<'_>,
    node: Node<'_>,
    kinds: &[&str],
    mut test: impl FnMut(Node<'_>) -> bool,
) -> bool {
    match facts.subtree(node) {
        Some(nodes) => nodes.iter().any(|e| kinds.contains(&e.kind_str()) && test(e.node)),
        None => bsl_syntax::walk::preorder(node).any(|n| kinds.contains(&n.kind_str()) && test(n)),
    }
}
