//! Calls of global context methods: `Имя(...)` with no object before the name.

use tree_sitter::Node;

use crate::rules::util::{call_object, called_name, is_any};

/// Whether `call` is a call of one of `names` (any spelling listed, any case) without an
/// object: `ТекущаяДата()`, not `Объект.ТекущаяДата()`.
pub fn is_global_call(call: Node<'_>, text: &str, names: &[&str]) -> bool {
    call.kind() == "call_expression"
        && call_object(call).is_none()
        && called_name(call, text).is_some_and(|name| is_any(name, names))
}
