//! A top-level part of a module (a method, a module-body statement) as a flat list of its
//! nodes in document order, built with one cursor walk and shared by every rule during one
//! check. Walking a tree-sitter tree costs hundreds of instructions per node (the cursor
//! climbs through hidden repetition nodes) and `Node::parent` descends from the root, so
//! rules that would each walk every part, or look up parents, read this list instead: a
//! subtree is a contiguous slice, a parent is an index.

use tree_sitter::Node;

/// No parent inside the part: the part's top node.
pub const NO_PARENT: u32 = u32::MAX;

/// One node of a [`Flat`] list.
#[derive(Clone, Copy)]
pub struct FlatNode<'t> {
    pub node: Node<'t>,
    /// The index just past this node's subtree.
    pub end: u32,
    /// The parent's index, [`NO_PARENT`] for the top node.
    pub parent: u32,
    /// The field the node stands in under its parent (0: none), as the tree cursor tells it;
    /// filled for identifiers only.
    pub field: u16,
    /// The node's kind id (`Node::kind_id`), read once here: rules ask it of every node.
    pub kind: u16,
    /// `Node::is_named`.
    pub named: bool,
    /// `Node::is_extra` (comments and preprocessor lines between other nodes).
    pub extra: bool,
}

impl FlatNode<'_> {
    /// The node's kind, as `NodeExt::kind_str` says it.
    #[inline]
    pub fn kind_str(&self) -> &'static str {
        bsl_syntax::node_ext::kind_name(self.kind)
    }
}

/// Every node of a subtree in document order.
pub struct Flat<'t> {
    pub nodes: Vec<FlatNode<'t>>,
}

impl<'t> Flat<'t> {
    /// Walks `top` once.
    pub fn build(top: Node<'t>) -> Flat<'t> {
        let mut nodes: Vec<FlatNode<'t>> = Vec::new();
        let mut stack: Vec<u32> = Vec::new();
        let mut cursor = top.walk();
        let identifier = bsl_syntax::node_ext::named_kind_id("identifier");
        'walk: loop {
            let node = cursor.node();
            let index = nodes.len() as u32;
            let kind = node.kind_id();
            let field = if kind == identifier { cursor.field_id().map_or(0, |f| f.get()) } else { 0 };
            nodes.push(FlatNode {
                node,
                end: index + 1,
                parent: stack.last().copied().unwrap_or(NO_PARENT),
                field,
                kind,
                named: node.is_named(),
                extra: node.is_extra(),
            });
            if cursor.goto_first_child() {
                stack.push(index);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                let Some(parent) = stack.pop() else { break 'walk };
                nodes[parent as usize].end = nodes.len() as u32;
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        Flat { nodes }
    }

    /// The index of `node`, when it is in this list.
    pub fn index_of(&self, node: Node<'_>) -> Option<usize> {
        let start = node.start_byte();
        let first = self.nodes.partition_point(|n| n.node.start_byte() < start);
        self.nodes[first..]
            .iter()
            .take_while(|n| n.node.start_byte() == start)
            .position(|n| n.node.id() == node.id())
            .map(|i| first + i)
    }

    /// The node at `index` and its descendants, in document order.
    pub fn subtree(&self, index: usize) -> &[FlatNode<'t>] {
        &self.nodes[index..self.nodes[index].end as usize]
    }

    /// The children of the node at `index`, by index.
    pub fn children(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.nodes[index].end as usize;
        let mut next = index + 1;
        std::iter::from_fn(move || {
            (next < end).then(|| {
                let child = next;
                next = self.nodes[child].end as usize;
                child
            })
        })
    }

    /// The parent of the node at `index`, by index.
    pub fn parent(&self, index: usize) -> Option<usize> {
        let parent = self.nodes[index].parent;
        (parent != NO_PARENT).then_some(parent as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsl_syntax::Parse;

    #[test]
    fn lists_what_a_cursor_walk_visits() {
        let parse =
            Parse::new("Процедура П(А)\n\tЕсли А Тогда\n\t\tБ = Ф(1, \"x\").В;\n\tКонецЕсли;\nКонецПроцедуры\n");
        let method = parse.root().named_child(0).unwrap();
        let flat = Flat::build(method);
        let walked: Vec<Node<'_>> = bsl_syntax::walk::preorder(method).collect();
        assert_eq!(flat.nodes.iter().map(|n| n.node).collect::<Vec<_>>(), walked);
        for (i, entry) in flat.nodes.iter().enumerate() {
            assert_eq!(flat.index_of(entry.node), Some(i));
            let subtree: Vec<Node<'_>> = bsl_syntax::walk::preorder(entry.node).collect();
            assert_eq!(flat.subtree(i).iter().map(|n| n.node).collect::<Vec<_>>(), subtree);
            assert_eq!(entry.kind, entry.node.kind_id());
            assert_eq!(entry.kind_str(), entry.node.kind());
            assert_eq!((entry.named, entry.extra), (entry.node.is_named(), entry.node.is_extra()));
            let parent = flat.parent(i).map(|p| flat.nodes[p].node);
            assert_eq!(parent, if i == 0 { None } else { entry.node.parent() });
            let mut cursor = entry.node.walk();
            let children: Vec<Node<'_>> = entry.node.children(&mut cursor).collect();
            assert_eq!(flat.children(i).map(|c| flat.nodes[c].node).collect::<Vec<_>>(), children);
        }
    }
}
