//! Calls of global context methods: `Имя(...)` with no object before the name.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::util::is_any;

/// Whether `call` is a call of one of `names` (any spelling listed, any case) without an
/// object: `ТекущаяДата()`, not `Объект.ТекущаяДата()`.
pub fn is_global_call(call: Node<'_>, text: &str, names: &[&str]) -> bool {
    if call.kind_str() != "call_expression" {
        return false;
    }
    // `call_object` is none and `called_name` some, reading the function field once.
    let Some(function) = call.field("function") else { return false };
    let name = match function.kind_str() {
        "identifier" => function,
        "member_expression" if function.field("object").is_none() => match function.field("property") {
            Some(property) => property,
            None => return false,
        },
        _ => return false,
    };
    is_any(&text[name.byte_range()], names)
}

/// Whether `node` is `Новый <Тип>(...)` (or `Новый("Тип", ...)`) for one of `types`.
pub fn is_new_of(node: Node<'_>, text: &str, types: &[&str]) -> bool {
    if node.kind_str() != "new_expression" {
        return false;
    }
    if let Some(name) = node.field("type") {
        return is_any(&text[name.byte_range()], types);
    }
    // `Новый("Тип", Параметры)`: the type is the first argument's string.
    let Some(arguments) = node.field("arguments") else { return false };
    let mut cursor = arguments.walk();
    let first = arguments.named_children(&mut cursor).next();
    first.is_some_and(|f| f.kind_str() == "string" && is_any(text[f.byte_range()].trim_matches('"'), types))
}
