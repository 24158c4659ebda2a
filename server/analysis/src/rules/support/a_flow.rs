//! a_flow: how control leaves a block: by falling through its end, by a jump out of the
//! enclosing loop, or by leaving the method (`Возврат`, `ВызватьИсключение`).

use bsl_syntax::NodeExt;
use tree_sitter::Node;

/// How execution leaves a statement or block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Some path goes on to the next statement.
    Falls,
    /// Every path leaves the enclosing loop (`Прервать`, `Продолжить`) or the method, and
    /// at least one leaves the loop.
    Jumps,
    /// Every path leaves the method.
    Exits,
}

/// The flow of a block (`None` for an absent, empty body).
pub fn block_flow(block: Option<Node<'_>>) -> Flow {
    let Some(block) = block else { return Flow::Falls };
    let mut cursor = block.walk();
    for statement in block.named_children(&mut cursor) {
        if statement.is_extra() {
            continue;
        }
        match statement_flow(statement) {
            Flow::Falls => continue,
            other => return other,
        }
    }
    Flow::Falls
}

/// Combines the branches of a conditional: the weakest wins.
fn branches(flows: impl IntoIterator<Item = Flow>) -> Flow {
    let mut result = Flow::Exits;
    for flow in flows {
        match flow {
            Flow::Falls => return Flow::Falls,
            Flow::Jumps => result = Flow::Jumps,
            Flow::Exits => {}
        }
    }
    result
}

pub fn statement_flow(statement: Node<'_>) -> Flow {
    match statement.kind_str() {
        "return_statement" | "raise_statement" => Flow::Exits,
        "break_statement" | "continue_statement" => Flow::Jumps,
        "if_statement" => {
            let mut flows = vec![block_flow(statement.field("consequence"))];
            let mut has_else = false;
            let mut cursor = statement.walk();
            for clause in statement.children_by_field_name("alternative", &mut cursor) {
                has_else |= clause.kind_str() == "else_clause";
                flows.push(block_flow(clause.field("body")));
            }
            if !has_else {
                flows.push(Flow::Falls);
            }
            branches(flows)
        }
        "try_statement" => {
            let handler = statement.field("handler").and_then(|h| h.field("body"));
            branches([block_flow(statement.field("body")), block_flow(handler)])
        }
        "while_statement" => {
            let endless = statement.field("condition").is_some_and(is_true_literal);
            if endless && !breaks_out(statement.field("body")) { Flow::Exits } else { Flow::Falls }
        }
        _ => Flow::Falls,
    }
}

/// Whether a condition is the literal `Истина`/`True`.
fn is_true_literal(condition: Node<'_>) -> bool {
    // `boolean` covers both literals; the node's span tells which by its length in bytes:
    // "Истина" is 12 bytes, "True" 4; "Ложь" is 8, "False" 5.
    condition.kind_str() == "boolean" && matches!(condition.end_byte() - condition.start_byte(), 12 | 4)
}

/// Whether a `Прервать` in a loop body leaves this loop (not a nested one).
fn breaks_out(body: Option<Node<'_>>) -> bool {
    let Some(body) = body else { return false };
    bsl_syntax::walk::preorder_where(body, |n| {
        !matches!(n.kind_str(), "while_statement" | "for_statement" | "for_each_statement") || n == body
    })
    .any(|n| n.kind_str() == "break_statement")
}
