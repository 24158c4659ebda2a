//! Normalized text of a subtree (keywords and names without case or language, no blanks or
//! comments) and other small helpers for the conditions, transactions and queries rules.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::global_calls::is_global_call;

/// Kinds whose whole text is one token for comparison.
const ATOMS: &[&str] = &["identifier", "number", "date", "boolean", "undefined", "null"];

/// The subtree's tokens joined by a separator: keywords by their node name (so `И` and
/// `And` match), names lowercased, literals as written; comments and preprocessor lines
/// are left out. Two subtrees with equal normalized text are the same code.
pub fn normalized(node: Node<'_>, text: &str) -> String {
    let mut out = String::new();
    let descend = |n: Node<'_>| !n.is_extra() && !ATOMS.contains(&n.kind_str()) && n.kind_str() != "string";
    for n in bsl_syntax::walk::preorder_where(node, descend) {
        let token: String = if n.is_extra() {
            continue;
        } else if n.kind_str() == "string" {
            string_text(n, text)
        } else if ATOMS.contains(&n.kind_str()) {
            word(&text[n.byte_range()])
        } else if n.child_count() > 0 {
            continue;
        } else if n.is_named() {
            text[n.byte_range()].to_string()
        } else {
            n.kind_str().to_string()
        };
        out.push_str(&token);
        out.push('\u{1}');
    }
    out
}

/// A name or a keyword-like literal, lowercased; `Истина` and `True` give the same word.
fn word(source: &str) -> String {
    let lowercased = bsl_syntax::keywords::lowercase(source);
    match bsl_syntax::keywords::keyword_named(&lowercased) {
        Some(name) => name.to_string(),
        None => lowercased,
    }
}

/// A string literal's text without the comments between its lines.
fn string_text(node: Node<'_>, text: &str) -> String {
    let mut cursor = node.walk();
    let parts: Vec<Node<'_>> = node.children(&mut cursor).filter(|c| !c.is_extra()).collect();
    if parts.is_empty() {
        return text[node.byte_range()].to_string();
    }
    parts.iter().map(|p| text[p.byte_range()].trim()).collect::<Vec<_>>().join("\n")
}

/// The expression inside any number of parentheses.
pub fn unparenthesized(mut node: Node<'_>) -> Node<'_> {
    while node.kind_str() == "parenthesized_expression" {
        let mut cursor = node.walk();
        let Some(inner) = node.named_children(&mut cursor).find(|c| !c.is_extra()) else { break };
        node = inner;
    }
    node
}

/// Whether the subtree calls anything or creates an object (its value may differ between
/// two evaluations).
pub fn has_call(node: Node<'_>) -> bool {
    bsl_syntax::walk::preorder(node).any(|n| matches!(n.kind_str(), "call_expression" | "new_expression"))
}

/// The statements of a block (`None` for an absent, empty block), without `;`, comments and
/// preprocessor lines.
pub fn statements(block: Option<Node<'_>>) -> Vec<Node<'_>> {
    let Some(block) = block else { return Vec::new() };
    let mut cursor = block.walk();
    block.named_children(&mut cursor).filter(|c| !c.is_extra()).collect()
}

/// The transaction methods of the global context.
pub const BEGIN_TRANSACTION: &[&str] = &["НачатьТранзакцию", "BeginTransaction"];
pub const COMMIT_TRANSACTION: &[&str] = &["ЗафиксироватьТранзакцию", "CommitTransaction"];
pub const ROLLBACK_TRANSACTION: &[&str] = &["ОтменитьТранзакцию", "RollbackTransaction"];

/// The call of a call statement if it is a global call of one of `names`.
pub fn statement_call<'t>(statement: Node<'t>, text: &str, names: &[&str]) -> Option<Node<'t>> {
    if statement.kind_str() != "call_statement" {
        return None;
    }
    let call = statement.named_child(0)?;
    is_global_call(call, text, names).then_some(call)
}

/// One branch of an `Если` chain: its keyword, condition (none for `Иначе`) and body (none
/// when empty).
pub struct IfBranch<'t> {
    pub keyword: Node<'t>,
    pub condition: Option<Node<'t>>,
    pub body: Option<Node<'t>>,
}

/// The branches of an `if_statement` in order: `Если`, each `ИначеЕсли`, then `Иначе`.
pub fn if_branches(node: Node<'_>) -> Vec<IfBranch<'_>> {
    let mut branches = Vec::new();
    if let Some(keyword) = node.child(0) {
        branches.push(IfBranch {
            keyword,
            condition: node.field("condition"),
            body: node.field("consequence"),
        });
    }
    let mut cursor = node.walk();
    for clause in node.named_children(&mut cursor) {
        if matches!(clause.kind_str(), "elsif_clause" | "else_clause") {
            let Some(keyword) = clause.child(0) else { continue };
            branches.push(IfBranch {
                keyword,
                condition: clause.field("condition"),
                body: clause.field("body"),
            });
        }
    }
    branches
}

/// A cheap test before walking a method for transaction calls: whether its text names a
/// transaction at all (in the usual spellings and upper case).
pub fn mentions_transaction(source: &str) -> bool {
    ["ранзакц", "РАНЗАКЦ", "ransaction", "RANSACTION"].iter().any(|s| source.contains(s))
}

/// Whether part of the node's text is a preprocessor branch left out of the tree: its
/// normalized text would miss that code.
pub fn overlaps_masked(node: Node<'_>, masked: &[std::ops::Range<usize>]) -> bool {
    masked.iter().any(|m| m.start < node.end_byte() && node.start_byte() < m.end)
}
