//! Semantic tokens: keywords, literals, comments, preprocessor lines, annotations, and names
//! classified by their role (method declarations and calls, parameters, variables, members,
//! types). Computed in one cursor walk; `full/delta` sends only what changed since the
//! previous result.

use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensDelta, SemanticTokensEdit,
    SemanticTokensLegend,
};

use crate::session::Snapshot;

const KEYWORD: u32 = 0;
const STRING: u32 = 1;
const NUMBER: u32 = 2;
const COMMENT: u32 = 3;
const FUNCTION: u32 = 4;
const METHOD: u32 = 5;
const PARAMETER: u32 = 6;
const VARIABLE: u32 = 7;
const MACRO: u32 = 8;
const DECORATOR: u32 = 9;
const TYPE: u32 = 10;
const PROPERTY: u32 = 11;

const DECLARATION: u32 = 1;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![
            SemanticTokenType::KEYWORD,
            SemanticTokenType::STRING,
            SemanticTokenType::NUMBER,
            SemanticTokenType::COMMENT,
            SemanticTokenType::FUNCTION,
            SemanticTokenType::METHOD,
            SemanticTokenType::PARAMETER,
            SemanticTokenType::VARIABLE,
            SemanticTokenType::MACRO,
            SemanticTokenType::DECORATOR,
            SemanticTokenType::TYPE,
            SemanticTokenType::PROPERTY,
        ],
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

/// A token before delta encoding: byte range, type and modifiers.
struct Raw {
    start: usize,
    end: usize,
    kind: u32,
    modifiers: u32,
}

fn classify_identifier(
    stack: &[(&str, Option<&str>)],
    field: Option<&str>,
    params: &[String],
    text: &str,
) -> (u32, u32) {
    let parent = stack.last().map(|(kind, _)| *kind);
    match (parent, field) {
        (Some("method_declaration"), Some("name")) => (FUNCTION, DECLARATION),
        (Some("parameter"), Some("name")) => (PARAMETER, DECLARATION),
        (Some("var_item"), Some("name")) => (VARIABLE, DECLARATION),
        (Some("call_expression"), Some("function")) => (FUNCTION, 0),
        (Some("new_expression"), Some("type")) => (TYPE, 0),
        (Some("annotation" | "annotation_argument"), Some("name")) => (DECORATOR, 0),
        (Some("member_expression"), Some("property")) => {
            // `А.Метод()`: the member is the called function of a call.
            let called = stack.len() >= 2
                && stack[stack.len() - 2].0 == "call_expression"
                && stack[stack.len() - 1].1 == Some("function");
            (if called { METHOD } else { PROPERTY }, 0)
        }
        _ => {
            let lower = text.to_lowercase();
            (if params.contains(&lower) { PARAMETER } else { VARIABLE }, 0)
        }
    }
}

/// The tokens of one subtree (a top-level item of the module, or the whole module).
/// The tokens under `top`, whose parent is `parent` when the caller knows it (asking
/// tree-sitter for a node's parent searches down from the root).
fn raw_tokens<'t>(
    parse: &'t bsl_syntax::Parse,
    top: bsl_syntax::tree_sitter::Node<'t>,
    parent: Option<bsl_syntax::tree_sitter::Node<'t>>,
) -> Vec<Raw> {
    let text = parse.text();
    let mut out = Vec::new();
    let mut cursor = top.walk();
    // Ancestors of the current node: (kind, field of that ancestor in its own parent).
    let mut stack: Vec<(&str, Option<&str>)> =
        parent.or_else(|| top.parent()).map(|p| (p.kind(), None)).into_iter().collect();
    let base = stack.len();
    let mut params: Vec<String> = Vec::new();
    let mut method_depth: Option<usize> = None;
    'walk: loop {
        let node = cursor.node();
        let kind = node.kind();
        let field = cursor.field_name();
        let range = node.byte_range();
        let mut descend = true;
        match kind {
            // A run of comment lines is one token; each line is a token here, without the
            // blanks before its `//`.
            "comment" => out.extend(bsl_syntax::comment_lines(parse.text(), range).map(|line| Raw {
                start: line.start,
                end: line.end,
                kind: COMMENT,
                modifiers: 0,
            })),
            "shebang" => out.push(Raw { start: range.start, end: range.end, kind: COMMENT, modifiers: 0 }),
            "string" | "date" => {
                out.push(Raw { start: range.start, end: range.end, kind: STRING, modifiers: 0 });
                descend = false;
            }
            "number" => out.push(Raw { start: range.start, end: range.end, kind: NUMBER, modifiers: 0 }),
            k if k.starts_with("preproc_") => {
                out.push(Raw { start: range.start, end: range.end, kind: MACRO, modifiers: 0 })
            }
            "identifier" => {
                let (kind, modifiers) = classify_identifier(&stack, field, &params, &text[range.clone()]);
                if stack.last().map(|s| s.0) != Some("label") {
                    out.push(Raw { start: range.start, end: range.end, kind, modifiers });
                }
            }
            "&" => out.push(Raw { start: range.start, end: range.end, kind: DECORATOR, modifiers: 0 }),
            "method_declaration" => {
                params = node
                    .child_by_field_name("parameters")
                    .map(|list| {
                        let mut c = list.walk();
                        list.named_children(&mut c)
                            .filter_map(|p| p.child_by_field_name("name"))
                            .map(|n| text[n.byte_range()].to_lowercase())
                            .collect()
                    })
                    .unwrap_or_default();
                method_depth = Some(stack.len());
            }
            k if !node.is_named() && bsl_syntax::keywords::spelling(k).is_some() => {
                out.push(Raw { start: range.start, end: range.end, kind: KEYWORD, modifiers: 0 })
            }
            _ => {}
        }
        if descend && cursor.goto_first_child() {
            stack.push((kind, field));
            continue;
        }
        loop {
            if stack.len() == base {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
            stack.pop();
            if method_depth == Some(stack.len()) {
                params.clear();
                method_depth = None;
            }
        }
    }
    out
}

/// A token on one line, in absolute UTF-16 coordinates.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Abs {
    line: u32,
    col: u32,
    length: u32,
    kind: u32,
    modifiers: u32,
}

/// Splits raw tokens at line breaks and positions them.
fn absolute(parse: &bsl_syntax::Parse, raws: Vec<Raw>, out: &mut Vec<Abs>) {
    let text = parse.text();
    let index = parse.line_index();
    for raw in raws {
        let start_line = index.line_of(raw.start);
        let end_line = index.line_of(raw.end);
        for line in start_line..=end_line {
            let line_range = index.line_range(line).unwrap_or(0..0);
            let from = raw.start.max(line_range.start);
            let to = raw.end.min(line_range.end);
            let segment = text[from..to].trim_end_matches(['\n', '\r']);
            let col = bsl_syntax::utf16_len(&text[line_range.start..from]);
            let length = bsl_syntax::utf16_len(segment);
            if length > 0 {
                out.push(Abs {
                    line,
                    col: col as u32,
                    length: length as u32,
                    kind: raw.kind,
                    modifiers: raw.modifiers,
                });
            }
        }
    }
}

/// A module's tokens part by part, as last computed for a document: each top-level part
/// (a method, a comment, a declaration) with a fingerprint of its text and starting
/// column, the line it starts on, and its tokens with lines counted from that line. A
/// part's tokens depend on its own text alone (a parameter is known from its own method),
/// so after a keystroke only the edited part is walked again; and the delta to an earlier
/// state is found by comparing parts, not every token of the module.
#[derive(Clone, Default)]
pub struct TokenParts {
    parts: Vec<PartTokens>,
}

#[derive(Clone)]
struct PartTokens {
    key: u64,
    line: u32,
    tokens: std::sync::Arc<Vec<Abs>>,
}

impl TokenParts {
    /// The tokens of `snap`, taking the parts whose text is unchanged from `previous`.
    pub fn of(snap: &Snapshot, previous: &TokenParts) -> TokenParts {
        let parse = &snap.parse;
        let index = parse.line_index();
        let root = parse.root();
        let known: bsl_analysis::hashing::FastMap<u64, &std::sync::Arc<Vec<Abs>>> =
            previous.parts.iter().map(|p| (p.key, &p.tokens)).collect();
        let mut parts = Vec::with_capacity(previous.parts.len());
        for (&child, &hash) in parse.parts().iter().zip(parse.part_hashes()) {
            let start = index.position(parse.text(), child.start_byte(), bsl_syntax::Encoding::Utf16);
            // A part that does not start a line has its columns moved by what stands before it.
            let key = hash ^ u64::from(start.col).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let tokens = match known.get(&key) {
                Some(&found) => found.clone(),
                None => {
                    let mut tokens = Vec::new();
                    absolute(parse, raw_tokens(parse, child, Some(root)), &mut tokens);
                    for token in &mut tokens {
                        token.line -= start.line;
                    }
                    std::sync::Arc::new(tokens)
                }
            };
            parts.push(PartTokens { key, line: start.line, tokens });
        }
        TokenParts { parts }
    }

    /// All the tokens, delta-encoded as LSP sends them.
    pub fn encode(&self) -> Vec<SemanticToken> {
        let count = self.parts.iter().map(|p| p.tokens.len()).sum();
        let mut out = Encoder { out: Vec::with_capacity(count), line: 0, col: 0 };
        for part in &self.parts {
            out.extend(part.tokens.iter().copied(), part.line);
        }
        out.out
    }

    /// The edit that turns `old`'s encoded tokens into these: the parts between the longest
    /// run of equal parts at the start (same text, same line) and at the end (same text, all
    /// moved by the same number of lines) are encoded again, with the first token after
    /// them, whose distance from the token before it may have changed.
    pub fn delta(&self, old: &TokenParts, result_id: String) -> SemanticTokensDelta {
        let (new_parts, old_parts) = (&self.parts, &old.parts);
        let common = new_parts.len().min(old_parts.len());
        let prefix = new_parts.iter().zip(old_parts).take_while(|(n, o)| n.key == o.key && n.line == o.line).count();
        let moved = match (new_parts.last(), old_parts.last()) {
            (Some(n), Some(o)) => i64::from(n.line) - i64::from(o.line),
            _ => 0,
        };
        let suffix = new_parts[prefix..]
            .iter()
            .rev()
            .zip(old_parts[prefix..].iter().rev())
            .take(common - prefix)
            .take_while(|(n, o)| n.key == o.key && i64::from(n.line) - i64::from(o.line) == moved)
            .count();
        let count = |parts: &[PartTokens]| parts.iter().map(|p| p.tokens.len()).sum::<usize>();
        let start = count(&old_parts[..prefix]);
        let old_tail = count(&old_parts[old_parts.len() - suffix..]);
        let new_tail = &new_parts[new_parts.len() - suffix..];
        // The encoder starts from the last token before the edit, the same in both.
        let (line, col) = new_parts[..prefix]
            .iter()
            .rev()
            .find_map(|p| p.tokens.last().map(|t| (p.line + t.line, t.col)))
            .unwrap_or((0, 0));
        let mut out = Encoder { out: Vec::new(), line, col };
        for part in &new_parts[prefix..new_parts.len() - suffix] {
            out.extend(part.tokens.iter().copied(), part.line);
        }
        // The first token after the edit, re-encoded against its new predecessor.
        let first_after = new_tail.iter().find_map(|p| p.tokens.first().map(|t| (*t, p.line)));
        if let Some((token, base)) = first_after {
            out.extend(std::iter::once(token), base);
        }
        let deleted = count(old_parts) - start - old_tail + usize::from(old_tail > 0);
        let edits = if deleted == 0 && out.out.is_empty() {
            Vec::new()
        } else {
            vec![SemanticTokensEdit {
                start: (start * 5) as u32,
                delete_count: (deleted * 5) as u32,
                data: Some(out.out),
            }]
        };
        SemanticTokensDelta { result_id: Some(result_id), edits }
    }
}

/// Delta-encoded tokens of a snapshot, computed afresh.
pub fn encode(snap: &Snapshot) -> Vec<SemanticToken> {
    TokenParts::of(snap, &TokenParts::default()).encode()
}

/// Turns positioned tokens, in order, into LSP's encoding: each token's line and start
/// relative to the one before.
struct Encoder {
    out: Vec<SemanticToken>,
    line: u32,
    col: u32,
}

impl Encoder {
    /// Adds `tokens`, whose lines count from `base_line`.
    fn extend(&mut self, tokens: impl Iterator<Item = Abs>, base_line: u32) {
        for t in tokens {
            let line = t.line + base_line;
            let delta_line = line - self.line;
            let delta_start = if delta_line == 0 { t.col - self.col } else { t.col };
            self.line = line;
            self.col = t.col;
            self.out.push(SemanticToken {
                delta_line,
                delta_start,
                length: t.length,
                token_type: t.kind,
                token_modifiers_bitset: t.modifiers,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bsl_analysis::rules::Config;
    use bsl_analysis::{ModuleKind, RuleSet};
    use bsl_syntax::{Parse, TextEdit};

    use super::*;

    fn snapshot(parse: Parse) -> Snapshot {
        let config = Arc::new(Config::default());
        let rules = Arc::new(RuleSet::new(&config));
        Snapshot::detached("file:///t.bsl".parse().unwrap(), 1, Arc::new(parse), ModuleKind::Unknown, config, rules)
    }

    /// `old` with a delta's edits applied, as a client does.
    fn apply(old: &[SemanticToken], delta: &SemanticTokensDelta) -> Vec<SemanticToken> {
        let mut tokens = old.to_vec();
        for edit in &delta.edits {
            let (start, deleted) = (edit.start as usize / 5, edit.delete_count as usize / 5);
            tokens.splice(start..start + deleted, edit.data.clone().unwrap_or_default());
        }
        tokens
    }

    #[test]
    fn kept_parts_give_the_same_tokens_as_a_fresh_walk() {
        let text = "Перем А;\n\nПроцедура П(Б) Экспорт\n\tА = Б + 1; // к\nКонецПроцедуры // П\n\n&НаСервере\nФункция Ф()\n\tВозврат \"с\nтр\";\nКонецФункции\n";
        let mut parse = Parse::new(text);
        let first = TokenParts::of(&snapshot(parse.clone()), &TokenParts::default());
        assert_eq!(first.encode(), encode(&snapshot(parse.clone())));
        // Lines added above both methods: their kept tokens move down.
        parse.edit(&TextEdit::new(0..0, "// шапка\n\n"));
        let second = TokenParts::of(&snapshot(parse.clone()), &first);
        assert_eq!(second.encode(), encode(&snapshot(parse.clone())));
        assert!(Arc::ptr_eq(&first.parts.last().unwrap().tokens, &second.parts.last().unwrap().tokens));
        // One method changed: it is walked again, the other is kept.
        let at = parse.text().find("+ 1").unwrap();
        parse.edit(&TextEdit::new(at..at + 3, "* 2"));
        let third = TokenParts::of(&snapshot(parse.clone()), &second);
        assert_eq!(third.encode(), encode(&snapshot(parse)));
    }

    /// Whatever the edit, the delta turns the old tokens into the new ones.
    #[test]
    fn deltas_from_parts_turn_the_old_tokens_into_the_new() {
        let text = "Перем А;\n\nПроцедура П(Б) Экспорт\n\tА = Б + 1; // к\nКонецПроцедуры // П\n\n// между\n&НаСервере\nФункция Ф()\n\tВозврат \"с\n|тр\";\nКонецФункции\n\nП(1);\n";
        let edits: &[(&str, &str)] = &[
            ("", "// шапка\n"),
            ("+ 1", "* 2"),
            ("\n\n// между", "\n\n\n// между"),
            ("// к", "// комментарий длиннее"),
            ("КонецПроцедуры // П", "КонецПроцедуры"),
            ("Функция Ф()", "Функция Ф(Икс)"),
            ("П(1);\n", ""),
            ("Перем А;", "Перем А, Б;\nПерем В;"),
            ("\"с\n|тр\"", "\"стр\""),
        ];
        let mut parse = Parse::new(text);
        let mut parts = TokenParts::of(&snapshot(parse.clone()), &TokenParts::default());
        for (from, to) in edits {
            let at = parse.text().find(from).unwrap_or(0);
            parse.edit(&TextEdit::new(at..at + from.len(), *to));
            let next = TokenParts::of(&snapshot(parse.clone()), &parts);
            let fresh = encode(&snapshot(parse.clone()));
            assert_eq!(next.encode(), fresh, "after {from:?} -> {to:?}");
            assert_eq!(apply(&parts.encode(), &next.delta(&parts, "1".into())), fresh, "after {from:?} -> {to:?}");
            // Against itself: nothing to send.
            assert!(next.delta(&next, "2".into()).edits.is_empty());
            parts = next;
        }
    }

    /// Random edits (a fixed seed): characters that start and end comments, strings, lines
    /// and statements, put anywhere; each delta still turns the old tokens into the new.
    #[test]
    fn deltas_hold_under_random_edits() {
        let mut text = String::from(
            "#Область Программный\nПерем А Экспорт;\n\n// Описание\nПроцедура П(Б, В = 1) Экспорт\n\tА = \"с\n\t|тр\"; // к\n\tЕсли Б Тогда В = 2; КонецЕсли;\nКонецПроцедуры // П\n#КонецОбласти\n\nФункция Ф()\n\tВозврат '20240101';\nКонецФункции\n",
        );
        let pieces =
            ["\n", "\"", "|", "//", ";", " ", "Ж", "Процедура Н()\n", "КонецПроцедуры\n", "#Область О\n", "\t", "1"];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        let mut parse = Parse::new(text.clone());
        let mut parts = TokenParts::of(&snapshot(parse.clone()), &TokenParts::default());
        for _ in 0..300 {
            let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let at = boundaries[next(boundaries.len())];
            let end = boundaries.iter().copied().filter(|&e| e >= at).nth(next(3)).unwrap_or(at);
            let inserted = if next(3) == 0 { "" } else { pieces[next(pieces.len())] };
            text.replace_range(at..end, inserted);
            parse.edit(&TextEdit::new(at..end, inserted));
            let next_parts = TokenParts::of(&snapshot(parse.clone()), &parts);
            let fresh = encode(&snapshot(Parse::new(text.clone())));
            assert_eq!(next_parts.encode(), fresh, "{text:?}");
            assert_eq!(apply(&parts.encode(), &next_parts.delta(&parts, "1".into())), fresh, "{text:?}");
            parts = next_parts;
        }
    }
}
