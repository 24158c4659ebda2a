//! Syntax errors as data: where, what was found, what was expected, and in which construct.

use crate::NodeExt;
use std::fmt;
use std::ops::Range;

use tree_sitter::{Node, TreeCursor};

use crate::keywords;
use crate::parse::{Parse, language};

/// One syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte range of the offending text (empty for a missing token).
    pub range: Range<usize>,
    pub kind: SyntaxErrorKind,
    /// What the parser could have accepted at that point, in display form.
    pub expected: Vec<String>,
    /// The innermost construct the error stands in, for example `Если` or `Процедура Имя`.
    pub context: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// Text the grammar cannot place; holds a short excerpt of it.
    Unexpected(String),
    /// A token the parser had to assume, such as a missing `КонецЕсли`.
    Missing(String),
    /// A preprocessor line that is out of place: `#КонецОбласти` without `#Область`, or an
    /// unclosed `#Если`.
    Preprocessor(String),
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SyntaxErrorKind::Unexpected(text) if text.is_empty() => f.write_str("unexpected end of file")?,
            SyntaxErrorKind::Unexpected(text) => write!(f, "unexpected `{text}`")?,
            SyntaxErrorKind::Missing(what) => write!(f, "missing {what}")?,
            SyntaxErrorKind::Preprocessor(message) => f.write_str(message)?,
        }
        if !self.expected.is_empty() {
            write!(f, "; expected {}", self.expected.join(", "))?;
        }
        if let Some(context) = &self.context {
            write!(f, " (in {context})")?;
        }
        Ok(())
    }
}

/// How many expected tokens a message lists before it stops.
const MAX_EXPECTED: usize = 6;

pub(crate) fn collect_errors(parse: &Parse) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    if parse.root().has_error() {
        let mut cursor = parse.root().walk();
        visit_errors(parse, &mut cursor, &mut errors);
    }
    // From the module view, which is built once per version and shared with the rules.
    errors.extend(parse.module().preprocessor_errors.iter().cloned());
    errors.sort_by_key(|e| (e.range.start, e.range.end));
    errors
}

/// Depth-first over the subtrees that contain an error, without recursion (real files nest
/// deep enough in long expression chains to exhaust a thread's stack).
fn visit_errors(parse: &Parse, cursor: &mut TreeCursor<'_>, errors: &mut Vec<SyntaxError>) {
    loop {
        let node = cursor.node();
        let mut descend = false;
        if node.is_error() {
            errors.push(unexpected(parse, node));
        } else if node.is_missing() {
            errors.push(missing(parse, node));
        } else if node.has_error() {
            descend = true;
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

fn unexpected(parse: &Parse, node: Node<'_>) -> SyntaxError {
    let text = parse.node_text(node);
    let excerpt = first_token(text);
    let start = node.start_byte() + (text.len() - text.trim_start().len());
    let range = start..(start + excerpt.len()).max(start);
    SyntaxError {
        range,
        kind: SyntaxErrorKind::Unexpected(excerpt.to_string()),
        expected: expected_before(node),
        context: context(parse, node),
    }
}

fn missing(parse: &Parse, node: Node<'_>) -> SyntaxError {
    SyntaxError {
        range: node.start_byte()..node.start_byte(),
        kind: SyntaxErrorKind::Missing(display_symbol(node.kind_str(), node.is_named())),
        expected: Vec::new(),
        context: context(parse, node),
    }
}

/// The first word, number or punctuation run of an erroneous text, kept short.
fn first_token(text: &str) -> &str {
    let text = text.trim_start();
    let end = text
        .char_indices()
        .find(|&(i, c)| i > 0 && (c.is_whitespace() || !text[..i].chars().all(|p| p.is_alphanumeric() || p == '_')))
        .map_or(text.len(), |(i, _)| i);
    let end = end.min(text.char_indices().nth(40).map_or(text.len(), |(i, _)| i));
    &text[..end]
}

/// What the parser could accept right before `node`.
fn expected_before(node: Node<'_>) -> Vec<String> {
    let state = match previous_leaf(node) {
        Some(previous) => previous.next_parse_state(),
        None => 1,
    };
    let Some(lookahead) = language().lookahead_iterator(state) else {
        return Vec::new();
    };
    let mut expected: Vec<String> = Vec::new();
    for symbol in lookahead {
        let name = language().node_kind_for_id(symbol).unwrap_or_default();
        let named = language().node_kind_is_named(symbol);
        let visible = language().node_kind_is_visible(symbol);
        if !visible || name.is_empty() || name.starts_with("preproc_") || name == "comment" || name == "shebang" {
            continue;
        }
        if name == "end" || name.starts_with('_') {
            continue;
        }
        let shown = display_symbol(name, named);
        if !expected.contains(&shown) {
            expected.push(shown);
        }
    }
    if expected.len() > MAX_EXPECTED {
        expected.truncate(MAX_EXPECTED);
        expected.push("…".to_string());
    }
    expected
}

fn previous_leaf(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node;
    loop {
        if let Some(mut previous) = current.prev_sibling() {
            while let Some(last) = previous.child_count().checked_sub(1).and_then(|i| previous.child(i)) {
                previous = last;
            }
            if previous.is_extra() {
                current = previous;
                continue;
            }
            return Some(previous);
        }
        current = current.parent()?;
    }
}

/// A grammar symbol as a user would write it: keywords in Russian with the English form,
/// punctuation quoted, named nodes in words.
fn display_symbol(kind: &str, named: bool) -> String {
    if let Some((ru, en)) = keywords::spelling(kind) {
        return if ru == en { format!("`{ru}`") } else { format!("`{ru}` (`{en}`)") };
    }
    if !named {
        return format!("`{kind}`");
    }
    match kind {
        "identifier" => "a name".to_string(),
        "number" => "a number".to_string(),
        "string" => "a string".to_string(),
        "date" => "a date".to_string(),
        other => other.replace('_', " "),
    }
}

/// The innermost construct around a node, in words.
fn context(parse: &Parse, node: Node<'_>) -> Option<String> {
    let mut current = node.parent();
    while let Some(ancestor) = current {
        let described = match ancestor.kind_str() {
            "method_declaration" => {
                let kind = ancestor
                    .field("kind")
                    .map_or("method", |k| if k.kind_str() == "function" { "Функция" } else { "Процедура" });
                let name = ancestor.field("name").map(|n| parse.node_text(n)).unwrap_or("");
                Some(format!("{kind} {name}").trim_end().to_string())
            }
            "if_statement" | "elsif_clause" | "else_clause" => Some("Если".to_string()),
            "while_statement" => Some("Пока".to_string()),
            "for_statement" => Some("Для".to_string()),
            "for_each_statement" => Some("Для Каждого".to_string()),
            "try_statement" | "except_clause" => Some("Попытка".to_string()),
            "arguments" | "raise_arguments" => Some("arguments".to_string()),
            "parameters" => Some("parameters".to_string()),
            "ternary_expression" => Some("?(...)".to_string()),
            _ => None,
        };
        if described.is_some() {
            return described;
        }
        current = ancestor.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::Parse;

    fn messages(text: &str) -> Vec<String> {
        let parse = Parse::new(text);
        let index = parse.line_index();
        parse
            .errors()
            .iter()
            .map(|e| {
                let at = index.position(text, e.range.start, crate::Encoding::Utf16);
                format!("{}:{}: {e}", at.line + 1, at.col + 1)
            })
            .collect()
    }

    #[test]
    fn missing_end_keyword_names_the_construct() {
        let errors = messages("Процедура А()\n\tЕсли Б Тогда\n\t\tВ();\nКонецПроцедуры\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("КонецЕсли"), "{errors:?}");
        assert!(errors[0].contains("(in Если)"), "{errors:?}");
    }

    #[test]
    fn unexpected_text_lists_what_was_expected() {
        let errors = messages("А = ;\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("1:"), "{errors:?}");
    }

    #[test]
    fn valid_code_has_no_errors() {
        assert!(messages("Процедура А() Экспорт\nКонецПроцедуры").is_empty());
    }
}
