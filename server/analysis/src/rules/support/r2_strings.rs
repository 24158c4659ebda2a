//! r2_strings: the value of a string literal and the code around it, for the rules that look
//! for addresses, paths and secrets written into strings.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

/// The value a string literal stands for: without the outer quotes, with `""` read as one
/// quote, and with the `|` that continues a multi-line literal and the comment lines between
/// its lines left out. Lines are joined with `\n`.
pub fn string_value(node: Node<'_>, text: &str) -> String {
    let raw = &text[node.byte_range()];
    let mut out = String::with_capacity(raw.len());
    for (index, line) in raw.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        let piece = if index == 0 {
            line.strip_prefix('"').unwrap_or(line)
        } else {
            let trimmed = line.trim_start();
            match trimmed.strip_prefix('|') {
                Some(rest) => {
                    out.push('\n');
                    rest
                }
                // A comment or a preprocessor line between the lines of the literal.
                None if trimmed.starts_with("//") || trimmed.starts_with('#') || trimmed.is_empty() => continue,
                None => {
                    out.push('\n');
                    trimmed
                }
            }
        };
        out.push_str(piece);
    }
    if out.ends_with('"') {
        out.pop();
    }
    out.replace("\"\"", "\"")
}

/// The statement a literal is written in, for judging its context: the nearest assignment,
/// call statement, `Возврат` or `ВызватьИсключение`, or the condition of an `Если`/`Пока`.
/// `None` when the literal stands elsewhere (a parameter's default, a module's top level).
pub fn enclosing_statement(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node;
    while let Some(parent) = current.parent() {
        match parent.kind_str() {
            "assignment_statement" | "call_statement" | "return_statement" | "raise_statement" => return Some(parent),
            "if_statement" | "elsif_clause" | "while_statement" | "for_statement" | "for_each_statement" => {
                return Some(current);
            }
            "block" | "method_declaration" | "source_file" => return None,
            _ => current = parent,
        }
    }
    None
}

/// The words of a `|`-separated list parameter, lowercased, without blanks.
pub fn word_list(param: &str) -> Vec<String> {
    param.split('|').map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect()
}

/// Whether the lowercased `haystack` contains one of `words` (already lowercased).
pub fn contains_any(haystack_lower: &str, words: &[String]) -> bool {
    words.iter().any(|w| haystack_lower.contains(w.as_str()))
}
