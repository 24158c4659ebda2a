//! The formatter: indentation by block nesting, canonical keyword spelling, one space around
//! binary operators and after commas, no space before commas, no trailing blanks.
//!
//! It only ever changes blanks and the letter case of keywords, so the token stream is the
//! same before and after, and formatting twice gives what formatting once gave. Lines it
//! cannot place safely are left alone: preprocessor lines, lines inside syntax errors or
//! in alternative preprocessor branches, and the text of strings. A line that continues a
//! statement (a second line of a condition, a `|` line of a string) moves by the same amount
//! as the line the statement starts on, so hand-made alignment survives.

use bsl_syntax::NodeExt;
use std::ops::Range;

use bsl_syntax::{Parse, keywords};
use tree_sitter::Node;

use crate::diagnostic::Edit;

/// Parents whose children each start a line-level element (a statement, a clause, a
/// keyword of a compound statement).
const LINE_PARENTS: &[&str] = &[
    "source_file",
    "block",
    "method_declaration",
    "if_statement",
    "elsif_clause",
    "else_clause",
    "while_statement",
    "for_statement",
    "for_each_statement",
    "try_statement",
    "except_clause",
];

/// Formatting options.
#[derive(Debug, Clone, Default)]
pub struct FormatOptions {
    /// `None`: judge from the file (tabs unless most indented lines use spaces).
    pub indent: Option<String>,
}

fn detect_indent(text: &str) -> String {
    let (mut tabs, mut spaces) = (0, 0);
    for line in text.lines().take(5000) {
        if line.starts_with('\t') {
            tabs += 1;
        } else if line.starts_with("    ") {
            spaces += 1;
        }
    }
    if spaces > tabs { "    ".to_string() } else { "\t".to_string() }
}

/// What a line should look like.
#[derive(Clone)]
enum Plan {
    /// Leave the line's indentation alone.
    Keep,
    /// Indent by this many levels; the line starts a line-level element.
    Head(usize),
    /// Move by the same amount as the given earlier line.
    Follow(u32),
    /// A comment line: placed like the next code line.
    Comment,
}

/// One ancestor on the walk's stack.
struct Frame<'t> {
    node: Node<'t>,
    kind: &'t str,
}

/// The edits that format the whole module.
pub fn format(parse: &Parse, options: &FormatOptions) -> Vec<Edit> {
    format_range(parse, options, 0..parse.text().len())
}

/// The edits that format the lines touching `range`.
///
/// One walk over the tree decides every line's plan (from the first token on it and that
/// token's ancestors, kept on a stack: `Node::parent` costs a descent from the root) and
/// collects the token edits.
pub fn format_range(parse: &Parse, options: &FormatOptions, range: Range<usize>) -> Vec<Edit> {
    let text = parse.text();
    let unit = options.indent.clone().unwrap_or_else(|| detect_indent(text));
    let index = parse.line_index();
    let first_line = index.line_of(range.start);
    let last_line = index.line_of(range.end);
    let masked = parse.masked();
    let line_count = index.line_count();
    let mut edits = Vec::new();

    // Where each line's first non-blank character is, if it has one.
    let mut first_char: Vec<Option<usize>> = Vec::with_capacity(line_count);
    let mut indents: Vec<Range<usize>> = Vec::with_capacity(line_count);
    for line in 0..line_count as u32 {
        let line_range = index.line_range(line).expect("line in range");
        let content = &text[line_range.clone()];
        let indent_len = content.len() - content.trim_start_matches([' ', '\t', '\u{feff}']).len();
        let rest = content[indent_len..].trim_end_matches(['\n', '\r']);
        let first = line_range.start + indent_len;
        first_char.push((!rest.is_empty() && !masked.iter().any(|m| m.contains(&first))).then_some(first));
        indents.push(line_range.start..first);
    }
    // Lines a syntax error touches are left exactly as they are: blanks around tokens there
    // depend on how the parser happened to recover, which may differ once they change.
    let mut error_line = vec![false; line_count];
    if !parse.is_valid() {
        for error in parse.errors() {
            let (from, to) = (index.line_of(error.range.start) as usize, index.line_of(error.range.end) as usize);
            for line in error_line.iter_mut().take(to.min(line_count - 1) + 1).skip(from) {
                *line = true;
            }
        }
    }
    let mut plans: Vec<Plan> = vec![Plan::Keep; line_count];
    // Lines that start inside a multi-line token, from that token's line.
    let mut closes: Vec<bool> = vec![false; line_count];

    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut previous: Option<(Node<'_>, bool)> = None;
    let mut cursor = parse.root().walk();
    'walk: loop {
        let node = cursor.node();
        let kind = node.kind_str();
        let is_leaf = node.child_count() == 0 || kind == "string";
        if is_leaf {
            let start_line = index.line_of(node.start_byte()) as usize;
            let in_error_at = |line: usize| {
                node.is_missing() || node.is_error() || error_line[line] || stack.iter().any(|f| f.node.is_error())
            };
            let in_error = in_error_at(start_line);
            if first_char[start_line] == Some(node.start_byte()) {
                plans[start_line] = if kind.starts_with("preproc_") || kind == "shebang" || in_error {
                    Plan::Keep
                } else if kind == "comment" {
                    Plan::Comment
                } else {
                    // The line-level element: the outermost ancestor below a line parent.
                    let mut anchor = stack.len();
                    while anchor > 0 && !LINE_PARENTS.contains(&stack[anchor - 1].kind) {
                        anchor -= 1;
                    }
                    let anchor_start =
                        if anchor == stack.len() { node.start_byte() } else { stack[anchor].node.start_byte() };
                    let anchor_line = index.line_of(anchor_start);
                    if anchor_line as usize == start_line {
                        Plan::Head(stack[..anchor].iter().filter(|f| f.kind == "block").count())
                    } else {
                        Plan::Follow(anchor_line)
                    }
                };
                closes[start_line] = !node.is_named()
                    && matches!(
                        kind,
                        "endif" | "else" | "elsif" | "enddo" | "endtry" | "except" | "endprocedure" | "endfunction"
                    );
            }
            // Lines that begin inside this token: `|` lines of a string move with it; the next
            // lines of a run of comment lines are comment lines of their own.
            let end_line = index.line_of(node.end_byte()) as usize;
            for line in start_line + 1..=end_line.min(line_count - 1) {
                if first_char[line].is_some() {
                    plans[line] = match kind {
                        "string" => Plan::Follow(start_line as u32),
                        "comment" if !in_error_at(line) => Plan::Comment,
                        _ => Plan::Keep,
                    };
                }
            }
            let inside = node.end_byte() >= range.start && node.start_byte() <= range.end;
            let operator = bsl_syntax::node_ext::cursor_field_name(&cursor) == Some("operator")
                || (kind == "=" && stack.last().is_some_and(|f| f.kind == "assignment_statement"));
            if inside && !in_error {
                token_edits(text, node, operator, previous, &mut edits);
            }
            previous = Some((node, operator));
        }
        if !is_leaf && cursor.goto_first_child() {
            stack.push(Frame { node, kind });
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
            stack.pop();
        }
    }

    // Comments take the place of the next code line (one level deeper when that line closes
    // or continues a block, since the comment belongs to the block's content).
    let mut next_head: Option<usize> = None;
    let mut comment_depth = vec![None; line_count];
    for line in (0..line_count).rev() {
        match plans[line] {
            Plan::Head(d) => next_head = Some(if closes[line] { d + 1 } else { d }),
            Plan::Comment => comment_depth[line] = next_head,
            _ => {}
        }
    }
    let mut shift: Vec<isize> = vec![0; line_count];
    for line in 0..line_count {
        let indent_range = indents[line].clone();
        let current = &text[indent_range.clone()];
        let desired = match &plans[line] {
            Plan::Keep => None,
            Plan::Head(d) => Some(unit.repeat(*d)),
            Plan::Comment => comment_depth[line].map(|d| unit.repeat(d)),
            Plan::Follow(from) => {
                let delta = shift[*from as usize];
                if delta == 0 {
                    None
                } else if delta > 0 {
                    // Grow at the start, in the indentation unit's characters.
                    let delta = delta as usize;
                    let added = unit.repeat(delta.div_ceil(unit.len().max(1)));
                    Some(format!("{}{current}", &added[..delta]))
                } else {
                    // Shrink from the start, on a character boundary: the indentation may
                    // hold other characters than tabs and spaces (a stray BOM).
                    let mut start = current.len() - current.len().saturating_sub(delta.unsigned_abs());
                    while !current.is_char_boundary(start) {
                        start += 1;
                    }
                    Some(current[start..].to_string())
                }
            }
        };
        if let Some(desired) = desired {
            shift[line] = desired.len() as isize - current.len() as isize;
            if desired != current && (first_line..=last_line).contains(&(line as u32)) {
                edits.push(Edit { range: indent_range, new_text: desired });
            }
        }
    }
    trailing_blanks(parse, first_line..last_line + 1, &mut edits);
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup_by(|a, b| a.range == b.range);
    edits
}

/// The canonical spelling of a keyword node, or `None` when its current spelling is accepted
/// (shared with the CanonicalSpellingKeywords rule).
pub fn canonical_keyword(kind: &str, text: &str) -> Option<&'static str> {
    canonical_spelling(keywords::spelling(kind)?, text)
}

/// [`canonical_keyword`] by kind id.
pub fn canonical_keyword_of_id(kind: u16, text: &str) -> Option<&'static str> {
    canonical_spelling(keywords::spelling_of_id(kind)?, text)
}

fn canonical_spelling((ru, en): (&'static str, &'static str), text: &str) -> Option<&'static str> {
    let canonical = if keywords::eq_ignore_case(text, ru) { ru } else { en };
    // Forms as common in 1C's own code as the canonical ones are accepted too: `Или`, `Не`,
    // `Для каждого` (the Standard Subsystems Library's style) and `Null`.
    let accepted_alternative = matches!(text, "Или" | "Не" | "каждого" | "Null");
    (text != canonical && !accepted_alternative).then_some(canonical)
}

fn gap<'a>(text: &'a str, previous: Node<'_>, node: Node<'_>) -> (&'a str, Range<usize>) {
    let range = previous.end_byte()..node.start_byte();
    (&text[range.clone()], range)
}

/// Edits for one token: its keyword spelling and the blanks before it. `operator` says
/// whether it is a binary operator (or an assignment's `=`), `previous` is the token before
/// it with the same flag.
fn token_edits(text: &str, node: Node<'_>, operator: bool, previous: Option<(Node<'_>, bool)>, edits: &mut Vec<Edit>) {
    let kind = node.kind_str();
    let token = &text[node.byte_range()];
    if !node.is_named()
        && let Some(canonical) = canonical_keyword(kind, token)
    {
        edits.push(Edit { range: node.byte_range(), new_text: canonical.to_string() });
    }
    let Some((previous, previous_is_operator)) = previous else { return };
    let (between, between_range) = gap(text, previous, node);
    // Only plain blanks on one line are ours to change.
    if between.contains(['\n', '\r']) || !between.chars().all(|c| c == ' ' || c == '\t') {
        return;
    }
    let after_comma = previous.kind_str() == "," && !matches!(kind, ")" | ",");
    let wanted = if kind == "," || kind == ";" {
        Some("")
    } else if after_comma || operator || previous_is_operator {
        Some(" ")
    } else {
        None
    };
    if let Some(wanted) = wanted
        && between != wanted
    {
        edits.push(Edit { range: between_range, new_text: wanted.to_string() });
    }
}

fn trailing_blanks(parse: &Parse, lines: Range<u32>, edits: &mut Vec<Edit>) {
    let text = parse.text();
    let index = parse.line_index();
    for line in lines {
        let Some(range) = index.line_range(line) else { continue };
        let content = text[range.clone()].trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_end_matches([' ', '\t']);
        if trimmed.len() == content.len() {
            continue;
        }
        let end = range.start + trimmed.len();
        // Blanks at the end of a line inside a string are part of the string.
        let in_string = parse
            .root()
            .descendant_for_byte_range(end, end)
            .is_some_and(|n| n.kind_str() == "string" && n.start_byte() < end && end < n.end_byte());
        if !in_string && !trimmed.is_empty() {
            edits.push(Edit { range: end..range.start + content.len(), new_text: String::new() });
        } else if trimmed.is_empty() && !in_string {
            edits.push(Edit { range: range.start..range.start + content.len(), new_text: String::new() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply_edits;

    fn formatted(text: &str) -> String {
        let parse = Parse::new(text);
        apply_edits(text, &format(&parse, &FormatOptions { indent: Some("\t".into()) }))
    }

    #[test]
    fn indentation_unit_follows_the_file() {
        assert_eq!(detect_indent("А\n    Б\n    В\n\tГ\n"), "    ");
        assert_eq!(detect_indent("А\n\tБ\n"), "\t");
    }

    #[test]
    fn indentation_keywords_and_spaces() {
        let text = "процедура П(А,Б)\nесли А=Б тогда\n  Ф(1 ,2);\n// комментарий\nиначе\nВозврат;   \nконецесли;\nКОНЕЦПРОЦЕДУРЫ\n";
        let expected = "Процедура П(А, Б)\n\tЕсли А = Б Тогда\n\t\tФ(1, 2);\n\t\t// комментарий\n\tИначе\n\t\tВозврат;\n\tКонецЕсли;\nКонецПроцедуры\n";
        assert_eq!(formatted(text), expected);
        assert_eq!(formatted(expected), expected, "idempotent");
    }

    #[test]
    fn continuation_lines_keep_their_alignment() {
        let text = "Процедура П()\nЗапрос.Текст = \"ВЫБРАТЬ\n               |  Поле\n               |ИЗ Т\";\nЕсли А\n    И Б Тогда\nКонецЕсли;\nКонецПроцедуры\n";
        let out = formatted(text);
        assert!(out.contains("\tЗапрос.Текст = \"ВЫБРАТЬ\n\t               |  Поле"), "{out}");
        assert!(out.contains("\tЕсли А\n\t    И Б Тогда"), "{out}");
        assert_eq!(formatted(&out), out);
    }

    #[test]
    fn strings_preprocessor_and_errors_are_left_alone() {
        let text = "#Область А\nПроцедура П()\n#Если Сервер Тогда\nА = \"x  \n|y\";   \n#КонецЕсли\nКонецПроцедуры\n#КонецОбласти\nЕсли Тогда\n   Ф( ;\n";
        let out = formatted(text);
        assert!(out.starts_with("#Область А\nПроцедура П()\n#Если Сервер Тогда\n\tА = \"x  \n"), "{out}");
        assert!(out.contains("   Ф( ;"), "a line inside a syntax error keeps its blanks: {out}");
    }
}
