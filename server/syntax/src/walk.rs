//! Iterative tree walks. Recursion over the tree can exhaust a thread's stack on long
//! expression chains, and `Node::parent` costs a descent from the root, so walks go through
//! a `TreeCursor`.

use tree_sitter::{Node, TreeCursor};

/// Every node of a subtree in document order (the root first), optionally skipping the
/// children of nodes the caller rejects.
pub struct Preorder<'t, F> {
    cursor: TreeCursor<'t>,
    root: Node<'t>,
    descend: F,
    done: bool,
    started: bool,
}

/// All nodes of `root`'s subtree, in document order.
pub fn preorder(root: Node<'_>) -> Preorder<'_, fn(Node<'_>) -> bool> {
    preorder_where(root, |_| true)
}

/// Nodes of `root`'s subtree in document order; the children of a node are visited only
/// when `descend(node)` is true.
pub fn preorder_where<'t, F: FnMut(Node<'t>) -> bool>(root: Node<'t>, descend: F) -> Preorder<'t, F> {
    Preorder { cursor: root.walk(), root, descend, done: false, started: false }
}

impl<'t, F: FnMut(Node<'t>) -> bool> Iterator for Preorder<'t, F> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        if self.done {
            return None;
        }
        if !self.started {
            self.started = true;
            return Some(self.root);
        }
        let current = self.cursor.node();
        if (self.descend)(current) && self.cursor.goto_first_child() {
            return Some(self.cursor.node());
        }
        loop {
            if self.cursor.node() == self.root {
                self.done = true;
                return None;
            }
            if self.cursor.goto_next_sibling() {
                return Some(self.cursor.node());
            }
            if !self.cursor.goto_parent() {
                self.done = true;
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NodeExt, Parse};

    #[test]
    fn visits_every_node_once_in_order_and_can_prune() {
        let parse = Parse::new("Процедура П()\n\tА = Ф(1, 2);\nКонецПроцедуры\nБ = 3;\n");
        let kinds: Vec<&str> = preorder(parse.root()).filter(|n| n.is_named()).map(|n| n.kind_str()).collect();
        assert_eq!(kinds.first(), Some(&"source_file"));
        assert_eq!(kinds.iter().filter(|k| **k == "number").count(), 3);
        let pruned = preorder_where(parse.root(), |n| n.kind_str() != "method_declaration")
            .filter(|n| n.kind_str() == "number")
            .count();
        assert_eq!(pruned, 1, "the method's numbers are skipped");
        // A subtree walk stays inside the subtree.
        let method = parse.root().named_child(0).unwrap();
        assert!(preorder(method).all(|n| n.end_byte() <= method.end_byte()));
    }
}
