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

/// Whether `node` is `Новый <Тип>(...)` (or `Новый("Тип", ...)`) for one of `types`.
pub fn is_new_of(node: Node<'_>, text: &str, types: &[&str]) -> bool {
    if node.kind() != "new_expression" {
        return false;
    }
    if let Some(name) = node.child_by_field_name("type") {
        return is_any(&text[name.byte_range()], types);
    }
    // `Новый("Тип", Параметры)`: the type is the first argument's string.
    let Some(arguments) = node.child_by_field_name("arguments") else { return false };
    let mut cursor = arguments.walk();
    let first = arguments.named_children(&mut cursor).next();
    first.is_some_and(|f| f.kind() == "string" && is_any(text[f.byte_range()].trim_matches('"'), types))
}
