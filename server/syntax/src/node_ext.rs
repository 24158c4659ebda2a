//! Cheap node queries. tree-sitter's `Node::kind` measures and validates the kind's C
//! string on every call, and `Node::child_by_field_name` finds the field by comparing its
//! name with every field name of the grammar; rules ask both millions of times per module.
//! Here the kind is read from a table by id and the field id from a hash map, once per
//! process.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use tree_sitter::{Node, TreeCursor};

use crate::parse::language;

/// FNV-1a: field names are short, and a hash map of them needs no protection from floods.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x100_0000_01b3);
        }
        self.0 = hash;
    }
}

struct Tables {
    kinds: Vec<&'static str>,
    /// Named kinds by name (an anonymous token may share a name with a named kind).
    named_kinds: HashMap<&'static str, u16, BuildHasherDefault<Fnv>>,
    field_names: Vec<&'static str>,
    field_ids: HashMap<&'static str, u16, BuildHasherDefault<Fnv>>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let language = language();
        let kinds: Vec<&'static str> =
            (0..language.node_kind_count()).map(|id| language.node_kind_for_id(id as u16).unwrap_or("")).collect();
        let mut named_kinds = HashMap::default();
        for (id, kind) in kinds.iter().enumerate() {
            // The first id of a name is the one `Language::id_for_node_kind` answers.
            if language.node_kind_is_named(id as u16) && language.node_kind_is_visible(id as u16) {
                named_kinds.entry(*kind).or_insert(id as u16);
            }
        }
        let mut field_names = vec![""];
        let mut field_ids = HashMap::default();
        for id in 1..=language.field_count() as u16 {
            let name = language.field_name_for_id(id).unwrap_or("");
            field_names.push(name);
            field_ids.insert(name, id);
        }
        Tables { kinds, named_kinds, field_names, field_ids }
    })
}

/// The id of a field of the grammar, 0 when there is no such field.
pub fn field_id(name: &str) -> u16 {
    tables().field_ids.get(name).copied().unwrap_or(0)
}

/// The name of a kind id (`""` for an unknown id).
pub fn kind_name(id: u16) -> &'static str {
    match tables().kinds.get(usize::from(id)) {
        Some(kind) => kind,
        // ERROR and the other built-in ids past the table.
        None => language().node_kind_for_id(id).unwrap_or(""),
    }
}

/// Fast forms of `kind`, `child_by_field_name` and the cursor's `field_name`, with the same
/// answers.
pub trait NodeExt<'t> {
    /// The same as `Node::kind`.
    fn kind_str(&self) -> &'static str;
    /// The same as `Node::child_by_field_name`.
    fn field(&self, name: &str) -> Option<Node<'t>>;
}

impl<'t> NodeExt<'t> for Node<'t> {
    #[inline]
    fn kind_str(&self) -> &'static str {
        kind_name(self.kind_id())
    }

    #[inline]
    fn field(&self, name: &str) -> Option<Node<'t>> {
        match field_id(name) {
            0 => None,
            id => self.child_by_field_id(id),
        }
    }
}

/// The same as `TreeCursor::field_name`, without validating the C string each time.
pub fn cursor_field_name(cursor: &TreeCursor<'_>) -> Option<&'static str> {
    field_name(cursor.field_id()?.get())
}

/// The id of a named kind (`"identifier"`), 0 when the grammar has none of that name: what
/// `Language::id_for_node_kind(name, true)` answers, from a hash map.
pub fn named_kind_id(name: &str) -> u16 {
    tables().named_kinds.get(name).copied().unwrap_or(0)
}

/// The name of a field id (`None` for 0 or an unknown id).
pub fn field_name(id: u16) -> Option<&'static str> {
    if id == 0 {
        return None;
    }
    tables().field_names.get(usize::from(id)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Parse;

    #[test]
    fn answers_as_tree_sitter_does() {
        let parse = Parse::new("Процедура П(А, Б = 1) Экспорт\n\tА = Ф(1, 2).Б;\n\tЕсли Тогда;\nКонецПроцедуры\n");
        assert!(parse.root().has_error());
        let mut cursor = parse.root().walk();
        for node in crate::walk::preorder(parse.root()) {
            assert_eq!(node.kind_str(), node.kind());
            assert_eq!(kind_name(node.kind_id()), node.kind());
            if node.is_named() && !node.is_error() {
                assert_eq!(named_kind_id(node.kind()), node.kind_id(), "{}", node.kind());
            }
            for name in ["name", "body", "left", "right", "function", "arguments", "object", "property", "nope"] {
                assert_eq!(node.field(name), node.child_by_field_name(name), "{name} of {}", node.kind());
            }
        }
        loop {
            assert_eq!(cursor_field_name(&cursor), cursor.field_name());
            if !cursor.goto_first_child() && !cursor.goto_next_sibling() {
                while cursor.goto_parent() && !cursor.goto_next_sibling() {}
                if cursor.node() == parse.root() {
                    break;
                }
            }
        }
    }
}
