//! Small tree queries several rules share.

use tree_sitter::Node;

/// Every descendant of `node` (itself included) of one of `kinds`, in document order,
/// walked without recursion.
pub fn descendants_of_kind<'t>(node: Node<'t>, kinds: &[&str]) -> Vec<Node<'t>> {
    let mut found = Vec::new();
    let mut cursor = node.walk();
    'walk: loop {
        let current = cursor.node();
        if kinds.contains(&current.kind()) {
            found.push(current);
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == node {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    found
}
