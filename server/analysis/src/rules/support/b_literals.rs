//! b_literals: where a literal stands, for the magic-number and magic-date rules: whether
//! the place it is written in already gives it a name.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::flat::Flat;

/// The expression a literal stands for in its context: the literal itself, or the
/// parentheses around it, or its negation (`-5`).
pub fn outermost(node: Node<'_>) -> Node<'_> {
    let mut current = node;
    while let Some(parent) = current.parent() {
        let wraps = match parent.kind_str() {
            "parenthesized_expression" => true,
            "unary_expression" => parent.field("operand").is_some_and(|o| o.id() == current.id()),
            _ => false,
        };
        if !wraps {
            break;
        }
        current = parent;
    }
    current
}

/// Whether a literal is named by where it stands: the whole right side of an assignment to
/// a variable or property (`Лимит = 100;`), the value of `Возврат` (the function's name
/// names it), a parameter's default value, or an annotation's argument.
pub fn named_by_context(node: Node<'_>) -> bool {
    let expression = outermost(node);
    let Some(parent) = expression.parent() else { return false };
    match parent.kind_str() {
        "parameter" | "annotation_argument" | "return_statement" => true,
        "assignment_statement" => {
            parent.field("right").is_some_and(|r| r.id() == expression.id())
                && parent
                    .field("left")
                    .is_some_and(|l| matches!(l.kind_str(), "identifier" | "member_expression"))
        }
        _ => false,
    }
}

/// The call or constructor whose direct argument the expression is, with the argument's
/// position (counting left-out arguments).
pub fn argument_of<'t>(expression: Node<'t>) -> Option<(Node<'t>, usize)> {
    let arguments = expression.parent().filter(|p| p.kind_str() == "arguments")?;
    let mut cursor = arguments.walk();
    let mut position = 0;
    for child in arguments.children(&mut cursor) {
        if child.id() == expression.id() {
            return Some((arguments.parent()?, position));
        }
        if child.kind_str() == "," {
            position += 1;
        }
    }
    None
}

/// The call or constructor of [`argument_of`] for the node at `index` of a flat list, read
/// from the list instead of asking the tree for parents.
pub fn argument_of_flat<'t>(flat: &Flat<'t>, index: usize) -> Option<Node<'t>> {
    let arguments = flat.parent(index).filter(|&p| flat.nodes[p].kind_str() == "arguments")?;
    flat.parent(arguments).map(|call| flat.nodes[call].node)
}

/// Whether a value passed to a call is named by its place: the value after a key string in
/// `Вставить("Ключ", Значение)` (`Insert`) and `УстановитьПараметр("Имя", Значение)`
/// (`SetParameter`), and the first argument of `Вставить` (a key or a position).
pub fn named_by_call(expression: Node<'_>, text: &str) -> bool {
    let Some((call, position)) = argument_of(expression) else { return false };
    if call.kind_str() != "call_expression" {
        return false;
    }
    let Some(name) = crate::rules::util::called_name(call, text) else { return false };
    let first_is_string = crate::rules::util::arguments(call).first().is_some_and(|a| a.kind_str() == "string");
    let insert = crate::rules::util::is_any(name, &["Вставить", "Insert"]);
    let set = crate::rules::util::is_any(name, &["УстановитьПараметр", "SetParameter"]);
    (position == 0 && insert) || (position == 1 && (insert || set) && first_is_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsl_syntax::Parse;

    fn literals(code: &str) -> Vec<(String, bool)> {
        let parse = Parse::new(code);
        let mut out = Vec::new();
        let mut stack = vec![parse.root()];
        while let Some(node) = stack.pop() {
            if matches!(node.kind_str(), "number" | "date") {
                out.push((parse.node_text(node).to_string(), named_by_context(node)));
            }
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
        out.sort();
        out
    }

    #[test]
    fn named_places() {
        let found = literals("Функция Ф(П = 5)\n\tА = -(7);\n\tБ.В = 8;\n\tГ = 9 + 1;\n\tВозврат 6;\nКонецФункции");
        let expected: Vec<(String, bool)> =
            [("1", false), ("5", true), ("6", true), ("7", true), ("8", true), ("9", false)]
                .iter()
                .map(|(t, n)| (t.to_string(), *n))
                .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn argument_positions() {
        let parse = Parse::new("Ф(, 2, 3);");
        let mut stack = vec![parse.root()];
        let mut positions = Vec::new();
        while let Some(node) = stack.pop() {
            if node.kind_str() == "number" {
                positions.push(argument_of(node).map(|(_, p)| p));
            }
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
        positions.sort();
        assert_eq!(positions, vec![Some(1), Some(2)]);
    }
}
